"""Periods of time the review counts over: quarters, the council year, and each frequency's own periods.

Quarters are calendar quarters (`2026-Q3` is July to September). A council's year runs from April, so
the same quarter is also the second of the council year 2026/27 (`2026/27 Q2`); screens show both.

A periodic commitment that is not scheduled is due once in each period of its frequency. Those periods
are aligned to the council year: months are months; quarters are the calendar quarters (which are the
council's quarters too); "every two months" is April-May, June-July, August-September, October-November,
December-January and February-March; "twice a year" is April-September and October-March; "annual" is
April to March. A frequency period is reviewed in the review period in which it ends (when it falls due),
so every frequency period is counted in exactly one quarter of the year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from los_tui.domain.model import Frequency
from los_tui.domain.parsing import InputError, check_year

COUNCIL_YEAR_FIRST_MONTH = 4  # April
_QUARTER = re.compile(r" *([0-9]{4})-?Q([1-4]) *", re.IGNORECASE | re.ASCII)


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _month_start(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True, order=True)
class Period:
    """Local days `first` to `last`, both included."""

    first: date
    last: date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise InputError(
                "to", self.last.isoformat(), f"is before the first day, {self.first.isoformat()}"
            )

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first <= day <= self.last

    @property
    def label(self) -> str:
        """ "Aug 2026", "Aug–Sep 2026", "Apr 2026–Mar 2027", or the two dates for any other span."""
        whole_months = self.first.day == 1 and (self.last + timedelta(days=1)).day == 1
        if not whole_months:
            return f"{self.first:%d %b %Y}–{self.last:%d %b %Y}"
        if (self.first.year, self.first.month) == (self.last.year, self.last.month):
            return f"{self.first:%b %Y}"
        if self.first.year == self.last.year:
            return f"{self.first:%b}–{self.last:%b %Y}"
        return f"{self.first:%b %Y}–{self.last:%b %Y}"

    def months(self) -> list[Period]:
        """The calendar months this period touches, each clipped to the period."""
        found = []
        for index in range(_month_index(self.first), _month_index(self.last) + 1):
            start = _month_start(index)
            end = _month_start(index + 1) - timedelta(days=1)
            found.append(Period(max(start, self.first), min(end, self.last)))
        return found


@dataclass(frozen=True, order=True)
class Quarter:
    """A calendar quarter: `Quarter(2026, 3)` is July to September 2026, the council's 2026/27 Q2."""

    year: int
    number: int

    @classmethod
    def parse(cls, text: str, field: str = "quarter") -> Quarter:
        match = _QUARTER.fullmatch(text)
        if match is None:
            raise InputError(field, text, "must be a year and quarter such as 2026-Q3 (July to September)")
        year = int(match.group(1))
        check_year(field, text, year)
        return cls(year, int(match.group(2)))

    @classmethod
    def containing(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def period(self) -> Period:
        first = date(self.year, 3 * self.number - 2, 1)
        return Period(first, _month_start(_month_index(first) + 3) - timedelta(days=1))

    @property
    def label(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def council_label(self) -> str:
        """The quarter of the council year from April: 2026-Q3 is "2026/27 Q2", 2027-Q1 is "2026/27 Q4"."""
        start_year = self.year if self.number > 1 else self.year - 1
        council_number = self.number - 1 if self.number > 1 else 4
        return f"{start_year}/{(start_year + 1) % 100:02d} Q{council_number}"

    def previous(self) -> Quarter:
        return Quarter(self.year, self.number - 1) if self.number > 1 else Quarter(self.year - 1, 4)

    def next(self) -> Quarter:
        return Quarter(self.year, self.number + 1) if self.number < 4 else Quarter(self.year + 1, 1)


def council_year(day: date) -> Period:
    """The council year (April to March) that `day` falls in."""
    start_year = day.year if day.month >= COUNCIL_YEAR_FIRST_MONTH else day.year - 1
    return Period(date(start_year, COUNCIL_YEAR_FIRST_MONTH, 1), date(start_year + 1, 3, 31))


def frequency_period_containing(frequency: Frequency, day: date) -> Period:
    """The period of `frequency` (aligned to the council year) that `day` falls in."""
    length = frequency.months
    if length is None:
        raise ValueError(f"{frequency.value} has no periods")
    anchor = COUNCIL_YEAR_FIRST_MONTH - 1
    start = anchor + ((_month_index(day) - anchor) // length) * length
    return Period(_month_start(start), _month_start(start + length) - timedelta(days=1))


def frequency_periods_due(frequency: Frequency, period: Period) -> list[Period]:
    """The periods of `frequency` that end within `period`, in order: the ones this review answers for."""
    found = []
    current = frequency_period_containing(frequency, period.first)
    while current.first <= period.last:
        if current.last in period:
            found.append(current)
        current = frequency_period_containing(frequency, current.last + timedelta(days=1))
    return found
