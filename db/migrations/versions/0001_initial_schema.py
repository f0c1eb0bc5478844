"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "commitments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=8), nullable=False),
        sa.Column("frequency", sa.String(length=16), nullable=False),
        sa.Column("wording", sa.Text(), nullable=False),
        sa.Column("with_whom", sa.Text(), nullable=False),
        sa.Column("joint_id", sa.Integer(), nullable=True),
        sa.Column("quarterly_target", sa.Integer(), nullable=True),
        sa.Column("retired_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "frequency IN ('monthly', 'bimonthly', 'quarterly', 'biannual', 'annual', 'ad_hoc')",
            name="ck_commitments_frequency",
        ),
        sa.CheckConstraint("role IN ('lmcs', 'dcs')", name="ck_commitments_role"),
        sa.ForeignKeyConstraint(["joint_id"], ["commitments.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("slug"),
    )
    op.create_table(
        "diary_settings",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "occurrence_logs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("original_start", sa.DateTime(), nullable=True),
        sa.Column("start", sa.DateTime(), nullable=True),
        sa.Column("all_day", sa.Boolean(), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("questions", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "status IS NULL OR status IN ('attended', 'delegated', 'apologies', 'missed', 'cancelled')",
            name="ck_logs_status",
        ),
        sa.CheckConstraint("original_start IS NOT NULL OR start IS NOT NULL", name="ck_logs_has_time"),
        sa.ForeignKeyConstraint(["commitment_id"], ["commitments.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("commitment_id", "original_start", name="uq_logs_occurrence"),
    )
    with op.batch_alter_table("occurrence_logs", schema=None) as batch_op:
        batch_op.create_index("ix_logs_original_start", ["original_start"], unique=False)
        batch_op.create_index("ix_logs_start", ["start"], unique=False)

    op.create_table(
        "schedules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("rrule", sa.Text(), nullable=False),
        sa.Column("start_local", sa.DateTime(), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("location", sa.Text(), nullable=False),
        sa.Column("tz", sa.String(length=64), nullable=False),
        sa.Column("ical_uid", sa.String(length=120), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["commitment_id"], ["commitments.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("commitment_id", "effective_from", name="uq_schedules_version"),
        sa.UniqueConstraint("ical_uid"),
    )
    op.create_table(
        "actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("log_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("owner", sa.Text(), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["log_id"], ["occurrence_logs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_actions_log_id"), ["log_id"], unique=False)

    op.create_table(
        "imported_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.Text(), nullable=False),
        sa.Column("recurrence_id", sa.String(length=40), nullable=False),
        sa.Column("log_id", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["log_id"], ["occurrence_logs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("uid", "recurrence_id", name="uq_imported_event"),
    )
    with op.batch_alter_table("imported_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_imported_events_log_id"), ["log_id"], unique=False)

    # ### end Alembic commands ###


def downgrade() -> None:
    with op.batch_alter_table("imported_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_imported_events_log_id"))

    op.drop_table("imported_events")
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_actions_log_id"))

    op.drop_table("actions")
    op.drop_table("schedules")
    with op.batch_alter_table("occurrence_logs", schema=None) as batch_op:
        batch_op.drop_index("ix_logs_start")
        batch_op.drop_index("ix_logs_original_start")

    op.drop_table("occurrence_logs")
    op.drop_table("diary_settings")
    op.drop_table("commitments")
