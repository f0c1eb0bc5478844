"""Writing scheduled commitments as one iCalendar file that Outlook (and every other reader) imports cleanly.

Each schedule version is one series: a master VEVENT with its stored UID and SEQUENCE, an RRULE kept to
the patterns Microsoft's MS-OXCICAL maps, EXDATEs for cancelled meetings and an override VEVENT (same
UID, RECURRENCE-ID) for each moved one. Times are local with a TZID and one VTIMEZONE per zone, written in
the shape Outlook reads: one STANDARD and one DAYLIGHT block with yearly rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vRecur

from los_tui.domain.model import Commitment, OccurrenceLog, Schedule, Status
from los_tui.domain.moments import end_after, instant, is_repeated, on_the_clock
from los_tui.domain.recurrence import (
    UTC,
    exchange_form,
    expand,
    join_parts,
    last_start,
    next_starts,
    outlook_problem,
    rule_parts,
    schedule_problem,
)

PRODID = "-//los-tui//Line of sight diary//EN"
# VTIMEZONE rules are stated from a date before anything we export, as Outlook itself does.
_TZ_RULE_YEAR = 1970
NOT_SCHEDULED = "not scheduled"


@dataclass(frozen=True)
class LeftOut:
    """A commitment (or one schedule version of it) that is not in the file, and why."""

    slug: str
    title: str
    reason: str


@dataclass(frozen=True)
class IcalExport:
    data: bytes
    series: int  # master VEVENTs written
    overrides: int  # moved (or annotated) occurrences written as override VEVENTs
    cancelled: int  # EXDATEs written
    left_out: tuple[LeftOut, ...]


def export_calendar(
    commitments: Iterable[Commitment],
    logs: Iterable[OccurrenceLog],
    now: datetime,
    calendar_name: str,
    include_notes: bool = False,
    alarm_minutes: int | None = None,
) -> IcalExport:
    """The .ics bytes for the commitments' schedules, with cancellations and moves from `logs`.

    `logs` should hold every log of these commitments; ad hoc entries among them are not exported (they
    are meetings that are already in the user's calendar, or one-offs no schedule made).
    """
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", calendar_name)
    # Only a cancelled, moved or (with notes) annotated meeting changes the calendar; the starts of a
    # series are expanded only across those (twenty years of every series would be most of the work).
    by_start: dict[tuple[str, datetime], OccurrenceLog] = {
        (log.commitment_slug, log.original_start.astimezone(UTC)): log
        for log in logs
        if log.original_start is not None and changes_calendar(log, include_notes)
    }
    logged_starts: dict[str, list[datetime]] = {}
    for slug, start in sorted(by_start):
        logged_starts.setdefault(slug, []).append(start)
    zones: set[str] = set()
    events: list[Event] = []
    left_out: list[LeftOut] = []
    series = overrides = cancelled = 0
    for commitment in commitments:
        if not commitment.is_scheduled:
            left_out.append(LeftOut(commitment.slug, commitment.title, NOT_SCHEDULED))
            continue
        for index, version in enumerate(commitment.schedules):
            which = f"its schedule from {version.first_day:%d %b %Y}" if index else "its schedule"
            unusable = schedule_problem(version)
            if unusable is not None:
                reason = f"{which} has a stored rule los cannot use ({version.rrule}): {unusable}"
                left_out.append(LeftOut(commitment.slug, commitment.title, reason))
                continue
            problem = outlook_problem(version.rrule, version.start)
            if problem is not None:
                reason = f"Outlook cannot import {which} ({version.rrule}): {problem}"
                left_out.append(LeftOut(commitment.slug, commitment.title, reason))
                continue
            ends = _version_ends(commitment, index)
            first = _first_start(version, ends)
            if first is None:
                continue  # superseded before it produced a meeting: nothing to show anywhere
            rule = _series_rule(version, first, ends)
            master = _event(commitment, version, first, now, alarm_minutes)
            master.add("rrule", vRecur.from_ical(rule))
            exdates: list[datetime] = []
            moved_or_noted: list[Event] = []
            for start in _starts_logged(version, first, ends, logged_starts.get(commitment.slug, [])):
                log = by_start.get((commitment.slug, start.astimezone(UTC)))
                if log is None:
                    continue
                if log.status is Status.CANCELLED:
                    exdates.append(start)
                    continue
                note = _note_text(log) if include_notes else ""
                moved_to = log.start if log.start is not None and log.start != start else None
                if moved_to is None and not note:
                    continue
                override = _event(
                    commitment, version, moved_to or start, now, alarm_minutes, note, alone=True
                )
                override.add("recurrence-id", start)
                moved_or_noted.append(override)
            if exdates:
                master.add("exdate", exdates)
            events += [master, *moved_or_noted]
            series += 1
            overrides += len(moved_or_noted)
            cancelled += len(exdates)
            zones.add(version.tz)
    for tz in sorted(zones):
        calendar.add_component(outlook_timezone(tz, now.year))
    for event in events:
        calendar.add_component(event)
    return IcalExport(calendar.to_ical(), series, overrides, cancelled, tuple(left_out))


def _version_ends(commitment: Commitment, index: int) -> datetime | None:
    """The aware moment a schedule version stops: the next version's first day, or retirement."""
    version = commitment.schedules[index]
    zone = ZoneInfo(version.tz)
    ends: list[datetime] = []
    if index + 1 < len(commitment.schedules):
        ends.append(datetime.combine(commitment.schedules[index + 1].first_day, time(0), zone))
    if commitment.retired_on is not None:
        ends.append(datetime.combine(commitment.retired_on, time(0), zone))
    return min(ends) if ends else None


def _first_start(version: Schedule, ends: datetime | None) -> datetime | None:
    """The series' DTSTART: its first real occurrence on or after the version's first day.

    RFC 5545 counts DTSTART as an occurrence even where the rule does not produce it, and a version may
    start after its rule's own start; taking the first produced start keeps every reader in step.
    """
    zone = ZoneInfo(version.tz)
    found = next_starts(version, datetime.combine(version.first_day, time(0), zone), 1)
    if not found or (ends is not None and found[0] >= ends):
        return None
    return found[0]


def changes_calendar(log: OccurrenceLog, include_notes: bool) -> bool:
    """Whether the log's meeting is exported as other than its series says: cancelled (an EXDATE), or
    moved or annotated (an override)."""
    if log.original_start is None:
        return False
    moved = log.start is not None and log.start != log.original_start
    noted = include_notes and bool(log.note or log.questions)
    return log.status is Status.CANCELLED or moved or noted


def _starts_logged(
    version: Schedule, first: datetime, ends: datetime | None, logged: list[datetime]
) -> list[datetime]:
    """The version's starts before it ends, from the first to the last of `logged` (sorted, UTC) only.
    An open-ended version reaches twenty years: logs are only written against occurrences the agenda
    has shown."""
    last = ends or first + timedelta(days=20 * 366)
    inside = [start for start in logged if first <= start < last]
    if not inside:
        return []
    return expand(version, max(first, inside[0]), min(last, inside[-1] + timedelta(microseconds=1)))


def _series_rule(version: Schedule, first: datetime, ends: datetime | None) -> str:
    """The RRULE value for one version, in the form Exchange writes (`BYDAY=2TU`, not `BYDAY=TU;
    BYSETPOS=2`), cut with an UNTIL (UTC) just before `ends`.

    A COUNT becomes the UNTIL of its last meeting, since DTSTART may be later than the rule's own start
    and a COUNT would then count from the wrong place (and never COUNT and UNTIL together).
    """
    parts = rule_parts(exchange_form(version.rrule))
    cut = None if ends is None else (ends - timedelta(seconds=1)).astimezone(UTC)
    if "COUNT" in parts:
        del parts["COUNT"]
        last = last_start(version).astimezone(UTC)
        cut = last if cut is None else min(cut, last)
    if "UNTIL" in parts:
        own = datetime.strptime(parts["UNTIL"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        cut = own if cut is None else min(cut, own)
    if cut is not None:
        parts["UNTIL"] = cut.strftime("%Y%m%dT%H%M%SZ")
    return join_parts(parts)


def as_read_back(local: datetime) -> datetime:
    """`local`, written so that a reader takes back its instant: with its zone, except a wall time the
    clocks repeat (or skip), which is written in UTC: RFC 5545 3.3.5 takes a repeated one as the first,
    but ical.js takes it as the second, so only UTC is read back the same by every reader."""
    return local.astimezone(UTC) if is_repeated(local) else local


def _event(
    commitment: Commitment,
    version: Schedule,
    start: datetime,
    now: datetime,
    alarm_minutes: int | None,
    note: str = "",
    alone: bool = False,
) -> Event:
    zone = ZoneInfo(version.tz)
    local = start.astimezone(zone)
    event = Event()
    event.add("uid", version.uid)
    event.add("sequence", version.sequence)
    event.add("dtstamp", now.astimezone(UTC))
    event.add("last-modified", now.astimezone(UTC))
    event.add("summary", commitment.title)
    # A series keeps its zone whatever its first start: in UTC it would recur at one UTC time all year.
    event.add("dtstart", as_read_back(local) if alone else local)
    event.add("dtend", _end(local, version.duration, zone, alone))
    if version.location:
        event.add("location", version.location)
    description = _description(commitment, note)
    if description:
        event.add("description", description)
    event.add("categories", [commitment.role.label])
    event.add("transp", "OPAQUE")
    event.add("status", "CONFIRMED")
    if alarm_minutes is not None:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", commitment.title)
        alarm.add("trigger", timedelta(minutes=-alarm_minutes))
        event.add_component(alarm)
    return event


def _end(local: datetime, length: timedelta, zone: ZoneInfo, alone: bool) -> datetime:
    """DTEND for a meeting of `length` from `local`, so that readers end it when the agenda does.

    Calendars add a meeting's length on the wall clock, and so does the agenda (`end_after`): 90
    minutes from 00:30 BST on the day the clocks go back end at 02:00 GMT. A meeting `alone` is read as
    written, so its DTEND is that end. A series' DTEND only gives readers the length, which they add to
    each meeting's start: RFC 5545 3.8.5.3 (and ical.js, and Outlook, which keeps minutes) measure it in
    elapsed time from DTSTART, recurring-ical-events by subtracting the two as Python does, on the wall
    clock when both are of one zone. So a series' DTEND is DTSTART plus the length in elapsed time, in
    UTC where the clocks change between the two, where both measures agree: a wall-clock DTEND gave
    ical.js two and a half hours for every meeting of a series that began on that day.
    """
    if alone:
        return as_read_back(end_after(local, length, zone))
    end = on_the_clock(instant(local) + length, zone)
    return end.astimezone(UTC) if end.utcoffset() != local.utcoffset() else as_read_back(end)


def _description(commitment: Commitment, note: str) -> str:
    lines = []
    if commitment.with_whom:
        lines.append(f"With: {commitment.with_whom}")
    if commitment.wording:
        lines.append(f"Protocol: {commitment.wording}")
    if note:
        lines.append(note)
    return "\n\n".join(lines)


def _note_text(log: OccurrenceLog) -> str:
    parts = []
    if log.note:
        parts.append(f"Notes: {log.note}")
    if log.questions:
        parts.append(f"Questions: {log.questions}")
    return "\n\n".join(parts)


def outlook_timezone(tz: str, year: int) -> Timezone:
    """A VTIMEZONE for `tz` as Outlook writes and reads them: the rules in force in `year`, one STANDARD
    and one DAYLIGHT block, each with a yearly RRULE (no RDATE lists).

    The rules are read off the zone's own transitions in `year`, so they come from tzdata, not from us.
    """
    zone = ZoneInfo(tz)
    timezone = Timezone()
    timezone.add("tzid", tz)
    transitions = _transitions(zone, year)
    if len(transitions) != 2:
        standard = TimezoneStandard()
        offset = datetime(year, 1, 1, tzinfo=zone).utcoffset() or timedelta(0)
        standard.add("dtstart", datetime(_TZ_RULE_YEAR, 1, 1))
        standard.add("tzoffsetfrom", offset)
        standard.add("tzoffsetto", offset)
        timezone.add_component(standard)
        return timezone
    for before, after, moment in transitions:
        block = TimezoneDaylight() if after > before else TimezoneStandard()
        local = (moment + before).replace(tzinfo=None)  # wall time on the old offset, as RFC 5545 says
        ordinal = -1 if (local + timedelta(days=7)).month != local.month else (local.day - 1) // 7 + 1
        weekday = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][local.weekday()]
        block.add("dtstart", _nth_weekday(_TZ_RULE_YEAR, local.month, local.weekday(), ordinal, local.time()))
        block.add("rrule", vRecur.from_ical(f"FREQ=YEARLY;BYMONTH={local.month};BYDAY={ordinal}{weekday}"))
        block.add("tzoffsetfrom", before)
        block.add("tzoffsetto", after)
        block.add("tzname", moment.replace(tzinfo=UTC).astimezone(zone).tzname())
        timezone.add_component(block)
    return timezone


def _transitions(zone: ZoneInfo, year: int) -> list[tuple[timedelta, timedelta, datetime]]:
    """(offset before, offset after, UTC moment) of each change of offset in `year`."""
    found = []
    moment = datetime(year, 1, 1, tzinfo=UTC)
    previous = moment.astimezone(zone).utcoffset()
    while moment.year == year:
        moment += timedelta(hours=1)
        offset = moment.astimezone(zone).utcoffset()
        if offset != previous and offset is not None and previous is not None:
            found.append((previous, offset, moment.replace(tzinfo=None)))
        previous = offset
    return found


def _nth_weekday(year: int, month: int, weekday: int, ordinal: int, at: time) -> datetime:
    if ordinal > 0:
        first = date(year, month, 1)
        day = first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (ordinal - 1))
    else:
        last = (date(year, month, 28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        day = last - timedelta(days=(last.weekday() - weekday) % 7)
    return datetime.combine(day, at)
