"""Building the agenda: scheduled occurrences in a window, with what was logged against them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, time, timedelta
from operator import itemgetter
from typing import NamedTuple, cast
from zoneinfo import ZoneInfo

from los_tui.domain.model import Commitment, Occurrence, OccurrenceLog, Role, Schedule, Status
from los_tui.domain.moments import instant
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
    version: Schedule | None  # the schedule version making it; None where `made` is given
    original: datetime | None  # its scheduled start
    log: OccurrenceLog | None  # what was logged against it
    made: Occurrence | None  # the Occurrence, where it was made from its log alone

    def occurrence(self) -> Occurrence:
        if self.made is not None:
            return self.made
        commitment, version, log = self.commitment, self.version, self.log
        assert version is not None  # a meeting not made from its log has the version that makes it
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
    scheduled_logs = {
        (log.commitment_slug, instant(log.original_start)): log
        for log in logs
        if log.original_start is not None
    }
    low, high = instant(window_start), instant(window_end)
    matched: set[int] = set()  # the logs of meetings expanded here (by id(): a log's own id may be absent)
    # Sorted once at the end by (the UTC instant, role, title); the instant is worked out here once.
    placed: list[tuple[tuple[datetime, Role, str], Meeting]] = []
    for commitment in by_slug.values():
        slug, title, role = commitment.slug, commitment.title, commitment.role
        for version, original in commitment_starts(commitment, window_start, window_end):
            key = (slug, instant(original))
            log = scheduled_logs.get(key)
            if log is None:
                at = key[1]
                if low <= at < high:
                    placed.append(
                        (
                            (at, role, title),
                            _meeting(
                                Meeting,
                                (
                                    original,
                                    original + version.duration,
                                    None,
                                    commitment,
                                    version,
                                    original,
                                    None,
                                    None,
                                ),
                            ),
                        )
                    )
                continue
            matched.add(id(log))
            start = original if log.start is None else log.start
            at = key[1] if log.start is None else instant(start)
            if low <= at < high:
                placed.append(
                    (
                        (at, role, title),
                        _meeting(
                            Meeting,
                            (
                                start,
                                start + version.duration,
                                log.status,
                                commitment,
                                version,
                                original,
                                log,
                                None,
                            ),
                        ),
                    )
                )
    # An all-day entry moves less than a day from its stored start: logs further out are not built.
    near_low, near_high = low - ALL_DAY, high + ALL_DAY
    for log in logs:
        if id(log) in matched:
            continue
        owner = by_slug.get(log.commitment_slug)
        if owner is None:
            continue
        moment = log.start or log.original_start
        if moment is None or not near_low <= instant(moment) < near_high:
            continue
        occurrence = occurrence_from_log(owner, log, tz)
        at = instant(occurrence.start)
        if low <= at < high:
            placed.append(
                (
                    (at, occurrence.role, occurrence.title),
                    _meeting(
                        Meeting,
                        (
                            occurrence.start,
                            occurrence.end,
                            occurrence.status,
                            owner,
                            None,
                            None,
                            log,
                            occurrence,
                        ),
                    ),
                )
            )
    placed.sort(key=itemgetter(0))
    return [meeting for _, meeting in placed]


def occurrence_from_log(commitment: Commitment, log: OccurrenceLog, tz: str) -> Occurrence:
    """The occurrence a log stands for on its own: an ad hoc entry, a moved meeting, or one whose
    schedule has since changed (kept visible, so nothing the user wrote drops out of sight)."""
    zone = ZoneInfo(tz)
    if log.original_start is not None:
        start = log.start or log.original_start
        version = commitment.schedule_on(log.original_start.astimezone(zone).date())
        duration = version.duration if version else DEFAULT_ADHOC_DURATION
        return Occurrence(
            commitment_slug=commitment.slug,
            title=commitment.title,
            role=commitment.role,
            start=start,
            end=start + duration,
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
    assert log.start is not None  # the schema requires a start where there is no original start
    if log.all_day:
        day = log.start.astimezone(zone).date()
        start = datetime.combine(day, time(0), zone)
        end = datetime.combine(day + ALL_DAY, time(0), zone)
    else:
        start = log.start
        end = start + (
            timedelta(minutes=log.duration_minutes) if log.duration_minutes else DEFAULT_ADHOC_DURATION
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


def filter_role(commitments: Iterable[Commitment], role: Role | None) -> list[Commitment]:
    return [c for c in commitments if role is None or c.role == role]
