"""The review screen: a quarter's counts by role, what was missed or left unlogged, logging the forgotten
ones, the year's heatmap, and exporting the report for the board. Database work runs in thread workers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from pathlib import Path
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.geometry import Size
from textual.screen import ModalScreen
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Button, Checkbox, DataTable, Input, Label, Static

from los_tui.db.errors import StoreError
from los_tui.domain.model import UNLOGGED, Occurrence, Status
from los_tui.domain.parsing import InputError
from los_tui.domain.periods import Quarter
from los_tui.domain.review import (
    CommitmentReview,
    Heatmap,
    Outcome,
    Rating,
    ReviewItem,
    ReviewReport,
    outcome_of,
)
from los_tui.screens.base import DiaryScreen
from los_tui.screens.errors import in_words
from los_tui.screens.jobs import RunsJobs, run_job
from los_tui.screens.keys import bind, keys_for
from los_tui.services.diary import Clock, Diary, roles_of
from los_tui.services.files import checked_report_path, default_folder, write_report
from los_tui.widgets.field import Field
from los_tui.widgets.footer import KeyFooter
from los_tui.widgets.literal import headings, literal, visible
from los_tui.widgets.status import MARKS, SCHEDULED, STYLES

RATING_STYLES = {
    Rating.COMPLETE: "bold white on #2e7d32",
    Rating.ON_TRACK: "bold black on #a5d6a7",
    Rating.AT_RISK: "bold black on #f9a825",
    Rating.OVERDUE: "bold white on #c62828",
}
# A mark for each rating, so the heatmap and the table read without colour too.
RATING_MARKS = {Rating.COMPLETE: "✓", Rating.ON_TRACK: "○", Rating.AT_RISK: "?", Rating.OVERDUE: "✗"}
OUTCOME_STYLES = {
    Outcome.ATTENDED: STYLES[Status.ATTENDED.value],
    Outcome.DELEGATED: STYLES[Status.DELEGATED.value],
    Outcome.MISSED: STYLES[Status.MISSED.value],
    Outcome.CANCELLED: STYLES[Status.CANCELLED.value],
    Outcome.UNLOGGED: STYLES[UNLOGGED],
    Outcome.UPCOMING: STYLES[SCHEDULED],
}
OUTCOME_MARKS = {
    Outcome.ATTENDED: MARKS[Status.ATTENDED.value],
    Outcome.DELEGATED: MARKS[Status.DELEGATED.value],
    Outcome.MISSED: MARKS[Status.MISSED.value],
    Outcome.CANCELLED: MARKS[Status.CANCELLED.value],
    Outcome.UNLOGGED: MARKS[UNLOGGED],
    Outcome.UPCOMING: MARKS[SCHEDULED],
}
# The counts in the order that matters when catching up (what to log, what is coming, what was missed),
# each with the short heading that lets the table fit 80 columns; the totals line spells them out.
COUNTS = (
    ("unlogged", "Unl"),
    ("upcoming", "Upc"),
    ("missed", "Mis"),
    ("attended", "Att"),
    ("delegated", "Del"),
    ("cancelled", "Can"),
    ("expected", "Exp"),
)
COUNT_COLUMNS = tuple(name for name, _ in COUNTS)
RATING_ORDER = [Rating.OVERDUE, Rating.AT_RISK, Rating.ON_TRACK, Rating.COMPLETE]
# The ways the table can be sorted, cycled with one key: by role then title (the protocol's order) first.
SORTS = ("role", "rating", "unlogged", "missed", "title")
SORT_OF_HEADING = {
    "role": "role",
    "commitment": "title",
    "rating": "rating",
    "frequency": "role",
    **{short.lower(): name for name, short in COUNTS},
}
FIXED_COLUMNS_WIDTH = (4 + 2) + len(COUNTS) * (3 + 2) + (11 + 2)  # role, the counts, the rating
FREQUENCY_WIDTH = 16


def rating_text(rating: Rating) -> Text:
    return Text(f" {RATING_MARKS[rating]} {rating.label} ", style=RATING_STYLES[rating])


# The table's cells, one shared Text for each value (a DataTable only reads its cells): 200 rows of twelve
# cells each recount were 2,400 Texts kept for the screen's life, made afresh by every recount
# (~0.5 MB of the TUI's peak on a council's diary, and the allocator's room they churned).
shared_rating_cell = cache(rating_text)


@lru_cache(maxsize=4096)
def count_cell(count: int) -> Text:
    return Text(str(count), justify="right")


@lru_cache(maxsize=4096)
def plain_cell(text: str) -> Text:
    return Text(text)


@lru_cache(maxsize=4096)
def title_cell(title: str) -> Text:
    return Text(title, no_wrap=True, overflow="ellipsis")


def row_cells(row: CommitmentReview) -> list[Text]:
    """A commitment's row in the review's table, in the columns' order (see `ReviewScreen._add_columns`)."""
    counts = [count_cell(getattr(row.counts, name)) for name in COUNT_COLUMNS]
    return [
        plain_cell(row.commitment.role.value.upper()),
        title_cell(row.commitment.title),
        *counts[:3],
        shared_rating_cell(row.rating),
        *counts[3:],
        plain_cell(row.commitment.frequency.label),
    ]


