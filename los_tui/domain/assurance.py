"""The annual line-of-sight statement: what the year's meetings, questions and actions show under each of
the seven factors of effective safeguarding, and where there is no evidence at all (a gap).

Pure: the caller hands in the period's review (the review's own counting of what was expected and
attended), which factors each commitment gives sight of, the questions asked, the actions and the
differences recorded. Nothing here reads a clock or a database.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from los_tui.domain.evidence_records import AskedQuestion, RaisedAction
from los_tui.domain.guidance import AssurancePoint, Factor, guidance
from los_tui.domain.model import Commitment, Occurrence
from los_tui.domain.moments import instant
from los_tui.domain.parsing import InputError
from los_tui.domain.periods import COUNCIL_YEAR_FIRST_MONTH, Period
from los_tui.domain.review import Outcome, Review, ReviewItem

_COUNCIL_YEAR = re.compile(r"^\s*(\d{4})/(\d{2})\s*$", re.ASCII)
SIGHTED = (Outcome.ATTENDED, Outcome.DELEGATED)  # a meeting counts as sight when someone was there


def parse_council_year(field: str, text: str) -> Period:
    """ "2026/27": April 2026 to March 2027."""
    match = _COUNCIL_YEAR.match(text)
    if match is None or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise InputError(field, text, "must be a council year such as 2026/27 (April 2026 to March 2027)")
    start = int(match.group(1))
    if not 1900 <= start <= 2198:
        raise InputError(field, text, "must be a council year between 1900/01 and 2198/99")
    return Period(date(start, COUNCIL_YEAR_FIRST_MONTH, 1), date(start + 1, COUNCIL_YEAR_FIRST_MONTH - 1, 31))


@dataclass(frozen=True)
class Difference:
    """What difference a meeting made for children, in the user's words: the text reports carry."""

    commitment_slug: str
    title: str
    start: datetime  # aware
    text: str


@dataclass(frozen=True)
class FactorEvidence:
    factor: Factor
    meetings: int  # attended or delegated meetings and entries of commitments with the factor
    questions_asked: int
    answered: int  # asked, with an answer recorded
    by_month: tuple[tuple[int, int], ...]  # (meetings, questions asked) in each month of the period
    commitments: tuple[str, ...]  # slugs of the commitments that give sight of it

    @property
    def gap(self) -> bool:
        """No meeting and no question under this factor in the whole period."""
        return self.meetings == 0 and self.questions_asked == 0


@dataclass(frozen=True)
class Attendance:
    commitment: Commitment
    expected: int  # over the whole period, as the review counts (upcoming meetings included)
    attended: int  # delegated included, as the review counts
    upcoming: int = 0

    @property
    def rate(self) -> float | None:
        """Attended of those due so far: a meeting still to come neither helps nor hurts."""
        due = self.expected - self.upcoming
        return None if due == 0 else self.attended / due


@dataclass(frozen=True)
class ActionTally:
    raised: int  # arising at meetings in the period
    done: int  # of those, done
    open: int  # of those, still open
    overdue: int  # of those open, due before the as-of day


@dataclass(frozen=True)
class PointEvidence:
    """One point of the Local Test of Assurance, linked to the evidence under its factors."""

    point: AssurancePoint
    meetings: int
    questions_asked: int

    @property
    def evidenced(self) -> bool:
        return self.meetings > 0 or self.questions_asked > 0


@dataclass(frozen=True)
class Sighting:
    """A meeting behind a cell of the grid: seen under the factor (attended or delegated, of a commitment
    that gives sight of it), or where questions of the factor were asked, or both."""

    commitment: Commitment
    start: datetime  # aware
    description: str  # when, as the review words it
    occurrence: Occurrence | None  # the meeting to open; None only where the diary holds none
    seen: bool
    asked: tuple[str, ...]  # the factor's questions asked there ("5.9")


@dataclass(frozen=True)
class AssuranceStatement:
    period: Period
    as_of: datetime
    months: tuple[Period, ...]
    factors: tuple[FactorEvidence, ...]
    commitments: tuple[Attendance, ...]
    actions: ActionTally
    differences: tuple[Difference, ...]
    self_assessment: tuple[PointEvidence, ...]
    attendance_by_month: tuple[tuple[int, int], ...]  # (expected, attended) per month, as the review counts
    # The meetings each (factor, month) cell counts, from the same pass that counted them.
    sightings: Mapping[tuple[int, int], tuple[Sighting, ...]] = field(
        default_factory=dict, compare=False, repr=False
    )

    @property
    def gaps(self) -> list[FactorEvidence]:
        return [f for f in self.factors if f.gap]

    def behind(self, factor: int, month: int | None = None) -> list[Sighting]:
        """The meetings behind factor `factor` in month `month` (its index in `months`), or in the whole
        period; in time order."""
        months = range(len(self.months)) if month is None else (month,)
        found = [s for index in months for s in self.sightings.get((factor, index), ())]
        return sorted(found, key=lambda s: (s.start, s.commitment.title))

    @property
    def attendance(self) -> tuple[int, int]:
        """(attended, due so far) over every commitment: the meetings still to come are left out."""
        attended = sum(a.attended for a in self.commitments)
        return attended, sum(a.expected - a.upcoming for a in self.commitments)


def _month_of(months: tuple[Period, ...], day: date) -> int | None:
    for index, month in enumerate(months):
        if day in month:
            return index
    return None


