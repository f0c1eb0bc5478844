"""The quarterly review: for each commitment, what was expected in a period and what became of it.

Every thing expected of a commitment becomes one `ReviewItem` with one outcome, so the counts always
add up: expected == attended + missed + unlogged + upcoming (delegated is counted within attended;
cancelled is not expected of anyone).

- A scheduled commitment expects its meetings in the period under the schedule version in force on each
  meeting's day, with moves applied: a meeting counts where it happens now, so one moved across the
  period's edge belongs to the period it was moved into. Ad hoc entries logged against it are extra
  meetings and count by their status too.
- An unscheduled periodic commitment is due once in each period of its frequency that ends in the
  review period (see `periods`): attended if any entry in that period says attended or delegated, missed
  if it is over and an entry says apologies or missed, cancelled if an entry says cancelled, otherwise
  unlogged once it is over and upcoming until then.
- An ad hoc commitment counts its entries by their status. With a quarterly target, each quarter that
  lies wholly inside the period also expects the shortfall (target minus entries not cancelled): unlogged
  once the quarter is over, upcoming while it runs.

Edge cases, decided: a meeting is past once its end is at or before the as-of moment; an unlogged past
meeting is never treated as attended. A retired commitment expects nothing from its retirement day
(its frequency periods starting on or after it are dropped) but keeps what was logged; one retired
before the period with nothing in it is left out. A commitment created part-way through owes no
frequency period or quarterly target that ended before the day it was created, unless something was
logged in it; a scheduled one owes what its schedule says, from the schedule's first day.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import cached_property
from operator import attrgetter
from zoneinfo import ZoneInfo

from los_tui.domain.agenda import Meeting, agenda_meetings, meetings_by_commitment, occurrence_from_log
from los_tui.domain.day_text import day_text, when_text
from los_tui.domain.model import (
    Commitment,
    Frequency,
    LoggedStatus,
    Occurrence,
    OccurrenceLog,
    Role,
    Status,
)
from los_tui.domain.moments import same_instant
from los_tui.domain.periods import Period, Quarter, frequency_periods_due
from los_tui.domain.quick_init import quick_init
from los_tui.domain.recurrence import window_for_days


class Outcome(StrEnum):
    ATTENDED = "attended"
    DELEGATED = "delegated"
    MISSED = "missed"
    CANCELLED = "cancelled"
    UNLOGGED = "unlogged"
    UPCOMING = "upcoming"


class Rating(StrEnum):
    """The improvement plan's progress ratings (Croydon Children's Improvement Plan, 2017)."""

    COMPLETE = "complete"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OVERDUE = "overdue"

    @property
    def label(self) -> str:
        return _RATING_LABELS[self]  # a StrEnum hashes and compares as its text: no Enum.value, no dict made

    @property
    def colour(self) -> str:
        """The RAG colour people expect: done and on-track green, at risk amber, overdue red."""
        return _RATING_COLOURS[self]


_RATING_LABELS = {"complete": "Complete", "on_track": "On track", "at_risk": "At risk", "overdue": "Overdue"}
_RATING_COLOURS = {"complete": "green", "on_track": "green", "at_risk": "amber", "overdue": "red"}


_OUTCOME_OF_STATUS = {
    Status.ATTENDED: Outcome.ATTENDED,
    Status.DELEGATED: Outcome.DELEGATED,
    Status.APOLOGIES: Outcome.MISSED,
    Status.MISSED: Outcome.MISSED,
    Status.CANCELLED: Outcome.CANCELLED,
}


def outcome_of(status: Status | None, start: datetime, end: datetime, as_of: datetime) -> Outcome:
    """What one meeting from `start` to `end` counts as, by the rule `_outcomes` counts a review's by:
    upcoming until it starts, whatever was logged ahead (apologies sent for next month's board are not a
    meeting missed yet), unless it was cancelled; then what was logged, else unlogged once it has ended
    and upcoming until then."""
    if status is not None and (status is Status.CANCELLED or start <= as_of):
        return _OUTCOME_OF_STATUS[status]
    return Outcome.UNLOGGED if end <= as_of else Outcome.UPCOMING


@quick_init
@dataclass(frozen=True)
class Counts:
    expected: int = 0
    attended: int = 0  # delegated included
    delegated: int = 0
    missed: int = 0
    cancelled: int = 0
    unlogged: int = 0
    upcoming: int = 0

    @classmethod
    def of(cls, outcomes: Iterable[Outcome]) -> Counts:
        # Counted by list.count (each outcome is one of six members: compared by identity, in C), not a
        # Counter: a council's review counts 200 rows, and a Counter is made in Python for each.
        count = list(outcomes).count
        attended_only, delegated = count(Outcome.ATTENDED), count(Outcome.DELEGATED)
        missed, unlogged, upcoming = count(Outcome.MISSED), count(Outcome.UNLOGGED), count(Outcome.UPCOMING)
        attended = attended_only + delegated
        return cls(
            attended + missed + unlogged + upcoming,
            attended,
            delegated,
            missed,
            count(Outcome.CANCELLED),
            unlogged,
            upcoming,
        )

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.expected + other.expected,
            self.attended + other.attended,
            self.delegated + other.delegated,
            self.missed + other.missed,
            self.cancelled + other.cancelled,
            self.unlogged + other.unlogged,
            self.upcoming + other.upcoming,
        )

    @property
    def rating(self) -> Rating:
        """Overdue if anything was missed; at risk if anything past is unlogged; complete if everything
        expected was attended; otherwise on track (the rest is upcoming, or nothing is owed at all)."""
        if self.missed:
            return Rating.OVERDUE
        if self.unlogged:
            return Rating.AT_RISK
        if self.expected and self.attended == self.expected:
            return Rating.COMPLETE
        return Rating.ON_TRACK


@quick_init
@dataclass(frozen=True)
class ReviewItem:
    """One thing expected of (or cancelled for) a commitment in the period, and what became of it."""

    commitment: Commitment
    outcome: Outcome
    start: datetime  # aware: the meeting's start, or the start of the period it stands for
    end: datetime
    label: str  # a period's or target's name ("Aug–Sep 2026", "2026-Q3 target (2 of 3)"); "" for a meeting
    tz: str  # the zone a meeting's day and time are written in
    occurrence: Occurrence | None = None  # the meeting or entry behind it; None where nothing is logged
    period: Period | None = None  # the frequency period or quarter, for an unscheduled commitment

    @property
    def note(self) -> str:
        return self.occurrence.note if self.occurrence else ""

    @property
    def description(self) -> str:
        """A meeting's day and time ("Tue 11 Aug 2026 18:30", "(moved)" or "(ad hoc)" after), else the
        label: written when first shown (a council's year of review holds 2,500 items; a table prints
        the few hundred missed or not logged), then kept on the item. (Not a cached_property: Python
        3.11's takes a lock on each first use, a third of the cost of writing one.)"""
        held = self.__dict__
        text: str | None = held.get("_description")
        if text is None:
            text = held["_description"] = self._describe()
        return text

    def _describe(self) -> str:
        if self.label:
            return self.label
        meeting: Meeting | None = self.__dict__.get("_meeting")
        # A scheduled meeting, as its schedule makes it: written without making its Occurrence.
        if meeting is not None and meeting.version is not None:
            assert meeting.original is not None
            start = meeting.start
            if start is meeting.original:  # as same_instant first asks: most meetings are not moved
                return _when(start, self.tz)
            return _when(start, self.tz) + ("" if same_instant(start, meeting.original) else " (moved)")
        if meeting is not None and meeting.log.__class__ is LoggedStatus:
            # A log alone (its schedule since changed) read without its texts: never moved, nor ad hoc.
            return _when(meeting.start, self.tz)
        occurrence = self.occurrence
        if occurrence is None:
            return self.label
        return _when(occurrence.start, self.tz, occurrence.all_day) + (
            " (ad hoc)" if occurrence.is_adhoc else " (moved)" if occurrence.is_moved else ""
        )


class _MadeWhenAsked:
    """`ReviewItem.occurrence` of an item the review made from an agenda `Meeting`: the Occurrence is made
    on first use and kept on the item in the meeting's place. A council's year holds 2,500 items; a table
    shows a few hundred. An item given its occurrence (every other way one is made) holds it, which this
    never overrides."""

    def __get__(self, item: ReviewItem | None, owner: type | None = None) -> Occurrence | None:
        if item is None:
            return None  # the field's default, as the class gave it
        held = item.__dict__
        meeting: Meeting | None = held.get("_meeting")
        if meeting is None:  # made just now by another thread, which then let go of the meeting
            occurrence: Occurrence = held["occurrence"]
            return occurrence
        occurrence = meeting.occurrence()
        held["occurrence"] = occurrence  # first, so that no reader finds neither
        held.pop("_meeting", None)  # the Occurrence says all the meeting (and its log) did
        return occurrence


type.__setattr__(ReviewItem, "occurrence", _MadeWhenAsked())
_by_start = attrgetter("start")
_outcome_of = attrgetter("outcome")
_new = object.__new__
_fill = object.__setattr__


def _meeting_item(commitment: Commitment, meeting: Meeting, outcome: Outcome, tz: str) -> ReviewItem:
    """The item of a meeting, as `ReviewItem(...)` with `occurrence=meeting.occurrence()` would make it,
    the occurrence made only when asked for (`_MadeWhenAsked`); its outcome as `_outcomes` counted it."""
    item: ReviewItem = _new(ReviewItem)
    _fill(
        item,
        "__dict__",
        {
            "commitment": commitment,
            "outcome": outcome,
            "start": meeting.start,
            "end": meeting.end,
            "label": "",
            "tz": tz,
            "period": None,
            "_meeting": meeting,
        },
    )
    return item


def _outcomes(meetings: list[Meeting], as_of: datetime) -> list[Outcome]:
    """Each meeting's outcome: what was logged, else unlogged once it has ended and upcoming until then.
    The one rule a meeting is counted by: its row's counts and its item (made when asked) read these."""
    outcome_of, cancelled = _OUTCOME_OF_STATUS, Status.CANCELLED
    # By position (start, end, status): a council's year counts 2,500 meetings, most of them never shown.
    # As `outcome_of`: a status logged ahead counts once the meeting has started, a cancellation at once.
    return [
        outcome_of[meeting[2]]
        if meeting[2] is not None and (meeting[0] <= as_of or meeting[2] is cancelled)
        else Outcome.UNLOGGED
        if meeting[1] <= as_of
        else Outcome.UPCOMING
        for meeting in meetings
    ]


def _logged_ahead(item: ReviewItem) -> bool:
    """Whether `item` is a meeting with a status other than cancelled logged (which counts from its
    start), read without making its occurrence where it has not been made."""
    if item.label:
        return False  # a period or a target, counted by its end
    meeting: Meeting | None = item.__dict__.get("_meeting")
    status = meeting[2] if meeting is not None else item.occurrence.status if item.occurrence else None
    return status is not None and status is not Status.CANCELLED


class CommitmentReview:
    """A commitment's items over the period and their counts.

    A row the review counted from meetings holds each meeting with its outcome and makes the meetings'
    items only when they are asked for: a table of a council's year counts 2,500 meetings and lists the
    few hundred missed. The items are then made from what was counted, so the two cannot disagree.
    """

    def __init__(self, commitment: Commitment, items: tuple[ReviewItem, ...] = ()) -> None:
        self.commitment = commitment
        self._items: tuple[ReviewItem, ...] | None = tuple(items)
        # (meetings, their outcomes from _outcomes, other items) until the items are made; then None.
        self._counted: tuple[list[Meeting], list[Outcome], list[ReviewItem]] | None = None
        self._tz = ""
        self._counts: Counts | None = None

    @classmethod
    def counted(
        cls,
        commitment: Commitment,
        meetings: list[Meeting],
        outcomes: list[Outcome],
        extra: list[ReviewItem],
        tz: str,
    ) -> CommitmentReview:
        """The row of `meetings` with their `outcomes` (from `_outcomes`) and `extra` items (targets)."""
        row: CommitmentReview = _new(cls)
        row.commitment, row._items, row._counted, row._tz = commitment, None, (meetings, outcomes, extra), tz
        row._counts = None
        return row

    @property
    def items(self) -> tuple[ReviewItem, ...]:
        """In the order they happen (a meeting before an item starting with it)."""
        made = self._items
        if made is not None:
            return made
        counted = self._counted
        if counted is None:  # made just now by another thread, which then let go of what it counted
            made = self._items
            assert made is not None
            return made
        meetings, outcomes, extra = counted
        commitment, tz = self.commitment, self._tz
        made_now = [
            _meeting_item(commitment, meeting, outcome, tz)
            for meeting, outcome in zip(meetings, outcomes, strict=True)
        ]
        made = tuple(sorted(made_now + extra, key=_by_start))
        self._items = made  # first, so that no reader finds neither
        self._counted = None  # the items say all the meetings did
        return made

    def items_with(self, outcome: Outcome) -> list[ReviewItem]:
        """The items of one outcome, made (if the row's items are not) for those alone."""
        counted = self._counted
        if counted is None:
            return [item for item in self.items if item.outcome is outcome]
        meetings, outcomes, extra = counted
        found = []
        if outcome in outcomes:  # not in most rows (a scan in C, not a loop over the meetings)
            commitment, tz = self.commitment, self._tz
            found = [
                _meeting_item(commitment, meeting, counted_as, tz)
                for meeting, counted_as in zip(meetings, outcomes, strict=True)
                if counted_as is outcome
            ]
        found += [item for item in extra if item.outcome is outcome]
        return sorted(found, key=_by_start)

    def ends(self) -> list[datetime]:
        """When each item starts and ends (the review's next change is the first still to come: a status
        logged ahead counts from the meeting's start, an unlogged meeting from its end)."""
        counted = self._counted
        if counted is None:
            items = self.items
            return [item.end for item in items] + [item.start for item in items if _logged_ahead(item)]
        meetings, _, extra = counted
        cancelled = Status.CANCELLED
        return (
            [meeting[1] for meeting in meetings]
            + [meeting[0] for meeting in meetings if meeting[2] is not None and meeting[2] is not cancelled]
            + [item.end for item in extra]
        )

    @property
    def counts(self) -> Counts:  # asked for per row by the table, its sorts, the totals and the rating
        found = self._counts
        if found is None:
            found = self._counts = self._count()
        return found

    def _count(self) -> Counts:
        counted = self._counted
        if counted is None:
            return Counts.of(map(_outcome_of, self.items))  # in C, not a generator resumed for each item
        _, outcomes, extra = counted
        return Counts.of(outcomes + list(map(_outcome_of, extra)))

    @property
    def rating(self) -> Rating:
        return self.counts.rating

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CommitmentReview):
            return NotImplemented
        return self.commitment == other.commitment and self.items == other.items

    def __hash__(self) -> int:
        return hash(self.commitment.slug)

    def __repr__(self) -> str:
        return f"CommitmentReview(commitment={self.commitment!r}, items={self.items!r})"


