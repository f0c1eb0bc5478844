"""Meetings found, moved and marked by the instant the user names, in the hour the clocks repeat (25
October 2026: 01:xx BST, then 01:xx GMT) and the hour they skip (29 March 2026): Python compares two
aware times of one zone by their wall clocks, and never finds times of two zones equal in those hours
(PEP 495), while logs are stored in UTC and schedules are local."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from diary_testing import NOW, Result, execute_sql
from ical_diary import read_with_icalendar, read_with_icaljs

from los_tui.domain.model import Occurrence, Role, Status
from los_tui.domain.periods import council_year
from los_tui.services.diary import Diary

LONDON = ZoneInfo("Europe/London")
BOARD = "lmcs-improvement-board"


def weekly_on_sundays(los: Callable[..., Result], first: str) -> None:
    """The board meets every Sunday at `first`'s time, from `first`."""
    made = los("schedule", BOARD, "--rrule", "FREQ=WEEKLY;BYDAY=SU", "--start", first, "--duration", "60")
    assert made.code == 0, made.err


def weekly_in_the_changing_hour(los: Callable[..., Result], db_path: Path, first: str) -> None:
    """The board meets every Sunday at `first`'s time, a time in the hour the clocks change: a new
    schedule is refused one, but one an older los stored is still used at its wall-clock time."""
    day, wall = first.split("T")
    weekly_on_sundays(los, f"{day}T10:00")
    execute_sql(db_path, "UPDATE schedules SET start_local = ?", (f"{day} {wall}:00",))


def agenda(los: Callable[..., Result], day: str) -> list[tuple[str, bool, bool, str]]:
    """The day's meetings as (start, moved, ad hoc, status)."""
    shown = los("agenda", "--from", day, "--to", day, "--json")
    assert shown.code == 0, shown.err
    return [(o["start"], o["moved"], o["adhoc"], o["status"]) for o in json.loads(shown.out)]


def stored(db_path: Path) -> list[tuple[object, ...]]:
    """Every log the diary holds: (original start, start, status), in UTC as stored."""
    return execute_sql(db_path, "SELECT original_start, start, status FROM occurrence_logs ORDER BY id")


@pytest.mark.parametrize(
    ("to", "on", "shown"),
    [
        ("2026-10-25T01:15+01:00", "2026-10-25T01:15", "2026-10-25T01:15+01:00"),  # the first 01:15, BST
        ("2026-10-25T01:15+01:00", "2026-10-25T01:15+01:00", "2026-10-25T01:15+01:00"),
        ("2026-10-25T01:15+00:00", "2026-10-25T01:15", "2026-10-25T01:15+00:00"),  # the one 01:15 it has
        ("2026-10-25T01:15+00:00", "2026-10-25T01:15+00:00", "2026-10-25T01:15+00:00"),  # the second, GMT
        ("2026-10-25T01:15+00:00", "2026-10-25T02:15+01:00", "2026-10-25T01:15+00:00"),
    ],
)
def test_a_meeting_moved_into_the_repeated_hour_is_logged_by_its_new_time(
    seeded: Callable[..., Result], db_path: Path, to: str, on: str, shown: str
) -> None:
    weekly_on_sundays(seeded, "2026-10-04T10:00")
    moved = seeded("move", BOARD, "--on", "2026-10-25", "--to", to)
    assert moved.code == 0, moved.err
    logged = seeded("log", BOARD, "--on", on, "--status", "attended")
    assert logged.code == 0, logged.err
    assert agenda(seeded, "2026-10-25") == [(shown, True, False, "attended")]
    assert len(stored(db_path)) == 1  # no ad hoc entry beside it


def test_the_other_hour_of_the_repeated_time_is_not_the_moved_meeting(
    seeded: Callable[..., Result], db_path: Path
) -> None:
    weekly_on_sundays(seeded, "2026-10-04T10:00")
    assert seeded("move", BOARD, "--on", "2026-10-25", "--to", "2026-10-25T01:15+00:00").code == 0
    before = stored(db_path)
    # 01:15 BST is an hour before the meeting (01:15 GMT): refused, nothing recorded.
    refused = seeded("log", BOARD, "--on", "2026-10-25T01:15+01:00", "--status", "attended")
    assert refused.code == 2
    assert stored(db_path) == before


