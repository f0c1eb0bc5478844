"""The app's first look at the diary (stdlib sqlite3, before SQLAlchemy loads) shows exactly what the
diary itself would, and steps aside for anything it does not recognise."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from diary_testing import NOW, PACKAGE_ROOT

from los_tui.domain.model import Frequency, Role, Status
from los_tui.services.diary import Diary
from los_tui.services.first_look import peek_agenda

BOARD = "lmcs-improvement-board"


@pytest.fixture
def lived_in(db_path: Path) -> Path:
    """A diary with a changed schedule, logs, notes, a move across a month edge, a cancellation, an
    ad hoc entry, an all-day entry and a retired commitment."""
    diary = Diary.open(db_path, clock=lambda: NOW)
    diary.init("both")
    diary.commitments.schedule(
        BOARD, "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2", datetime(2026, 1, 13, 18, 30), 120, "Town Hall"
    )
    diary.commitments.schedule(
        BOARD,
        "FREQ=MONTHLY;BYDAY=TH;BYSETPOS=1",
        datetime(2026, 7, 2, 10, 0),
        effective_from=date(2026, 7, 1),
    )
    diary.commitments.schedule("dcs-psw-meeting", "FREQ=MONTHLY;BYDAY=-1FR", datetime(2025, 1, 31, 9, 0), 60)
    march = diary.meetings.agenda(date(2026, 3, 1), date(2026, 3, 31), slugs=[BOARD])[0]
    diary.meetings.save_note(
        diary.meetings.set_status(march, Status.ATTENDED), "Agency staff: ask for figures ✓"
    )
    april = diary.meetings.agenda(date(2026, 4, 1), date(2026, 4, 30), slugs=[BOARD])[0]
    diary.meetings.move(april, datetime(2026, 5, 1, 10, 0, tzinfo=NOW.tzinfo))
    october = diary.meetings.agenda(date(2026, 10, 1), date(2026, 10, 31), slugs=["dcs-psw-meeting"])[0]
    diary.meetings.set_status(october, Status.CANCELLED)
    diary.meetings.add_adhoc(
        "lmcs-team-visits", datetime(2026, 10, 2, 14, 0, tzinfo=NOW.tzinfo), False, Status.ATTENDED
    )
    diary.meetings.add_adhoc("lmcs-cicc", datetime(2026, 11, 3, tzinfo=NOW.tzinfo), True, None, "all day")
    added = diary.commitments.add("Visit to the MASH", Role.LMCS, Frequency.QUARTERLY)
    diary.commitments.schedule(
        added.slug, "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=5", datetime(2026, 1, 5, 11, 0)
    )
    diary.commitments.retire(added.slug, date(2026, 8, 1))
    diary.close()
    return db_path


@pytest.mark.parametrize(
    ("first", "last"),
    [
        (date(2026, 3, 23), date(2026, 5, 3)),  # the March clock change and the move into May
        (date(2026, 6, 29), date(2026, 8, 9)),  # the schedule change and the retirement
        (date(2026, 9, 28), date(2026, 11, 8)),  # the October clock change, cancelled and ad hoc
        (date(2026, 10, 26), date(2026, 12, 6)),  # the month the app opens on
    ],
)
def test_the_first_look_shows_what_the_diary_shows(lived_in: Path, first: date, last: date) -> None:
    diary = Diary.open(lived_in, clock=lambda: NOW)
    expected = diary.meetings.agenda(first, last)
    diary.close()
    assert expected  # the window is not empty, so agreement means something
    assert peek_agenda(lived_in, first, last, "Europe/London") == expected


def test_no_first_look_at_a_missing_empty_foreign_or_unreachable_file(tmp_path: Path) -> None:
    window = (date(2026, 11, 1), date(2026, 11, 30), "Europe/London")
    assert peek_agenda(tmp_path / "none.sqlite3", *window) is None
    empty = tmp_path / "empty.sqlite3"
    empty.write_bytes(b"")
    assert peek_agenda(empty, *window) is None
    foreign = tmp_path / "foreign.sqlite3"
    with sqlite3.connect(foreign) as connection:
        connection.execute("CREATE TABLE commitments (x)")
    assert peek_agenda(foreign, *window) is None
    # A path the system cannot even look up (a name too long) is no first look either, not an error.
    assert peek_agenda(tmp_path / ("a" * 300) / "diary.sqlite3", *window) is None


def test_no_first_look_before_set_up_or_at_another_schema(db_path: Path) -> None:
    window = (date(2026, 11, 1), date(2026, 11, 30), "Europe/London")
    Diary.open(db_path, clock=lambda: NOW).close()
    assert peek_agenda(db_path, *window) is None  # no role chosen yet: the first start must ask
    diary = Diary.open(db_path, clock=lambda: NOW)
    diary.init("lmcs")
    diary.close()
    assert peek_agenda(db_path, *window) == []
    with sqlite3.connect(db_path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    assert peek_agenda(db_path, *window) is None  # a newer schema: only the full open may judge it


def test_a_stored_rule_that_will_not_expand_is_skipped_by_the_first_look(lived_in: Path) -> None:
    window = (date(2026, 11, 1), date(2026, 11, 30), "Europe/London")
    before = peek_agenda(lived_in, *window)
    assert before is not None and any(o.original_start is not None for o in before)
    with sqlite3.connect(lived_in) as connection:  # another program writes a rule dateutil refuses
        connection.execute("UPDATE schedules SET rrule = 'FREQ=FORTNIGHTLY'")
    after = peek_agenda(lived_in, *window)
    # The series is skipped (the commitments screen says why); what was logged on its own still shows.
    assert after == [o for o in before if o.original_start is None]


def test_opening_the_app_module_loads_no_sqlalchemy() -> None:
    script = "import sys, los_tui.app; print('sqlalchemy' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(PACKAGE_ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert done.stdout.strip() == "False"