@dataclass(frozen=True)
class Review:
    period: Period
    as_of: datetime
    rows: tuple[CommitmentReview, ...]

    @cached_property
    def totals(self) -> Counts:  # asked for by every table and report, and by the screen's each repaint
        return sum((row.counts for row in self.rows), Counts())

    def items_with(self, outcome: Outcome) -> list[ReviewItem]:
        return sorted(
            (item for row in self.rows for item in row.items_with(outcome)),
            key=lambda item: (item.start, item.commitment.role, item.commitment.title),
        )

    def rows_for(self, role: Role) -> list[CommitmentReview]:
        return [row for row in self.rows if row.commitment.role == role]

    @property
    def next_change(self) -> datetime | None:
        """The first moment at which the same logs, reviewed then, would read differently: the end of
        the first item not yet over. (Time enters a review only as `item.end <= as_of`.)"""
        as_of = self.as_of
        return min((end for row in self.rows for end in row.ends() if end > as_of), default=None)


_ZONES: dict[str, ZoneInfo] = {}  # each zone an item names, looked up once (a table writes hundreds)


def _when(moment: datetime, tz: str, all_day: bool = False) -> str:
    zone = _ZONES.get(tz)
    if zone is None:
        zone = _ZONES[tz] = ZoneInfo(tz)
    # A scheduled meeting's start is on its zone's clock already (astimezone would return it as it is,
    # after parsing its arguments: ~900 instructions an item).
    local = moment if moment.tzinfo is zone else moment.astimezone(zone)
    return day_text(local.date()) if all_day else when_text(local)