@pytest.mark.parametrize("same", ["2026-10-25T01:15+01:00", "2026-10-25T00:15Z"])
def test_moving_a_meeting_back_to_its_scheduled_instant_records_no_move(
    seeded: Callable[..., Result], db_path: Path, same: str
) -> None:
    # The board meets at 01:15 BST on the 25th, the first of the two.
    weekly_in_the_changing_hour(seeded, db_path, "2026-10-04T01:15")
    assert seeded("move", BOARD, "--on", "2026-10-25", "--to", "2026-10-25T01:15+00:00").code == 0
    back = seeded("move", BOARD, "--on", "2026-10-25T01:15+00:00", "--to", same)
    assert back.code == 0, back.err
    assert agenda(seeded, "2026-10-25") == [("2026-10-25T01:15+01:00", False, False, "scheduled")]
    assert [start for _, start, _ in stored(db_path)] == [None]


def test_a_meeting_in_the_skipped_hour_is_logged_by_the_time_the_clocks_show(
    seeded: Callable[..., Result], db_path: Path
) -> None:
    # 29 March has no 01:30: the meeting is at 01:30 GMT, which the clocks show (and los lists) as 02:30 BST.
    weekly_in_the_changing_hour(seeded, db_path, "2026-03-01T01:30")
    logged = seeded("log", BOARD, "--on", "2026-03-29T02:30", "--status", "attended")
    assert logged.code == 0, logged.err
    assert agenda(seeded, "2026-03-29") == [("2026-03-29T02:30+01:00", False, False, "attended")]
    assert len(stored(db_path)) == 1


def test_a_meeting_moved_to_its_own_time_in_the_skipped_hour_records_no_move(
    seeded: Callable[..., Result], db_path: Path
) -> None:
    weekly_in_the_changing_hour(seeded, db_path, "2026-03-01T01:30")
    moved = seeded("move", BOARD, "--on", "2026-03-29", "--to", "2026-03-29T02:30")
    assert moved.code == 0, moved.err
    assert agenda(seeded, "2026-03-29") == [("2026-03-29T02:30+01:00", False, False, "scheduled")]
    assert [start for _, start, _ in stored(db_path)] == [None]


def test_a_meeting_stored_as_moved_to_its_own_instant_is_not_shown_as_moved(
    seeded: Callable[..., Result], db_path: Path
) -> None:
    weekly_in_the_changing_hour(seeded, db_path, "2026-10-04T01:15")
    assert seeded("log", BOARD, "--on", "2026-10-25", "--status", "attended").code == 0
    # A diary written elsewhere holds the meeting's own instant (01:15 BST is 00:15 UTC) as its start.
    execute_sql(db_path, "UPDATE occurrence_logs SET start = ?", ("2026-10-25 00:15:00",))
    assert agenda(seeded, "2026-10-25") == [("2026-10-25T01:15+01:00", False, False, "attended")]


def test_a_meeting_in_the_repeated_hour_opened_from_its_log_can_be_marked_again(
    seeded: Callable[..., Result], db_path: Path
) -> None:
    weekly_in_the_changing_hour(seeded, db_path, "2026-10-04T01:15")
    assert seeded("log", BOARD, "--on", "2026-10-25", "--status", "attended").code == 0
    diary = Diary.open(db_path, clock=lambda: NOW)
    try:
        (shown,) = diary.meetings.agenda(date(2026, 10, 25), date(2026, 10, 25), slugs=[BOARD])
        fresh = diary.meetings.reload(shown)  # as the meeting screen reads it: the log's UTC start
        assert diary.meetings.set_status(fresh, Status.APOLOGIES).status is Status.APOLOGIES
    finally:
        diary.close()
    assert agenda(seeded, "2026-10-25") == [("2026-10-25T01:15+01:00", False, False, "apologies")]
    assert len(stored(db_path)) == 1


def test_moved_is_decided_by_instant_not_by_the_wall_clock() -> None:
    first = datetime(2026, 10, 25, 1, 15, tzinfo=LONDON)  # BST
    second = datetime(2026, 10, 25, 1, 15, fold=1, tzinfo=LONDON)  # GMT, an hour later
    board = Occurrence(BOARD, "Board", Role.LMCS, second, second, original_start=first)
    assert board.is_moved
    held = Occurrence(BOARD, "Board", Role.LMCS, first.astimezone(UTC), first, original_start=first)
    assert not held.is_moved


def test_attended_at_its_own_instant_in_the_repeated_hour_records_no_move(
    seeded: Callable[..., Result], db_path: Path
) -> None:
    weekly_in_the_changing_hour(seeded, db_path, "2026-10-04T01:15")
    diary = Diary.open(db_path, clock=lambda: NOW)
    try:
        (shown,) = diary.meetings.agenda(date(2026, 10, 25), date(2026, 10, 25), slugs=[BOARD])
        with diary.store.writing() as write:  # held at 00:15 UTC: the time it was scheduled for
            write.attend(shown, datetime(2026, 10, 25, 0, 15, tzinfo=UTC))
    finally:
        diary.close()
    assert stored(db_path) == [("2026-10-25 00:15:00.000000", None, "attended")]


