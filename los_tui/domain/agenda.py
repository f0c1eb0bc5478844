"""Building the agenda: scheduled occurrences in a window, with what was logged against them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time, timedelta
from operator import itemgetter
from zoneinfo import ZoneInfo

from los_tui.domain.model import Commitment, Occurrence, OccurrenceLog, Role
from los_tui.domain.moments import end_after, instant
from los_tui.domain.recurrence import commitment_starts

ALL_DAY = timedelta(days=1)
DEFAULT_ADHOC_DURATION = timedelta(hours=1)


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
    by_slug = {c.slug: c for c in commitments}
    logs = list(logs)
    scheduled_logs = {
        (log.commitment_slug, instant(log.original_start)): log
        for log in logs
        if log.original_start is not None
    }
    low, high = instant(window_start), instant(window_end)
    seen: set[tuple[str, datetime]] = set()
    # Sorted once at the end by (the UTC instant, role, title); the instant is worked out here once.
    placed: list[tuple[tuple[datetime, Role, str], Occurrence]] = []
    for commitment in by_slug.values():
        slug, title, role = commitment.slug, commitment.title, commitment.role
        for version, original in commitment_starts(commitment, window_start, window_end):
            key = (slug, instant(original))
            seen.add(key)
            log = scheduled_logs.get(key)
            if log is None:
                at = key[1]
                if not low <= at < high:
                    continue
                placed.append(
                    (
                        (at, role, title),
                        Occurrence(
                            commitment_slug=slug,
                            title=title,
                            role=role,
                            start=original,
                            end=original + version.duration,  # on the wall clock of its zone: see end_after
                            original_start=original,
                            location=version.location,
                            series_uid=version.uid,
                        ),
                    )
                )
                continue
            start = original if log.start is None else log.start
            at = key[1] if log.start is None else instant(start)
            if not low <= at < high:
                continue
            placed.append(
                (
                    (at, role, title),
                    Occurrence(
                        commitment_slug=slug,
                        title=title,
                        role=role,
                        start=start,
                        end=end_after(start, version.duration, ZoneInfo(version.tz)),
                        original_start=original,
                        status=log.status,
                        location=version.location,
                        log_id=log.id,
                        note=log.note,
                        questions=log.questions,
                        difference=log.difference,
                        difference_shared=log.difference_shared,
                        version=log.version,
                        series_uid=version.uid,
                    ),
                )
            )
    # An all-day entry moves less than a day from its stored start: logs further out are not built.
    near_low, near_high = low - ALL_DAY, high + ALL_DAY
    for log in logs:
        owner = by_slug.get(log.commitment_slug)
        if owner is None:
            continue
        if log.original_start is not None and (log.commitment_slug, instant(log.original_start)) in seen:
            continue
        moment = log.start or log.original_start
        if moment is None or not near_low <= instant(moment) < near_high:
            continue
        occurrence = occurrence_from_log(owner, log, tz)
        at = instant(occurrence.start)
        if low <= at < high:
            placed.append(((at, occurrence.role, occurrence.title), occurrence))
    placed.sort(key=itemgetter(0))
    return [occurrence for _, occurrence in placed]


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
            end=end_after(start, duration, ZoneInfo(version.tz) if version else zone),
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
        end = end_after(
            start,
            timedelta(minutes=log.duration_minutes) if log.duration_minutes else DEFAULT_ADHOC_DURATION,
            zone,
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