def _local_day_of(log: OccurrenceLog, tz: str) -> datetime:
    moment = log.start or log.original_start
    assert moment is not None  # every log has one or the other
    return moment.astimezone(ZoneInfo(tz))


def _periodic_items(
    commitment: Commitment, logs: list[OccurrenceLog], period: Period, as_of: datetime, tz: str
) -> list[ReviewItem]:
    items = []
    for due in frequency_periods_due(commitment.frequency, period):
        if commitment.retired_on is not None and due.first >= commitment.retired_on:
            continue
        entries = sorted(
            (log for log in logs if _local_day_of(log, tz).date() in due),
            key=lambda log: _local_day_of(log, tz),
        )
        if not entries and commitment.created_on is not None and due.last < commitment.created_on:
            continue
        start, end = window_for_days(due.first, due.last, tz)
        past = end <= as_of
        by_status = {log.status: log for log in entries if log.status is not None}
        outcome, deciding = _period_outcome(by_status, past)
        items.append(
            ReviewItem(
                commitment=commitment,
                outcome=outcome,
                start=start,
                end=end,
                label=due.label,
                tz=tz,
                occurrence=occurrence_from_log(commitment, deciding, tz) if deciding else None,
                period=due,
            )
        )
    return items


def _period_outcome(
    by_status: dict[Status, OccurrenceLog], past: bool
) -> tuple[Outcome, OccurrenceLog | None]:
    for status in (Status.ATTENDED, Status.DELEGATED):
        if status in by_status:
            return _OUTCOME_OF_STATUS[status], by_status[status]
    if past:
        for status in (Status.MISSED, Status.APOLOGIES):
            if status in by_status:
                return Outcome.MISSED, by_status[status]
    if Status.CANCELLED in by_status:
        return Outcome.CANCELLED, by_status[Status.CANCELLED]
    return (Outcome.UNLOGGED if past else Outcome.UPCOMING), None


