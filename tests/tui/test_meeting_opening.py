"""Opening a meeting does as little as Textual lets it (issue 19: open a meeting within 1.5x of the bare
app's 42-cell repaint): the kept meeting screen, refilled for another meeting, is laid out once and drawn
once. Counts of work, never timings."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest
from diary_testing import NOW
from rich.console import Console, RenderableType
from rich.segment import ControlType
from rich.style import Style
from textual.app import App
from textual.screen import Screen
from textual.widgets import DataTable, TextArea
from tui_support import (
    BOARD,
    NOVEMBER_BOARD,
    diary_with_the_board,
    make_app,
    press_and_settle,
    settle,
    settled,
    stored,
)

from los_tui.domain.model import Occurrence, Status
from los_tui.screens.meeting import MeetingScreen
from los_tui.services.diary import Diary

OCTOBER_BOARD = date(2026, 10, 13)


def boards_of_different_heights(db_path: Path) -> None:
    """October's board: nothing logged before it, one action arising; so November's: last time (October's,
    its long note on several lines), that action still open (a row of the brief)."""
    diary_with_the_board(db_path)
    diary = Diary.open(db_path, clock=lambda: NOW, create=False)
    october = diary.meetings.log(
        BOARD,
        datetime(2026, 10, 13, 18, 30, tzinfo=NOW.tzinfo),
        False,
        Status.ATTENDED,
        note="Caseloads up in the east team; agency staff leaving; two managers off sick. " * 8,
        difference="Agreed a caseload cap",
    ).occurrence
    diary.actions.add(
        october, "Send the audit summary to every member of the board", "DCS", date(2026, 12, 1)
    )
    diary.close()


def meeting_on(db_path: Path, day: date) -> Occurrence:
    [meeting] = stored(db_path, day)
    return meeting


async def test_opening_a_meeting_on_the_kept_screen_lays_it_out_once_and_paints_it_once(
    db_path: Path, counted: Counter[str]
) -> None:
    """The brief's tables, its last time and the meeting's details change their heights from one meeting
    to the next. Textual sized each table on its next idle turn and each container as it was laid out,
    and either asked for a second layout of the whole screen a frame after it was shown; each scroll bar
    the layout sized asked for a paint of its own a frame after that; and the layout's own paint was
    drawn over at once by the whole screen's (two layouts and three or four paints an opening)."""
    boards_of_different_heights(db_path)
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        # The first opening builds the screen, kept for the next ones; each meeting is opened once first,
        # for the note box's scroll bar to have come into sight once (Textual lays the screen out again
        # the first time a scroll bar is shown at a size).
        for day in (NOVEMBER_BOARD, OCTOBER_BOARD):
            app.open_meeting(meeting_on(db_path, day))
            await settle(pilot)
            # The note's blinking cursor is a paint of its own every half second, whatever was opened.
            for area in app.screen.query(TextArea):
                area.cursor_blink = False
            await press_and_settle(pilot, "escape")
        heights = set()
        for day in (OCTOBER_BOARD, NOVEMBER_BOARD, OCTOBER_BOARD):
            counted.clear()
            app.open_meeting(meeting_on(db_path, day))
            await settle(pilot)
            await pilot.pause(0.1)  # a layout a frame or two later counts too
            screen = app.screen
            assert isinstance(screen, MeetingScreen)
            tables = tuple(table.size.height for table in screen.query(DataTable))
            heights.add((screen.query_one("#brief").size.height, tables))
            assert (counted["layouts"], counted["paints"]) == (1, 1), day
            await press_and_settle(pilot, "escape")
        assert len(heights) == 2  # the two meetings' screens are of different heights


class Terminal:
    """What a terminal shows, kept from every update the app sends it (each a Rich renderable of cursor
    moves and styled text): the app's own paints, so a part of the screen it never repainted shows stale."""

    def __init__(self, width: int, height: int) -> None:
        self.cells: list[list[tuple[str, Style | None]]] = [[(" ", None)] * width for _ in range(height)]
        self.console = Console(width=width, height=height, color_system="truecolor", force_terminal=True)

    def apply(self, update: RenderableType) -> None:
        x = y = 0
        for segment in self.console.render(update):
            if segment.control:
                for control in segment.control:
                    if control[0] == ControlType.CURSOR_MOVE_TO:
                        x, y = int(control[1]), int(control[2])  # type: ignore[misc]
                continue
            if segment.text == "\n":
                continue
            row = self.cells[y]
            for char in segment.text:
                if 0 <= x < len(row):
                    row[x] = (char, segment.style)
                x += 1


