"""Turning domain objects into the command line's JSON and text."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from los_tui.domain.day_text import day_text, span_text
from los_tui.domain.model import Commitment, Occurrence, Schedule
from los_tui.domain.moments import on_the_clock
from los_tui.domain.recurrence import describe, outlook_problem, unusable_schedules
from los_tui.domain.safe_text import neutralise


def iso(moment: datetime | None, tz: str) -> str | None:
    """An ISO date-time with its UTC offset, in the user's zone."""
    return None if moment is None else on_the_clock(moment, ZoneInfo(tz)).isoformat(timespec="minutes")


def day_or_moment(moment: datetime | None, tz: str, all_day: bool) -> str | None:
    """An all-day meeting's day as a date (as in iCalendar, its end is the day after the last), else
    the date-time with its offset: a midnight with an offset would read as a time it never had."""
    if moment is None or not all_day:
        return iso(moment, tz)
    return moment.astimezone(ZoneInfo(tz)).date().isoformat()


def schedule_json(schedule: Schedule | None) -> dict[str, Any] | None:
    if schedule is None:
        return None
    start = schedule.start.replace(tzinfo=ZoneInfo(schedule.tz))
    return {
        "rrule": schedule.rrule,
        "start": start.isoformat(timespec="minutes"),
        "duration_minutes": schedule.duration_minutes,
        "location": schedule.location,
        "tz": schedule.tz,
        "from": schedule.first_day.isoformat(),
        "uid": schedule.uid,
        "sequence": schedule.sequence,
        "description": describe(schedule),
    }


def commitment_json(commitment: Commitment) -> dict[str, Any]:
    return {
        "slug": commitment.slug,
        "title": commitment.title,
        "factors": list(commitment.factors),
        "role": commitment.role.value,
        "frequency": commitment.frequency.value,
        "wording": commitment.wording,
        "with": commitment.with_whom,
        "joint": commitment.joint_slug,
        "retired_on": commitment.retired_on.isoformat() if commitment.retired_on else None,
        "quarterly_targets": [
            {"from": t.effective_from.isoformat() if t.effective_from else None, "target": t.count}
            for t in commitment.targets
        ],
        "schedule": schedule_json(commitment.current_schedule),
        "schedule_history": [schedule_json(s) for s in commitment.schedules[:-1]],
    }


def occurrence_json(occurrence: Occurrence, tz: str, include_notes: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "commitment": occurrence.commitment_slug,
        "title": occurrence.title,
        "role": occurrence.role.value,
        "start": day_or_moment(occurrence.start, tz, occurrence.all_day),
        "end": day_or_moment(occurrence.end, tz, occurrence.all_day),
        "all_day": occurrence.all_day,
        "status": occurrence.status_label,
        "adhoc": occurrence.is_adhoc,
        "original_start": day_or_moment(occurrence.original_start, tz, occurrence.all_day),
        "moved": occurrence.is_moved,
        "location": occurrence.location,
        "has_note": bool(occurrence.note),
        "difference": occurrence.difference,  # written for reports, unlike the note
    }
    if include_notes:
        data["note"] = occurrence.note
        data["questions"] = occurrence.questions
    return data


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def occurrence_line(occurrence: Occurrence, tz: str, now: datetime | None = None) -> str:
    """One line for a listing; given `now`, a past meeting with nothing logged shows as "unlogged"."""
    zone = ZoneInfo(tz)
    if occurrence.all_day:
        when = f"{day_text(on_the_clock(occurrence.start, zone).date())}  all day    "
    else:
        when = span_text(occurrence.start, occurrence.end, zone)
    flags = " (ad hoc)" if occurrence.is_adhoc else (" (moved)" if occurrence.is_moved else "")
    status = occurrence.status_word(now) if now is not None else occurrence.status_label
    return (
        f"{when}  {status:<10} {occurrence.role.upper():<4} "  # a StrEnum's text is its value
        f"{_one_line(occurrence.title)}{flags}  [{occurrence.commitment_slug}]"
    )


@lru_cache(maxsize=1024)
def _one_line(title: str) -> str:
    """A title made inert on one line; a listing shows each commitment's title many times."""
    return neutralise(title, keep_newlines=False)


def notes_lines(occurrence: Occurrence) -> list[str]:
    """The note and the questions under an agenda line, indented, shown inert (they are user text)."""
    lines = []
    for label, text in (("Note", occurrence.note), ("Questions", occurrence.questions)):
        if text and text.strip():
            body = neutralise(text).splitlines()
            lines.append(f"    {label}: {body[0]}")
            lines += [f"      {line}" for line in body[1:]]
    return lines


def warn_outlook(schedule: Schedule) -> None:
    """Say on stderr when Outlook could not hold a new schedule: it is kept, but left out of exports."""
    problem = outlook_problem(schedule.rrule, schedule.start)
    if problem is not None:
        print(
            f"los: warning: Outlook cannot import this schedule ({problem}); "
            "`los export ics` will leave it out and list it",
            file=sys.stderr,
        )


def warn_unusable(commitments: list[Commitment]) -> None:
    """Name on stderr every stored schedule that is skipped because its rule fails the check."""
    for unusable in unusable_schedules(commitments):
        print(f"los: warning: {neutralise(str(unusable), keep_newlines=False)}", file=sys.stderr)