def _target_items(
    commitment: Commitment,
    entries: list[tuple[datetime, Outcome]],
    period: Period,
    as_of: datetime,
    tz: str,
) -> list[ReviewItem]:
    """The shortfall against the user's quarterly target, for each quarter wholly inside the period."""
    if not commitment.targets:
        return []
    items: list[ReviewItem] = []
    for due in frequency_periods_due(Frequency.QUARTERLY, period):
        target = commitment.target_on(due.first)  # as it stood for that quarter, whatever came later
        if due.first < period.first or not target:
            continue
        if commitment.retired_on is not None and due.first >= commitment.retired_on:
            continue
        logged = [outcome for start, outcome in entries if start.astimezone(ZoneInfo(tz)).date() in due]
        if not logged and commitment.created_on is not None and due.last < commitment.created_on:
            continue
        counted = sum(1 for outcome in logged if outcome != Outcome.CANCELLED)
        start, end = window_for_days(due.first, due.last, tz)
        outcome = Outcome.UNLOGGED if end <= as_of else Outcome.UPCOMING
        quarter = Quarter.containing(due.first).label
        items.extend(
            ReviewItem(
                commitment=commitment,
                outcome=outcome,
                start=start,
                end=end,
                label=f"{quarter} target ({number} of {target})",
                tz=tz,
                period=due,
            )
            for number in range(counted + 1, target + 1)
        )
    return items


