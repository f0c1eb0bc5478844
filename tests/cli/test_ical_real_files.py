"""Every vendored real calendar (Outlook, Exchange, Google; tests/fixtures/real/README.md says where each
comes from) through the import a user runs: a preview, an apply, and an apply again, on a real diary.

Each meeting in the window must be read at the instant icalendar + recurring-ical-events give, none may be
taken for a duplicate, what is written must be in the diary at that instant, and the second apply writes
nothing."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events

from los_tui.domain.model import Frequency, Role, Status
from los_tui.domain.parsing import InputError
from los_tui.services.diary import Diary
from los_tui.services.ical import Decision

LONDON = ZoneInfo("Europe/London")
REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"
FILES = sorted(REAL.rglob("*.ics"))
# Zones Exchange names by display name with no VTIMEZONE; icalendar leaves their times floating. These are
# the zones Windows gives those names (its time zone settings), written out here independently of the
# reader's own mapping.
DISPLAY_NAMES = {
    "(UTC-05:00) Eastern Time (US & Canada)": "America/New_York",
    "(GMT+10:00) Canberra, Melbourne, Sydney": "Australia/Sydney",
    "UTC+01": "Etc/GMT-1",
}
# Events that no reader can read, left out and named by the import while the rest of the file is read.
UNREADABLE = {
    "ms_timezones.ics": ["Log Yesterday's Jira time"],  # DTSTART;TZID="W. Europe Standard Time:2020..."
}
# Files in which nothing can be read: refused whole, naming the first event and why.
REFUSED = {"issue_165_missing_event.ics": "its repeat rule (RRULE) cannot be read"}


def test_enough_real_files_are_vendored_with_their_sources() -> None:
    readme = (REAL / "README.md").read_text()
    assert len(FILES) >= 20
    for path in FILES:
        assert f"`{path.relative_to(REAL)}`" in readme, f"{path.name} has no source in README.md"
    for folder in {p.parent for p in FILES}:
        assert any(folder.glob("LICENSE*")), f"{folder.name} has no licence text"
    text = b"".join(p.read_bytes() for p in FILES)
    for needed in (b"Microsoft Exchange", b"Outlook", b"Google", b"VALUE=DATE", b"RECURRENCE-ID", b"(UTC"):
        assert needed in text


def _now_for(calendar: Any) -> datetime:
    """A "now" a little after the file's last start, so the year before it holds the file's meetings."""
    starts = []
    for event in calendar.walk("VEVENT"):
        try:
            start = event.decoded("DTSTART")
        except (KeyError, ValueError, TypeError):
            continue
        if isinstance(start, datetime):
            starts.append(start.replace(tzinfo=None))
        elif isinstance(start, date):
            starts.append(datetime.combine(start, datetime.min.time()))
    return (max(starts) + timedelta(days=60)).replace(tzinfo=LONDON)


def _instant(value: date, tzid: str) -> datetime:
    """What a reader's start means: a date is that day in the diary (London); a floating time is London's
    wall clock unless its TZID is a display name Windows knows."""
    if not isinstance(value, datetime):
        return datetime.combine(value, datetime.min.time(), LONDON)
    if value.tzinfo is None:
        return value.replace(tzinfo=ZoneInfo(DISPLAY_NAMES.get(tzid, "Europe/London")))
    return value


def _reference(path: Path, first: datetime, last: datetime) -> Counter[tuple[str, datetime]]:
    """(title, UTC start) of every meeting starting in [first, last), as icalendar + recurring-ical-events
    read the file (events no reader can read taken out first)."""
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    unreadable = UNREADABLE.get(path.name, [])
    calendar.subcomponents = [
        c for c in calendar.subcomponents if not (c.name == "VEVENT" and str(c.get("SUMMARY")) in unreadable)
    ]
    zones = {}
    for event in calendar.walk("VEVENT"):
        zones[(str(event.get("UID", "")), str(event.get("SUMMARY", "")))] = str(
            event["DTSTART"].params.get("TZID", "")
        ).strip('"')
    found: Counter[tuple[str, datetime]] = Counter()
    for instance in recurring_ical_events.of(calendar).between(
        first - timedelta(days=2), last + timedelta(days=2)
    ):
        start = _instant(
            instance.decoded("DTSTART"),
            zones.get((str(instance.get("UID", "")), str(instance.get("SUMMARY", ""))), ""),
        )
        if first <= start < last:
            found[(str(instance.get("SUMMARY", "")).strip(), start.astimezone(UTC))] += 1
    return found


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.name}" for p in FILES])
def test_a_real_file_imports_every_meeting_at_its_instant_once(path: Path, tmp_path: Path) -> None:
    now = _now_for(icalendar.Calendar.from_ical(path.read_bytes()))
    diary = Diary.open(tmp_path / "diary.sqlite3", clock=lambda: now)
    diary.init("both")
    try:
        if path.name in REFUSED:
            with pytest.raises(InputError, match=re.escape(REFUSED[path.name])):
                diary.calendar.plan_import(path)
            return
        # Every title in the file is an ad hoc commitment of the Lead Member's, so every meeting is written.
        titles = {
            str(e.get("SUMMARY", "")).strip()
            for e in icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
        }
        seen = set()
        for title in sorted(titles):
            if title and " ".join(title.casefold().split()) not in seen:
                seen.add(" ".join(title.casefold().split()))
                diary.commitments.add(title, Role.LMCS, Frequency.AD_HOC)

        preview = diary.calendar.plan_import(path)
        read = Counter((p.meeting.title, p.meeting.start.astimezone(UTC)) for p in preview.proposals)
        expected = _reference(path, preview.window_start, preview.window_end)
        assert expected, "the window holds no meeting: the test would prove nothing"
        assert read == expected
        assert sorted(s.title for s in preview.skipped) == sorted(UNREADABLE.get(path.name, []))
        assert preview.count(Decision.ALREADY_IMPORTED) == 0  # none lost as a duplicate
        # Only an event with no title matches no commitment (no commitment is untitled).
        assert all(p.meeting.title == "" for p in preview.proposals if p.decision is Decision.UNMATCHED)

        to_write = [p for p in preview.proposals if p.changes_diary]
        assert diary.calendar.apply_import(preview) == len(
            to_write
        )  # the plan the user saw is what is written
        first, last = (
            preview.window_start.date() - timedelta(days=1),
            preview.window_end.date() + timedelta(days=1),
        )
        logged = Counter(
            (o.title, o.start.astimezone(UTC) if not o.all_day else o.start.astimezone(LONDON).date())
            for o in diary.meetings.agenda(first, last)
            if o.status is Status.ATTENDED
        )
        wanted = Counter(
            (
                p.meeting.title,
                p.meeting.start.astimezone(UTC) if not p.meeting.all_day else p.meeting.start.date(),
            )
            for p in to_write
        )
        assert logged == wanted

        again = diary.calendar.plan_import(path)
        assert diary.calendar.apply_import(again) == 0
        # A second meeting of one title at the same times (a free/busy save's "Busy" twice) was counted
        # once the first time, and is again.
        assert {p.decision for p in again.proposals} <= {
            Decision.ALREADY_IMPORTED,
            Decision.CANCELLED,
            Decision.UNMATCHED,
            Decision.DUPLICATE,
        }
        assert again.count(Decision.UNMATCHED) == preview.count(Decision.UNMATCHED)
        assert again.count(Decision.DUPLICATE) == preview.count(Decision.DUPLICATE)
    finally:
        diary.close()
