"""Every file the diary writes (backups, exports) lands whole or not at all, private, never through a link;
every file it reads from the user (an import, the config) is a regular file read up to a limit.

The recipe: a fresh temp file beside the destination (O_EXCL|O_NOFOLLOW, 0600), filled, fsynced, renamed
over the destination, then the folder fsynced so the rename itself survives a power cut. Whatever fails
on the way, the temp file is removed and the destination is left as it was. A destination that is a
FIFO or a device (`-o /dev/full`) is refused: renaming over it would replace a special file.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path

from los_tui.db.engine import PRIVATE_FILE, StoreError
from los_tui.db.identity import APPLICATION_ID
from los_tui.db.paths import kind_of, special_kind
from los_tui.domain.parsing import InputError

_SQLITE_HEADER = b"SQLite format 3\x00"
_COMPANIONS = ("-wal", "-shm", "-journal")  # SQLite's files beside a database, named after it


def _is_a_diary_file(path: Path) -> bool:
    """Whether `path` is itself (not a link to) a regular file holding a los-tui diary or a backup of one."""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return False
        with open(path, "rb") as handle:
            header = handle.read(100)
    except OSError:
        return False
    return (
        len(header) == 100
        and header.startswith(_SQLITE_HEADER)
        and int.from_bytes(header[68:72], "big") == APPLICATION_ID
    )


def _holds_a_diary(destination: Path) -> bool:
    """Whether writing `destination` would replace a diary, a backup of one, or a diary's -wal, -shm or
    -journal file (which hold its latest writes)."""
    for suffix in _COMPANIONS:
        if destination.name.endswith(suffix) and _is_a_diary_file(
            destination.with_name(destination.name.removesuffix(suffix))
        ):
            return True
    return _is_a_diary_file(destination)


def check_destination(destination: Path, field: str = "output", replacing_a_diary: bool = False) -> Path:
    """The absolute destination, refused (naming `field`) if it is a folder or its folder is missing, or,
    unless `replacing_a_diary` (a backup, a copy), if it is a diary or one of its files: `los export ics
    -o diary.sqlite3` replaced the diary with a calendar, past what `los restore` could read."""
    destination = destination.absolute()
    if destination.is_dir():
        raise StoreError("is a directory; give a file name", field, str(destination))
    if not replacing_a_diary and _holds_a_diary(destination):
        raise StoreError(
            "is a los-tui diary (or a backup of one, or one of its files); it is left alone: give another "
            "file",
            field,
            str(destination),
        )
    kind = special_kind(destination)
    if kind is not None:
        raise StoreError(
            f"is {kind}, not a regular file; it is left alone (leave it out to write to standard output, "
            "where a command offers it)",
            field,
            str(destination),
        )
    if not destination.parent.is_dir():
        raise StoreError(f"the folder {str(destination.parent)!r} does not exist", field, str(destination))
    return destination


@contextlib.contextmanager
def atomic_path(destination: Path, field: str = "output", replacing_a_diary: bool = False) -> Iterator[Path]:
    """Yield a new, empty, private temp file beside `destination`; on success it replaces `destination`.

    For writers that need a path rather than a descriptor (SQLite's backup API). A planted symlink at
    `destination` is replaced, never written through; an OSError on the way becomes a StoreError naming
    `field` and the file, with the temp file gone.
    """
    destination = check_destination(destination, field, replacing_a_diary)
    temporary = destination.with_name(f".{destination.name}.{secrets.token_hex(6)}.tmp")
    try:
        descriptor = os.open(
            temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_NOFOLLOW | os.O_CLOEXEC, PRIVATE_FILE
        )
        try:
            os.fchmod(descriptor, PRIVATE_FILE)  # O_CREAT's mode is filtered by the umask
        finally:
            os.close(descriptor)
        yield temporary
        descriptor = os.open(temporary, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        os.replace(temporary, destination)
        fsync_directory(destination.parent)
    except OSError as exc:
        discard(temporary)
        raise StoreError(f"could not be written ({exc.strerror or exc})", field, str(destination)) from None
    except BaseException:
        discard(temporary)
        raise


def write_atomically(destination: Path, data: bytes, field: str = "output") -> Path:
    """Write `data` to `destination` whole or not at all (see atomic_path); returns the absolute path."""
    with atomic_path(destination, field) as temporary:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        try:
            view = memoryview(data)
            while view:
                written = os.write(descriptor, view)
                view = view[written:]
        finally:
            os.close(descriptor)
    return destination.absolute()


def read_regular_file(path: Path, limit: int, field: str = "FILE") -> bytes:
    """The bytes of the regular file at `path`, refused (InputError naming `field`) if it is anything
    else or holds more than `limit` bytes.

    The kind is checked before opening, and the open itself never blocks (O_NONBLOCK), so a FIFO put
    there in between is refused too; at most `limit` + 1 bytes are read, whatever the size claims.
    """
    kind = special_kind(path)
    if kind is not None:
        raise InputError(field, str(path), f"is {kind}, not a regular file")
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        raise InputError(field, str(path), f"cannot be read ({exc.strerror or exc})") from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(field, str(path), f"is {kind_of(info.st_mode)}, not a regular file")
        if info.st_size > limit:
            raise InputError(field, str(path), f"is {info.st_size:,} bytes; the limit is {limit:,}")
        chunks: list[bytes] = []
        remaining = limit + 1
        while remaining > 0:
            chunk = os.read(descriptor, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    except OSError as exc:
        raise InputError(field, str(path), f"cannot be read ({exc.strerror or exc})") from None
    finally:
        os.close(descriptor)
    data = b"".join(chunks)
    if len(data) > limit:
        raise InputError(field, str(path), f"holds more than {limit:,} bytes, the limit")
    return data


def discard(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def fsync_directory(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY | os.O_CLOEXEC)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
