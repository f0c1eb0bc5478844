"""Recurrence rules over dateutil: checking, normalising, describing and expanding within a window."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from itertools import repeat
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY, rrule, rrulestr

from los_tui.domain.model import Commitment, Schedule
from los_tui.domain.moments import instant, on_the_clock, same_instant
from los_tui.domain.parsing import LAST_YEAR, InputError, check_year

UTC = ZoneInfo("UTC")

# A window never yields more than this many occurrences of one series: a guard against rules that
# never end being expanded over a huge window, not a limit a real diary meets.
MAX_OCCURRENCES_PER_WINDOW = 10_000

_FREQS = {"DAILY": DAILY, "WEEKLY": WEEKLY, "MONTHLY": MONTHLY, "YEARLY": YEARLY}
_DAY_NAMES = {
    "MO": "Monday",
    "TU": "Tuesday",
    "WE": "Wednesday",
    "TH": "Thursday",
    "FR": "Friday",
    "SA": "Saturday",
    "SU": "Sunday",
}
_ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}
_MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def rule_parts(text: str) -> dict[str, str]:
    """Split an RRULE value into upper-cased NAME -> value parts (no validation beyond shape)."""
    if any(ord(char) < 32 or ord(char) == 127 for char in text):
        # A line break would also split the one-line message that quotes the rule.
        raise InputError("rrule", text, "contains a line break or another control character")
    body = text.strip()
    if body.upper().startswith("RRULE:"):
        body = body[6:]
    parts: dict[str, str] = {}
    for piece in body.split(";"):
        if not piece:
            continue
        name, sep, value = piece.partition("=")
        if not sep or not name or not value:
            raise InputError("rrule", text, f"part {piece!r} is not NAME=VALUE")
        name = name.strip().upper()
        if name in parts:
            raise InputError("rrule", text, f"{name} is given twice")
        parts[name] = value.strip().upper()
    return parts


def join_parts(parts: dict[str, str]) -> str:
    order = ["FREQ", "INTERVAL", "BYMONTH", "BYMONTHDAY", "BYDAY", "BYSETPOS", "WKST", "UNTIL", "COUNT"]
    names = sorted(parts, key=lambda n: (order.index(n) if n in order else len(order), n))
    return ";".join(f"{name}={parts[name]}" for name in names)


# INTERVAL above this is a typing slip (every 100 months is eight years), and the form offers the same.
MAX_INTERVAL = 99
# A series counted out beyond this many meetings is better written with UNTIL; the bound also keeps every
# walk through a COUNT rule short.
MAX_COUNT = 1000
_WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_NUMBER = re.compile(r"[+-]?[0-9]{1,9}")  # ASCII digits only: str.isdigit also accepts "²"
_BYDAY_ITEM = re.compile(r"([+-]?[0-9]{1,2})?([A-Z]{2})")
_KNOWN_PARTS = {
    "FREQ",
    "INTERVAL",
    "COUNT",
    "UNTIL",
    "WKST",
    "BYMONTH",
    "BYMONTHDAY",
    "BYDAY",
    "BYSETPOS",
    "BYWEEKNO",
    "BYYEARDAY",
    "BYHOUR",
    "BYMINUTE",
    "BYSECOND",
}
# (lowest, highest) of each numeric list part; 0 is never allowed.
_RANGES = {
    "BYMONTH": (1, 12),
    "BYMONTHDAY": (-31, 31),
    "BYSETPOS": (-366, 366),
    "BYWEEKNO": (-53, 53),
    "BYYEARDAY": (-366, 366),
}
_TIME_PARTS = {"BYHOUR": (0, 23, "hour"), "BYMINUTE": (0, 59, "minute"), "BYSECOND": (0, 59, "second")}


def normalize_rrule(text: str, start: datetime, tz: str) -> str:
    """Check a new schedule's rule and start time in full, and return the rule in our stored form.

    On top of the rule's own check (`checked_rule`), a time in the hour the clocks change is refused.
    """
    normalized = checked_rule(text, start, tz)
    problem = clock_change_problem(start, tz)
    if problem is not None:
        raise InputError("start", start.isoformat(timespec="minutes"), problem)
    return normalized


def checked_rule(text: str, start: datetime, tz: str) -> str:
    """Check a rule in full and return it in our stored form (UNTIL converted to UTC).

    `start` is the naive wall-clock first start in `tz`. What is accepted: FREQ DAILY to YEARLY, INTERVAL
    up to 99, COUNT up to 1,000 or UNTIL, and BY parts within RFC 5545's ranges that pick days. A
    schedule is one meeting a day at most, at its start's time: BYHOUR, BYMINUTE and BYSECOND may only
    repeat that time (and are then left out). Raises InputError naming the rule.
    """
    parts = rule_parts(text)
    check_year("start", start.isoformat(timespec="minutes"), start.date())
    freq = parts.get("FREQ")
    if freq is None:
        raise InputError("rrule", text, "needs FREQ (DAILY, WEEKLY, MONTHLY or YEARLY)")
    if freq not in _FREQS:
        raise InputError("rrule", text, f"FREQ={freq} is not supported: use DAILY, WEEKLY, MONTHLY or YEARLY")
    for name in parts:
        if name not in _KNOWN_PARTS:
            raise InputError("rrule", text, f"{name} is not a rule part los takes")
    if "COUNT" in parts and "UNTIL" in parts:
        raise InputError("rrule", text, "COUNT and UNTIL cannot both be given")
    if "INTERVAL" in parts:
        _whole_number(text, "INTERVAL", parts["INTERVAL"], 1, MAX_INTERVAL)
    if "COUNT" in parts:
        _whole_number(text, "COUNT", parts["COUNT"], 1, MAX_COUNT)
    for name, (lowest, highest) in _RANGES.items():
        if name in parts:
            for item in parts[name].split(","):
                _whole_number(text, name, item, lowest, highest, zero_allowed=False)
    if "WKST" in parts and parts["WKST"] not in _WEEKDAY_CODES:
        raise InputError("rrule", text, f"WKST={parts['WKST']} is not a weekday (MO to SU)")
    _check_days(text, parts, freq)
    _drop_start_time(text, parts, start)
    _check_part_combinations(text, parts, freq)
    if "UNTIL" in parts:
        parts["UNTIL"] = _until_in_utc(text, parts["UNTIL"], tz)
    normalized = join_parts(parts)
    try:
        rule = rrulestr(f"RRULE:{normalized}", dtstart=start.replace(tzinfo=ZoneInfo(tz)))
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as exc:
        raise InputError("rrule", text, f"not a rule dateutil can read ({exc})") from None
    if not isinstance(rule, rrule):
        raise InputError("rrule", text, "must be a single rule")
    if _days_never_match(parts, start, tz) or next(iter(rule), None) is None:
        raise InputError("rrule", text, "produces no dates at all from that start")
    return normalized


def _whole_number(
    text: str, name: str, value: str, lowest: int, highest: int, zero_allowed: bool = True
) -> int:
    if (
        not _NUMBER.fullmatch(value)
        or not lowest <= int(value) <= highest
        or (int(value) == 0 and not zero_allowed)
    ):
        span = f"{lowest} to {highest}" + ("" if zero_allowed or lowest > 0 else ", not 0")
        raise InputError("rrule", text, f"{name}={value}: must be a whole number from {span}")
    return int(value)


def _check_days(text: str, parts: dict[str, str], freq: str) -> None:
    """Each BYDAY item is a weekday with, on a monthly or yearly rule, a week number that can happen."""
    if "BYDAY" not in parts:
        return
    # Within a month a weekday comes at most five times; within a year, 53.
    most = 5 if freq == "MONTHLY" or (freq == "YEARLY" and "BYMONTH" in parts) else 53
    for item in parts["BYDAY"].split(","):
        found = _BYDAY_ITEM.fullmatch(item)
        if found is None or found.group(2) not in _WEEKDAY_CODES:
            raise InputError("rrule", text, f"BYDAY={item}: not a weekday (MO to SU, e.g. 2TU or -1FR)")
        if found.group(1) is not None:
            number = int(found.group(1))
            if number == 0 or abs(number) > most:
                scope = "a month" if most == 5 else "a year"
                raise InputError(
                    "rrule", text, f"BYDAY={item}: a weekday comes at most {most} times in {scope}"
                )


def _drop_start_time(text: str, parts: dict[str, str], start: datetime) -> None:
    """A meeting's time is its start's: BYHOUR, BYMINUTE and BYSECOND may only say the same again.

    Several values would make several meetings a day (the sub-daily rules los refuses), and one other
    value would move every meeting away from the time the diary shows.
    """
    for name, (lowest, highest, unit) in _TIME_PARTS.items():
        if name not in parts:
            continue
        values = parts.pop(name).split(",")
        if len(values) > 1:
            raise InputError(
                "rrule",
                text,
                f"{name}: one meeting a day at the start's time; several {unit}s are not taken",
            )
        value = _whole_number(text, name, values[0], lowest, highest)
        if value != getattr(start, unit):
            raise InputError(
                "rrule",
                text,
                f"{name}={value} disagrees with the start's time {start:%H:%M:%S}; leave it out",
            )


def _check_part_combinations(text: str, parts: dict[str, str], freq: str) -> None:
    """Refuse the combinations RFC 5545 (3.3.10) forbids, and BYSETPOS where it has nothing to pick from.

    dateutil accepts them, but they can never match, and finding that out walks day by day to the
    year 9999: seconds of work for every such rule a user types or a calendar file brings.
    """
    ordinal_days = [d for d in parts.get("BYDAY", "").split(",") if d[:-2] not in ("", "+")]
    if ordinal_days and freq not in ("MONTHLY", "YEARLY"):
        raise InputError("rrule", text, f"BYDAY={ordinal_days[0]}: numbered weekdays need MONTHLY or YEARLY")
    if "BYWEEKNO" in parts and freq != "YEARLY":
        raise InputError("rrule", text, "BYWEEKNO needs FREQ=YEARLY")
    if "BYYEARDAY" in parts and freq != "YEARLY":
        raise InputError("rrule", text, "BYYEARDAY needs FREQ=YEARLY")
    if "BYMONTHDAY" in parts and freq == "WEEKLY":
        raise InputError("rrule", text, "BYMONTHDAY cannot be used with FREQ=WEEKLY")
    if ordinal_days and "BYWEEKNO" in parts:
        raise InputError(
            "rrule", text, f"BYDAY={ordinal_days[0]}: a numbered weekday cannot go with BYWEEKNO"
        )
    if ordinal_days and "BYYEARDAY" in parts:
        # "The first Monday, on the year's first day": met only in years that start on a Monday.
        raise InputError(
            "rrule", text, f"BYDAY={ordinal_days[0]}: a numbered weekday cannot go with BYYEARDAY"
        )
    if "BYSETPOS" in parts:
        if freq not in ("MONTHLY", "YEARLY"):
            # A day or a week of one-a-day meetings has nothing to pick from that BYDAY alone cannot say.
            raise InputError("rrule", text, "BYSETPOS is taken only with FREQ=MONTHLY or YEARLY")
        if not {"BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO"} & parts.keys():
            raise InputError("rrule", text, "BYSETPOS needs BYDAY or BYMONTHDAY to pick from")


def _days_never_match(parts: dict[str, str], start: datetime, tz: str) -> bool:
    """True when a daily, weekly or monthly rule's month and day filters can never match (30 February).

    dateutil finds that out by walking day by day to the year 9999, seconds of work on every such
    rule; a yearly rule with the same filters answers in a fraction of that, and if it finds no day
    the shorter-stepped rule cannot either.
    """
    if parts["FREQ"] == "YEARLY" or not {"BYMONTH", "BYMONTHDAY"} & parts.keys():
        return False
    probe = {"FREQ": "YEARLY"}
    for name in ("BYMONTH", "BYMONTHDAY"):
        if name in parts:
            probe[name] = parts[name]
    try:
        yearly = rrulestr(f"RRULE:{join_parts(probe)}", dtstart=start.replace(tzinfo=ZoneInfo(tz)))
    except (ValueError, TypeError, KeyError, IndexError):
        return False  # the full rule's own parse reports what is wrong
    return next(iter(yearly), None) is None


# How many years from a schedule's start are searched for clock changes: zones' rules repeat, so a
# time clear of every change in this span is clear of the later ones too.
_CLOCK_CHANGE_YEARS = 30


def clock_change_problem(start: datetime, tz: str) -> str | None:
    """Why a schedule may not meet at `start`'s time of day in `tz`, or None.

    On the days the clocks change, some wall times do not exist (spring) or happen twice (autumn); a
    meeting there has no one honest start and length. The rule los follows: such a time is refused
    for every schedule, whatever days its rule picks, rather than moved by a guess.
    """
    at = start.time()
    for year in range(start.year, min(start.year + _CLOCK_CHANGE_YEARS, LAST_YEAR) + 1):
        for first, last, skipped in _clock_changes(tz, year):
            if last <= start:
                continue  # before the schedule begins
            for day in {first.date(), last.date()}:
                if first <= datetime.combine(day, at) < last:
                    what = (
                        "does not exist when the clocks go forward"
                        if skipped
                        else "happens twice when the clocks go back"
                    )
                    return (
                        f"{at:%H:%M} {what} in {tz} (on {day:%d %b %Y}); a schedule's time must be one real "
                        f"moment every day: choose a time outside {first:%H:%M}-{last:%H:%M}"
                    )
    return None


@lru_cache(maxsize=1024)
def _clock_changes(tz: str, year: int) -> tuple[tuple[datetime, datetime, bool], ...]:
    """(first, last, skipped) naive wall times of each clock change in `year`: [first, last) is the
    hour skipped in spring (skipped) or the hour repeated in autumn."""
    zone = ZoneInfo(tz)
    found = []
    moment = datetime(year, 1, 1, tzinfo=UTC)
    offset = moment.astimezone(zone).utcoffset()
    while moment.year == year:
        following = moment + timedelta(days=1)
        next_offset = following.astimezone(zone).utcoffset()
        if next_offset != offset and offset is not None and next_offset is not None:
            change = moment
            while change.astimezone(zone).utcoffset() == offset:  # the change, to the quarter hour
                change += timedelta(minutes=15)
            old_wall = (change + offset).replace(tzinfo=None)
            new_wall = (change + next_offset).replace(tzinfo=None)
            found.append((min(old_wall, new_wall), max(old_wall, new_wall), next_offset > offset))
        moment, offset = following, next_offset
    return tuple(found)


def _until_in_utc(text: str, value: str, tz: str) -> str:
    try:
        if value.endswith("Z"):
            moment = datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        elif "T" in value:
            moment = datetime.strptime(value, "%Y%m%dT%H%M%S").replace(tzinfo=ZoneInfo(tz))
        else:
            # A bare date means "up to the end of that day" where the user lives.
            day = datetime.strptime(value, "%Y%m%d").date()
            moment = datetime.combine(day, time(23, 59, 59), ZoneInfo(tz))
    except ValueError:
        raise InputError("rrule", text, f"UNTIL={value} is not a date (YYYYMMDD) or date-time") from None
    check_year("rrule", text, moment.date())
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _rule(schedule: Schedule) -> rrule:
    zone = ZoneInfo(schedule.tz)
    result = rrulestr(f"RRULE:{schedule.rrule}", dtstart=schedule.start.replace(tzinfo=zone))
    assert isinstance(result, rrule)
    return result


def _fast_forward(schedule: Schedule, parts: dict[str, str], window_start: datetime) -> datetime:
    """A later DTSTART that yields the same occurrences from `window_start` on.

    dateutil walks from DTSTART, so without this a ten-year-old series costs ten years of steps on
    every expansion. Shifting by whole intervals keeps the series' phase; a rule with COUNT, or one whose
    day of month comes from DTSTART and could be clamped, is left alone.
    """
    start = schedule.start
    freq = parts["FREQ"]
    interval = int(parts.get("INTERVAL", "1"))
    local_window = window_start.astimezone(ZoneInfo(schedule.tz)).replace(tzinfo=None) - timedelta(days=1)
    if "COUNT" in parts or local_window <= start:
        return start
    if freq in ("DAILY", "WEEKLY"):
        step = timedelta(days=interval * (7 if freq == "WEEKLY" else 1))
        steps = (local_window - start) // step - 1
        return start + step * max(steps, 0)
    implicit_day = not ({"BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO"} & parts.keys())
    if implicit_day and start.day > 28:
        return start
    months = (local_window.year - start.year) * 12 + local_window.month - start.month
    unit = interval * (12 if freq == "YEARLY" else 1)
    steps = months // unit - 1
    if steps <= 0:
        return start
    shifted: datetime = start + relativedelta(months=steps * unit)
    return shifted


def expand(schedule: Schedule, window_start: datetime, window_end: datetime) -> list[datetime]:
    """Aware starts of `schedule` in [window_start, window_end), within the version's own days."""
    return list(_expanded(schedule, window_start, window_end))