def review(
    commitments: Iterable[Commitment],
    logs: Iterable[OccurrenceLog],
    period: Period,
    as_of: datetime,
    tz: str,
    occurrences: Iterable[Meeting] | None = None,
    marks: Mapping[str, Mapping[datetime, LoggedStatus]] | None = None,
) -> Review:
    """Review `commitments` over the local days of `period` as they stood at the aware moment `as_of`.

    `logs` must hold every log of these commitments whose original start or start falls in the year
    before the period or in it (an annual period due in the period can start eleven months earlier);
    extra logs are ignored. `occurrences`, if given, is `meetings_in` over a window holding the period
    (the heatmap expands a year once rather than each month); only those starting in the period count.
    `marks`, if given, are the period's logs of scheduled meetings never moved, read without their texts
    (`LoggedStatus`, by commitment and naive UTC start), which `logs` then leaves out: the rows count,
    list and describe their items as ever, but an item of such a meeting has no occurrence (no note).
    """
    chosen = list(commitments)
    all_logs = list(logs)
    logs_by_slug: dict[str, list[OccurrenceLog]] = defaultdict(list)
    for log in all_logs:
        logs_by_slug[log.commitment_slug].append(log)
    window_start, window_end = window_for_days(period.first, period.last, tz)
    meetings: dict[str, list[Meeting]] = defaultdict(list)
    if occurrences is None:  # matched by commitment, each in the window (no order needed to count)
        counted = [c for c in chosen if c.is_scheduled or c.frequency == Frequency.AD_HOC]
        meetings.update(meetings_by_commitment(counted, all_logs, window_start, window_end, tz, marks))
    else:
        for meeting in occurrences:
            if window_start <= meeting.start < window_end:
                meetings[meeting.commitment.slug].append(meeting)
    rows = []
    for commitment in chosen:
        retired_before = commitment.retired_on is not None and commitment.retired_on <= period.first
        if commitment.is_scheduled or commitment.frequency == Frequency.AD_HOC:
            # Counted from the meetings; their items are made only when asked for (CommitmentReview).
            held = meetings[commitment.slug]
            outcomes = _outcomes(held, as_of)
            extra: list[ReviewItem] = []
            if not commitment.is_scheduled:
                entries = [(meeting.start, outcome) for meeting, outcome in zip(held, outcomes, strict=True)]
                extra = _target_items(commitment, entries, period, as_of, tz)
            if not held and not extra and retired_before:
                continue
            rows.append(CommitmentReview.counted(commitment, held, outcomes, extra, tz))
            continue
        items = _periodic_items(commitment, logs_by_slug[commitment.slug], period, as_of, tz)
        if not items and retired_before:
            continue
        rows.append(CommitmentReview(commitment, tuple(sorted(items, key=_by_start))))
    return Review(period=period, as_of=as_of, rows=tuple(rows))


