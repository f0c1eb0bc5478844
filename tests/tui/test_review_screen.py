"""The review screen at a quarter's end: what was missed, logging the forgotten, a report for the board."""

from __future__ import annotations

import io
import stat
from collections.abc import Iterator
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from diary_testing import LONDON, NOW
from rich.console import Console
from rich.text import Text
from textual.app import App
from textual.widgets import DataTable, Input, Static
from tui_support import press_and_settle, settle

from los_tui.domain.model import Frequency, Role, Status
from los_tui.screens.review import CommitmentMeetingsScreen, ReviewScreen, YearHeatmap
from los_tui.services.diary import Diary

pytestmark = pytest.mark.both_backends  # a diary file, then a database on the server

BOARD = "lmcs-improvement-board"
MARKUP_TITLE = "[b]Not markup[/b] & [link=x]y[/]"
# What matters when catching up leads (the headings are short, so 80 columns show every count).
COLUMNS = ["Role", "Commitment", "Unlogged", "Upcoming", "Missed", "Rating", "Attended", "Delegated",
           "Cancelled", "Expected", "Frequency"]  # fmt: skip


class ReviewHost(App[None]):
    """The smallest app that shows the review screen, as the real app will."""

    def __init__(self, diary: Diary) -> None:
        super().__init__()
        self.diary = diary

    def on_mount(self) -> None:
        self.push_screen(ReviewScreen(self.diary, lambda: NOW))


@pytest.fixture
def diary(db_path: Path) -> Iterator[Diary]:
    """Set up in January; the board monthly; in Q3 July attended, August apologies, September not logged."""
    opened = Diary.open(db_path, clock=lambda: datetime(2026, 1, 5, 9, 0, tzinfo=LONDON))
    opened.init("lmcs")
    opened.commitments.schedule(BOARD, "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2", datetime(2026, 1, 13, 18, 30), 120)
    opened.commitments.add(MARKUP_TITLE, Role.LMCS, Frequency.AD_HOC)
    opened.clock = lambda: NOW
    for day, status in (("2026-07-14", Status.ATTENDED), ("2026-08-11", Status.APOLOGIES)):
        opened.meetings.log(BOARD, datetime.fromisoformat(day).replace(tzinfo=LONDON), False, status)
    yield opened
    opened.close()


def table_rows(app: App[None]) -> dict[str, list[str]]:
    table = app.screen.query_one("#review-table", DataTable)
    return {
        str(table.get_row_at(i)[1]): [str(cell) for cell in table.get_row_at(i)]
        for i in range(table.row_count)
    }


def column(name: str) -> int:
    return COLUMNS.index(name)


async def test_the_review_opens_on_this_quarter_and_steps_back_to_last_quarter(diary: Diary) -> None:
    app = ReviewHost(diary)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        title = str(app.screen.query_one("#review-title", Static).render())
        assert "2026-Q4 (2026/27 Q3)" in title
        board = table_rows(app)["Children's Improvement Board"]
        assert (board[column("Expected")], board[column("Unlogged")], board[column("Upcoming")]) == (
            "3",
            "2",
            "1",
        )
        await press_and_settle(pilot, "[")
        assert "2026-Q3 (2026/27 Q2)" in str(app.screen.query_one("#review-title", Static).render())
        board = table_rows(app)["Children's Improvement Board"]
        counts = [board[column(n)] for n in ("Expected", "Attended", "Missed", "Unlogged", "Upcoming")]
        assert counts == ["3", "1", "1", "1", "0"]
        assert board[column("Rating")].strip() == "✗ Overdue"
        # PgUp and PgDn too, as everywhere (the table kept them, and the quarter stayed).
        await press_and_settle(pilot, "pageup")
        assert "2026-Q2 (2026/27 Q1)" in str(app.screen.query_one("#review-title", Static).render())
        await press_and_settle(pilot, "pagedown", "pagedown")
        assert "2026-Q4 (2026/27 Q3)" in str(app.screen.query_one("#review-title", Static).render())


