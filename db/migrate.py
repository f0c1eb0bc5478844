"""Bringing a diary's schema up to date: a backup first, then Alembic, all or nothing."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from los_tui.db.engine import BUSY_TIMEOUT_MS, StoreError, make_engine
from los_tui.db.identity import HEAD_REVISION
from los_tui.db.reader import Reader

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def current_revision(path: Path) -> str | None:
    """The revision the diary at `path` is at (None before its first migration), read with sqlite3 so
    that an up-to-date diary opens without loading SQLAlchemy or Alembic."""
    try:
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            return Reader(connection).schema_revision()
        finally:
            connection.close()
    except sqlite3.Error as exc:
        raise StoreError(f"--db {str(path)!r}: cannot be opened ({exc})") from None


def upgrade_to_head(path: Path, backup: Callable[[], Path] | None) -> Path | None:
    """Upgrade if needed; an existing schema is backed up first. Returns the backup made, if any."""
    revision = current_revision(path)
    if revision == HEAD_REVISION:
        return None
    made = backup() if revision is not None and backup is not None else None
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
        kept = f"; a backup was kept at {made}" if made else ""
        raise StoreError(
            f"the diary's schema ({revision}) cannot be upgraded: {exc}. Was it written by a "
            f"newer los-tui?{kept}"
        ) from None
    except OperationalError as exc:
        raise StoreError(f"--db {str(path)!r}: cannot be opened ({exc.orig})") from None
    finally:
        # The migration turns foreign keys off on its connection: that engine is never used again.
        engine.dispose()
    return made


def alembic_head() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()
