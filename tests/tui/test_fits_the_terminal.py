"""Screens fit the terminal and read without colour (issue 14, items 14-17), at 80x24 and larger."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from diary_testing import LONDON, NOW
from textual.color import Color
from textual.widgets import Button, DataTable, Input, OptionList, Select, Static, TextArea
from textual.widgets.data_table import ColumnKey, RowKey
from tui_support import (
    BOARD,
    at_the_november_board,
    diary_with_the_board,
    make_app,
    press_and_settle,
    settle,
    settled,
)

from los_tui.app import LineOfSightApp
from los_tui.config import Config
from los_tui.domain.model import Status
from los_tui.screens.adhoc import AdhocEntry
from los_tui.screens.meeting import MeetingScreen
from los_tui.screens.month import MonthScreen
from los_tui.services.diary import Diary
from los_tui.widgets.footer import KeyFooter
from los_tui.widgets.month_grid import MonthGrid
from los_tui.widgets.status import MARKS, STYLES


def cell_text(screen: MonthScreen, day: date) -> str:
    [cell] = [c for c in screen.query_one(MonthGrid).cells_shown() if c.day == day]
    return cell.text


def a_month_of_every_status(db_path: Path) -> None:
    """November: the board cancelled, a visit all day on the 19th, a missed and an apologies entry."""
    diary_with_the_board(db_path)
    diary = Diary.open(db_path, clock=lambda: NOW)
    diary.meetings.log(BOARD, datetime(2026, 11, 10, tzinfo=LONDON), False, Status.CANCELLED)
    diary.meetings.add_adhoc("lmcs-team-visits", datetime(2026, 11, 19, tzinfo=LONDON), True, Status.ATTENDED)
    diary.meetings.add_adhoc("lmcs-cicc", datetime(2026, 11, 4, 16, tzinfo=LONDON), False, Status.MISSED)
    diary.meetings.add_adhoc(
        "lmcs-high-risk-cases", datetime(2026, 11, 5, 9, tzinfo=LONDON), False, Status.APOLOGIES
    )
    diary.close()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_month_cells_say_what_each_meeting_is_and_mark_its_status(
    db_path: Path, size: tuple[int, int]
) -> None:
    a_month_of_every_status(db_path)
    app = make_app(db_path)
    async with settled(app, size):
        screen = app.screen
        assert isinstance(screen, MonthScreen)
        cancelled = cell_text(screen, date(2026, 11, 10))
        assert f"{MARKS['cancelled']} 18:30" in cancelled and "C" in cancelled.split("18:30")[1]
        visit = cell_text(screen, date(2026, 11, 19))
        assert MARKS["attended"] in visit and "all da" not in visit and "V" in visit
        assert MARKS["missed"] in cell_text(screen, date(2026, 11, 4))
        assert MARKS["apologies"] in cell_text(screen, date(2026, 11, 5))
        if size == (120, 40):  # room to say it in full
            assert "Improvement" in cancelled


def test_every_status_has_its_own_mark() -> None:
    assert set(MARKS) == set(STYLES) and len(set(MARKS.values())) == len(MARKS)


def rgb(colour: Color) -> tuple[int, int, int]:
    return colour.r, colour.g, colour.b


def apart(one: Color, other: Color) -> float:
    return float(sum((a - b) ** 2 for a, b in zip(rgb(one), rgb(other), strict=True)) ** 0.5)


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_status_colours_stay_apart_from_each_other_and_from_todays_highlight(
    db_path: Path, theme: str
) -> None:
    diary_with_the_board(db_path)
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        app.theme = theme
        await press_and_settle(pilot, "left")  # today is no longer the selected day: its own highlight
        screen = app.screen
        assert isinstance(screen, MonthScreen)
        assert next(c for c in screen.query_one(MonthGrid).cells_shown() if c.day == NOW.date()).today
        under = screen.styles.background
        today = screen.query_one(MonthGrid).get_component_styles("month-grid--today")
        highlight = under + today.background  # its translucency over the screen
        colour = {word: Color.parse(style.split()[-1]) for word, style in STYLES.items() if "#" in style}
        assert apart(colour["missed"], colour["unlogged"]) > 100
        assert apart(colour["apologies"], highlight) > 100
        assert apart(colour["apologies"], colour["scheduled"]) > 100
        for word, shade in colour.items():
            assert apart(shade, under) > 100, f"{word} is hard to see on the {theme} background"


async def test_at_80x24_the_legend_keeps_each_mark_beside_its_word(db_path: Path) -> None:
    diary_with_the_board(db_path)
    app = make_app(db_path)
    async with settled(app, (80, 24)):
        lines = str(app.screen.query_one("#legend", Static).render()).splitlines()
        assert len(lines) > 1
        for word, mark in MARKS.items():
            assert any(f"{mark} {word}" in line for line in lines), word


async def test_at_80x24_the_commitments_screen_keeps_a_schedules_place(db_path: Path) -> None:
    diary_with_the_board(db_path, location="Town Hall, Committee Room 2, Katharine Street")
    app = make_app(db_path)
    async with settled(app, (80, 24)) as pilot:
        await press_and_settle(pilot, "f4")
        table = app.screen.query_one(DataTable)
        schedule = table.get_row(BOARD)[1]
        width = table.columns[ColumnKey("schedule")].width
        lines = schedule.wrap(app.console, width)
        assert len(lines) >= 3 and "Katharine Street" in schedule.plain
        assert table.rows[RowKey(BOARD)].height >= len(lines)


async def test_an_empty_day_shows_whats_coming_and_enter_opens_it(db_path: Path) -> None:
    diary_with_the_board(db_path)
    app = make_app(db_path)
    async with settled(app, (80, 24)) as pilot:  # today, the 26th, has nothing on
        day_list = app.screen.query_one("#day-list", OptionList)
        prompts = [str(day_list.get_option_at_index(i).prompt) for i in range(day_list.option_count)]
        assert prompts[0].startswith("Nothing on. Coming up")
        # With its month: what is coming may be in another month than the one on view.
        assert prompts[1].startswith("Tue 08 Dec ") and "Children's Improvement Board" in prompts[1]
        day_list.focus()
        await press_and_settle(pilot, "enter")
        assert isinstance(app.screen, MeetingScreen)
        assert app.screen.occurrence.start.date() == date(2026, 12, 8)


async def test_a_short_name_set_in_the_config_names_the_meeting_in_a_narrow_cell(db_path: Path) -> None:
    diary_with_the_board(db_path)
    app = LineOfSightApp(db_path=db_path, config=Config(short_names={BOARD: "Board"}), clock=lambda: NOW)
    async with settled(app, (80, 24)):
        screen = app.screen
        assert isinstance(screen, MonthScreen)
        assert cell_text(screen, date(2026, 11, 10)).splitlines()[1:] == ["? 18:30", "Board"]


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (101, 30)])
async def test_no_empty_band_between_sunday_and_the_day_panel(db_path: Path, size: tuple[int, int]) -> None:
    diary_with_the_board(db_path)
    app = make_app(db_path)
    async with settled(app, size):
        grid = app.screen.query_one(MonthGrid)
        cells = [grid.cell_region(index) for index in range(42)]
        sunday, monday = cells[6], cells[0]
        panel = app.screen.query_one("#day-panel").region
        assert monday.x == 0 and sunday.right == panel.x
        widths = {cell.width for cell in cells}
        assert max(widths) - min(widths) <= 1  # the columns share the width evenly


async def test_at_80x24_no_footer_key_is_cut_off_or_hidden_under_another(db_path: Path) -> None:
    async with at_the_november_board(db_path, (80, 24)) as (app, _pilot):
        footer = app.screen.query_one(KeyFooter)
        keys = footer.keys
        descriptions = [key.description for key in keys]
        assert {"Change series", "Add action", "palette"} <= set(descriptions)
        regions = [footer.region_of(key) for key in keys]
        assert all(region.right <= 80 and region.y < 24 for region in regions)
        assert not any(a.overlaps(b) for i, a in enumerate(regions) for b in regions[i + 1 :])


async def test_the_reviews_help_spells_out_its_short_headings(db_path: Path) -> None:
    diary_with_the_board(db_path)
    app = make_app(db_path)
    async with settled(app, (80, 24)) as pilot:
        await press_and_settle(pilot, "f7")
        await app.run_action("help")
        await settle(pilot)
        shown = " ".join(str(s.render()) for s in app.screen.query(Static))
        assert all(f"{short} {word}" in shown for short, word in (("Unl", "unlogged"), ("Mis", "missed")))


def rendered_rows(table: DataTable[object]) -> list[str]:
    """The table's lines as drawn, from the top of the viewport."""
    return ["".join(segment.text for segment in table.render_line(y)) for y in range(table.size.height)]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_agenda_shows_a_long_title_and_where_a_meeting_moved_from_in_full(
    db_path: Path, size: tuple[int, int]
) -> None:
    diary_with_the_board(db_path)
    diary = Diary.open(db_path, clock=lambda: NOW)
    diary.commitments.schedule(
        "lmcs-high-risk-cases", "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2", datetime(2026, 1, 13, 9, 30), 60, ""
    )
    [december] = diary.meetings.agenda(date(2026, 12, 8), date(2026, 12, 8), slugs=["lmcs-high-risk-cases"])
    diary.meetings.move(december, datetime(2026, 12, 10, 9, 30, tzinfo=LONDON))
    diary.close()
    app = make_app(db_path)
    async with settled(app, size) as pilot:
        await press_and_settle(pilot, "f3")
        table = app.screen.query_one(DataTable)
        assert table.size.width <= size[0]
        drawn = " ".join(" ".join(line.split()) for line in rendered_rows(table))
        assert "Top ten high-risk cases briefing" in drawn
        assert "moved from Tue 08 Dec 09:30" in drawn
        assert table.virtual_size.width <= table.size.width  # nothing off to the right


