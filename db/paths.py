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
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# `scheme://...`: a database URL (postgresql://, sqlite:///...), not a file name. Only PostgreSQL's mean
# something (a diary on a server); any other is refused rather than making a folder called `sqlite:`.
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
SERVER_SCHEMES = ("postgresql", "postgres")
# SQLAlchemy's spellings of the same URL, naming a driver (a config written for another tool, or for the
# psycopg 3 that earlier los-tui used): taken as the libpq URL they carry, the driver's name left out.
DRIVER_SCHEMES = ("postgresql+psycopg", "postgresql+psycopg2")
HIDDEN = "********"

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


def redact(url: str) -> str:
    """`url` with any password in it (`user:secret@`, `?password=`) replaced, for every message we print."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "a database URL that cannot be read"
    if not parts.password and "password=" not in parts.query:
        return url  # nothing to hide: shown exactly as given
    netloc = parts.netloc
    if "@" in netloc:
        who, _, where = netloc.rpartition("@")
        if ":" in who:
            who = f"{who.split(':', 1)[0]}:{HIDDEN}"
        netloc = f"{who}@{where}"
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    query = parts.query
    if any(key == "password" for key, _ in pairs):
        query = urlencode([(key, HIDDEN if key == "password" else value) for key, value in pairs], safe="/*")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


@dataclass(frozen=True)
class ServerDiary:
    """A diary in a PostgreSQL database, named by a libpq URL (`postgresql://user@host:port/dbname`,
    `?host=/socket/dir`, `sslmode=...`; passwords best kept in ~/.pgpass or PGPASSFILE). Shown (str) with
    any password hidden; `url` itself goes only to the driver."""

    url: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "url", libpq_url(self.url))  # frozen: set once, as libpq reads it

    def __str__(self) -> str:
        return redact(self.url)

    @property
    def password(self) -> str | None:
        """The password written in the URL, if any (so messages from the server can be scrubbed of it)."""
        parts = urlsplit(self.url)
        found = parts.password or dict(parse_qsl(parts.query)).get("password")
        return found or None

    def scrub(self, message: str) -> str:
        """`message` with the URL shown redacted and any password in it hidden."""
        message = message.replace(self.url, str(self))
        secret = self.password
        return message.replace(secret, HIDDEN) if secret else message


# Where a diary lives: a file (SQLite, the default) or a database on a server.
DiaryLocation = Path | ServerDiary


def is_server_url(text: str) -> bool:
    return text.split("://", 1)[0].lower() in (*SERVER_SCHEMES, *DRIVER_SCHEMES) and looks_like_url(text)


def libpq_url(url: str) -> str:
    """`url` as libpq reads it: `postgresql+psycopg://...` and `postgresql+psycopg2://...` as
    `postgresql://...`; any other text as it is."""
    scheme, found, rest = url.partition("://")
    return f"postgresql://{rest}" if found and scheme.lower() in DRIVER_SCHEMES else url


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