def outlook_file(tmp_path: Path, *events: tuple[str, str]) -> Path:
    """An Outlook save of the board's meetings, each (DTSTART line value, extra lines), in UTC."""
    body = "".join(
        f"BEGIN:VEVENT\r\nUID:board-{n}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART{start}\r\n"
        f"SUMMARY:Children's Improvement Board\r\n{extra}END:VEVENT\r\n"
        for n, (start, extra) in enumerate(events)
    )
    path = tmp_path / "outlook.ics"
    path.write_bytes(
        f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{body}END:VCALENDAR\r\n".encode()
    )
    return path


@pytest.mark.parametrize(
    "extra", ["", "RECURRENCE-ID:20261025T001500Z\r\n"], ids=["by-day", "by-recurrence-id"]
)
def test_outlooks_meeting_at_the_scheduled_instant_imports_as_held_there(
    seeded: Callable[..., Result], db_path: Path, tmp_path: Path, extra: str
) -> None:
    weekly_in_the_changing_hour(seeded, db_path, "2026-10-04T01:15")  # 01:15 BST on the 25th
    path = outlook_file(tmp_path, (":20261025T001500Z", extra))  # Outlook writes it in UTC
    applied = seeded("import", "ics", str(path), "--role", "lmcs", "--apply")
    assert applied.code == 0, applied.err
    assert agenda(seeded, "2026-10-25") == [("2026-10-25T01:15+01:00", False, False, "attended")]
    assert [start for _, start, _ in stored(db_path)] == [None]  # no move recorded


def test_the_export_moves_no_meeting_stored_at_its_own_instant(
    seeded: Callable[..., Result], db_path: Path
) -> None:
    weekly_in_the_changing_hour(seeded, db_path, "2026-10-04T01:15")
    assert seeded("log", BOARD, "--on", "2026-10-25", "--status", "attended").code == 0
    execute_sql(db_path, "UPDATE occurrence_logs SET start = ?", ("2026-10-25 00:15:00",))  # its own instant
    exported = seeded("export", "ics", "--commitment", BOARD)
    assert exported.code == 0, exported.err
    events = icalendar.Calendar.from_ical(exported.out).walk("VEVENT")
    assert [event.get("RECURRENCE-ID") for event in events] == [None]  # the series alone, no override


@pytest.mark.parametrize(
    ("to", "at"),
    [
        ("2026-10-25T01:15+01:00", datetime(2026, 10, 25, 0, 15, tzinfo=UTC)),  # the first 01:15, BST
        ("2026-10-25T01:15+00:00", datetime(2026, 10, 25, 1, 15, tzinfo=UTC)),  # the second, GMT
    ],
)
def test_a_meeting_moved_into_the_repeated_hour_is_exported_at_its_instant(
    seeded: Callable[..., Result], to: str, at: datetime
) -> None:
    """A reader takes a wall time the clocks repeat as the first of the two (RFC 5545 3.3.5): the second
    01:15 written as 01:15 Europe/London would reach Outlook an hour early."""
    weekly_on_sundays(seeded, "2026-10-04T10:00")
    assert seeded("move", BOARD, "--on", "2026-10-25", "--to", to).code == 0
    exported = seeded("export", "ics", "--commitment", BOARD)
    assert exported.code == 0, exported.err
    events = icalendar.Calendar.from_ical(exported.out).walk("VEVENT")
    [moved] = [event for event in events if event.get("RECURRENCE-ID") is not None]
    assert moved.decoded("DTSTART").astimezone(UTC) == at


def test_a_question_asked_at_a_meeting_in_the_repeated_hour_is_of_that_meeting(
    seeded: Callable[..., Result], db_path: Path
) -> None:
    weekly_in_the_changing_hour(seeded, db_path, "2026-10-04T01:15")
    assert seeded("factors", BOARD, "7").code == 0
    assert seeded("log", BOARD, "--on", "2026-10-25", "--status", "attended").code == 0
    asked = seeded("ask", BOARD, "--on", "2026-10-25", "--question", "7.4", "--answer", "Mostly")
    assert asked.code == 0, asked.err
    diary = Diary.open(db_path, clock=lambda: NOW)
    try:
        statement = diary.evidence.assurance(council_year(NOW.date()), NOW, (Role.LMCS,))
    finally:
        diary.close()
    # Once: the meeting seen, with the question asked there (not a second, unseen, meeting beside it).
    assert [(s.start.astimezone(UTC), s.seen, s.asked) for s in statement.behind(7)] == [
        (datetime(2026, 10, 25, 0, 15, tzinfo=UTC), True, ("7.4",))
    ]


