"""One meeting: what it is, its status, a note that saves as you type, questions, actions arising, the
difference it made, the brief for it (as `los prep` gives it), and moving this meeting (never the series).

It opens writing the note, so whatever is typed lands there; the status keys also work with alt, which no
text box takes, and as single letters once the focus is out of the text boxes. A line says which it is."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar, TypeVar
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.timer import Timer
from textual.widgets import DataTable, Header, Label, Static, TextArea

from los_tui.db.errors import StoreError
from los_tui.domain.day_text import told_apart
from los_tui.domain.model import Action, Commitment, Occurrence, Status
from los_tui.domain.moments import on_the_clock
from los_tui.domain.parsing import MAX_TEXT, InputError, check_text
from los_tui.domain.recording import status_change
from los_tui.domain.recurrence import version_making
from los_tui.domain.wording import plural
from los_tui.screens.action_edits import save_edited_action
from los_tui.screens.base import DiaryScreen, in_background
from los_tui.screens.brief_panel import BriefPanel
from los_tui.screens.dialogs import ActionDialog, ActionDraft, AskDialog, MoveDialog
from los_tui.screens.keys import bind, keys_for
from los_tui.services.evidence import MAX_ANSWER
from los_tui.widgets.footer import KeyFooter
from los_tui.widgets.laid_out import LaidOutScroll, LaidOutStatic, TextBox
from los_tui.widgets.literal import literal, visible
from los_tui.widgets.sized_table import SizedTable
from los_tui.widgets.status import status_text, when_text

if TYPE_CHECKING:
    from los_tui.domain.brief import Brief
    from los_tui.domain.evidence_records import AskedQuestion
    from los_tui.services.diary import Diary
    from los_tui.services.meetings import StatusChange

# Long enough to batch a burst of typing into one write, short enough that little is at risk.
SAVE_DELAY_SECONDS = 0.4

# From this length on, the count of characters and the limit are shown under the text box.
SHOW_LENGTH_FROM = MAX_TEXT * 9 // 10

TEXTS = ("note", "questions", "difference")
# How each saved-as-you-type text is named in what the screen says about it.
TEXT_NAMES = {"note": "note", "questions": "questions", "difference": "difference made"}

T = TypeVar("T")

BriefRead = tuple["Brief", list["AskedQuestion"]]


def read_brief(diary: Diary, occurrence: Occurrence, now: datetime) -> BriefRead:
    """The brief for `occurrence` (as `los prep` gives it) and the bank questions already asked at it."""
    evidence = diary.evidence
    return evidence.prep(occurrence.commitment_slug, occurrence, now), evidence.asked_at(occurrence)


def put_text(area: TextArea, text: str) -> None:
    """Show `text` in `area`, and nothing of what was there before, undo history included; a box already
    showing it with nothing to undo is left alone (reloading one costs a repaint of it)."""
    history = area.history
    if area.text != text or history.undo_stack or history.redo_stack:
        area.load_text(text)


class MeetingDraft:
    """The note, questions and difference made of one opening of one meeting: as typed, and as last saved.

    A new draft for every opening. Saves, and a refused save the app keeps retrying, hold the draft, never
    the screen, which is kept and refilled for the next meeting: a late save can only write what was typed
    into this meeting.

    Each save says which text it was an edit of (`stored`, as the diary held it when read or last
    written), so a text another program changed meanwhile is kept beside this one, never written over.
    The other text then goes in front of what is typed here (`kept_before`) until the screen shows it.
    """

    def __init__(self, occurrence: Occurrence) -> None:
        self.occurrence = occurrence
        self.note = self.saved_note = occurrence.note
        self.questions = self.saved_questions = occurrence.questions
        self.difference = self.saved_difference = occurrence.difference
        self.stored = {name: getattr(occurrence, name) for name in TEXTS}
        self.kept_before = dict.fromkeys(TEXTS, "")
        self.loaded = False  # the texts have been read fresh from the store and shown
        self._lock = threading.Lock()

    def typed(self, name: str) -> str:
        """The text to save: what is typed, after any other text kept that the screen does not show yet."""
        text: str = getattr(self, name)
        return self.kept_before[name] + text

    @property
    def unsaved(self) -> bool:
        return any(self.typed(name) != getattr(self, f"saved_{name}") for name in TEXTS)

    def problem(self) -> str | None:
        """Why what is typed cannot be saved as it is (too long, control characters), if it cannot; by
        its length, never its words."""
        for name in TEXTS:
            text = self.typed(name)
            if len(text) > MAX_TEXT:
                return (
                    f"The {TEXT_NAMES[name]} is too long to save: {len(text):,} characters, "
                    f"the most is {MAX_TEXT:,}"
                )
            try:
                check_text(name, text, private=True)
            except InputError as exc:
                return f"The {TEXT_NAMES[name]} cannot be saved: {exc.reason}"
        return None

    def write(self, diary: Diary) -> Occurrence:
        """Write whatever is newest; the lock keeps two saves from crossing so the last typed wins."""
        with self._lock:
            occurrence = self.occurrence
            meetings = diary.meetings
            saves = {
                "note": meetings.save_note,
                "questions": meetings.save_questions,
                "difference": meetings.save_difference,
            }
            for name, save in saves.items():
                typed = self.typed(name)
                if typed == getattr(self, f"saved_{name}"):
                    continue
                occurrence = save(occurrence, typed, shown=self.stored[name])
                kept: str = getattr(occurrence, name)
                self.stored[name] = kept
                setattr(self, f"saved_{name}", kept)
                if kept != typed:  # changed elsewhere: theirs is kept in front of what is typed here
                    self.kept_before[name] += kept.removesuffix(typed)
            self.occurrence = replace(self.occurrence, log_id=occurrence.log_id)
            return occurrence

    def take_kept(self, name: str) -> str | None:
        """The whole text to show once another program's text was kept in front of what is typed here
        (None if there was none): from now on the screen shows it, so the draft holds it as typed."""
        with self._lock:
            if not self.kept_before[name]:
                return None
            whole = self.typed(name)
            self.kept_before[name] = ""
            setattr(self, name, whole)
            return whole


class MeetingScreen(DiaryScreen):
    LETS_GO_OF_DRAWN_LINES_WHEN_COVERED = True  # filled afresh by each opening
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("back", "back"),
        bind("status.attended", "status('attended')"),
        bind("status.delegated", "status('delegated')"),
        bind("status.apologies", "status('apologies')"),
        bind("status.missed", "status('missed')"),
        bind("status.cancelled", "status('cancelled')"),
        bind("status.clear", "status('')", show=False),
        bind("meeting.move", "move"),
        bind("meeting.change_series", "change_series"),
        bind("new", "add_action", "Add action"),
        bind("edit", "edit_action", "Edit action", show=False),
        bind("action.done", "toggle_done", show=False),
        bind("action.delete", "delete_action", show=False),
        bind("action.undo_delete", "undo_delete", show=False),
        bind("question.raise", "raise_question", show=False),
        bind("question.asked", "asked_question", show=False),
    ]
    # Reloaded too when another program changes the diary: the reload never touches what is being typed,
    # and closes the screen if the change removed the meeting (its series changed in another terminal).
    REFRESH_ON_OUTSIDE_CHANGE = True
    ABOUT = (
        "One meeting. It opens writing the note: what you type goes into the note (saved as you type). "
        "{status.attended} attended, {status.delegated} delegated, {status.apologies} apologies, "
        "{status.missed} missed, {status.cancelled} cancelled, {status.clear} clears; the single letters "
        "work once Tab has left the text boxes. {new} adds an action, {meeting.move} moves this one "
        'meeting, {meeting.change_series} changes the whole series from a date on. "Difference made" is '
        "what the meeting changed for children: the text that goes into reports and the assurance "
        "statement (the note never does). Below it, the brief: last time, actions still open from earlier "
        "meetings ({action.done} marks one done) and questions worth asking ({question.raise} copies one "
        "into Questions to raise, {question.asked} marks it asked and notes the answer)."
    )

    def __init__(self, occurrence: Occurrence) -> None:
        super().__init__()
        self.draft = MeetingDraft(occurrence)
        self.occurrence = occurrence
        self.commitment: Commitment | None = None
        self.actions: list[Action] = []
        self.deleted: list[Action] = []
        self._save_timer: Timer | None = None
        self.in_use = False  # on a screen stack: the app then opens another meeting on a new screen
        self.in_schedule = True  # False once a series change has removed this meeting
        self._loading: MeetingDraft | None = None  # the draft whose meeting is being read
        self._mode_shown: Text | None = None
        # Whether the texts were last shown kept from this role, and what was said of it.
        self._kept_shown: tuple[bool, str | None] | None = None
        # Refilled for another meeting, whose read has not yet replaced what the last one showed.
        self._last_meetings_shown = False
        self._columns_fitted_to = 0  # the terminal's width the tables' columns were made for

    def show(self, occurrence: Occurrence, then: Callable[[], None]) -> None:
        """Refill this screen, kept from an earlier meeting, for `occurrence` (before it is shown again);
        `then` runs once the meeting is read and shown (see `reload`).

        Keeping one meeting screen and refilling it costs a fraction of building a new one each time.
        """
        self._stop_save_timer()
        self.draft = MeetingDraft(occurrence)
        self.occurrence = occurrence
        self.commitment = None
        self.actions = []
        self.deleted = []
        self.in_schedule = True
        self.reload(then)
        self.sub_title = visible(occurrence.title)
        # The last meeting's texts, actions and brief stay on the hidden screen until this one's arrive
        # and replace them (clearing them first drew each twice); shown before that, it is cleared then.
        self._last_meetings_shown = True
        self.query_one(BriefPanel).forget()
        self._fit_columns()  # the terminal may have been resized since the last meeting was shown
        # From the top, whatever the last meeting was scrolled to: what this meeting is shows first.
        self.query_one("#occurrence-body", LaidOutScroll).scroll_home(animate=False, immediate=True)
        self._write_the_note()

    def _clear_the_last_meeting(self) -> None:
        """Shown before this meeting was read (a slow store): nothing of the last one stays on it."""
        self._last_meetings_shown = False
        for name in TEXTS:
            put_text(self.query_one(f"#{name}", TextArea), "")  # until the store's texts arrive
        self.query_one(BriefPanel).clear()
        self.query_one("#brief-line", Static).update("")
        self._show_details()
        self._show_actions()

    def _for_this_meeting(self, then: Callable[[T], None]) -> Callable[[T], None]:
        """`then`, unless the screen has since been refilled for another meeting (its result is stale)."""
        draft = self.draft

        def handle(result: T) -> None:
            if self.draft is draft:
                then(result)

        return handle

    def compose(self) -> ComposeResult:
        yield Header()
        with LaidOutScroll(id="occurrence-body"):
            yield LaidOutStatic(id="details")
            yield Static(id="brief-line")
            yield Static(id="typing-mode")
            # Shown instead of the texts when the server keeps them from this role (an assistant).
            yield Static(id="private-text-kept")
            yield Label(
                "Note (saved as you type; Tab moves on to the questions, then the actions)",
                id="note-label",
                classes="private-text",
            )
            yield TextBox(id="note", soft_wrap=True, tab_behavior="focus", classes="private-text")
            yield Static(id="note-length", classes="text-length")
            yield Label("Questions to raise", id="questions-label", classes="private-text")
            yield TextBox(id="questions", soft_wrap=True, tab_behavior="focus", classes="private-text")
            yield Static(id="questions-length", classes="text-length")
            yield Label(id="actions-label")
            yield SizedTable(id="actions", cursor_type="row", zebra_stripes=True)
            yield Static(
                "Difference made for children (saved as you type): this is the text that goes into "
                "reports and the assurance statement; the note never does",
                id="difference-label",
                classes="private-text",
            )
            yield TextBox(id="difference", soft_wrap=True, tab_behavior="focus", classes="private-text")
            yield Static(id="difference-length", classes="text-length")
            yield BriefPanel()
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = visible(self.occurrence.title)
        self._fit_columns()
        self._show_details()
        self.query_one("#actions-label", Label).update(
            Text(
                f"Actions arising ({keys_for(self.app, 'new', True)} add, {keys_for(self.app, 'edit')} edit, "
                f"{keys_for(self.app, 'action.done')} done, {keys_for(self.app, 'action.delete')} delete, "
                f"{keys_for(self.app, 'action.undo_delete')} undo)"
            )
        )
        self._write_the_note()

    def on_resize(self) -> None:
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Every table's columns fit to the terminal's width: at mount, and again when the width has
        changed since (a resize, or this kept screen opened again at another size), rows and cursors
        kept. Fixed widths otherwise: the header never re-flows as rows arrive, and long actions are cut,
        not wrapped."""
        width = self.app.size.width
        self.query_one(BriefPanel).fit_columns(width)
        if width == self._columns_fitted_to:
            return
        self._columns_fitted_to = width
        table = self.query_one("#actions", SizedTable)
        row = table.cursor_row
        table.clear(columns=True)
        action_width = max(20, width - (4 + 18 + 10) - 2 * 4 - 4)
        for label, column_width in (("Done", 4), ("Action", action_width), ("Owner", 18), ("Due", 10)):
            table.add_column(Text(label), width=column_width)
        self._show_actions()
        if self.actions:
            table.move_cursor(row=min(row, len(self.actions) - 1), animate=False)

    @property
    def private_text_kept(self) -> bool:
        """Whether the server keeps notes and questions from the connected role (an assistant or a
        viewer of a server diary: db.access), so the screen neither shows nor offers them."""
        diary = self.los.diary
        return diary is not None and not diary.standing.private

    def _show_what_is_kept(self) -> None:
        """Say plainly, where the note would be, that this role cannot see it (never an empty box that
        looks like a meeting with no note)."""
        kept = self.private_text_kept
        said = None
        if kept and self.los.diary is not None:
            standing = self.los.diary.standing
            said = (
                f"Notes and questions to raise are not shown: you are connected as {standing.role}, "
                f"{standing.as_level} in this diary, and the server does not let this role read or "
                "write them (nor answers, nor the difference a meeting made unless it is shared)."
            )
        if (kept, said) == self._kept_shown:
            return  # shown so already (each opening asks twice: as it is refilled and once read)
        self._kept_shown = (kept, said)
        for widget in self.query(".private-text"):
            widget.display = not kept
        line = self.query_one("#private-text-kept", Static)
        line.display = kept
        if said is not None:
            line.update(Text(said, style="italic"))

    def _refuse_private_text(self, what: str) -> bool:
        """True, having said so, when the server keeps private text from this role (db.access)."""
        if self.private_text_kept:
            self.notify(
                f"{what} is private text, which your database role may not write.", severity="warning"
            )
        return self.private_text_kept

    def _write_the_note(self) -> None:
        """Open writing the note, the cursor after any text already there: typing goes into the note.
        A role kept from private text starts on the actions instead."""
        self._show_what_is_kept()
        # Focused without scrolling to it: the screen opens at its top, the meeting's title and when first.
        if self.private_text_kept:
            self.query_one("#actions", DataTable).focus(scroll_visible=False)
            self._show_mode()
            return
        note = self.query_one("#note", TextArea)
        note.focus(scroll_visible=False)
        note.move_cursor(note.document.end)
        self._show_mode()

    def on_descendant_focus(self) -> None:
        self._show_mode()

    def _show_mode(self) -> None:
        """Say, in one line, whether keys type text (Writing) or act (Commands) here, and which keys set
        the status in that mode: with alt while writing, single letters otherwise."""
        writing = isinstance(self.focused, TextArea)
        statuses = ("attended", "delegated", "apologies", "missed", "cancelled")
        if writing:
            keys = [self._alt_key(f"status.{status}") for status in statuses]
            line = Text(" Writing ", style="bold reverse")
            if all(key.startswith("alt+") for key in keys):  # "alt+ a attended, d delegated, ..."
                line.append(" alt+ ")
                keys = [key.removeprefix("alt+") for key in keys]
            else:
                line.append(" ")
        else:
            keys = [keys_for(self.app, f"status.{status}", True) for status in statuses]
            line = Text(" Commands ", style="bold reverse").append(" ")
        line.append(", ".join(f"{key} {status}" for key, status in zip(keys, statuses, strict=True)))
        if line != self._mode_shown:  # one row, always: no re-layout, and none at all if unchanged
            self._mode_shown = line
            self.query_one("#typing-mode", Static).update(line, layout=False)

    def _alt_key(self, binding_id: str) -> str:
        """The key for `binding_id` that no text box takes (alt+, ctrl+ or an F-key), else all of them."""
        shown = keys_for(self.app, binding_id).split("/")
        safe = [key for key in shown if key.startswith(("alt+", "^", "f", "F")) and len(key) > 1]
        return safe[0] if safe else "/".join(shown)

    # -- loading -------------------------------------------------------------------------------------
    def refresh_on_resume(self) -> None:
        # Loaded once; after that each change updates the screen itself. Reloading on every return from
        # a dialog would race the dialog's own write and could show the screen as it was before it.
        if self._last_meetings_shown:
            self._clear_the_last_meeting()
        if not self.draft.loaded:
            self.reload()

    @property
    def is_loaded(self) -> bool:
        return self.draft.loaded

    def reload(self, then: Callable[[], None] | None = None) -> None:
        """Read the meeting afresh; `then` runs once it is shown (the app pushes a kept screen then)."""
        draft = self.draft
        if self._loading is draft and then is None:
            return  # already being read (the screen shown before its first read came back)
        self._loading = draft
        occurrence = self.occurrence

        now = self.los.now()

        def read(diary: Diary) -> tuple[tuple[Occurrence, Commitment, list[Action]], BriefRead]:
            # The brief in the same read: drawn with the meeting, the screen is laid out and painted once.
            return diary.meetings.view(occurrence), read_brief(diary, occurrence, now)

        def loaded(found: tuple[tuple[Occurrence, Commitment, list[Action]], BriefRead]) -> None:
            self._loaded(*found)
            if then is not None:
                then()

        in_background(self, read, self._for_this_meeting(loaded), group="occurrence-load")

    def _loaded(self, found: tuple[Occurrence, Commitment, list[Action]], brief: BriefRead) -> None:
        self._loading = None
        fresh, self.commitment, self.actions = found
        draft = self.draft
        self.in_schedule = True
        if fresh.original_start is not None:
            version = version_making(self.commitment, fresh.original_start)
            self.in_schedule = version is not None
            if version is None and fresh.log_id is None and not draft.unsaved:
                self._close_gone(fresh)  # nothing was written about it: it is simply no longer a meeting
                return
            if version is not None:  # the series may have changed its place or length since it was read
                fresh = replace(fresh, location=version.location, end=fresh.start + version.duration)
        self.occurrence = replace(
            fresh, note=draft.note, questions=draft.questions, difference=draft.difference
        )
        if not draft.loaded:
            # Only once: reloading later must never move the cursor or undo what is being typed.
            draft.loaded = True
            draft.occurrence = replace(draft.occurrence, log_id=fresh.log_id)
            note_area = self.query_one("#note", TextArea)
            # Anything typed in the moment before the stored note arrived is kept, after it, and saved
            # (unless the box still holds the last meeting's note: then the screen was never shown).
            typed = "" if self._last_meetings_shown else note_area.text
            self._last_meetings_shown = False
            self.query_one("#actions", DataTable).move_cursor(row=0)  # a new meeting: from the top
            for name in TEXTS:
                shown = visible(getattr(fresh, name))
                setattr(draft, name, shown)
                setattr(draft, f"saved_{name}", shown)
                draft.stored[name] = getattr(fresh, name)
            put_text(note_area, draft.note + typed)
            for name in TEXTS[1:]:
                put_text(self.query_one(f"#{name}", TextArea), getattr(draft, name))
            if typed:
                draft.note += typed
                self._save_timer = self.set_timer(SAVE_DELAY_SECONDS, self.save_texts)
            if self.focused is note_area:
                note_area.move_cursor(note_area.document.end)
        self._show_details()
        self._show_actions()
        self._show_brief(brief)
        self._show_what_is_kept()

    def _close_gone(self, gone: Occurrence) -> None:
        when = gone.start.astimezone(ZoneInfo(self.los.tz))
        at = f"{when:%a %d %b} {told_apart(when)}"
        self.notify(
            visible(f"{gone.title} no longer meets on {at} (its series changed)."),
            markup=False,
        )
        if self.is_current:
            self.action_back()

    def _show_details(self) -> None:
        occurrence, tz = self.occurrence, self.los.tz
        text = literal(occurrence.title, style="bold")
        text.append(f"  ({occurrence.role.label})\n")
        text.append("When:   " + when_text(occurrence, tz))
        if occurrence.is_moved and occurrence.original_start is not None:
            original = occurrence.original_start.astimezone(ZoneInfo(tz))
            text.append(f"  (moved from {original:%a %d %b} {told_apart(original)})")
        if occurrence.is_adhoc:
            text.append("  (ad hoc entry)")
        text.append("\nStatus: ")
        text.append_text(status_text(occurrence, self.los.now()))
        if not self.in_schedule:
            text.append(
                "  no longer in the schedule (its series changed): kept for what was written", "italic"
            )
        if occurrence.location:
            text.append("\nWhere:  " + visible(occurrence.location))
        if self.commitment is not None:
            if self.commitment.with_whom:
                text.append("\nWith:   " + visible(self.commitment.with_whom))
            if self.commitment.wording:
                text.append("\nProtocol: " + visible(self.commitment.wording), style="italic")
        self.query_one("#details", Static).update(text)

    def _show_actions(self) -> None:
        table = self.query_one("#actions", SizedTable)
        row = table.cursor_row
        # One line a row: long actions are cut at the column's width, not wrapped.
        table.fill(
            (
                (
                    Text("[x]" if action.done else "[ ]"),
                    literal(action.text, style="dim strike" if action.done else ""),
                    literal(action.owner),
                    Text(action.due.isoformat() if action.due else ""),
                ),
                str(action.id),
                1,
            )
            for action in self.actions
        )
        if self.actions:
            table.move_cursor(row=min(row, len(self.actions) - 1))

    # -- status and moving ----------------------------------------------------------------------------
    def action_status(self, value: str) -> None:
        status = Status(value) if value else None
        occurrence = self.occurrence
        in_background(
            self,
            lambda diary: diary.meetings.change_status(occurrence, status),
            self._for_this_meeting(self._status_set),
        )

    def _status_set(self, change: StatusChange) -> None:
        updated = change.occurrence
        self.occurrence = replace(self.occurrence, status=updated.status, log_id=updated.log_id)
        self._show_details()
        replaced = status_change(change.was, updated.status)
        self.notify(f"Marked {updated.status_label}" + (f" ({replaced})." if replaced else "."))

    def action_move(self) -> None:
        if self.occurrence.is_adhoc:
            self.notify("An ad hoc entry has no schedule to move from.", severity="warning")
            return
        start = self.occurrence.start.astimezone(ZoneInfo(self.los.tz))
        self.app.push_screen(MoveDialog(self.occurrence.title, start, self.los.tz), self._move_to)

    def _move_to(self, to: object) -> None:
        if not isinstance(to, datetime):
            return
        occurrence = self.occurrence
        in_background(
            self, lambda diary: diary.meetings.move(occurrence, to), self._for_this_meeting(self._moved)
        )

    def _moved(self, updated: Occurrence) -> None:
        self.occurrence = replace(
            self.occurrence, start=updated.start, end=updated.end, log_id=updated.log_id
        )
        self._show_details()
        to = on_the_clock(updated.start, ZoneInfo(self.los.tz))
        self.notify(f"Moved to {to:%a %d %b} {told_apart(to)}.")

    def action_change_series(self) -> None:
        self.los.edit_schedule(self.occurrence.commitment_slug)

    # -- note and questions: saved as you type --------------------------------------------------------
    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        name = event.text_area.id
        if name not in TEXTS:
            return
        self._show_length(name, event.text_area.text)
        if not self.draft.loaded:
            return
        setattr(self.draft, name, event.text_area.text)
        self._stop_save_timer()
        self._save_timer = self.set_timer(SAVE_DELAY_SECONDS, self.save_texts)

    def _show_length(self, name: str, text: str) -> None:
        """Near the limit, how long the text is and how long it may be; over it, that it cannot be saved
        until shortened (it is never cut: what is typed stays on screen)."""
        shown = self.query_one(f"#{name}-length", Static)
        length = len(text)
        near = length >= SHOW_LENGTH_FROM
        if shown.display != near:  # set only if it changes: setting it asks for a layout of the screen
            shown.display = near
        if not near:
            return
        words = f"{length:,} of {MAX_TEXT:,} characters"
        if length > MAX_TEXT:
            shown.update(
                Text(f"{words}: too long to save; shorten it by {length - MAX_TEXT:,}", style="bold red")
            )
        else:
            shown.update(Text(words, style="dim"))

    def _stop_save_timer(self) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None

    def on_descendant_blur(self) -> None:
        self.save_texts()

    @property
    def unsaved(self) -> bool:
        return self.draft.unsaved

    def write_texts(self, diary: Diary) -> Occurrence:
        return self.draft.write(diary)

    def save_texts(self, closing: bool = False) -> None:
        draft = self.draft
        if self.private_text_kept or not draft.unsaved or draft.problem() is not None:
            return  # an over-long text is kept as typed, and said so under its box, until it is shortened
        job = draft.write
        if closing:
            # The last save as the screen closes: if the store refuses it, the app keeps it and retries.
            # The app is taken here, on the UI thread, and the draft rather than the screen is kept.
            app = self.los

            def write_or_keep(diary: Diary) -> Occurrence:
                try:
                    return draft.write(diary)
                except StoreError:
                    app.retry_later(draft.write)
                    raise

            job = write_or_keep
        in_background(
            self,
            job,
            self._for_this_meeting(self._texts_written),
            group="occurrence-save",
            outlive_screen=closing,
        )

    def _texts_written(self, updated: Occurrence) -> None:
        self.occurrence = replace(self.occurrence, log_id=updated.log_id)
        for name in TEXTS:
            whole = self.draft.take_kept(name)
            if whole is None:
                continue
            area = self.query_one(f"#{name}", TextArea)
            area.load_text(visible(whole))
            area.move_cursor(area.document.end)
            self.notify(
                f"The {TEXT_NAMES[name]} was changed elsewhere while you typed: both are kept, the other "
                "text first, then a marked line, then yours.",
                title="Changed elsewhere",
                severity="warning",
                timeout=15,
            )

    def cannot_leave(self) -> str | None:
        """Why leaving now would drop what is typed (too long, control characters), by length only."""
        problem = self.draft.problem()
        return None if problem is None else f"{problem}. Change it to leave; nothing typed is dropped."

    def leave(self) -> None:
        self._stop_save_timer()
        self.save_texts(closing=True)
        self.in_use = False

    def action_back(self) -> None:
        why = self.cannot_leave()
        if why is not None:  # stay, rather than drop what is typed
            self.notify(why, severity="error", markup=False)
            return
        self.leave()
        self.dismiss()

    def write_unsaved(self, diary: Diary) -> None:
        if self.unsaved:
            self.write_texts(diary)

    # -- actions arising ------------------------------------------------------------------------------
    def _current_action(self) -> Action | None:
        table = self.query_one("#actions", DataTable)
        if not self.actions or not 0 <= table.cursor_row < len(self.actions):
            return None
        return self.actions[table.cursor_row]

    def action_add_action(self) -> None:
        self.app.push_screen(ActionDialog(f"New action arising from {self.occurrence.title}"), self._add)

    def _add(self, draft: object) -> None:
        if not isinstance(draft, ActionDraft):
            return
        occurrence = self.occurrence
        in_background(
            self,
            lambda diary: diary.actions.add(occurrence, draft.text, draft.owner, draft.due),
            self._for_this_meeting(self._added),
        )

    def _added(self, result: tuple[Occurrence, Action]) -> None:
        self.occurrence = replace(self.occurrence, log_id=result[0].log_id)
        self.actions.append(result[1])
        self._show_actions()

    def action_edit_action(self) -> None:
        action = self._current_action()
        if action is None:
            return
        draft = ActionDraft(action.text, action.owner, action.due)

        def save(edited: object) -> None:
            if isinstance(edited, ActionDraft):
                save_edited_action(self, action, edited, self._replace_action, self._for_this_meeting)

        self.app.push_screen(ActionDialog("Edit action", draft), save)

    def action_toggle_done(self) -> None:
        if self.focused is self.query_one("#open-actions", DataTable):
            self._toggle_earlier_action()
            return
        action = self._current_action()
        if action is not None:
            in_background(
                self,
                lambda diary: diary.actions.update(action.id, done=not action.done),
                self._for_this_meeting(self._replace_action),
            )

    def _replace_action(self, updated: Action) -> None:
        self.actions = [updated if a.id == updated.id else a for a in self.actions]
        self._show_actions()

    def action_delete_action(self) -> None:
        action = self._current_action()
        if action is not None:
            in_background(
                self, lambda diary: diary.actions.remove(action.id), self._for_this_meeting(self._deleted)
            )

    def _deleted(self, gone: Action) -> None:
        self.deleted.append(gone)
        self.actions = [a for a in self.actions if a.id != gone.id]
        self._show_actions()
        self.notify(visible(f"Deleted action: {gone.text}. Press z to undo."), markup=False)

    def action_undo_delete(self) -> None:
        if not self.deleted:
            self.notify("Nothing to undo.")
            return
        gone = self.deleted.pop()
        in_background(self, lambda diary: diary.actions.restore(gone), self._for_this_meeting(self._restored))

    def _restored(self, action: Action) -> None:
        self.actions.append(action)
        self._show_actions()
        self.notify("Action restored.")

    # -- the brief: last time, what is still open, questions worth asking ----------------------------
    def _show_brief(self, found: BriefRead) -> None:
        made, _asked_here = found
        self.query_one(BriefPanel).show(*found, self.los.tz, self.private_text_kept)
        last = "nothing logged last time"
        if made.last is not None:
            when = made.last.start.astimezone(ZoneInfo(self.los.tz))
            last = f"last time {made.last.status_label.lower()} {when:%d %b}"
        self.query_one("#brief-line", Static).update(
            Text(
                f"Brief below: {last}; {plural(len(made.open_actions), 'action')} open; "
                f"{plural(len(made.suggested), 'question')} to ask",
                style="italic",
            ),
            layout=False,
        )

    def _toggle_earlier_action(self) -> None:
        panel = self.query_one(BriefPanel)
        raised = panel.selected_open_action()
        if raised is None:
            return
        action = raised.action
        in_background(
            self,
            lambda diary: diary.actions.update(action.id, done=not action.done),
            self._for_this_meeting(lambda updated: panel.action_changed(replace(raised, action=updated))),
        )

    def action_raise_question(self) -> None:
        """Copy the selected suggested question to the end of Questions to raise (saved as typed)."""
        if self._refuse_private_text("Questions to raise"):
            return
        question = self.query_one(BriefPanel).selected_question()
        if question is None or not self.draft.loaded:
            self.notify('No question is selected under "Questions worth asking".', severity="warning")
            return
        area = self.query_one("#questions", TextArea)
        if question.text in area.text:
            self.notify(f"Question {question.id} is already in Questions to raise.")
            return
        before = "" if not area.text or area.text.endswith("\n") else "\n"
        area.insert(before + question.text + "\n", area.document.end)
        self.notify(f"Question {question.id} copied into Questions to raise.")

    def action_asked_question(self) -> None:
        """Mark the selected question asked at this meeting and take what was said (`los ask`)."""
        if self._refuse_private_text("An answer"):
            return
        panel = self.query_one(BriefPanel)
        question = panel.selected_question()
        if question is None:
            self.notify('No question is selected under "Questions worth asking".', severity="warning")
            return

        def answered(answer: object) -> None:
            if not isinstance(answer, str):
                return
            occurrence = self.occurrence

            def saved(result: tuple[Occurrence, object]) -> None:
                self.occurrence = replace(self.occurrence, log_id=result[0].log_id)
                panel.asked(question, answer)
                self.notify(f"Question {question.id} marked asked at this meeting.")

            in_background(
                self,
                lambda diary: diary.evidence.ask(occurrence, question.id, answer),
                self._for_this_meeting(saved),
            )

        self.app.push_screen(
            AskDialog(question.text, panel.answers.get(question.id, ""), MAX_ANSWER), answered
        )
