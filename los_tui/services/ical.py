"""iCalendar use cases: the diary's schedules out to Outlook, and attendance filled in from Outlook's export.

icalendar and recurring-ical-events are imported inside the functions that need them, so the rest of the
command line never pays for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from los_tui.db.queries import to_utc_naive
from los_tui.db.schema import CommitmentRow, ImportedEventRow
from los_tui.domain.model import Commitment, Occurrence, Role, Status
from los_tui.domain.parsing import InputError
from los_tui.domain.safe_text import neutralise
from los_tui.exports.ical_reader import (
    CalendarMeeting,
    Progress,
    SkippedEvent,
    read_calendar_file,
    read_meetings,
)

if TYPE_CHECKING:
    from los_tui.exports.ical import IcalExport
    from los_tui.services.diary import Diary

MAX_ALARM_MINUTES = 7 * 24 * 60
_FAR_PAST = datetime(1900, 1, 1, tzinfo=UTC)
_FAR_FUTURE = datetime(2300, 1, 1, tzinfo=UTC)
IMPORT_WINDOW = timedelta(days=366)  # how far back an import looks for meetings that happened


# -- export -----------------------------------------------------------------------------------------------
def calendar_name(diary: Diary, role: Role | None) -> str:
    choice = role.value if role else (diary.role_choice() or "both")
    label = "LMCS and DCS" if choice == "both" else choice.upper()
    return f"Line of sight: {label}"


def export_ics(
    diary: Diary,
    role: Role | None = None,
    slugs: list[str] | None = None,
    include_notes: bool = False,
    alarm_minutes: int | None = None,
) -> IcalExport:
    """The diary's schedules (all, one role's, or the named commitments') as an Outlook-ready .ics."""
    from los_tui.exports.ical import export_calendar

    if alarm_minutes is not None and not 0 <= alarm_minutes <= MAX_ALARM_MINUTES:
        raise InputError("--alarm", alarm_minutes, f"must be between 0 and {MAX_ALARM_MINUTES} minutes")
    commitments = diary.commitments(role, include_retired=True)
    if slugs:
        known = {c.slug for c in commitments}
        for slug in slugs:
            if slug not in known:
                diary.commitment(slug)  # names an unknown slug ...
                raise InputError("--commitment", slug, f"is not one of --role {role}'s commitments")
        commitments = [c for c in commitments if c.slug in slugs]
    logs = diary.logs(_FAR_PAST, _FAR_FUTURE, [c.slug for c in commitments])
    return export_calendar(
        commitments, logs, diary.clock(), calendar_name(diary, role), include_notes, alarm_minutes
    )


# -- import -----------------------------------------------------------------------------------------------
class Outcome(StrEnum):
    OCCURRENCE = "occurrence"  # log the diary's scheduled occurrence as attended
    ADHOC = "adhoc"  # record an ad hoc entry, attended
    ALREADY_IMPORTED = "already imported"
    ALREADY_LOGGED = "already logged"
    CANCELLED = "cancelled"  # the calendar itself says it was called off: never logged as attended
    UNMATCHED = "unmatched"


@dataclass(frozen=True)
class Proposal:
    meeting: CalendarMeeting
    outcome: Outcome
    commitment_slug: str | None = None
    occurrence: Occurrence | None = None  # the diary's occurrence, for OCCURRENCE and ALREADY_LOGGED
    reason: str = ""

    @property
    def changes_diary(self) -> bool:
        return self.outcome in (Outcome.OCCURRENCE, Outcome.ADHOC)


@dataclass(frozen=True)
class ImportPlan:
    source: str
    window_start: datetime
    window_end: datetime
    proposals: tuple[Proposal, ...]
    skipped: tuple[SkippedEvent, ...] = ()  # events in the file that could not be read, by title and date

    def count(self, outcome: Outcome) -> int:
        return sum(1 for p in self.proposals if p.outcome is outcome)


