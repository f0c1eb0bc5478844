"""The calendar files' use cases: the diary's schedules out to Outlook as .ics, and attendance filled in
from Outlook's export (planned first, so a dry run shows what would change, then written in one go).

icalendar and recurring-ical-events are imported inside the methods that need them, and only the write
of an import loads SQLAlchemy, so `los export ics` and a dry-run import stay as light as any read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from los_tui.db.identity import SERIES_UID_DOMAIN
from los_tui.db.store import DiaryStore
from los_tui.domain.model import Commitment, Occurrence, Role
from los_tui.domain.moments import instant, same_instant, wall_length
from los_tui.domain.parsing import InputError
from los_tui.domain.safe_text import neutralise
from los_tui.exports.ical_reader import (
    CalendarMeeting,
    Progress,
    SkippedEvent,
    read_calendar_file,
    read_meetings,
)
from los_tui.services.commitments import Commitments
from los_tui.services.meetings import Meetings

if TYPE_CHECKING:
    from los_tui.exports.ical import IcalExport

MAX_ALARM_MINUTES = 7 * 24 * 60
IMPORT_WINDOW = timedelta(days=366)  # how far back an import looks for meetings that happened
IMPORT_BATCH = 1000  # meetings written a batch: a few statements each, one progress step


class Decision(StrEnum):
    """What importing one calendar meeting would do (a review's Outcome is what became of a meeting)."""

    OCCURRENCE = "occurrence"  # log the diary's scheduled occurrence as attended
    ADHOC = "adhoc"  # record an ad hoc entry, attended
    ALREADY_IMPORTED = "already imported"
    ALREADY_LOGGED = "already logged"
    CANCELLED = "cancelled"  # the calendar itself says it was called off: never logged as attended
    # A meeting los exported (its series' UID), read back: in the calendar because los put it there.
    EXPORTED = "exported by los"
    DUPLICATE = "duplicate"  # the same title and times as a meeting before it in the file
    UNMATCHED = "unmatched"


WRITES = (Decision.OCCURRENCE, Decision.ADHOC)  # the decisions that log something


@dataclass(frozen=True)
class Proposal:
    meeting: CalendarMeeting
    decision: Decision
    commitment_slug: str | None = None
    occurrence: Occurrence | None = None  # the diary's occurrence, for OCCURRENCE and ALREADY_LOGGED
    reason: str = ""

    @property
    def changes_diary(self) -> bool:
        return self.decision in WRITES


@dataclass(frozen=True)
class ImportPlan:
    source: str
    window_start: datetime
    window_end: datetime
    proposals: tuple[Proposal, ...]
    skipped: tuple[SkippedEvent, ...] = ()  # events in the file that could not be read, by title and date

    def count(self, decision: Decision) -> int:
        return sum(1 for p in self.proposals if p.decision is decision)

    @property
    def not_logged(self) -> str:
        """What the summary says of the meetings left alone for what they are ("; 12 exported by los
        (not a record of going)"), or ""."""
        said = [
            f"; {self.count(decision)} {why}"
            for decision, why in (
                (Decision.EXPORTED, "exported by los (not a record of going)"),
                (Decision.DUPLICATE, "held twice in the file (counted once)"),
            )
            if self.count(decision)
        ]
        return "".join(said)


def _claim(meeting: CalendarMeeting, scheduled: Occurrence) -> tuple[bool, timedelta, datetime]:
    """How strongly a meeting claims a scheduled one, strongest least: the meeting Outlook says is that
    instance (its RECURRENCE-ID), then the nearest in time, then the earlier."""
    named = (
        meeting.original_start is not None
        and scheduled.original_start is not None
        and same_instant(meeting.original_start, scheduled.original_start)
    )
    # By instant: two times of one zone subtract and compare by their wall clocks, which on the day the
    # clocks go back put 00:50 BST nearer 02:30 GMT (1h40 on the clock) than it is (2h40).
    at = instant(meeting.start)
    return (not named, abs(at - instant(scheduled.start)), at)


EXPORTED_REASON = "in the calendar because los exported it: not a record of going"
DUPLICATE_REASON = "the same title and times as another meeting in the file: counted once"


def _counted_once(proposals: list[Proposal]) -> list[Proposal]:
    """A meeting the file holds twice (an invitation and a forwarded copy, each with its own UID) is one
    meeting: one person is not at two meetings of one title at the same times. The first in the file
    stands; a later copy is logged as nothing."""
    seen: set[tuple[str, datetime, datetime, bool]] = set()
    result = []
    for proposal in proposals:
        meeting = proposal.meeting
        key = (_normal(meeting.title), instant(meeting.start), instant(meeting.end), meeting.all_day)
        if key in seen and proposal.decision in WRITES:
            proposal = Proposal(
                meeting, Decision.DUPLICATE, proposal.commitment_slug, reason=DUPLICATE_REASON
            )
        seen.add(key)
        result.append(proposal)
    return result


def _one_claim_each(proposals: list[Proposal]) -> list[Proposal]:
    """Two meetings the same day cannot both be one scheduled meeting: the one Outlook names as it, else
    the one nearest its scheduled time, else the earlier, claims it, and the other is an extra meeting
    (ad hoc)."""
    claims: dict[tuple[str, datetime], list[int]] = {}
    for index, proposal in enumerate(proposals):
        occurrence = proposal.occurrence
        if proposal.commitment_slug and occurrence is not None and occurrence.original_start is not None:
            key = (proposal.commitment_slug, instant(occurrence.original_start))
            claims.setdefault(key, []).append(index)
    result = list(proposals)
    for indices in claims.values():
        if len(indices) < 2:
            continue
        scheduled = proposals[indices[0]].occurrence
        assert scheduled is not None
        winner = min(indices, key=lambda index: _claim(proposals[index].meeting, scheduled))
        unnamed, distance, _ = _claim(proposals[winner].meeting, scheduled)
        for index in indices:
            if index != winner:
                loser = proposals[index]
                if not unnamed:
                    why = "is that meeting in the file (its RECURRENCE-ID)"
                elif _claim(loser.meeting, scheduled)[1] > distance:
                    why = "is nearer the scheduled time"
                else:
                    why = "is as near the scheduled time and starts earlier"
                result[index] = Proposal(
                    loser.meeting,
                    Decision.ADHOC,
                    loser.commitment_slug,
                    reason=f"an extra meeting: another that day {why}",
                )
    return result


class _Schedules:
    """The scheduled commitments' occurrences over the import window, read once (not once a meeting)."""

    def __init__(
        self, meetings: Meetings, commitments: list[Commitment], window_start: datetime, window_end: datetime
    ) -> None:
        self.zone = meetings.zone
        slugs = [c.slug for c in commitments if c.is_scheduled]
        first = window_start.astimezone(self.zone).date() - timedelta(days=2)
        last = window_end.astimezone(self.zone).date() + timedelta(days=2)
        self._by_slug: dict[str, list[Occurrence]] = {slug: [] for slug in slugs}
        if slugs:
            for occurrence in meetings.agenda(first, last, slugs=slugs):
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


def _normal(title: str) -> str:
    return " ".join(title.casefold().replace("’", "'").split())


def _local_day(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()


def _original_day(occurrence: Occurrence, zone: ZoneInfo) -> date | None:
    return _local_day(occurrence.original_start, zone) if occurrence.original_start else None


class CalendarFiles:
    """The diary to and from iCalendar (.ics) files."""

    def __init__(self, store: DiaryStore, commitments: Commitments, meetings: Meetings) -> None:
        self.store = store
        self.commitments = commitments
        self.meetings = meetings
        self.zone = meetings.zone

    # -- export -------------------------------------------------------------------------------------------
    def name(self, role: Role | None) -> str:
        with self.store.reading() as read:
            choice = role.value if role else (read.setting("role") or "both")
        label = "LMCS and DCS" if choice == "both" else choice.upper()
        return f"Line of sight: {label}"

    def export(
        self,
        role: Role | None = None,
        slugs: list[str] | None = None,
        include_notes: bool = False,
        alarm_minutes: int | None = None,
    ) -> IcalExport:
        """The diary's schedules (all, one role's, or the named commitments') as an Outlook-ready .ics."""
        from los_tui.exports.ical import export_calendar

        if alarm_minutes is not None and not 0 <= alarm_minutes <= MAX_ALARM_MINUTES:
            raise InputError("alarm", alarm_minutes, f"must be between 0 and {MAX_ALARM_MINUTES} minutes")
        commitments = self.commitments.list(role, include_retired=True)
        if slugs:
            known = {c.slug for c in commitments}
            for slug in slugs:
                if slug not in known:
                    self.commitments.get(slug)  # names an unknown slug ...
                    shown = role.value.upper() if role else ""
                    raise InputError("commitment", slug, f"is not one of the {shown} commitments")
            commitments = [c for c in commitments if c.slug in slugs]
        with self.store.reading() as read:  # only what changes the calendar, not every log ever kept
            logs = read.calendar_changes([c.slug for c in commitments], include_notes)
        return export_calendar(
            commitments, logs, self.store.clock(), self.name(role), include_notes, alarm_minutes
        )

    # -- import -------------------------------------------------------------------------------------------
    def plan_import(
        self, path: Path, role: Role | None = None, progress: Progress | None = None
    ) -> ImportPlan:
        """What importing the file would do: each meeting of the past year matched to a commitment, or not.

        Floating times in the file are read in the diary's zone. `progress` hears (stage, done, total)."""
        now = self.store.clock()
        window_start, window_end = now - IMPORT_WINDOW, now
        reading = read_meetings(
            read_calendar_file(path), str(path), window_start, window_end, self.zone, progress
        )
        commitments = self.commitments.list(role, include_retired=True)
        schedules = _Schedules(self.meetings, commitments, window_start, window_end)
        with self.store.reading() as read:
            imported = read.imported_event_keys()
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
        proposals = _one_claim_each(_counted_once(proposals))
        return ImportPlan(source, window_start, window_end, tuple(proposals), tuple(reading.skipped))

    def apply_import(self, plan: ImportPlan, progress: Progress | None = None) -> int:
        """Write the plan in one transaction: attended occurrences (moved where Outlook has them at another
        time), attended ad hoc entries, and each meeting's UID and RECURRENCE-ID so a re-import changes
        nothing. Returns how many meetings were written."""
        from los_tui.db.writer import ImportedMeeting

        meetings = []
        for proposal in plan.proposals:
            if not proposal.changes_diary or proposal.commitment_slug is None:
                continue
            meeting = proposal.meeting
            occurrence = proposal.occurrence
            if occurrence is not None and occurrence.original_start is not None:
                moved = not meeting.all_day and not same_instant(meeting.start, occurrence.start)
                entry = ImportedMeeting(
                    meeting.uid,
                    meeting.recurrence_key,
                    proposal.commitment_slug,
                    meeting.start if moved else None,
                    occurrence=occurrence,
                )
            else:
                start = meeting.start
                if meeting.all_day:
                    start = datetime.combine(meeting.start.date(), datetime.min.time(), self.zone)
                # The length on the clock, which the agenda adds back (end_after), whatever zones
                # Outlook wrote the two times in: 00:30 BST to 02:00 GMT is 90 minutes, not 150.
                length = wall_length(meeting.start, meeting.end, self.zone)
                minutes = None if meeting.all_day else int(length.total_seconds() // 60)
                entry = ImportedMeeting(
                    meeting.uid,
                    meeting.recurrence_key,
                    proposal.commitment_slug,
                    start,
                    meeting.all_day,
                    minutes or None,
                )
            meetings.append(entry)
        total = len(meetings)
        # One transaction, written in batches so the progress can move; a batch is a few statements.
        with self.store.writing() as write:
            for done in range(0, total, IMPORT_BATCH):
                if progress is not None:
                    progress("Logging meetings", done, total)
                write.log_imported(meetings[done : done + IMPORT_BATCH])
            if progress is not None:
                progress("Logging meetings", total, total)
        return total


def _propose(
    schedules: _Schedules,
    by_title: dict[str, list[Commitment]],
    meeting: CalendarMeeting,
    imported: set[tuple[str, str]],
) -> Proposal:
    if (meeting.uid, meeting.recurrence_key) in imported:
        return Proposal(meeting, Decision.ALREADY_IMPORTED, reason="imported before")
    if meeting.uid.endswith(SERIES_UID_DOMAIN):
        return Proposal(meeting, Decision.EXPORTED, reason=EXPORTED_REASON)
    if meeting.cancelled:
        return Proposal(meeting, Decision.CANCELLED, reason="marked cancelled in the file; not logged")
    titled = list(by_title.get(_normal(meeting.title), ()))
    # Our own export names the role in CATEGORIES: that settles a title both roles share.
    by_category = [c for c in titled if c.role.label in meeting.categories]
    titled = by_category or titled
    if not titled:
        return Proposal(meeting, Decision.UNMATCHED, reason="no commitment has this title")
    matches = [(c, o) for c in titled if (o := _scheduled_match(schedules, c, meeting)) is not None]
    if len(matches) == 1:
        commitment, occurrence = matches[0]
        if occurrence.status is not None:
            return Proposal(
                meeting, Decision.ALREADY_LOGGED, commitment.slug, occurrence, f"already {occurrence.status}"
            )
        return Proposal(meeting, Decision.OCCURRENCE, commitment.slug, occurrence)
    if len(matches) > 1 or len(titled) > 1:
        slugs = ", ".join(c.slug for c, _ in matches) if matches else ", ".join(c.slug for c in titled)
        return Proposal(meeting, Decision.UNMATCHED, reason=f"matches {slugs}; import with --role")
    return Proposal(meeting, Decision.ADHOC, titled[0].slug, reason="not on its schedule that day")


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
    first, last = min(days) - timedelta(days=1), max(days) + timedelta(days=1)
    candidates = schedules.around(commitment.slug, first, last)
    if meeting.original_start is not None:
        for occurrence in candidates:
            if occurrence.original_start is not None and same_instant(
                occurrence.original_start, meeting.original_start
            ):
                return occurrence
    day = meeting.start.astimezone(zone).date()
    same_day = [o for o in candidates if _local_day(o.start, zone) == day or _original_day(o, zone) == day]
    if not same_day:
        return None
    at = instant(meeting.start)  # by instant, as in _claim
    return min(same_day, key=lambda o: abs(instant(o.start) - at))
