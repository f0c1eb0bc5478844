"""record versions: a version per record people edit (optimistic locking), whether a meeting's difference
may be shared, and on a server a notification of every committed change

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-29

Chained to 0003 on its branch: 0004 (full-text search) is written alongside, and the two are put in
order when they meet. Adds columns with defaults, so every row keeps its values (each record starts at
version 1, no difference shared). On PostgreSQL it also adds the triggers that NOTIFY the diary's open
screens of each committed change (db.server): SQLite's own PRAGMA data_version does that for a file.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VERSIONED = ("commitments", "occurrence_logs", "actions")
WATCHED = (
    "diary_settings",
    "commitments",
    "schedules",
    "target_changes",
    "occurrence_logs",
    "actions",
    "imported_events",
    "asked_questions",
)
CHANNEL = "los_tui_diary"  # db.server.CHANGES_CHANNEL, as this revision ships it
NOTIFY_FUNCTION = "los_tui_notify_change"


def upgrade() -> None:
    for table in VERSIONED:
        op.add_column(table, sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    op.add_column(
        "occurrence_logs",
        sa.Column("difference_shared", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE FUNCTION {NOTIFY_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN PERFORM pg_notify('{CHANNEL}', TG_TABLE_NAME); RETURN NULL; END $$"
        )
        for table in WATCHED:
            op.execute(
                f"CREATE TRIGGER {table}_notify AFTER INSERT OR UPDATE OR DELETE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {NOTIFY_FUNCTION}()"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in WATCHED:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_notify ON {table}")
        op.execute(f"DROP FUNCTION IF EXISTS {NOTIFY_FUNCTION}()")
    with op.batch_alter_table("occurrence_logs") as batch:
        batch.drop_column("difference_shared")
    for table in VERSIONED:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")
