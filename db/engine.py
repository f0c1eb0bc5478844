"""Opening the diary's database: file checks, private permissions, connection pragmas. The one place
that knows how connections are made: sqlite3 ones for reading, a SQLAlchemy engine for writing (made
only when something is written, so looking at the diary never imports SQLAlchemy)."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from los_tui.db.errors import StoreError as StoreError  # re-exported: callers name it from here too
from los_tui.db.identity import APPLICATION_ID
from los_tui.db.paths import special_kind, sqlite_uri

if TYPE_CHECKING:
    from sqlalchemy import Engine

_SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
APP_DIR_NAME = "los-tui"  # the default data directory's name (platformdirs, see los_tui.config)


class TextDamage:
    """Reads text that is not valid UTF-8 (a damaged byte) with U+FFFD in place of the bad bytes, where
    sqlite3 would fail the whole read with a message quoting the text, and counts how often it did."""

    def __init__(self) -> None:
        self.seen = 0

    def decode(self, raw: bytes) -> str:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            self.seen += 1
            return raw.decode("utf-8", "replace")


class ReadingConnection(sqlite3.Connection):
    """A connection for db.reader whose text sqlite3 decodes itself, in C: `TextDamage.decode` is a call
    into Python for every text value read (seven a log: half the cost of reading a council's year of
    them). sqlite3 refuses a whole query whose text is not valid UTF-8 instead, with a message quoting
    the text; `fetch_all` catches that and reads the query again through `text_damage`."""

    text_damage: TextDamage

    def fetch_all(self, cursor: sqlite3.Cursor, sql: str, parameters: Sequence[Any]) -> list[Any]:
        try:
            return cursor.execute(sql, parameters).fetchall()
        except sqlite3.OperationalError as exc:
            if not str(exc).startswith(_UNDECODABLE) or self.text_factory is not str:
                raise
        # Damaged text (never quoted anywhere): read again, in the same snapshot, with U+FFFD for it.
        self.text_factory = self.text_damage.decode
        try:
            return cursor.execute(sql, parameters).fetchall()
        finally:
            self.text_factory = str


_UNDECODABLE = "Could not decode to UTF-8"  # sqlite3's message for text that is not UTF-8


def is_existing_diary(path: Path, field: str = "diary") -> bool:
    """True for a los-tui database, False for a missing or empty file; refuses anything else.

    Reads the header bytes directly, so a foreign file is never opened by SQLite, let alone written. A
    FIFO, a device or a socket is refused before it is opened (opening a FIFO to read it blocks).
    """
    kind = special_kind(path)
    if kind is not None and kind != "a directory":
        raise StoreError(f"is {kind}, not a database file; left untouched", field, str(path))
    try:
        with open(path, "rb") as handle:
            header = handle.read(100)
    except FileNotFoundError:
        return False
    except IsADirectoryError:
        raise StoreError("is a directory, not a database file", field, str(path)) from None
    except OSError as exc:
        raise StoreError(f"cannot be read ({exc.strerror})", field, str(path)) from None
    if not header:
        return False
    if len(header) < 100 or not header.startswith(_SQLITE_MAGIC):
        raise StoreError("not a los-tui database (not an SQLite file); left untouched", field, str(path))
    if int.from_bytes(header[68:72], "big") != APPLICATION_ID:
        raise StoreError("an SQLite database, but not a los-tui diary; left untouched", field, str(path))
    return True


def make_private_directory(directory: Path) -> None:
    """Create the data directory owner-only; tighten it if it is ours and looser than that."""
    created = not directory.exists()
    try:
        directory.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"its folder cannot be created ({exc.strerror})", "diary", str(directory)) from None
    if created:
        os.chmod(directory, PRIVATE_DIR)


def make_files_private(path: Path) -> None:
    """The database and its -wal/-shm companions are for their owner alone, whatever the umask.

    The folder is tightened to 0700 only when it is plainly ours (named after the app, as the default
    data directory is): a diary kept in a shared or home folder must not change that folder's mode.
    """
    folder = path.absolute().parent
    if folder.name == APP_DIR_NAME and stat.S_IMODE(os.stat(folder).st_mode) != PRIVATE_DIR:
        os.chmod(folder, PRIVATE_DIR)
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            mode = stat.S_IMODE(os.stat(candidate, follow_symlinks=False).st_mode)
        except FileNotFoundError:
            continue
        if mode != PRIVATE_FILE:
            os.chmod(candidate, PRIVATE_FILE)


def create_empty_database(path: Path) -> None:
    """Create the file owner-only before SQLite touches it, and stamp it as ours."""
    make_private_directory(path.parent)
    try:
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_NOFOLLOW, PRIVATE_FILE)
    except FileExistsError:
        if path.stat().st_size:
            raise
    else:
        os.close(descriptor)
    os.chmod(path, PRIVATE_FILE)
    connection = sqlite3.connect(path)
    try:
        connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        connection.execute("PRAGMA journal_mode = WAL")
        connection.commit()
    finally:
        connection.close()


def make_engine(path: Path, read_only: bool = False, text: TextDamage | None = None) -> Engine:
    """A SQLAlchemy engine with our pragmas on every connection and write locks taken up front.

    `read_only` opens the file with SQLite's mode=ro, for a damaged diary that must not be made worse;
    `text` reads damaged text without failing (and counts it).
    """
    from sqlalchemy import create_engine, event
    from sqlalchemy.engine import URL

    if read_only:
        url = URL.create("sqlite+pysqlite", database=sqlite_uri(path, mode="ro"), query={"uri": "true"})
    else:
        url = URL.create("sqlite+pysqlite", database=str(path))
    engine = create_engine(
        url,
        hide_parameters=True,  # note text must never reach a log or an error message
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
    )
    damage = text or TextDamage()

    def on_connect(dbapi_connection: Any, record: Any) -> None:
        _on_connect(dbapi_connection, record)
        dbapi_connection.text_factory = damage.decode

    event.listen(engine, "connect", on_connect)
    event.listen(engine, "begin", _on_begin_read_only if read_only else _on_begin)
    return engine


def connect_for_reading(
    path: Path, read_only: bool = False, text: TextDamage | None = None
) -> ReadingConnection:
    """A sqlite3 connection for db.reader: transactions are begun by the caller (a plain BEGIN, a WAL
    snapshot that never blocks a writer), and SQLite itself refuses any write made through it. Damaged
    text is read with replacement characters (counted in `text`), never failing the read."""
    target, uri = (sqlite_uri(path, mode="ro"), True) if read_only else (str(path), False)
    connection = sqlite3.connect(
        target,
        uri=uri,
        timeout=BUSY_TIMEOUT_MS / 1000,
        isolation_level=None,
        check_same_thread=False,
        factory=ReadingConnection,
    )
    connection.text_damage = text or TextDamage()
    try:
        connection.execute("PRAGMA query_only = ON")
    except sqlite3.Error:
        connection.close()
        raise
    return connection


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the driver, decide where transactions begin (see _on_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    finally:
        cursor.close()


def _on_begin_read_only(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN")


def _on_begin(connection: Any) -> None:
    # IMMEDIATE takes the write lock at the start, so two writers queue on the busy timeout instead of
    # one failing half-way with "database is locked" after it has read stale data. (Readers use
    # connect_for_reading and a plain BEGIN.)
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def quick_check(path: Path) -> str:
    """SQLite's quick_check verdict: "ok", or what is damaged. A file SQLite calls corrupt or not a
    database counts as damaged; other failures (disk I/O, locks, no space) are not damage and raise."""
    try:
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            rows = connection.execute("PRAGMA quick_check").fetchall()
        finally:
            connection.close()
    except sqlite3.Error as exc:
        if getattr(exc, "sqlite_errorname", "").startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
            return " ".join(str(exc).split())
        raise StoreError(f"cannot be opened ({exc})", "diary", str(path)) from None
    verdict = "; ".join(" ".join(str(row[0]).split()) for row in rows[:3])  # one line, for messages
    return verdict or "no answer from quick_check"
