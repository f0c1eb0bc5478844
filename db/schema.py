"""The SQLAlchemy schema of the diary. Datetimes are stored as naive UTC; wall times as naive local."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Setting(Base):
    __tablename__ = "diary_settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class CommitmentRow(Base):
    __tablename__ = "commitments"
    __table_args__ = (
        CheckConstraint("role IN ('lmcs', 'dcs')", name="ck_commitments_role"),
        CheckConstraint(
            "frequency IN ('monthly', 'bimonthly', 'quarterly', 'biannual', 'annual', 'ad_hoc')",
            name="ck_commitments_frequency",
        ),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(8))
    frequency: Mapped[str] = mapped_column(String(16))
    wording: Mapped[str] = mapped_column(Text, default="")
    with_whom: Mapped[str] = mapped_column(Text, default="")
    joint_id: Mapped[int | None] = mapped_column(ForeignKey("commitments.id", ondelete="SET NULL"))
    quarterly_target: Mapped[int | None] = mapped_column(Integer)
    retired_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    schedules: Mapped[list[ScheduleRow]] = relationship(
        back_populates="commitment", order_by="ScheduleRow.effective_from"
    )
    # Two lines of the same meeting point at each other; post_update breaks the insert cycle.
    joint: Mapped[CommitmentRow | None] = relationship(remote_side=[id], post_update=True)


class ScheduleRow(Base):
    """One effective-dated version of a commitment's schedule; each version is one iCalendar series."""

    __tablename__ = "schedules"
    __table_args__ = (UniqueConstraint("commitment_id", "effective_from", name="uq_schedules_version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitments.id", ondelete="RESTRICT"))
    effective_from: Mapped[date] = mapped_column(Date)
    rrule: Mapped[str] = mapped_column(Text)
    start_local: Mapped[datetime] = mapped_column(DateTime)
    duration_minutes: Mapped[int] = mapped_column(Integer)
    location: Mapped[str] = mapped_column(Text, default="")
    tz: Mapped[str] = mapped_column(String(64))
    ical_uid: Mapped[str] = mapped_column(String(120), unique=True)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    commitment: Mapped[CommitmentRow] = relationship(back_populates="schedules")


class OccurrenceLogRow(Base):
    """What was logged against one scheduled occurrence (keyed by its original start), or an ad hoc entry."""

    __tablename__ = "occurrence_logs"
    __table_args__ = (
        UniqueConstraint("commitment_id", "original_start", name="uq_logs_occurrence"),
        CheckConstraint(
            "status IS NULL OR status IN ('attended', 'delegated', 'apologies', 'missed', 'cancelled')",
            name="ck_logs_status",
        ),
        CheckConstraint("original_start IS NOT NULL OR start IS NOT NULL", name="ck_logs_has_time"),
        Index("ix_logs_original_start", "original_start"),
        Index("ix_logs_start", "start"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitments.id", ondelete="RESTRICT"))
    original_start: Mapped[datetime | None] = mapped_column(DateTime)
    start: Mapped[datetime | None] = mapped_column(DateTime)
    all_day: Mapped[bool] = mapped_column(Boolean, default=False)
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    questions: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    commitment: Mapped[CommitmentRow] = relationship()
    actions: Mapped[list[ActionRow]] = relationship(
        back_populates="log", order_by="ActionRow.id", cascade="all, delete-orphan"
    )


class ActionRow(Base):
    __tablename__ = "actions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    log_id: Mapped[int] = mapped_column(ForeignKey("occurrence_logs.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(Text, default="")
    due: Mapped[date | None] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    log: Mapped[OccurrenceLogRow] = relationship(back_populates="actions")


class ImportedEventRow(Base):
    """An event read from another calendar's file, so re-importing the same file changes nothing."""

    __tablename__ = "imported_events"
    __table_args__ = (UniqueConstraint("uid", "recurrence_id", name="uq_imported_event"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(Text)
    recurrence_id: Mapped[str] = mapped_column(String(40), default="")  # "" for a single event
    log_id: Mapped[int] = mapped_column(ForeignKey("occurrence_logs.id", ondelete="CASCADE"), index=True)
    imported_at: Mapped[datetime] = mapped_column(DateTime)
