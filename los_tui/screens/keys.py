"""The app's one key vocabulary: each binding id means one thing, on one set of keys, on every screen.

Screens take their bindings from here by id, so a key never means two things on two screens (a test checks
it), and a remap in config.toml (`[keys] "status.attended" = "a,1"`) changes that key everywhere at once.
Every key named in help, labels or notifications is looked up here through `keys_for`, never written out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.binding import Binding

if TYPE_CHECKING:
    from textual import events
    from textual.app import App


@dataclass(frozen=True)
class Meaning:
    keys: str  # Textual's comma-separated key names
    description: str  # the footer's word for it
    tooltip: str = ""  # the longer wording in help


# The status keys can also be pressed with alt, which no text box takes: they work while writing a note.
VOCABULARY: dict[str, Meaning] = {
    # Anywhere.
    "quit": Meaning("q", "Quit", "Quit (what you typed is saved first)"),
    "quit.anywhere": Meaning("ctrl+q", "Quit", "Quit from anywhere, even while writing a note"),
    "help": Meaning("question_mark,f1", "Help", "The keys of this screen, and of the whole app"),
    "screen.month": Meaning("f2", "Month", "The month, from anywhere"),
    "screen.agenda": Meaning("f3", "Agenda", "The agenda, from anywhere"),
    "screen.commitments": Meaning("f4", "Commitments", "Your commitments, from anywhere"),
    "screen.search": Meaning("f5,slash", "Search", "Search titles, notes, questions and actions"),
    "new_entry": Meaning("f6", "Ad hoc entry", "Record a meeting no schedule produced"),
    "screen.review": Meaning("f7", "Review", "The quarterly review, from anywhere"),
    "calendar.export": Meaning("f8", "Export .ics", "Write your schedules as an .ics for Outlook"),
    "calendar.import": Meaning("f9", "Import .ics", "Log attendance from Outlook's .ics"),
    # F10 is left alone: most terminals open their own menu with it. Where F11 or F12 is the terminal's
    # (full screen), ctrl+p finds both screens by name, and config.toml can give them other keys.
    "screen.actions": Meaning("f11", "Actions", "Every open action across meetings, from anywhere"),
    "screen.assurance": Meaning(
        "f12", "Assurance", "The year's line of sight, factor by month, from anywhere"
    ),
    "back": Meaning("escape", "Back", "Back one step, or close this dialog without saving"),
    # Moving about.
    "day.before": Meaning("left,h", "Day before"),
    "day.after": Meaning("right,l", "Day after"),
    "week.before": Meaning("up,k", "Week before"),
    "week.after": Meaning("down,j", "Week after"),
    "period.previous": Meaning("pageup,left_square_bracket", "Previous", "The month or quarter before"),
    "period.next": Meaning("pagedown,right_square_bracket", "Next", "The month or quarter after"),
    "today": Meaning("t", "Today", "Back to today"),
    "open": Meaning("enter", "Open", "Open what is selected"),
    # Things in the diary.
    "new": Meaning("n,alt+n", "New", "Add a new one here (an entry, an action, a commitment)"),
    "edit": Meaning("e", "Edit", "Change the selected one"),
    "status.attended": Meaning("a,alt+a", "Attended", "Log it attended"),
    "status.delegated": Meaning("d,alt+d", "Delegated", "Log that a deputy went"),
    "status.apologies": Meaning("p,alt+p", "Apologies", "Log apologies sent"),
    "status.missed": Meaning("x,alt+x", "Missed", "Log it missed"),
    "status.cancelled": Meaning("c,alt+c", "Cancelled", "Log it cancelled"),
    "status.clear": Meaning("0,alt+0", "Clear status", "Clear the logged status"),
    "meeting.move": Meaning("m,alt+m", "Move this one", "Move this meeting only; the series stays"),
    "meeting.change_series": Meaning("S,alt+s", "Change series", "Change the whole series from a date on"),
    "action.done": Meaning("space", "Done/undone", "Mark the selected action done, or not done"),
    "action.delete": Meaning("delete", "Delete action", "Delete the selected action"),
    "action.undo_delete": Meaning("z", "Undo delete", "Put back the action deleted last"),
    "question.raise": Meaning(
        "i", "Into questions", "Copy the selected suggested question into Questions to raise"
    ),
    "question.asked": Meaning(
        "A", "Asked", "Mark the selected suggested question asked at this meeting, with what was said"
    ),
    "commitments.retire": Meaning("R", "Retire", "Retire the selected commitment (asks first)"),
    "commitments.target": Meaning("g", "Target", "An ad hoc commitment's aim a quarter, from a quarter on"),
    "agenda.range": Meaning("v", "Range", "This week, the next 30 days, or this quarter"),
    "agenda.role": Meaning("r", "Role", "Both roles, the Lead Member's, or the Director's"),
    "review.filter": Meaning(
        "f", "Missed & unlogged", "Show only commitments with something missed or unlogged"
    ),
    "review.sort": Meaning("s", "Sort", "Sort by role, rating, missed, unlogged, title"),
    "review.write": Meaning(
        "w", "Write report", "Write this screen's report (the review, the assurance statement) to a file"
    ),
    "actions.show_done": Meaning("D", "Show done", "Show the done actions too, or only the open ones"),
    "form.save": Meaning("ctrl+s", "Save", "Save this form"),
    "confirm.yes": Meaning("y", "Yes", "Yes, do it"),
}


# Held with a key, each makes it a command, never text.
COMMAND_MODIFIERS = frozenset({"alt", "ctrl", "super", "meta", "hyper"})


def as_command_only(key: events.Key) -> None:
    """Have `key`, if pressed with alt or ctrl, type nothing in any text box, so it reaches the bindings.

    A terminal sends alt+a as ESC a, which Textual delivers as alt+a with "a" as the character it types;
    every text box (TextArea, Input) then inserts the "a" and stops the key, so no binding of the screen
    ever sees it, and the status keys that are meant to work while writing (alt+a attended) would not."""
    if key.character is not None and COMMAND_MODIFIERS.intersection(key.key.split("+")[:-1]):
        key.character = None


def bind(
    binding_id: str, action: str, description: str = "", show: bool = True, priority: bool = False
) -> Binding:
    """The binding `binding_id` of the vocabulary, running `action` here (`description` if this screen
    words it more exactly, such as "Add action" for "new")."""
    meaning = VOCABULARY[binding_id]
    return Binding(
        meaning.keys,
        action,
        description or meaning.description,
        show=show,
        priority=priority,
        id=binding_id,
        tooltip=meaning.tooltip,
    )


def keys_for(app: App[Any], binding_id: str, first_only: bool = False) -> str:
    """The keys for `binding_id` as the user has them (after any remap), as the footer shows them: for
    help, labels and notifications, which must never name a key the user has remapped."""
    remapped: dict[str, str] = getattr(getattr(app, "config", None), "keys", {}) or {}
    keys = [key.strip() for key in remapped.get(binding_id, VOCABULARY[binding_id].keys).split(",")]
    if first_only:
        keys = keys[:1]
    return "/".join(app.get_key_display(Binding(key, "")) for key in keys if key)