def a_meeting_moved_into_the_repeated_hour(
    los: Callable[..., Result], to: str = "2026-10-25T01:15+01:00"
) -> None:
    """The board meets every Saturday at 10:00 for an hour; the 24 October one is moved to `to`, by
    default the first 01:15 of the 25th (BST)."""
    made = los("schedule", BOARD, "--rrule", "FREQ=WEEKLY;BYDAY=SA", "--start", "2026-10-03T10:00")
    assert made.code == 0, made.err
    moved = los("move", BOARD, "--on", "2026-10-24T10:00", "--to", to)
    assert moved.code == 0, moved.err


@pytest.mark.parametrize(
    ("to", "shown", "end"),
    [
        ("2026-10-25T01:15+01:00", "01:15 BST-02:15", "2026-10-25T02:15+00:00"),  # was "01:15-01:15"
        ("2026-10-25T01:15+00:00", "01:15 GMT-02:15", "2026-10-25T02:15+00:00"),
        ("2026-10-25T00:15+01:00", "00:15-01:15 BST", "2026-10-25T01:15+01:00"),
    ],
)
def test_the_agenda_tells_the_two_0115s_apart(
    seeded: Callable[..., Result], to: str, shown: str, end: str
) -> None:
    a_meeting_moved_into_the_repeated_hour(seeded, to)
    listed = seeded("agenda", "--from", "2026-10-25", "--to", "2026-10-31")
    assert listed.code == 0, listed.err
    moved, following = listed.out.splitlines()
    assert f"Sun 25 Oct 2026  {shown}  " in moved
    assert "Sat 31 Oct 2026  10:00-11:00  " in following  # a time the clocks show once stays bare
    [meeting] = json.loads(seeded("agenda", "--from", "2026-10-25", "--to", "2026-10-25", "--json").out)
    assert (meeting["start"], meeting["end"]) == (to, end)


def test_logging_the_other_0115_is_refused_naming_the_time_typed_and_the_moved_meeting(
    seeded: Callable[..., Result], db_path: Path
) -> None:
    a_meeting_moved_into_the_repeated_hour(seeded)
    before = stored(db_path)
    refused = seeded("log", BOARD, "--on", "2026-10-25T01:15+00:00", "--status", "attended")
    assert refused.code == 2
    assert refused.err.startswith("los: error: --on '2026-10-25T01:15+00:00': ")  # as typed, offset and all
    assert "meets at 01:15 BST that day" in refused.err  # its moved meeting, the first 01:15
    assert "does not meet that day" not in refused.err
    assert stored(db_path) == before


def test_logging_the_day_after_names_the_moved_meeting_as_the_nearest(seeded: Callable[..., Result]) -> None:
    a_meeting_moved_into_the_repeated_hour(seeded)
    refused = seeded("log", BOARD, "--on", "2026-10-26", "--status", "attended")
    assert refused.code == 2
    assert "its nearest meetings are Sun 25 Oct 2026 and Sat 31 Oct 2026" in refused.err  # not Sat 24


def utc_text(shown: str) -> str:
    return f"{datetime.fromisoformat(shown).astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"


def the_agenda_and_every_reader(
    los: Callable[..., Result], tmp_path: Path, first: str = "2026-10-01"
) -> None:
    """Our agenda and the export as icalendar and ical.js read it hold the same meetings from `first` to
    the end of 2026, each (title, UTC start, UTC end)."""
    listed = los("agenda", "--from", first, "--to", "2026-12-31", "--json")
    assert listed.code == 0, listed.err
    ours = sorted((m["title"], utc_text(m["start"]), utc_text(m["end"])) for m in json.loads(listed.out))
    exported = los("export", "ics", "--commitment", BOARD)
    assert exported.code == 0, exported.err
    path = tmp_path / "board.ics"
    path.write_text(exported.out, encoding="utf-8")
    since = ours[0][1]
    assert [m for m in read_with_icalendar(exported.out.encode()) if m[1] >= since] == ours, "icalendar"
    assert [m for m in read_with_icaljs(path) if m[1] >= since] == ours, "ical.js"


