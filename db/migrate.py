"""Bringing a diary's schema up to date: a backup first, then Alembic, all or nothing."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from los_tui.db.engine import BUSY_TIMEOUT_MS, StoreError, make_engine
from los_tui.db.identity import HEAD_REVISION
from los_tui.db.paths import sqlite_uri
from los_tui.db.reader import Reader

if TYPE_CHECKING:
    from sqlalchemy import Connection

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def current_revision(path: Path, field: str = "diary") -> str | None:
    """The revision the diary at `path` is at (None before its first migration), read with sqlite3 (and
    read-only) so that an up-to-date diary opens without loading SQLAlchemy or Alembic."""
    try:
        connection = sqlite3.connect(sqlite_uri(path, mode="ro"), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            return Reader(connection).schema_revision()
        finally:
            connection.close()
    except sqlite3.Error as exc:
        raise StoreError(f"cannot be opened ({exc})", field, str(path)) from None


def check_known_revision(path: Path, field: str = "diary") -> str | None:
    """The diary's revision, refused if this los-tui does not know it (written by a newer los-tui)."""
    revision = current_revision(path, field)
    if revision is None or revision == HEAD_REVISION:
        return revision
    from alembic.script import ScriptDirectory  # only for a diary that is not at our head

    known = {script.revision for script in ScriptDirectory(str(MIGRATIONS_DIR)).walk_revisions()}
    if revision not in known:
        raise StoreError(
            f"its schema revision {revision!r} is unknown to this los-tui (newest known: {HEAD_REVISION}); "
            "it was written by a newer los-tui, so it is left untouched",
            field,
            str(path),
        )
    return revision


def upgrade_to_head(path: Path, backup: Callable[[], Path] | None) -> Path | None:
    """Upgrade if needed; an existing schema is backed up first. Returns the backup made, if any.

    A diary from a newer los-tui is refused before anything is made, and a migration that fails leaving
    the diary as it was takes its backup away again: a start that fails leaves no trace in the backups.
    """
    revision = check_known_revision(path)
    if revision == HEAD_REVISION:
        return None
    made = backup() if revision is not None and backup is not None else None
    try:
        _upgrade(path, revision)
    except BaseException as exc:
        if made is None:
            raise
        if _unchanged(path, revision):
            made.unlink(missing_ok=True)
            raise
        if isinstance(exc, StoreError):
            raise StoreError(f"{exc}; the diary as it was before is kept in {made}") from None
        raise
    return made


def _unchanged(path: Path, revision: str | None) -> bool:
    try:
        return current_revision(path) == revision
    except StoreError:
        return False  # cannot tell: keep the backup


def _upgrade(path: Path, revision: str | None) -> None:
    from alembic import command  # only loaded when there is something to migrate
    from alembic.config import Config
    from alembic.util import CommandError
    from sqlalchemy.exc import OperationalError

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    engine = make_engine(path)
    try:
        with engine.connect() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            connection.commit()
    except CommandError as exc:
        raise StoreError(f"the diary's schema ({revision}) cannot be upgraded: {exc}") from None
    except OperationalError as exc:
        raise StoreError(f"cannot be opened ({exc.orig})", "diary", str(path)) from None
    finally:
        # The migration turns foreign keys off on its connection: that engine is never used again.
        engine.dispose()


def alembic_head() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()


def migrate_to(connection: Connection, revision: str) -> None:
    """Bring the schema on `connection` (any dialect) to `revision` with Alembic, inside the caller's
    transaction: on PostgreSQL the DDL lands with whatever else the transaction writes, or not at all."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    command.upgrade(config, revision)
