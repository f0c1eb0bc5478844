"""Backups through SQLite's online backup API (never a file copy), written atomically, checked, private."""

from __future__ import annotations

import os
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

KEEP_AUTOMATIC = 7
MANUAL = "manual"  # the reason in the name of a backup the user asked for
DAILY = "daily"


def backup_database(source: Path, destination: Path, check: bool = True, field: str = "-o") -> Path:
    """Copy the live database to `destination` through the backup API, into a temp file renamed into place.

    With `check` the copy must pass `integrity_check` before it replaces anything; a damaged diary is
    copied with `check=False` (before a restore) so that nothing, however broken, is thrown away.
    """
    live = {source.resolve(), Path(f"{source}-wal").resolve(), Path(f"{source}-shm").resolve()}
    if destination.resolve() in live:
        raise StoreError(f"{field} {str(destination)!r}: that is the diary itself; give another file")
    try:
        with atomic_path(destination, field) as temporary:
            source_connection = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            target_connection = sqlite3.connect(temporary)
            try:
                source_connection.backup(target_connection)
                verdict = target_connection.execute("PRAGMA integrity_check").fetchone()[0] if check else "ok"
                # A backup is a single file: no WAL to carry around with it.
                target_connection.execute("PRAGMA journal_mode = DELETE")
            finally:
                target_connection.close()
                source_connection.close()
            if verdict != "ok":
                raise StoreError(f"backup of {str(source)!r} failed its integrity check: {verdict}")
    except sqlite3.Error as exc:
        raise StoreError(f"backup to {str(destination)!r} failed: {exc}") from None
    return destination.absolute()


def automatic_backup(
    source: Path, reason: str, now: datetime, check: bool = True, spare: Path | None = None
) -> Path:
    """A dated backup in the diary's backups folder, keeping the newest KEEP_AUTOMATIC automatic ones.

    Backups the user asked for (`los backup`, reason "manual") are never pruned, nor is `spare` (the
    backup about to be restored), however old.
    """
    folder = backups_folder(source)
    make_private_directory(folder)
    target = folder / f"{source.stem}-{now:%Y%m%d-%H%M%S}-{reason}.sqlite3"
    made = backup_database(source, target, check=check, field="backup")
    automatic = [path for path in backups_of(source) if not path.stem.endswith(f"-{MANUAL}")]
    for old in automatic[:-KEEP_AUTOMATIC]:
        if spare is None or old.absolute() != spare.absolute():
            old.unlink(missing_ok=True)
    return made


def daily_backup_due(source: Path, today: date) -> bool:
    """True when no backup of the diary was made today (any kind counts)."""
    stamp = f"{source.stem}-{today:%Y%m%d}-"
    return not any(candidate.name.startswith(stamp) for candidate in backups_of(source))


def backups_of(source: Path) -> list[Path]:
    """The diary's backups, oldest first (names carry a sortable time stamp)."""
    folder = backups_folder(source)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{source.stem}-*.sqlite3"))


def latest_backup(source: Path) -> Path | None:
    found = backups_of(source)
    return found[-1] if found else None


def latest_sound_backup(source: Path) -> Path | None:
    """The newest backup that passes `quick_check` and whose every text reads as valid UTF-8: a backup
    made after a byte was damaged holds the damage too, so the newest is not always the one to restore."""
    for candidate in reversed(backups_of(source)):
        damage = TextDamage()
        try:
            connection = sqlite3.connect(f"file:{candidate}?mode=ro", uri=True)
            try:
                connection.text_factory = damage.decode
                if connection.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                    continue
                tables = [
                    row[0]
                    for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                ]
                for table in tables:
                    for _ in connection.execute(f'SELECT * FROM "{table}"'):
                        pass
            finally:
                connection.close()
        except sqlite3.Error:
            continue
        if not damage.seen:
            return candidate
    return None


def backups_folder(source: Path) -> Path:
    return source.parent / "backups"


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
        raise StoreError(f"restore {str(backup)!r}: not a los-tui diary (empty or missing); nothing changed")
    try:
        source_connection = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
        try:
            verdict = source_connection.execute("PRAGMA integrity_check").fetchone()[0]
            if verdict != "ok":
                raise StoreError(
                    f"restore {str(backup)!r}: the backup is damaged ({verdict}); nothing changed"
                )
            target_connection = sqlite3.connect(live, timeout=5)
            try:
                source_connection.backup(target_connection)
            finally:
                target_connection.close()
        finally:
            source_connection.close()
    except sqlite3.Error as exc:
        raise StoreError(f"restore {str(backup)!r} failed ({exc}); the diary was not changed") from None
