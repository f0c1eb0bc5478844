"""The assurance screen: the seven factors by month for a council year, the meetings behind each cell, the
attendance and actions of the year, and the statement written to a file; counted by the same service as
`los assurance`, so the screen and the statement never disagree."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.coordinate import Coordinate
from textual.screen import ModalScreen
from textual.widgets import DataTable, Header, Input, Label, Static

from los_tui.domain.assurance import AssuranceStatement, FactorEvidence, Sighting
from los_tui.domain.parsing import InputError
from los_tui.domain.periods import Period, council_year
from los_tui.domain.wording import plural
from los_tui.screens.base import DiaryScreen, in_background
from los_tui.screens.dialogs import FormDialog
from los_tui.screens.jobs import RunsJobs, run_job
from los_tui.screens.keys import bind, keys_for
from los_tui.services.diary import roles_of
from los_tui.services.files import checked_statement_path, default_folder, write_assurance
from los_tui.widgets.field import Field
from los_tui.widgets.footer import KeyFooter
from los_tui.widgets.literal import headings, literal, visible
from los_tui.widgets.status import status_text

if TYPE_CHECKING:
    from los_tui.services.diary import Diary

# Each factor's name where the full title does not fit beside twelve months.
SHORT_TITLES = {
    1: "Leadership",
    2: "Culture",
    3: "Resourcing",
    4: "Workforce",
    5: "Performance",
    6: "Partnership",
    7: "Outcomes",
}
# A cell with no meeting and no question, in a month begun: a word, so it reads in monochrome and in print.
GAP = "GAP"
TO_COME = "·"  # a month not begun yet: nothing is owed
CELL_WIDTH = 5  # " 12/3": one space apart, right-justified
YEAR_WIDTH = 6


def year_label(year: Period) -> str:
    return f"{year.first:%Y}/{year.last:%y}"


def cell_value(meetings: int, questions: int, begun: bool) -> Text:
    if not begun:
        return Text(TO_COME, style="dim")
    if meetings == 0 and questions == 0:
        return Text(GAP, style="bold reverse")
    return Text(f"{meetings}/{questions}")


def right(text: Text, width: int) -> Text:
    """`text` right-justified in `width` cells, with at least one space before it."""
    padded = Text(" " * max(1, width - len(text.plain)))
    return padded.append_text(text)


class MeetingsBehindScreen(RunsJobs, ModalScreen[None]):
    """The meetings behind a cell of the grid: seen under the factor, or where its questions were asked;
    Enter opens one."""

    BINDINGS: ClassVar[list[BindingType]] = [bind("back", "close")]
    DEFAULT_CSS = """
    MeetingsBehindScreen > Vertical {
        width: 96%; height: 80%; border: thick $accent; background: $surface; padding: 0 1;
    }
    MeetingsBehindScreen #behind-heading { height: auto; }
    MeetingsBehindScreen DataTable { height: 1fr; }
    """

    def __init__(self, heading: Text, found: list[Sighting], now: datetime) -> None:
        super().__init__()
        self.heading = heading
        self.found = found
        self.now = now

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.heading, id="behind-heading")
            yield DataTable(id="behind", cursor_type="row")
            yield Static(
                f"{keys_for(self.app, 'open', True)} opens the meeting · "
                f"{keys_for(self.app, 'back', True)} back",
                classes="help",
            )

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        # The title last: where the terminal is narrow, it is what is cut (and scrolls into view).
        table.add_columns(*headings("When", "Status", "Why it counts", "Commitment"))
        for sighting in self.found:
            why = ["seen"] if sighting.seen else []
            if sighting.asked:
                why.append("asked " + ", ".join(sighting.asked))
            occurrence = sighting.occurrence
            table.add_row(
                Text(sighting.description),
                status_text(occurrence, self.now) if occurrence is not None else Text(""),
                Text("; ".join(why)),
                literal(sighting.commitment.title),
            )
        table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if not 0 <= event.cursor_row < len(self.found):
            return
        occurrence = self.found[event.cursor_row].occurrence
        if occurrence is None:
            self.notify("That meeting is no longer in the diary.", severity="warning")
            return
        open_meeting = getattr(self.app, "open_meeting", None)
        if callable(open_meeting):
            open_meeting(occurrence)

    def action_close(self) -> None:
        self.dismiss(None)


class WriteStatementDialog(FormDialog):
    """Where to write the statement; its shape comes from the name's ending (.html, .md, .json, .txt)."""

    def __init__(self, suggested: Path) -> None:
        super().__init__()
        self.suggested = suggested

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text("Write the assurance statement", style="bold"))
            yield Label("File (.html to print, .md, .json or .txt); notes are never in it")
            yield Field(str(self.suggested), id="statement-path")
            yield from self.buttons()

    def show_error(self, message: str) -> None:
        super().show_error(message)
        self.notify(visible(message), title="Not written", severity="error", markup=False)

    def read(self) -> Path:
        text = self.query_one("#statement-path", Input).value.strip()
        if not text:
            raise InputError("file name", text, "must not be empty")
        return checked_statement_path(Path(text).expanduser())  # refused here, the name kept to put right


