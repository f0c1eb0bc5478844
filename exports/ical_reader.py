"""Reading another calendar's .ics file (Outlook's, Exchange's) into the meetings it holds, series expanded.

Pure reading: no diary, no database. The import use case matches what this returns to commitments.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from los_tui.db.files import read_regular_file
from los_tui.domain.parsing import InputError
from los_tui.domain.safe_text import neutralise

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_COMPONENTS = 10_000
MAX_OCCURRENCES = 1_000
_SUB_DAILY = {"SECONDLY", "MINUTELY", "HOURLY"}
# Steps all the file's rules may take from their starts to the window's end (about 4 s of expanding): a
# daily rule since 1990 takes 13,000, a rule every minute for a year half a million.
MAX_EXPANSION_STEPS = 50_000
_PERIODS = {
    "SECONDLY": timedelta(seconds=1),
    "MINUTELY": timedelta(minutes=1),
    "HOURLY": timedelta(hours=1),
    "DAILY": timedelta(days=1),
    "WEEKLY": timedelta(days=7),
    "MONTHLY": timedelta(days=28),
    "YEARLY": timedelta(days=365),
}


@dataclass(frozen=True)
class CalendarMeeting:
    """One meeting read from another calendar's file (a single event or one instance of a series)."""

    uid: str
    recurrence_key: str  # the instance's original start in UTC for a series, "" for a single event
    title: str
    start: datetime  # aware
    end: datetime  # aware
    all_day: bool
    original_start: datetime | None  # aware; the RECURRENCE-ID of a series instance
    categories: tuple[str, ...] = ()
    cancelled: bool = False  # STATUS:CANCELLED, as some calendars mark a called-off meeting


