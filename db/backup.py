"""Backups through SQLite's online backup API, written atomically and checked before they count."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from datetime import datetime
from pathlib import Path

from db.engine import PRIVATE_FILE, StoreError, make_private_directory

KEEP_AUTOMATIC = 7


def backup_database(source: Path, destination: Path) -> Path:
    """Copy the live database to `destination`: temp file, backup API, integrity check, fsync, rename.

    Nothing is left behind on failure, and an existing file (or a link planted at the path) is replaced
    whole, never written through.
    """
    destination = destination.absolute()
    if destination.is_dir():
        raise StoreError(f"-o {str(destination)!r}: is a directory; give a file name")
    if not destination.parent.is_dir():
        raise StoreError(f"-o {str(destination)!r}: the folder {str(destination.parent)!r} does not exist")
    temporary = destination.with_name(f".{destination.name}.{os.getpid()}.tmp")
    try:
        descriptor = os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_NOFOLLOW, PRIVATE_FILE)
        os.close(descriptor)
        source_connection = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        target_connection = sqlite3.connect(temporary)
        try:
            source_connection.backup(target_connection)
            verdict = target_connection.execute("PRAGMA integrity_check").fetchone()[0]
            # A backup is a single file: no WAL to carry around with it.
            target_connection.execute("PRAGMA journal_mode = DELETE")
        finally:
            target_connection.close()
            source_connection.close()
        if verdict != "ok":
            raise StoreError(f"backup of {str(source)!r} failed its integrity check: {verdict}")
        with open(temporary, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, destination)
        _fsync_directory(destination.parent)
    except sqlite3.Error as exc:
        _discard(temporary)
        raise StoreError(f"backup to {str(destination)!r} failed: {exc}") from None
    except OSError as exc:
        _discard(temporary)
        raise StoreError(f"backup to {str(destination)!r} failed: {exc.strerror or exc}") from None
    except BaseException:
        _discard(temporary)
        raise
    return destination


def automatic_backup(source: Path, reason: str, now: datetime) -> Path:
    """A dated backup in the diary's backups folder, keeping the newest KEEP_AUTOMATIC."""
    folder = backups_folder(source)
    make_private_directory(folder)
    target = folder / f"{source.stem}-{now:%Y%m%d-%H%M%S}-{reason}.sqlite3"
    made = backup_database(source, target)
    for old in sorted(folder.glob(f"{source.stem}-*.sqlite3"))[:-KEEP_AUTOMATIC]:
        old.unlink(missing_ok=True)
    return made


def backups_folder(source: Path) -> Path:
    return source.parent / "backups"


def _discard(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def _fsync_directory(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