# The same windows are expanded again and again (a month read again after every change, the review's
# year after each log), and a schedule's starts depend on nothing else: remember the latest ones.
@lru_cache(maxsize=2048)
def _expanded(schedule: Schedule, window_start: datetime, window_end: datetime) -> tuple[datetime, ...]:
    zone = ZoneInfo(schedule.tz)
    begin = datetime.combine(schedule.first_day, _MIDNIGHT, zone)
    if begin < window_start:
        begin = window_start
    if begin >= window_end:
        return ()
    # A checked rule meets at most once a day, so the window's days bound its meetings: refuse before
    # walking a window that could hold more than a listing shows.
    days = (window_end - begin).days
    if (
        days > MAX_OCCURRENCES_PER_WINDOW
        and meetings_a_year(rule_parts(schedule.rrule)) * days / 365.25 > MAX_OCCURRENCES_PER_WINDOW
    ):
        raise _too_many(begin, window_end, schedule.tz)
    window = _on_the_wall(begin, window_end, zone)
    if window.last_year - window.first_year > _MOST_YEARS_IN_BLOCKS or window.last_year >= LAST_YEAR:
        return _walk(schedule, begin, window_end)
    key = _series_key(schedule)
    found: list[datetime] = []
    for year in range(window.first_year, window.last_year + 1):
        found += _year_starts(schedule, key, year, window)
    starts = tuple([moment for moment in found if begin <= moment < window_end])
    if len(starts) > MAX_OCCURRENCES_PER_WINDOW:
        raise _too_many(begin, window_end, schedule.tz)
    return starts


