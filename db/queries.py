"""Reading the diary with SQLAlchemy Core: commitments and logs straight into domain objects.

The read paths (agenda, review, the calendar) come through here, so they never pay for building and
configuring ORM mappers; writes go through db.repository.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Row, or_, select

from db import tables
from los_tui.domain.model import (
    DEFAULT_TZ,
    Action,
    Commitment,
    Frequency,
    OccurrenceLog,
    Role,
    Schedule,
    Status,
)


def to_utc_naive(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def from_utc_naive(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.replace(tzinfo=UTC)


def read_setting(connection: Connection, key: str) -> str | None:
    return connection.scalar(select(tables.settings.c.value).where(tables.settings.c.key == key))


def load_commitments(
    connection: Connection,
    role: Role | None = None,
    include_retired: bool = False,
    slugs: list[str] | None = None,
    tz: str = DEFAULT_TZ,
) -> list[Commitment]:
    """Commitments with their schedule versions; `tz` decides the local day each entered the diary."""
    zone = ZoneInfo(tz)
    c, s = tables.commitments, tables.schedules
    query = select(c).order_by(c.c.role.desc(), c.c.id)
    if role is not None:
        query = query.where(c.c.role == role.value)
    if not include_retired:
        query = query.where(c.c.retired_on.is_(None))
    if slugs is not None:
        query = query.where(c.c.slug.in_(slugs))
    rows = connection.execute(query).all()
    slug_of = {row.id: row.slug for row in connection.execute(select(c.c.id, c.c.slug))}
    versions: dict[int, list[Schedule]] = defaultdict(list)
    wanted = [row.id for row in rows]
    for row in connection.execute(
        select(s).where(s.c.commitment_id.in_(wanted)).order_by(s.c.effective_from)
    ):
        versions[row.commitment_id].append(
            Schedule(
                rrule=row.rrule,
                start=row.start_local,
                duration_minutes=row.duration_minutes,
                location=row.location,
                tz=row.tz,
                effective_from=row.effective_from,
                uid=row.ical_uid,
                sequence=row.sequence,
            )
        )
    return [
        Commitment(
            slug=row.slug,
            title=row.title,
            role=Role(row.role),
            frequency=Frequency(row.frequency),
            wording=row.wording,
            with_whom=row.with_whom,
            joint_slug=slug_of.get(row.joint_id) if row.joint_id is not None else None,
            retired_on=row.retired_on,
            quarterly_target=row.quarterly_target,
            schedules=tuple(versions[row.id]),
            created_on=row.created_at.replace(tzinfo=UTC).astimezone(zone).date(),
        )
        for row in rows
    ]


def load_logs_in_window(
    connection: Connection, start: datetime, end: datetime, slugs: list[str] | None = None
) -> list[OccurrenceLog]:
    """Logs whose original start or (moved / ad hoc) start falls in [start, end): indexed range scans."""
    log, c = tables.occurrence_logs, tables.commitments
    lo, hi = to_utc_naive(start), to_utc_naive(end)
    query = (
        select(log, c.c.slug)
        .join(c, c.c.id == log.c.commitment_id)
        .where(
            or_(
                (log.c.original_start >= lo) & (log.c.original_start < hi),
                (log.c.start >= lo) & (log.c.start < hi),
            )
        )
    )
    if slugs is not None:
        query = query.where(c.c.slug.in_(slugs))
    return [log_from_row(row) for row in connection.execute(query)]


def log_from_row(row: Row[Any]) -> OccurrenceLog:
    data = row._mapping
    return OccurrenceLog(
        id=data["id"],
        commitment_slug=data["slug"],
        original_start=from_utc_naive(data["original_start"]),
        start=from_utc_naive(data["start"]),
        status=Status(data["status"]) if data["status"] else None,
        note=data["note"],
        questions=data["questions"],
        all_day=data["all_day"],
        duration_minutes=data["duration_minutes"],
    )


def load_log(connection: Connection, log_id: int) -> OccurrenceLog | None:
    log, c = tables.occurrence_logs, tables.commitments
    row = connection.execute(
        select(log, c.c.slug).join(c, c.c.id == log.c.commitment_id).where(log.c.id == log_id)
    ).first()
    return None if row is None else log_from_row(row)


def action_from_row(row: Any) -> Action:
    """An action from a row of `actions`: a Core row or the ORM's ActionRow, which read alike."""
    return Action(id=row.id, log_id=row.log_id, text=row.text, owner=row.owner, due=row.due, done=row.done)


def load_actions(connection: Connection, log_id: int) -> list[Action]:
    a = tables.actions
    rows = connection.execute(select(a).where(a.c.log_id == log_id).order_by(a.c.id))
    return [action_from_row(row) for row in rows]


def search_logs(connection: Connection, words: list[str]) -> list[OccurrenceLog]:
    """Logs whose note, questions, commitment title or actions hold every word (case-insensitive)."""
    log, c, a = tables.occurrence_logs, tables.commitments, tables.actions
    query = select(log, c.c.slug).join(c, c.c.id == log.c.commitment_id).outerjoin(a, a.c.log_id == log.c.id)
    for word in words:
        pattern = f"%{word}%"
        query = query.where(
            or_(
                log.c.note.ilike(pattern),
                log.c.questions.ilike(pattern),
                c.c.title.ilike(pattern),
                a.c.text.ilike(pattern),
                a.c.owner.ilike(pattern),
            )
        )
    return [log_from_row(row) for row in connection.execute(query.distinct())]


def imported_event_keys(connection: Connection) -> set[tuple[str, str]]:
    events = tables.imported_events
    return {
        (row.uid, row.recurrence_id)
        for row in connection.execute(select(events.c.uid, events.c.recurrence_id))
    }
