"""The shared diary's first step: the same Alembic migrations build the diary's schema on a real
PostgreSQL server (started by the tests, on a Unix socket), exactly as db/tables.py describes it, and
take it back down again."""

from __future__ import annotations

import pytest
from pg_server import Server


@pytest.fixture
def server(pg_server: Server) -> Server:
    return pg_server  # the session's server (tests/conftest.py)


@pytest.fixture
def database(server: Server, request: pytest.FixtureRequest) -> str:
    name = "los_" + request.node.name.lower().replace("[", "_").replace("]", "")[:40]
    for sql in (f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'):  # one statement a call
        done = server.psql("postgres", sql)
        assert done.returncode == 0, done.stderr
    return name


def migrate(server: Server, database: str, revision: str, down: bool = False) -> None:
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    from los_tui.db.migrate import MIGRATIONS_DIR

    engine = create_engine(server.url(database).replace("postgresql://", "postgresql+psycopg2://", 1))
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    try:
        with engine.connect() as connection:
            config.attributes["connection"] = connection
            (command.downgrade if down else command.upgrade)(config, revision)
            connection.commit()
    finally:
        engine.dispose()


def test_the_migrations_build_on_postgresql_exactly_the_schema_the_tables_describe(
    server: Server, database: str
) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine

    from los_tui.db.identity import HEAD_REVISION
    from los_tui.db.search_index import described_by_models
    from los_tui.db.tables import metadata

    migrate(server, database, "head")
    engine = create_engine(server.url(database).replace("postgresql://", "postgresql+psycopg2://", 1))
    try:
        with engine.connect() as connection:
            version = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
            differences = compare_metadata(
                MigrationContext.configure(connection, opts={"include_name": described_by_models}), metadata
            )
    finally:
        engine.dispose()
    assert version == HEAD_REVISION
    assert differences == []


def test_the_migrations_go_down_and_up_again_on_postgresql(server: Server, database: str) -> None:
    migrate(server, database, "head")
    migrate(server, database, "base", down=True)
    listed = server.psql(database, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
    assert listed.returncode == 0
    migrate(server, database, "head")
    tables = server.psql(database, r"\dt")
    assert "asked_questions" in tables.stdout and "occurrence_logs" in tables.stdout
