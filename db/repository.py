"""The small repository between the schema and the domain: rows in, domain objects out."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from los_tui.db.queries import from_utc_naive, load_commitments, to_utc_naive
from los_tui.db.schema import (
    ActionRow,
    CommitmentRow,
    OccurrenceLogRow,
    ScheduleRow,
    Setting,
    TargetChangeRow,
)
from los_tui.domain.model import Commitment, Frequency, OccurrenceLog, Role, Schedule, Status
from los_tui.domain.parsing import InputError


def new_uid() -> str:
    return f"{uuid.uuid4()}@los-tui"


def log_from_row(row: OccurrenceLogRow) -> OccurrenceLog:
    return OccurrenceLog(
        id=row.id,
        commitment_slug=row.commitment.slug,
        original_start=from_utc_naive(row.original_start),
        start=from_utc_naive(row.start),
        status=Status(row.status) if row.status else None,
        note=row.note,
        questions=row.questions,
        all_day=row.all_day,
        duration_minutes=row.duration_minutes,
    )


class Repository:
    """Reads and writes within one session; the caller owns the transaction."""

    def __init__(self, session: Session, now: datetime) -> None:
        self.session = session
        self.now = to_utc_naive(now)

    # settings
    def setting(self, key: str) -> str | None:
        row = self.session.get(Setting, key)
        return row.value if row else None

    def set_setting(self, key: str, value: str) -> None:
        row = self.session.get(Setting, key)
        if row is None:
            self.session.add(Setting(key=key, value=value))
        else:
            row.value = value

    # commitments
    def commitment_rows(self, role: Role | None = None, include_retired: bool = False) -> list[CommitmentRow]:
        query = (
            select(CommitmentRow)
            .options(selectinload(CommitmentRow.schedules), selectinload(CommitmentRow.joint))
            .order_by(CommitmentRow.role.desc(), CommitmentRow.id)
        )
        if role is not None:
            query = query.where(CommitmentRow.role == role.value)
        if not include_retired:
            query = query.where(CommitmentRow.retired_on.is_(None))
        return list(self.session.scalars(query))

    def _sqlite(self) -> sqlite3.Connection:
        """This transaction's own sqlite3 connection, so db.queries reads what it has written so far."""
        connection = self.session.connection().connection.driver_connection
        assert isinstance(connection, sqlite3.Connection)
        return connection

    def commitments(self, role: Role | None = None, include_retired: bool = False) -> list[Commitment]:
        return load_commitments(self._sqlite(), role, include_retired)

    def reload(self, row: CommitmentRow) -> Commitment:
        """The commitment as it now stands in this transaction, as a domain object."""
        self.session.flush()
        return load_commitments(self._sqlite(), include_retired=True, slugs=[row.slug])[0]

    def as_log(self, row: OccurrenceLogRow) -> OccurrenceLog:
        return log_from_row(row)

    def commitment_row(self, slug: str) -> CommitmentRow:
        row = self.session.scalar(select(CommitmentRow).where(CommitmentRow.slug == slug))
        if row is None:
            raise InputError("commitment", slug, "no commitment has that slug (see `los commitments`)")
        return row

    def slug_exists(self, slug: str) -> bool:
        return self.session.scalar(select(CommitmentRow.id).where(CommitmentRow.slug == slug)) is not None

    def add_commitment(
        self, slug: str, title: str, role: Role, frequency: Frequency, wording: str = "", with_whom: str = ""
    ) -> CommitmentRow:
        row = CommitmentRow(
            slug=slug,
            title=title,
            role=role.value,
            frequency=frequency.value,
            wording=wording,
            with_whom=with_whom,
            created_at=self.now,
            updated_at=self.now,
        )
        self.session.add(row)
        self.session.flush()
        return row

    def add_schedule(
        self, commitment: CommitmentRow, schedule: Schedule, effective_from: date
    ) -> ScheduleRow:
        """Add a schedule version from `effective_from`; versions from that day on are replaced."""
        for old in list(commitment.schedules):
            if old.effective_from >= effective_from:
                commitment.schedules.remove(old)
                self.session.delete(old)
        self.session.flush()
        row = ScheduleRow(
            commitment=commitment,
            effective_from=effective_from,
            rrule=schedule.rrule,
            start_local=schedule.start,
            duration_minutes=schedule.duration_minutes,
            location=schedule.location,
            tz=schedule.tz,
            ical_uid=new_uid(),
            sequence=0,
            created_at=self.now,
            updated_at=self.now,
        )
        self.session.add(row)
        commitment.updated_at = self.now
        self.session.flush()
        return row

    def change_target(self, commitment: CommitmentRow, target: int | None, effective_from: date) -> None:
        """Aim for `target` a quarter from the quarter starting `effective_from`; changes from that
        quarter on are replaced, and the quarters before it keep the target they had."""
        later = select(TargetChangeRow).where(
            TargetChangeRow.commitment_id == commitment.id, TargetChangeRow.effective_from >= effective_from
        )
        for old in self.session.scalars(later):
            self.session.delete(old)
        self.session.flush()
        self.session.add(
            TargetChangeRow(
                commitment_id=commitment.id, effective_from=effective_from, target=target, created_at=self.now
            )
        )
        commitment.updated_at = self.now
        self.session.flush()

    def bump_series(self, commitment: CommitmentRow, day: date) -> None:
        """An occurrence of the series in force on `day` changed: raise its iCalendar SEQUENCE."""
        governing = None
        for version in commitment.schedules:
            if version.effective_from <= day:
                governing = version
        if governing is not None:
            governing.sequence += 1
            governing.updated_at = self.now

    # occurrence logs
    def log_row(self, log_id: int) -> OccurrenceLogRow:
        row = self.session.get(OccurrenceLogRow, log_id)
        if row is None:
            raise InputError("occurrence", log_id, "no such logged occurrence (deleted elsewhere?)")
        return row

    def scheduled_log_row(self, commitment: CommitmentRow, original_start: datetime) -> OccurrenceLogRow:
        """The log row of a scheduled occurrence, created empty if nothing was logged yet."""
        key = to_utc_naive(original_start)
        row = self.session.scalar(
            select(OccurrenceLogRow).where(
                OccurrenceLogRow.commitment_id == commitment.id, OccurrenceLogRow.original_start == key
            )
        )
        if row is None:
            row = OccurrenceLogRow(
                commitment=commitment,
                original_start=key,
                start=None,
                all_day=False,
                note="",
                questions="",
                created_at=self.now,
                updated_at=self.now,
            )
            self.session.add(row)
            self.session.flush()
        return row

    def add_adhoc(
        self,
        commitment: CommitmentRow,
        start: datetime,
        all_day: bool,
        status: Status | None,
        note: str,
        duration_minutes: int | None = None,
    ) -> OccurrenceLogRow:
        row = OccurrenceLogRow(
            commitment=commitment,
            original_start=None,
            start=to_utc_naive(start),
            all_day=all_day,
            duration_minutes=duration_minutes,
            status=status.value if status else None,
            note=note,
            questions="",
            created_at=self.now,
            updated_at=self.now,
        )
        self.session.add(row)
        self.session.flush()
        return row

    # actions
    def action_row(self, action_id: int) -> ActionRow:
        row = self.session.get(ActionRow, action_id)
        if row is None:
            raise InputError("action", action_id, "no such action")
        return row

    def add_action(self, log: OccurrenceLogRow, text: str, owner: str, due: date | None) -> ActionRow:
        row = ActionRow(
            log=log, text=text, owner=owner, due=due, done=False, created_at=self.now, updated_at=self.now
        )
        self.session.add(row)
        self.session.flush()
        return row