def test_a_short_meeting_in_the_second_of_the_repeated_hours_ends_in_it(
    seeded: Callable[..., Result], tmp_path: Path
) -> None:
    # 30 minutes from 01:05 GMT end at 01:35 GMT, not at 01:35 BST, an hour before they start.
    made = seeded(
        "schedule",
        BOARD,
        "--rrule",
        "FREQ=WEEKLY;BYDAY=SA",
        "--start",
        "2026-10-03T10:00",
        "--duration",
        "30",
    )
    assert made.code == 0, made.err
    assert seeded("move", BOARD, "--on", "2026-10-24", "--to", "2026-10-25T01:05+00:00").code == 0
    [shown] = json.loads(seeded("agenda", "--from", "2026-10-25", "--to", "2026-10-25", "--json").out)
    assert (shown["start"], shown["end"]) == ("2026-10-25T01:05+00:00", "2026-10-25T01:35+00:00")
    listed = seeded("agenda", "--from", "2026-10-25", "--to", "2026-10-25").out
    assert "Sun 25 Oct 2026  01:05 GMT-01:35 GMT  " in listed
    the_agenda_and_every_reader(seeded, tmp_path)


@pytest.mark.parametrize("to", ["2026-10-25T01:15+01:00", "2026-10-25T01:15+00:00"])
def test_a_moved_meeting_ends_in_the_agenda_when_it_ends_in_every_calendar(
    seeded: Callable[..., Result], tmp_path: Path, to: str
) -> None:
    # The agenda added the hour in elapsed time (01:15 BST to 01:15 GMT), the export on the wall clock.
    a_meeting_moved_into_the_repeated_hour(seeded, to)
    the_agenda_and_every_reader(seeded, tmp_path)


@pytest.mark.parametrize(
    ("start", "minutes", "first"),
    [
        # From 00:30 BST the day the clocks go back at 02:00 BST: 02:00 GMT, two and a half hours on.
        ("2026-10-25T00:30", "90", ("2026-10-25T00:30+01:00", "2026-10-25T02:00+00:00")),
        # From 00:30 GMT the day they go forward at 01:00 GMT: 02:30 BST, one hour on.
        ("2026-03-29T00:30", "120", ("2026-03-29T00:30+00:00", "2026-03-29T02:30+01:00")),
    ],
)
def test_a_series_over_a_clock_change_ends_in_the_agenda_when_it_ends_in_every_calendar(
    seeded: Callable[..., Result], tmp_path: Path, start: str, minutes: str, first: tuple[str, str]
) -> None:
    # Every calendar adds a series' length to each meeting on the wall clock: so does the agenda, and
    # the export gives them that length (a wall-clock DTEND gave ical.js a longer first meeting).
    made = seeded(
        "schedule", BOARD, "--rrule", "FREQ=WEEKLY;BYDAY=SU", "--start", start, "--duration", minutes
    )
    assert made.code == 0, made.err
    day = start[:10]
    [shown] = json.loads(seeded("agenda", "--from", day, "--to", day, "--json").out)
    assert (shown["start"], shown["end"]) == first
    the_agenda_and_every_reader(seeded, tmp_path, day)


def test_an_outlook_meeting_nearer_a_moved_one_in_time_is_that_meeting(
    seeded: Callable[..., Result], tmp_path: Path
) -> None:
    # Sundays at 02:30 (02:30 GMT on 25 October); the 18 October board was moved to 00:40 BST on the
    # 25th. Outlook's meeting at 01:50 BST is 1h10 after the moved board and 1h40 before the other (40
    # minutes on the clock).
    weekly_on_sundays(seeded, "2026-10-04T02:30")
    assert seeded("move", BOARD, "--on", "2026-10-18", "--to", "2026-10-25T00:40").code == 0
    path = outlook_file(tmp_path, (":20261025T015000", ""))  # 01:50 local: the first, BST
    applied = seeded("import", "ics", str(path), "--role", "lmcs", "--apply")
    assert applied.code == 0, applied.err
    assert agenda(seeded, "2026-10-25") == [
        ("2026-10-25T01:50+01:00", True, False, "attended"),  # the board moved from the 18th
        ("2026-10-25T02:30+00:00", False, False, "scheduled"),
    ]


def test_an_outlook_meeting_over_the_clock_change_keeps_its_length_on_the_clock(
    seeded: Callable[..., Result], tmp_path: Path
) -> None:
    # 00:30 BST to 02:00 GMT, in UTC as Outlook writes it: 90 minutes on the clock, 150 elapsed.
    path = outlook_file(tmp_path, (":20261024T233000Z", "DTEND:20261025T020000Z\r\n"))
    applied = seeded("import", "ics", str(path), "--role", "lmcs", "--apply")
    assert applied.code == 0, applied.err
    [entry] = json.loads(seeded("agenda", "--from", "2026-10-25", "--to", "2026-10-25", "--json").out)
    assert (entry["start"], entry["end"], entry["adhoc"]) == (
        "2026-10-25T00:30+01:00",
        "2026-10-25T02:00+00:00",
        True,
    )


