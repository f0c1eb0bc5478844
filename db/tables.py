"""The diary's tables in SQLAlchemy Core, the schema's one description: Alembic's migrations build it and
db.writer writes through it. db.reader reads the same tables in plain SQL, columns by name; a change here
is a migration, and a change in the reader's mapping for that table."""

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

metadata = MetaData()

settings = Table(
    "diary_settings",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

commitments = Table(
    "commitments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(80), nullable=False, unique=True),
    Column("title", String(200), nullable=False),
    Column("role", String(8), nullable=False),
    Column("frequency", String(16), nullable=False),
    Column("wording", Text, nullable=False, default=""),
    Column("with_whom", Text, nullable=False, default=""),
    Column("joint_id", Integer, ForeignKey("commitments.id", ondelete="SET NULL")),
    Column("quarterly_target", Integer),  # from the start, until a target change (see target_changes)
    Column("retired_on", Date),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    # The seven factors of effective safeguarding (los questions) it gives sight of: "1,5" (schema 0003).
    Column("factors", String(20), nullable=False, default="", server_default=""),
    # Raised by every change: a save made against an older version is seen as such (schema 0005).
    Column("version", Integer, nullable=False, default=1, server_default="1"),
    CheckConstraint("role IN ('lmcs', 'dcs')", name="ck_commitments_role"),
    CheckConstraint(
        "frequency IN ('monthly', 'bimonthly', 'quarterly', 'biannual', 'annual', 'ad_hoc')",
        name="ck_commitments_frequency",
    ),
)

# One effective-dated version of a commitment's schedule; each version is one iCalendar series.
schedules = Table(
    "schedules",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("commitment_id", Integer, ForeignKey("commitments.id", ondelete="RESTRICT"), nullable=False),
    Column("effective_from", Date, nullable=False),
    Column("rrule", Text, nullable=False),
    Column("start_local", DateTime, nullable=False),  # naive wall-clock time in `tz`
    Column("duration_minutes", Integer, nullable=False),
    Column("location", Text, nullable=False, default=""),
    Column("tz", String(64), nullable=False),
    Column("ical_uid", String(120), nullable=False, unique=True),
    Column("sequence", Integer, nullable=False, default=0),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    UniqueConstraint("commitment_id", "effective_from", name="uq_schedules_version"),
)

# A change to an ad hoc commitment's quarterly target, in force from the quarter starting on
# `effective_from` until the next change; `target` NULL means no target from then on. Before the first
# change, `commitments.quarterly_target` holds (a target set before these changes were kept, schema 0001,
# applies from the start). A change never alters what was expected of a quarter before it.
target_changes = Table(
    "target_changes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("commitment_id", Integer, ForeignKey("commitments.id", ondelete="CASCADE"), nullable=False),
    Column("effective_from", Date, nullable=False),  # the first day of a calendar quarter
    Column("target", Integer),
    Column("created_at", DateTime, nullable=False),
    UniqueConstraint("commitment_id", "effective_from", name="uq_target_changes_version"),
)

# What was logged against one scheduled occurrence (keyed by its original start), or an ad hoc entry.
# Datetimes are naive UTC.
occurrence_logs = Table(
    "occurrence_logs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("commitment_id", Integer, ForeignKey("commitments.id", ondelete="RESTRICT"), nullable=False),
    Column("original_start", DateTime),
    Column("start", DateTime),
    Column("all_day", Boolean, nullable=False, default=False),
    Column("duration_minutes", Integer),
    Column("status", String(16)),
    Column("note", Text, nullable=False, default=""),
    Column("questions", Text, nullable=False, default=""),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    # What difference the meeting made for children, written for reports (schema 0003).
    Column("difference", Text, nullable=False, default="", server_default=""),
    Column("version", Integer, nullable=False, default=1, server_default="1"),  # as commitments.version
    # Whether `difference` may be shown to an assistant (schema 0005); notes and questions never are.
    Column("difference_shared", Boolean, nullable=False, default=False, server_default=false()),
    UniqueConstraint("commitment_id", "original_start", name="uq_logs_occurrence"),
    CheckConstraint(
        "status IS NULL OR status IN ('attended', 'delegated', 'apologies', 'missed', 'cancelled')",
        name="ck_logs_status",
    ),
    CheckConstraint("original_start IS NOT NULL OR start IS NOT NULL", name="ck_logs_has_time"),
    Index("ix_logs_original_start", "original_start"),
    Index("ix_logs_start", "start"),
)

actions = Table(
    "actions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "log_id", Integer, ForeignKey("occurrence_logs.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("text", Text, nullable=False),
    Column("owner", Text, nullable=False, default=""),
    Column("due", Date),
    Column("done", Boolean, nullable=False, default=False),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    Column("version", Integer, nullable=False, default=1, server_default="1"),  # as commitments.version
)

# An event read from another calendar's file, so re-importing the same file changes nothing.
imported_events = Table(
    "imported_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("uid", Text, nullable=False),
    Column("recurrence_id", String(40), nullable=False, default=""),  # "" for a single event
    Column(
        "log_id", Integer, ForeignKey("occurrence_logs.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("imported_at", DateTime, nullable=False),
    UniqueConstraint("uid", "recurrence_id", name="uq_imported_event"),
)

# A question of the guidance (los questions: "5.9") asked at a meeting, and the answer given (schema 0003).
asked_questions = Table(
    "asked_questions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "log_id", Integer, ForeignKey("occurrence_logs.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("question_id", String(8), nullable=False),
    Column("answer", Text, nullable=False, default=""),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    UniqueConstraint("log_id", "question_id", name="uq_asked_question"),
)