async def test_missed_and_unlogged_only_and_sorting_by_rating(diary: Diary) -> None:
    app = ReviewHost(diary)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await press_and_settle(pilot, "[")
        assert len(table_rows(app)) == 17  # every LMCS line and the user's own
        await pilot.press("f")
        await pilot.pause()
        shown = table_rows(app)
        # The board, three monthly and three less frequent lines owed in Q3 with nothing logged.
        assert len(shown) == 7 and "Children's Improvement Board" in shown and "Visit to a team" not in shown
        assert all(int(r[column("Missed")]) + int(r[column("Unlogged")]) > 0 for r in shown.values())
        await pilot.press("f", "s")  # all rows again, sorted by rating: overdue first
        await pilot.pause()
        table = app.screen.query_one("#review-table", DataTable)
        assert str(table.get_row_at(0)[column("Rating")]).strip() == "✗ Overdue"
        assert "sorted by rating" in str(app.screen.query_one("#review-title", Static).render())


async def test_enter_opens_the_boards_meetings_and_a_forgotten_one_is_logged_from_there(diary: Diary) -> None:
    app = ReviewHost(diary)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await press_and_settle(pilot, "[")
        await pilot.press("s", "s", "s", "s")  # sorted by title, the board is well down the list
        table = app.screen.query_one("#review-table", DataTable)
        assert table.get_row_index(BOARD) > 0
        table.move_cursor(row=table.get_row_index(BOARD))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CommitmentMeetingsScreen)
        meetings = app.screen.query_one(DataTable)
        # What was logged, in the user's word (apologies is not "missed"); what it counts as beside it.
        assert [str(meetings.get_row_at(i)[1]) for i in range(meetings.row_count)] == [
            "✓ attended",
            "~ apologies",
            "? unlogged",
        ]
        assert [str(meetings.get_row_at(i)[2]) for i in range(meetings.row_count)] == [
            "attended",
            "missed",
            "unlogged",
        ]
        assert "Overdue" in str(app.screen.query_one("#occurrences-title", Static).render())
        await pilot.press("down", "down", "a")  # "I went in September, I just didn't log it"
        await settle(pilot)
        assert str(meetings.get_row_at(2)[1]) == "✓ attended"
        await press_and_settle(pilot, "escape")
        assert isinstance(app.screen, ReviewScreen)
        board = table_rows(app)["Children's Improvement Board"]
        assert (board[column("Attended")], board[column("Unlogged")]) == ("2", "0")
        assert table.cursor_row == table.get_row_index(BOARD)  # still on the board after counting again
    september = diary.meetings.find(BOARD, datetime(2026, 9, 8, 18, 30, tzinfo=LONDON), True)
    assert september is not None and september.status == Status.ATTENDED


async def test_a_status_logged_by_mistake_in_a_commitments_meetings_is_cleared_with_0(diary: Diary) -> None:
    app = ReviewHost(diary)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await press_and_settle(pilot, "[")
        table = app.screen.query_one("#review-table", DataTable)
        table.move_cursor(row=table.get_row_index(BOARD))
        await press_and_settle(pilot, "enter")
        assert isinstance(app.screen, CommitmentMeetingsScreen)
        assert "0 clear" in str(app.screen.query_one(".help", Static).render())
        meetings = app.screen.query_one(DataTable)
        await press_and_settle(pilot, "down", "down", "x")  # September: a slip, it was not missed
        assert str(meetings.get_row_at(2)[2]) == "missed"
        await press_and_settle(pilot, "0")
        assert [str(cell) for cell in meetings.get_row_at(2)[1:3]] == ["? unlogged", "unlogged"]
        await press_and_settle(pilot, "escape")
        board = table_rows(app)["Children's Improvement Board"]
        assert (board[column("Missed")], board[column("Unlogged")]) == ("1", "1")
    september = diary.meetings.find(BOARD, datetime(2026, 9, 8, 18, 30, tzinfo=LONDON), True)
    assert september is None or september.status is None