def test_of_two_outlook_meetings_the_nearer_in_time_claims_the_scheduled_one(
    seeded: Callable[..., Result], tmp_path: Path
) -> None:
    # The board meets Sundays at 02:30; on 25 October that is 02:30 GMT. Outlook holds two meetings that
    # day: 00:50 BST (2h40 before it, but 1h40 on the clock) and 04:45 GMT (2h15 after it).
    weekly_on_sundays(seeded, "2026-10-04T02:30")
    path = outlook_file(tmp_path, (":20261025T005000", ""), (":20261025T044500", ""))  # local times
    applied = seeded("import", "ics", str(path), "--role", "lmcs", "--apply")
    assert applied.code == 0, applied.err
    assert agenda(seeded, "2026-10-25") == [
        ("2026-10-25T00:50+01:00", False, True, "attended"),  # an extra meeting
        ("2026-10-25T04:45+00:00", True, False, "attended"),  # the board, held later
    ]


def test_a_series_first_meeting_in_the_repeated_hour_is_exported_in_its_zone(
    seeded: Callable[..., Result], db_path: Path
) -> None:
    weekly_in_the_changing_hour(seeded, db_path, "2026-10-25T01:15")  # an older los's schedule
    exported = seeded("export", "ics", "--commitment", BOARD)
    assert exported.code == 0, exported.err
    [series] = icalendar.Calendar.from_ical(exported.out).walk("VEVENT")
    # In UTC, the series would meet at 00:15 UTC all year: 01:15 in summer, 00:15 in winter.
    assert series["DTSTART"].params["TZID"] == "Europe/London"


def test_two_meetings_at_the_repeated_time_are_named_apart_when_a_day_is_not_enough(
    seeded: Callable[..., Result],
) -> None:
    """A day holding the meeting at 01:15 BST and an extra one at 01:15 GMT: asked for by its day, the
    refusal names the two times so that they read as two ("01:15, 01:15" would not say which to give)."""
    weekly_on_sundays(seeded, "2026-10-04T10:00")
    assert seeded("move", BOARD, "--on", "2026-10-25", "--to", "2026-10-25T01:15+01:00").code == 0
    extra = seeded("log", BOARD, "--on", "2026-10-25T01:15+00:00", "--extra", "--status", "attended")
    assert extra.code == 0, extra.err
    refused = seeded("log", BOARD, "--on", "2026-10-25", "--status", "missed")
    assert refused.code != 0
    assert "(01:15 BST, 01:15 GMT)" in refused.err, refused.err


