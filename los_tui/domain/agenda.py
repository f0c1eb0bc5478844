"""Building the agenda: scheduled occurrences in a window, with what was logged against them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, time, timedelta
from operator import itemgetter
from typing import NamedTuple, cast
from zoneinfo import ZoneInfo

from los_tui.domain.model import (
    Commitment,
    LoggedStatus,
    Occurrence,
    OccurrenceLog,
    Role,
    Schedule,
    Status,
)
from los_tui.domain.moments import end_after, instant
from los_tui.domain.recurrence import commitment_runs, version_that_made

ALL_DAY = timedelta(days=1)
DEFAULT_ADHOC_DURATION = timedelta(hours=1)


class Meeting(NamedTuple):
    """A meeting of the agenda before its Occurrence is made: the review counts a council's year of
    2,500 of them by start, end and status, and makes the Occurrence only of those it shows."""

    start: datetime
    end: datetime
    status: Status | None
    commitment: Commitment
    version: Schedule | None  # the schedule version making it; None for one its log alone stands for
    original: datetime | None  # its scheduled start
    log: OccurrenceLog | LoggedStatus | None  # what was logged against it (LoggedStatus: its texts unread)
    tz: str  # the diary's zone, for one its log alone stands for (occurrence_from_log)

    def occurrence(self) -> Occurrence:
        commitment, version, log = self.commitment, self.version, self.log
        if isinstance(log, LoggedStatus):
            # Never an Occurrence without the note and version its log holds: read the logs whole.
            raise TypeError("a meeting matched to a log read without its texts has no Occurrence")
        if version is None:
            assert log is not None  # a meeting no schedule version makes stands for its log
            return occurrence_from_log(commitment, log, self.tz)
        # Positional, in Occurrence's field order: made by the hundred, keywords cost a third more.
        if log is None:
            return Occurrence(
                commitment.slug,
                commitment.title,
                commitment.role,
                self.start,
                self.end,
                self.original,
                None,
                version.location,
                False,
                None,
                "",
                "",
                version.uid,
            )
        return Occurrence(
            commitment.slug,
            commitment.title,
            commitment.role,
            self.start,
            self.end,
            self.original,
            log.status,
            version.location,
            False,
            log.id,
            log.note,
            log.questions,
            version.uid,
            log.difference,
            log.difference_shared,
            log.version,
        )


# A Meeting made as its tuple: NamedTuple's own __new__ is a Python call, a third of the cost of one.
_meeting = cast(Callable[[type[Meeting], tuple[object, ...]], Meeting], tuple.__new__)


def build_agenda(
    commitments: Iterable[Commitment],
    logs: Iterable[OccurrenceLog],
    window_start: datetime,
    window_end: datetime,
    tz: str,
) -> list[Occurrence]:
    """Every occurrence starting in [window_start, window_end), sorted by start.

    `logs` must hold every log whose original start or start falls in the window; logs of a moved
    occurrence decide where it shows, so a meeting moved out of the window leaves it and one moved in
    joins it.
    """
    return [
        meeting.occurrence() for meeting in agenda_meetings(commitments, logs, window_start, window_end, tz)
    ]


def agenda_meetings(
    commitments: Iterable[Commitment],
    logs: Iterable[OccurrenceLog],
    window_start: datetime,
    window_end: datetime,
    tz: str,
) -> list[Meeting]:
    """`build_agenda`'s meetings, in its order, each Occurrence not yet made."""
    scheduled, alone = _matched(commitments, list(logs), window_start, window_end, tz)
    # Sorted once at the end by (the UTC instant, role, title), the instant worked out when matched:
    # every commitment's scheduled meetings, then those its logs alone stand for, in the logs' order.
    placed: list[tuple[tuple[datetime, Role, str], Meeting]] = []
    for commitment, ats, meetings in scheduled.values():
        role, title = commitment.role, commitment.title
        placed += [((at, role, title), meeting) for at, meeting in zip(ats, meetings, strict=True)]
    placed += [((at, meeting[3].role, meeting[3].title), meeting) for at, meeting in alone]
    placed.sort(key=itemgetter(0))
    return [meeting for _, meeting in placed]


