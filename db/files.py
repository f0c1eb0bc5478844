"""Every file the diary writes (backups, exports) lands whole or not at all, private, never through a link.

The recipe: a fresh temp file beside the destination (O_EXCL|O_NOFOLLOW, 0600), filled, fsynced, renamed
over the destination, then the folder fsynced so the rename itself survives a power cut. Whatever fails
on the way, the temp file is removed and the destination is left as it was.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

from los_tui.db.engine import PRIVATE_FILE, StoreError


def check_destination(destination: Path, field: str = "output") -> Path:
    """The absolute destination, refused (naming `field`) if it is a folder or its folder is missing."""
    destination = destination.absolute()
    if destination.is_dir():
        raise StoreError("is a directory; give a file name", field, str(destination))
    if not destination.parent.is_dir():
        raise StoreError(f"the folder {str(destination.parent)!r} does not exist", field, str(destination))
    return destination


@contextlib.contextmanager
def atomic_path(destination: Path, field: str = "output") -> Iterator[Path]:
    """Yield a new, empty, private temp file beside `destination`; on success it replaces `destination`.

    For writers that need a path rather than a descriptor (SQLite's backup API). A planted symlink at
    `destination` is replaced, never written through; an OSError on the way becomes a StoreError naming
    `field` and the file, with the temp file gone.
    """
    destination = check_destination(destination, field)
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


def discard(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def fsync_directory(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY | os.O_CLOEXEC)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
