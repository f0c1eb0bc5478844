"""Screens tell the truth (issue 14, items 6-9 and 13): driven through the real app on a real diary."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from diary_testing import NOW
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, Static
from tui_support import (
    BOARD,
    NOVEMBER_BOARD,
    at_the_november_board,
    diary_with_the_board,
    make_app,
    press_and_settle,
    settle,
    settled,
    stored,
)

from los_tui.app import LineOfSightApp
from los_tui.domain.model import Status
from los_tui.screens.commitments import CommitmentsScreen
from los_tui.screens.meeting import MeetingScreen
from los_tui.screens.month import MonthScreen
from los_tui.screens.schedule_form import ScheduleForm
from los_tui.screens.search import SearchScreen
from los_tui.services.diary import Diary


async def test_a_series_change_that_removes_the_open_meeting_closes_its_screen(db_path: Path) -> None:
    async with at_the_november_board(db_path, (80, 24)) as (app, pilot):
        meeting = app.screen
        assert isinstance(meeting, MeetingScreen)
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
        assert isinstance(meeting, MeetingScreen)
        await meeting.run_action("change_series")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ScheduleForm)
        form.query_one("#location", Input).value = "Civic Centre"
        form.query_one("#from", Input).value = "2026-11-01"
        await press_and_settle(pilot, "ctrl+s")
        assert app.screen is meeting
        assert meeting.occurrence.location == "Civic Centre"
        await meeting.run_action("status('delegated')")
        await settle(pilot)
        assert stored(db_path, NOVEMBER_BOARD)[0].status_label == "delegated"


async def test_the_commitments_next_column_honours_moves_and_cancellations(db_path: Path) -> None:
    diary_with_the_board(db_path)
    diary = Diary.open(db_path, clock=lambda: NOW)
    [december] = diary.meetings.agenda(date(2026, 12, 8), date(2026, 12, 8), slugs=[BOARD])
    diary.meetings.move(december, december.start.replace(day=9, hour=9, minute=0))
    diary.close()
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        await press_and_settle(pilot, "f4")
        screen = app.screen
        assert isinstance(screen, CommitmentsScreen)
        table = screen.query_one(DataTable)
        assert table.get_row(BOARD)[2].plain.startswith("09 Dec 2026 09:00")
        diary = Diary.open(db_path, clock=lambda: NOW)
        [moved] = diary.meetings.agenda(date(2026, 12, 9), date(2026, 12, 9), slugs=[BOARD])
        diary.meetings.set_status(moved, Status.CANCELLED)
        diary.close()
        screen.reload()  # as the app does when another program changed the diary
        await settle(pilot)
        assert table.get_row(BOARD)[2].plain.startswith("12 Jan 2027 18:30")


async def open_schedule_form(app: LineOfSightApp, pilot: Pilot[None], slug: str) -> ScheduleForm:
    await press_and_settle(pilot, "f4")
    app.edit_schedule(slug)
    await settle(pilot)
    form = app.screen
    assert isinstance(form, ScheduleForm)
    return form


async def test_the_schedule_form_starts_from_the_commitments_frequency(db_path: Path) -> None:
    diary_with_the_board(db_path)
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        form = await open_schedule_form(app, pilot, "lmcs-pulse-survey")  # quarterly
        assert (form.query_one("#interval", Input).value, form.query_one("#unit", Select).value) == (
            "3",
            "month",
        )
        await press_and_settle(pilot, "escape")
        form = await open_schedule_form(app, pilot, "lmcs-fostering-panel")  # annual
        assert (form.query_one("#interval", Input).value, form.query_one("#unit", Select).value) == (
            "1",
            "year",
        )


async def test_the_schedule_forms_next_dates_are_never_in_the_past(db_path: Path) -> None:
    diary_with_the_board(db_path)
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        form = await open_schedule_form(app, pilot, "lmcs-performance-data")
        form.query_one("#from", Input).value = "2026-01-01"
        await settle(pilot)
        assert form.result is not None
        assert form.result.next_dates and all(d.date() >= NOW.date() for d in form.result.next_dates)
        assert "Jan 2026" not in str(form.query_one("#schedule-preview", Static).render())


async def test_the_schedule_form_hides_the_weekday_box_when_a_day_of_the_month_is_chosen(
    db_path: Path,
) -> None:
    diary_with_the_board(db_path)
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        form = await open_schedule_form(app, pilot, "lmcs-performance-data")
        assert form.query_one("#weekday-row").display
        form.query_one("#on", Select).value = "day"
        await settle(pilot)
        assert not form.query_one("#weekday-row").display and not form.query_one("#which-row").display
        assert form.query_one("#day-row").display


def board_moved_to_the_ninth_of_december(db_path: Path) -> None:
    diary_with_the_board(db_path)
    diary = Diary.open(db_path, clock=lambda: NOW)
    [december] = diary.meetings.agenda(date(2026, 12, 8), date(2026, 12, 8), slugs=[BOARD])
    diary.meetings.move(december, december.start.replace(day=9, hour=9, minute=0))
    diary.close()


async def test_the_agenda_marks_a_moved_meeting(db_path: Path) -> None:
    board_moved_to_the_ninth_of_december(db_path)
    app = make_app(db_path)
    async with settled(app, (80, 24)) as pilot:
        await press_and_settle(pilot, "f3")
        table = app.screen.query_one(DataTable)
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        [board] = [row for row in rows if "Improvement Board" in row[-1]]
        assert "moved from Tue 08 Dec" in board[-1]
        assert all("moved" not in row[-1] for row in rows if row is not board)


async def test_search_shows_the_next_meeting_by_title_then_logged_ones_a_moved_one_at_its_new_time(
    db_path: Path,
) -> None:
    board_moved_to_the_ninth_of_december(db_path)
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        await press_and_settle(pilot, "f5")
        await press_and_settle(pilot, *"improvement", "enter")
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        # December's board is logged (moved), so the next one nothing is logged against is January's.
        assert [o.start.date() for o in screen.found] == [date(2027, 1, 12), date(2026, 12, 9)]
        table = screen.query_one(DataTable)
        moved = [str(cell) for cell in table.get_row_at(1)]
        assert "moved from Tue 08 Dec" in moved[2] and moved[3] == "title"


async def test_a_removed_meeting_with_a_note_stays_open_for_the_note_but_takes_no_status(
    db_path: Path,
) -> None:
    async with at_the_november_board(db_path, (80, 24)) as (app, pilot):
        meeting = app.screen
        assert isinstance(meeting, MeetingScreen)
        await pilot.click("#note")
        await pilot.press(*"Went well")
        await pilot.pause(0.6)  # past the pause that batches a save
        await settle(pilot)
        await meeting.run_action("change_series")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ScheduleForm)
        form.query_one("#which", Select).value = "3"
        form.query_one("#from", Input).value = "2026-11-01"
        await press_and_settle(pilot, "ctrl+s")
        assert app.screen is meeting  # what was written about it stays in sight
        assert "no longer in the schedule" in str(meeting.query_one("#details", Static).render())
        await meeting.run_action("status('delegated')")
        await settle(pilot)
        assert any("2026-11-10 18:30" in n.message for n in app._notifications)
        [kept] = stored(db_path, NOVEMBER_BOARD)
        assert (kept.note, kept.status) == ("Went well", None)


async def test_a_series_change_made_elsewhere_closes_the_open_meeting_it_removed(db_path: Path) -> None:
    async with at_the_november_board(db_path, (80, 24)) as (app, pilot):
        assert isinstance(app.screen, MeetingScreen)
        elsewhere = Diary.open(db_path, clock=lambda: NOW)  # `los schedule ... --from` in another terminal
        elsewhere.commitments.schedule(
            BOARD,
            "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=3",
            datetime(2026, 11, 17, 18, 30),
            120,
            effective_from=date(2026, 11, 1),
        )
        elsewhere.close()
        app.watch_for_changes()
        await settle(pilot)
        assert isinstance(app.screen, MonthScreen)
