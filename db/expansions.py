"""Keeping the schedules' expanded starts between runs, so a command walks with dateutil only the series
that changed since the last one (200 series cost a council's diary most of a reading command).

What is kept is what `recurrence.known_expansions` gives: each series' starts a calendar year at a time,
and the check of each stored rule, keyed by everything that decides them (rule, first start, zone, first
day), so a changed schedule is simply a key not kept yet and nothing kept can be out of date. It lives in
the diary's backups folder (never created for it), stamped with the versions of los and dateutil that
made it; a file from other versions, or not of its shape, is ignored and replaced.
"""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path

from los_tui import __version__
from los_tui.db.errors import StoreError
from los_tui.db.paths import backups_folder
from los_tui.domain import recurrence


def _file(path: Path) -> Path:
    return backups_folder(path) / f".{path.name}.expansions.json"


def _made_by() -> list[str]:
    from dateutil import __version__ as dateutil_version

    return [__version__, dateutil_version]


_recalled: set[Path] = set()


def recall(path: Path) -> None:
    """Take back what an earlier run on this diary kept (nothing, if there is nothing usable); once a run."""
    if path.absolute() in _recalled:
        return
    _recalled.add(path.absolute())
    try:
        data = _file(path).read_bytes()
    except OSError:
        return
    import json  # only once there is something to read

    try:
        kept = json.loads(data)
    except ValueError:
        return
    if isinstance(kept, dict) and kept.get("made_by") == _made_by():
        recurrence.recall_expansions(kept)


def keep(path: Path) -> None:
    """Keep what this run expanded, if it expanded anything new (and the diary's backups folder is
    there: the first day's backup makes it, and nothing is kept for a diary without one)."""
    if not recurrence.expansions_learned() or not backups_folder(path).is_dir():
        return
    import json

    from los_tui.db.files import write_atomically  # loaded only when there is something to keep

    known = {"made_by": _made_by(), **recurrence.known_expansions()}
    with suppress(StoreError, OSError):  # not kept only means the next run walks the rules again
        write_atomically(_file(path), json.dumps(known, separators=(",", ":")).encode())


def forget() -> None:
    """Forget everything kept or recalled in this run, as a new run starts (for tests)."""
    _recalled.clear()
    recurrence.forget_expansions()
