"""Backups through SQLite's online backup API (never a file copy), written atomically, checked, private."""

from __future__ import annotations

import os
import re
import sqlite3
import stat
from datetime import date, datetime
from pathlib import Path

from los_tui.db.engine import (
    PRIVATE_DIR,
    PRIVATE_FILE,
    StoreError,
    TextDamage,
    is_existing_diary,
    make_private_directory,
)
from los_tui.db.files import atomic_path
from los_tui.db.paths import backups_folder as backups_folder  # re-exported: callers name it here
from los_tui.db.paths import sqlite_uri

KEEP_AUTOMATIC = 7
MANUAL = "manual"  # the reason in the name of a backup the user asked for
DAILY = "daily"


class BackupCheckFailed(StoreError):
    """A backup's copy failed `integrity_check`: the diary it was copied from is damaged (the backup API
    copies pages as they are), even where the start-up `quick_check` saw nothing wrong."""

    def __init__(self, source: Path, verdict: str) -> None:
        self.verdict = verdict
        super().__init__(f"failed its integrity check: {verdict}", "backup", str(source))


def backup_database(source: Path, destination: Path, check: bool = True, field: str = "output") -> Path:
    """Copy the live database to `destination` through the backup API, into a temp file renamed into place.

    With `check` the copy must pass `integrity_check` before it replaces anything; a damaged diary is
    copied with `check=False` (before a restore) so that nothing, however broken, is thrown away.
    """
    live = {source.resolve(), Path(f"{source}-wal").resolve(), Path(f"{source}-shm").resolve()}
    if destination.resolve() in live:
        raise StoreError("that is the diary itself; give another file", field, str(destination))
    try:
        with atomic_path(destination, field, replacing_a_diary=True) as temporary:
            source_connection = sqlite3.connect(sqlite_uri(source, mode="ro"), uri=True)
            target_connection = sqlite3.connect(sqlite_uri(temporary), uri=True)
            try:
                source_connection.backup(target_connection)
                verdict = target_connection.execute("PRAGMA integrity_check").fetchone()[0] if check else "ok"
                # A backup is a single file: no WAL to carry around with it.
                target_connection.execute("PRAGMA journal_mode = DELETE")
            finally:
                target_connection.close()
                source_connection.close()
            if verdict != "ok":
                raise BackupCheckFailed(source, " ".join(str(verdict).split()))
    except sqlite3.Error as exc:
        raise StoreError(f"the backup failed: {exc}", field, str(destination)) from None
    return destination.absolute()


def automatic_backup(
    source: Path, reason: str, now: datetime, check: bool = True, prune: bool = True
) -> Path:
    """A dated backup in the diary's backups folder, then (with `prune`) the newest KEEP_AUTOMATIC
    automatic ones kept. A backup made before a step that may still fail (a migration, a restore) is made
    with `prune=False`: old backups are only let go once the step has worked."""
    folder = backups_folder(source)
    make_private_directory(folder)
    target = folder / f"{source.stem}-{now:%Y%m%d-%H%M%S}-{reason}.sqlite3"
    made = backup_database(source, target, check=check, field="backup")
    if prune:
        prune_automatic_backups(source)
    return made


def prune_automatic_backups(source: Path, spare: Path | None = None) -> None:
    """Keep the newest KEEP_AUTOMATIC automatic backups. Backups the user asked for (`los backup`,
    reason "manual") are never pruned, nor is `spare` (the backup just restored), however old."""
    automatic = [path for path in backups_of(source) if not path.stem.endswith(f"-{MANUAL}")]
    for old in automatic[:-KEEP_AUTOMATIC]:
        if spare is None or old.absolute() != spare.absolute():
            old.unlink(missing_ok=True)


def daily_backup_due(source: Path, today: date) -> bool:
    """True when no backup of the diary was made today (any kind counts)."""
    stamp = f"{source.stem}-{today:%Y%m%d}-"
    return not any(candidate.name.startswith(stamp) for candidate in backups_of(source))


