"""How the screens word an error: each field by the label a user sees, never a command-line flag."""

from __future__ import annotations

from los_tui.domain.errors import LosError
from los_tui.domain.safe_text import neutralise

# The label each field goes by on screen; a field not named here is shown as it is, in words.
LABELS = {
    "action": "Action",
    "alarm": "Reminder",
    "as_of": "As of",
    "commitment": "Commitment",
    "config": "Settings file",
    "diary": "Diary file",
    "duration": "Minutes",
    "file": "File",
    "from": "From",
    "location": "Location",
    "note": "Note",
    "text": "Words",
    "on": "Date",
    "output": "File",
    "owner": "Owner",
    "questions": "Questions to raise",
    "quarter": "Quarter",
    "restore": "Backup",
    "role": "Role",
    "rrule": "Rule",
    "start": "First meeting",
    "status": "Status",
    "title": "Title",
    "to": "To",
    "with": "With whom",
    "wording": "Protocol wording",
}


def label_for(field: str) -> str:
    """The screen's name for `field`; one written as a flag ("--rrule", from older code) is unwrapped."""
    name = field.lstrip("-").replace("-", "_").lower()
    return LABELS.get(name, name.replace("_", " "))


def in_words(error: LosError) -> str:
    """The error as one inert line for a notification."""
    return neutralise(error.describe(label_for), keep_newlines=False)