def meetings_by_commitment(
    commitments: Iterable[Commitment],
    logs: list[OccurrenceLog],
    window_start: datetime,
    window_end: datetime,
    tz: str,
    marks: Mapping[str, Mapping[datetime, LoggedStatus]] | None = None,
) -> dict[str, list[Meeting]]:
    """`agenda_meetings`, matched the same way, by commitment (a count needs no order across them, and
    none within one), with `marks`: scheduled meetings' logs read without their texts (see LoggedStatus),
    by commitment and the meeting's scheduled start as a naive UTC time, matched as the logs are."""
    scheduled, alone = _matched(commitments, logs, window_start, window_end, tz, marks)
    by_slug = {slug: meetings for slug, (_, _, meetings) in scheduled.items()}
    for _, meeting in alone:
        by_slug[meeting[3].slug].append(meeting)
    return by_slug


def _matched(
    commitments: Iterable[Commitment],
    logs: list[OccurrenceLog],
    window_start: datetime,
    window_end: datetime,
    tz: str,
    marks: Mapping[str, Mapping[datetime, LoggedStatus]] | None = None,
) -> tuple[
    dict[str, tuple[Commitment, list[datetime], list[Meeting]]],
    list[tuple[datetime, Meeting]],
]:
    """The one matching of meetings to logs: each commitment's scheduled meetings starting in the window
    (their UTC instants beside them), each with the log kept for its scheduled start, if any, and its
    move applied; then a meeting for each log in or near the window that no scheduled meeting took (ad
    hoc entries, and logs of a schedule since changed), with its instant, logs first in their order,
    then any unmatched marks."""
    by_slug = {c.slug: c for c in commitments}
    # Each commitment's logs of scheduled meetings, by the UTC instant of the meeting's scheduled start
    # (a dict a commitment: a lookup per meeting without a (slug, instant) key made and hashed), written
    # as a naive UTC time: an aware one is hashed by asking its zone for its offset, each time.
    scheduled_logs: dict[str, dict[datetime, OccurrenceLog]] = {slug: {} for slug in by_slug}
    combine = datetime.combine
    for each in logs:
        original_start = each.original_start
        if original_start is not None:
            of_commitment = scheduled_logs.get(each.commitment_slug)
            if of_commitment is not None:
                at = instant(original_start)
                of_commitment[combine(at, at.time())] = each
    # Copied, as each commitment's marks left unmatched are what remains of its copy.
    marks_left = {slug: dict(of) for slug, of in marks.items() if slug in by_slug} if marks else {}
    no_marks: dict[datetime, LoggedStatus] = {}
    low, high = instant(window_start), instant(window_end)
    matched: set[int] = set()  # id() of each log matched to a meeting expanded here (all kept in `logs`)
    scheduled: dict[str, tuple[Commitment, list[datetime], list[Meeting]]] = {}
    for commitment in by_slug.values():
        logs_of = scheduled_logs[commitment.slug]
        marks_of = marks_left.get(commitment.slug, no_marks)
        ats: list[datetime] = []
        meetings: list[Meeting] = []
        scheduled[commitment.slug] = (commitment, ats, meetings)
        for version, starts in commitment_runs(commitment, window_start, window_end):
            duration, version_zone = version.duration, ZoneInfo(version.tz)
            for original in starts:
                at = original.astimezone(UTC)  # instant(), inline: a call per meeting of a council's year
                key = combine(at, at.time()) if marks_of or logs_of else at  # naive UTC, as kept above
                mark = marks_of.pop(key, None) if marks_of else None
                log: OccurrenceLog | LoggedStatus | None
                status: Status | None
                moved_to: datetime | None = None
                if mark is not None:  # a log read as its status: never moved
                    log, status = mark, mark[2]
                elif (log := logs_of.get(key) if logs_of else None) is None:
                    status = None  # unlogged
                else:
                    matched.add(id(log))
                    moved_to, status = log.start, log.status
                if moved_to is None:
                    start = original
                    # Its end on its zone's wall clock (see end_after): unlogged, or a start of the
                    # version's own zone with fold 0 (every start but one the clocks repeat), by
                    # end_after's sum without the call.
                    if log is None or (original.tzinfo is version_zone and not original.fold):
                        end = original + duration
                    else:
                        end = end_after(original, duration, version_zone)
                else:
                    start = moved_to
                    end = end_after(moved_to, duration, version_zone)
                    at = instant(moved_to)
                if low <= at < high:
                    ats.append(at)
                    meetings.append(
                        _meeting(Meeting, (start, end, status, commitment, version, original, log, tz))
                    )
    # An all-day entry moves less than a day from its stored start: logs further out are not built.
    near_low, near_high = low - ALL_DAY, high + ALL_DAY
    zone = ZoneInfo(tz)
    alone: list[tuple[datetime, Meeting]] = []
    left: Iterable[OccurrenceLog | LoggedStatus] = logs
    if marks_left:
        left = [*logs, *(mark for of in marks_left.values() for mark in of.values())]
    for log in left:
        if id(log) in matched:
            continue
        owner = by_slug.get(log.commitment_slug)
        if owner is None:
            continue
        moment = log.start or log.original_start
        if moment is None or not near_low <= instant(moment) < near_high:
            continue
        start, end, _ = _log_times(owner, log, zone)
        at = instant(start)
        if low <= at < high:
            alone.append(
                (at, _meeting(Meeting, (start, end, log.status, owner, None, log.original_start, log, tz)))
            )
    return scheduled, alone