def read_calendar_file(path: Path) -> bytes:
    """The file's bytes, refusing anything over the size limit before reading it whole."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError("FILE", str(path), f"cannot be read ({exc.strerror})") from None
    if size > MAX_FILE_BYTES:
        raise InputError("FILE", str(path), f"is {size:,} bytes; the limit is {MAX_FILE_BYTES:,} (5 MiB)")
    try:
        return read_regular_file(path, MAX_FILE_BYTES)
    except OSError as exc:
        raise InputError("FILE", str(path), f"cannot be read ({exc.strerror})") from None


def read_meetings(
    data: bytes, source: str, window_start: datetime, window_end: datetime
) -> list[CalendarMeeting]:
    """Every meeting in the file starting in [window_start, window_end), series expanded.

    Refuses (InputError, naming the file) anything too big, unparsable, or whose rules would expand
    without bound; nothing is read into the diary until the whole file has passed.
    """
    import icalendar
    import recurring_ical_events

    if len(data) > MAX_FILE_BYTES:
        raise InputError("FILE", source, f"is {len(data):,} bytes; the limit is {MAX_FILE_BYTES:,} (5 MiB)")
    # Counted before parsing, so a file of a million tiny components is refused before it costs memory.
    components = data.upper().count(b"BEGIN:")
    if components > MAX_COMPONENTS:
        raise InputError("FILE", source, f"has {components:,} components; the limit is {MAX_COMPONENTS:,}")
    # Said plainly, before the parser quotes the file's first line back (twice) in its own words.
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").upper().startswith(b"BEGIN:VCALENDAR"):
        raise InputError("FILE", source, "is not an iCalendar file (it does not begin with BEGIN:VCALENDAR)")
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except (ValueError, KeyError, IndexError, TypeError, UnicodeDecodeError) as exc:
        raise InputError("FILE", source, f"is not an iCalendar file that can be read ({exc})") from None
    except OSError:  # icalendar looks a TZID up on disk, and a name like "America" is a folder there
        raise InputError("FILE", source, "names a time zone that cannot be read (TZID)") from None
    if not isinstance(calendar, icalendar.Calendar):
        raise InputError("FILE", source, "is not an iCalendar file (no VCALENDAR)")
    series_uids: set[str] = set()
    steps = 0
    for event in calendar.walk("VEVENT"):
        for rule in _rules(event):
            uid = str(event.get("UID", ""))
            steps += _check_rule(source, uid, rule, _utc_start(source, event), window_end)
            if steps > MAX_EXPANSION_STEPS:
                raise InputError(
                    "FILE",
                    source,
                    f"its repeating events (the last event {uid}) would take over {MAX_EXPANSION_STEPS:,} "
                    f"steps to expand up to {window_end:%Y-%m-%d}; refused",
                )
            series_uids.add(str(event.get("UID", "")))
        if "RECURRENCE-ID" in event:
            series_uids.add(str(event.get("UID", "")))
    try:
        # Each rule's steps up to the window's end were bounded above, so the whole window is safe to list.
        instances = recurring_ical_events.of(calendar).between(window_start, window_end)
        meetings = sorted((_meeting(i, series_uids) for i in instances), key=lambda m: (m.start, m.title))
    except InputError:
        raise
    except Exception as exc:  # the expander's own errors for broken rules and dates
        raise InputError(
            "FILE", source, f"its events cannot be expanded ({type(exc).__name__}: {exc})"
        ) from None
    if len(meetings) > MAX_OCCURRENCES:
        raise InputError(
            "FILE",
            source,
            f"expands to more than {MAX_OCCURRENCES:,} meetings between "
            f"{window_start:%Y-%m-%d} and {window_end:%Y-%m-%d}; refused",
        )
    return meetings


def _rules(event: Any) -> Iterator[Any]:
    rules = event.get("RRULE")
    if rules is None:
        return
    yield from rules if isinstance(rules, list) else [rules]


def _utc_start(source: str, event: Any) -> datetime:
    try:
        start = event.decoded("DTSTART")
    except (KeyError, ValueError, TypeError) as exc:
        raise InputError(
            "FILE", source, f"event {event.get('UID', '')} has no usable DTSTART ({exc})"
        ) from None
    if isinstance(start, datetime):
        return start.replace(tzinfo=UTC) if start.tzinfo is None else start.astimezone(UTC)
    if isinstance(start, date):
        return datetime.combine(start, datetime.min.time(), UTC)
    # icalendar hands back the raw text of a value it could not read as a date
    raise InputError(
        "FILE", source, f"event {event.get('UID', '')} has a DTSTART that is not a date ({start!r})"
    )


def _check_rule(source: str, uid: str, rule: Any, start: datetime, window_end: datetime) -> int:
    """Refuse a rule that cannot be right; otherwise return (at most) the steps expanding it would take.

    Readers walk a rule from its DTSTART, so a rule every second since 1990 hangs them before a single
    meeting in the window appears: the caller bounds the steps before anything is expanded.
    """
    try:
        return _rule_steps(source, uid, rule, start, window_end)
    except (ValueError, TypeError, OverflowError) as exc:
        raise InputError("FILE", source, f"event {uid} has an RRULE that cannot be read ({exc})") from None


def _refuse_never_matching(text: str, frequency: str, start: datetime) -> None:
    """A rule that can never match (BYSETPOS on a daily rule, 30 February every day) sends the expander
    walking to the year 9999 for a first meeting, 16 s for one such event: refused as the diary's own
    rules are (the fuzzer found it once a hang could no longer pass for a refusal)."""
    from los_tui.domain.recurrence import _check_part_combinations, _days_never_match, rule_parts

    try:
        parts = rule_parts(text)
        _check_part_combinations(text, parts, frequency)
        never = frequency in ("DAILY", "WEEKLY") and _days_never_match(
            {**parts, "FREQ": frequency}, start.astimezone(UTC).replace(tzinfo=None), "UTC"
        )
    except InputError as exc:
        raise ValueError(exc.reason) from None  # _check_rule names the file and the event
    if never:
        raise ValueError("its days can never occur")


def _rule_steps(source: str, uid: str, rule: Any, start: datetime, window_end: datetime) -> int:
    text = rule.to_ical().decode()
    for interval in rule.get("INTERVAL", []):
        if int(interval) < 1:
            raise InputError("FILE", source, f"event {uid} has RRULE {text}: INTERVAL must be at least 1")
    frequency = str((rule.get("FREQ") or ["DAILY"])[0]).upper()
    _refuse_never_matching(text, frequency, start)
    if frequency in _SUB_DAILY and "COUNT" not in rule and "UNTIL" not in rule:
        raise InputError(
            "FILE", source, f"event {uid} has RRULE {text}: a rule more often than daily needs COUNT or UNTIL"
        )
    end = window_end
    for until in rule.get("UNTIL", []):
        if isinstance(until, datetime):
            until_utc = until.replace(tzinfo=UTC) if until.tzinfo is None else until.astimezone(UTC)
        else:
            until_utc = datetime.combine(until, datetime.min.time(), UTC)
        end = min(end, until_utc)
    period = _PERIODS.get(frequency, _PERIODS["DAILY"]) * int((rule.get("INTERVAL") or [1])[0])
    steps = max((end - start) // period, 0) + 1
    for part in ("BYHOUR", "BYMINUTE", "BYSECOND"):
        steps *= max(len(rule.get(part, [])), 1)
    for count in rule.get("COUNT", []):
        steps = min(steps, int(count))
    return int(steps)


def _meeting(instance: Any, series_uids: set[str]) -> CalendarMeeting:
    uid = str(instance.get("UID", ""))
    start = instance.decoded("DTSTART")
    end = instance.decoded("DTEND") if "DTEND" in instance else None
    all_day = not isinstance(start, datetime)
    if all_day:
        start = datetime.combine(start, datetime.min.time(), ZoneInfo("UTC"))
        end = (
            datetime.combine(end, datetime.min.time(), ZoneInfo("UTC")) if end else start + timedelta(days=1)
        )
    else:
        start = _olson(start)
        end = _olson(end) if isinstance(end, datetime) else start + timedelta(hours=1)
    original = None
    if uid in series_uids and "RECURRENCE-ID" in instance:
        recurrence = instance.decoded("RECURRENCE-ID")
        if isinstance(recurrence, datetime):
            original = _olson(recurrence)
    key = original.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ") if original else ""
    categories = tuple(str(c) for c in instance.categories) if hasattr(instance, "categories") else ()
    # Another program's text: inert before it is matched, stored or shown (escapes, controls, bidi).
    title = neutralise(str(instance.get("SUMMARY", "")), keep_newlines=False).strip()
    cancelled = str(instance.get("STATUS", "")).upper() == "CANCELLED"
    return CalendarMeeting(uid, key, title, start, end, all_day, original, categories, cancelled)


def _olson(moment: datetime) -> datetime:
    """The moment on its IANA zone: Outlook's Windows zone names ("GMT Standard Time") mapped through
    the CLDR table icalendar ships; a floating time is taken as UTC."""
    from icalendar.timezone.tzid import tzid_from_dt
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    name = tzid_from_dt(moment) or ""
    olson = WINDOWS_TO_OLSON.get(name.strip('"'), name)
    try:
        return moment.replace(tzinfo=ZoneInfo(olson))
    except (ZoneInfoNotFoundError, ValueError):
        return moment  # a custom zone: the file's own VTIMEZONE already gave the right offsets
