"""`los schedule`, `agenda`, `review`, `commitments` and `export ics` with the rules a user may type and the
rules a diary may hold: refused in one line, warned about, left out and listed, never a crash, never a
listing cut short in silence."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
from diary_testing import Result, diary_digest, execute_sql

pytestmark = pytest.mark.both_backends  # a diary file, then a database on the server

BOARD = "lmcs-improvement-board"
CICC = "lmcs-cicc"
START = "2026-01-13T18:30"
LONDON = ZoneInfo("Europe/London")


digest = diary_digest


def store_rule_outside_los(db: Path, slug: str, rule: str) -> None:
    """What another program (or a hand-edited diary) may leave in the schedules table."""
    execute_sql(
        db,
        "UPDATE schedules SET rrule = ? WHERE commitment_id = (SELECT id FROM commitments WHERE slug = ?)",
        (rule, slug),
    )


@pytest.fixture
def board(seeded: Callable[..., Result]) -> Callable[..., Result]:
    assert seeded("schedule", BOARD, "--rrule", "FREQ=MONTHLY;BYDAY=2TU", "--start", START).code == 0
    return seeded


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("FREQ=MONTHLY;BYDAY=9MO", "BYDAY=9MO"),
        ("FREQ=MONTHLY;BYDAY=53MO", "BYDAY=53MO"),
        ("FREQ=MONTHLY;INTERVAL=²", "INTERVAL=²"),
        ("FREQ=MONTHLY;COUNT=²", "COUNT=²"),
        ("FREQ=DAILY;INTERVAL=99999999999999999999", "from 1 to 99"),
        ("FREQ=DAILY;BYHOUR=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23", "several hours"),
        ("FREQ=DAILY;BYHOUR=18;BYMINUTE=" + ",".join(str(m) for m in range(60)), "several minutes"),
        (
            "FREQ=YEARLY;BYMONTH=1,2,3,4,5,6,7,8,9,10,11,12;BYDAY=MO,TU,WE,TH,FR,SA,SU;BYHOUR="
            + ",".join(str(h) for h in range(24)),
            "several hours",
        ),
        ("FREQ=MONTHLY\nBYDAY=MO", "line break"),
    ],
)
def test_a_bad_rule_is_refused_in_one_line_with_exit_2_and_nothing_written(
    board: Callable[..., Result], db_path: Path, rule: str, words: str
) -> None:
    before = digest(db_path)
    result = board("schedule", CICC, "--rrule", rule, "--start", START)
    assert result.code == 2
    assert len(result.err.splitlines()) == 1 and words in result.err and "--rrule" in result.err
    assert "Traceback" not in result.err and "internal error" not in result.err
    assert digest(db_path) == before


@pytest.mark.parametrize(
    ("start", "words"),
    [
        ("2026-01-11T01:30", "does not exist when the clocks go forward"),
        ("2026-04-12T01:15", "happens twice when the clocks go back"),
    ],
)
def test_a_schedule_in_the_hour_the_clocks_change_is_refused_saying_why(
    board: Callable[..., Result], db_path: Path, start: str, words: str
) -> None:
    before = digest(db_path)
    result = board("schedule", CICC, "--rrule", "FREQ=WEEKLY;BYDAY=SU", "--start", start)
    assert result.code == 2
    assert len(result.err.splitlines()) == 1 and words in result.err and "01:00-02:00" in result.err
    assert digest(db_path) == before


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=MONTHLY;BYDAY=MO",
        "FREQ=MONTHLY;BYMONTHDAY=15;BYDAY=MO",
        "FREQ=MONTHLY;BYMONTH=1,4,7,10;BYMONTHDAY=20",
        "FREQ=WEEKLY;BYMONTH=6",
        "FREQ=YEARLY;BYWEEKNO=20;BYDAY=TU",
        "FREQ=YEARLY;BYYEARDAY=13",
        "FREQ=MONTHLY;BYMONTHDAY=31",
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
    ],
)
def test_a_rule_outlook_cannot_hold_is_kept_with_a_warning_then_left_out_and_listed(
    board: Callable[..., Result], rule: str
) -> None:
    scheduled = board("schedule", CICC, "--rrule", rule, "--start", START)
    assert scheduled.code == 0
    [warning] = scheduled.err.splitlines()
    assert warning.startswith("los: warning: Outlook cannot import this schedule (")
    assert "`los export ics` will leave it out" in warning
    exported = board("export", "ics", "--commitment", CICC, "--commitment", BOARD)
    assert exported.code == 0
    assert f"Left out {CICC}: Outlook cannot import its schedule" in exported.err
    summaries = [str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(exported.out).walk("VEVENT")]
    assert summaries == ["Children's Improvement Board"]


def test_an_outlook_pattern_is_scheduled_without_a_warning(board: Callable[..., Result]) -> None:
    result = board("schedule", CICC, "--rrule", "FREQ=MONTHLY;BYMONTHDAY=-1", "--start", "2026-01-31T10:00")
    assert result.code == 0 and result.err == ""
    assert "the last day of every month" in result.out


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=DAILY;INTERVAL=99999999999999999999",
        "FREQ=DAILY;BYHOUR=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23;BYMINUTE="
        + ",".join(str(m) for m in range(60)),
        "FREQ=MONTHLY;BYDAY=9MO",
        "FREQ=FORTNIGHTLY",
    ],
)
def test_a_stored_rule_written_outside_los_is_named_and_skipped_by_every_command(
    board: Callable[..., Result], db_path: Path, rule: str
) -> None:
    assert (
        board("schedule", CICC, "--rrule", "FREQ=MONTHLY;BYDAY=1WE", "--start", "2026-01-07T10:00").code == 0
    )
    store_rule_outside_los(db_path, CICC, rule)
    exported = board("export", "ics")
    assert exported.code == 0, exported.err
    assert f"Left out {CICC}: its schedule has a stored rule los cannot use" in exported.err
    masters = [e for e in icalendar.Calendar.from_ical(exported.out).walk("VEVENT") if "RRULE" in e]
    assert [str(e["SUMMARY"]) for e in masters] == ["Children's Improvement Board"]
    agenda = board("agenda", "--from", "2026-12-01", "--to", "2026-12-31")
    assert agenda.code == 0
    assert "Children's Improvement Board" in agenda.out
    assert f"los: warning: {CICC} (" in agenda.err and "is skipped" in agenda.err
    review = board("review", "--quarter", "2026-Q4")
    assert review.code == 0 and f"los: warning: {CICC} (" in review.err
    listing = board("commitments")
    assert listing.code == 0 and "not in use: its stored rule" in listing.out
    assert f"los: warning: {CICC} (" in listing.err


def test_a_listing_too_long_to_show_is_refused_not_cut_short(board: Callable[..., Result]) -> None:
    assert board("schedule", CICC, "--rrule", "FREQ=DAILY", "--start", "2026-01-01T09:00").code == 0
    everything = board("agenda", "--from", "2026-01-01", "--to", "2199-12-31", "--json")
    assert everything.code == 2
    assert len(everything.err.splitlines()) == 1
    assert "more than 10,000 meetings of lmcs-cicc" in everything.err and "shorter range" in everything.err
    year = board("agenda", "--from", "2026-01-01", "--to", "2026-12-31", "--json")
    assert year.code == 0
    assert [row["commitment"] for row in json.loads(year.out)].count(CICC) == 365


def test_a_counted_series_beyond_twenty_years_is_exported_to_its_last_meeting(
    board: Callable[..., Result],
) -> None:
    """COUNT=300 monthly runs to 2050; the export once cut it where its own twenty-year scan stopped."""
    assert (
        board(
            "schedule", CICC, "--rrule", "FREQ=MONTHLY;BYDAY=1WE;COUNT=300", "--start", "2026-01-07T10:00"
        ).code
        == 0
    )
    exported = board("export", "ics", "--commitment", CICC)
    assert exported.code == 0
    calendar = icalendar.Calendar.from_ical(exported.out)
    meetings = recurring_ical_events.of(calendar).between(date(2026, 1, 1), date(2060, 1, 1))
    starts = sorted(m.decoded("DTSTART") for m in meetings)
    assert len(starts) == 300
    assert starts[-1] == datetime(2050, 12, 7, 10, 0, tzinfo=LONDON)