def plan_import(
    diary: Diary, path: Path, role: Role | None = None, progress: Progress | None = None
) -> ImportPlan:
    """What importing the file would do: each meeting of the past year matched to a commitment, or not.

    Floating times in the file are read in the diary's zone. `progress` hears (stage, done, total)."""
    now = diary.clock()
    window_start, window_end = now - IMPORT_WINDOW, now
    reading = read_meetings(
        read_calendar_file(path), str(path), window_start, window_end, diary.zone, progress
    )
    commitments = diary.commitments(role, include_retired=True)
    schedules = _Schedules(diary, commitments, window_start, window_end)
    imported = diary.imported_event_keys()
    by_title: dict[str, list[Commitment]] = {}
    for commitment in commitments:
        by_title.setdefault(_normal(commitment.title), []).append(commitment)
    proposals = []
    total = len(reading.meetings)
    for done, meeting in enumerate(reading.meetings):
        if progress is not None and done % 100 == 0:
            progress("Matching meetings to commitments", done, total)
        proposals.append(_propose(schedules, by_title, meeting, imported))
        imported.add((meeting.uid, meeting.recurrence_key))  # a meeting the file repeats counts once
    if progress is not None:
        progress("Matching meetings to commitments", total, total)
    source = neutralise(str(path), keep_newlines=False)
    return ImportPlan(
        source, window_start, window_end, tuple(_one_claim_each(proposals)), tuple(reading.skipped)
    )


class _Schedules:
    """The scheduled commitments' occurrences over the import window, read once (not once a meeting)."""

    def __init__(
        self, diary: Diary, commitments: list[Commitment], window_start: datetime, window_end: datetime
    ) -> None:
        self.zone = diary.zone
        slugs = [c.slug for c in commitments if c.is_scheduled]
        first = window_start.astimezone(self.zone).date() - timedelta(days=2)
        last = window_end.astimezone(self.zone).date() + timedelta(days=2)
        self._by_slug: dict[str, list[Occurrence]] = {slug: [] for slug in slugs}
        if slugs:
            for occurrence in diary.agenda(first, last, slugs=slugs):
                if occurrence.original_start is not None and occurrence.commitment_slug in self._by_slug:
                    self._by_slug[occurrence.commitment_slug].append(occurrence)

    def around(self, slug: str, first: date, last: date) -> list[Occurrence]:
        """The commitment's scheduled occurrences starting, or first scheduled, from `first` to `last`."""
        return [
            o
            for o in self._by_slug.get(slug, [])
            if first <= _local_day(o.start, self.zone) <= last
            or (o.original_start is not None and first <= _local_day(o.original_start, self.zone) <= last)
        ]


def _one_claim_each(proposals: list[Proposal]) -> list[Proposal]:
    """Two meetings the same day cannot both be one scheduled meeting: the one nearest its scheduled time
    claims it, and the other is an extra meeting (ad hoc)."""
    claims: dict[tuple[str, datetime], list[int]] = {}
    for index, proposal in enumerate(proposals):
        occurrence = proposal.occurrence
        if proposal.commitment_slug and occurrence is not None and occurrence.original_start is not None:
            claims.setdefault((proposal.commitment_slug, occurrence.original_start), []).append(index)
    result = list(proposals)
    for indices in claims.values():
        if len(indices) < 2:
            continue
        scheduled = proposals[indices[0]].occurrence
        assert scheduled is not None
        winner = min(indices, key=lambda index: _claim(proposals[index].meeting, scheduled))
        for index in indices:
            if index != winner:
                loser = proposals[index]
                result[index] = Proposal(
                    loser.meeting,
                    Outcome.ADHOC,
                    loser.commitment_slug,
                    reason="an extra meeting: another that day is nearer the scheduled time",
                )
    return result


def _claim(meeting: CalendarMeeting, scheduled: Occurrence) -> tuple[bool, timedelta, datetime]:
    """How strongly a meeting claims a scheduled one, strongest least: the meeting Outlook says is that
    instance (its RECURRENCE-ID), then the nearest in time, then the earlier."""
    named = meeting.original_start is not None and meeting.original_start == scheduled.original_start
    return (not named, abs(meeting.start - scheduled.start), meeting.start)


def _normal(title: str) -> str:
    return " ".join(title.casefold().replace("’", "'").split())


