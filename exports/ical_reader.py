"""Reading another calendar's .ics file (Outlook's, Exchange's) into the meetings it holds, series expanded.

Pure reading: no diary, no database. The import use case matches what this returns to commitments.
An event that cannot be read is left out and named (title and date), so one bad event never costs the
rest of the file; the whole file is refused only when it is too big, not iCalendar, or nothing in it can
be read.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from los_tui.db.files import read_regular_file
from los_tui.domain.parsing import FIRST_YEAR, LAST_YEAR, InputError
from los_tui.domain.safe_text import neutralise

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_EVENTS = 10_000
# Alarms and time zones ride along with events (Outlook writes a VALARM into most of them); this bounds
# a file of tiny components without ever refusing a real 10,000-event calendar.
MAX_COMPONENTS = 4 * MAX_EVENTS
MAX_MEETINGS = 10_000  # meetings inside the import window; a year of a busy diary holds about 2,600
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
# A series is expanded a little past the window's edges and then cut by instant, so a floating time or a
# zone the expander does not know can never move a meeting across an edge.
_EDGE = timedelta(days=2)
SAVE_SHORTER = "save a shorter date range in Outlook (Save Calendar > Date Range) and import each part"
Progress = Callable[[str, int, int], None]  # (what is being done, done so far, out of: 0 when unknown)


@dataclass(frozen=True)
class CalendarMeeting:
    """One meeting read from another calendar's file (a single event or one instance of a series)."""

    uid: str  # "" when the file gives none: recurrence_key then identifies the meeting
    recurrence_key: str  # the instance's original start for a series, "" for a single event
    title: str
    start: datetime  # aware; midnight in the diary's zone for an all-day meeting
    end: datetime  # aware
    all_day: bool
    original_start: datetime | None  # aware; the RECURRENCE-ID of a series instance
    categories: tuple[str, ...] = ()
    cancelled: bool = False  # STATUS:CANCELLED, as some calendars mark a called-off meeting


@dataclass(frozen=True)
class SkippedEvent:
    """An event left out because it cannot be read: what the user can look for in Outlook, and why."""

    title: str
    when: str  # its start as written ("" when it has none)
    reason: str

    def __str__(self) -> str:
        return (
            f'"{self.title or "(no title)"}"' + (f" on {self.when}" if self.when else "") + f": {self.reason}"
        )


@dataclass(frozen=True)
class CalendarReading:
    """What a file holds in the window: its meetings (by start) and the events that could not be read."""

    meetings: list[CalendarMeeting]
    skipped: list[SkippedEvent] = field(default_factory=list)


class _Unreadable(Exception):
    """One event cannot be read; the reason names nothing but what the file said (already made inert)."""


