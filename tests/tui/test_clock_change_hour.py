"""The hour the clocks go back (25 October 2026: 01:xx BST, then 01:xx GMT), on screen: a meeting moved
there shows which 01:15 it is, as `los agenda` does, and a time typed there without saying which of the
two is refused in the dialog, as `los` refuses it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from diary_testing import NOW
from textual.widgets import DataTable, Input, Select, Static
from tui_support import BOARD, make_app, press_and_settle, settled, stored

from los_tui.screens.adhoc import AdhocEntry
from los_tui.screens.meeting import MeetingScreen
from los_tui.services.diary import Diary
from los_tui.widgets.month_grid import day_lines


@pytest.mark.parametrize(
    ("to", "shown"),
    [
        (datetime(2026, 10, 25, 0, 15, tzinfo=UTC), "01:15 BST-02:15"),  # the first 01:15
        (datetime(2026, 10, 25, 1, 15, tzinfo=UTC), "01:15 GMT-02:15"),  # the second
    ],
)
async def test_the_agenda_screen_tells_the_two_0115s_apart(db_path: Path, to: datetime, shown: str) -> None:
    diary = Diary.open(db_path, clock=lambda: NOW)
    diary.init("both")
    diary.commitments.schedule(BOARD, "FREQ=WEEKLY;BYDAY=SA", datetime(2026, 10, 3, 10, 0))
    [saturday] = diary.meetings.agenda(date(2026, 10, 24), date(2026, 10, 24), slugs=[BOARD])
    diary.meetings.move(saturday, to)
    diary.close()
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        await press_and_settle(pilot, "f3", "v")  # the next 30 days -> this quarter (October on)
        table = app.screen.query_one(DataTable)
        rows = [" ".join(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count)]
        [moved] = [row for row in rows if "25 Oct" in row]
        assert shown in moved
        assert any("Sat 31 Oct 2026 10:00-11:00" in row for row in rows)  # shown once: no zone named


async def test_moving_a_meeting_at_the_second_0115_to_the_time_offered_leaves_it_there(db_path: Path) -> None:
    diary = Diary.open(db_path, clock=lambda: NOW)
    diary.init("both")
    diary.commitments.schedule(BOARD, "FREQ=WEEKLY;BYDAY=SA", datetime(2026, 10, 3, 10, 0))
    [saturday] = diary.meetings.agenda(date(2026, 10, 24), date(2026, 10, 24), slugs=[BOARD])
    diary.meetings.move(saturday, datetime(2026, 10, 25, 1, 15, tzinfo=UTC))  # the second 01:15, GMT
    diary.close()
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        await press_and_settle(pilot, "f3", "v", "down", "down", "down", "enter")  # 3, 10, 17, then 25 Oct
        assert isinstance(app.screen, MeetingScreen)
        assert app.screen.occurrence.start.astimezone(UTC) == datetime(2026, 10, 25, 1, 15, tzinfo=UTC)
        await press_and_settle(pilot, "alt+m")
        offered = app.screen.query_one("#move-to", Input).value
        assert offered == "2026-10-25 01:15+00:00"  # "01:15" alone is the first 01:15, an hour earlier
        await press_and_settle(pilot, "ctrl+s")
        assert any(n.message == "Moved to Sun 25 Oct 01:15 GMT." for n in app._notifications)
    [moved] = stored(db_path, date(2026, 10, 25))
    assert moved.start.astimezone(UTC) == datetime(2026, 10, 25, 1, 15, tzinfo=UTC)


@pytest.mark.parametrize(
    ("to", "shown"),
    [
        (datetime(2026, 10, 25, 0, 15, tzinfo=UTC), "01:15 BST"),  # the first 01:15
        (datetime(2026, 10, 25, 1, 15, tzinfo=UTC), "01:15 GMT"),  # the second
    ],
)
def test_the_month_grid_tells_the_two_0115s_apart(db_path: Path, to: datetime, shown: str) -> None:
    diary = Diary.open(db_path, clock=lambda: NOW)
    diary.init("both")
    diary.commitments.schedule(BOARD, "FREQ=WEEKLY;BYDAY=SA", datetime(2026, 10, 3, 10, 0))
    [saturday] = diary.meetings.agenda(date(2026, 10, 24), date(2026, 10, 24), slugs=[BOARD])
    diary.meetings.move(saturday, to)
    meetings = diary.meetings.agenda(date(2026, 10, 25), date(2026, 10, 31), slugs=[BOARD])
    lines = [line.plain for line in day_lines(meetings, 24, 4, diary.meetings.zone, NOW, {})]
    diary.close()
    assert any(shown in line for line in lines), lines
    assert not any("10:00 GMT" in line for line in lines), lines  # 31 Oct's 10:00: no zone named


TEAM_VISITS = "lmcs-team-visits"  # no schedule: an entry is recorded at the time typed
TWICE = (
    "01:30 happens twice in Europe/London that night (the clocks go back): give 2026-10-25 01:30+01:00 for "
    "the first (BST) or 2026-10-25 01:30+00:00 for the second (GMT)"
)


async def test_an_entry_typed_in_the_repeated_hour_is_refused_until_it_says_which(db_path: Path) -> None:
    diary = Diary.open(db_path, clock=lambda: NOW)
    diary.init("both")
    diary.close()
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        await press_and_settle(pilot, "f6")
        dialog = app.screen
        assert isinstance(dialog, AdhocEntry)
        dialog.query_one("#adhoc-commitment", Select).value = TEAM_VISITS
        dialog.query_one("#adhoc-when", Input).value = "2026-10-25 01:30"
        await press_and_settle(pilot, "ctrl+s")
        assert app.screen is dialog  # refused in the dialog: what was typed stays
        assert str(dialog.query_one("#form-error", Static).visual) == f"when '2026-10-25 01:30': {TWICE}"
        assert stored(db_path, date(2026, 10, 25), TEAM_VISITS) == []
        dialog.query_one("#adhoc-when", Input).value = "2026-10-25 01:30+00:00"  # as the refusal says
        await press_and_settle(pilot, "ctrl+s")
        assert app.screen is not dialog
    [entry] = stored(db_path, date(2026, 10, 25), TEAM_VISITS)
    assert entry.start.astimezone(UTC) == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # the second, GMT


async def test_a_move_typed_into_the_repeated_hour_is_refused_until_it_says_which(db_path: Path) -> None:
    diary = Diary.open(db_path, clock=lambda: NOW)
    diary.init("both")
    diary.commitments.schedule(BOARD, "FREQ=WEEKLY;BYDAY=SA", datetime(2026, 10, 3, 10, 0))
    diary.close()
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        await press_and_settle(pilot, "f3", "v", "down", "down", "down", "enter")  # 3, 10, 17, then 24 Oct
        assert isinstance(app.screen, MeetingScreen)
        await press_and_settle(pilot, "alt+m")
        dialog = app.screen
        dialog.query_one("#move-to", Input).value = "2026-10-25 01:30"
        await press_and_settle(pilot, "ctrl+s")
        assert app.screen is dialog
        error = str(dialog.query_one("#form-error", Static).visual)
        assert error == f"new date and time '2026-10-25 01:30': {TWICE}"
        dialog.query_one("#move-to", Input).value = "2026-10-25 01:30+01:00"
        await press_and_settle(pilot, "ctrl+s")
        assert app.screen is not dialog
    [moved] = stored(db_path, date(2026, 10, 25))
    assert moved.start.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # the first, BST
