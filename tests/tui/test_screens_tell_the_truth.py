"""Screens tell the truth (issue 14, items 6-9 and 13): driven through the real app on a real diary."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from diary_testing import NOW
from textual.widgets import Input, Select
from tui_support import NOVEMBER_BOARD, at_the_november_board, press_and_settle, settle, stored

from los_tui.screens.month import MonthScreen
from los_tui.screens.occurrence import OccurrenceScreen
from los_tui.screens.schedule_form import ScheduleForm


async def test_a_series_change_that_removes_the_open_meeting_closes_its_screen(db_path: Path) -> None:
    async with at_the_november_board(db_path, (80, 24)) as (app, pilot):
        meeting = app.screen
        assert isinstance(meeting, OccurrenceScreen)
        await meeting.run_action("change_series")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ScheduleForm)
        form.query_one("#which", Select).value = "3"  # third Tuesdays from 1 November: not the 10th
        form.query_one("#from", Input).value = "2026-11-01"
        await press_and_settle(pilot, "ctrl+s")
        assert isinstance(app.screen, MonthScreen)  # the meeting it showed is gone: so is its screen
        assert any("10 Nov" in n.message and "no longer" in n.message for n in app._notifications)
        await press_and_settle(pilot, "d")
        assert stored(db_path, NOVEMBER_BOARD) == []  # no phantom
        assert [o.start.day for o in stored(db_path, date(2026, 11, 17))] == [17]
        assert NOW.day == 26
        assert app.screen.by_day.get(NOVEMBER_BOARD) is None


async def test_a_series_change_that_keeps_the_open_meeting_refreshes_it(db_path: Path) -> None:
    async with at_the_november_board(db_path, (80, 24)) as (app, pilot):
        meeting = app.screen
        assert isinstance(meeting, OccurrenceScreen)
        await meeting.run_action("change_series")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ScheduleForm)
        form.query_one("#location", Input).value = "Civic Centre"
        form.query_one("#from", Input).value = "2026-11-01"
        await press_and_settle(pilot, "ctrl+s")
        assert app.screen is meeting
        assert meeting.occurrence.location == "Civic Centre"
        await press_and_settle(pilot, "d")
        assert stored(db_path, NOVEMBER_BOARD)[0].status_label == "delegated"
