"""The brief for a meeting: what happened last time, what is still open, and questions worth asking.

Pure: the caller hands in the meeting, the commitment's earlier meetings (and its joint line's), their
actions and the questions already asked; `now` decides what "the last twelve months" means."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from los_tui.domain.evidence_records import AskedQuestion
from los_tui.domain.guidance import Question, guidance
from los_tui.domain.model import Action, Commitment, Occurrence

SUGGESTED_QUESTIONS = 5
RECENTLY = timedelta(days=365)  # a question asked within a year is not suggested again


@dataclass(frozen=True)
class OpenAction:
    action: Action
    raised_at: datetime  # aware: the start of the meeting it arose at
    commitment_slug: str


@dataclass(frozen=True)
class Brief:
    commitment: Commitment
    meeting: Occurrence
    last: Occurrence | None  # the latest earlier meeting of this commitment (or its joint line) with a status
    last_difference: str
    open_actions: tuple[OpenAction, ...]
    suggested: tuple[Question, ...]


def suggested_questions(
    factors: Iterable[int], asked: Iterable[AskedQuestion], now: datetime, limit: int = SUGGESTED_QUESTIONS
) -> tuple[Question, ...]:
    """Up to `limit` questions from these factors not asked in the last twelve months, taking the
    factors in turn so that each is represented before any gives a second."""
    recent = {q.question_id for q in asked if now - RECENTLY <= q.asked_at <= now}
    queues = [[q for q in guidance().factor(number).questions if q.id not in recent] for number in factors]
    chosen: list[Question] = []
    while len(chosen) < limit and any(queues):
        for queue in queues:
            if queue and len(chosen) < limit:
                chosen.append(queue.pop(0))
    return tuple(chosen)


def brief(
    commitment: Commitment,
    factors: tuple[int, ...],
    meeting: Occurrence,
    earlier: Iterable[Occurrence],
    differences: dict[int, str],
    actions: Iterable[OpenAction],
    asked: Iterable[AskedQuestion],
    now: datetime,
) -> Brief:
    """`earlier`: meetings of the commitment and of its joint line before `meeting`; `differences` by
    log id; `actions`: every action of those meetings (done ones are left out here)."""
    logged = sorted(
        (o for o in earlier if o.status is not None and o.start < meeting.start), key=lambda o: o.start
    )
    last = logged[-1] if logged else None
    open_actions = tuple(
        sorted(
            (a for a in actions if not a.action.done and a.raised_at < meeting.start),
            key=lambda a: (a.action.due is None, a.action.due, a.raised_at),
        )
    )
    return Brief(
        commitment=commitment,
        meeting=meeting,
        last=last,
        last_difference=differences.get(last.log_id, "") if last and last.log_id is not None else "",
        open_actions=open_actions,
        suggested=suggested_questions(factors, asked, now),
    )
