"""The actions screen: every open action across meetings, overdue first, then by owner; done with one key,
edited, added at a chosen meeting, and the meeting each arose at opened."""

from __future__ import annotations

from datetime import timedelta
from typing import ClassVar
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Header, Input, Label, Select, Static

from los_tui.domain.day_text import told_apart
from los_tui.domain.follow_up import FollowedAction
from los_tui.domain.model import Action, Occurrence
from los_tui.domain.parsing import InputError, parse_date
from los_tui.screens.action_edits import save_edited_action
from los_tui.screens.base import DiaryScreen, in_background
from los_tui.screens.dialogs import ActionDialog, ActionDraft, FormDialog
from los_tui.screens.keys import bind, keys_for
from los_tui.widgets.field import Field
from los_tui.widgets.footer import KeyFooter
from los_tui.widgets.literal import headings, literal, visible

# The meetings offered when adding an action: those of the last four months and the next one.
CHOOSE_FROM_DAYS_BEFORE, CHOOSE_FROM_DAYS_AFTER = 120, 31
STATE_WIDTH, DUE_WIDTH, OWNER_WIDTH = 9, 10, 12


def state_text(followed: FollowedAction) -> Text:
    """Open, overdue or done, in a word with a mark: it reads without colour."""
    if followed.raised.action.done:
        return Text("✓ done", style="dim")
    if followed.overdue:
        return Text("! OVERDUE", style="bold reverse")
    return Text("○ open")


def raised_at(followed: FollowedAction) -> str:
    return f"{followed.raised.raised_on:%d %b %Y} {followed.title}"


class EditActionDialog(ActionDialog):
    """The meeting screen's action form; a refusal also says so in a notification naming the field."""

    def show_error(self, message: str) -> None:
        super().show_error(message)
        self.notify(visible(message), title="Not saved", severity="error", markup=False)


class NewActionDialog(FormDialog):
    """A new action: the meeting it arose at (recent ones offered, the latest begun chosen), then what,
    whose and by when. Returns (meeting, draft)."""

    def __init__(self, meetings: list[Occurrence], chosen: int, tz: str) -> None:
        super().__init__()
        self.meetings = meetings
        self.chosen = chosen
        self.tz = tz

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text("New action", style="bold"))
            yield Label("Arising at the meeting")
            yield Select(
                # Text, never a markup string: titles are the user's words.
                [(self._label(o), index) for index, o in enumerate(self.meetings)],
                value=self.chosen,
                allow_blank=False,
                id="new-action-meeting",
            )
            yield Label("Action")
            yield Field(id="action-text")
            yield Label("Owner")
            yield Field(id="action-owner")
            yield Label("Due (YYYY-MM-DD, may be blank)")
            yield Field(id="action-due")
            yield from self.buttons()

    def on_mount(self) -> None:
        self.query_one("#action-text", Input).focus()

    def _label(self, occurrence: Occurrence) -> Text:
        local = occurrence.start.astimezone(ZoneInfo(self.tz))
        return literal(f"{local:%a %d %b %Y} {told_apart(local)} {occurrence.title}")

    def show_error(self, message: str) -> None:
        super().show_error(message)
        self.notify(visible(message), title="Not saved", severity="error", markup=False)

    def read(self) -> tuple[Occurrence, ActionDraft]:
        chosen = self.query_one("#new-action-meeting", Select).value
        if not isinstance(chosen, int):
            raise InputError("meeting", "", "choose the meeting the action arose at")
        text = self.query_one("#action-text", Input).value
        if not text.strip():
            raise InputError("action", text, "must not be empty")
        due_text = self.query_one("#action-due", Input).value.strip()
        due = parse_date("due", due_text) if due_text else None
        owner = self.query_one("#action-owner", Input).value.strip()
        return self.meetings[chosen], ActionDraft(text.strip(), owner, due)


