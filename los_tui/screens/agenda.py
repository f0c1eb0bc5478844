"""The agenda: occurrences over a range (this week, the next 30 days, this quarter), by role."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, ClassVar

from rich.console import Console
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

if TYPE_CHECKING:
    from los_tui.services.diary import Diary

RANGES = ("week", "30 days", "quarter")
HEADINGS = ("When", "Status", "Role", "Commitment")
# The title column never narrower than this; below it, the table scrolls sideways rather than wrap a
# title a word to a line.
NARROWEST_TITLE = 24
ROLE_FILTERS: tuple[Role | None, ...] = (None, Role.LMCS, Role.DCS)

Row = tuple[Text, Text, Text, Text]


def agenda_rows(occurrences: list[Occurrence], tz: str, now: datetime) -> list[Row]:
    """Each meeting as the table shows it: when, status, role, and the title with where it moved from."""
    return [
        (
            Text(when_text(occurrence, tz)),
            status_text(occurrence, now),
            Text(occurrence.role.value.upper()),
            literal(occurrence.title).append_text(moved_text(occurrence, tz)),
        )
        for occurrence in occurrences
    ]


def shown_as(rows: list[Row]) -> list[tuple[tuple[str, str, tuple[object, ...]], ...]]:
    """What the rows look like: each cell's text, style and styled spans."""
    return [tuple((cell.plain, str(cell.style), tuple(cell.spans)) for cell in row) for row in rows]


def wrapped_height(title: Text, width: int, console: Console) -> int:
    """The lines `title` takes wrapped to `width` cells (most titles fit on one)."""
    if title.cell_len <= width and "\n" not in title.plain:
        return 1
    return len(title.wrap(console, width))


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
        self.rows: list[Row] = []  # what the table shows of each, in its order
        self._reading = 0  # reads asked for and not yet shown
        self._read_for_showing = False  # read afresh for the showing under way (the app shows it then)
        self._shown_at_width: int | None = None  # the width the table was last filled for

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="agenda", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(*headings(*HEADINGS))

    def on_resize(self) -> None:
        if self.rows:
            self._fill(keep_cursor=True)

    @property
    def is_loaded(self) -> bool:
        return self._reading == 0

    READ_BEFORE_SHOWN = True

    def read_for_showing(self, shown: Callable[[], None]) -> None:
        self._read_for_showing = True
        self.reload(then=shown)

    def refresh_on_resume(self) -> None:
        if self._read_for_showing:
            self._read_for_showing = False  # read just before it was shown: nothing more to read
        elif not self._reading:  # Textual resumes a mode's screen twice as it first shows it
            self.reload()

    def reload(self, then: Callable[[], None] | None = None) -> None:
        """Read the range afresh and show it; `then` runs once it is shown (or could not be read)."""
        first, last = agenda_range(self.kind, self.los.today())
        role = self.role
        self.sub_title = (
            f"{self.kind}: {first:%d %b} to {last:%d %b %Y}, {role.label if role else 'both roles'}"
        )
        tz, now = self.los.tz, self.los.now()

        def read(diary: Diary) -> tuple[list[Occurrence], list[Row]]:
            # The rows are made here, off the UI thread: a council's month holds ~200 meetings.
            occurrences = diary.meetings.agenda(first, last, role=role)
            return occurrences, agenda_rows(occurrences, tz, now)

        def loaded(found: tuple[list[Occurrence], list[Row]]) -> None:
            self._reading -= 1
            occurrences, rows = found
            # The same meetings, shown the same way, are left as they are: the table keeps its rendered
            # lines, and going back to the agenda costs a paint, not a refill.
            if self._shown_at_width != self.size.width or shown_as(rows) != shown_as(self.rows):
                self.occurrences, self.rows = occurrences, rows
                self._fill(keep_cursor=False)
            if then is not None:
                then()

        def not_read(reason: str) -> None:
            self._reading -= 1
            self.notify(reason, title="Not done", severity="error", markup=False)
            if then is not None:
                then()

        if in_background(self, read, loaded, group="agenda", on_failure=not_read):
            self._reading += 1
        elif then is not None:
            then()

    def _fill(self, keep_cursor: bool) -> None:
        rows = self.rows
        table = self.query_one(DataTable)
        # The title takes the width the other columns leave, and wraps within it, so a long title and
        # where a meeting moved from are read in full at 80 columns, not cut off at the edge.
        widths = [
            max([len(label), *(row[index].cell_len for row in rows)]) for index, label in enumerate(HEADINGS)
        ]
        padding = 2 * table.cell_padding * len(HEADINGS) + table.styles.scrollbar_size_vertical
        widths[-1] = title_width = max(NARROWEST_TITLE, table.size.width - padding - sum(widths[:-1]))
        cursor = table.cursor_row
        table.clear(columns=True)
        for label, width in zip(headings(*HEADINGS), widths, strict=True):
            table.add_column(label, width=width)
        console = self.app.console
        for row in rows:
            # Each row's height given: DataTable measures a row of none by rendering all of its cells.
            table.add_row(*row, height=wrapped_height(row[-1], title_width, console))
        if keep_cursor and rows:
            table.move_cursor(row=min(cursor, len(rows) - 1), animate=False)
        self._shown_at_width = self.size.width

    def action_next_range(self) -> None:
        self.kind = RANGES[(RANGES.index(self.kind) + 1) % len(RANGES)]
        self.reload()

    def action_next_role(self) -> None:
        self.role = ROLE_FILTERS[(ROLE_FILTERS.index(self.role) + 1) % len(ROLE_FILTERS)]
        self.reload()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if 0 <= event.cursor_row < len(self.occurrences):
            self.los.open_meeting(self.occurrences[event.cursor_row])
