"""Search: the next meeting of each commitment whose title holds the words, then the logged meetings
holding them (the full-text index), newest first, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable, Header, Input, Static

from los_tui.domain.model import Occurrence
from los_tui.domain.search import SEARCH_PAGE, Found, Snippet
from los_tui.screens.base import DiaryScreen, in_background
from los_tui.widgets.footer import KeyFooter
from los_tui.widgets.literal import headings, literal, visible
from los_tui.widgets.one_line import OneLine
from los_tui.widgets.status import moved_text, status_text, when_text

if TYPE_CHECKING:
    from los_tui.services.diary import Diary

MORE_ROW = "more"
SEARCHING_ROW = "searching"  # where the results will be, while the words are searched
# The place the words were found, as the Found column names it.
PLACE_LABELS = {
    "title": "title",
    "note": "note",
    "questions": "questions",
    "difference": "difference",
    "actions": "action",
    "answers": "answer",
}


def snippet_cell(found: Found | None) -> Text:
    """Where the words were found and the words in their context, the words themselves in bold."""
    if found is None:
        return Text("next meeting", style="italic")
    shown = found.shown_snippet(include_notes=True)
    if shown is None:
        return Text("title", style="italic")
    place, snippet = shown
    cell = Text(f"{PLACE_LABELS[place]}: ", style="italic")
    return cell.append_text(_marked(snippet))


def _marked(snippet: Snippet) -> Text:
    text = Text()
    for piece, is_found in snippet:
        text.append(visible(_one_line(piece)), style="bold reverse" if is_found else "")
    return text


def _one_line(piece: str) -> str:
    # Keep the spaces at either end (they part a word found from the text beside it), fold the rest.
    inner = " ".join(piece.split())
    if not inner:
        return " " if piece else ""
    return (" " if piece[:1].isspace() else "") + inner + (" " if piece[-1:].isspace() else "")


Cells = tuple[OneLine, OneLine, OneLine, OneLine]  # When, Status, Commitment, Found
COLUMNS = ("When", "Status", "Commitment", "Found")
# The Commitment column's width: the widest title shown, at most what the When and Status columns and the
# narrowest Found column leave (at 80 columns the Found column is then in sight, not scrolled off to the
# right: the row the cursor is on has it in full under the table), and no narrower than NARROWEST_COMMITMENT.
NARROWEST_COMMITMENT, NARROWEST_FOUND = 16, 12


@dataclass(frozen=True)
class Result:
    """One result's row, made and rendered in the search's worker: the UI thread only adds it to the
    table, and the table only crops each cell's line as it paints. `detail` says in full where the words
    were found, under the table for the row the cursor is on (the Found column is cut at the edge)."""

    occurrence: Occurrence
    cells: Cells
    detail: Text


def result_cells(occurrence: Occurrence, hit: Found | None, tz: str, now: datetime) -> Result:
    found = snippet_cell(hit)
    title = literal(occurrence.title).append_text(moved_text(occurrence, tz))
    title.overflow = "ellipsis"  # cut where the Commitment column ends, and seen to be cut
    cells = (
        OneLine(Text(when_text(occurrence, tz))),
        OneLine(status_text(occurrence, now)),
        OneLine(title),
        OneLine(found),
    )
    if hit is None:
        detail = Text("The next meeting of a commitment whose title holds the words.", style="italic")
    else:
        detail = Text("Found in ", style="italic").append_text(found)
    return Result(occurrence, cells, detail)


def commitment_width(table_width: int, padding: int, results: list[Result]) -> int:
    """The Commitment column's width at `table_width` cells for `results` (see NARROWEST_COMMITMENT)."""
    when, status, title = (max((r.cells[i].width for r in results), default=0) for i in (0, 1, 2))
    spare = table_width - padding - when - status - NARROWEST_FOUND
    return max(NARROWEST_COMMITMENT, min(title, spare))


