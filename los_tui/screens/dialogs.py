"""Small dialogs that return a value: confirm, move one occurrence, an action, a question asked, the
first-start role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from los_tui.domain.moments import is_repeated
from los_tui.domain.parsing import InputError, check_text, parse_date, parse_when
from los_tui.screens.errors import in_words
from los_tui.screens.keys import bind, keys_for
from los_tui.widgets.field import Field
from los_tui.widgets.literal import literal


class RoleQuestion(ModalScreen[str | None]):
    """Asked once, on the very first start: which role is this diary for? Nothing is written until it is
    answered; q or Esc leaves (None) and the app quits."""

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("quit", "leave", "Quit"),
        bind("quit.anywhere", "leave", "Quit", show=False, priority=True),
        bind("back", "leave", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="role-question", classes="dialog"):
            yield Label("Who is this diary for?")
            with Horizontal(classes="buttons"):
                yield Button("Lead Member (LMCS)", id="lmcs")
                yield Button("Director (DCS)", id="dcs")
                yield Button("Both", id="both", variant="primary")
            yield Static(
                f"Tab or the arrows choose, Enter answers; {keys_for(self.app, 'quit', True)} or "
                f"{keys_for(self.app, 'back', True)} quits without creating anything.",
                classes="help",
            )

    def on_mount(self) -> None:
        self.query_one("#both", Button).focus()  # Enter answers at once with the common choice

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or "both")

    def action_leave(self) -> None:
        self.dismiss(None)


class Confirm(ModalScreen[bool]):
    """Yes or no, with the consequence spelled out; `y` confirms, Enter or Escape does nothing."""

    # No is where the focus starts, so Enter means it: what is asked (retiring) cannot be undone, and
    # Yes, first in the row, took the focus and turned a habitual Enter into a yes.
    AUTO_FOCUS = "#no"
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("confirm.yes", "answer(True)"),
        bind("back", "answer(False)", "No"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(literal(self.question))
            with Horizontal(classes="buttons"):
                yield Button(f"Yes ({keys_for(self.app, 'confirm.yes', True)})", id="yes", variant="error")
                yield Button(f"No ({keys_for(self.app, 'back', True)})", id="no", variant="primary")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class FormDialog(ModalScreen[object]):
    """Common shape: fields, an error line, Save/Cancel; Enter in the last field or ctrl+s saves."""

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("form.save", "save"),
        bind("back", "cancel", "Cancel"),
    ]

    def show_error(self, message: str) -> None:
        self.query_one("#form-error", Static).update(literal(message, style="bold red"))

    def buttons(self) -> ComposeResult:
        yield Static("", id="form-error")
        with Horizontal(classes="buttons"):
            yield Button(f"Save ({keys_for(self.app, 'form.save', True)})", id="save", variant="primary")
            yield Button(f"Cancel ({keys_for(self.app, 'back', True)})", id="cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        self.action_save()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        try:
            self.dismiss(self.read())
        except InputError as exc:
            self.show_error(in_words(exc))

    def read(self) -> object:
        raise NotImplementedError


def offered_time(start: datetime) -> str:
    """`start` as the move dialog offers it, to be read back as the same time: with its offset where the
    clocks show it twice, since "2026-10-25 01:15" alone is the first 01:15 (BST)."""
    if is_repeated(start):
        return start.isoformat(sep=" ", timespec="minutes")
    return f"{start:%Y-%m-%d %H:%M}"


class MoveDialog(FormDialog):
    """Move THIS occurrence only; the wording says so, and changing the series lives elsewhere (S)."""

    def __init__(self, title: str, start: datetime, tz: str) -> None:
        super().__init__()
        self.meeting = title
        self.start = start
        self.tz = tz

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(literal(f"Move this occurrence only: {self.meeting}", style="bold"))
            yield Static(
                "The rest of the series stays as it is. To change the whole series, use "
                f"{keys_for(self.app, 'meeting.change_series', True)} instead."
            )
            yield Label("New date and time (YYYY-MM-DD HH:MM)")
            yield Field(offered_time(self.start), id="move-to")
            yield from self.buttons()

    def read(self) -> datetime:
        text = self.query_one("#move-to", Input).value
        moment, has_time = parse_when("new date and time", text, self.tz)
        if not has_time:
            raise InputError("new date and time", text, "give a time too, e.g. 2026-12-08 18:30")
        return moment


@dataclass(frozen=True)
class ActionDraft:
    text: str
    owner: str
    due: date | None


class ActionDialog(FormDialog):
    def __init__(self, heading: str, draft: ActionDraft | None = None) -> None:
        super().__init__()
        self.heading = heading
        self.draft = draft or ActionDraft("", "", None)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(literal(self.heading, style="bold"))
            yield Label("Action")
            yield Field(self.draft.text, id="action-text")
            yield Label("Owner")
            yield Field(self.draft.owner, id="action-owner")
            yield Label("Due (YYYY-MM-DD, may be blank)")
            yield Field(self.draft.due.isoformat() if self.draft.due else "", id="action-due")
            yield from self.buttons()

    def read(self) -> ActionDraft:
        text = self.query_one("#action-text", Input).value
        if not text.strip():
            raise InputError("action", text, "must not be empty")
        due_text = self.query_one("#action-due", Input).value.strip()
        due = parse_date("due", due_text) if due_text else None
        return ActionDraft(text.strip(), self.query_one("#action-owner", Input).value.strip(), due)


class AskDialog(FormDialog):
    """A bank question asked at this meeting: the question, and what was said (may be left blank)."""

    def __init__(self, question: str, answer: str = "", maximum: int = 10_000) -> None:
        super().__init__()
        self.question = question
        self.answer = answer
        self.maximum = maximum

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Asked at this meeting", classes="bold")
            yield Static(literal(self.question, style="italic"))
            yield Label("Answer: what was said (may be blank)")
            yield Field(self.answer, id="answer")
            yield from self.buttons()

    def read(self) -> str:
        return check_text("answer", self.query_one("#answer", Input).value, self.maximum, private=True)
