"""Reading the diary: the Reader's methods turn rows of the tables (db.tables) into domain objects, in
plain SQL over the standard library's sqlite3 or, for a diary on a server, psycopg2 (the same queries,
written with `?` and translated once for psycopg2), columns read by name.

Every read path (the CLI's agenda and review, the calendar, a meeting, search, the first look) comes
through here, so looking at the diary never imports SQLAlchemy (its import alone is ~14 MB and as long as
starting Textual). The Writer (db.writer) reads back what it wrote through a Reader on its own connection,
so each table has one mapping to the domain: the `*_from_row` functions below. Values are read as
SQLAlchemy stores them in SQLite: datetimes as naive UTC text "YYYY-MM-DD HH:MM:SS.ffffff", which sorts as
text (so the range tests below use the indexes), dates as "YYYY-MM-DD", booleans as 0/1; PostgreSQL's
driver hands them over typed (naive datetimes, dates, bools), and the mappings take either.
"""

from __future__ import annotations

import re
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any, Protocol, cast
from zoneinfo import ZoneInfo

from los_tui.db.engine import ReadingConnection
from los_tui.db.search_index import INDEX_TABLE, SERVER_CONFIGURATION, first_key_at, log_id_of
from los_tui.domain.evidence_records import AskedQuestion, RaisedAction
from los_tui.domain.model import (
    DEFAULT_TZ,
    Action,
    Commitment,
    Frequency,
    LoggedStatus,
    OccurrenceLog,
    Role,
    Schedule,
    Status,
    TargetVersion,
)
from los_tui.domain.moments import with_zone
from los_tui.domain.search import (
    PLACES,
    Snippet,
    fts_query,
    plain_snippet,
    query_tokens,
    token_snippet,
    tsquery_text,
)


