"""Reading user input (dates, times, names) into domain values, with errors that name the field."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from enum import StrEnum
from typing import TypeVar
from zoneinfo import ZoneInfo

E = TypeVar("E", bound=StrEnum)

MAX_TEXT = 64 * 1024  # a note or title longer than this is refused, not truncated
MAX_TITLE = 200
MAX_TARGET = 100  # entries a quarter of an ad hoc commitment; more is a typing slip, not an aim


class InputError(ValueError):
    """Bad input from a user or a file: names the field and the value, says what is wrong."""

    def __init__(self, field: str, value: object, reason: str) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        super().__init__(f"{field} {_show(value)}: {reason}")


def _show(value: object) -> str:
    text = str(value)
    if len(text) > 80:
        text = text[:77] + "..."
    return repr(text)


# Dates outside these years are refused at the edge: near year 1 or 9999 the day-either-side arithmetic
# of windows and time zones overflows Python's datetime, and no meeting in a diary is that far off.
FIRST_YEAR, LAST_YEAR = 1900, 2199


def check_year(field: str, value: object, day: date) -> None:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise InputError(field, value, f"is outside the years {FIRST_YEAR}-{LAST_YEAR} the diary keeps")


def parse_date(field: str, value: str) -> date:
    try:
        day = date.fromisoformat(value.strip())
    except ValueError as exc:
        raise InputError(field, value, f"not a real date in the form YYYY-MM-DD ({exc})") from None
    check_year(field, value, day)
    return day


def check_target(field: str, value: object, count: int) -> None:
    if not 0 <= count <= MAX_TARGET:
        raise InputError(field, value, f"must be between 0 and {MAX_TARGET}")


def parse_target(field: str, value: str) -> int | None:
    """A quarterly target as typed: a whole number from 0 to MAX_TARGET; 0 (no target) is None."""
    try:
        count = int(value.strip())
    except ValueError:
        raise InputError(field, value, "must be a whole number") from None
    check_target(field, value, count)
    return count or None


def parse_when(field: str, value: str, tz: str) -> tuple[datetime, bool]:
    """An ISO date or date-time; local in `tz` unless it carries an offset.

    Returns the aware datetime and whether a time was given (a bare date is midnight local).
    """
    text = value.strip()
    has_time = "T" in text or " " in text
    if not has_time:
        day = parse_date(field, text)
        return datetime.combine(day, time(0), ZoneInfo(tz)), False
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise InputError(field, value, f"not a real date-time in the form YYYY-MM-DDTHH:MM ({exc})") from None
    check_year(field, value, moment.date())
    if moment.tzinfo is None:
        moment = localize(field, moment, tz)
    return moment, True


def localize(field: str, wall: datetime, tz: str) -> datetime:
    """Attach `tz` to a wall-clock time, refusing a time the clocks skip in spring."""
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
        return choices(value.strip().lower())
    except ValueError:
        allowed = ", ".join(member.value for member in choices)
        raise InputError(field, value, f"must be one of: {allowed}") from None


def parse_positive_int(field: str, value: str | int, maximum: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise InputError(field, value, "must be a whole number") from None
    if not 1 <= number <= maximum:
        raise InputError(field, value, f"must be between 1 and {maximum}")
    return number


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def check_text(
    field: str, value: str, maximum: int = MAX_TEXT, required: bool = False, private: bool = False
) -> str:
    """Refuse empty (if required), over-long or control-laden text. A `private` value (a note, an
    action) is described by its length in the message, never quoted: error messages end up in
    terminals, scrollback and bug reports."""
    shown = f"<{len(value)} characters>" if private else value
    if required and not value.strip():
        raise InputError(field, shown, "must not be empty")
    if len(value) > maximum:
        raise InputError(field, shown, f"is {len(value)} characters long; the most is {maximum}")
    if _CONTROL.search(value):
        raise InputError(field, shown, "contains control characters")
    return value


_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    return _SLUG.sub("-", text.lower()).strip("-")[:60] or "commitment"