def read_calendar_file(path: Path) -> bytes:
    """The file's bytes, refusing anything over the size limit before reading it whole."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError("file", str(path), f"cannot be read ({exc.strerror})") from None
    if size > MAX_FILE_BYTES:
        raise InputError(
            "file", str(path), f"is {size:,} bytes; the limit is {MAX_FILE_BYTES:,} (5 MiB): {SAVE_SHORTER}"
        )
    try:
        return read_regular_file(path, MAX_FILE_BYTES)
    except OSError as exc:
        raise InputError("file", str(path), f"cannot be read ({exc.strerror})") from None


def read_meetings(
    data: bytes,
    source: str,
    window_start: datetime,
    window_end: datetime,
    zone: ZoneInfo | None = None,
    progress: Progress | None = None,
) -> CalendarReading:
    """Every meeting in the file starting in [window_start, window_end), series expanded, and the
    events left out as unreadable.

    A floating time (no zone) is wall-clock time in `zone`, the diary's (UTC when not given). Refuses
    (InputError, naming the file) a file too big or unparsable, one with more meetings in the window
    than the limit, or one in which no event can be read.
    """
    import icalendar

    zone = zone or ZoneInfo("UTC")
    source = _safe(source)
    if len(data) > MAX_FILE_BYTES:
        raise InputError(
            "file", source, f"is {len(data):,} bytes; the limit is {MAX_FILE_BYTES:,} (5 MiB): {SAVE_SHORTER}"
        )
    # Counted before parsing, so a file of a million tiny components is refused before it costs memory.
    upper = data.upper()
    event_count = upper.count(b"BEGIN:VEVENT")
    if event_count > MAX_EVENTS:
        raise InputError(
            "file", source, f"has {event_count:,} events; the limit is {MAX_EVENTS:,}: {SAVE_SHORTER}"
        )
    component_count = upper.count(b"BEGIN:")
    if component_count > MAX_COMPONENTS:
        raise InputError(
            "file", source, f"has {component_count:,} components; the limit is {MAX_COMPONENTS:,}"
        )
    # Said plainly, before the parser quotes the file's first line back (twice) in its own words.
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").upper().startswith(b"BEGIN:VCALENDAR"):
        raise InputError("file", source, "is not an iCalendar file (it does not begin with BEGIN:VCALENDAR)")
    _report(progress, "Reading the file", 0, 0)  # parsing cannot count its way: a total of 0
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except (ValueError, KeyError, IndexError, TypeError, UnicodeDecodeError) as exc:
        raise InputError(
            "file", source, f"is not an iCalendar file that can be read ({_safe(exc)})"
        ) from None
    except OSError:  # icalendar looks a TZID up on disk, and a name like "America" is a folder there
        raise InputError("file", source, "names a time zone that cannot be read (TZID)") from None
    if not isinstance(calendar, icalendar.Calendar):
        raise InputError("file", source, "is not an iCalendar file (no VCALENDAR)")

    events = list(calendar.walk("VEVENT"))
    lone, groups = _lone_and_series(events)
    reader = _Reader(source, window_start, window_end, zone, list(calendar.walk("VTIMEZONE")))
    series = _bounded_series(groups, window_end, reader)
    total = len(lone) + len(series)
    for done, event in enumerate(lone):
        if done % 250 == 0:
            _report(progress, "Reading meetings", done, total)
        reader.read([event], False, [event])
    for done, (has_uid, components) in enumerate(series, start=len(lone)):
        if done % 25 == 0:
            _report(progress, "Reading meetings", done, total)
        reader.read_series(has_uid, components)
    _report(progress, "Reading meetings", total, total)
    if events and reader.unread == len(events):
        skipped = reader.skipped
        more = f" (and {len(skipped) - 1:,} more)" if len(skipped) > 1 else ""
        raise InputError("file", source, f"has no event that can be read: {skipped[0]}{more}")
    reader.meetings.sort(key=lambda m: (m.start, m.title))
    return CalendarReading(reader.meetings, reader.skipped)


def _lone_and_series(events: list[Any]) -> tuple[list[Any], dict[int | str, list[Any]]]:
    """Events with nothing to expand (no rule, no moved instances, their UID used once), and the rest
    grouped by UID: a series with its moved instances. An event without a UID is a group of its own."""
    uses = Counter(str(e.get("UID", "")) for e in events)
    lone: list[Any] = []
    groups: dict[int | str, list[Any]] = {}
    for event in events:
        uid = str(event.get("UID", ""))
        if uid and uses[uid] == 1 and not any(p in event for p in ("RRULE", "RDATE", "RECURRENCE-ID")):
            lone.append(event)
        else:
            groups.setdefault(uid or id(event), []).append(event)
    return lone, groups


def _bounded_series(
    groups: dict[int | str, list[Any]], window_end: datetime, reader: _Reader
) -> list[tuple[bool, list[Any]]]:
    """The groups that can be expanded, each as (has a UID, its components), their zones put on IANA
    zones; a group whose rules cannot be read, or would take the file past the step bound, is left
    out and named."""
    steps = 0
    series: list[tuple[bool, list[Any]]] = []
    for key, components in groups.items():
        try:
            group_steps = 0
            for event in components:
                _put_on_known_zones(event)
                group_steps += sum(_check_rule(r, _utc_start(event), window_end) for r in _rules(event))
            if steps + group_steps > MAX_EXPANSION_STEPS:
                raise _Unreadable(
                    f"its repeats would take over {MAX_EXPANSION_STEPS:,} steps to expand up to "
                    f"{window_end:%Y-%m-%d} (with the file's other series)"
                )
        except _Unreadable as exc:
            reader.skip(components, exc)
            continue
        except Exception as exc:  # icalendar's own errors for a property it could not parse
            reader.skip(components, _unreadable(exc))
            continue
        steps += group_steps
        series.append((isinstance(key, str), components))
    return series


def _report(progress: Progress | None, stage: str, done: int, total: int) -> None:
    if progress is not None:
        progress(stage, done, total)


class _Reader:
    """Collects the meetings in the window and the events left out, bounding how many meetings."""

    def __init__(
        self, source: str, window_start: datetime, window_end: datetime, zone: ZoneInfo, timezones: list[Any]
    ) -> None:
        self.source, self.zone, self.timezones = source, zone, timezones
        self.window_start, self.window_end = window_start, window_end
        self.meetings: list[CalendarMeeting] = []
        self.skipped: list[SkippedEvent] = []
        self.unread = 0  # events left out

    def skip(self, components: list[Any], reason: Exception | str) -> None:
        self.skipped.append(SkippedEvent(_title(components[0]), _when(components[0]), str(reason)))
        self.unread += len(components)

    def read(self, instances: Any, is_series: bool, components: list[Any]) -> None:
        try:
            found = [_meeting(i, is_series, self.zone, self.source) for i in instances]
        except _Unreadable as exc:
            self.skip(components, exc)
            return
        except OverflowError:  # a date at the edge of what Python holds, moved by a zone or a duration
            self.skip(components, _Unreadable(f"its dates are outside the years {FIRST_YEAR}-{LAST_YEAR}"))
            return
        except Exception as exc:  # icalendar's own errors for a property it could not parse
            self.skip(components, _unreadable(exc))
            return
        found = [m for m in found if self.window_start <= m.start < self.window_end]
        if len(self.meetings) + len(found) > MAX_MEETINGS:
            raise InputError(
                "file",
                self.source,
                f"has more than {MAX_MEETINGS:,} meetings between {self.window_start:%Y-%m-%d} and "
                f"{self.window_end:%Y-%m-%d}; {SAVE_SHORTER}",
            )
        self.meetings += found

    def read_series(self, has_uid: bool, components: list[Any]) -> None:
        """One series through recurring-ical-events with only its own components (and the zones), a
        little past the window's edges; one it cannot expand is left out alone."""
        import icalendar
        import recurring_ical_events

        part = icalendar.Calendar()
        for component in [*self.timezones, *components]:
            part.add_component(component)
        try:
            instances = recurring_ical_events.of(part).between(
                self.window_start - _EDGE, self.window_end + _EDGE
            )
        except Exception as exc:  # the expander's own errors for rules and dates it cannot follow
            self.skip(components, f"cannot be expanded ({type(exc).__name__})")
            return
        self.read(instances, has_uid or len(components) > 1, components)


