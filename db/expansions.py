"""Keeping the schedules' expanded starts between runs, so a command walks with dateutil only the series
that changed since the last one (200 series cost a council's diary most of a reading command).

What is kept is what `recurrence.known_expansions` gives: each series' starts a calendar year at a time,
and the check of each stored rule, keyed by everything that decides them (rule, first start, zone, first
day), so a changed schedule is simply a key not kept yet and nothing kept can be out of date. A diary
file's live in its backups folder (never created for it); a server diary's in the user's private cache
folder, one file per diary named by a digest of its URL (password hidden), since nothing on the server is
ours to write and what is kept is only the rules' arithmetic, never a note.

The file is lines of JSON: a header stamped with the versions of los and dateutil that made it, the
layout of the lines after it and their CRC-32; then the rules' checks; then a line a calendar year
("2026 200 [...]": the year, how many series' starts it holds, and those starts), so that a run reads
only the years its windows ask for (a council's twenty years of 200 series, a command wanting two or
three), each when first asked for, and keeps again as they were those it never asked for. A file from
other versions, of another layout (as every file written before this one was), or whose lines do not
match their checksum (a damaged disk, an edit) is ignored whole and replaced: the checksum is what lets
the schedules' module take the kept starts as written, cutting a window's part of a year by its text,
without checking every year's text again on every run. (The CRC-32, in C over the file's bytes, is what
a run pays for the years it does not read: on twenty years of 200 series about what reading one year
costs, against reading all twenty.)
"""

from __future__ import annotations

import hashlib
import os
import zlib
from contextlib import suppress
from functools import partial
from pathlib import Path

from los_tui import __version__
from los_tui.db.errors import StoreError
from los_tui.db.paths import DiaryLocation, ServerDiary, backups_folder
from los_tui.domain import recurrence

APP_DIR_NAME = "los-tui"  # as db.engine's, which this module does not load (a server diary has no file)
PRIVATE_DIR = 0o700
# What the lines after the header hold: the rules' checks, then a line a calendar year. A file without
# it (the two-line files of earlier versions) is ignored and replaced.
LAYOUT = "checks-then-years"
_MOST_BEFORE_THE_STARTS = 24  # a year's line opens with its year and how many series it holds


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
    """Take back what an earlier run on this diary kept (nothing, if there is nothing usable); once a run.
    Only the header and the rules' checks are read now; each year when a window first asks for it."""
    key = where.absolute() if isinstance(where, Path) else where
    if key in _recalled:
        return
    _recalled.add(key)
    try:
        data = _file(where).read_bytes()
    except OSError:
        return
    import json  # only once there is something to read

    first = data.find(b"\n")
    if first < 0:  # one line: not of this layout (the files before the checksum were one JSON object)
        return
    view = memoryview(data)  # the lines after the header cut as views of it, never copied
    try:
        stamp = json.loads(data[:first])
        if not (
            isinstance(stamp, dict)
            and stamp.get("made_by") == _made_by()
            and stamp.get("layout") == LAYOUT
            and stamp.get("crc32") == zlib.crc32(view[first + 1 :])
        ):
            return
        checks, *years = _lines(data, view, first + 1)
        problems = json.loads(bytes(checks))
        later: dict[int, recurrence.KeptYear] = {}
        for line in years:
            year, blocks, _ = bytes(line[:_MOST_BEFORE_THE_STARTS]).split(b" ", 2)
            later[int(year)] = recurrence.KeptYear(int(blocks), partial(_read_year, line), line)
    except ValueError:
        return
    recurrence.recall_expansions({"problems": problems}, later)


def _lines(data: bytes, view: memoryview, start: int) -> list[memoryview]:
    """The lines of `data` from `start` on, as views (`find` looks for their ends far quicker than
    `split` would, and copies nothing)."""
    lines = []
    while (end := data.find(b"\n", start)) >= 0:
        lines.append(view[start:end])
        start = end + 1
    lines.append(view[start:])
    return lines


def _read_year(line: memoryview) -> object:
    """A kept year's series and their starts, from its line (None if it is not JSON after all)."""
    import json

    try:
        return json.loads(bytes(line).split(b" ", 2)[2])
    except (ValueError, IndexError):
        return None


def keep(where: DiaryLocation) -> None:
    """Keep what this run expanded, if it expanded anything new (and its folder is there: for a diary
    file, the first day's backup makes it, and nothing is kept for a diary without one)."""
    if not recurrence.expansions_learned() or not _folder_ready(where):
        return
    import json

    from los_tui.db.files import write_atomically  # loaded only when there is something to keep

    known = recurrence.known_expansions()
    lines = [json.dumps(known["problems"], separators=(",", ":")).encode()]  # JSON: never a line break
    for year, series in known["years"]:
        lines.append(f"{year} {len(series)} ".encode() + json.dumps(series, separators=(",", ":")).encode())
    lines += known["unread"]  # years this run never asked for, as they were kept
    body = b"\n".join(lines)
    header = json.dumps({"made_by": _made_by(), "layout": LAYOUT, "crc32": zlib.crc32(body)}).encode()
    with suppress(StoreError, OSError):  # not kept only means the next run walks the rules again
        write_atomically(_file(where), header + b"\n" + body)


def forget() -> None:
    """Forget everything kept or recalled in this run, as a new run starts (for tests)."""
    _recalled.clear()
    recurrence.forget_expansions()