def _item_month(months: tuple[Period, ...], item: ReviewItem, zone: ZoneInfo) -> int | None:
    """The month a review item counts in: where its meeting happened (a periodic commitment's entry in
    November is November's sight, not April's, where its annual period starts), else where it starts."""
    if item.occurrence is not None:
        month = _month_of(months, item.occurrence.start.astimezone(zone).date())
        if month is not None:
            return month
    return _month_of(months, item.start.astimezone(zone).date())


def assurance_statement(
    review: Review,
    factors_of: Mapping[str, tuple[int, ...]],
    asked: Iterable[AskedQuestion],
    actions: Iterable[RaisedAction],
    differences: Iterable[Difference],
    tz: str,
    held_meetings: Iterable[Occurrence] = (),
) -> AssuranceStatement:
    """The statement for `review.period` as of `review.as_of`; `held_meetings` (the period's meetings and
    entries) names the meeting behind a question asked where the review holds no item (an entry of a
    periodic commitment after the one that covered its period)."""
    zone = ZoneInfo(tz)
    period, as_of = review.period, review.as_of
    months = tuple(period.months())
    meetings = [[0] * len(months) for _ in range(8)]  # [factor][month]; index 0 unused
    questions = [[0] * len(months) for _ in range(8)]
    answered = [0] * 8
    expected_by_month = [0] * len(months)
    attended_by_month = [0] * len(months)
    # Each cell's meetings, keyed by the meeting (its UTC instant: starts are local or UTC, questions' UTC,
    # and == never finds two zones' times equal in a clock change's hour), so a meeting seen and asked at
    # is listed once.
    cells: dict[tuple[int, int], dict[tuple[str, datetime], Sighting]] = defaultdict(dict)
    held: dict[tuple[str, datetime], ReviewItem] = {}
    for row in review.rows:
        for item in row.items:
            if item.occurrence is not None:
                held[(row.commitment.slug, instant(item.occurrence.start))] = item
            month = _item_month(months, item, zone)
            if month is None or item.outcome == Outcome.CANCELLED:
                continue
            expected_by_month[month] += 1
            if item.outcome in SIGHTED:
                attended_by_month[month] += 1
                start = item.occurrence.start if item.occurrence is not None else item.start
                for factor in factors_of.get(row.commitment.slug, ()):
                    meetings[factor][month] += 1
                    cells[(factor, month)][(row.commitment.slug, instant(start))] = Sighting(
                        row.commitment, start, item.description, item.occurrence, True, ()
                    )
    commitment_of = {row.commitment.slug: row.commitment for row in review.rows}
    other_meetings = {(o.commitment_slug, instant(o.start)): o for o in held_meetings}
    for question in asked:
        month = _month_of(months, question.asked_at.astimezone(zone).date())
        if month is not None:
            questions[question.factor][month] += 1
            answered[question.factor] += bool(question.answer.strip())
            where = (question.commitment_slug, instant(question.asked_at))
            cell = cells[(question.factor, month)]
            if where in cell:
                found = cell[where]
                cell[where] = Sighting(
                    found.commitment,
                    found.start,
                    found.description,
                    found.occurrence,
                    found.seen,
                    (*found.asked, question.question_id),
                )
            elif question.commitment_slug in commitment_of:
                at_item = held.get(where)
                cell[where] = Sighting(
                    commitment_of[question.commitment_slug],
                    question.asked_at,
                    at_item.description
                    if at_item
                    else f"{question.asked_at.astimezone(zone):%a %d %b %Y %H:%M}",
                    at_item.occurrence if at_item else other_meetings.get(where),
                    False,
                    (question.question_id,),
                )
    sight: dict[int, list[str]] = defaultdict(list)
    for row in review.rows:
        for factor in factors_of.get(row.commitment.slug, ()):
            sight[factor].append(row.commitment.slug)
    evidence = tuple(
        FactorEvidence(
            factor=factor,
            meetings=sum(meetings[factor.number]),
            questions_asked=sum(questions[factor.number]),
            answered=answered[factor.number],
            by_month=tuple(zip(meetings[factor.number], questions[factor.number], strict=True)),
            commitments=tuple(sight[factor.number]),
        )
        for factor in guidance().factors
    )
    by_number = {e.factor.number: e for e in evidence}
    raised = [a for a in actions if a.raised_on in period]
    still_open = [a for a in raised if not a.action.done]
    return AssuranceStatement(
        period=period,
        as_of=as_of,
        months=months,
        factors=evidence,
        commitments=tuple(
            Attendance(row.commitment, row.counts.expected, row.counts.attended, row.counts.upcoming)
            for row in review.rows
        ),
        actions=ActionTally(
            raised=len(raised),
            done=len(raised) - len(still_open),
            open=len(still_open),
            overdue=sum(
                1
                for a in still_open
                if a.action.due is not None and a.action.due < as_of.astimezone(zone).date()
            ),
        ),
        differences=tuple(
            sorted(
                (d for d in differences if d.text.strip() and d.start.astimezone(zone).date() in period),
                key=lambda d: d.start,
            )
        ),
        self_assessment=tuple(
            PointEvidence(
                point,
                meetings=sum(by_number[f].meetings for f in point.factors),
                questions_asked=sum(by_number[f].questions_asked for f in point.factors),
            )
            for point in guidance().self_assessment
        ),
        attendance_by_month=tuple(zip(expected_by_month, attended_by_month, strict=True)),
        sightings={key: tuple(found.values()) for key, found in cells.items()},
    )