def _walk(schedule: Schedule, begin: datetime, end: datetime) -> tuple[datetime, ...]:
    """The starts in [begin, end) by walking the rule with dateutil, from just before `begin`."""
    zone = ZoneInfo(schedule.tz)
    shifted = _fast_forward(schedule, rule_parts(schedule.rrule), begin)
    rule = (
        _rule(schedule)
        if shifted == schedule.start
        else rrulestr(f"RRULE:{schedule.rrule}", dtstart=shifted.replace(tzinfo=zone))
    )
    starts: list[datetime] = []
    for moment in _iter_after(rule, begin):
        if moment >= end:
            break
        starts.append(moment)
        if len(starts) > MAX_OCCURRENCES_PER_WINDOW:
            raise _too_many(begin, end, schedule.tz)
    return tuple(starts)


# Windows are cut from a series' starts a calendar year (of its own zone) at a time, and the years are
# kept, by everything that decides them, so that the program can keep them between runs (see
# `known_expansions`): a command then walks with dateutil only the series that changed since the last.
_MOST_YEARS_IN_BLOCKS = 40  # a longer window (a listing over centuries) is walked without blocks
# The rule, the first start (naive), the zone and the first day: kept as their texts (`known_expansions`),
# read back into times once a run (`recall_expansions`), rather than a series' times written as text
# each time it is expanded (a council's 200 series, a year or two each, on every command).
SeriesKey = tuple[str, datetime, str, date]
_blocks: dict[tuple[SeriesKey, int], tuple[datetime, ...]] = {}
# Kept from another run as one text a year (wall-clock starts, space-separated: one object, not one a
# start, so that years never used cost little memory), made into datetimes on first use.
_recalled: dict[tuple[SeriesKey, int], str] = {}


