"""Actions followed across meetings in the order they are chased: overdue first, then by owner."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from los_tui.domain.evidence_records import RaisedAction


@dataclass(frozen=True)
class FollowedAction:
    """An action as the actions screen lists it: what, whose, by when, and the meeting it arose at."""

    raised: RaisedAction
    title: str  # the title of the commitment whose meeting raised it
    overdue: bool  # open, and due before today

    @property
    def id(self) -> int:
        return self.raised.action.id


def follow_up(
    actions: Iterable[RaisedAction], titles: Mapping[str, str], today: date
) -> list[FollowedAction]:
    """`actions` in the order to chase them: the overdue ones (longest overdue first), then the other open
    ones by owner (no owner last), each owner's soonest due first, then the done ones the same way."""
    found = [
        FollowedAction(
            raised,
            titles.get(raised.commitment_slug, raised.commitment_slug),
            not raised.action.done and raised.action.due is not None and raised.action.due < today,
        )
        for raised in actions
    ]

    def order(followed: FollowedAction) -> tuple[object, ...]:
        action = followed.raised.action
        owner = action.owner.strip().casefold()
        return (
            action.done,
            not followed.overdue,
            "" if followed.overdue else owner or "\uffff",  # overdue ones by date alone; no owner last
            action.due is None,
            action.due or date.max,
            followed.raised.raised_on,
            followed.title.casefold(),
            action.id,
        )

    return sorted(found, key=order)