def test_an_import_preview_names_apart_two_meetings_at_the_repeated_time(
    seeded: Callable[..., Result], tmp_path: Path
) -> None:
    """Outlook's file with a meeting at each 01:30 of 25 October 2026: the preview says which is which."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//tests//los//EN")
    calendar.add("version", "2.0")
    for number, at in enumerate(
        (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), datetime(2026, 10, 25, 1, 30, tzinfo=UTC))
    ):
        event = icalendar.Event()
        event.add("uid", f"repeated-hour-{number}@tests")
        event.add("summary", "Corporate parenting panel")
        event.add("dtstart", at)
        event.add("dtend", at.replace(hour=at.hour + 1))
        event.add("dtstamp", datetime(2026, 10, 1, tzinfo=UTC))
        calendar.add_component(event)
    saved = tmp_path / "outlook.ics"
    saved.write_bytes(calendar.to_ical())
    preview = seeded("import", "ics", str(saved))
    assert preview.code == 0, preview.err
    assert "Sun 25 Oct 2026  01:30 BST" in preview.out, preview.out
    assert "Sun 25 Oct 2026  01:30 GMT" in preview.out, preview.out


def test_an_imported_time_the_clocks_skip_is_shown_as_the_clocks_read_it(
    seeded: Callable[..., Result], tmp_path: Path
) -> None:
    """A meeting written at 01:30 on 29 March 2026, a time London never shows: RFC 5545 reads it with the
    offset before the gap, 01:30 GMT, which the clocks show as 02:30 BST. The preview said 01:30 GMT
    and the entry was logged at 02:30."""
    saved = tmp_path / "outlook.ics"
    saved.write_bytes(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//tests//los//EN\r\nBEGIN:VEVENT\r\nUID:skipped@tests\r\n"
        b"DTSTAMP:20260301T000000Z\r\nSUMMARY:Visit to a team\r\n"
        b"DTSTART;TZID=Europe/London:20260329T013000\r\nDTEND;TZID=Europe/London:20260329T033000\r\n"
        b"END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    preview = seeded("import", "ics", str(saved), "--role", "lmcs")
    assert preview.code == 0, preview.err
    assert "Sun 29 Mar 2026  02:30" in preview.out and "01:30" not in preview.out, preview.out
    as_json = json.loads(seeded("import", "ics", str(saved), "--role", "lmcs", "--json").out)
    (meeting,) = as_json["meetings"]
    assert (meeting["start"], meeting["end"]) == ("2026-03-29T02:30+01:00", "2026-03-29T03:30+01:00")
    assert seeded("import", "ics", str(saved), "--role", "lmcs", "--apply").code == 0
    agenda = json.loads(seeded("agenda", "--from", "2026-03-29", "--to", "2026-03-29", "--json").out)
    assert [(o["start"], o["end"]) for o in agenda if o["title"] == "Visit to a team"] == [
        ("2026-03-29T02:30+01:00", "2026-03-29T03:30+01:00")
    ]


# -- A time typed without an offset in the hour the clocks repeat: never a guess at which of the two --------
TEAM_VISITS = "lmcs-team-visits"  # ad hoc: a time no entry is at records a new one


def twice(typed: str) -> str:
    """The refusal of `typed`, a time in the repeated hour, as the user reads it after the option."""
    wall = typed.split("T")[1]
    return (
        f"'{typed}': {wall} happens twice in Europe/London that night (the clocks go back): "
        f"give {typed}+01:00 for the first (BST) or {typed}+00:00 for the second (GMT)"
    )


def monthly_board(los: Callable[..., Result]) -> None:
    """The board meets on the second Tuesday of each month at 18:30, as the tester's diary had it."""
    made = los(
        "schedule",
        BOARD,
        "--rrule",
        "FREQ=MONTHLY;BYDAY=2TU",
        "--start",
        "2026-01-13T18:30",
        "--duration",
        "120",
    )
    assert made.code == 0, made.err


@pytest.mark.parametrize(
    ("command", "option", "typed"),
    [
        (
            ("log", TEAM_VISITS, "--on", "2026-10-25T01:30", "--status", "attended"),
            "--on",
            "2026-10-25T01:30",
        ),
        (("move", BOARD, "--on", "2026-10-13", "--to", "2026-10-25T01:30"), "--to", "2026-10-25T01:30"),
        (
            ("log", BOARD, "--on", "2026-10-25T01:45", "--extra", "--status", "attended"),
            "--on",
            "2026-10-25T01:45",
        ),
        (
            ("log", TEAM_VISITS, "--on", "2026-10-25T01:00", "--status", "attended"),
            "--on",
            "2026-10-25T01:00",
        ),
        (
            ("log", TEAM_VISITS, "--on", "2026-10-25T01:59", "--status", "attended"),
            "--on",
            "2026-10-25T01:59",
        ),
    ],
    ids=["log-ad-hoc", "move-to", "log-extra", "first-minute", "last-minute"],
)
def test_a_time_the_clocks_show_twice_is_refused_saying_how_to_give_each(
    seeded: Callable[..., Result], db_path: Path, command: tuple[str, ...], option: str, typed: str
) -> None:
    monthly_board(seeded)
    refused = seeded(*command)
    assert refused.code == 2, refused.out
    assert refused.err == f"los: error: {option} {twice(typed)}\n"
    assert stored(db_path) == []  # nothing recorded, nothing moved
    assert agenda(seeded, "2026-10-25") == []


@pytest.mark.parametrize(
    ("typed", "shown"),
    [("2026-10-25T01:30+01:00", "01:30 BST-02:30"), ("2026-10-25T01:30+00:00", "01:30 GMT-02:30")],
)
def test_either_time_the_refusal_suggests_is_recorded_as_given(
    seeded: Callable[..., Result], typed: str, shown: str
) -> None:
    logged = seeded("log", TEAM_VISITS, "--on", typed, "--status", "attended")
    assert logged.code == 0, logged.err
    assert f"Sun 25 Oct 2026  {shown}  attended" in logged.out
    assert agenda(seeded, "2026-10-25") == [(typed, False, True, "attended")]


