"""Importing a year of Outlook's calendar writes in a few statements however many meetings it holds, and a
meeting logged elsewhere between the preview and the write is attended, not logged twice."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from diary_testing import NOW
from sqlalchemy import event
from sqlalchemy.engine import Engine

from los_tui.domain.model import Status
from los_tui.services.diary import Diary
from los_tui.services.ical import Decision

BOARD = "lmcs-improvement-board"
WEEKDAYS = "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR"


def outlook_save(path: Path, meetings: list[tuple[datetime, str]]) -> Path:
    events = [
        "BEGIN:VEVENT\r\n"
        f"UID:meeting-{number}@outlook\r\n"
        f"DTSTAMP:20261002T081200Z\r\n"
        f"DTSTART:{start.astimezone(UTC):%Y%m%dT%H%M%SZ}\r\n"
        f"DTEND:{(start + timedelta(hours=1)).astimezone(UTC):%Y%m%dT%H%M%SZ}\r\n"
        f"SUMMARY:{title}\r\n"
        "END:VEVENT\r\n"
        for number, (start, title) in enumerate(meetings)
    ]
    path.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" + "".join(events) + "END:VCALENDAR\r\n"
    )
    return path


def weekday_diary(path: Path) -> Diary:
    """A diary whose board meets every weekday of the year before now, at 09:30."""
    diary = Diary.open(path, clock=lambda: NOW)
    diary.init("both")
    diary.commitments.schedule(
        BOARD, WEEKDAYS, (NOW - timedelta(days=360)).replace(tzinfo=None, hour=9, minute=30)
    )
    return diary


def year_of_meetings(diary: Diary, count: int) -> list[tuple[datetime, str]]:
    """`count` meetings: half the board's scheduled ones, half extra meetings of it at 07:00 those days."""
    title = diary.commitments.get(BOARD).title
    scheduled = [
        o for o in diary.meetings.agenda(date(2025, 12, 1), NOW.date(), slugs=[BOARD]) if o.end <= NOW
    ]
    assert len(scheduled) >= count // 2
    chosen = scheduled[: count // 2]
    return [(o.start, title) for o in chosen] + [(o.start.replace(hour=7), title) for o in chosen]


@pytest.fixture
def statements() -> Iterator[list[str]]:
    """The statements SQLAlchemy is asked to run (each built and compiled once, however many rows)."""
    seen: list[str] = []

    def count(connection: object, clause: object, *args: object) -> None:
        seen.append(str(clause))

    event.listen(Engine, "before_execute", count)
    yield seen
    event.remove(Engine, "before_execute", count)


def test_importing_more_meetings_runs_no_more_statements(tmp_path: Path, statements: list[str]) -> None:
    written = {}
    for count in (20, 200):
        diary = weekday_diary(tmp_path / str(count) / "diary.sqlite3")
        plan = diary.calendar.plan_import(
            outlook_save(tmp_path / f"{count}.ics", year_of_meetings(diary, count))
        )
        assert plan.count(Decision.OCCURRENCE) == plan.count(Decision.ADHOC) == count // 2
        statements.clear()
        assert diary.calendar.apply_import(plan) == count
        written[count] = len(statements)
        logged = [
            o for o in diary.meetings.agenda(date(2025, 12, 1), NOW.date()) if o.status is Status.ATTENDED
        ]
        assert len(logged) == count
        assert diary.calendar.apply_import(diary.calendar.plan_import(tmp_path / f"{count}.ics")) == 0
        diary.close()
    assert written[200] == written[20], written  # three a meeting before: 60 and 600


def test_a_meeting_noted_elsewhere_after_the_preview_is_attended_with_its_note_kept(tmp_path: Path) -> None:
    diary = weekday_diary(tmp_path / "diary.sqlite3")
    plan = diary.calendar.plan_import(outlook_save(tmp_path / "year.ics", year_of_meetings(diary, 4)))
    first = next(p.occurrence for p in plan.proposals if p.decision is Decision.OCCURRENCE)
    assert first is not None and first.log_id is None
    elsewhere = Diary.open(tmp_path / "diary.sqlite3", clock=lambda: NOW)
    elsewhere.meetings.save_note(first, "Agreed the audit plan")
    elsewhere.close()
    assert diary.calendar.apply_import(plan) == 4
    day = first.start.date()
    again = [
        o for o in diary.meetings.agenda(day, day, slugs=[BOARD]) if o.original_start == first.original_start
    ]
    assert [(o.status, o.note) for o in again] == [(Status.ATTENDED, "Agreed the audit plan")]
