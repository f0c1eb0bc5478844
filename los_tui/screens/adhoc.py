"""Recording a meeting no schedule produced (an occasional team visit) against a commitment."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea

from los_tui.domain.model import Commitment, Status
from los_tui.domain.parsing import InputError, check_text, parse_when
from los_tui.domain.recording import check_meeting_day, check_status_in_time
from los_tui.screens.dialogs import FormDialog
from los_tui.widgets.field import Field
from los_tui.widgets.literal import literal

NO_STATUS = "none"


@dataclass(frozen=True)
class AdhocDraft:
    slug: str
    start: datetime
    all_day: bool
    status: Status | None
    note: str
    extra: bool = False  # an extra meeting of a scheduled commitment, said so by the user


class AdhocEntry(FormDialog):
    def __init__(
        self,
        commitments: list[Commitment],
        day: date,
        tz: str,
        now: datetime,
        moves: Mapping[str, Mapping[datetime, datetime]] | None = None,
    ) -> None:
        super().__init__()
        self.commitments = commitments
        # Where each commitment's moved meetings are now (Meetings.moves): the refusal names them there.
        self.moves = moves or {}
        self.day = day
        self.tz = tz
        self.now = now

    def compose(self) -> ComposeResult:
        # A field a line, label beside it (as the schedule form's): at 80x24 the whole dialog shows, its
        # Save button and a refusal of two or three lines included, with the note's four lines.
        with Vertical(classes="dialog", id="adhoc-form"):
            yield Static(Text("Record an ad hoc entry", style="bold"))
            with Horizontal(classes="field"):
                yield Label("Commitment")
                yield Select(
                    # Select's prompt is shown as given; Text keeps a title's brackets literal.
                    [(literal(f"{c.role.value.upper()} {c.title}"), c.slug) for c in self.commitments],
                    id="adhoc-commitment",
                    prompt="Choose the commitment",
                    compact=True,
                )
            with Horizontal(classes="field"):
                yield Label("When")
                yield Field(self.day.isoformat(), id="adhoc-when", compact=True)
            yield Static("YYYY-MM-DD, or YYYY-MM-DD HH:MM", classes="field-hint")
            with Horizontal(classes="field"):
                yield Label("Status")
                yield Select(
                    [("none yet", NO_STATUS)] + [(s.value, s.value) for s in Status],
                    value=Status.ATTENDED.value,
                    allow_blank=False,
                    id="adhoc-status",
                    compact=True,
                )
            yield Checkbox(
                "An extra meeting (for a commitment with a schedule)", id="adhoc-extra", compact=True
            )
            yield Label("Note")
            yield TextArea(id="adhoc-note", soft_wrap=True, tab_behavior="focus")
            yield from self.buttons()

    def read(self) -> AdhocDraft:
        chosen = self.query_one("#adhoc-commitment", Select).value
        if not isinstance(chosen, str):
            raise InputError("commitment", "", "choose which commitment this entry is for")
        text = self.query_one("#adhoc-when", Input).value
        start, has_time = parse_when("when", text, self.tz)
        chosen_status = str(self.query_one("#adhoc-status", Select).value)
        status = None if chosen_status == NO_STATUS else Status(chosen_status)
        note = check_text("note", self.query_one("#adhoc-note", TextArea).text, private=True)
        # Checked here as the store will check them, so a refusal keeps the dialog (and the note) open.
        extra = self.query_one("#adhoc-extra", Checkbox).value
        if not extra:
            commitment = next(c for c in self.commitments if c.slug == chosen)
            check_meeting_day(
                commitment,
                start,
                self.tz,
                "when",
                text,
                how_to_log="open that meeting to log it",
                how_to_add="tick 'An extra meeting'",
                moved=self.moves.get(chosen),
            )
        check_status_in_time(status, start, self.now, ZoneInfo(self.tz))
        return AdhocDraft(chosen, start, not has_time, status, note, extra)
