"""What the diary records as evidence beyond a meeting's status: a guidance question asked there, and an
action with the meeting it arose from. Kept apart from the assurance statement so that reading the
diary (db.reader, on the first screen's path) does not load the guidance and the review."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from los_tui.domain.model import Action


@dataclass(frozen=True)
class AskedQuestion:
    """A question of the guidance asked at a meeting, and what was said."""

    commitment_slug: str
    asked_at: datetime  # aware: the meeting's start
    question_id: str  # "5.9"
    answer: str = ""

    @property
    def factor(self) -> int:
        return int(self.question_id.split(".", 1)[0])


@dataclass(frozen=True)
class RaisedAction:
    """An action with the meeting it arose from."""

    action: Action
    commitment_slug: str
    raised_on: date  # the local day of the meeting it arose at
