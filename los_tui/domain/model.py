"""Plain value objects of the diary: commitments, schedules, logged occurrences and actions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from functools import cached_property
from typing import NamedTuple

from los_tui.domain.moments import same_instant, with_zone
from los_tui.domain.quick_init import quick_init

DEFAULT_TZ = "Europe/London"


class Role(StrEnum):
    LMCS = "lmcs"
    DCS = "dcs"

    @property
    def label(self) -> str:
        return {"lmcs": "Lead Member (LMCS)", "dcs": "Director (DCS)"}[self.value]


class Frequency(StrEnum):
    MONTHLY = "monthly"
    BIMONTHLY = "bimonthly"  # every two months
    QUARTERLY = "quarterly"
    BIANNUAL = "biannual"  # twice a year
    ANNUAL = "annual"
    AD_HOC = "ad_hoc"  # "as agreed", "occasional", "as necessary", "regular" or unstated

    @property
    def label(self) -> str:
        return {
            "monthly": "monthly",
            "bimonthly": "every two months",
            "quarterly": "quarterly",
            "biannual": "twice a year",
            "annual": "annual",
            "ad_hoc": "as agreed",
        }[self.value]

    @property
    def months(self) -> int | None:
        """Length of one period of this frequency in months; None for ad hoc."""
        return {"monthly": 1, "bimonthly": 2, "quarterly": 3, "biannual": 6, "annual": 12}.get(self.value)


class Status(StrEnum):
    ATTENDED = "attended"
    DELEGATED = "delegated"
    APOLOGIES = "apologies"
    MISSED = "missed"
    CANCELLED = "cancelled"


SCHEDULED = "scheduled"  # the status label of an occurrence nothing has been logged against
UNLOGGED = "unlogged"  # ... once it is over: the thing to catch up on


@quick_init  # a council's 200 commitments' schedules are read by every command
@dataclass(frozen=True)
class Schedule:
    """One version of a commitment's schedule, in force from `effective_from` until the next version."""

    rrule: str  # the RRULE value, without the "RRULE:" prefix; UNTIL always in UTC
    start: datetime  # naive wall-clock time of the first occurrence, in `tz`
    duration_minutes: int = 60
    location: str = ""
    tz: str = DEFAULT_TZ
    effective_from: date | None = None  # None: from the start of the series
    uid: str = ""  # iCalendar UID of this series, stored so re-exports keep it
    sequence: int = 0

    @cached_property  # asked for by every meeting of the series a listing or review makes
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes)

    @property
    def first_day(self) -> date:
        return self.effective_from or self.start.date()


@dataclass(frozen=True)
class TargetVersion:
    """An ad hoc commitment's quarterly target, in force from a quarter on until the next version: a
    change never alters what was expected of the quarters before it."""

    count: int | None  # entries a quarter; None: no target from then on
    effective_from: date | None = None  # the first day of a quarter; None: from the start


@quick_init
@dataclass(frozen=True)
class Commitment:
    slug: str
    title: str
    role: Role
    frequency: Frequency
    wording: str = ""  # the protocol's own words
    with_whom: str = ""
    joint_slug: str | None = None  # the other role's line for the same meeting
    retired_on: date | None = None
    targets: tuple[TargetVersion, ...] = ()  # the user's own quarterly aims (ad hoc only), oldest first
    created_on: date | None = None  # the day it entered the diary: nothing unscheduled is owed before
    schedules: tuple[Schedule, ...] = ()  # sorted by first_day
    factors: tuple[int, ...] = ()  # the seven factors of effective safeguarding it gives sight of

    @property
    def is_scheduled(self) -> bool:
        return bool(self.schedules)

    def target_on(self, day: date) -> int | None:
        """The quarterly target in force for the quarter starting on `day`, if any."""
        current = None
        for version in self.targets:
            if version.effective_from is None or version.effective_from <= day:
                current = version.count
        return current

    def schedule_on(self, day: date) -> Schedule | None:
        """The schedule version in force on `day`, if any."""
        current = None
        for version in self.schedules:
            if version.first_day <= day:
                current = version
        return current

    @property
    def current_schedule(self) -> Schedule | None:
        return self.schedules[-1] if self.schedules else None


@quick_init
@dataclass(frozen=True)
class OccurrenceLog:
    """What the user recorded against one occurrence, or an ad hoc entry (no original start)."""

    id: int
    commitment_slug: str
    original_start: datetime | None  # aware; None for an ad hoc entry
    start: datetime | None  # aware; the moved-to start, or an ad hoc entry's start
    status: Status | None = None
    note: str = ""
    questions: str = ""
    all_day: bool = False
    duration_minutes: int | None = None
    difference: str = ""  # what difference the meeting made for children: written for reports
    difference_shared: bool = False  # whether an assistant may see `difference`
    version: int = 1  # raised by every change to the log (optimistic locking)

    @property
    def is_adhoc(self) -> bool:
        return self.original_start is None


class LoggedStatus(NamedTuple):
    """A scheduled meeting's log, never moved, as a count reads it: which meeting it is and what became of
    it, without its texts. A year's review of a council's diary counts 2,500 logs and prints a few hundred
    lines naming none of their texts; a meeting matched to one has no Occurrence (Meeting.occurrence
    refuses it), so nothing can show it without its note."""

    commitment_slug: str
    utc: datetime  # the meeting's scheduled start, naive UTC (as the review matches logs by it)
    status: Status | None

    @property
    def original_start(self) -> datetime:
        """The scheduled start, aware (UTC), as an OccurrenceLog holds it."""
        return with_zone(self.utc, UTC)

    @property
    def start(self) -> None:
        return None  # never moved: a moved meeting's log is read whole

    @property
    def all_day(self) -> bool:
        return False  # asked of an entry without an original start only

    @property
    def duration_minutes(self) -> None:
        return None  # as all_day


@dataclass(frozen=True)
class Action:
    """An action arising from an occurrence: who does what by when."""

    id: int
    log_id: int
    text: str
    owner: str = ""
    due: date | None = None
    done: bool = False
    version: int = 1  # raised by every change to the action (optimistic locking)


@quick_init
@dataclass(frozen=True)
class Occurrence:
    """One meeting in the diary: a scheduled instance (moves applied) or an ad hoc entry."""

    commitment_slug: str
    title: str
    role: Role
    start: datetime  # aware
    end: datetime  # aware
    original_start: datetime | None = None  # aware; None for ad hoc
    status: Status | None = None
    location: str = ""
    all_day: bool = False
    log_id: int | None = None
    note: str = ""
    questions: str = ""
    series_uid: str = ""
    difference: str = ""
    difference_shared: bool = False
    version: int | None = None  # the log's version when read; None: nothing logged yet

    @property
    def is_adhoc(self) -> bool:
        return self.original_start is None

    @property
    def is_moved(self) -> bool:
        return self.original_start is not None and not same_instant(self.start, self.original_start)

    @property
    def status_label(self) -> str:
        return self.status.value if self.status else SCHEDULED

    def is_unlogged_past(self, now: datetime) -> bool:
        return self.status is None and self.end <= now

    def status_word(self, now: datetime) -> str:
        """The status as a listing shows it: what was logged, or scheduled, or unlogged once it is over."""
        return UNLOGGED if self.is_unlogged_past(now) else self.status_label
