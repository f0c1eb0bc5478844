"""Reading user input (dates, times, names) into domain values, with errors that name the field."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from enum import StrEnum
from typing import TypeVar
from zoneinfo import ZoneInfo

from los_tui.domain.errors import InputError as InputError  # re-exported: callers import it from here
from los_tui.domain.model import Role

E = TypeVar("E", bound=StrEnum)

MAX_TEXT = 64 * 1024  # a note or title longer than this is refused, not truncated
MAX_TITLE = 200
MAX_TARGET = 100  # entries a quarter of an ad hoc commitment; more is a typing slip, not an aim


# Dates outside these years are refused at the edge: near year 1 or 9999 the day-either-side arithmetic
# of windows and time zones overflows Python's datetime, and no meeting in a diary is that far off.
FIRST_YEAR, LAST_YEAR = 1900, 2199


def trim(value: str) -> str:
    """A typed value without the spaces around it; a line break or tab stays, to be refused."""
    return value.strip(" ")


def check_year(field: str, value: object, day: date | int) -> None:
    year = day if isinstance(day, int) else day.year
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InputError(field, value, f"is outside the years {FIRST_YEAR}-{LAST_YEAR} the diary keeps")


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
DATE_EXAMPLE = "a date like 2026-11-10 (year-month-day)"
DATE_TIME_EXAMPLE = "a date and time like 2026-11-10T18:30"


def parse_date(field: str, value: str) -> date:
    text = trim(value)
    if not text:
        raise InputError(field, value, f"must not be empty; give {DATE_EXAMPLE}")
    if not _ISO_DATE.fullmatch(text):
        raise InputError(field, value, f"is not {DATE_EXAMPLE}")
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InputError(field, value, f"is not a real date; give {DATE_EXAMPLE}") from None
    check_year(field, value, day)
    return day


_WHOLE_NUMBER = re.compile(r"[0-9]{1,12}", re.ASCII)


def is_whole_number(text: str) -> bool:
    """True for ASCII digits only: "²" and "٣" pass str.isdigit but are no number we take."""
    return _WHOLE_NUMBER.fullmatch(text) is not None


def parse_whole_number(field: str, value: str | int, unit: str = "") -> int:
    """A count as typed: ASCII digits only (str.isdigit and int() also take "²", "٣" and "1_000")."""
    if isinstance(value, int):
        return value
    text = trim(value)
    if not _WHOLE_NUMBER.fullmatch(text):
        of_unit = f" of {unit}" if unit else ""
        raise InputError(field, value, f"must be a whole number{of_unit} written with the digits 0-9")
    return int(text)


def check_target(field: str, value: object, count: int) -> None:
    if not 0 <= count <= MAX_TARGET:
        raise InputError(field, value, f"must be between 0 and {MAX_TARGET}")


def parse_target(field: str, value: str) -> int | None:
    """A quarterly target as typed: a whole number from 0 to MAX_TARGET; 0 (no target) is None."""
    count = parse_whole_number(field, value)
    check_target(field, value, count)
    return count or None


def parse_when(field: str, value: str, tz: str) -> tuple[datetime, bool]:
    """An ISO date or date-time; local in `tz` unless it carries an offset.

    Returns the aware datetime and whether a time was given (a bare date is midnight local).
    """
    text = trim(value)
    has_time = "T" in text or " " in text
    if not has_time:
        day = parse_date(field, text)
        return datetime.combine(day, time(0), ZoneInfo(tz)), False
    if not _ISO_DATE.match(text):
        raise InputError(field, value, f"is not {DATE_EXAMPLE} or {DATE_TIME_EXAMPLE}")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InputError(field, value, f"is not a real date and time; give {DATE_TIME_EXAMPLE}") from None
    check_year(field, value, moment.date())
    if moment.tzinfo is None:
        moment = localize(field, moment, tz, sep=" " if " " in text else "T")
    return moment, True


class RepeatedTime(InputError):
    """A wall time typed without an offset that its zone's clocks show twice that night (01:00-01:59 on
    the last Sunday of October in London): the time alone names two moments; which is the user's to say.
    `first` and `second` are the two, for a caller whose meetings can tell which was meant."""

    def __init__(self, field: str, first: datetime, second: datetime, sep: str = "T") -> None:
        super().__init__(
            field,
            _wall_text(first.replace(tzinfo=None), sep),
            f"{first:%H:%M} happens twice in {first.tzinfo} that night (the clocks go back): "
            f"give {_wall_text(first, sep)} for the first ({first.tzname()}) "
            f"or {_wall_text(second, sep)} for the second ({second.tzname()})",
        )
        self.first = first
        self.second = second


def _wall_text(moment: datetime, sep: str) -> str:
    """`moment` as it is typed (with its offset if aware), to the minute unless it has seconds."""
    return moment.isoformat(sep=sep, timespec="seconds" if moment.second else "minutes")


def localize(field: str, wall: datetime, tz: str, sep: str = "T") -> datetime:
    """Attach `tz` to a wall-clock time the user typed for one moment, refusing a time the clocks skip
    in spring and one they show twice in autumn (RepeatedTime): either would be a guess. `sep` is the
    separator typed between date and time, so the offsets the refusal suggests read as the user types."""
    aware = existing_wall_time(field, wall, tz)
    second = aware.replace(fold=1)
    if second.utcoffset() != aware.utcoffset():
        raise RepeatedTime(field, aware, second, sep)
    return aware


def existing_wall_time(field: str, wall: datetime, tz: str) -> datetime:
    """Attach `tz` to a wall-clock time, refusing a time the clocks skip in spring; one they show twice
    is the first of the two (fold 0). For a schedule's start alone: a series meets at a wall time each
    day, and its own check (recurrence.clock_change_problem) refuses a time in either changing hour,
    saying why an offset would not help."""
    zone = ZoneInfo(tz)
    aware = wall.replace(tzinfo=zone)
    round_trip = aware.astimezone(ZoneInfo("UTC")).astimezone(zone).replace(tzinfo=None)
    if round_trip != wall:
        raise InputError(
            field,
            wall.isoformat(timespec="minutes"),
            f"that time does not exist in {tz} (the clocks go forward)",
        )
    return aware


def parse_choice(field: str, value: str, choices: type[E]) -> E:
    try:
        return choices(trim(value).lower())
    except ValueError:
        allowed = ", ".join(member.value for member in choices)
        raise InputError(field, value, f"must be one of: {allowed}") from None


BOTH_ROLES = "both"


def parse_roles(field: str, value: str) -> list[Role]:
    """A role as typed: lmcs, dcs, or both (every commitment)."""
    text = trim(value).lower()
    if text == BOTH_ROLES:
        return list(Role)
    try:
        return [Role(text)]
    except ValueError:
        raise InputError(field, value, f"must be one of: {', '.join([*Role, BOTH_ROLES])}") from None


def parse_positive_int(field: str, value: str | int, maximum: int) -> int:
    number = parse_whole_number(field, value)
    if not 1 <= number <= maximum:
        raise InputError(field, value, f"must be between 1 and {maximum}")
    return number


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# In a one-line field (a title, a place, a name) line breaks, tabs, C1 controls and the bidi embeddings,
# overrides and isolates are refused too: shown in a listing they break lines or reorder what is read.
_LINE_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# Bytes that are not UTF-8 reach Python from the command line as lone surrogates; SQLite cannot store them.
_NOT_UTF8 = re.compile("[\ud800-\udfff]")


def not_utf8(value: str) -> bool:
    return _NOT_UTF8.search(value) is not None


def check_text(
    field: str,
    value: str,
    maximum: int = MAX_TEXT,
    required: bool = False,
    private: bool = False,
    one_line: bool = False,
) -> str:
    """Refuse empty (if required), over-long, invalid or control-laden text (`one_line`: any line break,
    tab or bidi override too). A `private` value (a note, an action) is described by its length in the
    message, never quoted: error messages end up in terminals, scrollback and bug reports."""
    shown = f"<{len(value)} characters>" if private else value
    if required and not value.strip():
        raise InputError(field, shown, "must not be empty")
    if len(value) > maximum:
        raise InputError(field, shown, f"is {len(value)} characters long; the most is {maximum}")
    if not_utf8(value):
        raise InputError(field, shown, "is not valid UTF-8 text")
    if one_line and _LINE_CONTROL.search(value):
        raise InputError(field, shown, "must be one line, without control or text-direction characters")
    if _CONTROL.search(value):
        raise InputError(field, shown, "contains control characters")
    return value


def check_line(field: str, value: str, maximum: int = MAX_TITLE, required: bool = False) -> str:
    """A one-line field: a title, a location, who it is with, an owner."""
    return check_text(field, value, maximum, required=required, one_line=True)


_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    return _SLUG.sub("-", text.lower()).strip("-")[:60] or "commitment"