@dataclass(frozen=True)
class Page:
    """What one search job read: the words asked, for which showing, and what was found, each meeting
    with its row's cells (the next meetings by title first, then the logged meetings found)."""

    showing: int
    offset: int
    rows: list[Result]
    logged: int  # how many of the rows are logged meetings found (the rest are next meetings)


def read_page(
    diary: Diary,
    words: str,
    showing: int,
    offset: int,
    limit: int,
    today: date | None,
    tz: str,
    now: datetime,
) -> Page:
    """A page of results with their rows made: with `today`, the next meetings by title first."""
    coming = [] if today is None else diary.meetings.next_with_title(words, today)
    found = diary.meetings.search(words, limit=limit, offset=offset)
    rows = [result_cells(o, None, tz, now) for o in coming]
    rows += [result_cells(hit.occurrence, hit, tz, now) for hit in found]
    return Page(showing, offset, rows, len(found))


class SearchScreen(DiaryScreen):
    ABOUT = (
        "Search: type words and press Enter: the next meeting of each commitment whose title holds them, "
        "then every logged meeting whose title, note, questions, difference, actions or answers hold "
        "them (each as the start of a word), newest first, with where they were found (in full under the "
        "list, for the one the cursor is on). The list grows as you move down it. The arrows and {open} "
        "open a result; Tab goes back to the words; {back} goes "
        "back to the month."
    )

    def __init__(self) -> None:
        super().__init__()
        self.found: list[Occurrence] = []  # the meetings shown, row by row
        self.results: list[Result] = []  # and their rows, to lay them out again at another width
        self._laid_out_at = 0  # the table's width its columns were made for
        self.words = ""
        # Each Enter starts a new showing; a page read for an older one arrives too late and is dropped.
        self.showing = 0
        self.logged = 0  # how many logged meetings are shown (the offset of the next page)
        self.has_more = False
        # A page is being read. Not Textual's `loading` (a Widget reactive): set on the screen, that covered
        # the whole screen, the words typed and the keys too, with a loading indicator while a page was
        # read, then laid every widget out afresh to show them again (the table drawn twice over).
        self.reading = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(
            placeholder="Words to find in titles, notes, questions, actions and answers; Enter",
            id="search-for",
        )
        yield DataTable(id="search-results", cursor_type="row")
        yield Static(id="search-found", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = "Search"
        self.query_one(DataTable).add_columns(*headings(*COLUMNS))
        self.query_one(Input).focus()

    @property
    def is_loaded(self) -> bool:
        return not self.reading

    def reload(self) -> None:
        """Shown again, or the diary changed: read what is shown again (as many as are shown)."""
        if self.words:
            self._search(self.words, max(SEARCH_PAGE, self.logged), keep_cursor=True)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            return
        # The last words' results go at once: Enter on one of them must not open a meeting the new words
        # did not find, and the table that takes the focus is not painted again only to be replaced.
        table = self.query_one(DataTable)
        table.clear()
        table.add_row(Text("…"), Text(""), Text("Searching", style="italic"), Text(""), key=SEARCHING_ROW)
        self.found, self.results, self.logged, self.has_more = [], [], 0, False
        self._show_found(None)
        self._search(event.value, SEARCH_PAGE, keep_cursor=False)
        table.focus()

    def _search(self, words: str, limit: int, keep_cursor: bool) -> None:
        self.words = words
        self.showing += 1
        showing, today, tz, now = self.showing, self.los.today(), self.los.tz, self.los.now()
        cursor = self.query_one(DataTable).cursor_row if keep_cursor else 0
        self.reading = True
        in_background(
            self,
            lambda diary: read_page(diary, words, showing, 0, limit, today, tz, now),
            lambda page: self._first_page(page, limit, cursor),
            group="search",
            exclusive=True,
            on_failure=lambda reason: self._refused(reason, showing),
        )

    def _refused(self, reason: str, showing: int) -> None:
        if showing != self.showing:
            return  # refused words replaced since by others: those are being searched
        self.reading = False
        table = self.query_one(DataTable)
        if SEARCHING_ROW in table.rows:
            table.remove_row(SEARCHING_ROW)
        self.notify(reason, title="Not searched", severity="warning", markup=False)
        # Back to the words, to be put right: left on the empty table, the next words typed ran commands
        # ("quarterly" quit the app at its q).
        self.query_one(Input).focus()

    def _first_page(self, page: Page, limit: int, cursor: int) -> None:
        if page.showing != self.showing:
            return
        table = self.query_one(DataTable)
        self.found, self.results, self.logged = [], [], 0
        self._lay_out(table, page.rows)
        self._add_page(table, page, limit)
        self.reading = False
        if not self.found:
            self.notify("Nothing found.")
            return
        table.move_cursor(row=min(cursor, table.row_count - 1))

    def _lay_out(self, table: DataTable[Text | OneLine], results: list[Result]) -> None:
        """The table emptied and its columns made for its width and `results`' When and Status."""
        padding = 2 * table.cell_padding * len(COLUMNS) + table.styles.scrollbar_size_vertical
        widths: list[int | None] = [None, None, commitment_width(table.size.width, padding, results), None]
        table.clear(columns=True)
        for label, width in zip(headings(*COLUMNS), widths, strict=True):
            table.add_column(label, width=width)
        self._laid_out_at = table.size.width

    def on_resize(self) -> None:
        table = self.query_one(DataTable)
        if not self.results or self.reading or table.size.width == self._laid_out_at:
            return
        cursor, results, has_more = table.cursor_row, self.results, self.has_more
        self.found, self.results = [], []
        self._lay_out(table, results)
        self._add_rows(table, results)
        if has_more:
            self._add_more_row(table)
        table.move_cursor(row=min(cursor, table.row_count - 1), animate=False)

    def _add_rows(self, table: DataTable[Text | OneLine], results: list[Result]) -> None:
        for result in results:
            table.add_row(*result.cells, key=str(len(self.found)))
            self.found.append(result.occurrence)
            self.results.append(result)

    def _add_more_row(self, table: DataTable[Text | OneLine]) -> None:
        more = Text("More: move here or press Enter", style="italic")
        table.add_row(Text("…"), Text(""), more, Text(""), key=MORE_ROW)

    def _add_page(self, table: DataTable[Text | OneLine], page: Page, limit: int) -> None:
        self._add_rows(table, page.rows)
        self.logged += page.logged
        self.has_more = page.logged == limit
        if self.has_more:
            self._add_more_row(table)

    def load_more(self) -> None:
        """The next page of logged meetings, added below those shown (the "More" row makes way)."""
        if not self.has_more or self.reading:
            return
        words, offset, showing, tz, now = self.words, self.logged, self.showing, self.los.tz, self.los.now()
        self.reading = True  # the rows shown stay in sight: the More row makes way for the next page
        in_background(
            self,
            lambda diary: read_page(diary, words, showing, offset, SEARCH_PAGE, None, tz, now),
            self._next_page,
            group="search",
            on_failure=lambda reason: self._refused(reason, showing),
        )

    def _next_page(self, page: Page) -> None:
        if page.showing != self.showing or page.offset != self.logged:
            return
        table = self.query_one(DataTable)
        was_on_more = table.cursor_row == len(self.found)
        table.remove_row(MORE_ROW)
        self._add_page(table, page, SEARCH_PAGE)
        self.reading = False
        if was_on_more and page.rows:  # stay where the More row was: on the first of the new page
            table.move_cursor(row=len(self.found) - len(page.rows))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value == MORE_ROW:
            self._show_found(None)
            self.load_more()
        elif 0 <= event.cursor_row < len(self.results):
            self._show_found(self.results[event.cursor_row].detail)

    def _show_found(self, detail: Text | None) -> None:
        self.query_one("#search-found", Static).update(Text("") if detail is None else detail)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value == MORE_ROW:
            self.load_more()
        elif 0 <= event.cursor_row < len(self.found):
            self.los.open_meeting(self.found[event.cursor_row])
