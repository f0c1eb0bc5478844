"""Keeping the schedules' expanded starts between runs, so a command walks with dateutil only the series
that changed since the last one (200 series cost a council's diary most of a reading command).

What is kept is what `recurrence.known_expansions` gives: each series' starts a calendar year at a time,
and the check of each stored rule, keyed by everything that decides them (rule, first start, zone, first
day), so a changed schedule is simply a key not kept yet and nothing kept can be out of date. A diary
file's live in its backups folder (never created for it); a server diary's in the user's private cache
folder, one file per diary named by a digest of its URL (password hidden), since nothing on the server is
ours to write and what is kept is only the rules' arithmetic, never a note.

The file is two lines of JSON: a header stamped with the versions of los and dateutil that made it and
the CRC-32 of the second line, then what was kept. A file from other versions, of another shape (as
every file written before the header was), or whose second line does not match its checksum (a damaged
disk, an edit) is ignored whole and replaced: the checksum is what lets the schedules' module take the
kept starts as written, cutting a window's part of a year by its text, without checking every year's
text again on every run.
"""

from __future__ import annotations

import hashlib
import os
import zlib
from contextlib import suppress
from pathlib import Path

from los_tui import __version__
from los_tui.db.errors import StoreError
from los_tui.db.paths import DiaryLocation, ServerDiary, backups_folder
from los_tui.domain import recurrence

APP_DIR_NAME = "los-tui"  # as db.engine's, which this module does not load (a server diary has no file)
PRIVATE_DIR = 0o700


def server_folder() -> Path:
    """Where a server diary's expansions are kept: the user's cache folder for los-tui."""
    from platformdirs import user_cache_path

    return user_cache_path(APP_DIR_NAME, appauthor=False) / "expansions"


def _file(where: DiaryLocation) -> Path:
    if isinstance(where, ServerDiary):
        digest = hashlib.sha256(str(where).encode()).hexdigest()[:24]  # str(): the password hidden
        return server_folder() / f"server-{digest}.json"
    return backups_folder(where) / f".{where.name}.expansions.json"


def _folder_ready(where: DiaryLocation) -> bool:
    """Whether the folder to keep them in is there: a diary file's backups folder (made by its first
    backup, never here); a server diary's cache folder, made private here if missing."""
    folder = _file(where).parent
    if isinstance(where, ServerDiary):
        with suppress(OSError):
            folder.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
            os.chmod(folder, PRIVATE_DIR)
    return folder.is_dir()


def _made_by() -> list[str]:
    from dateutil import __version__ as dateutil_version

    return [__version__, dateutil_version]


_recalled: set[DiaryLocation] = set()


def recall(where: DiaryLocation) -> None:
    """Take back what an earlier run on this diary kept (nothing, if there is nothing usable); once a run."""
    key = where.absolute() if isinstance(where, Path) else where
    if key in _recalled:
        return
    _recalled.add(key)
    try:
        data = _file(where).read_bytes()
    except OSError:
        return
    import json  # only once there is something to read

    header, _, body = data.partition(b"\n")
    try:
        stamp = json.loads(header)
        if not (
            isinstance(stamp, dict)
            and stamp.get("made_by") == _made_by()
            and stamp.get("crc32") == zlib.crc32(body)
        ):
            return
        kept = json.loads(body)
    except ValueError:
        return
    recurrence.recall_expansions(kept)


def keep(where: DiaryLocation) -> None:
    """Keep what this run expanded, if it expanded anything new (and its folder is there: for a diary
    file, the first day's backup makes it, and nothing is kept for a diary without one)."""
    if not recurrence.expansions_learned() or not _folder_ready(where):
        return
    import json

    from los_tui.db.files import write_atomically  # loaded only when there is something to keep

    body = json.dumps(recurrence.known_expansions(), separators=(",", ":")).encode()  # never a line break
    header = json.dumps({"made_by": _made_by(), "crc32": zlib.crc32(body)}).encode()
    with suppress(StoreError, OSError):  # not kept only means the next run walks the rules again
        write_atomically(_file(where), header + b"\n" + body)


def forget() -> None:
    """Forget everything kept or recalled in this run, as a new run starts (for tests)."""
    _recalled.clear()
    recurrence.forget_expansions()
