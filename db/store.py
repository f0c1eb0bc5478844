"""The one owner of the diary's storage: opening it (checks, migrations, the daily backup), its
connections, `data_version`, backups, and the transactions the Reader (db.reader) and Writer
(db.writer) work in. Services reach the database only through a Store.

Reads go through sqlite3 on reused connections; SQLAlchemy (the engine the Writer uses) is loaded on the
first write, so a session that only looks never pays for it (~20 MB with Core and the dialect).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from los_tui.db.backup import (
    DAILY,
    MANUAL,
    BackupCheckFailed,
    automatic_backup,
    backup_database,
    backups_of,
    daily_backup_due,
    latest_sound_backup,
    make_backups_private,
    prune_automatic_backups,
    restore_database,
)
from los_tui.db.checked import remember_sound, still_sound
from los_tui.db.engine import (
    StoreError,
    TextDamage,
    connect_for_reading,
    create_empty_database,
    is_existing_diary,
    make_engine,
    make_files_private,
    quick_check,
)
from los_tui.db.kept_connections import KeptConnections
from los_tui.db.migrate import check_known_revision, upgrade_to_head
from los_tui.db.paths import DiaryLocation, ServerDiary
from los_tui.db.reader import Reader
from los_tui.db.standing import Standing
from los_tui.domain.model import DEFAULT_TZ

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from los_tui.db.writer import Writer

Clock = Callable[[], datetime]


class DiaryDamaged(StoreError):
    """The diary failed its start-up check; the message says so and names the latest backup."""


def damage_message(path: Path, verdict: str) -> str:
    backup = latest_sound_backup(path)
    offer = (
        f"the latest sound backup is {str(backup)!r}: `los restore {backup}` puts it back (the damaged "
        "file is backed up first)"
        if backup
        else "no sound backup was found beside it"
    )
    return f"the diary {str(path)!r} is damaged ({verdict}); nothing will be written to it; {offer}"


@dataclass
class Health:
    """What start-up found: `damage` (the diary is read-only), and notices worth showing the user."""

    damage: str | None = None
    notices: list[str] = field(default_factory=list)


class DiaryStore(Protocol):
    """What the services use of a store, whether the diary is a file (Store) or on a server
    (db.server.ServerStore)."""

    clock: Clock
    tz: str
    health: Health
    standing: Standing  # what the connected role may do (a file's reader may do everything)

    @property
    def path(self) -> DiaryLocation: ...

    @property
    def read_only(self) -> bool: ...

    def reading(self) -> AbstractContextManager[Reader]: ...

    def writing(self) -> AbstractContextManager[Writer]: ...

    def data_version(self) -> int: ...

    def damaged_text_notice(self) -> str | None: ...

    def backup(self, destination: Path | None = None) -> Path: ...

    def close(self) -> None: ...


def open_store(
    where: DiaryLocation,
    clock: Clock,
    tz: str = DEFAULT_TZ,
    create: bool = True,
    allow_damaged: bool = False,
    migrate: bool = False,
) -> DiaryStore:
    """Open the diary wherever it is: a file (Store.open) or a database on a server (ServerStore.open;
    psycopg2 is loaded only then). `migrate` lets an older server schema be upgraded (a file's is
    upgraded after a backup without asking)."""
    if isinstance(where, ServerDiary):
        from los_tui.db.server import ServerStore

        return ServerStore.open(where, clock, tz, create=create, migrate=migrate)
    return Store.open(where, clock, tz, create=create, allow_damaged=allow_damaged)


class Store(KeptConnections[sqlite3.Connection]):
    """One open diary file. `reading()` is one snapshot; `writing()` is one transaction: it all lands,
    or none of it does."""

    standing = Standing(role="")  # whoever can read the file reads all of it

    def __init__(self, path: Path, clock: Clock, tz: str = DEFAULT_TZ, health: Health | None = None) -> None:
        self.path = path
        self.clock = clock
        self.tz = tz
        self.health = health or Health()
        # PRAGMA data_version only moves for commits made on *other* connections, so the watching
        # connection is one of its own, kept open: a fresh connection would always start from the same
        # number. Opened on first use, so the commands that never watch (the CLI) never pay for it.
        super().__init__()
        self._text = TextDamage()  # damaged bytes in text read so far (shown as U+FFFD)
        self._text_reported = 0

    @property
    def read_only(self) -> bool:
        return self.health.damage is not None

    @classmethod
    def open(
        cls, path: Path, clock: Clock, tz: str = DEFAULT_TZ, create: bool = True, allow_damaged: bool = False
    ) -> Store:
        """Open the diary at `path` (creating it if allowed), migrating it after a backup if it is older.

        A diary that fails `quick_check` (run on the day's first start and whenever the file changed since
        it last passed: see db.checked) raises DiaryDamaged, or with `allow_damaged` (the TUI, so it can
        show what is there) opens read-only with `health.damage` saying what is wrong and where the latest
        backup is. Once a day, on first use, a checked backup is made in the backups folder.
        """
        created = not is_existing_diary(path)
        if created:
            refuse_an_emptied_diary(path)
            if not create:
                raise StoreError("no diary there yet; run `los init` first", "diary", str(path))
            create_empty_database(path)
        make_files_private(path)
        make_backups_private(path)
        today = clock().date()
        verdict = "ok"
        if created or not still_sound(path, today):
            verdict = quick_check(path)
            if verdict == "ok":
                remember_sound(path, today)
        if verdict != "ok":
            health = Health(damage=damage_message(path, verdict))
            if not allow_damaged:
                raise DiaryDamaged(health.damage or "")
            return cls(path, clock, tz, health)
        health = Health()
        upgrade_to_head(path, backup=lambda: automatic_backup(path, "pre-migration", clock()))
        if not created and daily_backup_due(path, clock().date()):
            try:
                automatic_backup(path, DAILY, clock())
            except BackupCheckFailed as exc:
                # The copy is page for page the diary: damage quick_check missed (an index out of step
                # with its table) is in the diary itself, and writing to it would spread it.
                health = Health(damage=damage_message(path, exc.verdict))
                if not allow_damaged:
                    raise DiaryDamaged(health.damage or "") from None
                return cls(path, clock, tz, health)
            except StoreError as exc:
                # The diary still opens: a missed backup must not lock the user out of their notes.
                health.notices.append(f"today's automatic backup failed: {exc}")
        make_files_private(path)
        return cls(path, clock, tz, health)

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine writes go through, made on first use."""
        return self._engine_made_once(
            lambda: make_engine(self.path, read_only=self.read_only, text=self._text)
        )

    @contextmanager
    def reading(self) -> Iterator[Reader]:
        """One read-only snapshot (a plain BEGIN in WAL: no write lock) on a reused sqlite3 connection."""
        connection = self._reading_connection_kept()
        try:
            if connection is None:
                connection = connect_for_reading(self.path, read_only=self.read_only, text=self._text)
            connection.execute("BEGIN")
        except sqlite3.Error as exc:
            if connection is not None:
                connection.close()
            raise StoreError(f"the diary could not be read ({exc})") from None
        try:
            yield Reader(connection, self.tz)
        except sqlite3.Error as exc:
            connection.close()
            raise StoreError(f"the diary could not be read ({exc})") from None
        except BaseException:
            self._put_back(connection)
            raise
        self._put_back(connection)

    def _put_back(self, connection: sqlite3.Connection) -> None:
        try:
            connection.execute("ROLLBACK")  # nothing was written: just end the snapshot
            # Kept idle, the connection lets go of the pages it read (SQLite's cache, up to 2 MB a
            # connection, ~0.7 MB after the review's count of a council's year): the next read takes
            # them again from the operating system's cache of the file.
            connection.execute("PRAGMA shrink_memory")
        except sqlite3.Error:
            connection.close()
            return
        self._keep_for_reading(connection)

    @contextmanager
    def writing(self) -> Iterator[Writer]:
        """One write transaction (BEGIN IMMEDIATE): every verb inside lands together, or none does."""
        from sqlalchemy.exc import DatabaseError

        from los_tui.db.writer import Writer

        try:
            with self.engine.begin() as connection:
                yield Writer(connection, self.clock(), self.tz)
        except DatabaseError as exc:
            # Locked, full, read-only or damaged: one line for the user, and the statement's parameters
            # (the note being saved) stay out of it.
            if self.health.damage:
                raise StoreError(self.health.damage) from None
            raise StoreError(f"the diary could not be written ({exc.orig}); nothing was changed") from None

    def damaged_text_notice(self) -> str | None:
        """Once damaged text has been read (since the last notice), what to tell the user: never the
        text itself, and which backup to restore (the newest whose text is all sound)."""
        if self._text.seen == self._text_reported:
            return None
        self._text_reported = self._text.seen
        backup = latest_sound_backup(self.path)
        offer = (
            f"the latest sound backup is {str(backup)!r} (`los restore {backup}` puts it back)"
            if backup
            else "no sound backup was found beside it"
        )
        return (
            "some text in the diary has damaged bytes (shown as \ufffd); it is read as it is and kept "
            f"until you change it; {offer}"
        )

    def data_version(self) -> int:
        """A number that changes whenever another connection (another `los`, another TUI) commits.

        The TUI polls it and refreshes when it moves; our own writes, made on other pooled connections,
        move it too, which only costs a refresh.
        """
        with self._watch_lock:
            try:
                if self._watch is None:
                    self._watch = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
                value: int = self._watch.execute("PRAGMA data_version").fetchone()[0]
            except sqlite3.Error as exc:
                raise StoreError(f"the diary could not be read ({exc})") from None
        return value

    def backup(self, destination: Path | None = None) -> Path:
        """A checked copy through SQLite's backup API; by default into the diary's backups folder."""
        try:
            if destination is None:
                return automatic_backup(self.path, MANUAL, self.clock())
            return backup_database(self.path, destination)
        except BackupCheckFailed as exc:
            raise DiaryDamaged(damage_message(self.path, exc.verdict)) from None


