"""The one family of errors a user can fix: each names the field it is about in neutral words.

Deep down a message names the field ("rrule", "output", "diary"), never a command-line flag or a screen's
label; each edge says it in its own words: the command line maps fields to its flags, the screens to
their labels. Every error here is caught once, at the edge, and shown as one line.
"""

from __future__ import annotations

from collections.abc import Callable

_UNSET = object()
SHOWN_CHARACTERS = 80


def show_value(value: object, limit: int | None = SHOWN_CHARACTERS) -> str:
    """A value quoted for a one-line message, cut short if longer than `limit`."""
    text = str(value)
    if limit is not None and len(text) > limit:
        text = text[: limit - 3] + "..."
    return repr(text)


class LosError(Exception):
    """Something the user can put right: `reason` says what is wrong with `field`'s `value` (both
    optional)."""

    shown_characters: int | None = SHOWN_CHARACTERS  # a typed value is cut short; a file's path is not

    def __init__(self, reason: str, field: str | None = None, value: object = _UNSET) -> None:
        self.reason = reason
        self.field = field
        self.value = value
        super().__init__(self.describe())

    @property
    def has_value(self) -> bool:
        return self.value is not _UNSET

    def describe(self, name: Callable[[str], str] = str) -> str:
        """One line: the field as `name` calls it, the value, and the reason."""
        subject = [name(self.field)] if self.field else []
        if self.has_value:
            subject.append(show_value(self.value, self.shown_characters))
        return f"{' '.join(subject)}: {self.reason}" if subject else self.reason


class InputError(LosError, ValueError):
    """Bad input from a user or a file: names the field and the value, says what is wrong."""

    field: str  # always named here

    def __init__(self, field: str, value: object, reason: str) -> None:
        super().__init__(reason, field, value)