def logged_text(item: ReviewItem) -> Text:
    """What was logged for an item, in the user's word (apologies stays apologies), or why nothing is."""
    status = item.occurrence.status if item.occurrence is not None else None
    if status is not None:
        return Text(f"{MARKS[status.value]} {status.value}", style=STYLES[status.value])
    if item.outcome in (Outcome.UNLOGGED, Outcome.UPCOMING):
        return Text(f"{OUTCOME_MARKS[item.outcome]} {item.outcome.value}", style=OUTCOME_STYLES[item.outcome])
    return Text("")


class YearHeatmap(Widget):
    """Commitments by month across the council year, each cell coloured by that month's rating.

    Drawn a line at a time as each comes into sight (Textual's line API): a council's 200 rows drawn whole
    as one Text in a Static cost ~0.4 s on the UI thread each time new counts arrived.
    """

    # Lines of fixed width, never wrapped: the box scrolls sideways on a narrow terminal instead.
    DEFAULT_CSS = "YearHeatmap { height: auto; width: auto; padding: 0 1; }"
    TITLE_WIDTH = 40
    shown: Heatmap | None = None

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._title_width = 10
        self._width = 0
        self._strips: dict[int, Strip] = {}  # each line drawn so far, until the heatmap changes

    def show(self, heatmap: Heatmap) -> None:
        if heatmap == self.shown:
            return  # unchanged: keep what is already rendered
        self.shown = heatmap
        self._title_width = min(
            self.TITLE_WIDTH, max((cell_len(row.commitment.title) for row in heatmap.rows), default=10)
        )
        # A line is made as it comes into sight (`_line`), from the heatmap itself: its ~200 lines kept
        # as Texts, each cell a span, were ~0.3 MB of the kept review, made again by every recount.
        self._width = max(self._line(y).cell_len for y in (0, 1, self._height - 1))
        self._strips.clear()
        self.refresh(layout=True)

    @property
    def _height(self) -> int:
        """The title, the months, a line a commitment, a blank line and the key."""
        return 0 if self.shown is None else len(self.shown.rows) + 4

    def _line(self, y: int) -> Text:
        """Line `y` as drawn, laid out by hand: a Rich Table of 34 rows by 13 columns is measured again on
        every layout, which made opening the review several times slower. Every line is bold beneath
        its own styles."""
        heatmap, width = self.shown, self._title_width
        if heatmap is None or not 0 <= y < self._height:
            return Text()
        first, last = heatmap.months[0].first, heatmap.months[-1].last
        if y == 0:
            return Text(f"The council year at a glance, {first:%B %Y} to {last:%B %Y}", style="bold")
        line = Text(style="bold")
        if y == 1:
            line.append("Commitment".ljust(width))
            for month in heatmap.months:
                line.append(f" {month.first:%b}")
        elif y - 2 < len(heatmap.rows):
            row = heatmap.rows[y - 2]
            title = Text(row.commitment.title)  # Text, never a markup string: titles are the user's words
            title.truncate(width, overflow="ellipsis", pad=True)
            line.append_text(title)
            for cell in row.cells:
                line.append(" ")
                if cell:
                    line.append(f" {RATING_MARKS[cell]} ", style=RATING_STYLES[cell])
                else:
                    line.append(" · ", style="dim")
        elif y == self._height - 1:
            for rating in (Rating.COMPLETE, Rating.ON_TRACK, Rating.AT_RISK, Rating.OVERDUE):
                line.append(f" {RATING_MARKS[rating]} ", style=RATING_STYLES[rating])
                line.append(f" {rating.label}  ")
            line.append(" ·  nothing due", style="dim")
        return line

    @property
    def content(self) -> Text:
        """The whole heatmap, as drawn."""
        return Text("\n", style="bold").join(self._line(y) for y in range(self._height))

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()  # drawn in the old theme's colours

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return self._width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self._height

    def render_line(self, y: int) -> Strip:
        strip = self._strips.get(y)
        if strip is None:
            line = self._line(y)
            console = self.app.console
            # Under the line's own spans, its base style (bold), which Text.render leaves out of a line
            # with no spans, then the widget's.
            base = self.rich_style + console.get_style(line.style)
            strip = Strip(line.render(console), line.cell_len).apply_style(base)
            self._strips[y] = strip
        return strip