def to_utc_naive(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def stored_moment(moment: datetime) -> str:
    """`moment` as the text SQLAlchemy stores for it, for comparing in SQL."""
    return to_utc_naive(moment).isoformat(" ", "microseconds")


def _naive(value: str | datetime) -> datetime:
    """A stored date-time: SQLite's text, or the server driver's naive datetime."""
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def _utc(value: str | datetime | None) -> datetime | None:
    return None if value is None else with_zone(_naive(value), UTC)


def _utc_of(value: str | datetime | None) -> datetime | None:
    """`_utc` in one step for SQLite's text (parsed with its offset, which gives the very UTC tzinfo
    `with_zone` would), for reading logs by the thousand; anything else as `_utc` takes it."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value + "+00:00")
        except ValueError:  # text that already holds an offset: read as `_utc` reads it
            pass
    return with_zone(_naive(value), UTC)


def _day(value: str | date | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


Row = Mapping[str, Any]  # sqlite3.Row, or a dict made from a psycopg2 row: both read by column name


class ServerConnection(Protocol):
    """What the Reader needs of a psycopg2 connection (kept structural: psycopg2 is imported only for a
    diary on a server)."""

    def cursor(self, *args: Any, **kwargs: Any) -> Any: ...


_MARK = re.compile(r"\?")


@lru_cache(maxsize=256)
def server_sql(sql: str) -> str:
    """A query written for sqlite3 (`?` marks) in psycopg2's paramstyle (`%s`, a literal % doubled), and
    SQLite's unary `+` (which keeps its planner off an index) dropped: PostgreSQL has no `+text`."""
    return _MARK.sub("%s", sql.replace("%", "%%")).replace("+c.slug", "c.slug")


def _like_escaped(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _marks(values: Sequence[Any]) -> str:
    return ", ".join("?" * len(values)) or "NULL"  # `IN ()` is SQLite's alone; `IN (NULL)` matches nothing


# -- one mapping per table --------------------------------------------------------------------------------
# Commitments and their schedules are read by position, in these columns' order: every command reads all
# of them (a council's 200), and by name, with keywords, each costs several times as much.
_SCHEDULE_COLUMNS = (
    "commitment_id, rrule, start_local, duration_minutes, location, tz, effective_from, ical_uid, sequence"
)
_COMMITMENT_COLUMNS = (
    "c.id, c.slug, c.title, c.role, c.frequency, c.wording, c.with_whom, j.slug, c.quarterly_target, "
    "c.retired_on, c.created_at, c.factors"
)
_ROLES = {role.value: role for role in Role}  # a dict lookup: Role(text) costs 20x more
_FREQUENCIES = {frequency.value: frequency for frequency in Frequency}


# Each screen reads the commitments for itself (the month, a meeting, the agenda, the review, each read
# again after a change), and each read made every schedule version afresh: a council's 200 held five or
# six times over, and again by the expansions kept for them (`recurrence._expanded` is keyed by them). A
# version equal in every stored column is one object; a version changed in any column is a new one. A
# plain dict, not a WeakValueDictionary (whose every get and set is a few Python calls: a third of the
# time to read a council's 200 commitments): versions are few, a changed one's old self is a few hundred
# bytes, and past MOST_SCHEDULES_KEPT they are all let go.
_schedules: dict[tuple[Any, ...], Schedule] = {}
MOST_SCHEDULES_KEPT = 4096


def schedule_from_values(values: Sequence[Any]) -> Schedule:
    """A schedule version, from a row of `_SCHEDULE_COLUMNS` (its commitment's id first, not used here):
    the one already held, if any, equal in every stored column (see `_schedules`)."""
    stored = tuple(values[1:])
    schedule = _schedules.get(stored)
    if schedule is None:
        rrule, start, duration, location, tz, effective_from, uid, sequence = stored
        schedule = Schedule(rrule, _naive(start), duration, location, tz, _day(effective_from), uid, sequence)
        if len(_schedules) >= MOST_SCHEDULES_KEPT:
            _schedules.clear()
        _schedules[stored] = schedule
    return schedule


def commitment_from_values(
    values: Sequence[Any],
    targets: Sequence[TargetVersion],
    schedules: Sequence[Schedule],
    zone: ZoneInfo,
) -> Commitment:
    """A commitment, from a row of `_COMMITMENT_COLUMNS` (its joint partner's slug read with it)."""
    (
        _id,
        slug,
        title,
        role,
        frequency,
        wording,
        with_whom,
        joint_slug,
        _target,
        retired_on,
        created,
        factors,
    ) = values
    return Commitment(
        slug,
        title,
        _ROLES.get(role) or Role(role),
        _FREQUENCIES.get(frequency) or Frequency(frequency),
        wording,
        with_whom,
        joint_slug,
        _day(retired_on),
        tuple(targets),
        _local_day(created, zone),
        tuple(schedules),
        _factors(factors),
    )


# A council's commitments were entered in a few sittings and name a few sets of factors: each text is
# read once a run, not once for each of 200 commitments.
@lru_cache(maxsize=1024)
def _local_day(created: str | datetime, zone: ZoneInfo) -> date:
    """The day in `zone` a commitment entered the diary, from its stored time (UTC)."""
    created_at = _utc_of(created)
    assert created_at is not None  # the schema requires it
    return created_at.astimezone(zone).date()


@lru_cache(maxsize=256)
def _factors(text: str) -> tuple[int, ...]:
    return tuple(int(n) for n in text.split(",") if n)


_STATUSES = {status.value: status for status in Status}  # a dict lookup: Status(text) costs 20x more


def log_from_row(row: Row) -> OccurrenceLog:
    """An occurrence log, from a row of occurrence_logs joined to its commitment's `slug`."""
    return OccurrenceLog(
        id=row["id"],
        commitment_slug=row["slug"],
        original_start=_utc(row["original_start"]),
        start=_utc(row["start"]),
        status=(_STATUSES.get(row["status"]) or Status(row["status"])) if row["status"] else None,
        note=row["note"],
        questions=row["questions"],
        all_day=bool(row["all_day"]),
        duration_minutes=row["duration_minutes"],
        difference=row["difference"],
        difference_shared=bool(row["difference_shared"]),
        version=row["version"],
    )


def log_from_values(values: Sequence[Any], slug: str | None = None) -> OccurrenceLog:
    """`log_from_row` for a plain row of `_LOGS`'s columns, in their order (`slug`, if given, in place of
    the second): a year's review of a council's diary reads 2,500 logs, and by name and keyword each
    costs twice as much."""
    log_id, named, original_start, start, status, note, questions, all_day, duration, difference = values[:10]
    return OccurrenceLog(
        log_id,
        named if slug is None else slug,
        _utc_of(original_start),
        _utc_of(start),
        (_STATUSES.get(status) or Status(status)) if status else None,
        note,
        questions,
        bool(all_day),
        duration,
        difference,
        bool(values[10]),
        values[11],
    )


def _logs_from_values(rows: list[Sequence[Any]], slug_of: dict[int, str]) -> list[OccurrenceLog]:
    """`log_from_values` over many rows of `_LOGS_BY_COMMITMENT_ID`, in one loop: SQLite's times as text
    without an offset and known statuses (what the diary holds) are read inline; anything else (a
    server's datetimes, text with an offset, a status the check never let in) row by row, as
    `log_from_values` reads it or refuses it."""
    parse, statuses = datetime.fromisoformat, _STATUSES
    try:
        return [
            OccurrenceLog(
                log_id,
                slug_of[commitment_id],
                None if original is None else parse(original + "+00:00"),
                None if start is None else parse(start + "+00:00"),
                statuses[status] if status else None,
                note,
                questions,
                bool(all_day),
                duration,
                difference,
                bool(shared),
                version,
            )
            for (
                log_id,
                commitment_id,
                original,
                start,
                status,
                note,
                questions,
                all_day,
                duration,
                difference,
                shared,
                version,
            ) in rows
        ]
    except (TypeError, ValueError, KeyError):
        return [log_from_values(row, slug_of[row[1]]) for row in rows]


# A LoggedStatus made as its tuple (NamedTuple's own __new__ is a Python call), by the thousand.
_logged_status = cast(Callable[[type[LoggedStatus], tuple[object, ...]], LoggedStatus], tuple.__new__)


def _never_moved_from_values(
    rows: list[Sequence[Any]], slug_of: dict[int, str], scheduled: set[int]
) -> tuple[dict[str, dict[datetime, LoggedStatus]], list[int]] | None:
    """Rows of `_NEVER_MOVED` as LoggedStatus by commitment and the meeting's scheduled start (naive UTC),
    with the ids of the moved logs among them; None where a row holds what only `log_from_values`
    reads (text of another shape, a status the check never let in) or a commitment without a schedule
    has a log with an original start: the logs are then read whole, and read (or refused) as ever."""
    parse, statuses, make = datetime.fromisoformat, _STATUSES, _logged_status
    marks: dict[str, dict[datetime, LoggedStatus]] = {}
    moved: list[int] = []
    try:
        for commitment_id, never_moved, moved_ids in rows:
            if moved_ids is not None:
                moved += [int(log_id) for log_id in moved_ids.split(",")]
            if never_moved is None:
                continue
            if commitment_id not in scheduled:
                return None
            slug = slug_of[commitment_id]
            of_commitment = marks[slug] = {}
            for text in never_moved.split(","):
                # The stored time's 26 characters, then the status (SQLAlchemy writes every time alike).
                at = parse(text[:26])  # naive UTC, as `agenda._matched` matches them
                status = text[26:]
                of_commitment[at] = make(LoggedStatus, (slug, at, statuses[status] if status else None))
    except (TypeError, ValueError, KeyError):
        return None
    return marks, moved


def action_from_row(row: Row) -> Action:
    return Action(
        id=row["id"],
        log_id=row["log_id"],
        text=row["text"],
        owner=row["owner"],
        due=_day(row["due"]),
        done=bool(row["done"]),
        version=row["version"],
    )


# The columns in the order of OccurrenceLog's fields (log_from_values reads them by position).
_LOGS = (
    "SELECT l.id, c.slug, l.original_start, l.start, l.status, l.note, l.questions, l.all_day, "
    "l.duration_minutes, l.difference, l.difference_shared, l.version "
    "FROM occurrence_logs l JOIN commitments c ON c.id = l.commitment_id"
)
# The same with the commitment's id in place of its slug (Reader.logs_in_window finds the slug).
_LOGS_BY_COMMITMENT_ID = _LOGS.replace("c.slug", "l.commitment_id").replace(
    " JOIN commitments c ON c.id = l.commitment_id", ""
)
# The same, for a role the server keeps from private text (an assistant or a viewer: db.access): the
# texts read as empty without being asked for, and a difference only where it is shared (the view).
_LOGS_WITHOUT_PRIVATE_TEXT = (
    "SELECT l.id, c.slug, l.original_start, l.start, l.status, '' AS note, '' AS questions, l.all_day, "
    "l.duration_minutes, coalesce(sd.difference, '') AS difference, l.difference_shared, l.version "
    "FROM occurrence_logs l JOIN commitments c ON c.id = l.commitment_id "
    "LEFT OUTER JOIN shared_differences sd ON sd.log_id = l.id"
)
# A log's original start or (moved / ad hoc) start in [?, ?): Reader.logs_in_window.
_IN_WINDOW = "((l.original_start >= ? AND l.original_start < ?) OR (l.start >= ? AND l.start < ?))"
# For a count that shows no log's texts (Reader.counted_logs_in_window), by commitment: its logs with an
# original start in the window never moved, each as its stored time and status in one text, and the ids of
# those moved. sqlite3 makes Python objects of each row and column it returns, which costs more than finding
# the rows: a council's year is 200 rows, not 2,500.
_NEVER_MOVED = (
    "SELECT l.commitment_id, "
    "group_concat(CASE WHEN l.start IS NULL THEN l.original_start || coalesce(l.status, '') END, ','), "
    "group_concat(CASE WHEN l.start IS NOT NULL THEN l.id END, ',') "
    "FROM occurrence_logs l WHERE l.original_start >= ? AND l.original_start < ? GROUP BY l.commitment_id"
)
# SQLite's page cache while a count reads a window's logs (KiB, as PRAGMA cache_size takes a negative
# number): a year of a council's twenty-year diary touches ~4 MiB of pages.
COUNTING_CACHE_SIZE = -16384
# Windows up to this long are read by time; see Reader.logs_in_window.
LONG_WINDOW = timedelta(days=2 * 366)
# ... unless a few commitments holding at most this many logs between them are named: their own logs are
# then fewer to walk than a window's logs of every commitment (a brief's two years back on a council's
# twenty-year diary: ~150 logs against ~5,000, 0.1 ms against 3 ms).
FEW_SLUGS, FEW_LOGS = 4, 1000
_ACTIONS = "SELECT id, log_id, text, owner, due, done, version FROM actions"
_HELD = "coalesce(l.start, l.original_start)"


@dataclass(frozen=True)
class SearchHit:
    """A log a search found, where (the index's columns), and each of those places' snippet."""

    log: OccurrenceLog
    places: tuple[str, ...]
    snippets: dict[str, Snippet]


class Reader:
    """Reads within the caller's transaction on one connection (a snapshot, or a write's own): sqlite3
    for a diary file, psycopg2 for a diary on a server."""

    def __init__(
        self,
        connection: sqlite3.Connection | ServerConnection,
        tz: str = DEFAULT_TZ,
        private: bool = True,
        search_index: bool | None = None,
    ) -> None:
        """`private` False: the connected role may not read private text (db.access), so no query names
        it; a note, questions, an answer or an unshared difference read as empty. `search_index`: whether
        the diary has the full-text index, where the opener knows it (None: asked when a search needs it)."""
        self.connection = connection
        self._search_index = search_index
        self.tz = tz
        self.private = private
        self._logs = _LOGS if private else _LOGS_WITHOUT_PRIVATE_TEXT
        self._answer = "q.answer" if private else "'' AS answer"
        self.on_server = not isinstance(connection, sqlite3.Connection)
        # Moments are compared in SQL as the column holds them: text in SQLite, timestamps on the server.
        self.moment: Callable[[datetime], object] = to_utc_naive if self.on_server else stored_moment

    def _rows(self, sql: str, parameters: Sequence[Any] = ()) -> list[Row]:
        if not isinstance(self.connection, sqlite3.Connection):
            server = cast(ServerConnection, self.connection)
            with server.cursor() as server_cursor:
                server_cursor.execute(server_sql(sql), parameters)  # parameters always given: `%%` is `%`
                names = [column.name for column in server_cursor.description]
                return [dict(zip(names, values, strict=True)) for values in server_cursor.fetchall()]
        cursor = self.connection.cursor()
        cursor.row_factory = sqlite3.Row  # per cursor: the connection may be SQLAlchemy's, left as it is
        try:
            if isinstance(self.connection, ReadingConnection):
                return self.connection.fetch_all(cursor, sql, parameters)
            return cursor.execute(sql, parameters).fetchall()
        finally:
            cursor.close()

    def _values(self, sql: str, parameters: Sequence[Any] = ()) -> list[Sequence[Any]]:
        """The rows of `sql` as plain tuples, read by position (cheaper than by name, for many rows)."""
        if not isinstance(self.connection, sqlite3.Connection):
            server = cast(ServerConnection, self.connection)
            with server.cursor() as server_cursor:
                server_cursor.execute(server_sql(sql), parameters)
                found: list[Sequence[Any]] = server_cursor.fetchall()
                return found
        cursor = self.connection.cursor()
        cursor.row_factory = None  # per cursor, as in _rows
        try:
            if isinstance(self.connection, ReadingConnection):
                return self.connection.fetch_all(cursor, sql, parameters)
            return cursor.execute(sql, parameters).fetchall()
        finally:
            cursor.close()

    def setting(self, key: str) -> str | None:
        rows = self._rows("SELECT value FROM diary_settings WHERE key = ?", (key,))
        return str(rows[0]["value"]) if rows else None

    def schema_revision(self) -> str | None:
        """The Alembic revision the diary's schema is at, or None for a diary with no schema yet."""
        if self.on_server:
            exists = "SELECT 1 WHERE to_regclass('alembic_version') IS NOT NULL"
        else:
            exists = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        if not self._rows(exists):
            return None
        rows = self._rows("SELECT version_num FROM alembic_version")
        return str(rows[0]["version_num"]) if rows else None

    def titles_in_use(self) -> dict[str, str]:
        """Each commitment in use (not retired): its slug and title, nothing more."""
        return {
            row["slug"]: row["title"]
            for row in self._rows("SELECT slug, title FROM commitments WHERE retired_on IS NULL ORDER BY id")
        }

    def commitments(
        self, role: Role | None = None, include_retired: bool = False, slugs: list[str] | None = None
    ) -> list[Commitment]:
        """Commitments with their schedule and target versions; the Reader's `tz` decides the local day
        each entered the diary."""
        where, parameters = ["1 = 1"], []
        if role is not None:
            where.append("c.role = ?")
            parameters.append(role.value)
        if not include_retired:
            where.append("c.retired_on IS NULL")
        if slugs is not None:
            where.append(f"c.slug IN ({_marks(slugs)})")
            parameters.extend(slugs)
        # The joint partner's slug read with each row (one query, not a second read of every commitment:
        # on a server each is a round trip).
        rows = self._values(
            f"SELECT {_COMMITMENT_COLUMNS} FROM commitments c LEFT JOIN commitments j ON j.id = c.joint_id"
            f" WHERE {' AND '.join(where)} ORDER BY c.role DESC, c.id",
            parameters,
        )
        # Every commitment wanted (the listings' and the review's case): their versions read whole, not
        # through an IN list of a council's 200 ids, parsed, bound and probed twice on every command.
        every = role is None and include_retired and slugs is None
        wanted: list[int] = [] if every else [row[0] for row in rows]
        of_wanted = "" if every else f"WHERE commitment_id IN ({_marks(wanted)}) "
        versions: dict[int, list[Schedule]] = defaultdict(list)
        for row in self._values(
            f"SELECT {_SCHEDULE_COLUMNS} FROM schedules {of_wanted}ORDER BY effective_from", wanted
        ):
            versions[row[0]].append(schedule_from_values(row))
        targets: dict[int, list[TargetVersion]] = defaultdict(list)
        for row in rows:
            if row[8] is not None:  # quarterly_target: set before target changes were kept (schema 0001)
                targets[row[0]].append(TargetVersion(count=row[8]))
        for commitment_id, effective_from, target in self._values(
            "SELECT commitment_id, effective_from, target FROM target_changes "
            f"{of_wanted}ORDER BY effective_from",
            wanted,
        ):
            targets[commitment_id].append(TargetVersion(count=target, effective_from=_day(effective_from)))
        zone = ZoneInfo(self.tz)
        return [commitment_from_values(row, targets[row[0]], versions[row[0]], zone) for row in rows]

    def logs_in_window(
        self, start: datetime, end: datetime, slugs: list[str] | None = None
    ) -> list[OccurrenceLog]:
        """Logs whose original start or (moved / ad hoc) start falls in [start, end), of the named
        commitments (None: all of them).

        A window of up to LONG_WINDOW is read by range scans of the two start indexes, the slugs tested
        on the rows found (the `+` keeps SQLite from walking every log of each named commitment instead:
        on a twenty-year diary that is every log). A longer window with slugs walks the slugs' logs, and
        so does any window naming a few commitments with few logs (FEW_SLUGS, FEW_LOGS).
        """
        lo, hi = self.moment(start), self.moment(end)
        parameters = [lo, hi, lo, hi]
        if slugs is None and self.private and not self.on_server:
            # Every commitment's, from a file: each log's slug from one read of the commitments' ids, not a
            # join per log. (A server joins on its side: a second read there is a second round trip.)
            slug_of: dict[int, str] = {
                row[0]: row[1] for row in self._values("SELECT id, slug FROM commitments")
            }
            rows = self._values(f"{_LOGS_BY_COMMITMENT_ID} WHERE {_IN_WINDOW}", parameters)
            return _logs_from_values(rows, slug_of)
        query = f"{self._logs} WHERE {_IN_WINDOW}"
        if slugs is not None:
            by_time = end - start <= LONG_WINDOW and not self._few_logs(slugs)
            query += f" AND {'+' if by_time else ''}c.slug IN ({_marks(slugs)})"
            parameters.extend(slugs)
        return [log_from_values(row) for row in self._values(query, parameters)]

    def counted_logs_in_window(
        self, start: datetime, end: datetime
    ) -> tuple[dict[str, dict[datetime, LoggedStatus]], list[OccurrenceLog]]:
        """`logs_in_window` of every commitment, for a count that shows no log's texts: the scheduled
        meetings' logs never moved as LoggedStatus (by commitment and the naive UTC time of the meeting's
        scheduled start), every other log whole. On a server, or where a row is not what the diary
        writes, all of them whole (no marks)."""
        if self.on_server or not self.private:
            return {}, self.logs_in_window(start, end)
        lo, hi = self.moment(start), self.moment(end)
        slug_of: dict[int, str] = {row[0]: row[1] for row in self._values("SELECT id, slug FROM commitments")}
        scheduled = {row[0] for row in self._values("SELECT DISTINCT commitment_id FROM schedules")}
        # A diary filled a commitment at a time (a council's history, imported) holds a year's logs across
        # a thousand pages, each visited for several logs by the two reads below: SQLite's page cache
        # (2 MiB unless set) let them go and read them again from the file. Kept while they read.
        cache_size = self._values("PRAGMA cache_size")[0][0]
        self._values(f"PRAGMA cache_size = {COUNTING_CACHE_SIZE}")
        try:
            found = _never_moved_from_values(self._values(_NEVER_MOVED, [lo, hi]), slug_of, scheduled)
            if found is None:
                return {}, self.logs_in_window(start, end)
            marks, moved = found
            # Every log with a start in the window (ad hoc entries, meetings moved into it), and any
            # meeting moved out of it: every log of the window but the marks.
            rows = self._values(f"{_LOGS_BY_COMMITMENT_ID} WHERE l.start >= ? AND l.start < ?", [lo, hi])
            read = {row[0] for row in rows}
            if missing := [log_id for log_id in moved if log_id not in read]:
                rows += self._values(f"{_LOGS_BY_COMMITMENT_ID} WHERE l.id IN ({_marks(missing)})", missing)
        finally:
            self._values(f"PRAGMA cache_size = {int(cache_size)}")
        return marks, _logs_from_values(rows, slug_of)

    def _few_logs(self, slugs: list[str]) -> bool:
        """Whether `slugs` are a few commitments with few logs between them (counted on their index)."""
        if len(slugs) > FEW_SLUGS:
            return False
        rows = self._rows(
            "SELECT count(*) AS logs FROM occurrence_logs l JOIN commitments c ON c.id = l.commitment_id "
            f"WHERE c.slug IN ({_marks(slugs)})",
            slugs,
        )
        return int(rows[0]["logs"]) <= FEW_LOGS

    def calendar_changes(self, slugs: list[str], with_notes: bool) -> list[OccurrenceLog]:
        """The named commitments' logs that change their calendar: scheduled meetings cancelled or
        moved, and with `with_notes` those with a note or questions (what an export writes).

        No index holds a log's status, so the logs are scanned once, the slugs tested on the rows found
        (the `+`): left to itself SQLite walks each named commitment's logs through the unique index and
        looks every one of them up, ~8x slower on a twenty-year diary (all 50,000 logs either way)."""
        changed = "l.status = 'cancelled' OR l.start IS NOT NULL"
        if with_notes and self.private:
            changed += " OR l.note != '' OR l.questions != ''"
        return [
            log_from_row(row)
            for row in self._rows(
                f"{self._logs} WHERE l.original_start IS NOT NULL AND ({changed}) "
                f"AND +c.slug IN ({_marks(slugs)})",
                slugs,
            )
        ]

    def log(self, log_id: int) -> OccurrenceLog | None:
        rows = self._rows(f"{self._logs} WHERE l.id = ?", (log_id,))
        return log_from_row(rows[0]) if rows else None

    def scheduled_log_id(self, slug: str, original_start: datetime) -> int | None:
        """The id of the log kept for `slug`'s scheduled occurrence at `original_start`, if any."""
        rows = self._rows(
            f"{self._logs} WHERE c.slug = ? AND l.original_start = ?", (slug, self.moment(original_start))
        )
        return int(rows[0]["id"]) if rows else None

    def actions(self, log_id: int) -> list[Action]:
        return [
            action_from_row(row) for row in self._rows(f"{_ACTIONS} WHERE log_id = ? ORDER BY id", (log_id,))
        ]

    def action(self, action_id: int) -> Action | None:
        rows = self._rows(f"{_ACTIONS} WHERE id = ?", (action_id,))
        return action_from_row(rows[0]) if rows else None

    def has_search_index(self) -> bool:
        """Whether the diary has the full-text index: a diary file from 0004 on (FTS5), a server's from
        0006 on (PostgreSQL's own)."""
        if self._search_index is not None:
            return self._search_index
        if self.on_server:
            return bool(self._rows("SELECT 1 WHERE to_regclass(?) IS NOT NULL", (INDEX_TABLE,)))
        return bool(
            self._rows("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (INDEX_TABLE,))
        )

    def search(
        self,
        words: list[str],
        start: datetime | None = None,
        end: datetime | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[SearchHit]:
        """Logs holding every word (each as the start of a word) in their commitment's title, note,
        questions, difference, actions or answers, held in [start, end), newest first: `limit` of them
        from the `offset`th.

        Through the full-text index (migration 0004 in a file, 0006 on a server). A diary without it (a
        server's before 0006) is searched with LIKE, each word anywhere in the text, in SQL that SQLite and
        PostgreSQL both take."""
        if not words:
            return []
        if not self.has_search_index():
            return self._search_without_index(words, start, end, limit, offset)
        if self.on_server:
            return self._search_server_index(words, start, end, limit, offset)
        # The index's rowids go by the meetings' times (migration 0004): newest first, and --from/--to
        # as a range of rowids, straight from the index.
        where: list[str] = [f"{INDEX_TABLE} MATCH ?"]
        parameters: list[Any] = [fts_query(words)]
        if start is not None:
            where.append("rowid >= ?")
            parameters.append(first_key_at(start))
        if end is not None:
            where.append("rowid < ?")
            parameters.append(first_key_at(end))
        found = self._rows(
            f"SELECT rowid, {', '.join(PLACES)} FROM {INDEX_TABLE} WHERE {' AND '.join(where)} "
            "ORDER BY rowid DESC LIMIT ? OFFSET ?",
            [*parameters, limit, offset],
        )
        ids = [log_id_of(row["rowid"]) for row in found]
        texts = {log_id_of(row["rowid"]): {place: row[place] or "" for place in PLACES} for row in found}
        tokens = query_tokens(words)
        return self._hits(ids, texts, lambda text: token_snippet(text, tokens))

    def _search_server_index(
        self, words: list[str], start: datetime | None, end: datetime | None, limit: int, offset: int
    ) -> list[SearchHit]:
        """PostgreSQL's index (migration 0006): a role kept from private text matches only the words it
        may read (`shared_words`), never naming `all_words`, which the server would refuse it."""
        column = "all_words" if self.private else "shared_words"
        tests = [f"s.{column} @@ to_tsquery('{SERVER_CONFIGURATION}', ?)"]
        parameters: list[Any] = [tsquery_text(words)]
        if start is not None:
            tests.append("s.held >= ?")
            parameters.append(self.moment(start))
        if end is not None:
            tests.append("s.held < ?")
            parameters.append(self.moment(end))
        rows = self._rows(
            f"SELECT s.log_id FROM {INDEX_TABLE} s WHERE {' AND '.join(tests)} "
            "ORDER BY s.held DESC NULLS LAST, s.log_id DESC LIMIT ? OFFSET ?",
            [*parameters, limit, offset],
        )
        ids = [row["log_id"] for row in rows]
        tokens = query_tokens(words)
        return self._hits(ids, self._texts_of(ids), lambda text: token_snippet(text, tokens))

    def _texts_of(self, ids: list[int]) -> dict[int, dict[str, str]]:
        """Each place's text of the logs `ids`, as the connected role may read it."""
        columns = ", ".join(f"{expression} AS {place}" for place, expression in self._search_texts().items())
        found: dict[int, dict[str, str]] = {}
        if ids:
            for row in self._rows(
                f"SELECT l.id, {columns} FROM occurrence_logs l "
                f"JOIN commitments c ON c.id = l.commitment_id WHERE l.id IN ({_marks(ids)})",
                ids,
            ):
                found[row["id"]] = {place: row[place] or "" for place in PLACES}
        return found

    def _search_without_index(
        self, words: list[str], start: datetime | None, end: datetime | None, limit: int, offset: int
    ) -> list[SearchHit]:
        texts = self._search_texts()
        everything = " || ' ' || ".join(texts.values())
        tests = [f"lower({everything}) LIKE lower(?) ESCAPE '\\'" for _ in words]
        parameters: list[Any] = [f"%{_like_escaped(word)}%" for word in words]
        if start is not None:
            tests.append(f"{_HELD} >= ?")
            parameters.append(self.moment(start))
        if end is not None:
            tests.append(f"{_HELD} < ?")
            parameters.append(self.moment(end))
        rows = self._rows(
            f"SELECT l.id FROM occurrence_logs l JOIN commitments c ON c.id = l.commitment_id "
            f"WHERE {' AND '.join(tests)} ORDER BY {_HELD} DESC, l.id DESC LIMIT ? OFFSET ?",
            [*parameters, limit, offset],
        )
        ids = [row["id"] for row in rows]
        found = self._texts_of(ids)
        tokens = query_tokens(words)
        # Marked as the index marks them (whole words starting with a word searched) where there are such
        # words; LIKE also finds a word inside another, marked where it is.
        return self._hits(ids, found, lambda text: token_snippet(text, tokens) or plain_snippet(text, words))

    def _search_texts(self) -> dict[str, str]:
        """Each place a search looks, as an SQL expression over a log l and its commitment c."""
        joined = "group_concat" if isinstance(self.connection, sqlite3.Connection) else "string_agg"
        if not self.private:  # a role kept from private text searches what it may read (db.access)
            return {
                "title": "c.title",
                "note": "''",
                "questions": "''",
                "difference": "coalesce((SELECT sd.difference FROM shared_differences sd "
                "WHERE sd.log_id = l.id), '')",
                "actions": f"coalesce((SELECT {joined}(a.text || ' ' || a.owner, ' ') FROM actions a "
                "WHERE a.log_id = l.id), '')",
                "answers": "''",
            }
        return {
            "title": "c.title",
            "note": "l.note",
            "questions": "l.questions",
            "difference": "l.difference",
            "actions": f"coalesce((SELECT {joined}(a.text || ' ' || a.owner, ' ') FROM actions a "
            "WHERE a.log_id = l.id), '')",
            "answers": f"coalesce((SELECT {joined}(q.answer, ' ') FROM asked_questions q "
            "WHERE q.log_id = l.id), '')",
        }

    def _hits(
        self,
        ids: list[int],
        texts: dict[int, dict[str, str]],
        snippet_of: Callable[[str], Snippet | None],
    ) -> list[SearchHit]:
        """The logs `ids`, in that order, each with the places whose text has a snippet."""
        if not ids:
            return []
        logs = {row["id"]: row for row in self._rows(f"{self._logs} WHERE l.id IN ({_marks(ids)})", ids)}
        hits = []
        for log_id in ids:
            snippets = {}
            for place in PLACES:
                snippet = snippet_of(texts[log_id][place])
                if snippet is not None:
                    snippets[place] = snippet
            hits.append(SearchHit(log_from_row(logs[log_id]), tuple(snippets), snippets))
        return hits

    def asked_questions(self, start: datetime, end: datetime) -> list[AskedQuestion]:
        """Questions of the guidance asked at meetings starting in [start, end)."""
        lo, hi = self.moment(start), self.moment(end)
        rows = self._rows(
            f"SELECT c.slug, coalesce(l.start, l.original_start) AS held, q.question_id, {self._answer} "
            "FROM asked_questions q JOIN occurrence_logs l ON l.id = q.log_id "
            "JOIN commitments c ON c.id = l.commitment_id "
            "WHERE coalesce(l.start, l.original_start) >= ? AND coalesce(l.start, l.original_start) < ? "
            "ORDER BY held, q.question_id",
            (lo, hi),
        )
        return [
            AskedQuestion(row["slug"], _utc(row["held"]) or datetime.min, row["question_id"], row["answer"])
            for row in rows
        ]

    def asked_at(self, log_id: int) -> list[AskedQuestion]:
        rows = self._rows(
            f"SELECT c.slug, coalesce(l.start, l.original_start) AS held, q.question_id, {self._answer} "
            "FROM asked_questions q JOIN occurrence_logs l ON l.id = q.log_id "
            "JOIN commitments c ON c.id = l.commitment_id WHERE q.log_id = ? ORDER BY q.id",
            (log_id,),
        )
        return [
            AskedQuestion(row["slug"], _utc(row["held"]) or datetime.min, row["question_id"], row["answer"])
            for row in rows
        ]

    def raised_actions(self, slugs: list[str] | None = None) -> list[RaisedAction]:
        """Every action with the commitment and the local day of the meeting it arose at."""
        query = (
            "SELECT a.id, a.log_id, a.text, a.owner, a.due, a.done, a.version, c.slug, "
            "coalesce(l.start, l.original_start) AS held FROM actions a "
            "JOIN occurrence_logs l ON l.id = a.log_id JOIN commitments c ON c.id = l.commitment_id"
        )
        parameters: list[Any] = []
        if slugs is not None:
            query += f" WHERE c.slug IN ({_marks(slugs)})"
            parameters.extend(slugs)
        zone = ZoneInfo(self.tz)
        return [
            RaisedAction(
                action_from_row(row), row["slug"], (_utc(row["held"]) or datetime.min).astimezone(zone).date()
            )
            for row in self._rows(query + " ORDER BY held, a.id", parameters)
        ]

    def imported_event_keys(self) -> set[tuple[str, str]]:
        return {
            (row["uid"], row["recurrence_id"])
            for row in self._rows("SELECT uid, recurrence_id FROM imported_events")
        }
