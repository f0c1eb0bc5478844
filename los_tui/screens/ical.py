"""Dialogs to export the diary for Outlook and to fill in attendance from Outlook's own export."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, DataTable, Input, Label, Select, SelectionList, Static

from los_tui.domain.model import Commitment, Role
from los_tui.domain.parsing import parse_whole_number
from los_tui.screens.jobs import RunsJobs, run_job
from los_tui.screens.keys import bind
from los_tui.services.diary import Clock, Diary
from los_tui.services.files import default_folder, write_file
from los_tui.services.ical import Decision, ImportPlan
from los_tui.widgets.literal import headings, visible

if TYPE_CHECKING:
    from los_tui.exports.ical import IcalExport

R = TypeVar("R")  # what a dialog hands back when it closes
T = TypeVar("T")

_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 90%; max-width: 110; height: auto; max-height: 90%;
    border: thick $primary; background: $surface; padding: 1 2;
}}
{name} .title {{ text-style: bold; margin-bottom: 1; }}
{name} Horizontal {{ height: auto; }}
{name} .result {{ margin-top: 1; height: auto; }}
{name} .error {{ color: $error; }}
"""
_ROLES: list[tuple[str, str]] = [("Both roles", "both"), (Role.LMCS.label, "lmcs"), (Role.DCS.label, "dcs")]


class CalendarFileDialog(RunsJobs, ModalScreen[R]):
    """What the export and import dialogs share: a line (#result) saying what happened, beside the file
    the user named, and jobs whose refusals are said there."""

    def _say(self, message: str, error: bool = False) -> None:
        result = self.query_one("#result", Static)
        result.update(Text(message))
        result.set_class(error, "error")
        if error:
            self.notify(message, severity="error", markup=False)  # messages quote paths and file text

    def _answer(self, job: Callable[[], T], then: Callable[[T], None]) -> None:
        """Run `job` off the UI thread and hand its result to `then`; a refusal is said in the dialog
        itself (and notified), so the user sees it beside the file they named."""
        run_job(
            self, job, then, lambda reason: self._say(reason, True), group="calendar-file", exclusive=True
        )


class ExportCalendarScreen(CalendarFileDialog[Path | None]):
    """Choose what to export, write the .ics, and see where it went and what was left out."""

    DEFAULT_CSS = _CSS.format(name="ExportCalendarScreen")
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("back", "close", "Close"),
    ]

    def __init__(self, diary: Diary, clock: Clock) -> None:
        super().__init__()
        self.diary = diary
        self.clock = clock
        self.written: Path | None = None
        self._commitments: list[Commitment] = []

    def compose(self) -> ComposeResult:
        default = default_folder() / f"line-of-sight-{self.clock():%Y-%m-%d}.ics"
        with Vertical():
            yield Label("Export to Outlook (.ics)", classes="title")
            yield Select(_ROLES, value="both", allow_blank=False, id="role")
            yield SelectionList[str](id="commitments")
            with Horizontal():
                yield Checkbox("Include notes", id="include-notes")
                yield Input(placeholder="reminder, minutes before (blank: none)", id="alarm", type="integer")
            yield Input(str(default), placeholder="file to write", id="path")
            with Horizontal():
                yield Button("Export", id="export", variant="primary")
                yield Button("Close", id="close")
            yield Static("", id="result", classes="result")

    def on_mount(self) -> None:
        diary = self.diary
        self._answer(lambda: [c for c in diary.commitments.list() if c.is_scheduled], self._show_commitments)

    def _show_commitments(self, commitments: list[Commitment]) -> None:
        self._commitments = commitments
        self._fill_list()

    @on(Select.Changed, "#role")
    def _role_changed(self) -> None:
        self._fill_list()

    def _fill_list(self) -> None:
        role = self.query_one("#role", Select).value
        listing = self.query_one("#commitments", SelectionList)
        listing.clear_options()
        for commitment in self._commitments:
            if role in ("both", commitment.role.value):
                label = Text(f"{commitment.role.value.upper():<5}{commitment.title}")
                listing.add_option((label, commitment.slug, True))

    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#export")
    def _export_pressed(self) -> None:
        slugs = list(self.query_one("#commitments", SelectionList).selected)
        if not slugs:
            self._say("Choose at least one scheduled commitment to export.", error=True)
            return
        alarm_text = self.query_one("#alarm", Input).value.strip()
        path = Path(self.query_one("#path", Input).value.strip()).expanduser()
        include_notes = self.query_one("#include-notes", Checkbox).value
        diary = self.diary

        def export() -> IcalExport:
            alarm = parse_whole_number("alarm", alarm_text, "minutes") if alarm_text else None
            result = diary.calendar.export(None, slugs, include_notes, alarm)
            write_file(path, result.data)
            return result

        self._answer(export, lambda result: self._exported(path, result))

    def _exported(self, path: Path, result: IcalExport) -> None:
        lines = [f"Wrote {path}", f"{result.series} series, {result.cancelled} cancelled meetings left out"]
        lines += [f"Left out {item.title}: {item.reason}" for item in result.left_out]
        self.written = path
        self._say(visible("\n".join(lines)))

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(self.written)