class KeptYear:
    """A calendar year of every series' starts kept by an earlier run, not read yet: how many series'
    years it holds, how to read it (giving what `known_expansions` gave for that year) and the year as
    it was kept, handed back as it is (never looked into here) if this run never asks for it. (A plain
    class: a NamedTuple's class costs every command ~0.7M instructions to make as the module loads.)"""

    __slots__ = ("as_kept", "blocks", "read")

    def __init__(self, blocks: int, read: Callable[[], object], as_kept: object) -> None:
        self.blocks, self.read, self.as_kept = blocks, read, as_kept


# Kept years read only when a window first asks for one (a council's twenty years, a command using two).
_unread: dict[int, KeptYear] = {}
_problems: dict[tuple[str, datetime, str], str | None] = {}  # schedule_problem, kept from another run
_learned = [False]  # whether this run walked or checked anything it was not given
_MOST_BLOCKS_KEPT = (
    4_000  # a council's 200 series over twenty years; beyond it, what this run did not use goes
)


def _series_key(schedule: Schedule) -> SeriesKey:
    return (schedule.rrule, schedule.start, schedule.tz, schedule.first_day)


def _year_block(schedule: Schedule, year: int) -> tuple[datetime, ...]:
    key = (_series_key(schedule), year)
    found = _blocks.get(key)
    if found is None:
        zone = ZoneInfo(schedule.tz)
        found = _from_texts(_recalled.pop(key, None), zone)
        if found is None:
            begin = max(
                datetime(year, 1, 1, tzinfo=zone), datetime.combine(schedule.first_day, time(0), zone)
            )
            end = datetime(year + 1, 1, 1, tzinfo=zone)
            found = _walk(schedule, begin, end) if begin < end else ()
            _learned[0] = True
        _blocks[key] = found
    return found


_PART_OF_A_YEAR = timedelta(days=100)  # a longer window makes (and keeps) the whole year at once
_MIDNIGHT = time(0)


class _Wall(NamedTuple):
    """A window on a zone's wall clock (naive times), and as kept texts a day either side of it; the
    calendar years it touches, and those of which it holds only a part (see `_year_starts`)."""

    begin: datetime
    end: datetime
    low: str
    high: str
    first_year: int
    last_year: int
    partly: frozenset[int]


@lru_cache(maxsize=256)
def _on_the_wall(begin: datetime, end: datetime, zone: ZoneInfo) -> _Wall:
    """[begin, end) as `zone`'s wall clock reads it: the same for every series of a listing (a council's
    200), so worked out once, not once a series and year."""
    begin_wall = begin.astimezone(zone).replace(tzinfo=None)
    end_wall = end.astimezone(zone).replace(tzinfo=None)
    day = timedelta(days=1)  # a day either side covers any offset
    first_year, last_year = begin_wall.year, (end_wall - timedelta(microseconds=1)).year
    partly = frozenset(
        year
        for year in range(first_year, min(last_year, first_year + _MOST_YEARS_IN_BLOCKS) + 1)
        # On the wall clock: which way a window's part is read, never what it holds (both are exact).
        if min(end_wall, datetime(year + 1, 1, 1)) - max(begin_wall, datetime(year, 1, 1)) < _PART_OF_A_YEAR
    )
    return _Wall(
        begin_wall,
        end_wall,
        (begin_wall - day).isoformat(),
        (end_wall + day).isoformat(),
        first_year,
        last_year,
        partly,
    )


def _year_starts(schedule: Schedule, series: SeriesKey, year: int, window: _Wall) -> tuple[datetime, ...]:
    """The starts of `schedule`'s `year` that may fall in the window, a superset of them: where the
    window holds a short part of the year, from a year kept by an earlier run, only those within a day
    of the window are made into datetimes (a weekly series' year is 52 of them; a 90-day agenda of 200
    series wants a tenth, a review from December the last twelfth of the year before), else the whole
    year."""
    key = (series, year)
    found = _blocks.get(key)
    if found is not None:
        return found
    if year in _unread:  # the first window of this run to ask for the year (of any series)
        _read_year(year)
    if year in window.partly and (texts := _recalled.get(key)) is not None:
        # Texts compare as the wall-clock times they write: `known_expansions` wrote them, and the
        # store takes back only a kept file whose checksum matches (db.expansions).
        low, high = window.low, window.high
        part = _from_texts([text for text in texts.split() if low <= text <= high], ZoneInfo(series[2]))
        if part is not None:
            return part
    return _year_block(schedule, year)


def _from_texts(texts: str | list[str] | None, zone: ZoneInfo) -> tuple[datetime, ...] | None:
    """Starts kept as wall-clock texts (space-separated, or already apart), or None when there are none
    or one is not a date and time."""
    if texts is None:
        return None
    parse, combine = datetime.fromisoformat, datetime.combine
    try:
        walls = [parse(text) for text in (texts.split() if isinstance(texts, str) else texts)]
    except ValueError:
        return None
    return tuple([combine(wall, wall.time(), zone) for wall in walls])  # moments.with_zone, inline


def known_expansions() -> dict[str, list[Any]]:
    """What this run expanded and checked (and what it was given and did not need), as plain data to
    keep for the next run, a calendar year at a time: `recall_expansions` takes it back. "years" holds,
    for each year read or made, each series' starts in it; "unread", the years given to take back when
    asked for that this run never asked for, as they were kept (`KeptYear.as_kept`)."""
    made = {year for _, year in _blocks}
    for year in [year for year in _unread if year in made]:
        _read_year(year)  # a year is kept whole, on one line: never its new series apart from its old
    years: dict[int, dict[SeriesKey, str]] = {}
    for (key, year), starts in _blocks.items():
        if all(moment.fold == 0 for moment in starts):  # a wall time and its zone say which moment
            years.setdefault(year, {})[key] = " ".join(m.replace(tzinfo=None).isoformat() for m in starts)
    unread: list[object] = []
    if len(_blocks) + len(_recalled) + sum(kept.blocks for kept in _unread.values()) <= _MOST_BLOCKS_KEPT:
        for (key, year), texts in _recalled.items():
            years.setdefault(year, {})[key] = texts
        unread = [kept.as_kept for kept in _unread.values()]
    kept_years: list[list[object]] = [
        [
            year,
            [
                [rule, start.isoformat(), tz, first_day.isoformat(), texts]
                for (rule, start, tz, first_day), texts in series.items()
            ],
        ]
        for year, series in sorted(years.items())
    ]
    problems: list[list[object]] = [
        [rule, start.isoformat(), tz, problem] for (rule, start, tz), problem in _problems.items()
    ]
    return {"years": kept_years, "problems": problems, "unread": unread}


