"""The order the actions screen chases actions in: the overdue first (longest overdue first), then the
other open ones by owner (no owner last), each owner's soonest due first; the done ones at the end."""

from __future__ import annotations

from datetime import date

from los_tui.domain.evidence_records import RaisedAction
from los_tui.domain.follow_up import follow_up
from los_tui.domain.model import Action

TODAY = date(2026, 11, 26)
TITLES = {"lmcs-improvement-board": "Children's Improvement Board", "lmcs-cicc": "Children in Care Council"}


def raised(
    number: int, owner: str, due: date | None, done: bool = False, slug: str = "lmcs-improvement-board"
) -> RaisedAction:
    return RaisedAction(Action(number, 1, f"action {number}", owner, due, done), slug, date(2026, 10, 13))


def test_the_overdue_come_first_by_date_then_each_owner_in_turn_soonest_due_first() -> None:
    actions = [
        raised(1, "lead member", date(2026, 12, 15)),
        raised(2, "", date(2026, 12, 1)),  # nobody's: after everyone's
        raised(3, "DCS", date(2026, 11, 20)),  # overdue
        raised(4, "Lead Member", date(2026, 12, 2)),
        raised(5, "Zed", date(2026, 10, 1)),  # overdue the longest
        raised(6, "DCS", None),  # no date: after the DCS's dated one
        raised(7, "DCS", date(2026, 12, 20)),
        raised(8, "Clerk", date(2026, 10, 1), done=True),  # done: last, never overdue
        raised(9, "Lead Member", TODAY),  # due today: not overdue yet
    ]
    order = follow_up(actions, TITLES, TODAY)
    assert [f.id for f in order] == [5, 3, 7, 6, 9, 4, 1, 2, 8]
    assert [f.id for f in order if f.overdue] == [5, 3]


def test_each_is_named_by_the_commitment_whose_meeting_raised_it() -> None:
    [cicc, unknown] = follow_up(
        [raised(1, "", None, slug="lmcs-cicc"), raised(2, "", None, slug="gone")], TITLES, TODAY
    )
    assert cicc.title == "Children in Care Council" and unknown.title == "gone"