async def test_at_80x24_the_entry_dialog_shows_a_refusal_whole_and_its_buttons(db_path: Path) -> None:
    """The ad hoc entry dialog at 80x24: a field a line, so its Save button and a refusal of several lines
    show in full (before, its fields took three lines each and both fell below the terminal's edge)."""
    diary_with_the_board(db_path)
    app = make_app(db_path)
    async with settled(app, (80, 24)) as pilot:
        await press_and_settle(pilot, "f6")
        dialog = app.screen
        assert isinstance(dialog, AdhocEntry)
        dialog.query_one("#adhoc-commitment", Select).value = BOARD
        dialog.query_one("#adhoc-when", Input).value = "2026-11-11"
        dialog.query_one("#adhoc-note", TextArea).insert("Typed before the refusal")
        await press_and_settle(pilot, "ctrl+s")
        assert app.screen is dialog
        error = dialog.query_one("#form-error", Static)
        assert "nearest meetings are Tue 10 Nov 2026 and Tue 8 Dec 2026" in str(error.visual)
        form = dialog.query_one("#adhoc-form")
        assert form.region.bottom <= app.size.height
        assert error.region.height >= 2  # the refusal wraps, and every line of it is laid out
        for part in (error, dialog.query_one("#save", Button), dialog.query_one("#adhoc-note", TextArea)):
            assert part.region.height > 0 and form.region.contains_region(part.region), part
