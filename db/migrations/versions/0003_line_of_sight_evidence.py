"""line-of-sight evidence: the factors a commitment gives sight of, what difference a meeting made, and the
questions of the guidance asked at meetings

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29

Adds two columns (with defaults, so every row keeps its values) and one table. The seed protocol's lines
already in a diary get the factors the seed now gives them; the user's own commitments get none.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The seed protocol's factors as this revision ships them (db/seed_protocol.toml says why for each).
SEED_FACTORS = {
    "lmcs-improvement-board": "1,5",
    "lmcs-performance-data": "5",
    "lmcs-high-risk-cases": "5,7",
    "lmcs-leader-portfolio-review": "1,5",
    "lmcs-psw-practice-audit": "2,4,5",
    "lmcs-asye-meeting": "2,4",
    "lmcs-pulse-survey": "2,3",
    "lmcs-corporate-parenting-panel": "1,7",
    "lmcs-cicc": "7",
    "lmcs-team-visits": "2,3",
    "lmcs-staff-conference": "2,4",
    "lmcs-fostering-panel": "7",
    "lmcs-adoption-panel": "7",
    "lmcs-safeguarding-board": "6",
    "lmcs-complaints-lado": "5,7",
    "lmcs-case-reviews": "5,6",
    "dcs-improvement-board": "1,5",
    "dcs-corporate-parenting-panel": "1,7",
    "dcs-safeguarding-board": "6",
    "dcs-performance-data": "5",
    "dcs-case-audit": "5",
    "dcs-psw-meeting": "2,4,5",
    "dcs-practice-development-group": "2,4",
    "dcs-how-is-it-for-you": "2,3",
    "dcs-asye-forum": "2,4",
    "dcs-pulse-survey": "2,3",
    "dcs-extended-management-meeting": "1,2",
    "dcs-performance-review-meetings": "5",
    "dcs-cicc": "7",
    "dcs-foster-carers": "3,7",
    "dcs-fostering-panel": "7",
    "dcs-adoption-panel": "7",
    "dcs-complaints-lado": "5,7",
    "dcs-staff-conference": "2,4",
}


def upgrade() -> None:
    op.add_column("commitments", sa.Column("factors", sa.String(20), nullable=False, server_default=""))
    op.add_column("occurrence_logs", sa.Column("difference", sa.Text(), nullable=False, server_default=""))
    op.create_table(
        "asked_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("log_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(8), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["log_id"], ["occurrence_logs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("log_id", "question_id", name="uq_asked_question"),
    )
    op.create_index("ix_asked_questions_log_id", "asked_questions", ["log_id"])
    commitments = sa.table("commitments", sa.column("slug", sa.String), sa.column("factors", sa.String))
    for slug, factors in SEED_FACTORS.items():
        op.execute(commitments.update().where(commitments.c.slug == slug).values(factors=factors))


def downgrade() -> None:
    op.drop_index("ix_asked_questions_log_id", table_name="asked_questions")
    op.drop_table("asked_questions")
    with op.batch_alter_table("occurrence_logs") as batch:
        batch.drop_column("difference")
    with op.batch_alter_table("commitments") as batch:
        batch.drop_column("factors")
