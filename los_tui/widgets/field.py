"""A form's text field: an Input that, focused, keeps its text and puts the cursor after it."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input


class Field(Input):
    """A text field of a form or dialog. Textual's Input selects all its text when focused, so the first
    key typed, the start of an edit, wiped what was there: an action's text, the time offered for a move,
    a path. Here the cursor goes after the text instead; ctrl+u clears it."""

    def __init__(self, value: str | None = None, **options: Any) -> None:
        super().__init__(value, select_on_focus=False, **options)
