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
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import (
    Button,
    Checkbox,
    DataTable,
    Input,
    Label,
    ProgressBar,
    Select,
    SelectionList,
    Static,
)

from los_tui.domain.day_text import told_apart
from los_tui.domain.model import Commitment, Role
from los_tui.domain.parsing import parse_whole_number
from los_tui.domain.wording import plural
from los_tui.screens.jobs import RunsJobs, run_job
from los_tui.screens.keys import bind
from los_tui.services.diary import Clock, Diary
from los_tui.services.files import default_folder, write_file
from los_tui.services.ical import Decision, ImportPlan
from los_tui.widgets.field import Field
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
                yield Field(placeholder="reminder, minutes before (blank: none)", id="alarm", type="integer")
            yield Field(str(default), placeholder="file to write", id="path")
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
        cancelled = plural(result.cancelled, "cancelled meeting")
        lines = [f"Wrote {path}", f"{result.series} series, {cancelled} left out"]
        lines += [f"Left out {item.title}: {item.reason}" for item in result.left_out]
        self.written = path
        self._say(visible("\n".join(lines)))

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(self.written)


class ImportProgress(Message):
    """How far the import's worker has got: (stage, done, total); 0 as the total when it cannot count."""

    def __init__(self, stage: str, done: int, total: int) -> None:
        super().__init__()
        self.stage, self.done, self.total = stage, done, total


class ImportCalendarScreen(CalendarFileDialog[int | None]):
    """Pick an .ics exported from Outlook, see which meetings match which commitments, confirm to log them."""

    DEFAULT_CSS = _CSS.format(name="ImportCalendarScreen") + (
        "ImportCalendarScreen DataTable { height: 14; }\n"
        "ImportCalendarScreen #progress-row { display: none; height: auto; margin-top: 1; }\n"
        "ImportCalendarScreen #progress-row.shown { display: block; }\n"
        "ImportCalendarScreen #stage { width: auto; margin-right: 2; }"
    )
    # Work shorter than this finishes before a progress bar would help; longer work shows one.
    PROGRESS_AFTER = 0.5
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("back", "close", "Close"),
    ]

    def __init__(self, diary: Diary, clock: Clock) -> None:
        super().__init__()
        self.diary = diary
        self.clock = clock
        self.plan: ImportPlan | None = None
        self._busy = False  # a preview or an apply is running
        self._latest: tuple[str, int, int] = ("", 0, 0)  # its last progress report

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Fill in attendance from Outlook (.ics)", classes="title")
            yield Field(placeholder="path of the .ics file Outlook saved", id="path")
            with Horizontal():
                yield Button("Preview", id="preview", variant="primary")
                yield Button("Log them", id="apply", variant="success", disabled=True)
                yield Button("Close", id="close")
            with Horizontal(id="progress-row"):
                yield Static("", id="stage")
                yield ProgressBar(id="progress", show_eta=False)
            yield DataTable(id="proposals", cursor_type="row")
            yield Static("", id="result", classes="result")

    def _progress(self) -> Callable[[str, int, int], None]:
        """A reporter of (stage, done, total) for a job, to the progress bar. The bar appears once the
        work has run PROGRESS_AFTER seconds, even while a step that reports nothing (parsing the file)
        runs, so a quick preview never flickers one. The worker posts each report and goes on: it never
        waits for the screen to draw it."""
        self._arm_progress()

        def report(stage: str, done: int, total: int) -> None:
            self.post_message(ImportProgress(stage, done, total))

        return report

    def on_import_progress(self, message: ImportProgress) -> None:
        self._note_progress(message.stage, message.done, message.total)

    def _arm_progress(self) -> None:
        self._busy = True
        self._latest = ("Reading the file", 0, 0)
        self.query_one("#progress-row").remove_class("shown")
        if self.PROGRESS_AFTER <= 0:
            self._reveal_progress()
        else:
            self.set_timer(self.PROGRESS_AFTER, self._reveal_progress)

    def _note_progress(self, stage: str, done: int, total: int) -> None:
        self._latest = (stage, done, total)
        if self.query_one("#progress-row").has_class("shown"):
            self._draw_progress()

    def _reveal_progress(self) -> None:
        if self._busy:  # work that finished sooner never shows a bar
            self.query_one("#progress-row").add_class("shown")
            self._draw_progress()

    def _draw_progress(self) -> None:
        stage, done, total = self._latest
        self.query_one("#stage", Static).update(Text(stage))
        # A step that cannot count (0 as its total) shows a bar that moves without a number.
        self.query_one("#progress", ProgressBar).update(total=total or None, progress=done)

    def _say(self, message: str, error: bool = False) -> None:
        self._busy = False  # said when the work ends, done or refused
        super()._say(message, error)

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(*headings("When", "Meeting", "What happens", "Commitment"))

    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#preview")
    def _preview_pressed(self) -> None:
        self.query_one("#apply", Button).disabled = True
        path = Path(self.query_one("#path", Input).value.strip()).expanduser()
        diary = self.diary

        report = self._progress()
        self._answer(lambda: diary.calendar.plan_import(path, progress=report), self._show)

    def _show(self, plan: ImportPlan) -> None:
        self.plan = plan
        table = self.query_one(DataTable)
        table.clear()
        rows: list[tuple[str | Text, ...]] = []
        for proposal in plan.proposals:
            start = proposal.meeting.start.astimezone(self.diary.zone)
            when = f"{start:%a %d %b %Y}" + ("" if proposal.meeting.all_day else f" {told_apart(start)}")
            what = proposal.decision.value + (f" ({proposal.reason})" if proposal.reason else "")
            rows.append((when, Text(proposal.meeting.title), Text(what), proposal.commitment_slug or ""))
        # What could not be read is listed with the rest, so the user can find it in Outlook.
        rows += [(Text(s.when), Text(s.title), Text(f"left out ({s.reason})"), "") for s in plan.skipped]
        table.add_rows(rows)  # one call: rows added one by one repaint thousands of times
        to_log = plan.count(Decision.OCCURRENCE) + plan.count(Decision.ADHOC)
        unread = plural(len(plan.skipped), "event")
        left_out = f"; {unread} could not be read (listed)" if plan.skipped else ""
        self._say(
            f"{plural(len(plan.proposals), 'meeting')}; {to_log} to log as attended, "
            f"{plan.count(Decision.UNMATCHED)} unmatched{plan.not_logged}{left_out}."
        )
        self.query_one("#apply", Button).disabled = to_log == 0

    @on(Button.Pressed, "#apply")
    def _apply_pressed(self) -> None:
        if self.plan is not None:
            self.query_one("#apply", Button).disabled = True
            plan, diary = self.plan, self.diary
            report = self._progress()
            self._answer(lambda: diary.calendar.apply_import(plan, report), self._done)

    def _done(self, written: int) -> None:
        self.notify(f"Logged {plural(written, 'meeting')} as attended")
        self.dismiss(written)

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(None)
