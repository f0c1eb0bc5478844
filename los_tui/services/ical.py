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
from los_tui.db.schema import ImportedEventRow
from los_tui.domain.model import Commitment, Occurrence, Role, Status
from los_tui.domain.parsing import InputError
from los_tui.exports.ical_reader import CalendarMeeting, read_calendar_file, read_meetings

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
        raise InputError("alarm", alarm_minutes, f"must be between 0 and {MAX_ALARM_MINUTES} minutes")
    commitments = diary.commitments(role, include_retired=True)
    if slugs:
        known = {c.slug for c in commitments}
        for slug in slugs:
            if slug not in known:
                diary.commitment(slug)  # names an unknown slug ...
                raise InputError(
                    "commitment", slug, f"is not one of the {role.value.upper() if role else ''} commitments"
                )
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

    def count(self, outcome: Outcome) -> int:
        return sum(1 for p in self.proposals if p.outcome is outcome)


def plan_import(diary: Diary, path: Path, role: Role | None = None) -> ImportPlan:
    """What importing the file would do: each meeting of the past year matched to a commitment, or not."""
    now = diary.clock()
    window_start, window_end = now - IMPORT_WINDOW, now
    meetings = read_meetings(read_calendar_file(path), str(path), window_start, window_end)
    commitments = diary.commitments(role, include_retired=True)
    imported = diary.imported_event_keys()
    proposals = []
    for meeting in meetings:
        proposals.append(_propose(diary, commitments, meeting, imported))
        imported.add((meeting.uid, meeting.recurrence_key))  # a meeting the file repeats counts once
    return ImportPlan(str(path), window_start, window_end, tuple(proposals))


def _normal(title: str) -> str:
    return " ".join(title.casefold().replace("’", "'").split())


def _propose(
    diary: Diary, commitments: list[Commitment], meeting: CalendarMeeting, imported: set[tuple[str, str]]
) -> Proposal:
    if (meeting.uid, meeting.recurrence_key) in imported:
        return Proposal(meeting, Outcome.ALREADY_IMPORTED, reason="imported before")
    if meeting.cancelled:
        return Proposal(meeting, Outcome.CANCELLED, reason="marked cancelled in the file; not logged")
    titled = [c for c in commitments if _normal(c.title) == _normal(meeting.title)]
    # Our own export names the role in CATEGORIES: that settles a title both roles share.
    by_category = [c for c in titled if c.role.label in meeting.categories]
    titled = by_category or titled
    if not titled:
        return Proposal(meeting, Outcome.UNMATCHED, reason="no commitment has this title")
    matches = [(c, o) for c in titled if (o := _scheduled_match(diary, c, meeting)) is not None]
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


def _scheduled_match(diary: Diary, commitment: Commitment, meeting: CalendarMeeting) -> Occurrence | None:
    """The commitment's scheduled occurrence this meeting is: the one it was moved from, or the one that
    day (nearest in time)."""
    if not commitment.is_scheduled:
        return None
    zone = diary.zone
    days = {meeting.start.astimezone(zone).date()}
    if meeting.original_start is not None:
        days.add(meeting.original_start.astimezone(zone).date())
    candidates = [
        o
        for o in diary.agenda(
            min(days) - timedelta(days=1), max(days) + timedelta(days=1), slugs=[commitment.slug]
        )
        if o.original_start is not None
    ]
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


def apply_import(diary: Diary, plan: ImportPlan) -> int:
    """Write the plan in one transaction: attended occurrences (moved where Outlook has them at another
    time), attended ad hoc entries, and each meeting's UID and RECURRENCE-ID so a re-import changes
    nothing. Returns how many meetings were written."""
    written = 0
    with diary.transaction() as repo:
        for proposal in plan.proposals:
            if not proposal.changes_diary or proposal.commitment_slug is None:
                continue
            meeting = proposal.meeting
            row = repo.commitment_row(proposal.commitment_slug)
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
            repo.session.add(
                ImportedEventRow(
                    uid=meeting.uid, recurrence_id=meeting.recurrence_key, log_id=log.id, imported_at=repo.now
                )
            )
            repo.session.flush()
            written += 1
    return written