@dataclass
class Logged:
    item: ReviewItem
    status: Status | None  # None: what was logged is cleared


class CommitmentMeetingsScreen(RunsJobs, ModalScreen[bool]):
    """One commitment's meetings (or periods) in the review period; log any of them with a status key,
    or clear a status logged by mistake.

    Dismisses with True when something was logged, so the review can count again.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("status.attended", "log('attended')"),
        bind("status.delegated", "log('delegated')"),
        bind("status.apologies", "log('apologies')"),
        bind("status.missed", "log('missed')"),
        bind("status.cancelled", "log('cancelled')"),
        bind("status.clear", "log('')"),
        bind("back", "close"),
    ]
    ABOUT = (
        "One commitment's meetings in the review period: {status.attended} attended, {status.delegated} "
        "delegated, {status.apologies} apologies, {status.missed} missed, {status.cancelled} cancelled logs "
        "the selected one, {status.clear} clears what was logged; {back} goes back to the review."
    )
    DEFAULT_CSS = """
    CommitmentMeetingsScreen { align: center middle; }
    CommitmentMeetingsScreen > Vertical {
        width: 90%; height: 80%; border: thick $accent; background: $surface;
    }
    CommitmentMeetingsScreen DataTable { height: 1fr; }
    """

    def __init__(self, diary: Diary, row: CommitmentReview, period_label: str, clock: Clock) -> None:
        super().__init__()
        self.diary = diary
        self.clock = clock
        self.row = row
        self.period_label = period_label
        self.items = list(row.items)
        self.changed = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self._heading(), id="occurrences-title")
            yield DataTable(id="occurrences", cursor_type="row")
            yield Static(
                " · ".join(
                    f"{keys_for(self.app, f'status.{status.value}', True)} {status.value}"
                    for status in Status
                )
                + f" · {keys_for(self.app, 'status.clear', True)} clear"
                + f" · {keys_for(self.app, 'back', True)} back",
                classes="help",
            )

    def _heading(self) -> Text:
        """The commitment, the period and its rating: the rating is the whole row's, apart from what
        each meeting's line says was logged."""
        heading = Text(self.row.commitment.title, style="bold")
        heading.append(f"  {self.period_label}  ", style="dim")
        heading.append_text(rating_text(CommitmentReview(self.row.commitment, tuple(self.items)).rating))
        return heading

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*headings("When", "Logged", "Counts as", "Note"))
        self._fill()
        table.focus()

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for index, item in enumerate(self.items):
            table.add_row(
                Text(item.description),
                logged_text(item),
                Text(item.outcome.value, style=OUTCOME_STYLES[item.outcome]),
                literal(item.note.splitlines()[0] if item.note else ""),
                key=str(index),
            )
        self.query_one("#occurrences-title", Static).update(self._heading())

    def action_log(self, status: str) -> None:
        if not self.items:
            return
        index = self.query_one(DataTable).cursor_row
        request = Logged(self.items[index], Status(status) if status else None)
        logged = request.item.occurrence
        if request.status is None and (logged is None or logged.status is None):
            self.notify("Nothing is logged for it to clear.", markup=False)
            return
        run_job(
            self,
            lambda: self.diary.review.log_item(request.item, request.status),
            lambda logged: self._logged(index, request, logged),
            group="review-log",
        )

    def _logged(self, index: int, request: Logged, occurrence: Occurrence) -> None:
        item = request.item
        outcome = outcome_of(request.status, item.start, item.end, self.clock())
        self.items[index] = replace(item, outcome=outcome, occurrence=occurrence)
        self.changed = True
        self._fill()
        self.query_one(DataTable).move_cursor(row=index)
        said = f"Logged {request.status.value}" if request.status else "Cleared what was logged"
        self.notify(f"{said}: {item.description}", markup=False)

    def action_close(self) -> None:
        self.dismiss(self.changed)