async def test_what_the_terminal_shows_of_an_opened_meeting_is_the_meeting_whole(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The scroll bars the layout sizes are drawn by that layout's paint, not by a paint of their own a
    frame later: the terminal, once the meeting is opened, shows exactly the screen as drawn afresh (each
    cell's character and style), scroll bars included, whichever meeting came before."""
    boards_of_different_heights(db_path)
    size = (80, 24)
    terminal = Terminal(*size)
    display = App._display

    def showing(app: App[object], screen: Screen[object], update: RenderableType | None) -> None:
        if update is not None and not app._batch_count:
            terminal.apply(update)
        display(app, screen, update)

    monkeypatch.setattr(App, "_display", showing)
    app = make_app(db_path)
    async with settled(app, size) as pilot:
        for day in (NOVEMBER_BOARD, OCTOBER_BOARD, NOVEMBER_BOARD):
            app.open_meeting(meeting_on(db_path, day))
            await settle(pilot)
            await pilot.pause(0.1)
            screen = app.screen
            assert isinstance(screen, MeetingScreen)
            # Drawn afresh: every widget on view (scroll bars too) with the lines it keeps marked stale.
            for widget in screen._compositor.visible_widgets:
                widget._set_dirty()
            whole = screen._compositor.render_update(full=True)
            assert whole is not None
            drawn = Terminal(*size)
            drawn.apply(whole)
            assert terminal.cells == drawn.cells, day
            await press_and_settle(pilot, "escape")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_a_meeting_opens_at_its_top_whatever_the_last_one_was_scrolled_to(
    db_path: Path, size: tuple[int, int]
) -> None:
    """The kept screen once kept the last meeting's scroll: Tab down to its difference made, Esc, and the
    next meeting opened with its title, when and status above the top, only a note in sight: whose?"""
    boards_of_different_heights(db_path)
    app = make_app(db_path)
    async with settled(app, size) as pilot:
        app.open_meeting(meeting_on(db_path, OCTOBER_BOARD))
        await settle(pilot)
        body = app.screen.query_one("#occurrence-body")
        await press_and_settle(pilot, *["tab"] * 5)  # down to the brief's questions, at its foot
        assert app.screen.focused is app.screen.query_one("#suggested") and body.scroll_y > 0
        await press_and_settle(pilot, "escape")
        for day in (NOVEMBER_BOARD, OCTOBER_BOARD):
            app.open_meeting(meeting_on(db_path, day))
            await settle(pilot)
            await pilot.pause(0.1)
            screen = app.screen
            assert isinstance(screen, MeetingScreen) and screen.focused is screen.query_one("#note")
            assert body.scroll_y == 0, day
            details = screen.query_one("#details")
            assert details.region.y >= body.region.y and details.region.height > 0
            assert screen.query_one("#note").region.bottom <= body.region.bottom  # the note in sight too
            await press_and_settle(pilot, "escape")


def tables_fit(screen: MeetingScreen) -> dict[str, bool]:
    """For each of the meeting's tables, whether its columns fit its width (nothing off to the side)."""
    return {
        str(table.id): sum(column.get_render_width(table) for column in table.columns.values())
        <= table.size.width
        for table in screen.query(DataTable)
    }


async def test_the_meetings_tables_fit_the_terminal_after_it_is_resized(db_path: Path) -> None:
    """The columns were set once, at the width the kept screen was built at: narrowed from 120 to 80
    columns, Owner and Due were off to the side, reached only by scrolling sideways."""
    boards_of_different_heights(db_path)
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        app.open_meeting(meeting_on(db_path, NOVEMBER_BOARD))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        await press_and_settle(pilot, *["tab"] * 5, "down")  # the brief's second question: kept
        questions = screen.query_one("#suggested", DataTable)
        assert questions.cursor_row == 1
        wide = [column.width for column in screen.query_one("#actions", DataTable).columns.values()]
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert all(tables_fit(screen).values()), tables_fit(screen)
        assert questions.cursor_row == 1 and screen.query_one("#open-actions", DataTable).row_count == 1
        await press_and_settle(pilot, "escape")
        await pilot.resize_terminal(120, 40)  # on the month; the kept screen opened again at this size
        await settle(pilot)
        app.open_meeting(meeting_on(db_path, OCTOBER_BOARD))
        await settle(pilot)
        actions = screen.query_one("#actions", DataTable)
        assert app.screen is screen and actions.row_count == 1
        assert all(tables_fit(screen).values()), tables_fit(screen)
        assert [column.width for column in actions.columns.values()] == wide
