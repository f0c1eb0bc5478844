"""Building the agenda: scheduled occurrences in a window, with what was logged against them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from los_tui.domain.model import Commitment, Occurrence, OccurrenceLog, Role
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
    scheduled_logs = {
        (log.commitment_slug, log.original_start): log for log in logs if log.original_start is not None
    }
    seen: set[tuple[str, datetime]] = set()
    occurrences: list[Occurrence] = []
    for commitment in by_slug.values():
        for version, original in commitment_starts(commitment, window_start, window_end):
            seen.add((commitment.slug, original))
            log = scheduled_logs.get((commitment.slug, original))
            start = log.start if log is not None and log.start is not None else original
            if not window_start <= start < window_end:
                continue
            occurrences.append(
                Occurrence(
                    commitment_slug=commitment.slug,
                    title=commitment.title,
                    role=commitment.role,
                    start=start,
                    end=start + version.duration,
                    original_start=original,
                    status=log.status if log else None,
                    location=version.location,
                    log_id=log.id if log else None,
                    note=log.note if log else "",
                    questions=log.questions if log else "",
                    difference=log.difference if log else "",
                    difference_shared=log.difference_shared if log else False,
                    version=log.version if log else None,
                    series_uid=version.uid,
                )
            )
    for log in logs:
        owner = by_slug.get(log.commitment_slug)
        if owner is None or (
            log.original_start is not None and (log.commitment_slug, log.original_start) in seen
        ):
            continue
        moment = log.start or log.original_start
        if moment is None or not window_start - ALL_DAY <= moment < window_end + ALL_DAY:
            continue  # far outside the window: not worth building (an all-day entry moves < a day)
        occurrence = occurrence_from_log(owner, log, tz)
        if window_start <= occurrence.start < window_end:
            occurrences.append(occurrence)
    occurrences.sort(key=lambda o: (o.start, o.role, o.title))
    return occurrences


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