def _start_from_text(text: str) -> datetime | None:
    """A kept series' first start (a naive wall-clock time), or None for text that is not one."""
    try:
        start = datetime.fromisoformat(text)
    except ValueError:
        return None
    return start if start.tzinfo is None else None


def recall_expansions(known: object, later: Mapping[int, KeptYear] | None = None) -> None:
    """Take back what `known_expansions` gave in an earlier run; anything not of its shape is ignored.
    The years in `later` are taken back only when a window first asks for one of them.

    A year's starts are cut by their text as `known_expansions` wrote them, so only what it gave may be
    handed back: the store's kept file carries a checksum, and a file that fails it is never recalled."""
    if not isinstance(known, dict):
        return
    starts: dict[str, datetime | None] = {}  # a series' first start, read once for it and its check
    for block in _list(known.get("years")):
        if type(block) is list and len(block) == 2 and type(block[0]) is int:
            _recall_year(block[0], block[1], starts)
    for year, kept in (later or {}).items():
        if year in _unread:  # given twice (two diaries in one run): the first read before it is replaced
            _read_year(year)
        _unread[year] = kept
    for entry in _list(known.get("problems")):
        try:
            rule, start_text, tz, problem = entry
            start = starts[start_text] if start_text in starts else _start_from_text(start_text)
        except (TypeError, ValueError):
            continue
        if (
            start is not None
            and type(rule) is str
            and type(tz) is str
            and (problem is None or type(problem) is str)
        ):
            _problems.setdefault((rule, start, tz), problem)


def _list(kept: object) -> list[Any]:
    return kept if type(kept) is list else []


def _read_year(year: int) -> None:
    """Take back a year kept by an earlier run, as a window first asks for it (once: screens expand in
    worker threads, and one that finds the year being read by another walks what it does not find yet,
    the same starts, only slower)."""
    kept = _unread.pop(year, None)
    if kept is not None:
        _recall_year(year, kept.read(), {})


def _recall_year(year: int, series: object, starts: dict[str, datetime | None]) -> None:
    """Take back each series' starts in `year` as `known_expansions` gave them; others are ignored."""
    for entry in _list(series):
        try:
            rule, start_text, tz, first_text, texts = entry
            start = starts[start_text] if start_text in starts else _start_from_text(start_text)
            starts[start_text] = start
            first_day = date.fromisoformat(first_text)
        except (TypeError, ValueError):  # not five parts, or not texts where texts are kept
            continue
        if start is None or type(rule) is not str or type(tz) is not str or type(texts) is not str:
            continue
        key = ((rule, start, tz, first_day), year)
        if not (_blocks and key in _blocks):  # (a year is read before any of its starts are made)
            _recalled[key] = texts


def expansions_learned() -> bool:
    """Whether this run walked or checked a series it was not given (so there is something to keep)."""
    return _learned[0]


def forget_expansions() -> None:
    """Drop every kept expansion and check, as a new run starts with none."""
    _blocks.clear()
    _recalled.clear()
    _unread.clear()
    _problems.clear()
    _learned[0] = False
    _expanded.cache_clear()
    _checked_problem.cache_clear()


def _too_many(begin: datetime, end: datetime, tz: str) -> TooManyMeetings:
    zone = ZoneInfo(tz)
    span = f"{begin.astimezone(zone):%Y-%m-%d} to {end.astimezone(zone) - timedelta(days=1):%Y-%m-%d}"
    return TooManyMeetings("dates", span, _too_many_reason("one series"))


def _too_many_reason(whose: str) -> str:
    return f"holds more than {MAX_OCCURRENCES_PER_WINDOW:,} meetings of {whose}; ask for a shorter range"


_PERIODS_A_YEAR = {
    "SECONDLY": 365.25 * 86400,
    "MINUTELY": 365.25 * 1440,
    "HOURLY": 365.25 * 24,
    "DAILY": 365.25,
    "WEEKLY": 365.25 / 7,
    "MONTHLY": 12.0,
    "YEARLY": 1.0,
}


def meetings_a_year(parts: dict[str, str]) -> float:
    """A bound on a rule's instances in an average year, counting every BY part, for the long windows
    it is used on: no walk starts on a window it says is too big.

    Each day part narrows the days its period offers (the bound is the smallest of them, one a day at
    most); BYHOUR, BYMINUTE and BYSECOND multiply them. Any rule's parts will do, not only a checked
    one: a calendar file's rule can be measured the same way before it is expanded.
    """
    freq = parts.get("FREQ", "DAILY")
    interval_text = parts.get("INTERVAL", "1")
    interval = max(int(interval_text), 1) if _NUMBER.fullmatch(interval_text) else 1
    periods = _PERIODS_A_YEAR.get(freq, _PERIODS_A_YEAR["SECONDLY"]) / interval

    def count(name: str) -> int:
        return len(parts[name].split(",")) if name in parts else 0

    times = max(count("BYHOUR"), 1) * max(count("BYMINUTE"), 1) * max(count("BYSECOND"), 1)
    if freq in ("SECONDLY", "MINUTELY", "HOURLY", "DAILY"):
        return periods * times  # day parts only narrow these; time parts at most multiply them
    days = [d for d in parts.get("BYDAY", "").split(",") if d]
    if freq == "WEEKLY":
        return min(periods * (len(days) or 1), 366) * times
    months = count("BYMONTH") if freq == "YEARLY" and "BYMONTH" in parts else 1
    scale = 12 if freq == "YEARLY" and "BYMONTH" not in parts else 1  # BYMONTHDAY alone: every month
    within_month = freq == "MONTHLY" or "BYMONTH" in parts
    candidates = [31 if freq == "MONTHLY" else 366]
    if "BYMONTHDAY" in parts:
        candidates.append(count("BYMONTHDAY") * months * scale)
    if days:
        weekdays = 5 * months if within_month else 53
        candidates.append(sum(months if d[:-2] not in ("", "+") else weekdays for d in days))
    if "BYYEARDAY" in parts:
        candidates.append(count("BYYEARDAY"))
    if "BYWEEKNO" in parts:
        candidates.append(7 * count("BYWEEKNO"))
    if "BYSETPOS" in parts:
        candidates.append(count("BYSETPOS"))
    if not {"BYMONTHDAY", "BYDAY", "BYYEARDAY", "BYWEEKNO"} & parts.keys():
        candidates.append(months)  # the start's day, in each month picked
    return min(periods * min(candidates), 366) * times


