"""A fixed diary for the iCalendar tests: five protocol lines scheduled in five Outlook patterns through
2026 (both clock changes), one meeting cancelled and one moved, and UIDs pinned so golden files hold."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from diary_testing import NOW

from los_tui.domain.model import Occurrence, Status
from los_tui.services.diary import Diary

LONDON = ZoneInfo("Europe/London")
YEAR_FIRST, YEAR_LAST = date(2026, 1, 1), date(2026, 12, 31)
JS_DIR = Path(__file__).resolve().parent / "js"


@dataclass(frozen=True)
class Pattern:
    name: str  # also the golden file's name
    slug: str
    rrule: str
    start: datetime
    duration: int
    location: str


PATTERNS = [
    Pattern(
        "monthly",
        "lmcs-improvement-board",
        "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2",
        datetime(2026, 1, 13, 18, 30),
        120,
        "Town Hall, Committee Room 1",
    ),
    Pattern(
        "every-two-months",
        "lmcs-asye-meeting",
        "FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=15",
        datetime(2026, 1, 15, 16, 0),
        90,
        "Bernard Weatherill House",
    ),
    Pattern(
        "quarterly-last-friday",
        "lmcs-psw-practice-audit",
        "FREQ=MONTHLY;INTERVAL=3;BYDAY=FR;BYSETPOS=-1",
        datetime(2026, 1, 30, 10, 0),
        60,
        "",
    ),
    Pattern(
        "twice-yearly",
        "dcs-foster-carers",
        "FREQ=MONTHLY;INTERVAL=6;BYDAY=WE;BYSETPOS=1",
        datetime(2026, 3, 4, 19, 0),
        120,
        "Fairfield Halls",
    ),
    Pattern(
        "annual",
        "lmcs-adoption-panel",
        "FREQ=YEARLY;BYMONTH=10;BYMONTHDAY=27",
        datetime(2026, 10, 27, 9, 30),
        240,
        "Adoption panel room",
    ),
]
MONTHLY = PATTERNS[0]
CANCELLED = datetime(2026, 10, 13, 18, 30, tzinfo=LONDON)  # the October board, before the clocks go back
MOVED_FROM = datetime(2026, 3, 10, 18, 30, tzinfo=LONDON)  # March's board, in GMT ...
MOVED_TO = datetime(2026, 3, 31, 18, 30, tzinfo=LONDON)  # ... moved past the change to BST


def build_fixed_diary(path: Path) -> Diary:
    diary = Diary.open(path, clock=lambda: NOW)
    diary.init("both")
    for number, pattern in enumerate(PATTERNS, start=1):
        diary.commitments.schedule(
            pattern.slug, pattern.rrule, pattern.start, pattern.duration, pattern.location
        )
        uid = diary.commitments.get(pattern.slug).schedules[-1].uid
        with sqlite3.connect(path) as connection:  # pinned, as a golden file needs (the store makes UUIDs)
            connection.execute(
                "UPDATE schedules SET ical_uid = ? WHERE ical_uid = ?",
                (f"{pattern.name}-{number:02d}@los-tui.test", uid),
            )
        connection.close()
    cancel = diary.meetings.find(MONTHLY.slug, CANCELLED, has_time=True)
    assert cancel is not None
    diary.meetings.set_status(cancel, Status.CANCELLED)
    move = diary.meetings.find(MONTHLY.slug, MOVED_FROM, has_time=True)
    assert move is not None
    diary.meetings.move(move, MOVED_TO)
    return diary


def uid_of(diary: Diary, slug: str) -> str:
    return diary.commitments.get(slug).schedules[-1].uid


def expected_meetings(diary: Diary, slugs: list[str] | None = None) -> list[tuple[str, str, str]]:
    """What our own agenda shows over 2026, as (title, UTC start, UTC end), cancelled meetings aside."""
    agenda: list[Occurrence] = diary.meetings.agenda(YEAR_FIRST, YEAR_LAST, slugs=slugs)
    return sorted(
        (o.title, _utc(o.start), _utc(o.end))
        for o in agenda
        if o.status is not Status.CANCELLED and not o.is_adhoc
    )


def _utc(moment: datetime) -> str:
    return moment.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M:%SZ")


def window() -> tuple[datetime, datetime]:
    return (
        datetime.combine(YEAR_FIRST, datetime.min.time(), LONDON),
        datetime.combine(date(2027, 1, 1), datetime.min.time(), LONDON),
    )


def read_with_icalendar(data: bytes) -> list[tuple[str, str, str]]:
    import icalendar
    import recurring_ical_events

    calendar = icalendar.Calendar.from_ical(data)
    return sorted(
        (str(e["SUMMARY"]), _utc(e.decoded("DTSTART")), _utc(e.decoded("DTEND")))
        for e in recurring_ical_events.of(calendar).between(*window())
    )


def read_with_vobject(data: bytes) -> list[tuple[str, str, str]]:
    """vobject expands the rule (with EXDATEs) through dateutil; overrides are applied by RECURRENCE-ID,
    as RFC 5545 says every reader must."""
    import vobject

    calendar = vobject.readOne(data.decode("utf-8"), validate=True)
    first, last = window()
    events = list(calendar.vevent_list)
    overrides = {
        (e.uid.value, e.recurrence_id.value.astimezone(ZoneInfo("UTC"))): e
        for e in events
        if hasattr(e, "recurrence_id")
    }
    found = []
    for event in events:
        if hasattr(event, "recurrence_id"):
            continue
        length = event.dtend.value - event.dtstart.value
        for start in event.getrruleset(addRDate=True).between(first, last, inc=True):
            override = overrides.get((event.uid.value, start.astimezone(ZoneInfo("UTC"))))
            if override is not None:
                found.append(
                    (override.summary.value, _utc(override.dtstart.value), _utc(override.dtend.value))
                )
            else:
                found.append((event.summary.value, _utc(start), _utc(start + length)))
    return sorted(m for m in found if first <= datetime.fromisoformat(m[1]) < last)


def read_with_icaljs(path: Path) -> list[tuple[str, str, str]]:
    """Mozilla's ical.js (Thunderbird's engine) under Node; skipped without it unless CI is set."""
    if not (JS_DIR / "node_modules" / "ical.js").is_dir() or shutil.which("node") is None:
        if os.environ.get("CI"):
            pytest.fail("ical.js is not installed: `.ci/run` must run `npm ci --prefix tests/js` first")
        pytest.skip("ical.js not installed (npm ci --prefix tests/js --no-audit --no-fund)")
    first, last = window()
    done = subprocess.run(
        ["node", str(JS_DIR / "expand.mjs"), str(path), _utc(first), _utc(last)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return sorted(
        (m["summary"], m["start"].replace(".000Z", "Z"), m["end"].replace(".000Z", "Z"))
        for m in json.loads(done.stdout)
    )
