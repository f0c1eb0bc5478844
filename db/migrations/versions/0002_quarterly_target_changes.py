"""quarterly target changes: a new target applies from a quarter on, never to the quarters before it

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26

Adds a table and nothing else: a target set under 0001 stays in commitments.quarterly_target and
applies from the start, as it did, until the first change.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "target_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("target", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["commitment_id"], ["commitments.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("commitment_id", "effective_from", name="uq_target_changes_version"),
    )


def downgrade() -> None:
    op.drop_table("target_changes")
