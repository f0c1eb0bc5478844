"""Remembering that the diary passed SQLite's quick_check, so a start need not read the whole file again.

quick_check reads every page (linear in the file: 50-80 ms on a council's 16 MB diary, more than the rest
of a command), so it runs on the first start of each day, and after the file (or its write-ahead log)
changed in any way since it last passed: after any write, an unclean close that left a log behind, a
restore, or a disk or program scribbling on it. What is traded: damage that leaves the file's size and
modification time as they were (a page rotting on the disk) is found at the next day's first start, or
when SQLite reads the damaged page, instead of at the next command.

The mark lives in the diary's backups folder (never created for it), and is written only when the file
has been still for a while, so a change in the same tick of the file system's clock is never missed.
"""

from __future__ import annotations

import json
import os
import time
from contextlib import suppress
from datetime import date
from pathlib import Path

from los_tui.db.backup import backups_folder
from los_tui.db.errors import StoreError
from los_tui.db.files import write_atomically

SETTLED_NS = 2_000_000_000  # a file changed less than this before the check is checked again next time


def _mark(path: Path) -> Path:
    return backups_folder(path) / f".{path.name}.checked"


def _shape(path: Path) -> list[list[int] | None]:
    """Size and modification time of the diary and of its write-ahead log (None when there is none, or
    it is empty: SQLite leaves an empty one behind after some reads, and it holds nothing)."""
    shape: list[list[int] | None] = []
    for file in (path, path.with_name(f"{path.name}-wal")):
        try:
            info = os.stat(file)
        except FileNotFoundError:
            shape.append(None)
            continue
        shape.append([info.st_size, info.st_mtime_ns] if info.st_size or file == path else None)
    return shape


def still_sound(path: Path, today: date) -> bool:
    """True when the diary passed quick_check today and has not changed since."""
    try:
        mark = json.loads(_mark(path).read_text())
        return bool(mark["day"] == today.isoformat() and mark["files"] == _shape(path))
    except (OSError, ValueError, KeyError, TypeError):
        return False


def remember_sound(path: Path, today: date) -> None:
    """Note that the diary, as it is now, passed quick_check today (if the folder for it is there)."""
    if not backups_folder(path).is_dir():
        return
    shape = _shape(path)
    settled = time.time_ns() - SETTLED_NS
    if any(entry is not None and entry[1] > settled for entry in shape):
        return  # changed too recently to tell a later change in the same clock tick from this one
    with suppress(StoreError, OSError):  # a mark not written only means the next start checks again
        write_atomically(_mark(path), json.dumps({"day": today.isoformat(), "files": shape}).encode())