def backups_of(source: Path) -> list[Path]:
    """The diary's backups, oldest first (names carry a sortable time stamp).

    Matched exactly, not by a glob: a `[` in the diary's name is a glob's character class, and `diary-*`
    would also take in the backups of a `diary-old` beside it (which pruning would then delete).
    """
    folder = backups_folder(source)
    if not folder.is_dir():
        return []
    own = re.compile(rf"{re.escape(source.stem)}-\d{{8}}-\d{{6}}-[a-z-]+\.sqlite3")
    return sorted(entry for entry in folder.iterdir() if own.fullmatch(entry.name))


def latest_backup(source: Path) -> Path | None:
    found = backups_of(source)
    return found[-1] if found else None


def latest_sound_backup(source: Path) -> Path | None:
    """The newest backup that is a los-tui diary passing `integrity_check` and whose every text reads as
    valid UTF-8 (a backup copied from a diary already damaged, a page or a byte of a note, carries the
    damage with it, so the newest is not always the one to offer)."""
    for candidate in reversed(backups_of(source)):
        if backup_verdict(candidate) == "ok" and not has_damaged_text(candidate):
            return candidate
    return None


def has_damaged_text(backup: Path) -> bool:
    """Whether any text in the backup is not valid UTF-8 (it reads with U+FFFD); unreadable counts too."""
    damage = TextDamage()
    try:
        connection = sqlite3.connect(sqlite_uri(backup, mode="ro"), uri=True)
        try:
            connection.text_factory = damage.decode
            names = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
            for (table,) in names:
                for _ in connection.execute(f'SELECT * FROM "{table}"'):
                    pass
        finally:
            connection.close()
    except sqlite3.Error:
        return True
    return damage.seen > 0


def backup_verdict(backup: Path) -> str:
    """`integrity_check` of a backup, read-only: "ok", or what is wrong with it (never raises)."""
    try:
        if not is_existing_diary(backup, field="backup"):
            return "empty or missing"
        connection = sqlite3.connect(sqlite_uri(backup, mode="ro"), uri=True)
        try:
            return " ".join(str(connection.execute("PRAGMA integrity_check").fetchone()[0]).split())
        finally:
            connection.close()
    except (StoreError, sqlite3.Error) as exc:
        return " ".join(str(exc).split())


def make_backups_private(source: Path) -> None:
    """The backups folder is owner-only and every backup in it 0600, whatever the umask made them."""
    folder = backups_folder(source)
    try:
        info = os.stat(folder, follow_symlinks=False)
    except FileNotFoundError:
        return
    if not stat.S_ISDIR(info.st_mode):
        return
    if stat.S_IMODE(info.st_mode) != PRIVATE_DIR:
        os.chmod(folder, PRIVATE_DIR)
    for entry in os.scandir(folder):
        if entry.is_file(follow_symlinks=False) and stat.S_IMODE(entry.stat().st_mode) != PRIVATE_FILE:
            os.chmod(entry.path, PRIVATE_FILE)


def restore_database(backup: Path, live: Path) -> None:
    """Replace the live diary's contents with the backup's, through the backup API in one step.

    The backup must be a los-tui diary that passes `integrity_check`; anything else is refused before
    the live diary is touched.
    """
    if not is_existing_diary(backup, field="restore"):
        raise StoreError("not a los-tui diary (empty or missing); nothing changed", "restore", str(backup))
    try:
        source_connection = sqlite3.connect(sqlite_uri(backup, mode="ro"), uri=True)
        try:
            verdict = source_connection.execute("PRAGMA integrity_check").fetchone()[0]
            if verdict != "ok":
                raise StoreError(
                    f"the backup is damaged ({verdict}); nothing changed", "restore", str(backup)
                )
            target_connection = sqlite3.connect(sqlite_uri(live), uri=True, timeout=5)
            try:
                source_connection.backup(target_connection)
            finally:
                target_connection.close()
        finally:
            source_connection.close()
    except sqlite3.Error as exc:
        raise StoreError(f"failed ({exc}); the diary was not changed", "restore", str(backup)) from None
