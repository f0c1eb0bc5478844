"""A diary left open all day: closed screens are let go, the one meeting screen is refilled safely, and
the footer follows the keys, not each focus."""

from __future__ import annotations

import gc
import sqlite3
from datetime import date
from pathlib import Path

from diary_testing import NOW
from rich.color import Color
from rich.style import Style
from textual.widgets import DataTable, Header, TextArea
from tui_support import (
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

from los_tui.domain.model import Status
from los_tui.screens.meeting import TEXTS, MeetingScreen
from los_tui.screens.month import MonthScreen
from los_tui.services.diary import Diary
from los_tui.widgets.footer import FooterKeys, KeyFooter
from los_tui.widgets.month_grid import MonthGrid


def alive(kind: type) -> int:
    gc.collect()
    return sum(1 for thing in gc.get_objects() if isinstance(thing, kind))


def footer_keys(footer: KeyFooter) -> list[str]:
    return [key.description for key in footer.keys]


def footer_key_of(footer: KeyFooter, description: str) -> str:
    [key] = [key.key for key in footer.keys if key.description == description]
    return key


async def test_meetings_opened_and_closed_all_day_are_let_go(db_path: Path) -> None:
    diary_with_the_board(db_path)
    app = make_app(db_path)
    async with settled(app, (100, 30)) as pilot:
        await pilot.press(*TO_THE_BOARD)
        for _ in range(6):
            await press_and_settle(pilot, "enter")
            assert isinstance(app.screen, MeetingScreen)
            # focus moves: the footer is asked to rebuild
            await press_and_settle(pilot, "tab", "shift+tab", "escape")
            assert isinstance(app.screen, MonthScreen)
        await press_and_settle(pilot, "f1")  # the next screen opened lets the last closed one go
        # Without forgetting closed watchers each meeting screen left its text areas (and its
        # Header) watching the app's theme, and every footer rebuild left its keys on the footer.
        # (The last one closed may linger while Textual finishes with its finished workers.)
        assert alive(MeetingScreen) <= 1
        assert alive(TextArea) <= len(TEXTS)  # one meeting screen's own boxes
        assert alive(FooterKeys) < 6  # the month's and the help's own keys, not six meetings' worth


async def test_the_footer_shows_each_screens_keys_and_rebuilds_only_when_they_change(db_path: Path) -> None:
    diary_with_the_board(db_path)
    app = make_app(db_path)
    async with settled(app, (160, 30)) as pilot:
        month_footer = app.screen.query_one(KeyFooter)
        assert "Next month" in footer_keys(month_footer)
        await press_and_settle(pilot, *TO_THE_BOARD, "enter")
        footer = app.screen.query_one(KeyFooter)
        shown = footer_keys(footer)
        assert "Attended" in shown and "Next month" not in shown
        keys_before = footer.query_one(FooterKeys)
        app.screen.refresh_bindings()  # what each focus change does: Textual's footer rebuilds on it
        await settle(pilot)
        assert footer.query_one(FooterKeys) is keys_before  # the same keys: the very same widget
        # It opens writing the note: letters are typed there, so the footer offers alt+a, which is not.
        assert footer_key_of(footer, "Attended") == "alt+a"
        app.screen.query_one("#actions", DataTable).focus()
        await settle(pilot)
        assert footer_key_of(footer, "Attended") == "a"
        await press_and_settle(pilot, "escape")
        assert "Next month" in footer_keys(month_footer)


DECEMBER_BOARD = date(2026, 12, 8)


async def test_one_meeting_screen_is_refilled_and_each_note_lands_on_its_own_meeting(db_path: Path) -> None:
    async with at_the_november_board(db_path, (100, 30)) as (app, pilot):
        november = app.screen
        await pilot.click("#note")
        # Escape straight after typing, then straight into the next meeting: the last save of November
        # may still be on its way while the same screen is refilled for December.
        await press_and_settle(pilot, *"November: caseloads", "escape", "pagedown", "left", "left", "enter")
        assert app.screen is november  # the same screen, refilled
        assert isinstance(app.screen, MeetingScreen)
        assert app.screen.occurrence.start.date() == DECEMBER_BOARD
        assert app.screen.query_one("#note", TextArea).text == ""
        await pilot.click("#note")
        await press_and_settle(pilot, *"December: audits", "escape")
    assert stored(db_path, NOVEMBER_BOARD)[0].note == "November: caseloads"
    assert stored(db_path, DECEMBER_BOARD)[0].note == "December: audits"


async def test_undo_in_the_next_meetings_boxes_never_brings_back_the_last_meetings_text(
    db_path: Path,
) -> None:
    async with at_the_november_board(db_path, (100, 30)) as (app, pilot):
        await pilot.click("#note")
        # Typed and rubbed out: the box is empty, as December's is, but its undo history is November's.
        typed = "Child M."
        await press_and_settle(pilot, *typed, *["backspace"] * len(typed))
        await press_and_settle(pilot, "escape", "pagedown", "left", "left", "enter")
        assert isinstance(app.screen, MeetingScreen)
        assert app.screen.occurrence.start.date() == DECEMBER_BOARD
        for name in TEXTS:
            area = app.screen.query_one(f"#{name}", TextArea)
            area.focus()
            await press_and_settle(pilot, "ctrl+z")
            assert area.text == "", name
        await press_and_settle(pilot, "escape")
    assert stored(db_path, DECEMBER_BOARD)[0].note == ""


async def test_a_late_answer_for_the_previous_meeting_is_not_shown_on_the_next(db_path: Path) -> None:
    async with at_the_november_board(db_path, (100, 30)) as (app, pilot):
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        shown: list[str] = []
        late = screen._for_this_meeting(shown.append)  # as a worker's answer is handed back
        late("for this meeting")
        await press_and_settle(pilot, "escape")
        december = stored(db_path, DECEMBER_BOARD)[0]
        app.open_meeting(december)
        await settle(pilot)
        late("for the meeting before")
        assert shown == ["for this meeting"]


async def test_an_f_key_from_a_meeting_saves_and_closes_it_and_lands_on_its_own_screen(db_path: Path) -> None:
    async with at_the_november_board(db_path, (100, 30)) as (app, pilot):
        november = app.screen
        await pilot.press(*"Half written")
        await press_and_settle(pilot, "f3")  # the agenda, and the meeting closed behind it
        assert type(app.screen).__name__ == "AgendaScreen" and len(app.screen_stack) == 1
        await press_and_settle(pilot, "f2")
        assert isinstance(app.screen, MonthScreen)  # the month itself, not the meeting opened from it
        assert stored(db_path, NOVEMBER_BOARD)[0].note == "Half written"
        app.open_meeting(stored(db_path, DECEMBER_BOARD)[0])
        await settle(pilot)
        assert app.screen is november  # the one kept meeting screen, refilled for December


async def test_a_kept_screen_shown_again_takes_up_a_theme_changed_while_it_was_hidden(db_path: Path) -> None:
    async with at_the_november_board(db_path, (100, 30)) as (app, pilot):
        meeting = app.screen
        await press_and_settle(pilot, "escape")
        before = meeting.query_one(Header).styles.background
        app.theme = "textual-light" if app.theme != "textual-light" else "nord"
        await settle(pilot)
        month_header = app.screen.query_one(Header).styles.background
        assert month_header != before
        await press_and_settle(pilot, "enter")
        assert app.screen is meeting
        assert meeting.query_one(Header).styles.background == month_header


async def test_days_outside_the_month_are_greyed_in_the_theme_in_use(db_path: Path) -> None:
    diary_with_the_board(db_path)
    app = make_app(db_path)
    async with settled(app, (100, 30)) as pilot:
        grid = app.screen.query_one(MonthGrid)

        def greys() -> tuple[Color | None, Color | None]:
            """The colour of 26 October (outside November) as drawn, and as the theme now says."""
            cell = grid.cells_shown()[0]
            assert cell.day == date(2026, 10, 26)
            drawn = Style.parse(str(cell.lines[0].style)).color
            return drawn, grid.get_component_rich_style("month-grid--outside").color

        drawn, wanted = greys()
        assert drawn == wanted
        app.theme = "textual-light" if app.theme != "textual-light" else "nord"
        await settle(pilot)
        drawn_after, wanted_after = greys()
        assert wanted_after != wanted  # the theme's grey itself changed ...
        assert drawn_after == wanted_after  # ... and the cell was drawn again in it


async def test_the_refilled_meeting_screen_opens_once_read_and_opens_anyway_if_the_read_fails(
    db_path: Path,
) -> None:
    diary_with_the_board(db_path)
    other = Diary.open(db_path, clock=lambda: NOW, create=False)
    december = other.meetings.set_status(
        other.meetings.agenda(DECEMBER_BOARD, DECEMBER_BOARD)[0], Status.APOLOGIES
    )
    other.close()
    app = make_app(db_path)
    async with settled(app, (100, 30)) as pilot:
        await press_and_settle(pilot, *TO_THE_BOARD, "enter")
        meeting = app.screen
        await press_and_settle(pilot, "escape")
        await press_and_settle(pilot, "enter", "enter")  # a second Enter while the meeting is being read
        assert app.screen is meeting and meeting.is_loaded  # shown once, filled
        assert sum(isinstance(screen, MeetingScreen) for screen in app.screen_stack) == 1
        await press_and_settle(pilot, "escape")
        # Another program removes December's log: the read fails, yet the screen still opens.
        with sqlite3.connect(db_path) as connection:
            connection.execute("PRAGMA foreign_keys = ON")
            connection.execute("DELETE FROM occurrence_logs WHERE id = ?", (december.log_id,))
        app.open_meeting(december)
        await pilot.pause(0.2)
        await settle(pilot)
        assert app.screen is meeting and not meeting.is_loaded
