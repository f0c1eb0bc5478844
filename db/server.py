"""A diary in a PostgreSQL database (a council's server): the same Store interface the services use, over
psycopg2, so everything that works on a diary file works on it.

What differs from a file, and why:
- Writers queue on one advisory lock per diary (taken at the start of each write transaction), as they
  queue on SQLite's write lock: each write sees every write committed before it, and a read-check-write
  verb never interleaves with another. No lock is held while anyone types: a save is one short
  transaction, and a save made against an older version of a record keeps both texts (optimistic
  locking: see db.writer and migration 0005).
- Other people's commits reach an open screen by LISTEN/NOTIFY: triggers (migration 0005) notify on
  every committed change, and `data_version` counts what arrived.
- There is no file to copy: a server diary is backed up by the server (`pg_dump`), and an older schema is
  migrated only when asked (`los migrate --yes`), after the user has taken a dump.
- Passwords live in ~/.pgpass or PGPASSFILE, as libpq reads them; one written in the URL is never shown.

The driver is psycopg2 (its C extension over libpq), for the reader, the writer's SQLAlchemy engine
(`postgresql+psycopg2`) and Alembic alike: importing it costs a command a third of what psycopg 3's
import did (asyncio, logging, ctypes and importlib.metadata come with that one), and that import was most
of what a reading command on a server paid beyond a file (docs/PERFORMANCE.md, the ninth pass).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from los_tui.db.errors import StoreError
from los_tui.db.identity import HEAD_REVISION
from los_tui.db.kept_connections import KeptConnections
from los_tui.db.paths import ServerDiary
from los_tui.db.reader import Reader
from los_tui.db.standing import STANDING_COLUMNS, STANDING_SQL, Standing
from los_tui.domain.model import DEFAULT_TZ

if TYPE_CHECKING:
    from psycopg2.extensions import connection as DriverConnection
    from sqlalchemy import Engine

    from los_tui.db.store import Clock, Health
    from los_tui.db.writer import Writer

# The channel migration 0005's triggers notify on every committed change (per database, as NOTIFY is).
CHANGES_CHANNEL = "los_tui_diary"
# The advisory lock every write transaction takes first ("LoST"), and how long one waits for it: as
# long as a writer waits for SQLite's lock (db.engine.BUSY_TIMEOUT_MS).
WRITE_LOCK = 0x4C6F5354
LOCK_WAIT = "5s"
APPLICATION_NAME = "los-tui"  # what the server's own views (pg_stat_activity) show for us


def _one_line(where: ServerDiary, error: BaseException) -> str:
    """The server's first line alone: its DETAIL ("Failing row contains (...)") quotes the refused row,
    note text and all. An error the client raised (no server message) is said whole, password hidden."""
    primary = getattr(getattr(error, "diag", None), "message_primary", None)
    return where.scrub(" ".join(str(primary or error).split())) or type(error).__name__


def connect(where: ServerDiary, autocommit: bool = True) -> DriverConnection:
    """A psycopg2 connection to the server diary (libpq reads the URL, ~/.pgpass, PGPASSFILE, sslmode...);
    a server that cannot be reached is one line naming the diary, with no password in it."""
    import psycopg2

    try:
        connection = psycopg2.connect(where.url, application_name=APPLICATION_NAME)
    except psycopg2.Error as exc:
        raise StoreError(f"cannot be reached ({_one_line(where, exc)})", "diary", str(where)) from None
    connection.autocommit = autocommit  # set in the client: nothing is sent
    return connection


def run(connection: DriverConnection, sql: str) -> tuple[Any, ...] | None:
    """Send `sql` (no parameters) and return its first row, if it returns rows."""
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone() if cursor.description is not None else None


def make_server_engine(where: ServerDiary) -> Engine:
    """The SQLAlchemy engine the Writer and Alembic use: every connection made by psycopg2 from the URL as
    libpq reads it (SQLAlchemy's own URL parsing knows nothing of `?host=/socket/dir` or .pgpass)."""
    from sqlalchemy import create_engine

    return create_engine(
        "postgresql+psycopg2://",
        creator=lambda: connect(where, autocommit=False),
        hide_parameters=True,  # note text must never reach a log or an error message
        pool_pre_ping=True,  # a server restarted overnight: reconnect rather than fail the next save
        use_native_hstore=False,  # no hstore columns: spares the query looking for the extension's types
    )


# Everything opening a diary asks of the server, in one round trip where the diary is there (every
# command but the first `los init`): its schema revision and what the connected role may do.
OPENING_SQL = f"SELECT version_num, {STANDING_COLUMNS} FROM alembic_version"


def _opening(connection: DriverConnection) -> tuple[str | None, Standing | None]:
    """The diary's schema revision and the connected role's standing in it; (None, None) before the
    database's first migration (no alembic_version: empty, or someone else's)."""
    import psycopg2.errors

    try:
        row = run(connection, OPENING_SQL)
    except psycopg2.errors.UndefinedTable:
        return None, None  # autocommit: the refused statement leaves the connection usable
    if row is None:
        return None, None
    return str(row[0]), _standing_from(row[1:])


def _tables(connection: DriverConnection) -> int:
    """How many tables the database's schema holds (a database with tables but no revision is someone
    else's); asked only when there is no revision."""
    row = run(connection, "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")
    return int(row[0]) if row else 0


def _standing_from(row: tuple[Any, ...]) -> Standing:
    return Standing(role=str(row[0]), private=bool(row[1]), writes=bool(row[2]))


def _standing(connection: DriverConnection) -> Standing:
    """What the connected role may do in the diary, asked of the server (db.access grants it)."""
    row = run(connection, STANDING_SQL)
    assert row is not None
    return _standing_from(row)


def _no_access(connection: DriverConnection) -> str:
    """What to tell a role the server lets read nothing of the diary."""
    row = run(connection, "SELECT current_user")
    role = row[0] if row else "?"
    return (
        f"your database role ({role}) has no access to this diary; ask its owner to grant it "
        "(`los access grant`)"
    )


def migrate_server(where: ServerDiary) -> None:
    """Bring the server diary's schema to this los-tui's head, in one transaction (PostgreSQL's DDL is
    transactional: it all lands, or none of it does), one migration at a time across every client."""
    from alembic import command
    from alembic.config import Config
    from alembic.util import CommandError
    from sqlalchemy.exc import DBAPIError

    from los_tui.db.access import after_migration, before_migration
    from los_tui.db.migrate import MIGRATIONS_DIR

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    engine = make_server_engine(where)
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")
            kept = before_migration(connection)  # the access granted, renewed for the new schema below
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            after_migration(connection, kept)
            connection.commit()
    except CommandError as exc:
        raise StoreError(f"the diary's schema cannot be upgraded: {_one_line(where, exc)}") from None
    except DBAPIError as exc:
        raise StoreError(
            f"its schema could not be upgraded ({_one_line(where, exc.orig or exc)}); nothing was changed",
            "diary",
            str(where),
        ) from None
    finally:
        engine.dispose()


def migration_advice(where: ServerDiary, revision: str) -> str:
    return (
        f"the diary is at schema revision {revision} and this los-tui needs {HEAD_REVISION}; a diary on a "
        "server cannot be backed up by copying a file, so take a dump first (`pg_dump -Fc -f "
        f"before-{HEAD_REVISION}.dump DBNAME`, or ask whoever runs the server), then run `los migrate "
        "--yes` as the diary's owner; nothing was changed"
    )


class ServerStore(KeptConnections["DriverConnection"]):
    """One open diary on a PostgreSQL server. `reading()` is one snapshot (REPEATABLE READ, read only);
    `writing()` is one transaction, all or nothing, after the writers' queue (see the module's note)."""

    def __init__(
        self,
        where: ServerDiary,
        clock: Clock,
        tz: str = DEFAULT_TZ,
        health: Health | None = None,
        standing: Standing | None = None,
    ):
        from los_tui.db.store import Health

        self.path = where  # what the services call where the diary is
        self.where = where
        # What the connected role may do (db.access): a role kept from private text reads without it.
        self.standing = standing or Standing(role="")
        self.clock = clock
        self.tz = tz
        self.health = health or Health()
        super().__init__()
        self._changes = 0  # notifications of committed changes received on the watch connection

    read_only = False  # a role refused a write is told so by the server, write by write

    @classmethod
    def open(
        cls,
        where: ServerDiary,
        clock: Clock,
        tz: str = DEFAULT_TZ,
        create: bool = True,
        allow_damaged: bool = False,
        migrate: bool = False,
    ) -> ServerStore:
        """Open the diary on the server: an empty database is made a diary if `create`; an older schema
        is upgraded only with `migrate` (the user has taken a dump: see migration_advice); a database
        holding other tables, or a schema from a newer los-tui, is left untouched."""
        import psycopg2.errors

        del allow_damaged  # the server keeps its own pages sound: there is no damaged file to show
        first = connect(where)  # kept as the first reading connection once the diary is open
        try:
            try:
                revision, standing = _opening(first)
                tables = 0 if revision is not None else _tables(first)
            except psycopg2.errors.InsufficientPrivilege:
                raise StoreError(_no_access(first), "diary", str(where)) from None
            except psycopg2.Error as exc:
                raise StoreError(f"cannot be read ({_one_line(where, exc)})", "diary", str(where)) from None
            cls._check_schema(where, revision, tables, create, migrate)
            if standing is None or revision != HEAD_REVISION:
                standing = _standing(first)  # made or migrated just now: the grants renewed with it
        except BaseException:
            first.close()
            raise
        from los_tui.db.store import Health

        notice = standing.notice()
        store = cls(where, clock, tz, Health(notices=[notice] if notice else []), standing)
        store._idle.append(first)
        return store

    @staticmethod
    def _check_schema(
        where: ServerDiary, revision: str | None, tables: int, create: bool, migrate: bool
    ) -> None:
        if revision is None:
            if tables:
                raise StoreError(
                    "holds tables but is not a los-tui diary; left untouched", "diary", str(where)
                )
            if not create:
                raise StoreError("no diary there yet; run `los init` first", "diary", str(where))
            migrate_server(where)
        elif revision != HEAD_REVISION:
            from alembic.script import ScriptDirectory

            from los_tui.db.migrate import MIGRATIONS_DIR

            known = {script.revision for script in ScriptDirectory(str(MIGRATIONS_DIR)).walk_revisions()}
            if revision not in known:
                raise StoreError(
                    f"its schema revision {revision!r} is unknown to this los-tui (newest known: "
                    f"{HEAD_REVISION}); it was written by a newer los-tui, so it is left untouched",
                    "diary",
                    str(where),
                )
            if not migrate:
                raise StoreError(migration_advice(where, revision))
            migrate_server(where)

    @property
    def engine(self) -> Engine:
        return self._engine_made_once(lambda: make_server_engine(self.where))

    @contextmanager
    def reading(self) -> Iterator[Reader]:
        """One read-only snapshot on a reused connection."""
        import psycopg2

        connection = self._reading_connection_kept()
        try:
            if connection is None:
                connection = connect(self.where)
            run(connection, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        except psycopg2.Error as exc:
            if connection is not None:
                connection.close()
            raise StoreError(f"the diary could not be read ({_one_line(self.where, exc)})") from None
        try:
            # Opened only at HEAD_REVISION, which has migration 0006's index: no need to ask each search.
            yield Reader(connection, self.tz, self.standing.private, search_index=True)
        except psycopg2.Error as exc:
            connection.close()
            raise StoreError(f"the diary could not be read ({_one_line(self.where, exc)})") from None
        except BaseException:
            self._put_back(connection)
            raise
        self._put_back(connection)

    def _put_back(self, connection: DriverConnection) -> None:
        import psycopg2

        try:
            run(connection, "ROLLBACK")
        except psycopg2.Error:
            connection.close()
            return
        self._keep_for_reading(connection)

    @contextmanager
    def writing(self) -> Iterator[Writer]:
        """One write transaction, begun by taking the writers' lock: every verb inside lands together,
        or none does."""
        import psycopg2
        from sqlalchemy.exc import DBAPIError

        from los_tui.db.writer import Writer

        try:
            with self.engine.begin() as connection:
                connection.exec_driver_sql(f"SET LOCAL lock_timeout = '{LOCK_WAIT}'")
                connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")
                yield Writer(connection, self.clock(), self.tz, self.standing.private)
        except DBAPIError as exc:
            raise StoreError(self._refusal(exc.orig)) from None
        except psycopg2.Error as exc:  # raised by a read made inside the write (db.reader)
            raise StoreError(self._refusal(exc)) from None

    def _refusal(self, error: BaseException | None) -> str:
        import psycopg2.errors

        if isinstance(error, psycopg2.errors.InsufficientPrivilege):
            return f"{self.standing.refusal()}; nothing was changed"
        if isinstance(error, psycopg2.errors.LockNotAvailable):
            return "the diary is busy (another save is taking long); nothing was changed, try again"
        # The statement's parameters (the note being saved) stay out of it: only the server's words.
        detail = _one_line(self.where, error) if error is not None else "no answer"
        return f"the diary could not be written ({detail}); nothing was changed"

    def damaged_text_notice(self) -> str | None:
        return None  # the server stores text it has checked as UTF-8: none is damaged on the way in

    def data_version(self) -> int:
        """A number that moves whenever a change is committed to the diary (by anyone, us included:
        that only costs a refresh), counted from the notifications migration 0005's triggers send.

        The watch connection listens from its first use; if it is lost (a server restart), the next
        look reconnects and counts that as a change, since what happened meanwhile is unknown."""
        import psycopg2

        with self._watch_lock:
            try:
                if self._watch is None:
                    self._watch = connect(self.where)
                    run(self._watch, f"LISTEN {CHANGES_CHANNEL}")  # nothing was sent to it before this
                else:
                    run(self._watch, "SELECT 1")  # reads what the server has sent since the last look
                self._changes += len(self._watch.notifies)
                self._watch.notifies.clear()
            except psycopg2.Error as exc:
                if self._watch is not None:
                    self._watch.close()
                    self._watch = None
                self._changes += 1
                raise StoreError(f"the diary could not be read ({_one_line(self.where, exc)})") from None
            return self._changes

    def backup(self, destination: Any = None) -> Any:
        raise StoreError(
            "is on a server: back it up with the server's own tool (`pg_dump -Fc DBNAME`), or ask whoever "
            "runs the server",
            "diary",
            str(self.where),
        )