async def test_the_users_own_words_are_shown_literally_never_as_markup(diary: Diary) -> None:
    app = ReviewHost(diary)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#review-table", DataTable)
        cell = table.get_row_at(
            table.get_row_index(next(r for r in table.rows if "not-markup" in str(r.value)))
        )[1]
        assert isinstance(cell, Text) and cell.plain == MARKUP_TITLE


async def test_the_year_heatmap_shows_each_commitment_across_the_council_year(diary: Diary) -> None:
    app = ReviewHost(diary)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        console = Console(width=200, record=True, file=io.StringIO())
        console.print(app.screen.query_one(YearHeatmap).content)
        lines = console.export_text().splitlines()
    assert lines[0].rstrip() == "The council year at a glance, April 2026 to March 2027"
    assert lines[1].split()[1:] == [
        "Apr",
        "May",
        "Jun",
        "Jul",
        "Aug",
        "Sep",
        "Oct",
        "Nov",
        "Dec",
        "Jan",
        "Feb",
        "Mar",
    ]
    assert any(line.startswith("Children's Improvement Board") for line in lines)
    assert any(line.startswith(MARKUP_TITLE) for line in lines)
    fostering = next(line for line in lines if line.startswith("Fostering Panel"))
    assert fostering.count("·") == 11  # an annual panel falls due once, in March


async def test_the_report_is_exported_from_the_review_for_the_board(diary: Diary, tmp_path: Path) -> None:
    target = tmp_path / "board" / "q3.html"
    app = ReviewHost(diary)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await press_and_settle(pilot, "[")
        await pilot.press("w")
        await pilot.pause()
        dialog = app.screen
        app.screen.query_one(Input).value = str(target)
        await press_and_settle(pilot, "enter")
        # The folder is not there yet: refused in the dialog, which stays with the name to put right.
        assert app.screen is dialog and app.screen.query_one(Input).value == str(target)
        target.parent.mkdir()
        await press_and_settle(pilot, "enter")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    texts: list[str] = []

    class Page(HTMLParser):
        def handle_data(self, data: str) -> None:
            texts.append(data)

    Page().feed(target.read_text(encoding="utf-8"))
    page = "".join(texts)
    assert "2026-Q3 (2026/27 Q2)" in page and MARKUP_TITLE in page
    assert "Tue 11 Aug 2026 18:30: Children's Improvement Board (LMCS)" in page


async def test_clicking_a_column_heading_sorts_by_it(diary: Diary) -> None:
    app = ReviewHost(diary)
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        await press_and_settle(pilot, "[")
        table = app.screen.query_one("#review-table", DataTable)
        widths = [c.get_render_width(table) for c in table.ordered_columns]
        unlogged = column("Unlogged")
        await pilot.click("#review-table", offset=(sum(widths[:unlogged]) + 2, 0))
        await pilot.pause()
        first = [str(c) for c in table.get_row_at(0)]
        # The board (one unlogged) led the protocol's order; now a month-by-month line with three does.
        assert (first[1], first[unlogged]) == ("Performance data discussion", "3")


async def test_a_report_name_without_a_known_ending_is_refused_with_a_message(
    diary: Diary, tmp_path: Path
) -> None:
    target = tmp_path / "q3.txt"
    app = ReviewHost(diary)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await pilot.pause()
        app.screen.query_one(Input).value = str(target)
        await press_and_settle(pilot, "enter")
        messages = [n.message for n in app._notifications]
        # Refused in the dialog, which stays with the name typed, to be put right.
        assert not isinstance(app.screen, ReviewScreen)
        assert app.screen.query_one(Input).value == str(target)
    assert messages == ["file name 'q3.txt': end the name in .html, .md, .csv or .json"]
    assert not target.exists()


