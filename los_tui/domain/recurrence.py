"""Recurrence rules over dateutil: checking, normalising, describing and expanding within a window."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY, rrule, rrulestr

from los_tui.domain.model import Commitment, Schedule
from los_tui.domain.parsing import InputError, check_year

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
    body = text.strip()
    if body.upper().startswith("RRULE:"):
        body = body[6:]
    parts: dict[str, str] = {}
    for piece in body.split(";"):
        if not piece:
            continue
        name, sep, value = piece.partition("=")
        if not sep or not name or not value:
            raise InputError("--rrule", text, f"part {piece!r} is not NAME=VALUE")
        name = name.strip().upper()
        if name in parts:
            raise InputError("--rrule", text, f"{name} is given twice")
        parts[name] = value.strip().upper()
    return parts


def join_parts(parts: dict[str, str]) -> str:
    order = ["FREQ", "INTERVAL", "BYMONTH", "BYMONTHDAY", "BYDAY", "BYSETPOS", "WKST", "UNTIL", "COUNT"]
    names = sorted(parts, key=lambda n: (order.index(n) if n in order else len(order), n))
    return ";".join(f"{name}={parts[name]}" for name in names)


def normalize_rrule(text: str, start: datetime, tz: str) -> str:
    """Check a schedule's rule and return it in our stored form (UNTIL converted to UTC).

    `start` is the naive wall-clock first start in `tz`. Raises InputError naming --rrule.
    """
    parts = rule_parts(text)
    check_year("--start", start.isoformat(timespec="minutes"), start.date())
    freq = parts.get("FREQ")
    if freq is None:
        raise InputError("--rrule", text, "needs FREQ (DAILY, WEEKLY, MONTHLY or YEARLY)")
    if freq not in _FREQS:
        raise InputError(
            "--rrule", text, f"FREQ={freq} is not supported: use DAILY, WEEKLY, MONTHLY or YEARLY"
        )
    if "COUNT" in parts and "UNTIL" in parts:
        raise InputError("--rrule", text, "COUNT and UNTIL cannot both be given")
    if "INTERVAL" in parts:
        interval = parts["INTERVAL"]
        if not interval.isdigit() or int(interval) < 1:
            raise InputError("--rrule", text, "INTERVAL must be a whole number of at least 1")
    if "COUNT" in parts and (not parts["COUNT"].isdigit() or int(parts["COUNT"]) < 1):
        raise InputError("--rrule", text, "COUNT must be a whole number of at least 1")
    _check_part_combinations(text, parts, freq)
    if "UNTIL" in parts:
        parts["UNTIL"] = _until_in_utc(text, parts["UNTIL"], tz)
    normalized = join_parts(parts)
    try:
        rule = rrulestr(f"RRULE:{normalized}", dtstart=start.replace(tzinfo=ZoneInfo(tz)))
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise InputError("--rrule", text, f"not a rule dateutil can read ({exc})") from None
    if not isinstance(rule, rrule):
        raise InputError("--rrule", text, "must be a single rule")
    if _days_never_match(parts, start, tz) or next(iter(rule), None) is None:
        raise InputError("--rrule", text, "produces no dates at all from that start")
    return normalized


_TIME_PARTS = ("BYHOUR", "BYMINUTE", "BYSECOND")


def _check_part_combinations(text: str, parts: dict[str, str], freq: str) -> None:
    """Refuse the combinations RFC 5545 (3.3.10) forbids, and BYSETPOS on a daily rule with one time a day.

    dateutil accepts them, but they can never match, and finding that out walks day by day to the
    year 9999: seconds of work for every such rule a user types or a calendar file brings.
    """
    ordinal_days = [d for d in parts.get("BYDAY", "").split(",") if d[:-2] not in ("", "+")]
    if ordinal_days and freq not in ("MONTHLY", "YEARLY"):
        raise InputError(
            "--rrule", text, f"BYDAY={ordinal_days[0]}: numbered weekdays need MONTHLY or YEARLY"
        )
    if "BYWEEKNO" in parts and freq != "YEARLY":
        raise InputError("--rrule", text, "BYWEEKNO needs FREQ=YEARLY")
    if "BYYEARDAY" in parts and freq != "YEARLY":
        raise InputError("--rrule", text, "BYYEARDAY needs FREQ=YEARLY")
    if "BYMONTHDAY" in parts and freq == "WEEKLY":
        raise InputError("--rrule", text, "BYMONTHDAY cannot be used with FREQ=WEEKLY")
    if "BYSETPOS" in parts:
        others = [name for name in parts if name.startswith("BY") and name != "BYSETPOS"]
        if not others:
            raise InputError("--rrule", text, "BYSETPOS needs another BY part (such as BYDAY) to pick from")
        if freq == "DAILY" and not any(name in parts for name in _TIME_PARTS):
            raise InputError("--rrule", text, "BYSETPOS picks nothing from a daily rule's one time a day")


def _days_never_match(parts: dict[str, str], start: datetime, tz: str) -> bool:
    """True when a daily or weekly rule's month and day filters can never match (30 February).

    dateutil finds that out by walking day by day to the year 9999, seconds of work on every such
    rule; a yearly rule with the same filters answers in a fraction of that, and if it finds no day
    the daily rule cannot either.
    """
    if parts["FREQ"] not in ("DAILY", "WEEKLY") or not {"BYMONTH", "BYMONTHDAY"} & parts.keys():
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
        raise InputError("--rrule", text, f"UNTIL={value} is not a date (YYYYMMDD) or date-time") from None
    check_year("--rrule", text, moment.date())
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
    parts = rule_parts(schedule.rrule)
    begin = max(window_start, datetime.combine(schedule.first_day, time(0), zone))
    if begin >= window_end:
        return ()
    shifted = _fast_forward(schedule, parts, begin)
    rule = (
        _rule(schedule)
        if shifted == schedule.start
        else rrulestr(f"RRULE:{schedule.rrule}", dtstart=shifted.replace(tzinfo=zone))
    )
    starts: list[datetime] = []
    for moment in _iter_after(rule, begin):
        if moment >= window_end:
            break
        starts.append(moment)
        if len(starts) >= MAX_OCCURRENCES_PER_WINDOW:
            break
    return tuple(starts)


def _iter_after(rule: rrule, begin: datetime) -> Iterator[datetime]:
    for moment in rule:
        if moment >= begin:
            yield moment


def commitment_starts(
    commitment: Commitment, window_start: datetime, window_end: datetime
) -> list[tuple[Schedule, datetime]]:
    """Scheduled starts of a commitment in the window, each with the schedule version that made it.

    A version governs the local days from its first day until the next version's first day, so a new
    schedule never changes what was expected before it took effect; nothing is expected once retired.
    """
    results: list[tuple[Schedule, datetime]] = []
    versions = commitment.schedules
    for index, version in enumerate(versions):
        zone = ZoneInfo(version.tz)
        end = window_end
        if index + 1 < len(versions):
            end = min(end, datetime.combine(versions[index + 1].first_day, time(0), zone))
        if commitment.retired_on is not None:
            end = min(end, datetime.combine(commitment.retired_on, time(0), zone))
        try:
            starts = expand(version, window_start, end)
        except ValueError as exc:  # only a rule written outside los gets here: ours are checked first
            raise InputError(
                "schedule", f"{commitment.slug} {version.rrule}", f"is stored but cannot be expanded ({exc})"
            ) from None
        results.extend((version, moment) for moment in starts)
    return results


def version_making(commitment: Commitment, original_start: datetime) -> Schedule | None:
    """The schedule version that makes a meeting at `original_start`, or None where none in force does
    (the series has changed since the meeting was shown)."""
    found = commitment_starts(commitment, original_start, original_start + timedelta(seconds=1))
    return next((version for version, moment in found if moment == original_start), None)


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


def outlook_problem(rule_text: str) -> str | None:
    """Why Outlook could not import this rule as a recurring series, or None if it can.

    Microsoft's MS-OXCICAL maps daily, weekly, day-of-month, nth-weekday (1-4 or last) monthly and yearly
    patterns; lists of ordinal days and fifth weekdays have no Outlook equivalent.
    """
    parts = rule_parts(rule_text)
    byday = parts.get("BYDAY", "")
    days = [d for d in byday.split(",") if d]
    setpos = parts.get("BYSETPOS")
    if parts.get("FREQ") in ("MONTHLY", "YEARLY"):
        ordinal_days = [d for d in days if d[:-2] not in ("", "+")]
        if len(ordinal_days) > 1:
            return "a list of ordinal weekdays (Outlook takes one)"
        for day in ordinal_days:
            if int(day[:-2]) not in (1, 2, 3, 4, -1):
                return f"{day}: Outlook takes only the first to fourth or last weekday"
        if setpos is not None and (len(setpos.split(",")) > 1 or int(setpos) not in (1, 2, 3, 4, -1)):
            return f"BYSETPOS={setpos}: Outlook takes one of 1-4 or -1"
        if len(parts.get("BYMONTHDAY", "").split(",")) > 1:
            return "a list of days of the month (Outlook takes one)"
    if parts.get("FREQ") == "YEARLY" and len(parts.get("BYMONTH", "").split(",")) > 1:
        return "a list of months (Outlook takes one)"
    return None


def describe(schedule: Schedule) -> str:
    """The schedule in plain English, e.g. "second Tuesday of every month, 18:30-20:30, Town Hall"."""
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
    days = [d for d in parts.get("BYDAY", "").split(",") if d]
    setpos = parts.get("BYSETPOS")
    if freq == "DAILY":
        return _every("day", interval)
    if freq == "WEEKLY":
        names = [_DAY_NAMES.get(d[-2:], d) for d in days] or [f"{start:%A}"]
        return f"{_every('week', interval)} on {', '.join(names)}"
    if days:
        # A list of positions ("BYSETPOS=1,2") or of days ("BYDAY=1MO,-1FR") reads as a list; a rule with
        # them must never break the listing it appears in.
        positions = [int(p) for p in setpos.split(",")] if setpos else []
        named = []
        for day in days:
            ordinal = int(day[:-2]) if day[:-2] not in ("", "+") else None
            prefix = f"{_ordinal(ordinal)} " if ordinal is not None else ""
            named.append(prefix + _DAY_NAMES.get(day[-2:], day))
        listed = " or ".join(named)
        if positions:
            on = f"{' and '.join(_ordinal(p) for p in positions)} {listed}"
        else:
            on = listed if any(d[:-2] not in ("", "+") for d in days) else f"every {listed}"
    elif "BYMONTHDAY" in parts:
        on = f"day {parts['BYMONTHDAY']}"
    else:
        on = f"day {start.day}"
    if freq == "MONTHLY":
        return f"{on} of {_every('month', interval)}"
    month = int(parts.get("BYMONTH", str(start.month)).split(",")[0])
    return f"{on} of {_MONTH_NAMES[month - 1]}, {_every('year', interval)}"


def _ordinal(number: int) -> str:
    if number in _ORDINALS:
        return _ORDINALS[number]
    size = abs(number)
    suffix = "th" if 10 <= size % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(size % 10, "th")
    return f"{size}{suffix}" + (" from last" if number < 0 else "")


def window_for_days(first: date, last: date, tz: str) -> tuple[datetime, datetime]:
    """The aware half-open window covering local days first..last inclusive."""
    zone = ZoneInfo(tz)
    return datetime.combine(first, time(0), zone), datetime.combine(last + timedelta(days=1), time(0), zone)
