"""The issue's "done when": a newcomer schedules the monthly board, finds next month's meeting, logs last
month's with a note and an action, moves one, and finds it all again after a restart: at 80x24, keys
only, each of them one the README's walkthrough gives."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from diary_testing import NOW
from textual.widgets import DataTable
from tui_support import BOARD, make_app, press_and_settle, settle, settled, stored

from los_tui.screens.meeting import MeetingScreen
from los_tui.screens.month import MonthScreen
from los_tui.services.diary import Diary


async def test_a_newcomers_first_ten_minutes(db_path: Path) -> None:
    diary = Diary.open(db_path, clock=lambda: NOW)
    diary.init("lmcs")
    diary.close()
    app = make_app(db_path)
    async with settled(app, (80, 24)) as pilot:
        # 1. Schedule the monthly Improvement Board from the commitments screen.
        await press_and_settle(pilot, "f4")
        table = app.screen.query_one(DataTable)
        while table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value != BOARD:
            await pilot.press("down")
        await press_and_settle(pilot, "e")
        await pilot.press("tab", "tab", "tab", "enter", "down", "enter")  # which: second (Tuesday is preset)
        await pilot.press("tab", "tab", *["backspace"] * 5, *"18:30")
        await pilot.press("tab", *["backspace"] * 2, *"120")
        await pilot.press("tab", *"Town Hall")
        await press_and_settle(pilot, "tab", *["backspace"] * 10, *"2026-01-01", "ctrl+s")
        assert "second Tuesday of every month, 18:30-20:30, Town Hall" in table.get_row(BOARD)[1].plain
        # 2. Find next month's meeting.
        await press_and_settle(pilot, "f2", "pagedown")
        month = app.screen
        assert isinstance(month, MonthScreen)
        assert [d for d in month.by_day if d.month == 12] == [date(2026, 12, 8)]
        # 3. Log last month's: the meeting opens writing its note; alt+a marks it attended from there,
        # alt+n adds an action. Nothing typed runs a command.
        await press_and_settle(pilot, "t", "pageup", "up", "up", "right")  # Mon 26 Oct -> Tue 13 Oct
        await press_and_settle(pilot, "enter")
        assert isinstance(app.screen, MeetingScreen)
        await press_and_settle(pilot, *"Agency staffing discussed, madam chair", "alt+a", "alt+n")
        await press_and_settle(
            pilot, *"Circulate the staffing paper", "tab", *"PA", "tab", *"2026-11-30", "enter"
        )
        await press_and_settle(pilot, "escape")
        # 4. Move November's meeting to the Thursday: the dialog opens with the date chosen, the cursor
        # after it; cleared, the new one typed.
        await press_and_settle(pilot, "t", "up", "up", "left", "left", "enter", "alt+m")
        await press_and_settle(pilot, "ctrl+u", *"2026-11-12 18:30", "enter")
        await pilot.press("escape", "q")
    # 5. After a restart, it is all still there.
    again = make_app(db_path)
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        month = again.screen
        assert isinstance(month, MonthScreen)
        assert [o.start.day for d, day in month.by_day.items() if d.month == 11 for o in day] == [12]
    [october] = stored(db_path, date(2026, 10, 13))
    assert (october.status_label, october.note) == ("attended", "Agency staffing discussed, madam chair")
    diary = Diary.open(db_path, clock=lambda: NOW, create=False)
    [action] = diary.actions.list(october)
    diary.close()
    assert (action.text, action.owner, action.due) == (
        "Circulate the staffing paper",
        "PA",
        date(2026, 11, 30),
    )
    [november] = stored(db_path, date(2026, 11, 12))
    assert november.is_moved and november.original_start == datetime(2026, 11, 10, 18, 30, tzinfo=NOW.tzinfo)
