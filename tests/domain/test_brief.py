"""The brief before a meeting: last time's meeting, the actions still open from earlier ones, and up to
five questions from the commitment's factors that have not been asked in the last twelve months."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from diary_testing import LONDON

from los_tui.domain.brief import OpenAction, brief, suggested_questions
from los_tui.domain.evidence_records import AskedQuestion
from los_tui.domain.model import Action, Commitment, Frequency, Occurrence, Role, Status

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=LONDON)
BOARD = Commitment("lmcs-improvement-board", "Children's Improvement Board", Role.LMCS, Frequency.MONTHLY)


def meeting(day: str, status: Status | None = None, log_id: int | None = None) -> Occurrence:
    start = datetime.combine(date.fromisoformat(day), datetime.min.time(), LONDON).replace(hour=18, minute=30)
    return Occurrence(
        BOARD.slug, BOARD.title, Role.LMCS, start, start + timedelta(hours=2), start, status, log_id=log_id
    )


def test_questions_are_suggested_from_each_factor_in_turn() -> None:
    chosen = suggested_questions((1, 5), [], NOW)
    assert [q.id for q in chosen] == ["1.1", "5.1", "1.2", "5.2", "1.3"]


def test_a_question_asked_in_the_last_twelve_months_is_not_suggested_again() -> None:
    asked = [
        AskedQuestion(BOARD.slug, NOW - timedelta(days=30), "1.1"),
        AskedQuestion(BOARD.slug, NOW - timedelta(days=400), "5.1"),  # over a year ago: fair to ask again
    ]
    assert [q.id for q in suggested_questions((1, 5), asked, NOW)] == ["1.2", "5.1", "1.3", "5.2", "1.4"]


def test_a_factor_with_every_question_asked_gives_way_to_the_others() -> None:
    asked = [AskedQuestion(BOARD.slug, NOW - timedelta(days=1), f"4.{n}") for n in range(1, 13)]
    assert [q.factor for q in suggested_questions((4, 6), asked, NOW)] == [6, 6, 6, 6, 6]


def test_the_brief_has_the_last_logged_meeting_its_difference_and_the_open_actions_soonest_due_first() -> (
    None
):
    earlier = [
        meeting("2026-09-08", Status.ATTENDED, 1),
        meeting("2026-10-13", Status.APOLOGIES, 2),
        meeting("2026-11-10"),
    ]
    actions = [
        OpenAction(Action(1, 1, "Caseload report", due=date(2026, 12, 1)), earlier[0].start, BOARD.slug),
        OpenAction(Action(2, 1, "Invite CiCC chair"), earlier[0].start, BOARD.slug),
        OpenAction(Action(3, 2, "Audit themes", due=date(2026, 11, 1)), earlier[1].start, BOARD.slug),
        OpenAction(Action(4, 2, "Done already", done=True), earlier[1].start, BOARD.slug),
    ]
    made = brief(
        BOARD, (1, 5), meeting("2026-12-08"), earlier, {1: "Caseload cap agreed", 2: ""}, actions, [], NOW
    )
    assert made.last is not None and made.last.start == earlier[1].start  # the unlogged 10 Nov is not "last"
    assert made.last_difference == ""
    assert [a.action.id for a in made.open_actions] == [3, 1, 2]
    assert len(made.suggested) == 5


def test_a_first_meeting_has_no_last_time_and_no_actions() -> None:
    made = brief(BOARD, (7,), meeting("2026-12-08"), [], {}, [], [], NOW)
    assert made.last is None and made.open_actions == () and [q.factor for q in made.suggested] == [7] * 5