def _unreadable(exc: Exception) -> _Unreadable:
    """An error from reading one event, said as a reason (the text is the file's, made inert)."""
    return _Unreadable(f"it cannot be read ({type(exc).__name__}: {_safe(exc)[:120]})")


def _rules(event: Any) -> Iterator[Any]:
    rules = event.get("RRULE")
    if rules is None:
        return
    yield from rules if isinstance(rules, list) else [rules]


# Text with nothing `neutralise` would change (no controls, line breaks, bidi overrides or surrogates):
# most of a real file, checked at C speed rather than a character at a time.
_INERT = re.compile("[^\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]*")


def _safe(text: object) -> str:
    """Another program's text made inert for a terminal and one line long, for keys and messages."""
    text = str(text)
    return text if _INERT.fullmatch(text) else neutralise(text, keep_newlines=False)


def _title(event: Any) -> str:
    return _safe(event.get("SUMMARY", "")).strip()


def _when(event: Any) -> str:
    """The event's start as the file writes it, for naming a skipped event (never decoded: it may not be)."""
    start = event.get("DTSTART")
    text = getattr(start, "to_ical", lambda: b"")()
    text = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
    if re.fullmatch(r"\d{8}(T\d{6}Z?)?", text):
        day = f"{text[:4]}-{text[4:6]}-{text[6:8]}"
        return day + (f" {text[9:11]}:{text[11:13]}" if "T" in text else "")
    return _safe(text)[:40]


def _utc_start(event: Any) -> datetime:
    try:
        start = event.decoded("DTSTART")
    except KeyError:
        raise _Unreadable("it has no start (DTSTART)") from None
    except (ValueError, TypeError) as exc:
        raise _Unreadable(f"its start (DTSTART) cannot be read ({_safe(exc)})") from None
    if isinstance(start, date) and not FIRST_YEAR <= start.year <= LAST_YEAR:
        raise _Unreadable(f"its start is outside the years {FIRST_YEAR}-{LAST_YEAR} the diary keeps")
    if isinstance(start, datetime):
        return start.replace(tzinfo=UTC) if start.tzinfo is None else start.astimezone(UTC)
    if isinstance(start, date):
        return datetime.combine(start, datetime.min.time(), UTC)
    # icalendar hands back the raw text of a value it could not read as a date
    raise _Unreadable(f"its start (DTSTART) is not a date ({_safe(repr(start))[:40]})")