async def test_at_80_columns_every_count_and_the_rating_are_in_sight(diary: Diary) -> None:
    app = ReviewHost(diary)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#review-table", DataTable)
        widths = [c.get_render_width(table) for c in table.ordered_columns]
        assert sum(widths[: column("Expected") + 1]) <= 80 - 2  # the vertical scrollbar takes two
        assert [str(c.label) for c in table.ordered_columns][2:5] == ["Unl", "Upc", "Mis"]
        totals = str(app.screen.query_one("#review-totals", Static).render())
        assert all(f"{short} {word}" in totals for short, word in (("Unl", "unlogged"), ("Exp", "expected")))


async def test_the_heatmap_marks_each_rating_so_it_reads_without_colour(diary: Diary) -> None:
    app = ReviewHost(diary)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        plain = app.screen.query_one(YearHeatmap).content
        assert isinstance(plain, Text)
        board = next(line for line in plain.plain.splitlines() if line.startswith("Children's Improvement"))
    # July attended, August apologies (overdue), September and October left unlogged (at risk).
    assert board.split()[-12:][3:7] == ["✓", "✗", "?", "?"]


async def test_the_heatmap_draws_only_what_is_in_sight_and_again_in_a_new_theme(diary: Diary) -> None:
    app = ReviewHost(diary)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        heatmap = app.screen.query_one(YearHeatmap)
        box = app.screen.query_one("#review-heatmap-box")
        lines = heatmap.content.plain.splitlines()
        assert heatmap.virtual_size.height == len(lines) > box.size.height  # taller than its box
        drawn_first = dict(heatmap._strips)
        assert drawn_first and max(drawn_first) < box.size.height  # the lines out of sight not drawn
        assert "".join(segment.text for segment in drawn_first[0]) == lines[0]
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await settle(pilot)
        heatmap.refresh()
        await settle(pilot)
        redrawn = heatmap._strips[0]
        background = heatmap.rich_style.bgcolor
        assert all(segment.style is not None and segment.style.bgcolor == background for segment in redrawn)
        assert redrawn != drawn_first[0]


async def test_the_tables_cells_are_made_once_per_value_not_once_per_row(diary: Diary) -> None:
    """The review is kept for the whole run and counted again after every change: each of its ~200 rows
    held twelve Texts of its own (a council's 2,400, made afresh by each recount); a value shown in many
    rows is now one shared cell, so the table holds as many cells as it shows different values."""
    app = ReviewHost(diary)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#review-table", DataTable)
        rows = [table.get_row_at(i) for i in range(table.row_count)]
        assert len(rows) > 10
        cells = [cell for row in rows for cell in row]
        # Every cell still reads as it did, counts right-aligned, the rating's badge styled.
        assert all(isinstance(cell, Text) for cell in cells)
        counts = [row[column(name)] for row in rows for name in ("Expected", "Unlogged", "Upcoming")]
        assert {cell.justify for cell in counts} == {"right"}
        assert len({id(cell) for cell in cells}) == len({(cell.plain, cell.justify) for cell in cells})
        before = {id(cell) for cell in cells}
        await press_and_settle(pilot, "[")
        await press_and_settle(pilot, "]")  # counted again: the same values, the same cells
        table = app.screen.query_one("#review-table", DataTable)
        again = {id(cell) for i in range(table.row_count) for cell in table.get_row_at(i)}
        assert again == before


async def test_the_heatmap_is_kept_once_not_again_as_text(diary: Diary) -> None:
    """The kept review held its heatmap twice: as one whole Text (every cell's span) and again split into
    the lines it draws from. Now a line is made as it is drawn, from the heatmap; the whole reads the same,
    made when asked."""
    app = ReviewHost(diary)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        heatmap = app.screen.query_one(YearHeatmap)
        held = [
            name
            for name, value in vars(heatmap).items()
            if isinstance(value, Text)
            or (isinstance(value, list) and any(isinstance(v, Text) for v in value))
        ]
        assert held == []
        lines = heatmap.content.plain.split("\n")
        assert len(lines) == heatmap.virtual_size.height > 10
        assert lines[0].startswith("The council year at a glance")
