"""The agenda: occurrences over a range (this week, the next 30 days, this quarter), by role."""

from __future__ import annotations

from datetime import date, timedelta
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import DataTable, Header

from los_tui.domain.model import Occurrence, Role
from los_tui.screens.base import DiaryScreen, in_background
from los_tui.screens.keys import bind
from los_tui.widgets.footer import KeyFooter
from los_tui.widgets.literal import headings, literal
from los_tui.widgets.status import moved_text, status_text, when_text

RANGES = ("week", "30 days", "quarter")
HEADINGS = ("When", "Status", "Role", "Commitment")
# The title column never narrower than this; below it, the table scrolls sideways rather than wrap a
# title a word to a line.
NARROWEST_TITLE = 24
ROLE_FILTERS: tuple[Role | None, ...] = (None, Role.LMCS, Role.DCS)


def agenda_range(kind: str, today: date) -> tuple[date, date]:
    if kind == "week":
        monday = today - timedelta(days=today.weekday())
        return monday, monday + timedelta(days=6)
    if kind == "30 days":
        return today, today + timedelta(days=29)
    first_month = (today.month - 1) // 3 * 3 + 1
    first = today.replace(month=first_month, day=1)
    after = (
        first.replace(year=first.year + 1, month=1)
        if first_month == 10
        else first.replace(month=first_month + 3)
    )
    return first, after - timedelta(days=1)


class AgendaScreen(DiaryScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("agenda.range", "next_range"),
        bind("agenda.role", "next_role"),
    ]
    ABOUT = (
        "The agenda: meetings over a range. {agenda.range} changes the range (this week, the next 30 days, "
        "this quarter), {agenda.role} the role; {open} opens a meeting."
    )

    def __init__(self) -> None:
        super().__init__()
        self.kind = "30 days"
        self.role: Role | None = None
        self.occurrences: list[Occurrence] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="agenda", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(*headings(*HEADINGS))

    def on_resize(self) -> None:
        if self.occurrences:
            self._fill(self.occurrences, keep_cursor=True)

    def reload(self) -> None:
        first, last = agenda_range(self.kind, self.los.today())
        role = self.role
        self.sub_title = (
            f"{self.kind}: {first:%d %b} to {last:%d %b %Y}, {role.label if role else 'both roles'}"
        )
        in_background(
            self, lambda diary: diary.meetings.agenda(first, last, role=role), self._loaded, group="agenda"
        )

    def _loaded(self, occurrences: list[Occurrence]) -> None:
        self._fill(occurrences, keep_cursor=False)

    def _fill(self, occurrences: list[Occurrence], keep_cursor: bool) -> None:
        self.occurrences = occurrences
        table = self.query_one(DataTable)
        now = self.los.now()
        rows = [
            (
                Text(when_text(occurrence, self.los.tz)),
                status_text(occurrence, now),
                Text(occurrence.role.value.upper()),
                literal(occurrence.title).append_text(moved_text(occurrence, self.los.tz)),
            )
            for occurrence in occurrences
        ]
        # The title takes the width the other columns leave, and wraps within it, so a long title and
        # where a meeting moved from are read in full at 80 columns, not cut off at the edge.
        widths = [
            max([len(label), *(row[index].cell_len for row in rows)]) for index, label in enumerate(HEADINGS)
        ]
        padding = 2 * table.cell_padding * len(HEADINGS) + table.styles.scrollbar_size_vertical
        widths[-1] = max(NARROWEST_TITLE, table.size.width - padding - sum(widths[:-1]))
        cursor = table.cursor_row
        table.clear(columns=True)
        for label, width in zip(headings(*HEADINGS), widths, strict=True):
            table.add_column(label, width=width)
        for row in rows:
            table.add_row(*row, height=None)
        if keep_cursor and rows:
            table.move_cursor(row=min(cursor, len(rows) - 1), animate=False)

    def action_next_range(self) -> None:
        self.kind = RANGES[(RANGES.index(self.kind) + 1) % len(RANGES)]
        self.reload()

    def action_next_role(self) -> None:
        self.role = ROLE_FILTERS[(ROLE_FILTERS.index(self.role) + 1) % len(ROLE_FILTERS)]
        self.reload()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if 0 <= event.cursor_row < len(self.occurrences):
            self.los.open_meeting(self.occurrences[event.cursor_row])
