"""Diaries on the tests' PostgreSQL server (tests/pg_server.py): a fresh database owned by a login role
of its own, as a council's DBA would make one, and an engine on it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pg_server import Server

if TYPE_CHECKING:
    from sqlalchemy import Engine


def make_role(server: Server, role: str, superuser: bool = False) -> None:
    """A login role, made if missing (roles belong to the whole server, not to one database)."""
    kind = " SUPERUSER" if superuser else ""
    done = server.psql(
        "postgres",
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') "
        f'THEN CREATE ROLE "{role}" LOGIN{kind}; END IF; END $$',
    )
    assert done.returncode == 0, done.stderr


def fresh_database(server: Server, name: str, owner: str | None = None) -> str:
    """An empty database `name` (dropped first if there), owned by `owner` (made if missing)."""
    done = server.psql("postgres", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    assert done.returncode == 0, done.stderr
    if owner is not None:
        make_role(server, owner)
    owned = f' OWNER "{owner}"' if owner else ""
    done = server.psql("postgres", f'CREATE DATABASE "{name}"{owned}')
    assert done.returncode == 0, done.stderr
    return name


def engine_for(url: str) -> Engine:
    from sqlalchemy import create_engine

    return create_engine(url.replace("postgresql://", "postgresql+psycopg2://", 1))


def migrate(url: str, revision: str = "head") -> None:
    """Build the diary's schema at `url` with Alembic, as the role in the URL (which then owns it)."""
    from los_tui.db.migrate import migrate_to

    engine = engine_for(url)
    try:
        with engine.begin() as connection:
            migrate_to(connection, revision)
    finally:
        engine.dispose()
