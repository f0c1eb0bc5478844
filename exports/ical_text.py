"""The export's events written as iCalendar text directly, byte for byte as icalendar writes them.

icalendar builds a component, a property and a parameter object for every line and folds each line a
character at a time in Python: about 1 ms a series, most of a council's export of 200. The events we
write have one fixed shape (text, dates in a zone, an RRULE, a few constants), so they are written here
as text; icalendar stays the serialiser of record: it writes the calendar around them (the header and
the VTIMEZONEs), each RRULE value, the alarm's TRIGGER and each zone's form of a date-time, and a test
holds this writer to icalendar's own bytes for the same events (tests/cli/test_ical_export.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Alarm, Event

_FOLD_AT = 75  # octets a line holds before it is folded (RFC 5545 3.1), as icalendar counts them


@dataclass(frozen=True)
class EventText:
    """What one VEVENT says, before it is written (by this module, or by icalendar for the test)."""

    tz: str  # the series' zone, whose TZID its dates carry
    uid: str
    sequence: int
    stamp: datetime  # UTC: DTSTAMP and LAST-MODIFIED
    summary: str
    start: datetime  # aware, in the series' zone
    end: datetime
    location: str
    description: str
    category: str
    rrule: str = ""  # a master's RRULE value, as icalendar writes it
    recurrence_id: datetime | None = None  # an override's
    exdates: tuple[datetime, ...] = ()
    alarm_minutes: int | None = None  # a reminder this long before; None for none


def escape(text: str) -> str:
    """TEXT escaped as icalendar escapes it (the order matters: see its `_escape_char`)."""
    return (
        text.replace(r"\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", r"\;")
        .replace(",", r"\,")
        .replace("\r\n", r"\n")
        .replace("\n", r"\n")
        .replace("\r", r"\n")
    )


def fold(line: str) -> str:
    """A content line folded as icalendar folds it: after 74 octets, never splitting a character, and
    never leaving an escaping backslash (or a caret) at the end of a line."""
    if len(line) < _FOLD_AT and line.isascii():
        return line  # nearly every line
    folded: list[str] = []
    current: list[str] = []
    count = 0
    for char in line:
        size = len(char.encode("utf-8"))
        if current and count + size >= _FOLD_AT:
            if len(current) > 1 and current[-1] in "\\^":
                kept = current.pop()
                folded.append("".join(current))
                current, count = [kept], len(kept.encode("utf-8"))
            else:
                folded.append("".join(current))
                current, count = [], 0
        current.append(char)
        count += size
    if current:
        folded.append("".join(current))
    return "\r\n ".join(folded)


@dataclass(frozen=True)
class MomentForm:
    """How icalendar writes a date-time of one zone: its parameters (";TZID=...") and whether the value
    ends in Z (UTC), read off icalendar itself (see `moment_form`)."""

    parameters: str
    utc: bool

    def value(self, moment: datetime) -> str:
        return f"{moment:%Y%m%dT%H%M%S}" + ("Z" if self.utc else "")


@lru_cache(maxsize=64)
def moment_form(tz: str) -> MomentForm:
    """icalendar's own form of a date-time in `tz`: a one-line event written by it, read back."""
    probe = Event()
    probe.add("dtstart", datetime(2000, 1, 1, tzinfo=ZoneInfo(tz)))
    written: bytes = probe.to_ical()
    line = next(text for text in written.decode().split("\r\n") if text.startswith("DTSTART"))
    head, _, value = line.partition(":")
    return MomentForm(head[len("DTSTART") :], value.endswith("Z"))


def alarm(title: str, minutes: int) -> Alarm:
    """A reminder `minutes` before the meeting, as icalendar makes it."""
    made = Alarm()
    made.add("action", "DISPLAY")
    made.add("description", title)
    made.add("trigger", timedelta(minutes=-minutes))
    return made


@lru_cache(maxsize=64)
def trigger_line(minutes: int) -> str:
    """The alarm's TRIGGER line for a reminder `minutes` before, read off an alarm icalendar wrote."""
    written: bytes = alarm("", minutes).to_ical()
    return next(line for line in written.decode().split("\r\n") if line.startswith("TRIGGER"))


def event_text(event: EventText, zone_form: MomentForm, utc_form: MomentForm) -> str:
    """One VEVENT, its properties in icalendar's order (its canonical ones, then alphabetical)."""
    lines = [
        "BEGIN:VEVENT",
        f"SUMMARY:{escape(event.summary)}",
        f"DTSTART{zone_form.parameters}:{zone_form.value(event.start)}",
        f"DTEND{zone_form.parameters}:{zone_form.value(event.end)}",
        f"DTSTAMP{utc_form.parameters}:{utc_form.value(event.stamp)}",
        f"UID:{escape(event.uid)}",
    ]
    if event.recurrence_id is not None:
        lines.append(f"RECURRENCE-ID{zone_form.parameters}:{zone_form.value(event.recurrence_id)}")
    lines.append(f"SEQUENCE:{event.sequence}")
    if event.rrule:
        lines.append(f"RRULE:{event.rrule}")
    if event.exdates:
        values = ",".join(zone_form.value(moment) for moment in event.exdates)
        lines.append(f"EXDATE{zone_form.parameters}:{values}")
    lines.append(f"CATEGORIES:{escape(event.category)}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape(event.description)}")
    lines.append(f"LAST-MODIFIED{utc_form.parameters}:{utc_form.value(event.stamp)}")
    if event.location:
        lines.append(f"LOCATION:{escape(event.location)}")
    lines += ["STATUS:CONFIRMED", "TRANSP:OPAQUE"]
    if event.alarm_minutes is not None:
        lines += [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{escape(event.summary)}",
            trigger_line(event.alarm_minutes),
            "END:VALARM",
        ]
    lines.append("END:VEVENT")
    return "".join(fold(line) + "\r\n" for line in lines)