def restore_diary(path: Path, backup: Path, clock: Clock) -> Path | None:
    """Put `backup` back as the diary at `path`, after a backup of the current state (returned; None
    when the diary was an empty 0-byte file, with nothing to keep).

    Works on a damaged diary too (that is when it is needed): its backup is then made unchecked, so
    nothing is thrown away. A file that is not a sound los-tui diary, or a diary from a newer los-tui
    (whose schema this one does not know), is refused before anything changes. Old automatic backups are
    pruned only once the restore has worked.
    """
    emptied = path.is_file() and not is_existing_diary(path)  # 0 bytes: see refuse_an_emptied_diary
    if not emptied and not is_existing_diary(path):
        raise StoreError("no diary there to restore into; run `los init` first", "diary", str(path))
    if backup.absolute() == path.absolute():
        raise StoreError("that is the diary itself", "restore", str(backup))
    if not is_existing_diary(backup, field="restore"):
        raise StoreError("empty or missing; nothing changed", "restore", str(backup))
    check_known_revision(backup, field="restore")
    kept = None
    if not emptied:
        sound = quick_check(path) == "ok"
        try:
            kept = automatic_backup(path, "pre-restore", clock(), check=sound, prune=False)
        except BackupCheckFailed:  # damage quick_check missed: keep it as it is all the same
            kept = automatic_backup(path, "pre-restore", clock(), check=False, prune=False)
    restore_database(backup, path)
    make_files_private(path)
    prune_automatic_backups(path, spare=backup)
    return kept


def refuse_an_emptied_diary(path: Path) -> None:
    """A 0-byte file at the diary's path is taken over as a new diary (it holds nothing to lose, SQLite
    itself reads it as an empty database, and `touch` or a "new file" menu leaves one), unless backups
    of a diary by that name sit beside it: then it is most likely the diary, emptied by a failed copy or
    sync, and seeding a new one there would hide that (and its daily backups would push the sound ones
    out). Refused, naming the backup to restore."""
    if not path.is_file() or not backups_of(path):
        return
    backup = latest_sound_backup(path)
    offer = f"`los restore {backup}` puts the latest sound one back" if backup else "none of them is sound"
    raise StoreError(
        f"is empty (0 bytes) but backups of a diary are beside it, so it is left untouched; {offer}",
        "diary",
        str(path),
    )