def _propose(
    schedules: _Schedules,
    by_title: dict[str, list[Commitment]],
    meeting: CalendarMeeting,
    imported: set[tuple[str, str]],
) -> Proposal:
    if (meeting.uid, meeting.recurrence_key) in imported:
        return Proposal(meeting, Outcome.ALREADY_IMPORTED, reason="imported before")
    if meeting.cancelled:
        return Proposal(meeting, Outcome.CANCELLED, reason="marked cancelled in the file; not logged")
    titled = list(by_title.get(_normal(meeting.title), ()))
    # Our own export names the role in CATEGORIES: that settles a title both roles share.
    by_category = [c for c in titled if c.role.label in meeting.categories]
    titled = by_category or titled
    if not titled:
        return Proposal(meeting, Outcome.UNMATCHED, reason="no commitment has this title")
    matches = [(c, o) for c in titled if (o := _scheduled_match(schedules, c, meeting)) is not None]
    if len(matches) == 1:
        commitment, occurrence = matches[0]
        if occurrence.status is not None:
            return Proposal(
                meeting, Outcome.ALREADY_LOGGED, commitment.slug, occurrence, f"already {occurrence.status}"
            )
        return Proposal(meeting, Outcome.OCCURRENCE, commitment.slug, occurrence)
    if len(matches) > 1 or len(titled) > 1:
        slugs = ", ".join(c.slug for c, _ in matches) if matches else ", ".join(c.slug for c in titled)
        return Proposal(meeting, Outcome.UNMATCHED, reason=f"matches {slugs}; import with --role")
    return Proposal(meeting, Outcome.ADHOC, titled[0].slug, reason="not on its schedule that day")


def _scheduled_match(
    schedules: _Schedules, commitment: Commitment, meeting: CalendarMeeting
) -> Occurrence | None:
    """The commitment's scheduled occurrence this meeting is: the one it was moved from, or the one that
    day (nearest in time)."""
    if not commitment.is_scheduled:
        return None
    zone = schedules.zone
    days = {meeting.start.astimezone(zone).date()}
    if meeting.original_start is not None:
        days.add(meeting.original_start.astimezone(zone).date())
    candidates = schedules.around(
        commitment.slug, min(days) - timedelta(days=1), max(days) + timedelta(days=1)
    )
    if meeting.original_start is not None:
        for occurrence in candidates:
            if occurrence.original_start == meeting.original_start:
                return occurrence
    day = meeting.start.astimezone(zone).date()
    same_day = [o for o in candidates if _local_day(o.start, zone) == day or _original_day(o, zone) == day]
    if not same_day:
        return None
    return min(same_day, key=lambda o: abs(o.start - meeting.start))


def _local_day(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()


def _original_day(occurrence: Occurrence, zone: ZoneInfo) -> date | None:
    return _local_day(occurrence.original_start, zone) if occurrence.original_start else None


def apply_import(diary: Diary, plan: ImportPlan, progress: Progress | None = None) -> int:
    """Write the plan in one transaction: attended occurrences (moved where Outlook has them at another
    time), attended ad hoc entries, and each meeting's UID and RECURRENCE-ID so a re-import changes
    nothing. Returns how many meetings were written."""
    written = 0
    with diary.transaction() as repo:
        rows: dict[str, CommitmentRow] = {}
        keys: list[ImportedEventRow] = []
        total = len(plan.proposals)
        for done, proposal in enumerate(plan.proposals):
            if progress is not None and done % 100 == 0:
                progress("Logging meetings", done, total)
            if not proposal.changes_diary or proposal.commitment_slug is None:
                continue
            meeting = proposal.meeting
            slug = proposal.commitment_slug
            row = rows[slug] if slug in rows else rows.setdefault(slug, repo.commitment_row(slug))
            if proposal.occurrence is not None and proposal.occurrence.original_start is not None:
                original = proposal.occurrence.original_start
                log = repo.scheduled_log_row(row, original)
                log.status = Status.ATTENDED.value
                if not meeting.all_day and meeting.start != proposal.occurrence.start:
                    log.start = None if meeting.start == original else to_utc_naive(meeting.start)
                log.updated_at = repo.now
                repo.bump_series(row, original.astimezone(diary.zone).date())
            else:
                start = meeting.start
                if meeting.all_day:
                    start = datetime.combine(meeting.start.date(), datetime.min.time(), diary.zone)
                minutes = (
                    None if meeting.all_day else int((meeting.end - meeting.start).total_seconds() // 60)
                )
                log = repo.add_adhoc(row, start, meeting.all_day, Status.ATTENDED, "", minutes or None)
            # Every log row has its id by now (written when made); the keys go in together at the end.
            keys.append(
                ImportedEventRow(
                    uid=meeting.uid, recurrence_id=meeting.recurrence_key, log_id=log.id, imported_at=repo.now
                )
            )
            written += 1
        repo.session.add_all(keys)
        if progress is not None:
            progress("Logging meetings", total, total)
    return written
