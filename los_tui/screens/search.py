"""Search: the next meeting of each commitment whose title matches, then logged meetings whose title,
note, questions or actions hold every word typed."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable, Header, Input

from los_tui.domain.model import Occurrence
from los_tui.screens.base import DiaryScreen, in_background
from los_tui.widgets.footer import KeyFooter
from los_tui.widgets.literal import headings, literal
from los_tui.widgets.status import status_text, when_text


def snippet(occurrence: Occurrence, width: int = 60) -> str:
    text = " ".join((occurrence.note or occurrence.questions).split())
    return text if len(text) <= width else text[: width - 1] + "…"


class SearchScreen(DiaryScreen):
    ABOUT = (
        "Search: type words and press Enter: the next meeting of each commitment whose title matches, then "
        "every logged meeting whose title, note, questions or actions hold the words. The arrows and "
        "{open} open a result; Tab goes back to the words; {back} goes back to the month."
    )

    def __init__(self) -> None:
        super().__init__()
        self.found: list[Occurrence] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(
            placeholder="Words to find in titles, notes, questions and actions; Enter", id="search-for"
        )
        yield DataTable(id="search-results", cursor_type="row")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = "Search"
        self.query_one(DataTable).add_columns(*headings("When", "Status", "Commitment", "Note"))
        self.query_one(Input).focus()

    def reload(self) -> None:
        words = self.query_one(Input).value
        if words.strip():
            today = self.los.today()
            in_background(
                self, lambda diary: diary.meetings.search(words, today), self._loaded, group="search"
            )

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        self.reload()
        self.query_one(DataTable).focus()

    def _loaded(self, found: list[Occurrence]) -> None:
        self.found = found
        table = self.query_one(DataTable)
        table.clear()
        now = self.los.now()
        for occurrence in found:
            table.add_row(
                Text(when_text(occurrence, self.los.tz)),
                status_text(occurrence, now),
                literal(occurrence.title),
                literal(snippet(occurrence)),
            )
        if not found:
            self.notify("Nothing found.")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if 0 <= event.cursor_row < len(self.found):
            self.los.open_meeting(self.found[event.cursor_row])