def _check_rule(rule: Any, start: datetime, window_end: datetime) -> int:
    """Refuse a rule that cannot be right; otherwise return (at most) the steps expanding it would take.

    Readers walk a rule from its DTSTART, so a rule every second since 1990 hangs them before a single
    meeting in the window appears: the caller bounds the steps before anything is expanded.
    """
    try:
        return _rule_steps(rule, start, window_end)
    except (ValueError, TypeError, OverflowError, AttributeError) as exc:
        raise _Unreadable(f"its repeat rule (RRULE) cannot be read ({_safe(exc)})") from None


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


def _rule_steps(rule: Any, start: datetime, window_end: datetime) -> int:
    text = _safe(rule.to_ical().decode())
    for interval in rule.get("INTERVAL", []):
        if int(interval) < 1:
            raise _Unreadable(f"its RRULE {text}: INTERVAL must be at least 1")
    frequency = str((rule.get("FREQ") or ["DAILY"])[0]).upper()
    _refuse_never_matching(text, frequency, start)
    if frequency in _SUB_DAILY and "COUNT" not in rule and "UNTIL" not in rule:
        raise _Unreadable(f"its RRULE {text}: a rule more often than daily needs COUNT or UNTIL")
    end = window_end
    for until in rule.get("UNTIL", []):
        if isinstance(until, datetime):
            until_utc = until.replace(tzinfo=UTC) if until.tzinfo is None else until.astimezone(UTC)
        else:
            until_utc = datetime.combine(until, datetime.min.time(), UTC)
        end = min(end, until_utc)
    period = _PERIODS.get(frequency, _PERIODS["DAILY"]) * int((rule.get("INTERVAL") or [1])[0])
    steps = (max((end - start) // period, 0) + 1) * _candidates_per_period(rule, frequency)
    for count in rule.get("COUNT", []):
        steps = min(steps, int(count))
    return int(steps)


def _candidates_per_period(rule: Any, frequency: str) -> int:
    """At most how many instants one period of the rule offers the expander, every BY part counted: the
    expander builds each period's candidates before BYSETPOS and COUNT keep some."""
    by_day = [str(d) for d in rule.get("BYDAY", [])]
    # A plain weekday is every such day of the period (53 in a year, 5 in a month); "2TU" is one day.
    plain = sum(1 for d in by_day if not re.match(r"[+-]?\d", d))
    weekdays = plain * {"YEARLY": 53, "MONTHLY": 5}.get(frequency, 1) + (len(by_day) - plain)
    days = 1
    if rule.get("BYYEARDAY"):
        days = len(rule["BYYEARDAY"])
    elif rule.get("BYWEEKNO"):
        days = len(rule["BYWEEKNO"]) * 7
    elif rule.get("BYMONTHDAY"):
        days = len(rule["BYMONTHDAY"]) * max(len(rule.get("BYMONTH", [])), 1)
    elif by_day:
        months = len(rule.get("BYMONTH", [])) if frequency == "YEARLY" else 0
        # With BYMONTH a plain weekday is 5 days in each month named, not 53 in the year.
        days = plain * 5 * months + (len(by_day) - plain) * months if months else weekdays
    elif rule.get("BYMONTH") and frequency == "YEARLY":
        days = len(rule["BYMONTH"])
    if frequency in ("DAILY", *_SUB_DAILY):
        days = 1  # BY parts only filter a day's own instants
    for part in ("BYHOUR", "BYMINUTE", "BYSECOND"):
        days *= max(len(rule.get(part, [])), 1)
    return max(days, 1)


# -- time zones ---------------------------------------------------------------------------------------------
_DATED = ("DTSTART", "DTEND", "RECURRENCE-ID")
_DATE_LISTS = ("EXDATE", "RDATE")
_DISPLAY_NAME = re.compile(r"\(\s*(?:UTC|GMT)\s*(?:([+-])\s*(\d{1,2}):?(\d{2}))?\s*\)\s*(.*)", re.IGNORECASE)
# "UTC+01", "GMT-05:00": a fixed offset, which IANA names Etc/GMT-1, Etc/GMT+5 (the sign reversed).
_FIXED_OFFSET = re.compile(r"(?:UTC|GMT)\s*([+-])\s*(\d{1,2})(?::?00)?", re.IGNORECASE)
_ALIASES = {"coordinated universal time": "UTC", "greenwich mean time": "Europe/London"}


def _put_on_known_zones(event: Any) -> None:
    """Every date-time of the event on an IANA zone where its TZID names one, as Outlook reads them:
    an IANA name, a Windows zone name ("GMT Standard Time", through the CLDR table icalendar ships) or
    a display name Exchange writes without a VTIMEZONE ("(UTC-05:00) Eastern Time (US & Canada)").
    A TZID that is none of these is used through the file's own VTIMEZONE; with none, the event is left
    out, named. Floating times are left floating (the diary's zone is put on them after expanding)."""
    for name in _DATED:
        if name in event:
            try:
                value = event.decoded(name)
            except (ValueError, TypeError) as exc:
                raise _Unreadable(f"its {name} cannot be read ({_safe(exc)})") from None
            rezoned = _rezoned(value, _tzid(event[name]))
            if rezoned is not value:
                params = {k: v for k, v in event[name].params.items() if k != "TZID"}
                event.pop(name)
                event.add(name, rezoned, parameters=params or None)
    for name in _DATE_LISTS:
        if name not in event:
            continue
        groups = event[name] if isinstance(event[name], list) else [event[name]]
        changed, values = False, []
        for group in groups:
            tzid = _tzid(group)
            dates = []
            for item in getattr(group, "dts", []):
                value = item.dt
                rezoned = _rezoned(value, tzid) if not isinstance(value, tuple) else value
                changed |= rezoned is not value
                dates.append(rezoned)
            values.append(dates)
        if changed:
            event.pop(name)
            for dates in values:
                if dates:
                    event.add(name, dates)


def _tzid(prop: Any) -> str:
    params = getattr(prop, "params", {}) or {}
    return str(params.get("TZID", "")).strip().strip('"')


def _rezoned(value: Any, tzid: str) -> Any:
    """`value` on the IANA zone its TZID names, `value` itself where nothing needs changing."""
    if not isinstance(value, datetime) or not tzid:
        return value
    if value.tzinfo is not None and isinstance(value.tzinfo, ZoneInfo):
        return value
    known = zone_named(tzid)
    if known is not None:
        return value.replace(tzinfo=known)
    if value.tzinfo is None:  # a TZID no VTIMEZONE defines and no table names
        raise _Unreadable(f"its time zone {_safe(tzid)!r} is not one Outlook or the file defines")
    return value  # a custom zone: the file's own VTIMEZONE gives its offsets


@cache
def zone_named(tzid: str) -> ZoneInfo | None:
    """The IANA zone a TZID names: an IANA name, a Windows zone name, or a Windows display name whose
    stated standard offset agrees with the zone found; None when it names none of these."""
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

    name = tzid.strip().strip('"')
    if name in WINDOWS_TO_OLSON:
        return _zone(WINDOWS_TO_OLSON[name])
    if name in _iana_names():
        return _zone(name)
    fixed = _FIXED_OFFSET.fullmatch(name)
    if fixed is not None:
        whole = int(fixed.group(2))
        flipped = "-" if fixed.group(1) == "+" else "+"
        return _zone("Etc/UTC" if whole == 0 else f"Etc/GMT{flipped}{whole}")
    match = _DISPLAY_NAME.fullmatch(name)
    if match is None:
        return None
    sign, hours, minutes, rest = match.groups()
    offset = timedelta(hours=int(hours or 0), minutes=int(minutes or 0)) * (-1 if sign == "-" else 1)
    for candidate in _display_name_candidates(rest, WINDOWS_TO_OLSON):
        zone = _zone(candidate)
        if zone is not None and _standard_offset(zone) == offset:
            return zone
    return None


def _display_name_candidates(rest: str, windows: dict[str, str]) -> Iterator[str]:
    """IANA names a display name's text may mean: "Eastern Time (US & Canada)" is Windows's "Eastern
    Standard Time"; "Dublin, Edinburgh, Lisbon, London" names cities that are IANA zones."""
    bare = re.sub(r"\([^)]*\)", "", rest).strip()
    # Windows shortens a compass point in its zone names: "West Central Africa" is "W. Central Africa".
    short = re.sub(r"^(West|East|North|South)\b", lambda m: m.group(1)[0] + ".", bare)
    for words in (bare, rest.strip(), short):
        if words.casefold() in _ALIASES:
            yield _ALIASES[words.casefold()]
        for windows_name in (words, f"{words} Standard Time", re.sub(r"\bTime\b", "Standard Time", words)):
            if windows_name in windows:
                yield windows[windows_name]
    cities = _iana_cities()
    for city in re.split(r"[,:/]", bare):
        key = "_".join(city.split()).casefold()
        if key in cities:
            yield cities[key]


def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def _standard_offset(zone: ZoneInfo) -> timedelta | None:
    """The zone's standard offset, as Windows display names state it: the lesser of winter and summer."""
    offsets = [zone.utcoffset(datetime(2024, month, 1)) for month in (1, 7)]
    return min(o for o in offsets if o is not None)


@cache
def _iana_names() -> frozenset[str]:
    return frozenset(available_timezones())


@cache
def _iana_cities() -> dict[str, str]:
    """IANA zones by their last part ("london" -> "Europe/London"), preferring the canonical areas."""
    found: dict[str, str] = {}
    for name in sorted(_iana_names(), key=lambda n: (n.startswith(("Etc/", "US/", "SystemV/")), n)):
        found.setdefault(name.rsplit("/", 1)[-1].casefold(), name)
    return found


# -- one meeting --------------------------------------------------------------------------------------------
def _meeting(instance: Any, is_series: bool, zone: ZoneInfo, source: str) -> CalendarMeeting:
    uid = _safe(instance.get("UID", ""))
    try:
        # A lone event keeps its TZIDs (an expanded instance was put on known zones before expanding).
        start = _rezoned(instance.decoded("DTSTART"), _tzid(instance["DTSTART"]))
        end = _rezoned(instance.decoded("DTEND"), _tzid(instance["DTEND"])) if "DTEND" in instance else None
    except KeyError:
        raise _Unreadable("it has no start (DTSTART)") from None
    except (ValueError, TypeError) as exc:
        raise _Unreadable(f"its start or end cannot be read ({_safe(exc)})") from None
    if not isinstance(start, date):  # icalendar hands back the raw text of a value it could not read
        raise _Unreadable(f"its start (DTSTART) is not a date ({_safe(repr(start))[:40]})")
    if not FIRST_YEAR <= start.year <= LAST_YEAR:
        raise _Unreadable(f"its start is outside the years {FIRST_YEAR}-{LAST_YEAR} the diary keeps")
    all_day = not isinstance(start, datetime)
    if not isinstance(start, datetime):
        start = datetime.combine(start, datetime.min.time(), zone)
        if isinstance(end, date) and not isinstance(end, datetime):
            end = datetime.combine(end, datetime.min.time(), zone)
        else:
            end = start + timedelta(days=1)
    else:
        start = _aware(start, zone)
        end = _aware(end, zone) if isinstance(end, datetime) else start + _duration(instance)
    original, key = None, ""
    if is_series and "RECURRENCE-ID" in instance:
        recurrence = instance.decoded("RECURRENCE-ID")
        if isinstance(recurrence, datetime):
            original = _aware(recurrence, zone)
            key = original.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        elif isinstance(recurrence, date):  # an all-day series: the instance's original day
            original = datetime.combine(recurrence, datetime.min.time(), zone)
            key = recurrence.strftime("%Y%m%d")
    title = _safe(instance.get("SUMMARY", "")).strip()
    if not uid:
        # No UID: what identifies the meeting is its title, start and file. The UID stays empty, which no
        # event with a UID has, so such a key never meets a real one.
        identity = f"{title}\n{start.astimezone(UTC):%Y%m%dT%H%M%SZ}\n{Path(source).name}"
        key = "no-uid:" + hashlib.sha256(identity.encode()).hexdigest()[:32]
    categories = tuple(_safe(c) for c in instance.categories) if "CATEGORIES" in instance else ()
    cancelled = str(instance.get("STATUS", "")).upper() == "CANCELLED"
    return CalendarMeeting(uid, key, title, start, end, all_day, original, categories, cancelled)


def _duration(instance: Any) -> timedelta:
    try:
        duration = instance.decoded("DURATION") if "DURATION" in instance else None
    except (ValueError, TypeError):
        duration = None
    return duration if isinstance(duration, timedelta) else timedelta(hours=1)


def _aware(moment: datetime, zone: ZoneInfo) -> datetime:
    """A floating time is wall-clock time in the diary's zone; anything else keeps its own. A wall time
    its zone's clocks skip (01:30 on 29 March in London) is read with the offset before the gap, as RFC
    5545 3.3.5 says, and given as the clocks show that moment (02:30 BST): as written, it was previewed
    as 01:30 GMT, a time no clock showed, and logged at 02:30."""
    aware = moment.replace(tzinfo=zone) if moment.tzinfo is None else moment
    return aware.astimezone(UTC).astimezone(aware.tzinfo)