class AssuranceScreen(DiaryScreen):
    """The council year's line of sight, factor by month; the year before and after are a key away."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: the grid's own PgUp and PgDn would otherwise scroll a table that always fits.
        bind("period.previous", "previous_year", "Prev year", priority=True),
        bind("period.next", "next_year", "Next year", priority=True),
        bind("open", "open_cell", "Meetings behind", priority=True),
        bind("review.write", "write", "Write statement"),
    ]
    ABOUT = (
        "Assurance: the seven factors of effective safeguarding (rows) by month of the council year. Each "
        "cell is the meetings that gave sight of the factor / the questions of the factor asked; GAP is a "
        "month begun with neither, · a month still to come. {open} on a cell lists the meetings behind it "
        "(the factor's name or the Year column: the whole year), and {open} there opens one. "
        "{period.previous} and {period.next} change year; {review.write} writes the statement for scrutiny "
        "(the same as los assurance)."
    )
    DEFAULT_CSS = """
    AssuranceScreen #assurance-body { height: 1fr; }
    AssuranceScreen #assurance-title { height: auto; padding: 0 1; text-style: bold; }
    AssuranceScreen #assurance-grid { height: auto; max-height: 10; }
    AssuranceScreen #assurance-cell { height: auto; padding: 0 1; }
    AssuranceScreen #assurance-legend { height: auto; padding: 0 1; color: $text-muted; }
    AssuranceScreen #assurance-summary { height: auto; padding: 0 1; border-top: solid $accent; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.year: Period | None = None
        self.statement: AssuranceStatement | None = None
        self._built_width = 0
        self._filled_once = False

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="assurance-body"):
            yield Static(id="assurance-title")
            yield DataTable(id="assurance-grid", cursor_type="cell", cell_padding=0, fixed_columns=1)
            yield Static(id="assurance-cell")
            yield Static(id="assurance-legend")
            yield Static(id="assurance-summary")
        yield KeyFooter()

    @property
    def is_loaded(self) -> bool:
        return self.statement is not None and self.statement.period == self.year

    def on_mount(self) -> None:
        self.sub_title = "Assurance"
        self.query_one("#assurance-legend", Static).update(
            Text(
                f"Each cell: meetings that gave sight / questions asked. {GAP}: neither, in a month begun. "
                f"{TO_COME} still to come. {keys_for(self.app, 'open', True)} on a cell lists its meetings."
            )
        )

    def reload(self) -> None:
        if self.year is None:
            self.year = council_year(self.los.today())
        self._title(loading=True)
        year, clock = self.year, self.los.clock

        def count(diary: Diary) -> AssuranceStatement:
            roles = tuple(roles_of(diary.role_choice() or "both"))
            return diary.evidence.assurance(year, clock(), roles)

        in_background(self, count, self._show, group="assurance")

    def _title(self, loading: bool = False) -> None:
        if self.year is None:
            return
        title = Text(f"Line of sight {year_label(self.year)}", style="bold")
        title.append(f"  {self.year.first:%B %Y} to {self.year.last:%B %Y}", style="dim")
        if loading:
            title.append("  counting…", style="italic dim")
        elif self.statement is not None:
            as_of = self.statement.as_of.astimezone(ZoneInfo(self.los.tz))
            title.append(f"  as of {as_of:%a %d %b %Y %H:%M}", style="dim")
        self.query_one("#assurance-title", Static).update(title)

    def _show(self, statement: AssuranceStatement) -> None:
        if statement.period != self.year:
            return  # the user has already moved on to another year
        unchanged = (
            self.statement is not None
            and self.statement == statement
            and self._built_width == self.app.size.width
        )
        self.statement = statement
        self._title()
        if not unchanged:
            self._fill()
        self._summarise()
        self._describe_cell()

    def on_resize(self) -> None:
        if self.statement is not None and self.app.size.width != self._built_width:
            self._fill()

    def _today(self) -> date:
        assert self.statement is not None
        return self.statement.as_of.astimezone(ZoneInfo(self.los.tz)).date()

    def _label_width(self) -> int:
        """What the factor's name may take beside the twelve months and the year's column."""
        return max(14, self.app.size.width - 12 * CELL_WIDTH - YEAR_WIDTH)

    def _factor_label(self, evidence: FactorEvidence, width: int) -> Text:
        title = evidence.factor.title
        if len(title) + 3 > width:
            title = SHORT_TITLES.get(evidence.factor.number, title)
        label = Text(f" {evidence.factor.number} {title}")
        label.truncate(width, overflow="ellipsis", pad=True)
        return label

    def _fill(self) -> None:
        statement = self.statement
        assert statement is not None
        table = self.query_one("#assurance-grid", DataTable)
        cursor = table.cursor_coordinate
        width = self._label_width()
        self._built_width = self.app.size.width
        table.clear(columns=True)
        table.add_column(Text(" Factor".ljust(width)), key="factor")
        for month in statement.months:
            table.add_column(right(Text(f"{month.first:%b}"), CELL_WIDTH), key=f"{month.first:%Y-%m}")
        table.add_column(right(Text("Year"), YEAR_WIDTH), key="year")
        today = self._today()
        for evidence in statement.factors:
            cells = [
                right(cell_value(meetings, asked, month.first <= today), CELL_WIDTH)
                for month, (meetings, asked) in zip(statement.months, evidence.by_month, strict=True)
            ]
            whole_year = cell_value(
                evidence.meetings, evidence.questions_asked, statement.period.first <= today
            )
            table.add_row(
                self._factor_label(evidence, width),
                *cells,
                right(whole_year, YEAR_WIDTH),
                key=str(evidence.factor.number),
            )
        if self._filled_once and table.is_valid_coordinate(cursor):
            table.cursor_coordinate = cursor
        else:  # first shown: this month (or the year's first), for the first factor
            this_month = next((i for i, m in enumerate(statement.months) if today in m), 0)
            table.cursor_coordinate = Coordinate(0, this_month + 1)
            table.focus()
        self._filled_once = True

    def _summarise(self) -> None:
        statement = self.statement
        assert statement is not None
        attended, due = statement.attendance
        line = Text("Attendance: ", style="bold")
        if due:
            line.append(f"{attended} of {plural(due, 'meeting')} due so far ({attended / due:.0%})")
        else:
            line.append("no meeting due yet")
        a = statement.actions
        line.append("\nActions: ", style="bold")
        line.append(f"raised {a.raised}, done {a.done}, open {a.open}, overdue {a.overdue}")
        line.append("\nNo sight all year: ", style="bold")
        if statement.period.first > self._today():
            line.append("(the year has not begun)")
        elif statement.gaps:
            line.append(", ".join(f"{f.factor.number} {f.factor.title}" for f in statement.gaps))
        else:
            line.append("none: every factor has a meeting or a question")
        self.query_one("#assurance-summary", Static).update(line)

    def _cell_at(self, coordinate: Coordinate) -> tuple[FactorEvidence, int | None] | None:
        """The factor and month (None: the whole year) at `coordinate` of the grid."""
        statement = self.statement
        if statement is None or not 0 <= coordinate.row < len(statement.factors):
            return None
        month = coordinate.column - 1
        return statement.factors[coordinate.row], (month if 0 <= month < len(statement.months) else None)

    def _where(self, month: int | None) -> str:
        assert self.statement is not None and self.year is not None
        if month is None:
            return year_label(self.year)
        return f"{self.statement.months[month].first:%B %Y}"

    def on_data_table_cell_highlighted(self, _event: DataTable.CellHighlighted) -> None:
        self._describe_cell()

    def _describe_cell(self) -> None:
        table = self.query_one("#assurance-grid", DataTable)
        found = self._cell_at(table.cursor_coordinate)
        if found is None:
            return
        evidence, month = found
        meetings, asked = (
            evidence.by_month[month]
            if month is not None
            else (
                evidence.meetings,
                evidence.questions_asked,
            )
        )
        line = Text(f"{evidence.factor.number} {evidence.factor.title}, {self._where(month)}: ", style="bold")
        line.append(f"{meetings} meeting{'s' * (meetings != 1)} gave sight, ")
        line.append(f"{asked} question{'s' * (asked != 1)} asked")
        self.query_one("#assurance-cell", Static).update(line)

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()  # a click on the selected cell
        self._open(event.coordinate)

    def action_open_cell(self) -> None:
        self._open(self.query_one("#assurance-grid", DataTable).cursor_coordinate)

    def _open(self, coordinate: Coordinate) -> None:
        """The meetings behind the cell at `coordinate`, in a list over the grid."""
        found = self._cell_at(coordinate)
        statement = self.statement
        if found is None or statement is None:
            return
        evidence, month = found
        behind = statement.behind(evidence.factor.number, month)
        titles = {
            a.commitment.slug: f"{a.commitment.title} ({a.commitment.role.value.upper()})"
            for a in statement.commitments
        }
        sight_from = ", ".join(titles.get(slug, slug) for slug in evidence.commitments) or "no commitment"
        heading = Text(
            f"{evidence.factor.number} {evidence.factor.title}, {self._where(month)}", style="bold"
        )
        if not behind:
            heading.append("\nNo meeting gave sight of it and none of its questions was asked: a gap.")
        heading.append("\nGiven sight by: ", style="dim").append_text(literal(sight_from, style="dim"))
        self.app.push_screen(MeetingsBehindScreen(heading, behind, self.los.now()))

    def action_previous_year(self) -> None:
        if self.year is not None:
            self._go(council_year(self.year.first - timedelta(days=1)))

    def action_next_year(self) -> None:
        if self.year is not None:
            self._go(council_year(self.year.last + timedelta(days=1)))

    def _go(self, year: Period) -> None:
        self.year = year
        self.reload()

    def action_write(self) -> None:
        if self.statement is None or self.year is None:
            return
        suggested = default_folder() / f"los-assurance-{self.year.first:%Y}-{self.year.last:%y}.html"
        self.app.push_screen(WriteStatementDialog(suggested), self._write_to)

    def _write_to(self, chosen: object) -> None:
        statement = self.statement
        if not isinstance(chosen, Path) or statement is None:
            return
        tz = self.los.tz
        run_job(
            self,
            lambda: write_assurance(statement, chosen, tz),
            lambda written: self.notify(visible(f"Wrote the assurance statement to {written}"), markup=False),
            group="assurance-write",
        )
