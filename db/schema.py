"""The ORM mapping of the diary's tables (db.tables), used where the diary is written."""

from datetime import date, datetime

from sqlalchemy.orm import DeclarativeBase, Mapped, relationship

from los_tui.db import tables


class Base(DeclarativeBase):
    metadata = tables.metadata


class Setting(Base):
    __table__ = tables.settings
    key: Mapped[str]
    value: Mapped[str]


class CommitmentRow(Base):
    __table__ = tables.commitments
    id: Mapped[int]
    slug: Mapped[str]
    title: Mapped[str]
    role: Mapped[str]
    frequency: Mapped[str]
    wording: Mapped[str]
    with_whom: Mapped[str]
    joint_id: Mapped[int | None]
    quarterly_target: Mapped[int | None]
    retired_on: Mapped[date | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    schedules: Mapped[list["ScheduleRow"]] = relationship(
        back_populates="commitment", order_by=tables.schedules.c.effective_from
    )
    # Two lines of the same meeting point at each other; post_update breaks the insert cycle.
    joint: Mapped["CommitmentRow | None"] = relationship(
        remote_side=[tables.commitments.c.id], post_update=True
    )


class ScheduleRow(Base):
    __table__ = tables.schedules
    id: Mapped[int]
    commitment_id: Mapped[int]
    effective_from: Mapped[date]
    rrule: Mapped[str]
    start_local: Mapped[datetime]
    duration_minutes: Mapped[int]
    location: Mapped[str]
    tz: Mapped[str]
    ical_uid: Mapped[str]
    sequence: Mapped[int]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    commitment: Mapped[CommitmentRow] = relationship(back_populates="schedules")


class TargetChangeRow(Base):
    __table__ = tables.target_changes
    id: Mapped[int]
    commitment_id: Mapped[int]
    effective_from: Mapped[date]
    target: Mapped[int | None]
    created_at: Mapped[datetime]


class OccurrenceLogRow(Base):
    __table__ = tables.occurrence_logs
    id: Mapped[int]
    commitment_id: Mapped[int]
    original_start: Mapped[datetime | None]
    start: Mapped[datetime | None]
    all_day: Mapped[bool]
    duration_minutes: Mapped[int | None]
    status: Mapped[str | None]
    note: Mapped[str]
    questions: Mapped[str]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    commitment: Mapped[CommitmentRow] = relationship()
    actions: Mapped[list["ActionRow"]] = relationship(
        back_populates="log", order_by=tables.actions.c.id, cascade="all, delete-orphan"
    )


class ActionRow(Base):
    __table__ = tables.actions
    id: Mapped[int]
    log_id: Mapped[int]
    text: Mapped[str]
    owner: Mapped[str]
    due: Mapped[date | None]
    done: Mapped[bool]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    log: Mapped[OccurrenceLogRow] = relationship(back_populates="actions")


class ImportedEventRow(Base):
    __table__ = tables.imported_events
    id: Mapped[int]
    uid: Mapped[str]
    recurrence_id: Mapped[str]
    log_id: Mapped[int]
    imported_at: Mapped[datetime]