class ExportScreen(RunsJobs, ModalScreen[tuple[Path, bool] | None]):
    """Where to write the report; its shape comes from the file's extension (.html, .md, .csv, .json)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("back", "cancel", "Cancel"),
    ]
    DEFAULT_CSS = """
    ExportScreen { align: center middle; }
    ExportScreen > Vertical {
        width: 70; height: auto; border: thick $accent; background: $surface; padding: 1 2;
    }
    """

    def __init__(self, suggested: Path) -> None:
        super().__init__()
        self.suggested = suggested

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Write the review report to (.html, .md, .csv or .json):")
            yield Field(str(self.suggested), id="export-path")
            yield Checkbox("Include notes (they may hold case details)", id="export-notes")
            with Horizontal():
                yield Button("Write", id="export-write", variant="primary")
                yield Button("Cancel", id="export-cancel")

    @on(Input.Submitted)
    @on(Button.Pressed, "#export-write")
    def write(self) -> None:
        text = self.query_one(Input).value.strip()
        if not text:
            self.notify("The file name is empty", severity="error")
            return
        try:  # refused here, the dialog and the name kept to put right (it closed, and the name was lost)
            path = checked_report_path(Path(text).expanduser())
        except InputError as exc:
            self.notify(in_words(exc), title="Not written", severity="error", markup=False)
            return
        self.dismiss((path, self.query_one(Checkbox).value))

    @on(Button.Pressed, "#export-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ReviewScreen(DiaryScreen):
    """This quarter's review each time it is shown (unless what it shows is still true); the quarter
    before and after are a key away. One is kept, and shown again by F7 over whichever main screen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority, as on the assurance screen: the table's own PgUp and PgDn kept the keys, so the quarter
        # did not change though the help, the key table and every other screen say it does.
        bind("period.previous", "previous_quarter", "Prev quarter", priority=True),
        bind("period.next", "next_quarter", "Next quarter", priority=True),
        bind("review.filter", "toggle_filter"),
        bind("review.sort", "cycle_sort"),
        bind("review.write", "export"),
    ]
    ABOUT = (
        "Review: what each commitment owed this quarter and what happened. {period.previous} and "
        "{period.next} change quarter, {review.filter} shows only what was missed or left unlogged, "
        "{review.sort} changes the sort, {open} lists a commitment's meetings, where {status.attended}, "
        "{status.delegated}, {status.apologies}, {status.missed} or {status.cancelled} log one and "
        "{status.clear} clears it; "
        "{review.write} writes the report for the board. Columns: Unl unlogged, Upc upcoming, Mis missed, "
        "Att attended, Del delegated, Can cancelled, Exp expected."
    )
    DEFAULT_CSS = """
    ReviewScreen #review-title { height: auto; padding: 0 1; text-style: bold; }
    ReviewScreen #review-totals { height: auto; padding: 0 1; }
    ReviewScreen #review-table { height: 1fr; }
    ReviewScreen #review-heatmap-box { height: 40%; border-top: solid $accent; overflow-x: auto; }
    """

    def __init__(self, diary: Diary, clock: Clock, quarter: Quarter | None = None) -> None:
        super().__init__()
        self.diary = diary
        self.clock = clock
        self.quarter = quarter or Quarter.containing(clock().astimezone(diary.zone).date())
        self.report: ReviewReport | None = None
        self.only_missed_and_unlogged = False
        self.sort_by = SORTS[0]
        self.shown: list[CommitmentReview] = []
        self._when_shown: Callable[[], None] | None = None
        self._counted_at: int | None = None  # the diary's data_version when `report` was read
        self._recounting = False  # the last counts shown while this quarter is counted again
        self._totals: Text | None = None
        self._built_width = 0  # the terminal width the table's columns were laid out for

    def compose(self) -> ComposeResult:
        yield Static(id="review-title")
        yield Static(id="review-totals")
        yield DataTable(id="review-table", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="review-heatmap-box"):
            yield YearHeatmap(id="review-heatmap")
        yield KeyFooter()

    def refresh_on_resume(self) -> None:
        """Back from its own dialogs: as it was (they say when to count again); F7 counts this quarter."""

    def count_this_quarter(self, then: Callable[[], None]) -> None:
        """About to be shown again (F7): this quarter, counted afresh unless nothing has changed since it
        was last counted; `then` runs once it is on the screen (the app pushes the screen then)."""
        quarter = Quarter.containing(self.clock().astimezone(self.diary.zone).date())
        if self.report is None or self.reuse_if_still_true(quarter):
            then()  # the first count, asked for on mount, is on its way; or what is shown still holds
        elif quarter == self.quarter:
            # Something changed: shown at once as last counted, said to be counting again, and the new
            # counts put in when they land (a council's 200 commitments take a while to count).
            self._recounting = True
            self._title(loading=True)
            then()
            # Counted once the screen is painted: a count started now would hold the interpreter
            # (its lock) in turns with the paint, and slow the screen's showing to the count's pace.
            self.app.call_after_refresh(self.load)
        else:
            self.show_quarter(quarter, then=then)

    @property
    def is_loaded(self) -> bool:
        """The counts shown are this quarter's as the diary holds them (not the last ones, recounting)."""
        return self.report is not None and not self._recounting

    def show_quarter(self, quarter: Quarter, then: Callable[[], None] | None = None) -> None:
        """Show `quarter` afresh: the app keeps this screen and shows it again rather than build anew.

        `then` runs once the quarter is on screen (the app pushes the screen then, to paint it once).
        The filter and sort chosen last time stay, as a user coming back to the review expects.
        """
        self.quarter = quarter
        self.report = None
        self._recounting = False
        self._when_shown = then
        self._title(loading=True)
        self.load()

    def reuse_if_still_true(self, quarter: Quarter) -> bool:
        """Whether what this screen last counted is what counting `quarter` now would show (nothing in
        the diary has changed since, and no meeting or period has ended); if so, its report is made as
        of now, and the screen can be shown as it is."""
        report = self.report
        if report is None or quarter != self.quarter or self._counted_at is None:
            return False
        try:
            unchanged = self.diary.data_version() == self._counted_at
        except StoreError:
            return False
        now = self.clock()
        if not (unchanged and report.still_true_at(now)):
            return False
        self.report = report.seen_at(now)  # exported from here, it says "as of" now
        return True

    def on_mount(self) -> None:
        self._add_columns()
        self.show_quarter(self.quarter)

    def _add_columns(self) -> None:
        """What matters first (unlogged, upcoming, missed) and the rating beside them; the commitment's
        title takes what the terminal leaves, so 80 columns show every count."""
        table = self.query_one("#review-table", DataTable)
        width = self.app.size.width
        self._built_width = width
        spare = width - FIXED_COLUMNS_WIDTH - 2 - 2  # its padding, and the scrollbar
        if width >= 100:
            spare -= FREQUENCY_WIDTH + 2
        table.clear(columns=True)
        table.add_column(Text("Role"), width=4, key="role")
        table.add_column(Text("Commitment"), width=max(16, min(44, spare)), key="title")
        for name, short in COUNTS[:3]:
            table.add_column(Text(short, justify="right"), width=3, key=name)
        table.add_column(Text("Rating"), width=11, key="rating")
        for name, short in COUNTS[3:]:
            table.add_column(Text(short, justify="right"), width=3, key=name)
        table.add_column(Text("Frequency"), width=FREQUENCY_WIDTH, key="frequency")
        self.shown = []  # the rows go in again

    def on_resize(self) -> None:
        if self.app.size.width != self._built_width:
            self._add_columns()
            if self.report is not None:
                self._fill()

    def _title(self, loading: bool = False) -> None:
        title = Text(f"Review {self.quarter.label} ({self.quarter.council_label})")
        title.append(f"  {self.quarter.period.label}", style="dim")
        if loading:
            title.append("  counting again…" if self._recounting else "  loading…", style="italic dim")
        else:
            if self.only_missed_and_unlogged:
                title.append("  missed and unlogged only", style="italic")
            title.append(f"  sorted by {self.sort_by}", style="italic")
        self.query_one("#review-title", Static).update(title)

    def reload(self) -> None:
        """Fetch the review again (the app calls this when another program changed the diary)."""
        self.load()

    def load(self) -> None:
        quarter, diary, clock = self.quarter, self.diary, self.clock

        def count() -> tuple[ReviewReport, Heatmap, int]:
            version = diary.data_version()  # before reading: a change after it is noticed
            roles = tuple(roles_of(diary.role_choice() or "both"))
            report = diary.review.load(quarter.period, clock(), roles, with_heatmap=True)
            return report, report.heatmap, version  # the heatmap made here, off the UI thread

        run_job(self, count, lambda found: self._show(quarter, *found), group="review", exclusive=True)

    def _show(self, quarter: Quarter, report: ReviewReport, heatmap: Heatmap, version: int) -> None:
        if quarter != self.quarter:
            return  # the user has already moved on to another quarter
        self.report = report
        self._counted_at = version
        self._recounting = False
        self._title()
        totals = report.review.totals
        line = Text()
        line.append_text(rating_text(totals.rating))  # first: a badge split over two lines reads as two
        for name, short in COUNTS:  # the full words beside the table's short headings
            line.append(f"  {short} ", style="bold").append(f"{name} ", style="dim")
            line.append(str(getattr(totals, name)))
        if line != self._totals:
            self._totals = line
            self.query_one("#review-totals", Static).update(line)
        self._fill()
        self.query_one("#review-heatmap", YearHeatmap).show(heatmap)
        when_shown, self._when_shown = self._when_shown, None
        if when_shown is not None:
            when_shown()

    def _sorted_rows(self) -> list[CommitmentReview]:
        assert self.report is not None
        rows = list(self.report.review.rows)
        if self.only_missed_and_unlogged:
            rows = [r for r in rows if r.counts.missed or r.counts.unlogged]
        if self.sort_by == "rating":
            rows.sort(key=lambda r: RATING_ORDER.index(r.rating))
        elif self.sort_by in COUNT_COLUMNS:
            rows.sort(key=lambda r: -int(getattr(r.counts, self.sort_by)))
        elif self.sort_by == "title":
            rows.sort(key=lambda r: r.commitment.title.casefold())
        return rows

    def _fill(self) -> None:
        table = self.query_one("#review-table", DataTable)
        # Keep the cursor on the same commitment when the rows are counted again or re-sorted.
        current = self.shown[table.cursor_row].commitment.slug if self.shown and table.row_count else None
        rows = self._sorted_rows()
        if rows == self.shown and table.row_count == len(rows):
            return  # the same rows: keep the table, and the lines it has already rendered
        table.clear()
        self.shown = rows
        for row in self.shown:
            table.add_row(*row_cells(row), key=row.commitment.slug)
        slugs = [row.commitment.slug for row in self.shown]
        if current in slugs:
            table.move_cursor(row=slugs.index(current))

    def action_previous_quarter(self) -> None:
        self._go(self.quarter.previous())

    def action_next_quarter(self) -> None:
        self._go(self.quarter.next())

    def _go(self, quarter: Quarter) -> None:
        self.quarter = quarter
        self._title(loading=True)
        self.load()

    def action_toggle_filter(self) -> None:
        self.only_missed_and_unlogged = not self.only_missed_and_unlogged
        if self.report is not None:
            self._title()
            self._fill()

    def action_cycle_sort(self) -> None:
        self.sort_by = SORTS[(SORTS.index(self.sort_by) + 1) % len(SORTS)]
        if self.report is not None:
            self._title()
            self._fill()

    @on(DataTable.HeaderSelected, "#review-table")
    def sort_by_column(self, event: DataTable.HeaderSelected) -> None:
        self.sort_by = SORT_OF_HEADING.get(str(event.label).strip().lower(), "role")
        if self.report is not None:
            self._title()
            self._fill()

    @on(DataTable.RowSelected, "#review-table")
    def open_commitment(self, event: DataTable.RowSelected) -> None:
        if self.report is None or not self.shown:
            return
        row = self.shown[event.cursor_row]
        self.app.push_screen(
            CommitmentMeetingsScreen(self.diary, row, self.quarter.period.label, self.clock),
            self._after_logging,
        )

    def _after_logging(self, changed: bool | None) -> None:
        if changed:
            self.load()

    def action_export(self) -> None:
        if self.report is None:
            return
        if self._recounting:  # the figures shown are about to change: export the ones that hold
            self.notify("The review is being counted again; export it once the new counts are shown")
            return
        suggested = default_folder() / f"los-review-{self.quarter.label}.html"
        self.app.push_screen(ExportScreen(suggested), self._export_to)

    def _export_to(self, choice: tuple[Path, bool] | None) -> None:
        report = self.report
        if choice is None or report is None:
            return
        path, include_notes = choice
        run_job(
            self,
            lambda: write_report(report, path, include_notes),
            lambda written: self.notify(visible(f"Wrote the review to {written}"), markup=False),
            group="review-export",
        )
