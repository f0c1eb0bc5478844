"""A first look at the diary, read-only, before it is opened properly.

The TUI shows this month from it at once, while the diary is checked (quick_check, migrations, the daily
backup) in the background. It reads through db.reader, as every read does. Anything unexpected (no diary
yet, another file, an older or newer schema, a lock) means "no first look", never an error: the normal
path decides.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from los_tui.db.identity import APPLICATION_ID, HEAD_REVISION
from los_tui.db.paths import sqlite_uri
from los_tui.db.reader import Reader
from los_tui.domain.model import Commitment, OccurrenceLog


def first_look(
    path: Path, start: datetime, end: datetime, tz: str
) -> tuple[list[Commitment], list[OccurrenceLog]] | None:
    """(every commitment, logs in [start, end)) of a diary that is set up, or None when the normal path
    must decide."""
    try:
        if not path.is_file():
            return None
        connection = sqlite3.connect(sqlite_uri(path, mode="ro"), uri=True, timeout=0.2, isolation_level=None)
    except (OSError, sqlite3.Error):  # e.g. a name too long: the full open reports it properly
        return None
    try:
        connection.execute("BEGIN")  # one snapshot for every read below
        if connection.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            return None
        read = Reader(connection, tz)
        if read.schema_revision() != HEAD_REVISION:
            return None
        if read.setting("role") is None:
            return None  # not set up yet: the first start asks for the role
        return read.commitments(include_retired=True), read.logs_in_window(start, end)
    except (sqlite3.Error, ValueError):
        return None
    finally:
        connection.close()
