"""Paging the month does as little as Textual lets it (issue 19: next month within 1.5x of the bare app's
42-cell repaint, the first screen within 1.15x of the bare app): no layout pass of the whole screen, only
the changed lines drawn, and a month of few widgets. Counts of work, never timings."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from pathlib import Path

from diary_testing import NOW
from textual.widgets import OptionList
from tui_support import diary_with_the_board, make_app, press_and_settle, settle, settled

from los_tui.screens.month import MonthScreen
from los_tui.services.diary import Diary
from los_tui.widgets.month_grid import MonthGrid


async def test_paging_and_moving_the_day_lay_nothing_out_again(db_path: Path, counted: Counter[str]) -> None:
    """The day's list changes its number of lines (the board's day: two; an empty day: what is coming
    up) and the header names another month; neither re-lays the screen out, which drew all of it again."""
    diary_with_the_board(db_path)
    async with settled(make_app(db_path), (120, 40)) as pilot:
        screen = pilot.app.screen
        assert isinstance(screen, MonthScreen)
        day_list = screen.query_one("#day-list", OptionList)
        heights = {day_list.virtual_size.height}
        counted.clear()
        for keys in (("up", "up", "left", "left"), ("pagedown",), ("pageup",), ("t",), ("pagedown",)):
            await press_and_settle(pilot, *keys)
            heights.add(day_list.virtual_size.height)
        assert len(heights) > 1  # the list did change its number of lines
        assert counted["layouts"] == 0


async def test_a_month_page_draws_the_grid_once_and_little_else(db_path: Path, counted: Counter[str]) -> None:
    """At 120x40 the grid is 37 lines; a page draws those, the day's title and list (at most 32 lines)
    and the header's title. As 42 cells of their own it drew ~250 lines of cells, then, re-laid out,
    every line of the screen: 286 lines a page in all."""
    diary_with_the_board(db_path)
    async with settled(make_app(db_path), (120, 40)) as pilot:
        counted.clear()
        await press_and_settle(pilot, "pagedown")
        assert 37 <= counted["lines"] <= 37 + 1 + 32 + 1


async def test_the_month_is_a_screen_of_few_widgets(db_path: Path) -> None:
    """Each widget is styled and laid out as the first screen is built: the month's 42 days and seven
    weekdays, drawn by one widget, were 49 of its 82 widgets."""
    diary_with_the_board(db_path)
    async with settled(make_app(db_path), (120, 40)) as pilot:
        assert len(list(pilot.app.screen.walk_children())) <= 40


async def test_a_new_theme_draws_the_days_in_its_colours(db_path: Path) -> None:
    """The grid keeps the lines it drew; a theme change must not leave them in the old colours."""
    diary_with_the_board(db_path)
    async with settled(make_app(db_path), (120, 40)) as pilot:
        grid = pilot.app.screen.query_one(MonthGrid)

        # The third week (9-15 November): all in the month, neither today nor selected, so no new text
        # of its own asks for it to be drawn again.
        third_week = grid.cell_region(14).y - grid.content_region.y

        def drawn_background() -> set[str]:
            return {str(segment.style.bgcolor) for segment in grid.render_line(third_week) if segment.style}

        def screen_background() -> str:
            return str(pilot.app.screen.styles.background.rich_color)

        assert drawn_background() == {screen_background()}
        pilot.app.theme = "textual-light" if pilot.app.theme != "textual-light" else "nord"
        await settle(pilot)
        assert drawn_background() == {screen_background()}


async def test_a_busy_days_list_scrolls_to_its_last_meeting_after_another_busy_day(db_path: Path) -> None:
    """The day's list no longer asks for a layout when its number of lines changes, so its scrolling must
    follow its new length by itself: from six meetings (today) to nine (tomorrow), both taller than the
    list at 80x24, End still reaches the last meeting."""
    diary_with_the_board(db_path)
    diary = Diary.open(db_path, clock=lambda: NOW)
    for hour in range(9, 15):
        diary.meetings.add_adhoc("lmcs-team-visits", NOW.replace(hour=hour), all_day=False, status=None)
    for hour in range(9, 18):
        diary.meetings.add_adhoc(
            "lmcs-team-visits", NOW.replace(hour=hour) + timedelta(days=1), all_day=False, status=None
        )
    diary.close()
    async with settled(make_app(db_path), (80, 24)) as pilot:
        day_list = pilot.app.screen.query_one("#day-list", OptionList)
        assert len(day_list.options) == 6 and day_list.max_scroll_y > 0
        await press_and_settle(pilot, "right", "enter", "end")
        assert len(day_list.options) == 9
        assert day_list.highlighted == 8
        assert (
            day_list.max_scroll_y == day_list.virtual_size.height - day_list.scrollable_content_region.height
        )
        assert day_list.scroll_y == day_list.max_scroll_y  # the last meeting's two lines are in sight
        assert day_list.vertical_scrollbar.window_virtual_size == day_list.virtual_size.height