@pytest.mark.parametrize(
    "command",
    [
        ("log", TEAM_VISITS, "--on", "2026-03-29T01:30", "--status", "attended"),
        ("move", BOARD, "--on", "2026-03-10", "--to", "2026-03-29T01:30"),
    ],
)
def test_a_time_the_clocks_skip_is_still_refused(
    seeded: Callable[..., Result], command: tuple[str, ...]
) -> None:
    monthly_board(seeded)
    refused = seeded(*command)
    assert refused.code == 2
    assert (
        "'2026-03-29T01:30': that time does not exist in Europe/London (the clocks go forward)" in refused.err
    )


def test_a_series_started_in_the_repeated_hour_is_refused_for_the_series_not_for_its_offset(
    seeded: Callable[..., Result],
) -> None:
    """A series meets at a wall time every week: no offset makes 01:30 one moment each year, so the
    refusal is the schedule's own, not advice to give an offset it would refuse next."""
    refused = seeded("schedule", BOARD, "--rrule", "FREQ=WEEKLY;BYDAY=SU", "--start", "2026-10-25T01:30")
    assert refused.code == 2
    assert "a schedule's time must be one real moment every day" in refused.err
    assert "+01:00" not in refused.err


def test_the_bare_time_names_the_one_meeting_at_either_of_the_two(
    seeded: Callable[..., Result], db_path: Path
) -> None:
    """The board's one meeting at 01:15 that night is the second (GMT): a log cannot add an entry beside
    it without --extra, so 01:15 alone can mean nothing else, and every command that names a meeting
    takes it."""
    weekly_on_sundays(seeded, "2026-10-04T10:00")
    assert seeded("factors", BOARD, "7").code == 0
    assert seeded("move", BOARD, "--on", "2026-10-25", "--to", "2026-10-25T01:15+00:00").code == 0
    for command in (
        ("log", BOARD, "--on", "2026-10-25T01:15", "--status", "attended"),
        ("ask", BOARD, "--on", "2026-10-25T01:15", "--question", "7.4"),
        ("prep", BOARD, "--on", "2026-10-25T01:15"),
    ):
        named = seeded(*command)
        assert named.code == 0, (command, named.err)
        assert "Sun 25 Oct 2026  01:15 GMT-02:15" in named.out, (command, named.out)
    added = seeded("action", "add", BOARD, "--on", "2026-10-25T01:15", "--text", "Ask for the audit")
    assert added.code == 0, added.err
    assert agenda(seeded, "2026-10-25") == [("2026-10-25T01:15+00:00", True, False, "attended")]
    assert len(stored(db_path)) == 1  # the action and the question are the meeting's: no entry beside it
    moved = seeded("move", BOARD, "--on", "2026-10-25T01:15", "--to", "2026-10-25T11:00")
    assert moved.code == 0, moved.err
    assert agenda(seeded, "2026-10-25") == [("2026-10-25T11:00+00:00", True, False, "attended")]


def test_two_meetings_at_the_repeated_time_are_not_named_by_the_time_alone(
    seeded: Callable[..., Result], db_path: Path
) -> None:
    weekly_on_sundays(seeded, "2026-10-04T10:00")
    assert seeded("move", BOARD, "--on", "2026-10-25", "--to", "2026-10-25T01:15+01:00").code == 0
    extra = seeded("log", BOARD, "--on", "2026-10-25T01:15+00:00", "--extra", "--status", "apologies")
    assert extra.code == 0, extra.err
    before = stored(db_path)
    for command in (
        ("log", BOARD, "--on", "2026-10-25T01:15", "--status", "attended"),
        ("move", BOARD, "--on", "2026-10-25T01:15", "--to", "2026-10-25T10:00"),
    ):
        refused = seeded(*command)
        assert refused.code == 2, command
        assert refused.err == f"los: error: --on {twice('2026-10-25T01:15')}\n"
    assert stored(db_path) == before


def test_an_entry_in_the_repeated_hour_is_not_named_by_the_time_alone_where_a_new_one_could_be(
    seeded: Callable[..., Result], db_path: Path
) -> None:
    """Team visits have no schedule: 01:30 alone could be the visit recorded at 01:30 BST or a second
    visit at 01:30 GMT, which `los log` would record. Refused, and the visit keeps its status."""
    assert seeded("log", TEAM_VISITS, "--on", "2026-10-25T01:30+01:00", "--status", "attended").code == 0
    refused = seeded("log", TEAM_VISITS, "--on", "2026-10-25T01:30", "--status", "missed")
    assert refused.code == 2
    assert refused.err == f"los: error: --on {twice('2026-10-25T01:30')}\n"
    assert agenda(seeded, "2026-10-25") == [("2026-10-25T01:30+01:00", False, True, "attended")]