class ActionsScreen(DiaryScreen):
    """Every action still open, whichever meeting raised it: what to chase, and whom."""

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("action.done", "toggle_done"),
        bind("edit", "edit"),
        bind("new", "add", "Add action"),
        # Priority: over the table's own Enter, so the footer and help name what it does here.
        bind("open", "open_meeting", "Open meeting", priority=True),
        bind("actions.show_done", "toggle_show_done"),
    ]
    ABOUT = (
        "Actions: every open action across meetings, the overdue first, then by owner (soonest due first). "
        "{action.done} marks the selected one done (or not), {edit} edits it, {new} adds one at a meeting "
        "you choose, {open} opens the meeting it arose at, {actions.show_done} shows the done ones too."
    )
    DEFAULT_CSS = """
    ActionsScreen #actions-table { height: 1fr; }
    ActionsScreen #action-detail { height: auto; max-height: 4; padding: 0 1; border-top: solid $accent; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.show_done = False
        self.shown: list[FollowedAction] = []
        self.loaded = False
        self._built_width = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="actions-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="action-detail")
        yield KeyFooter()

    @property
    def is_loaded(self) -> bool:
        return self.loaded

    def on_mount(self) -> None:
        self._add_columns()

    def _add_columns(self) -> None:
        """State, due and owner at fixed widths; the action and its meeting share what is left, so 80
        columns show every column (the line under the table gives the selected one in full)."""
        table = self.query_one(DataTable)
        width = self.app.size.width
        self._built_width = width
        spare = max(30, width - (STATE_WIDTH + DUE_WIDTH + OWNER_WIDTH) - 5 * 2 - 2)
        text_width = spare * 11 // 20
        table.clear(columns=True)
        for label, size in zip(
            headings("State", "Due", "Owner", "Action", "Raised at"),
            (STATE_WIDTH, DUE_WIDTH, OWNER_WIDTH, text_width, spare - text_width),
            strict=True,
        ):
            table.add_column(label, width=size)

    def on_resize(self) -> None:
        if self.app.size.width != self._built_width:
            # The rows and the cursor go with the columns: the same rows go back, the cursor where it was.
            row = self.query_one(DataTable).cursor_row
            self._add_columns()
            self._fill(self.shown, force=True)
            self.query_one(DataTable).move_cursor(row=row, animate=False)

    def reload(self) -> None:
        today, include_done = self.los.today(), self.show_done
        in_background(
            self,
            lambda diary: diary.evidence.follow_up(today, include_done),
            self._fill,
            group="actions",
        )

    def _fill(self, found: list[FollowedAction], force: bool = False) -> None:
        self.loaded = True
        table = self.query_one(DataTable)
        current = self._current()
        if found == self.shown and table.row_count == len(found) and not force:
            self._say_what_is_shown()
            return  # unchanged: keep the table and where the cursor is
        table.clear()
        self.shown = found
        for followed in found:
            action = followed.raised.action
            table.add_row(
                state_text(followed),
                Text(action.due.isoformat() if action.due else ""),
                literal(action.owner, style="bold" if followed.overdue else ""),
                Text(action.text, no_wrap=True, overflow="ellipsis"),
                Text(raised_at(followed), no_wrap=True, overflow="ellipsis"),
                key=str(action.id),
            )
        ids = [f.id for f in found]
        if current is not None and current.id in ids:
            table.move_cursor(row=ids.index(current.id))
        self._say_what_is_shown()

    def _say_what_is_shown(self) -> None:
        still_open = [f for f in self.shown if not f.raised.action.done]
        overdue = sum(1 for f in still_open if f.overdue)
        self.sub_title = f"Actions: {len(still_open)} open, {overdue} overdue" + (
            ", the done ones too" if self.show_done else ""
        )
        self._show_detail()

    def _current(self) -> FollowedAction | None:
        table = self.query_one(DataTable)
        if not self.shown or not 0 <= table.cursor_row < len(self.shown):
            return None
        return self.shown[table.cursor_row]

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        followed = self._current()
        detail = self.query_one("#action-detail", Static)
        if followed is None:
            empty = "No actions." if self.show_done else "No open actions."
            detail.update(f"{empty} {keys_for(self.app, 'new', True)} adds one at a meeting you choose.")
            return
        action = followed.raised.action
        text = literal(action.text, style="bold")
        if action.owner:
            text.append(" · ").append_text(literal(action.owner))
        if action.due:
            text.append(f" · due {action.due:%a %d %b %Y}")
        text.append(f" · raised at {followed.title}, {followed.raised.raised_on:%a %d %b %Y}")
        detail.update(text)

    # -- what the keys do -----------------------------------------------------------------------------
    def action_toggle_show_done(self) -> None:
        self.show_done = not self.show_done
        self.reload()

    def action_toggle_done(self) -> None:
        followed = self._current()
        if followed is None:
            return
        action = followed.raised.action
        in_background(
            self,
            lambda diary: diary.actions.update(action.id, done=not action.done),
            lambda updated: self._changed("Done" if updated.done else "Open again", updated),
            group="actions-write",
        )

    def _changed_by_edit(self, action: Action) -> None:
        self._changed("Changed", action)

    def _changed(self, what: str, action: Action) -> None:
        self.notify(visible(f"{what}: {action.text}"), markup=False)
        self.reload()

    def action_edit(self) -> None:
        followed = self._current()
        if followed is None:
            return
        action = followed.raised.action

        def save(edited: object) -> None:
            if isinstance(edited, ActionDraft):
                save_edited_action(
                    self,
                    action,
                    edited,
                    lambda updated: self._changed("Changed", updated),
                    group="actions-write",
                )

        draft = ActionDraft(action.text, action.owner, action.due)
        self.app.push_screen(EditActionDialog(f"Edit action (raised at {followed.title})", draft), save)

    def action_add(self) -> None:
        today = self.los.today()
        now = self.los.now()
        first, last = (
            today - timedelta(days=CHOOSE_FROM_DAYS_BEFORE),
            today + timedelta(days=CHOOSE_FROM_DAYS_AFTER),
        )

        def ask(meetings: list[Occurrence]) -> None:
            if not meetings:
                self.notify(
                    "No meeting in the last four months or the next month to add an action to.",
                    severity="warning",
                )
                return
            newest_first = sorted(meetings, key=lambda o: o.start, reverse=True)
            begun = [index for index, o in enumerate(newest_first) if o.start <= now]
            self.app.push_screen(
                NewActionDialog(newest_first, begun[0] if begun else 0, self.los.tz), self._add
            )

        in_background(self, lambda diary: diary.meetings.agenda(first, last), ask, group="actions-choose")

    def _add(self, chosen: object) -> None:
        if not isinstance(chosen, tuple):
            return
        meeting, draft = chosen
        in_background(
            self,
            lambda diary: diary.actions.add(meeting, draft.text, draft.owner, draft.due)[1],
            lambda added: self._changed(f"Added at {meeting.title}", added),
            group="actions-write",
        )

    def action_open_meeting(self) -> None:
        followed = self._current()
        if followed is not None:
            action = followed.raised.action
            in_background(self, lambda diary: diary.evidence.meeting_of(action), self.los.open_meeting)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()  # a click on the selected row
        self.action_open_meeting()