def occurrence_from_log(commitment: Commitment, log: OccurrenceLog, tz: str) -> Occurrence:
    """The occurrence a log stands for on its own: an ad hoc entry, a moved meeting, or one whose
    schedule has since changed (kept visible, so nothing the user wrote drops out of sight)."""
    start, end, version = _log_times(commitment, log, ZoneInfo(tz))
    if log.original_start is not None:
        return Occurrence(
            commitment_slug=commitment.slug,
            title=commitment.title,
            role=commitment.role,
            start=start,
            end=end,
            original_start=log.original_start,
            status=log.status,
            location=version.location if version else "",
            log_id=log.id,
            note=log.note,
            questions=log.questions,
            difference=log.difference,
            difference_shared=log.difference_shared,
            version=log.version,
            series_uid=version.uid if version else "",
        )
    return Occurrence(
        commitment_slug=commitment.slug,
        title=commitment.title,
        role=commitment.role,
        start=start,
        end=end,
        original_start=None,
        status=log.status,
        all_day=log.all_day,
        log_id=log.id,
        note=log.note,
        questions=log.questions,
        difference=log.difference,
        difference_shared=log.difference_shared,
        version=log.version,
    )


def _log_times(
    commitment: Commitment, log: OccurrenceLog | LoggedStatus, zone: ZoneInfo
) -> tuple[datetime, datetime, Schedule | None]:
    """Where the occurrence of a log on its own starts and ends, and (for a scheduled meeting's log) the
    schedule version in force on its scheduled day."""
    if log.original_start is not None:
        start = log.start or log.original_start
        version = version_that_made(commitment, log.original_start) or commitment.schedule_on(
            log.original_start.astimezone(zone).date()
        )
        duration = version.duration if version else DEFAULT_ADHOC_DURATION
        return start, end_after(start, duration, ZoneInfo(version.tz) if version else zone), version
    assert log.start is not None  # the schema requires a start where there is no original start
    if log.all_day:
        day = log.start.astimezone(zone).date()
        return datetime.combine(day, time(0), zone), datetime.combine(day + ALL_DAY, time(0), zone), None
    start = log.start
    duration = timedelta(minutes=log.duration_minutes) if log.duration_minutes else DEFAULT_ADHOC_DURATION
    return start, end_after(start, duration, zone), None


def filter_role(commitments: Iterable[Commitment], role: Role | None) -> list[Commitment]:
    return [c for c in commitments if role is None or c.role == role]
