"""Building the agenda: scheduled occurrences in a window, with what was logged against them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, time, timedelta
from operator import itemgetter
from typing import NamedTuple, cast
from zoneinfo import ZoneInfo

from los_tui.domain.model import Commitment, Occurrence, OccurrenceLog, Role, Schedule, Status
from los_tui.domain.moments import end_after, instant
from los_tui.domain.recurrence import commitment_starts

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
    log: OccurrenceLog | None  # what was logged against it
    tz: str  # the diary's zone, for one its log alone stands for (occurrence_from_log)

    def occurrence(self) -> Occurrence:
        commitment, version, log = self.commitment, self.version, self.log
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
    by_slug = {c.slug: c for c in commitments}
    logs = list(logs)
    # Each commitment's logs of scheduled meetings, by the UTC instant of the meeting's scheduled start
    # (a dict a commitment: a lookup per meeting without a (slug, instant) key made and hashed).
    scheduled_logs: dict[str, dict[datetime, OccurrenceLog]] = {slug: {} for slug in by_slug}
    for each in logs:
        original_start = each.original_start
        if original_start is not None:
            of_commitment = scheduled_logs.get(each.commitment_slug)
            if of_commitment is not None:
                of_commitment[instant(original_start)] = each
    low, high = instant(window_start), instant(window_end)
    matched: set[int] = set()  # id() of each log matched to a meeting expanded here (all kept in `logs`)
    # Sorted once at the end by (the UTC instant, role, title); the instant is worked out here once.
    placed: list[tuple[tuple[datetime, Role, str], Meeting]] = []
    for commitment in by_slug.values():
        slug, title, role = commitment.slug, commitment.title, commitment.role
        logs_of = scheduled_logs[slug]
        version_now: Schedule | None = None
        duration, version_zone = ALL_DAY, ZoneInfo(tz)
        for version, original in commitment_starts(commitment, window_start, window_end):
            if version is not version_now:  # a commitment's starts come version by version
                version_now, duration, version_zone = version, version.duration, ZoneInfo(version.tz)
            at = original.astimezone(UTC)  # instant(), inline: a call per meeting of a council's year
            log = logs_of.get(at)
            status: Status | None
            if log is None:  # unlogged: its scheduled start, its end on its zone's wall clock (see end_after)
                start, end, status = original, original + duration, None
            else:
                matched.add(id(log))
                moved_to = log.start
                if moved_to is None:
                    start, status = original, log.status
                    # A start of the version's own zone, its fold 0 (every start but one the clocks
                    # repeat): end_after's sum on its wall clock, without the call.
                    if original.tzinfo is version_zone and not original.fold:
                        end = original + duration
                    else:
                        end = end_after(original, duration, version_zone)
                else:
                    start, status = moved_to, log.status
                    end = end_after(moved_to, duration, version_zone)
                    at = instant(moved_to)
            if low <= at < high:
                scheduled = (start, end, status, commitment, version, original, log, tz)
                placed.append(((at, role, title), _meeting(Meeting, scheduled)))
    # An all-day entry moves less than a day from its stored start: logs further out are not built.
    near_low, near_high = low - ALL_DAY, high + ALL_DAY
    zone = ZoneInfo(tz)
    for log in logs:
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
            meeting = (start, end, log.status, owner, None, log.original_start, log, tz)
            placed.append(((at, owner.role, owner.title), _meeting(Meeting, meeting)))
    placed.sort(key=itemgetter(0))
    return [meeting for _, meeting in placed]


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
    commitment: Commitment, log: OccurrenceLog, zone: ZoneInfo
) -> tuple[datetime, datetime, Schedule | None]:
    """Where the occurrence of a log on its own starts and ends, and (for a scheduled meeting's log) the
    schedule version in force on its scheduled day."""
    if log.original_start is not None:
        start = log.start or log.original_start
        version = commitment.schedule_on(log.original_start.astimezone(zone).date())
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