def meetings_in(
    commitments: list[Commitment],
    logs: list[OccurrenceLog],
    window_start: datetime,
    window_end: datetime,
    tz: str,
) -> list[Meeting]:
    """The meetings a review counts in [window_start, window_end): those of scheduled and ad hoc
    commitments (the others are counted by period, from their logs)."""
    counted = [c for c in commitments if c.is_scheduled or c.frequency == Frequency.AD_HOC]
    return agenda_meetings(counted, logs, window_start, window_end, tz)


@dataclass(frozen=True)
class HeatmapRow:
    commitment: Commitment
    cells: tuple[Rating | None, ...]  # one per month; None where nothing was due that month


@dataclass(frozen=True)
class Heatmap:
    """Commitments by month, each cell the rating of that month: the year's shape at a glance."""

    months: tuple[Period, ...]
    rows: tuple[HeatmapRow, ...]
    next_change: datetime | None = field(default=None, compare=False)  # as Review.next_change


def year_heatmap(
    commitments: Iterable[Commitment],
    logs: Iterable[OccurrenceLog],
    year: Period,
    as_of: datetime,
    tz: str,
    occurrences: list[Meeting] | None = None,
) -> Heatmap:
    """Each month of `year` rated as its own review rates it. `occurrences`, if given, is `meetings_in`
    over the year (shared with a review of a period within it, so the year is expanded once)."""
    chosen, all_logs = list(commitments), list(logs)
    months = tuple(year.months())
    # build_agenda keeps an occurrence by where it starts, so the year's, cut by month, is each month's.
    year_meetings = occurrences
    if year_meetings is None:
        year_meetings = meetings_in(chosen, all_logs, *window_for_days(year.first, year.last, tz), tz)
    # Each month's review is reduced to its ratings as soon as it is made: twelve whole reviews (their
    # items and counts) held at once were ~2-3 MB of the TUI's peak on a council's diary.
    monthly_ratings: list[dict[str, Rating]] = []
    changes = []
    for month in months:
        counted = review(chosen, all_logs, month, as_of, tz, year_meetings)
        monthly_ratings.append(
            {row.commitment.slug: row.rating for row in counted.rows if row.counts.expected}
        )
        if counted.next_change is not None:
            changes.append(counted.next_change)
    rows = []
    for commitment in chosen:
        cells = tuple(ratings.get(commitment.slug) for ratings in monthly_ratings)
        if any(cell is not None for cell in cells) or commitment.retired_on is None:
            rows.append(HeatmapRow(commitment, cells))
    return Heatmap(months=months, rows=tuple(rows), next_change=min(changes, default=None))