def _iter_after(rule: rrule, begin: datetime) -> Iterator[datetime]:
    for moment in rule:
        if moment >= begin:
            yield moment


class TooManyMeetings(InputError):
    """A window holds more meetings of one series than a listing will show: say so, never cut it short."""


def schedule_problem(schedule: Schedule) -> str | None:
    """Why a stored schedule cannot be used, or None (see `_checked_problem`); kept between runs."""
    key = (schedule.rrule, schedule.start, schedule.tz)
    if key in _problems:
        return _problems[key]
    problem = _checked_problem(schedule.rrule, schedule.start, schedule.tz)
    _problems[key] = problem
    _learned[0] = True
    return problem


@lru_cache(maxsize=1024)
def _checked_problem(rrule: str, start: datetime, tz: str) -> str | None:
    """Why a stored schedule cannot be used, or None: the same full check a new rule passes.

    A rule written into the diary outside los (or by an older los) may be anything; one that fails is
    skipped and reported by every command, never expanded, so it can break nothing else. (A stored
    time in the hour the clocks change is still used, at its wall-clock time: refusing it is for new
    schedules.)
    """
    try:
        checked_rule(rrule, start, tz)
    except InputError as exc:
        return exc.reason
    return None


@dataclass(frozen=True)
class UnusableSchedule:
    slug: str
    title: str
    rrule: str
    reason: str

    def __str__(self) -> str:
        return f"{self.slug} ({self.title}): its stored rule {self.rrule!r} is skipped: {self.reason}"


def unusable_schedules(commitments: Iterable[Commitment]) -> list[UnusableSchedule]:
    """Every stored schedule version that commitment_starts skips, with why, for commands to report."""
    return [
        UnusableSchedule(commitment.slug, commitment.title, version.rrule, problem)
        for commitment in commitments
        for version in commitment.schedules
        if (problem := schedule_problem(version)) is not None
    ]


def commitment_starts(
    commitment: Commitment, window_start: datetime, window_end: datetime
) -> list[tuple[Schedule, datetime]]:
    """Scheduled starts of a commitment in the window, each with the schedule version that made it.

    A version governs the local days from its first day until the next version's first day, so a new
    schedule never changes what was expected before it took effect; nothing is expected once retired.
    A version whose stored rule fails the check (unusable_schedules says which) yields nothing.
    Raises TooManyMeetings rather than return part of a window.
    """
    results: list[tuple[Schedule, datetime]] = []
    for version, starts in commitment_runs(commitment, window_start, window_end):
        results.extend(zip(repeat(version), starts))  # paired in C, not by a generator resumed a start
    return results


def commitment_runs(
    commitment: Commitment, window_start: datetime, window_end: datetime
) -> list[tuple[Schedule, list[datetime]]]:
    """`commitment_starts` a version at a time: each version with its starts in the window, in order."""
    results: list[tuple[Schedule, list[datetime]]] = []
    versions = commitment.schedules
    for index, version in enumerate(versions):
        if schedule_problem(version) is not None:
            continue
        zone = ZoneInfo(version.tz)
        end = window_end
        if index + 1 < len(versions):
            end = min(end, datetime.combine(versions[index + 1].first_day, time(0), zone))
        if commitment.retired_on is not None:
            end = min(end, datetime.combine(commitment.retired_on, time(0), zone))
        try:
            starts = expand(version, window_start, end)
        except TooManyMeetings as exc:
            raise TooManyMeetings(exc.field, exc.value, _too_many_reason(commitment.slug)) from None
        if starts and _meets_in_a_changing_hour(
            version.start.time(), version.tz, starts[0].year, starts[-1].year
        ):
            # A time the clocks skip (stored by an older los) is shown as the clocks read it.
            starts = [on_the_clock(moment, zone) for moment in starts]
        if starts:
            results.append((version, starts))
    return results


@lru_cache(maxsize=1024)
def _meets_in_a_changing_hour(at: time, tz: str, first_year: int, last_year: int) -> bool:
    """Whether the time of day `at` falls in an hour `tz`'s clocks skip or repeat in those years: only the
    years of the starts found are looked at (all thirty of clock_change_problem cost every command that
    expands ~25 ms), and zones' rules repeat, so thirty of them stand for any span."""
    for year in range(first_year, min(last_year, first_year + _CLOCK_CHANGE_YEARS) + 1):
        for first, last, _skipped in _clock_changes(tz, year):
            for day in {first.date(), last.date()}:
                if first <= datetime.combine(day, at) < last:
                    return True
    return False


def version_making(commitment: Commitment, original_start: datetime) -> Schedule | None:
    """The schedule version that makes a meeting at `original_start`, or None where none in force does
    (the series has changed since the meeting was shown)."""
    # A window in UTC: bounds of the starts' own zone compare with them by wall clock, and 02:30 BST
    # (the 01:30 an older los stored for 29 March, shown as the clocks read it) is after a wall 01:30.
    at = instant(original_start)
    found = commitment_starts(commitment, at, at + timedelta(seconds=1))
    return next((version for version, moment in found if same_instant(moment, original_start)), None)


def version_that_made(commitment: Commitment, original_start: datetime) -> Schedule | None:
    """The version whose own rule makes a meeting at `original_start`: the one in force, else the latest
    one from before it whose rule has it, since superseded (a meeting logged before its schedule changed
    keeps the length and place it was held with, not the new version's)."""
    found = version_making(commitment, original_start)
    if found is not None:
        return found
    at = instant(original_start)
    for version in reversed(commitment.schedules):
        if version.first_day > original_start.astimezone(ZoneInfo(version.tz)).date():
            continue
        if schedule_problem(version) is None and any(
            same_instant(moment, original_start) for moment in expand(version, at, at + timedelta(seconds=1))
        ):
            return version
    return None


def last_start(schedule: Schedule) -> datetime:
    """The last start of a rule with COUNT (at most MAX_COUNT of them, so a short walk)."""
    starts: list[datetime] = list(_rule(schedule))
    return starts[-1]


