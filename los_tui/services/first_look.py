"""The month on screen before the diary is fully open: a read-only first look, no SQLAlchemy needed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from los_tui.db import expansions
from los_tui.db.snapshot import first_look
from los_tui.domain.agenda import build_agenda
from los_tui.domain.model import Occurrence
from los_tui.domain.recurrence import window_for_days


def peek_agenda(path: Path, first: date, last: date, tz: str) -> list[Occurrence] | None:
    """What diary.meetings.agenda(first, last) would show, read straight from the file; None if the
    diary is not there yet, not set up, or not at this version's schema (then only the full open can
    say)."""
    window = window_for_days(first, last, tz)
    found = first_look(path, *window, tz)
    if found is None:
        return None
    commitments, logs = found
    expansions.recall(path)
    try:
        return build_agenda(commitments, logs, *window, tz)
    except ValueError:  # a rule stored by hand that will not expand: the normal path reports it
        return None
