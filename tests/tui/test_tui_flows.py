"""The newcomer's flows through the real app on a real diary file, with "today" fixed at 26 Nov 2026."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from diary_testing import NOW
from textual.widgets import DataTable, Input, OptionList, Select, Static, TextArea
from textual.widgets._header import HeaderTitle
from tui_support import (
    BOARD,
    NOVEMBER_BOARD,
    TO_THE_BOARD,
    at_the_november_board,
    diary_with_the_board,
    make_app,
    press_and_settle,
    settle,
    settled,
    stored,
)

from los_tui.app import LineOfSightApp
from los_tui.config import Config
from los_tui.domain.model import Frequency, Role
from los_tui.screens.commitments import CommitmentsScreen
from los_tui.screens.dialogs import Confirm
from los_tui.screens.help import HelpScreen
from los_tui.screens.meeting import MeetingScreen
from los_tui.screens.month import MonthScreen
from los_tui.screens.schedule_form import ScheduleForm
from los_tui.services.diary import Diary
from los_tui.widgets.month_grid import MonthGrid


async def test_the_month_opens_on_today_and_shows_the_board_on_the_second_tuesday(db_path: Path) -> None:
    diary_with_the_board(db_path)
    app = make_app(db_path)
    async with settled(app, (80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, MonthScreen)
        assert screen.selected == NOW.date()
        assert [o.title for o in screen.by_day[NOVEMBER_BOARD]] == ["Children's Improvement Board"]
        await press_and_settle(pilot, "pagedown")
        assert screen.selected == date(2026, 12, 26)
        # The header names the month shown (its sub-title no longer repaints the whole screen).
        assert "December 2026" in str(screen.query_one(HeaderTitle).render())
        assert [d for d in screen.by_day if d.month == 12] == [date(2026, 12, 8)]
        await press_and_settle(pilot, "t", "left_square_bracket")
        assert screen.selected == date(2026, 10, 26)
        await pilot.press("t")
        # The grid starts on Monday 26 Oct, so cell 16 is Wednesday 11 Nov: a click inside it selects it.
        grid = screen.query_one(MonthGrid)
        cell = grid.cell_region(16)
        await pilot.click(MonthGrid, offset=(cell.x - grid.region.x + 2, cell.y - grid.region.y + 1))
        assert screen.selected == date(2026, 11, 11)


async def test_logging_attendance_by_keys_lands_in_the_store(db_path: Path) -> None:
    async with at_the_november_board(db_path, (80, 24)) as (app, pilot):
        assert isinstance(app.screen, MeetingScreen)
        await press_and_settle(pilot, "alt+a")  # from the note it opens in: alt, which no text box takes
        assert stored(db_path, NOVEMBER_BOARD)[0].status_label == "attended"
        await press_and_settle(pilot, "tab", "tab", "p")  # out of the text boxes, the single letter
        assert stored(db_path, NOVEMBER_BOARD)[0].status_label == "apologies"
        await press_and_settle(pilot, "alt+a")
        await press_and_settle(pilot, "escape")
        assert isinstance(app.screen, MonthScreen)
        assert app.screen.by_day[NOVEMBER_BOARD][0].status_label == "attended"
        # The day's list, which is refilled only when what it shows changes, shows the new status too.
        prompt = app.screen.query_one("#day-list", OptionList).get_option_at_index(0).prompt
        assert "attended" in str(prompt)


async def test_a_typed_note_is_in_the_store_before_the_app_ever_closes(db_path: Path) -> None:
    async with at_the_november_board(db_path, (80, 24)) as (_app, pilot):
        await pilot.click("#note")
        await pilot.press(*"Caseloads up")
        await pilot.pause(0.6)  # past the short pause after typing that batches a save
        await settle(pilot)
        # Read by another connection while the app is still running: a crash now would lose nothing.
        assert stored(db_path, NOVEMBER_BOARD)[0].note == "Caseloads up"
    again = make_app(db_path)
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press_and_settle(pilot, *TO_THE_BOARD, "enter")
        assert again.screen.query_one("#note", TextArea).text == "Caseloads up"


async def test_quitting_straight_after_typing_keeps_the_note_and_questions(db_path: Path) -> None:
    async with at_the_november_board(db_path, (80, 24)) as (_app, pilot):
        await pilot.click("#questions")
        await pilot.press(*"Why late?", "ctrl+q")
    assert stored(db_path, NOVEMBER_BOARD)[0].questions == "Why late?"


async def test_an_action_is_added_marked_done_deleted_and_restored(db_path: Path) -> None:
    async with at_the_november_board(db_path, (80, 24)) as (_app, pilot):
        await pilot.press("alt+n")
        await press_and_settle(pilot, *"Send the audit", "tab", *"DCS", "tab", *"2026-12-01", "enter")
        await press_and_settle(pilot, "tab", "tab")  # from the note, past the questions, to the actions
        occurrence = stored(db_path, NOVEMBER_BOARD)[0]
        diary = Diary.open(db_path, clock=lambda: NOW, create=False)
        try:
            [action] = diary.actions.list(occurrence)
            assert (action.text, action.owner, action.due) == ("Send the audit", "DCS", date(2026, 12, 1))
            await press_and_settle(pilot, "space")
            assert diary.actions.list(occurrence)[0].done
            await press_and_settle(pilot, "delete")
            assert diary.actions.list(occurrence) == []
            await press_and_settle(pilot, "z")
            [restored] = diary.actions.list(occurrence)
            assert (restored.text, restored.done) == ("Send the audit", True)
        finally:
            diary.close()


async def test_moving_one_occurrence_leaves_the_series_alone(db_path: Path) -> None:
    async with at_the_november_board(db_path, (80, 24)) as (_app, pilot):
        await press_and_settle(pilot, "alt+m")
        await press_and_settle(pilot, "ctrl+u", *"2026-11-12 09:00", "enter")  # the date shown cleared first
    [moved] = stored(db_path, date(2026, 11, 12))
    assert moved.is_moved and f"{moved.start:%H:%M}" == "09:00"
    assert stored(db_path, NOVEMBER_BOARD) == []
    assert f"{stored(db_path, date(2026, 12, 8))[0].start:%H:%M}" == "18:30"


async def test_the_move_dialog_opens_with_the_cursor_after_the_time_shown(db_path: Path) -> None:
    async with at_the_november_board(db_path, (80, 24)) as (_app, pilot):
        await press_and_settle(pilot, "alt+m")
        await press_and_settle(pilot, *["backspace"] * 5, *"09:00", "enter")  # the time alone changed
    [moved] = stored(db_path, NOVEMBER_BOARD)
    assert moved.is_moved and f"{moved.start:%H:%M}" == "09:00"


async def test_scheduling_from_the_form_shows_the_new_dates(db_path: Path) -> None:
    diary_with_the_board(db_path)
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        await press_and_settle(pilot, "f4")
        screen = app.screen
        assert isinstance(screen, CommitmentsScreen)
        table = screen.query_one(DataTable)
        assert "press e to schedule" in table.get_row("dcs-improvement-board")[1].plain
        table.move_cursor(row=table.get_row_index("dcs-improvement-board"))
        await press_and_settle(pilot, "e")
        form = app.screen
        assert isinstance(form, ScheduleForm)
        form.query_one("#which", Select).value = "3"
        form.query_one("#weekday", Select).value = "WE"
        await pilot.click("#time")
        await pilot.press("end", *["backspace"] * 5, *"10:00")
        await pilot.pause()
        preview = form.query_one("#schedule-preview", Static).visual
        assert "third Wednesday of every month, 10:00-11:00" in str(preview)
        assert "Wed 16 Dec 2026, Wed 20 Jan 2027" in str(preview)
        await press_and_settle(pilot, "ctrl+s")
        assert "third Wednesday" in table.get_row("dcs-improvement-board")[1].plain
        assert "16 Dec 2026 10:00" in table.get_row("dcs-improvement-board")[2].plain
    assert f"{stored(db_path, date(2026, 12, 16), 'dcs-improvement-board')[0].start:%H:%M}" == "10:00"


async def test_the_commitments_cursor_starts_on_a_commitment_and_steps_over_the_role_headings(
    db_path: Path,
) -> None:
    # On a heading, e and R did nothing: the cursor once started on the first one, "Lead Member (LMCS)".
    diary_with_the_board(db_path)
    app = make_app(db_path)
    async with settled(app, (80, 24)) as pilot:
        await press_and_settle(pilot, "f4")
        table = app.screen.query_one(DataTable)

        def on() -> str:
            return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

        first = on()
        assert table.cursor_row == 1 and first in app.screen.lines  # the first of the Lead Member's
        await press_and_settle(pilot, "up")
        assert on() == first  # nothing above it but the heading
        last_of_the_lead_members = table.get_row_index("role:dcs") - 1
        table.move_cursor(row=last_of_the_lead_members)
        await press_and_settle(pilot, "down")
        assert table.cursor_row == last_of_the_lead_members + 2  # the Director's first, past the heading
        await press_and_settle(pilot, "up")
        assert table.cursor_row == last_of_the_lead_members
        table.move_cursor(row=table.get_row_index(BOARD))
        await press_and_settle(pilot, "e")
        assert isinstance(app.screen, ScheduleForm) and app.screen.commitment.slug == BOARD


async def test_changing_the_series_from_an_occurrence_says_so_and_keeps_the_past(db_path: Path) -> None:
    async with at_the_november_board(db_path, (120, 40)) as (app, pilot):
        await press_and_settle(pilot, "alt+s")
        form = app.screen
        assert isinstance(form, ScheduleForm)
        assert "Change the whole series" in str(form.query_one(Static).visual)
        form.query_one("#weekday", Select).value = "TH"
        await pilot.pause()
        await press_and_settle(pilot, "ctrl+s")
    assert stored(db_path, NOVEMBER_BOARD)  # before the change: as it was
    assert stored(db_path, date(2026, 12, 10))  # second Thursday from now on


async def test_an_impossible_schedule_is_refused_with_the_field_named(db_path: Path) -> None:
    diary_with_the_board(db_path)
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        await press_and_settle(pilot, "f4")
        await press_and_settle(pilot, "e")  # the first commitment: the cursor starts on it
        form = app.screen
        assert isinstance(form, ScheduleForm)
        form.query_one("#on", Select).value = "day"
        await pilot.pause()
        await pilot.click("#day")
        await pilot.press("end", "backspace", *"31", "ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "day '31': must be between 1 and 28" in str(form.query_one("#schedule-preview", Static).visual)


async def test_a_refused_value_is_named_by_its_label_on_screen_not_by_a_command_line_flag(
    db_path: Path,
) -> None:
    diary_with_the_board(db_path)
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        await press_and_settle(pilot, "f4")
        await press_and_settle(pilot, "e")
        form = app.screen
        assert isinstance(form, ScheduleForm)
        form.query_one("#location", Input).value = "Town Hall\u202eecnetnes"
        await press_and_settle(pilot, "ctrl+s")
        await settle(pilot)
        shown = [m for m in messages(app) if "Location" in m]
        assert "must be one line" in shown[0] and "--" not in shown[0] and "\u202e" not in shown[0]


async def test_markup_in_user_text_is_shown_literally_and_does_nothing(db_path: Path) -> None:
    trap = "[red]x[/] [@click=app.quit]x[/]"
    diary_with_the_board(db_path, location=trap)
    diary = Diary.open(db_path, clock=lambda: NOW)
    diary.meetings.log(BOARD, NOW.replace(month=11, day=10), False, None, note=trap)
    diary.close()
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        await press_and_settle(pilot, *TO_THE_BOARD)
        await press_and_settle(pilot, "enter")
        details = app.screen.query_one("#details", Static)
        assert f"Where:  {trap}" in str(details.visual)
        assert app.screen.query_one("#note", TextArea).text == trap
        for x in range(8, 40, 4):  # click all along the location line, where a link would be
            await pilot.click("#details", offset=(x, 4))
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, MeetingScreen)


async def test_a_title_with_markup_is_literal_in_the_day_list_and_commitments(db_path: Path) -> None:
    diary_with_the_board(db_path)
    diary = Diary.open(db_path, clock=lambda: NOW)
    added = diary.commitments.add("[@click=app.quit]Visit[/] [b]team[/]", Role.LMCS, Frequency.MONTHLY)
    diary.meetings.add_adhoc(added.slug, NOW, all_day=False, status=None)
    diary.close()
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        option = app.screen.query_one("#day-list", OptionList).get_option_at_index(0)
        assert "[@click=app.quit]Visit[/] [b]team[/]" in str(option.prompt)
        await pilot.click("#day-list")
        await press_and_settle(pilot, "f4")
        table = app.screen.query_one(DataTable)
        assert table.get_row(added.slug)[0].plain.startswith("[@click=app.quit]Visit[/] [b]team[/]\n")
        assert app.is_running


async def test_help_lists_the_keys_of_the_screen_underneath(db_path: Path) -> None:
    async with at_the_november_board(db_path, (80, 24)) as (app, pilot):
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        keys = str(app.screen.query(Static)[1].visual)
        assert "Attended" in keys and "Move this one" in keys and "Change series" in keys
        await pilot.press("escape")
        assert isinstance(app.screen, MeetingScreen)


async def test_keys_can_be_remapped_from_the_config(db_path: Path) -> None:
    diary_with_the_board(db_path)
    app = LineOfSightApp(db_path, Config(keys={"today": "g"}), clock=lambda: NOW)
    async with settled(app, (80, 24)) as pilot:
        await pilot.press("left", "t")
        assert isinstance(app.screen, MonthScreen) and app.screen.selected == date(2026, 11, 25)
        await pilot.press("g")
        assert app.screen.selected == NOW.date()


async def test_an_ad_hoc_entry_is_recorded_against_a_commitment(db_path: Path) -> None:
    diary_with_the_board(db_path)
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        await press_and_settle(pilot, "n")
        app.screen.query_one("#adhoc-commitment", Select).value = "lmcs-team-visits"
        await pilot.click("#adhoc-note")
        await press_and_settle(pilot, *"Met the MASH team", "ctrl+s")
        assert isinstance(app.screen, MonthScreen)
        assert [o.title for o in app.screen.by_day[NOW.date()]] == ["Visit to a team"]
    [entry] = stored(db_path, NOW.date(), "lmcs-team-visits")
    assert (entry.is_adhoc, entry.status_label, entry.note) == (True, "attended", "Met the MASH team")


async def test_search_finds_a_meeting_by_a_word_in_its_note(db_path: Path) -> None:
    diary_with_the_board(db_path)
    diary = Diary.open(db_path, clock=lambda: NOW)
    diary.meetings.log(BOARD, NOW.replace(month=10, day=13), False, None, note="Discussed agency staffing")
    diary.close()
    app = make_app(db_path)
    async with settled(app, (80, 24)) as pilot:
        await press_and_settle(pilot, "f5")
        await press_and_settle(pilot, *"agency", "enter")
        table = app.screen.query_one(DataTable)
        assert table.row_count == 1
        await press_and_settle(pilot, "enter")
        assert isinstance(app.screen, MeetingScreen)
        assert app.screen.query_one("#note", TextArea).text == "Discussed agency staffing"


async def test_the_agenda_shows_a_range_and_filters_by_role(db_path: Path) -> None:
    diary_with_the_board(db_path)
    app = make_app(db_path)
    async with settled(app, (80, 24)) as pilot:
        await press_and_settle(pilot, "f3", "v")  # the next 30 days -> this quarter
        table = app.screen.query_one(DataTable)
        assert table.row_count == 3  # Oct, Nov and Dec boards in this quarter
        await press_and_settle(pilot, "r", "r")  # all -> LMCS -> DCS
        assert table.row_count == 0


async def test_an_escape_sequence_from_an_imported_note_is_shown_not_obeyed(db_path: Path) -> None:
    diary_with_the_board(db_path)
    diary = Diary.open(db_path, clock=lambda: NOW)
    diary.meetings.log(BOARD, NOW.replace(day=10), False, None, note="placeholder")
    diary.close()
    # The diary's own forms refuse control characters; an imported calendar file is how one gets in.
    with sqlite3.connect(db_path) as store:
        store.execute("UPDATE occurrence_logs SET note = ?", ("before\x1b]0;owned\x07\x1b[2Jafter",))
        store.execute("UPDATE schedules SET location = ?", ("Hall\x1b[31m",))
    store.close()
    app = make_app(db_path)
    async with settled(app, (80, 24)) as pilot:
        await press_and_settle(pilot, *TO_THE_BOARD, "enter")
        assert app.screen.query_one("#note", TextArea).text == "before␛]0;owned␇␛[2Jafter"
        assert "Where:  Hall␛[31m" in str(app.screen.query_one("#details", Static).visual)
        assert "\x1b" not in app.export_screenshot()


async def test_retiring_a_commitment_asks_first_and_keeps_its_history(db_path: Path) -> None:
    diary_with_the_board(db_path)
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        await press_and_settle(pilot, "f4")
        table = app.screen.query_one(DataTable)
        table.move_cursor(row=table.get_row_index(BOARD))
        await pilot.press("R")
        await pilot.pause()
        await press_and_settle(pilot, "escape")  # changed my mind: nothing happens
        assert BOARD in [key.value for key in table.rows]
        await pilot.press("R")
        await pilot.pause()
        assert isinstance(app.screen, Confirm) and app.screen.focused is app.screen.query_one("#no")
        await press_and_settle(pilot, "enter")  # Enter is the safe answer: retiring has no undo
        assert not isinstance(app.screen, Confirm)
        assert BOARD in [key.value for key in table.rows]
        await pilot.press("R")
        await pilot.pause()
        await press_and_settle(pilot, "y")
        assert BOARD not in [key.value for key in table.rows]
    diary = Diary.open(db_path, clock=lambda: NOW, create=False)
    assert diary.commitments.get(BOARD).retired_on == NOW.date()
    assert diary.meetings.agenda(date(2026, 12, 1), date(2026, 12, 31), slugs=[BOARD]) == []
    assert diary.meetings.agenda(
        NOVEMBER_BOARD, NOVEMBER_BOARD, slugs=[BOARD]
    )  # what was expected before stays
    diary.close()


def messages(app: LineOfSightApp) -> list[str]:
    return [notification.message for notification in app._notifications]


async def test_a_quarterly_target_is_set_from_the_commitments_screen_and_refused_when_wrong(
    db_path: Path,
) -> None:
    diary_with_the_board(db_path)
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        await press_and_settle(pilot, "f4")
        table = app.screen.query_one(DataTable)
        table.move_cursor(row=table.get_row_index(BOARD))
        await press_and_settle(pilot, "g")  # the board is monthly: no dialog, a message
        assert isinstance(app.screen, CommitmentsScreen)
        assert "only ad hoc commitments have a quarterly target" in messages(app)[-1]
        table.move_cursor(row=table.get_row_index("lmcs-team-visits"))
        await press_and_settle(pilot, "g")
        count = app.screen.query_one("#target-count", Input)
        assert count.value == "0"  # none yet
        count.value = "lots"
        await press_and_settle(pilot, "ctrl+s")  # refused in the dialog, naming the field
        assert "entries a quarter 'lots': must be a whole number" in str(
            app.screen.query_one("#form-error", Static).visual
        )
        count.value = "3"
        await press_and_settle(pilot, "ctrl+s")
        assert isinstance(app.screen, CommitmentsScreen)
        assert "aiming for 3 a quarter from 2026-Q4 on" in messages(app)[-1]
        row = table.get_row("lmcs-team-visits")
        assert "aiming for 3 a quarter" in str(row[0])
    diary = Diary.open(db_path, clock=lambda: NOW, create=False)
    assert [(t.count, t.effective_from) for t in diary.commitments.get("lmcs-team-visits").targets] == [
        (3, date(2026, 10, 1))
    ]
    diary.close()


async def test_every_action_of_the_screen_is_in_the_command_palette(db_path: Path) -> None:
    async with at_the_november_board(db_path, (80, 24)) as (app, pilot):
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Attended", "Apologies", "Move this one", "Change series", "Add action"} <= titles
        assert {"Month", "Agenda", "Commitments", "Search", "Help", "Quit"} <= titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Attended")
        await pilot.pause(0.3)
        await press_and_settle(pilot, "enter")
    assert stored(db_path, NOVEMBER_BOARD)[0].status_label == "attended"


async def test_leaving_straight_after_typing_keeps_the_note(db_path: Path) -> None:
    async with at_the_november_board(db_path, (80, 24)) as (app, pilot):
        await pilot.click("#note")
        await press_and_settle(pilot, *"Left early", "escape")
        assert isinstance(app.screen, MonthScreen)
        assert stored(db_path, NOVEMBER_BOARD)[0].note == "Left early"


async def test_a_busy_day_says_how_many_more_it_holds(db_path: Path) -> None:
    diary_with_the_board(db_path)
    diary = Diary.open(db_path, clock=lambda: NOW)
    for hour in range(9, 15):
        diary.meetings.add_adhoc("lmcs-team-visits", NOW.replace(hour=hour), all_day=False, status=None)
    diary.close()
    app = make_app(db_path)
    async with settled(app, (80, 24)):
        today = app.screen.query_one(MonthGrid).cells_shown()[31].text  # the grid starts on Mon 26 Oct
        # Too many to say in full: a line each, its mark and short name, and how many more.
        # The 09:00 visit has passed with nothing logged: unlogged, "?".
        assert today.startswith("26*\n? VT\n") and today.splitlines()[-1] == "+5 more"
        assert len(app.screen.query_one("#day-list", OptionList).options) == 6