def next_starts(schedule: Schedule, after: datetime, count: int) -> list[datetime]:
    """The next `count` starts at or after `after` (for previews and "next date")."""
    zone = ZoneInfo(schedule.tz)
    begin = max(after, datetime.combine(schedule.first_day, time(0), zone))
    parts = rule_parts(schedule.rrule)
    shifted = _fast_forward(schedule, parts, begin)
    rule = rrulestr(f"RRULE:{schedule.rrule}", dtstart=shifted.replace(tzinfo=zone))
    found: list[datetime] = []
    for moment in _iter_after(rule, begin):
        found.append(moment)
        if len(found) >= count:
            break
    return found


_OUTLOOK_ORDINALS = (1, 2, 3, 4, -1)  # Outlook's first to fourth and last; it has no fifth
# What each frequency may carry besides INTERVAL, COUNT/UNTIL and WKST, by [MS-OXCICAL] 2.1.3.2.2.
_OUTLOOK_PARTS = {
    "DAILY": set(),
    "WEEKLY": {"BYDAY"},
    "MONTHLY": {"BYMONTHDAY", "BYDAY", "BYSETPOS"},
    "YEARLY": {"BYMONTHDAY", "BYMONTH", "BYDAY", "BYSETPOS"},
}
_SHORT_MONTHS = {2: 29, 4: 30, 6: 30, 9: 30, 11: 30}  # months without a 31st, and February's most


def outlook_problem(rule_text: str, start: datetime | None = None) -> str | None:
    """Why Outlook could not hold this rule as the same series, or None if it can.

    The one check of a rule against Microsoft's recurrence templates ([MS-OXCICAL] 2.1.3.2.2): daily;
    weekly on a list of weekdays; monthly on one day of the month; monthly on the first to fourth or
    last of a weekday (or of a list of weekdays, with BYSETPOS); yearly on one day of one month;
    yearly on the nth weekday of one month. Outlook would take a rule outside them differently, or
    not at all. A day past the 28th is outside too: Outlook moves the meeting to the last day of a
    month without it, where RFC 5545 (and the diary) skip that month. `start` gives the day a rule
    without BYMONTHDAY or BYDAY takes. `los schedule` warns with this; the export leaves such a
    schedule out and lists it; the form offers nothing else.
    """
    parts = rule_parts(rule_text)
    freq = parts.get("FREQ", "")
    if freq not in _OUTLOOK_PARTS:
        return f"FREQ={freq}: Outlook takes DAILY, WEEKLY, MONTHLY or YEARLY"
    for name in parts:
        if name.startswith("BY") and name not in _OUTLOOK_PARTS[freq] and name not in ("BYHOUR", "BYMINUTE"):
            return f"{name} with FREQ={freq}: Outlook has no such pattern"
    for name in ("BYMONTHDAY", "BYMONTH", "BYSETPOS", "BYHOUR", "BYMINUTE"):
        if len(parts.get(name, "").split(",")) > 1:
            return f"{name}={parts[name]}: Outlook takes one value"
    days = [d for d in parts.get("BYDAY", "").split(",") if d]
    numbered = [d for d in days if d[:-2] not in ("", "+")]
    if freq == "WEEKLY":
        if numbered:
            return f"BYDAY={numbered[0]}: Outlook takes plain weekdays in a weekly pattern"
        return None
    if freq == "DAILY":
        return None
    if freq == "YEARLY" and "BYMONTH" not in parts and ({"BYMONTHDAY", "BYDAY"} & parts.keys()):
        return "a yearly day without BYMONTH: Outlook's yearly patterns name one month"
    if days:
        if "BYMONTHDAY" in parts:
            return "BYMONTHDAY with BYDAY: Outlook takes a day of the month or a weekday, not both"
        if numbered:
            if len(days) > 1 or "BYSETPOS" in parts:
                return f"BYDAY={parts['BYDAY']}: Outlook takes one numbered weekday"
            ordinal = int(numbered[0][:-2])
        elif "BYSETPOS" in parts:
            ordinal = int(parts["BYSETPOS"])
        else:
            return f"BYDAY={parts['BYDAY']} with no position: Outlook picks one weekday a month"
        if ordinal not in _OUTLOOK_ORDINALS:
            return f"the {_ordinal(ordinal)} weekday: Outlook takes only the first to fourth or last"
        return None
    if "BYSETPOS" in parts:
        return "BYSETPOS without BYDAY: Outlook has no such pattern"
    if "BYMONTHDAY" in parts:
        day = int(parts["BYMONTHDAY"])
    elif start is not None:
        day = start.day
    else:
        return None
    if day < 0 and day != -1:
        return f"BYMONTHDAY={day}: Outlook takes a day from the start of the month, or -1 for the last"
    month = (
        int(parts["BYMONTH"]) if "BYMONTH" in parts else start.month if (freq == "YEARLY" and start) else None
    )
    shortest = 28 if month is None else _SHORT_MONTHS.get(month, 31) - (1 if month == 2 else 0)
    if day > shortest:
        where = "some months have none" if month is None else f"{_MONTH_NAMES[month - 1]} not every year"
        return (
            f"day {day} ({where}): Outlook moves such a meeting to the month's last day, where the diary "
            f"has none; use BYMONTHDAY=-1 for the last day, or a day up to 28"
        )
    return None


def exchange_form(rule_text: str) -> str:
    """The rule as Exchange writes it: `BYDAY=TU;BYSETPOS=2` becomes `BYDAY=2TU` where that means the
    same (one weekday, one position, within a month). Some readers (calcurse) ignore BYSETPOS."""
    parts = rule_parts(rule_text)
    days = parts.get("BYDAY", "").split(",")
    setpos = parts.get("BYSETPOS", "").split(",")
    within_month = parts.get("FREQ") == "MONTHLY" or (
        parts.get("FREQ") == "YEARLY" and len(parts.get("BYMONTH", "").split(",")) == 1 and "BYMONTH" in parts
    )
    if (
        within_month
        and len(days) == 1
        and days[0] in _WEEKDAY_CODES
        and len(setpos) == 1
        and _NUMBER.fullmatch(setpos[0])
        and 1 <= abs(int(setpos[0])) <= 5
        and not {"BYMONTHDAY", "BYYEARDAY", "BYWEEKNO"} & parts.keys()
    ):
        del parts["BYSETPOS"]
        parts["BYDAY"] = f"{int(setpos[0])}{days[0]}"
        return join_parts(parts)
    return rule_text


