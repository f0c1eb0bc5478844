"""Bringing a diary's schema up to date: a backup first, then Alembic, all or nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine

from db.engine import StoreError
from db.identity import HEAD_REVISION

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        found = connection.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).scalar()
        if not found:
            return None
        return connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def upgrade_to_head(engine: Engine, backup: Callable[[], Path] | None) -> Path | None:
    """Upgrade if needed; an existing schema is backed up first. Returns the backup made, if any."""
    revision = current_revision(engine)
    if revision == HEAD_REVISION:
        return None
    made = backup() if revision is not None and backup is not None else None
    from alembic import command  # only loaded when there is something to migrate
    from alembic.config import Config
    from alembic.util import CommandError

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
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
    finally:
        # The migration turned foreign keys off on its connection; never hand that connection out again.
        engine.dispose()
    return made


def alembic_head() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()