@dataclass(frozen=True)
class ReviewReport:
    """Everything a review screen or report shows: the period's review and its council year's heatmap."""

    review: Review
    roles: tuple[Role, ...]
    tz: str
    # Made only when something shows it (the screen, Markdown, HTML): twelve monthly reviews that JSON,
    # CSV and the table never need.
    make_heatmap: Callable[[], Heatmap] = field(repr=False, compare=False)
    # The commitments of `roles` as read for it, retired ones too: a command reporting their schedules
    # (the warning about rules that will not expand) need not read 200 of them again.
    commitments: tuple[Commitment, ...] = field(default=(), repr=False, compare=False)

    @cached_property
    def heatmap(self) -> Heatmap:
        heatmap = self.make_heatmap()
        # What it was made from (a year's logs and meetings: ~3 MB on a council's diary) is let go once
        # it is made: the review screen keeps its report for the whole run.
        object.__setattr__(self, "make_heatmap", lambda: heatmap)
        return heatmap

    def still_true_at(self, moment: datetime) -> bool:
        """Whether reviewing the same logs at `moment` gives this report again (the heatmap included)."""
        changes = [c for c in (self.review.next_change, self.heatmap.next_change) if c is not None]
        return moment >= self.review.as_of and all(moment < change for change in changes)

    def seen_at(self, moment: datetime) -> ReviewReport:
        """This report as of `moment`, at which it is still true (see still_true_at)."""
        heatmap = self.heatmap
        return replace(self, review=replace(self.review, as_of=moment), make_heatmap=lambda: heatmap)

    @property
    def title(self) -> str:
        """The heading: "2026-Q3 (2026/27 Q2)" for a quarter, else the period's own label."""
        period = self.review.period
        quarter = Quarter.containing(period.first)
        if quarter.period == period:
            return f"{quarter.label} ({quarter.council_label})"
        return period.label


def logs_window(period: Period) -> Period:
    """The days whose logs a review of `period` needs: a year before it (the longest frequency period
    due in it starts up to eleven months earlier) through its last day."""
    first = period.first.replace(day=1)
    return Period(first.replace(year=first.year - 1), period.last)


def end_of_day(day: date, tz: str) -> datetime:
    """`--as-of DAY` means as things stood at the end of that day: everything on it has happened."""
    return datetime.combine(day + timedelta(days=1), time(0), ZoneInfo(tz))