def describe(schedule: Schedule) -> str:
    """The schedule in plain English, e.g. "second Tuesday of every month, 18:30-20:30, Town Hall"."""
    problem = schedule_problem(schedule)
    if problem is not None:
        return f"not in use: its stored rule {schedule.rrule!r} {problem}"
    parts = rule_parts(schedule.rrule)
    interval = int(parts.get("INTERVAL", "1"))
    freq = parts["FREQ"]
    pattern = _describe_pattern(parts, freq, interval, schedule.start)
    end = schedule.start + schedule.duration
    text = f"{pattern}, {schedule.start:%H:%M}-{end:%H:%M}"
    if schedule.location:
        text += f", {schedule.location}"
    if "UNTIL" in parts:
        until = datetime.strptime(parts["UNTIL"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        text += f", until {until.astimezone(ZoneInfo(schedule.tz)):%d %b %Y}"
    elif "COUNT" in parts:
        text += f", {parts['COUNT']} times"
    return text


def _every(unit: str, interval: int) -> str:
    if interval == 1:
        return f"every {unit}"
    if interval == 2:
        return f"every other {unit}"
    return f"every {interval} {unit}s"


def _describe_pattern(parts: dict[str, str], freq: str, interval: int, start: datetime) -> str:
    """The days a rule picks, in words, for every rule normalize_rrule accepts (RFC 5545 semantics:
    BYMONTH limits, day parts pick within the period, BYSETPOS picks among the period's days)."""
    every = _every({"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}[freq], interval)
    days = [d for d in parts.get("BYDAY", "").split(",") if d]
    months = (
        _and([_MONTH_NAMES[int(m) - 1] for m in parts["BYMONTH"].split(",")]) if "BYMONTH" in parts else ""
    )
    if freq == "DAILY":
        conditions = [f"is {_or(['a ' + _DAY_NAMES[d] for d in days])}"] if days else []
        if "BYMONTHDAY" in parts:
            conditions.append(f"is {_month_days(parts['BYMONTHDAY'])} of its month")
        if months:
            conditions.append(f"is in {months}")
        return f"{every}, when the day {' and '.join(conditions)}" if conditions else every
    if freq == "WEEKLY":
        names = [_DAY_NAMES[d] for d in days] or [f"{start:%A}"]
        return f"{every} on {_and(names)}" + (f", only in {months}" if months else "")
    positions = [int(p) for p in parts["BYSETPOS"].split(",")] if "BYSETPOS" in parts else []
    if freq == "MONTHLY":
        return _within(parts, days, positions, start, f"of {every}") + (
            f", only in {months}" if months else ""
        )
    # YEARLY
    if "BYYEARDAY" in parts or "BYWEEKNO" in parts:
        if "BYYEARDAY" in parts:
            picked = f"day {_and(parts['BYYEARDAY'].split(','))} of the year"
            conditions = [f"is {_or(['a ' + _DAY_NAMES[d] for d in days])}"] if days else []
        else:
            weekdays = _and([_DAY_NAMES[d] for d in days]) if days else "every day"
            picked = f"{weekdays} of week {_and(parts['BYWEEKNO'].split(','))} of the year"
            conditions = []
        if "BYMONTHDAY" in parts:
            conditions.append(f"is {_month_days(parts['BYMONTHDAY'])} of its month")
        if months:
            conditions.append(f"is in {months}")
        text = picked + (f", when the day {' and '.join(conditions)}" if conditions else "")
        return _positions(positions, text, "in the year") + f", {every}"
    if months:
        single_month = "," not in parts["BYMONTH"]
        if single_month or not positions:
            return f"{_within(parts, days, positions, start, f'of {months}')}, {every}"
        # BYSETPOS counts through the whole year's days, not within each month.
        picked = _within(parts, days, [], start, f"of {months}")
        return f"{_positions(positions, picked, 'in the year')}, {every}"
    if "BYMONTHDAY" in parts:
        picked = _within(parts, days, [], start, "of every month")
        return f"{_positions(positions, picked, 'in the year')}, {every}"
    if days:
        # Without BYMONTH a numbered weekday counts through the year ("the 20th Monday of the year").
        named = _and([_weekday(d, plain="every") for d in days])
        return f"{_positions(positions, named + ' of the year', 'in the year')}, {every}"
    return f"day {start.day} of {_MONTH_NAMES[start.month - 1]}, {every}"


def _within(parts: dict[str, str], days: list[str], positions: list[int], start: datetime, scope: str) -> str:
    """The days picked within one month, then `scope`: "second Tuesday of every month", "day 15 of
    every month, when it is a Monday"."""
    if "BYMONTHDAY" in parts:
        picked = f"{_month_days(parts['BYMONTHDAY'])} {scope}"
        if days:
            picked += f", when it is {_or([_weekday(d, plain='a') for d in days])}"
        return _positions(positions, picked, "")
    if days:
        if positions and all(d in _DAY_NAMES for d in days):
            # "the last Monday, Tuesday, Wednesday, Thursday or Friday": the last of those days.
            return f"{_and([_ordinal(p) for p in positions])} {_or([_DAY_NAMES[d] for d in days])} {scope}"
        return _positions(positions, f"{_and([_weekday(d, plain='every') for d in days])} {scope}", "")
    return f"day {start.day} {scope}"


def _positions(positions: list[int], picked: str, scope: str) -> str:
    if not positions:
        return picked
    counted = f" {scope}" if scope else ""
    return f"the {_and([_ordinal(p) for p in positions])}{counted} of: {picked}"


def _weekday(code: str, plain: str) -> str:
    """ "second Tuesday" for 2TU, "last Friday" for -1FR, `plain` + " Monday" for MO."""
    number = code[:-2]
    name = _DAY_NAMES[code[-2:]]
    if number in ("", "+"):
        return f"{plain} {name}"
    return f"{_ordinal(int(number))} {name}"


def _month_days(value: str) -> str:
    """ "day 5", "days 1 and 15", "the last day", "the 2nd-to-last day"."""
    days = [int(d) for d in value.split(",")]
    counted = [str(d) for d in days if d > 0]
    named = [f"day{'s' if len(counted) > 1 else ''} {_and(counted)}"] if counted else []
    named += ["the last day" if d == -1 else f"the {_nth(-d)}-to-last day" for d in days if d < 0]
    return _and(named)


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _or(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"


def _ordinal(number: int) -> str:
    """A position in words where there is a usual word ("second", "last"), else "6th", "2nd from last"."""
    if number in _ORDINALS:
        return _ORDINALS[number]
    return _nth(abs(number)) + (" from last" if number < 0 else "")


def _nth(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def window_for_days(first: date, last: date, tz: str) -> tuple[datetime, datetime]:
    """The aware half-open window covering local days first..last inclusive."""
    zone = ZoneInfo(tz)
    return datetime.combine(first, time(0), zone), datetime.combine(last + timedelta(days=1), time(0), zone)
