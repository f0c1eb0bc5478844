"""Aware times made and compared cheaply and exactly, for the code that handles them by the thousand
(a council's year of review: 2,500 logs read, 4,000 kept starts made, 2,500 meetings matched to logs)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache


def with_zone(wall: datetime, zone: tzinfo) -> datetime:
    """`wall.replace(tzinfo=zone)` (the same fields, fold kept), at a fifth of its cost: `replace` parses
    its keywords and then builds the datetime through the constructor's own parsing again."""
    return datetime.combine(wall, wall.time(), zone)


def instant(moment: datetime) -> datetime:
    """`moment` (aware) as the same instant in UTC: how meetings are matched to logs and windows tested.

    Times of one zone compare field by field; times of two zones (the schedules' local starts, the logs'
    UTC ones) ask both zones their offsets at every comparison, and Python never finds them equal within
    an hour a clock change repeats or skips, whatever instant they name (PEP 495). In UTC every
    comparison is cheap and by instant."""
    return moment if moment.tzinfo is UTC else moment.astimezone(UTC)


def same_instant(one: datetime, other: datetime) -> bool:
    """Whether two aware times name one instant, whatever their zones: `==` compares times of one zone
    by wall clock (01:15 BST and 01:15 GMT on the day the clocks go back are "equal") and never finds
    times of two zones equal within the hour a clock change repeats or skips (PEP 495)."""
    # A meeting neither moved nor logged elsewhere has its scheduled start as its start: the one object.
    return one is other or instant(one) == instant(other)


def end_after(start: datetime, length: timedelta, zone: tzinfo) -> datetime:
    """When a meeting of `length` from `start` ends: `length` added on `zone`'s wall clock, as every
    calendar does with the meetings of a series (see `_event` in exports/ical.py), so the agenda and
    the user's Outlook agree: 60 minutes from 01:15 BST on the day the clocks go back end at 02:15 GMT.
    A start kept in UTC (a moved meeting's) is put on the wall clock first; adding to it as it is
    would count elapsed time (01:15 GMT)."""
    local = start.astimezone(zone)
    end = local + length  # Python's sum keeps no fold: 01:05 GMT + 30 minutes would end at 01:35 BST
    return end.replace(fold=1) if local.fold else end


def wall_length(start: datetime, end: datetime, zone: tzinfo) -> timedelta:
    """The length from `start` to `end` on `zone`'s wall clock, the length `end_after` adds: subtracting
    aware times measures it only where both are of that zone, and elapsed time where they are not."""
    return end.astimezone(zone).replace(tzinfo=None) - start.astimezone(zone).replace(tzinfo=None)


def on_the_clock(moment: datetime, zone: tzinfo) -> datetime:
    """`moment` as `zone`'s clocks show it. `astimezone` to the zone a time already has leaves it as it
    is, and a wall time the clocks skip (01:30 on 29 March 2026, from a schedule an older los stored,
    or an hour added to 00:30) would be shown as it never reads in London: it is 02:30 BST."""
    if moment.tzinfo is zone and not moment.fold and not clocks_change_on(zone, moment.date()):
        return moment  # on a day the clocks do not change, the time it reads is the time it is
    return instant(moment).astimezone(zone)


def is_repeated(moment: datetime) -> bool:
    """Whether `moment`'s wall time happens twice in its zone (01:00-01:59 on the day London's clocks
    go back), so the wall time alone does not say which of the two it is. (A time the clocks skip
    answers yes too: it names no time the clocks show.)"""
    if not clocks_change_on(moment.tzinfo, moment.date()):  # a listing asks of every time it shows
        return False
    return moment.replace(fold=1 - moment.fold).utcoffset() != moment.utcoffset()


@lru_cache(maxsize=4096)
def clocks_change_on(zone: tzinfo | None, day: date) -> bool:
    """Whether `zone`'s offset on `day` is not one and the same all day (the clocks change that day)."""
    midnight = datetime.combine(day, _MIDNIGHT, zone)
    offset = midnight.utcoffset()
    return (
        datetime.combine(day + _ONE_DAY, _MIDNIGHT, zone).utcoffset() != offset
        or datetime.combine(day, _MIDNIGHT_FOLD, zone).utcoffset() != offset
    )


_MIDNIGHT = time(0)
_MIDNIGHT_FOLD = time(0, fold=1)
_ONE_DAY = timedelta(days=1)
