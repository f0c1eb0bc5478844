"""Reading the diary: commitments, logs and actions straight into domain objects, in plain SQL over the
standard library's sqlite3.

Every read path (the CLI's agenda and review, the calendar, a meeting, search, the first look) comes
through here, so looking at the diary never imports SQLAlchemy (its import alone is ~14 MB and as long as
starting Textual). Writes go through the ORM in db.repository, over the same tables (db.tables). Values
are read as SQLAlchemy stores them in SQLite: datetimes as naive UTC text "YYYY-MM-DD HH:MM:SS.ffffff",
which sorts as text (so the range tests below use the indexes), dates as "YYYY-MM-DD", booleans as 0/1.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from los_tui.domain.model import (
    DEFAULT_TZ,
    Action,
    Commitment,
    Frequency,
    OccurrenceLog,
    Role,
    Schedule,
    Status,
    TargetVersion,
)


def to_utc_naive(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def from_utc_naive(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.replace(tzinfo=UTC)


def stored_moment(moment: datetime) -> str:
    """`moment` as the text SQLAlchemy stores for it, for comparing in SQL."""
    return to_utc_naive(moment).isoformat(" ", "microseconds")


def _when(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def _utc(text: str | None) -> datetime | None:
    return from_utc_naive(_when(text))


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _marks(values: Sequence[Any]) -> str:
    return ", ".join("?" * len(values))


def read_setting(connection: sqlite3.Connection, key: str) -> str | None:
    row = connection.execute("SELECT value FROM diary_settings WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def schema_revision(connection: sqlite3.Connection) -> str | None:
    """The Alembic revision the diary's schema is at, or None for a diary with no schema yet."""
    found = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
    ).fetchone()
    if found is None:
        return None
    row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return None if row is None else str(row[0])


def load_commitments(
    connection: sqlite3.Connection,
    role: Role | None = None,
    include_retired: bool = False,
    slugs: list[str] | None = None,
    tz: str = DEFAULT_TZ,
) -> list[Commitment]:
    """Commitments with their schedule versions; `tz` decides the local day each entered the diary."""
    zone = ZoneInfo(tz)
    where, parameters = ["1"], []
    if role is not None:
        where.append("role = ?")
        parameters.append(role.value)
    if not include_retired:
        where.append("retired_on IS NULL")
    if slugs is not None:
        where.append(f"slug IN ({_marks(slugs)})")
        parameters.extend(slugs)
    rows = connection.execute(
        "SELECT id, slug, title, role, frequency, wording, with_whom, joint_id, quarterly_target, "
        f"retired_on, created_at FROM commitments WHERE {' AND '.join(where)} ORDER BY role DESC, id",
        parameters,
    ).fetchall()
    slug_of = dict(connection.execute("SELECT id, slug FROM commitments").fetchall())
    wanted = [row[0] for row in rows]
    versions: dict[int, list[Schedule]] = defaultdict(list)
    for row in connection.execute(
        "SELECT commitment_id, effective_from, rrule, start_local, duration_minutes, location, tz, "
        f"ical_uid, sequence FROM schedules WHERE commitment_id IN ({_marks(wanted)}) "
        "ORDER BY effective_from",
        wanted,
    ):
        versions[row[0]].append(
            Schedule(
                rrule=row[2],
                start=datetime.fromisoformat(row[3]),
                duration_minutes=row[4],
                location=row[5],
                tz=row[6],
                effective_from=_day(row[1]),
                uid=row[7],
                sequence=row[8],
            )
        )
    targets: dict[int, list[TargetVersion]] = defaultdict(list)
    for row in rows:
        if row[8] is not None:  # set before target changes were kept (schema 0001): from the start
            targets[row[0]].append(TargetVersion(count=row[8]))
    for commitment_id, effective_from, target in connection.execute(
        "SELECT commitment_id, effective_from, target FROM target_changes "
        f"WHERE commitment_id IN ({_marks(wanted)}) ORDER BY effective_from",
        wanted,
    ):
        targets[commitment_id].append(TargetVersion(count=target, effective_from=_day(effective_from)))
    return [
        Commitment(
            slug=row[1],
            title=row[2],
            role=Role(row[3]),
            frequency=Frequency(row[4]),
            wording=row[5],
            with_whom=row[6],
            joint_slug=slug_of.get(row[7]) if row[7] is not None else None,
            retired_on=_day(row[9]),
            targets=tuple(targets[row[0]]),
            schedules=tuple(versions[row[0]]),
            created_on=datetime.fromisoformat(row[10]).replace(tzinfo=UTC).astimezone(zone).date(),
        )
        for row in rows
    ]


_LOGS = (
    "SELECT l.id, c.slug, l.original_start, l.start, l.status, l.note, l.questions, l.all_day, "
    "l.duration_minutes FROM occurrence_logs l JOIN commitments c ON c.id = l.commitment_id"
)


def _log(row: Sequence[Any]) -> OccurrenceLog:
    return OccurrenceLog(
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


def load_logs_in_window(
    connection: sqlite3.Connection, start: datetime, end: datetime, slugs: list[str] | None = None
) -> list[OccurrenceLog]:
    """Logs whose original start or (moved / ad hoc) start falls in [start, end): indexed range scans."""
    lo, hi = stored_moment(start), stored_moment(end)
    query = (
        f"{_LOGS} WHERE ((l.original_start >= ? AND l.original_start < ?) OR (l.start >= ? AND l.start < ?))"
    )
    parameters = [lo, hi, lo, hi]
    if slugs is not None:
        query += f" AND c.slug IN ({_marks(slugs)})"
        parameters.extend(slugs)
    return [_log(row) for row in connection.execute(query, parameters)]


def load_log(connection: sqlite3.Connection, log_id: int) -> OccurrenceLog | None:
    row = connection.execute(f"{_LOGS} WHERE l.id = ?", (log_id,)).fetchone()
    return None if row is None else _log(row)


def action_from_row(row: Any) -> Action:
    """An action from the ORM's ActionRow (see load_actions for what reads return)."""
    return Action(id=row.id, log_id=row.log_id, text=row.text, owner=row.owner, due=row.due, done=row.done)


def load_actions(connection: sqlite3.Connection, log_id: int) -> list[Action]:
    rows = connection.execute(
        "SELECT id, log_id, text, owner, due, done FROM actions WHERE log_id = ? ORDER BY id", (log_id,)
    )
    return [
        Action(id=row[0], log_id=row[1], text=row[2], owner=row[3], due=_day(row[4]), done=bool(row[5]))
        for row in rows
    ]


def search_logs(connection: sqlite3.Connection, words: list[str]) -> list[OccurrenceLog]:
    """Logs whose note, questions, commitment title or actions hold every word (case-insensitive)."""
    fields = ("l.note", "l.questions", "c.title", "a.text", "a.owner")
    each_word = "(" + " OR ".join(f"lower({name}) LIKE lower(?)" for name in fields) + ")"
    parameters = [f"%{word}%" for word in words for _ in fields]
    rows = connection.execute(
        f"SELECT DISTINCT {_LOGS.removeprefix('SELECT ')} LEFT OUTER JOIN actions a ON a.log_id = l.id "
        f"WHERE {' AND '.join([each_word] * len(words)) or '1'}",
        parameters,
    )
    return [_log(row) for row in rows]


def imported_event_keys(connection: sqlite3.Connection) -> set[tuple[str, str]]:
    return {(row[0], row[1]) for row in connection.execute("SELECT uid, recurrence_id FROM imported_events")}