class ImportCalendarScreen(CalendarFileDialog[int | None]):
    """Pick an .ics exported from Outlook, see which meetings match which commitments, confirm to log them."""

    DEFAULT_CSS = _CSS.format(name="ImportCalendarScreen") + "ImportCalendarScreen DataTable { height: 14; }"
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("back", "close", "Close"),
    ]

    def __init__(self, diary: Diary, clock: Clock) -> None:
        super().__init__()
        self.diary = diary
        self.clock = clock
        self.plan: ImportPlan | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Fill in attendance from Outlook (.ics)", classes="title")
            yield Input(placeholder="path of the .ics file Outlook saved", id="path")
            with Horizontal():
                yield Button("Preview", id="preview", variant="primary")
                yield Button("Log them", id="apply", variant="success", disabled=True)
                yield Button("Close", id="close")
            yield DataTable(id="proposals", cursor_type="row")
            yield Static("", id="result", classes="result")

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(*headings("When", "Meeting", "What happens", "Commitment"))

    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#preview")
    def _preview_pressed(self) -> None:
        self.query_one("#apply", Button).disabled = True
        path = Path(self.query_one("#path", Input).value.strip()).expanduser()
        diary = self.diary

        self._answer(lambda: diary.calendar.plan_import(path), self._show)

    def _show(self, plan: ImportPlan) -> None:
        self.plan = plan
        table = self.query_one(DataTable)
        table.clear()
        for proposal in plan.proposals:
            start = proposal.meeting.start.astimezone(self.diary.zone)
            when = f"{start:%a %d %b %Y}" + ("" if proposal.meeting.all_day else f" {start:%H:%M}")
            what = proposal.decision.value + (f" ({proposal.reason})" if proposal.reason else "")
            table.add_row(when, Text(proposal.meeting.title), what, proposal.commitment_slug or "")
        to_log = plan.count(Decision.OCCURRENCE) + plan.count(Decision.ADHOC)
        self._say(
            f"{len(plan.proposals)} meetings; {to_log} to log as attended, "
            f"{plan.count(Decision.UNMATCHED)} unmatched."
        )
        self.query_one("#apply", Button).disabled = to_log == 0

    @on(Button.Pressed, "#apply")
    def _apply_pressed(self) -> None:
        if self.plan is not None:
            self.query_one("#apply", Button).disabled = True
            plan, diary = self.plan, self.diary
            self._answer(lambda: diary.calendar.apply_import(plan), self._done)

    def _done(self, written: int) -> None:
        self.notify(f"Logged {written} meetings as attended")
        self.dismiss(written)

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(None)
