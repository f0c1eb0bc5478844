"""Alembic environment: runs on the connection db.migrate hands over, or on the URL in alembic.ini."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from los_tui.db.search_index import described_by_models
from los_tui.db.tables import metadata as target_metadata

config = context.config


def run_on(connection: Connection) -> None:
    if (
        connection.dialect.name != "sqlite"
    ):  # a server (PostgreSQL) alters tables in place, in one transaction
        context.configure(
            connection=connection, target_metadata=target_metadata, include_name=described_by_models
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    # Foreign keys off for the migration: SQLite batch mode recreates tables, and with them on a
    # cascade would silently delete child rows. Checked again before the transaction commits.
    raw = connection.connection.driver_connection
    assert raw is not None
    raw.execute("PRAGMA foreign_keys = OFF")  # must run outside a transaction, so on the raw driver
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        include_name=described_by_models,
    )
    with context.begin_transaction():
        context.run_migrations()
        problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise RuntimeError(f"migration left {len(problems)} broken foreign keys; rolled back")
    raw.execute("PRAGMA foreign_keys = ON")


given = config.attributes.get("connection")
if given is not None:
    run_on(given)
else:
    with create_engine(config.get_main_option("sqlalchemy.url") or "").connect() as own:
        run_on(own)
