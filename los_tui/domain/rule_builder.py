"""Building a schedule's RRULE from the form's plain choices, limited to patterns Outlook can import."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

from los_tui.domain.model import DEFAULT_TZ, Commitment, Frequency, Schedule
from los_tui.domain.parsing import InputError, existing_wall_time, is_whole_number
from los_tui.domain.recurrence import (
    commitment_starts,
    describe,
    next_starts,
    normalize_rrule,
    outlook_problem,
    rule_parts,
    schedule_problem,
)

Unit = Literal["week", "month", "year"]
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
ORDINALS = (1, 2, 3, 4, -1)  # first to fourth, or last: Outlook has no fifth weekday
# Days past the 28th are refused: dateutil skips months without them, so a meeting would silently vanish.
LAST_DAY_OF_MONTH = 28
MAX_INTERVAL = 99
NEXT_DATE_HORIZON = timedelta(days=2 * 366)


@dataclass(frozen=True)
class RuleChoice:
    """What the schedule form asks: every N weeks/months/years, on which day, at what time, from when."""

    unit: Unit = "month"
    interval: int = 1
    by_weekday: bool = True  # months/years: "the second Tuesday" rather than "day 14"
    ordinal: int = 1
    weekday: str = "TU"
    day_of_month: int = 1
    month: int = 1  # years only
    at: time = time(9, 0)
    duration_minutes: int = 60
    location: str = ""
    starting: date = date(2026, 1, 1)


def build_rrule(choice: RuleChoice) -> str:
    if not 1 <= choice.interval <= MAX_INTERVAL:
        raise InputError("every", choice.interval, f"must be between 1 and {MAX_INTERVAL}")
    if choice.weekday not in WEEKDAYS:
        raise InputError("weekday", choice.weekday, f"must be one of {', '.join(WEEKDAYS)}")
    parts = [f"FREQ={ {'week': 'WEEKLY', 'month': 'MONTHLY', 'year': 'YEARLY'}[choice.unit] }"]
    if choice.interval > 1:
        parts.append(f"INTERVAL={choice.interval}")
    if choice.unit == "week":
        parts.append(f"BYDAY={choice.weekday}")
    else:
        if choice.unit == "year":
            if not 1 <= choice.month <= 12:
                raise InputError("month", choice.month, "must be between 1 and 12")
            parts.append(f"BYMONTH={choice.month}")
        if choice.by_weekday:
            if choice.ordinal not in ORDINALS:
                raise InputError("which", choice.ordinal, "must be first to fourth, or last")
            # The form Exchange writes ("2TU"): readers such as calcurse ignore BYSETPOS.
            parts.append(f"BYDAY={choice.ordinal}{choice.weekday}")
        else:
            if not 1 <= choice.day_of_month <= LAST_DAY_OF_MONTH:
                raise InputError("day", choice.day_of_month, f"must be between 1 and {LAST_DAY_OF_MONTH}")
            parts.append(f"BYMONTHDAY={choice.day_of_month}")
    rule = ";".join(parts)
    problem = outlook_problem(rule, datetime.combine(choice.starting, choice.at))
    if problem is not None:  # the choices above should never get here; kept as the last word
        raise InputError("schedule", rule, f"Outlook cannot import it: {problem}")
    return rule


@dataclass(frozen=True)
class SchedulePreview:
    rrule: str
    first_start: datetime  # naive local: the first date the rule yields on or after `starting`
    description: str
    next_dates: list[datetime]  # aware


def preview(
    choice: RuleChoice, tz: str = DEFAULT_TZ, count: int = 6, today: date | None = None
) -> SchedulePreview:
    """The rule, its first real start (so DTSTART is itself an occurrence) and the next `count` dates:
    from `today` on where the first date is already past, since those are the meetings still to come."""
    if not 1 <= choice.duration_minutes <= 24 * 60:
        raise InputError("duration", choice.duration_minutes, "must be between 1 and 1440 minutes")
    rule = build_rrule(choice)
    zone = ZoneInfo(tz)
    anchor = datetime.combine(choice.starting, choice.at)
    first = next(iter(rrulestr(f"RRULE:{rule}", dtstart=anchor)), None)
    if first is None:
        raise InputError("schedule", rule, "produces no dates from that start")
    existing_wall_time("time", first, tz)  # a repeated time: refused by normalize_rrule, with why
    normalized = normalize_rrule(rule, first, tz)
    schedule = Schedule(
        rrule=normalized,
        start=first,
        duration_minutes=choice.duration_minutes,
        location=choice.location,
        tz=tz,
    )
    shown_from = max(choice.starting, today) if today is not None else choice.starting
    starts = next_starts(schedule, datetime.combine(shown_from, time(0), zone), count)
    return SchedulePreview(normalized, first, describe(schedule), starts)


def first_choice(frequency: Frequency, today: date) -> RuleChoice:
    """A first schedule's starting point: as often as the protocol says (quarterly is every 3 months)."""
    months = frequency.months
    if months == 12:
        return RuleChoice(unit="year", interval=1, month=today.month, starting=today)
    return RuleChoice(unit="month", interval=months or 1, starting=today)


def choice_from_schedule(schedule: Schedule, today: date) -> RuleChoice:
    """Pre-fill the form from an existing schedule (best effort: unknown parts fall back to defaults)."""
    if schedule_problem(schedule) is not None:  # a stored rule los cannot use: start afresh
        return RuleChoice(starting=max(today, schedule.first_day))
    parts = rule_parts(schedule.rrule)
    unit: Unit = {"WEEKLY": "week", "YEARLY": "year"}.get(parts.get("FREQ", ""), "month")  # type: ignore[assignment]
    byday = parts.get("BYDAY", "").split(",")[0]
    weekday = byday[-2:] if byday[-2:] in WEEKDAYS else WEEKDAYS[schedule.start.weekday()]
    ordinal_text = parts.get("BYSETPOS") or byday[:-2]
    ordinal = int(ordinal_text) if is_whole_number(ordinal_text.lstrip("+-")) else 1
    day_text = parts.get("BYMONTHDAY", "")
    day = int(day_text) if is_whole_number(day_text) else schedule.start.day
    return RuleChoice(
        unit=unit,
        interval=int(parts.get("INTERVAL", "1")),
        by_weekday=bool(byday) or not day_text,
        ordinal=ordinal if ordinal in ORDINALS else 1,
        weekday=weekday,
        day_of_month=min(day, LAST_DAY_OF_MONTH),
        month=int(parts.get("BYMONTH", str(schedule.start.month)).split(",")[0]),
        at=schedule.start.time(),
        duration_minutes=schedule.duration_minutes,
        location=schedule.location,
        starting=max(today, schedule.first_day),
    )


def next_start(commitment: Commitment, after: datetime) -> datetime | None:
    """The commitment's next scheduled start at or after `after`, looking up to two years ahead."""
    found = commitment_starts(commitment, after, after + NEXT_DATE_HORIZON)
    return min((moment for _, moment in found), default=None)
