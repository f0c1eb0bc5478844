"""What a path given by the user may be: SQLite URIs built safely from it, and the kinds of file we use.

Paths come from folders the user names (`Team #2`, `100% done`, accented names), so a URI is only ever
made by pathlib's `as_uri()` (which escapes `#`, `?`, `%`, spaces and non-ASCII) with our own query after
it. File kinds are looked at with `stat` before anything is opened: opening a FIFO for reading blocks
until someone writes to it, and a device such as /dev/zero never ends.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from urllib.parse import urlencode

# `scheme://...`: a database URL (postgresql://, sqlite:///...), not a file name. Refused until such URLs
# mean something, rather than making a folder called `postgresql:`.
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")

_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a directory"),
)


def sqlite_uri(path: Path, **query: str) -> str:
    """A `file:` URI for SQLite naming exactly `path`, whatever characters it holds, with `query` after it."""
    uri = path.absolute().as_uri()
    return f"{uri}?{urlencode(query)}" if query else uri


def looks_like_url(text: str) -> bool:
    return _URL.match(text) is not None


def special_kind(path: Path) -> str | None:
    """What `path` is when it exists and is not a regular file ("a FIFO (named pipe)", ...), else None.

    Follows symlinks, as opening the path would; never opens it.
    """
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return None
    return kind_of(mode)


def kind_of(mode: int) -> str | None:
    """The name of a non-regular file's kind from its `st_mode`, None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def backups_folder(source: Path) -> Path:
    """Where the diary at `source` keeps its backups, and the marks and expansions kept beside them."""
    return source.parent / "backups"
