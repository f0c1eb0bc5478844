"""A first look at the diary through the standard library's sqlite3, read-only.

The TUI shows this month from it while SQLAlchemy is still loading (importing it costs about as much as
starting Textual), then opens the diary properly. It reads exactly what db.queries reads, with the same
SQL by hand; a test holds the two readers to the same answers. Anything unexpected (no diary yet, another
file, an older or newer schema, a lock) means "no first look", never an error: the normal path decides.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from db.identity import APPLICATION_ID, HEAD_REVISION
from los_tui.domain.model import Commitment, Frequency, OccurrenceLog, Role, Schedule, Status


def _when(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _utc(text: str | None) -> datetime | None:
    moment = _when(text)
    return None if moment is None else moment.replace(tzinfo=UTC)


def first_look(
    path: Path, start: datetime, end: datetime, tz: str
) -> tuple[list[Commitment], list[OccurrenceLog]] | None:
    """(every commitment, logs in [start, end)) of a diary that is set up, or None when the normal path
    must decide."""
    if not path.is_file():
        return None
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.2)
    except sqlite3.Error:
        return None
    try:
        connection.execute("BEGIN")  # one snapshot for every read below
        if connection.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            return None
        if connection.execute("SELECT version_num FROM alembic_version").fetchone() != (HEAD_REVISION,):
            return None
        if connection.execute("SELECT 1 FROM diary_settings WHERE key = 'role'").fetchone() is None:
            return None  # not set up yet: the first start asks for the role
        return _commitments(connection, tz), _logs(connection, start, end)
    except (sqlite3.Error, ValueError):
        return None
    finally:
        connection.close()


def _commitments(connection: sqlite3.Connection, tz: str) -> list[Commitment]:
    zone = ZoneInfo(tz)
    versions: dict[int, list[Schedule]] = defaultdict(list)
    for row in connection.execute(
        "SELECT commitment_id, effective_from, rrule, start_local, duration_minutes, location, tz, ical_uid, "
        "sequence FROM schedules ORDER BY effective_from"
    ):
        start = _when(row[3])
        assert start is not None
        versions[row[0]].append(
            Schedule(
                rrule=row[2],
                start=start,
                duration_minutes=row[4],
                location=row[5],
                tz=row[6],
                effective_from=_day(row[1]),
                uid=row[7],
                sequence=row[8],
            )
        )
    rows = connection.execute(
        "SELECT id, slug, title, role, frequency, wording, with_whom, joint_id, quarterly_target, "
        "retired_on, created_at FROM commitments ORDER BY role DESC, id"
    ).fetchall()
    slug_of = {row[0]: row[1] for row in rows}
    commitments = []
    for row in rows:
        created = _utc(row[10])
        assert created is not None
        commitments.append(
            Commitment(
                slug=row[1],
                title=row[2],
                role=Role(row[3]),
                frequency=Frequency(row[4]),
                wording=row[5],
                with_whom=row[6],
                joint_slug=slug_of.get(row[7]) if row[7] is not None else None,
                retired_on=_day(row[9]),
                quarterly_target=row[8],
                schedules=tuple(versions[row[0]]),
                created_on=created.astimezone(zone).date(),
            )
        )
    return commitments


def _logs(connection: sqlite3.Connection, start: datetime, end: datetime) -> list[OccurrenceLog]:
    # Stored as SQLAlchemy writes naive UTC datetimes in SQLite: "YYYY-MM-DD HH:MM:SS.ffffff", which
    # sorts as text, so the range tests below use the same indexes as db.queries.
    lo = start.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
    hi = end.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
    found = []
    for row in connection.execute(
        "SELECT l.id, c.slug, l.original_start, l.start, l.status, l.note, l.questions, l.all_day, "
        "l.duration_minutes FROM occurrence_logs l JOIN commitments c ON c.id = l.commitment_id "
        "WHERE (l.original_start >= ? AND l.original_start < ?) OR (l.start >= ? AND l.start < ?)",
        (lo, hi, lo, hi),
    ):
        found.append(
            OccurrenceLog(
                id=row[0],
                commitment_slug=row[1],
                original_start=_utc(row[2]),
                start=_utc(row[3]),
                status=Status(row[4]) if row[4] else None,
                note=row[5],
                questions=row[6],
                all_day=bool(row[7]),
                duration_minutes=row[8],
            )
        )
    return found
