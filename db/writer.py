"""Writing the diary: the Writer's methods are the diary's verbs (add a commitment, schedule it, set a
status, save a note, move a meeting, add an action, record an import), in SQLAlchemy Core over the tables
Alembic builds (db.tables), within one transaction the Store owns.

Each verb takes and returns domain objects and stamps `updated_at` itself; what it returns is read back
through a Reader on the same connection, so a row becomes a domain object in one place (db.reader).
Loaded on the first write only: looking at the diary never imports SQLAlchemy.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from los_tui.db import tables
from los_tui.db.errors import StoreError
from los_tui.db.identity import SERIES_UID_DOMAIN
from los_tui.db.reader import Reader, to_utc_naive
from los_tui.domain.model import (
    Action,
    Commitment,
    Frequency,
    Occurrence,
    OccurrenceLog,
    Role,
    Schedule,
    Status,
)
from los_tui.domain.moments import end_after, same_instant, wall_length
from los_tui.domain.parsing import InputError


class StaleRecord(StoreError):
    """A change was made against a version of a record that is no longer the stored one: someone else
    saved it first. Nothing was written; the caller reads it again and keeps both texts."""


def new_uid() -> str:
    return f"{uuid.uuid4()}{SERIES_UID_DOMAIN}"


@dataclass(frozen=True)
class ImportedMeeting:
    """A meeting from another program's calendar to log as attended: the diary's scheduled `occurrence`
    (held at `start`, or where the diary has it when `start` is None), or else an ad hoc entry of `slug`
    at `start`; `uid` and `recurrence_key` are remembered so importing the file again changes nothing."""

    uid: str
    recurrence_key: str
    slug: str
    start: datetime | None
    all_day: bool = False
    duration_minutes: int | None = None
    occurrence: Occurrence | None = None


_CHUNK = 500  # ids or keys per IN (...) list, well inside SQLite's limit on bound parameters


class _Rows:
    """How one write transaction finds the rows behind domain objects (a commitment by its slug, a
    meeting's log by its id or scheduled start), so the Writer's verbs can speak of domain objects."""

    def __init__(self, connection: Connection, now: datetime, tz: str, private: bool = True) -> None:
        """`private` False: the connected role may not read private text (see Reader)."""
        self._connection = connection
        self.now = to_utc_naive(now)
        self.tz = tz
        self.zone = ZoneInfo(tz)
        driver = connection.connection.driver_connection
        assert driver is not None
        self.read = Reader(driver, tz, private)  # sees what this transaction has written so far

    def _run(self, statement: Any, parameters: Any = None) -> Any:
        return self._connection.execute(statement, parameters)

    def _commitment_id(self, slug: str) -> int:
        found = self._run(select(tables.commitments.c.id).where(tables.commitments.c.slug == slug)).scalar()
        if found is None:
            raise InputError("commitment", slug, "no commitment has that slug (see `los commitments`)")
        return int(found)

    def commitment(self, slug: str) -> Commitment:
        self._commitment_id(slug)
        return self.read.commitments(include_retired=True, slugs=[slug])[0]

    def slug_taken(self, slug: str) -> bool:
        return (
            self._run(select(tables.commitments.c.id).where(tables.commitments.c.slug == slug)).first()
            is not None
        )

    def _touch_commitment(self, commitment_id: int, **values: Any) -> None:
        commitments = tables.commitments
        self._run(
            update(commitments)
            .where(commitments.c.id == commitment_id)
            .values(updated_at=self.now, version=commitments.c.version + 1, **values)
        )

    def _bump_series(self, slug: str, day: date) -> None:
        """An occurrence of the series in force on `day` changed: raise its iCalendar SEQUENCE."""
        schedules = tables.schedules
        governing = self._run(
            select(schedules.c.id)
            .where(schedules.c.commitment_id == self._commitment_id(slug), schedules.c.effective_from <= day)
            .order_by(schedules.c.effective_from.desc())
            .limit(1)
        ).scalar()
        if governing is not None:
            self._run(
                update(schedules)
                .where(schedules.c.id == governing)
                .values(sequence=schedules.c.sequence + 1, updated_at=self.now)
            )

    def _log_id(self, occurrence: Occurrence) -> int:
        """The log kept for `occurrence`; a scheduled one never logged gets an empty log first."""
        if occurrence.log_id is not None:
            if self.read.log(occurrence.log_id) is None:
                raise InputError(
                    "occurrence", occurrence.log_id, "no such logged occurrence (deleted elsewhere?)"
                )
            return occurrence.log_id
        if occurrence.original_start is None:
            raise InputError("occurrence", occurrence.title, "has no log and no scheduled start")
        commitment_id = self._commitment_id(occurrence.commitment_slug)
        found = self.read.scheduled_log_id(occurrence.commitment_slug, occurrence.original_start)
        if found is not None:
            return found
        inserted = self._run(
            insert(tables.occurrence_logs).values(
                commitment_id=commitment_id,
                original_start=to_utc_naive(occurrence.original_start),
                start=None,
                all_day=False,
                note="",
                questions="",
                created_at=self.now,
                updated_at=self.now,
            )
        )
        return int(inserted.inserted_primary_key[0])

    def _change(self, occurrence: Occurrence, expect: int | None = None, **values: Any) -> Occurrence:
        """Change the occurrence's log (made if it has none), raising its version; with `expect`, only
        if the log is still at that version (UPDATE ... WHERE version = expect), else StaleRecord and
        nothing written. Returns the occurrence with its log id and new version."""
        logs = tables.occurrence_logs
        log_id = self._log_id(occurrence)
        statement = update(logs).where(logs.c.id == log_id)
        if expect is not None:
            statement = statement.where(logs.c.version == expect)
        version = self._run(
            statement.values(updated_at=self.now, version=logs.c.version + 1, **values).returning(
                logs.c.version
            )
        ).scalar()
        if version is None:
            raise StaleRecord(
                f"{occurrence.title} was changed elsewhere since it was read; nothing was saved"
            )
        return replace(occurrence, log_id=log_id, version=int(version))

    def _bump_for(self, occurrence: Occurrence) -> None:
        if occurrence.original_start is not None:
            self._bump_series(
                occurrence.commitment_slug, occurrence.original_start.astimezone(self.zone).date()
            )

    def _action(self, action_id: int) -> Action:
        found = self.read.action(action_id)
        if found is None:
            raise InputError("action", action_id, "no such action")
        return found


class Writer(_Rows):
    """The diary's write verbs within one transaction on `connection`; `now` stamps what they change."""

    def set_setting(self, key: str, value: str) -> None:
        settings = tables.settings
        if self.read.setting(key) is None:
            self._run(insert(settings).values(key=key, value=value))
        else:
            self._run(update(settings).where(settings.c.key == key).values(value=value))

    def add_commitment(
        self,
        slug: str,
        title: str,
        role: Role,
        frequency: Frequency,
        wording: str = "",
        with_whom: str = "",
        factors: tuple[int, ...] = (),
    ) -> Commitment:
        self._run(
            insert(tables.commitments).values(
                slug=slug,
                title=title,
                role=role.value,
                frequency=frequency.value,
                wording=wording,
                with_whom=with_whom,
                factors=",".join(str(n) for n in factors),
                created_at=self.now,
                updated_at=self.now,
            )
        )
        return self.commitment(slug)

    def pair(self, slug: str, partner: str) -> None:
        """Two lines of one joint meeting (LMCS and DCS) point at each other; a partner already paired
        keeps its pair."""
        commitments = tables.commitments
        mine, theirs = self._commitment_id(slug), self._commitment_id(partner)
        self._run(update(commitments).where(commitments.c.id == mine).values(joint_id=theirs))
        self._run(
            update(commitments)
            .where(commitments.c.id == theirs, commitments.c.joint_id.is_(None))
            .values(joint_id=mine)
        )

    def retire(self, slug: str, on: date) -> Commitment:
        """Retire rather than delete: the history stays; nothing is expected from `on`."""
        commitment = self.commitment(slug)
        if commitment.retired_on is not None:
            raise InputError(
                "commitment", slug, f"was already retired on {commitment.retired_on.isoformat()}"
            )
        self._touch_commitment(self._commitment_id(slug), retired_on=on)
        self._bump_series(slug, on)  # the series in force now ends: exported calendars must update
        return self.commitment(slug)

    def schedule(self, slug: str, schedule: Schedule) -> Commitment:
        """Add a schedule version from its `effective_from`; versions from that day on are replaced, and
        the version in force the day before ends (an UNTIL appears), so its SEQUENCE rises."""
        assert schedule.effective_from is not None
        commitment_id = self._commitment_id(slug)
        self._bump_series(slug, schedule.effective_from - timedelta(days=1))
        schedules = tables.schedules
        self._run(
            delete(schedules).where(
                schedules.c.commitment_id == commitment_id,
                schedules.c.effective_from >= schedule.effective_from,
            )
        )
        self._run(
            insert(schedules).values(
                commitment_id=commitment_id,
                effective_from=schedule.effective_from,
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
        )
        self._touch_commitment(commitment_id)
        return self.commitment(slug)

    def set_target(self, slug: str, target: int | None, effective_from: date) -> Commitment:
        """Aim for `target` a quarter from the quarter starting `effective_from`; changes from that
        quarter on are replaced, and the quarters before it keep the target they had."""
        commitment_id = self._commitment_id(slug)
        changes = tables.target_changes
        self._run(
            delete(changes).where(
                changes.c.commitment_id == commitment_id, changes.c.effective_from >= effective_from
            )
        )
        self._run(
            insert(changes).values(
                commitment_id=commitment_id, effective_from=effective_from, target=target, created_at=self.now
            )
        )
        self._touch_commitment(commitment_id)
        return self.commitment(slug)

    def set_status(self, occurrence: Occurrence, status: Status | None) -> Occurrence:
        changed = self._change(occurrence, status=status.value if status else None)
        self._bump_for(occurrence)
        return replace(changed, status=status)

    def move(self, occurrence: Occurrence, to: datetime) -> Occurrence:
        """Move one scheduled occurrence; the series and every other occurrence stay as they are."""
        assert occurrence.original_start is not None
        changed = self._change(
            occurrence, start=None if same_instant(to, occurrence.original_start) else to_utc_naive(to)
        )
        self._bump_for(occurrence)
        length = wall_length(occurrence.start, occurrence.end, self.zone)
        return replace(changed, start=to, end=end_after(to, length, self.zone))

    def attend(self, occurrence: Occurrence, at: datetime | None = None) -> Occurrence:
        """Mark a scheduled occurrence attended, moved to `at` if it was held at another time (one change
        to the series, as one edit in the calendar)."""
        assert occurrence.original_start is not None
        values: dict[str, Any] = {"status": Status.ATTENDED.value}
        if at is not None:
            values["start"] = None if same_instant(at, occurrence.original_start) else to_utc_naive(at)
        changed = self._change(occurrence, **values)
        self._bump_for(occurrence)
        return replace(changed, status=Status.ATTENDED)

    # The texts: `expect` is the version the text was read at (see _change).
    def save_note(self, occurrence: Occurrence, text: str, expect: int | None = None) -> Occurrence:
        return replace(self._change(occurrence, expect, note=text), note=text)

    def save_questions(self, occurrence: Occurrence, text: str, expect: int | None = None) -> Occurrence:
        return replace(self._change(occurrence, expect, questions=text), questions=text)

    def save_difference(
        self, occurrence: Occurrence, text: str, expect: int | None = None, shared: bool | None = None
    ) -> Occurrence:
        """Save what difference the meeting made; `shared` (None: as it was) says whether an assistant
        may see it."""
        values: dict[str, Any] = {"difference": text}
        if shared is not None:
            values["difference_shared"] = shared
        changed = self._change(occurrence, expect, **values)
        return replace(
            changed,
            difference=text,
            difference_shared=occurrence.difference_shared if shared is None else shared,
        )

    def set_factors(self, slug: str, factors: tuple[int, ...]) -> Commitment:
        self._touch_commitment(self._commitment_id(slug), factors=",".join(str(n) for n in factors))
        return self.commitment(slug)

    def ask(self, occurrence: Occurrence, question_id: str, answer: str | None) -> Occurrence:
        """Record a question of the guidance as asked at the meeting; `answer` None keeps any answer."""
        asked = tables.asked_questions
        log_id = self._log_id(occurrence)
        found = self._run(
            select(asked.c.id).where(asked.c.log_id == log_id, asked.c.question_id == question_id)
        ).scalar()
        if found is None:
            self._run(
                insert(asked).values(
                    log_id=log_id,
                    question_id=question_id,
                    answer=answer or "",
                    created_at=self.now,
                    updated_at=self.now,
                )
            )
        elif answer is not None:
            self._run(update(asked).where(asked.c.id == found).values(answer=answer, updated_at=self.now))
        return replace(occurrence, log_id=log_id)

    def log_many(self, occurrences: Sequence[Occurrence]) -> list[Occurrence]:
        """Log many scheduled occurrences never logged before, each with its own status, note and
        questions, in one statement (a year's attendance from another record, a benchmark's history).
        Each series touched has its SEQUENCE raised once. Returns them with their log ids, in order."""
        if not occurrences:
            return []
        ids = {}
        for slug in {o.commitment_slug for o in occurrences}:
            ids[slug] = self._commitment_id(slug)
        rows = []
        for occurrence in occurrences:
            if occurrence.original_start is None or occurrence.log_id is not None:
                raise InputError("occurrence", occurrence.title, "is not a scheduled occurrence never logged")
            rows.append(
                {
                    "commitment_id": ids[occurrence.commitment_slug],
                    "original_start": to_utc_naive(occurrence.original_start),
                    "start": None,
                    "all_day": False,
                    "status": occurrence.status.value if occurrence.status else None,
                    "note": occurrence.note,
                    "questions": occurrence.questions,
                    "difference": occurrence.difference,
                    "created_at": self.now,
                    "updated_at": self.now,
                }
            )
        logs = tables.occurrence_logs
        inserted = self._run(insert(logs).returning(logs.c.id, sort_by_parameter_order=True), rows).all()
        schedules = tables.schedules
        versions = self._run(
            select(schedules.c.id, schedules.c.commitment_id, schedules.c.effective_from)
            .where(schedules.c.commitment_id.in_(list(ids.values())))
            .order_by(schedules.c.effective_from)
        ).all()
        touched = set()
        for occurrence in occurrences:
            assert occurrence.original_start is not None
            day = occurrence.original_start.astimezone(self.zone).date()
            commitment_id = ids[occurrence.commitment_slug]
            governing = [
                v.id for v in versions if v.commitment_id == commitment_id and v.effective_from <= day
            ]
            if governing:
                touched.add(governing[-1])
        for version_id in touched:
            self._run(
                update(schedules)
                .where(schedules.c.id == version_id)
                .values(sequence=schedules.c.sequence + 1, updated_at=self.now)
            )
        return [replace(o, log_id=int(row.id)) for o, row in zip(occurrences, inserted, strict=True)]

    def add_adhoc(
        self,
        slug: str,
        start: datetime,
        all_day: bool,
        status: Status | None,
        note: str,
        duration_minutes: int | None = None,
    ) -> OccurrenceLog:
        inserted = self._run(
            insert(tables.occurrence_logs).values(
                commitment_id=self._commitment_id(slug),
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
        )
        log = self.read.log(int(inserted.inserted_primary_key[0]))
        assert log is not None
        return log

    def log_imported(self, meetings: Sequence[ImportedMeeting]) -> list[int]:
        """Log calendar meetings as attended, and remember each one's key, in a few statements however
        many there are: one lookup of the commitments, one of the scheduled meetings already logged, and
        one batch each for the updates, the new logs and the keys. Each series touched has its SEQUENCE
        raised once. Returns the log ids, in order."""
        if not meetings:
            return []
        ids = self._commitment_ids({m.slug for m in meetings})
        logs = tables.occurrence_logs
        scheduled = [m.occurrence for m in meetings if m.occurrence is not None]
        known = self._scheduled_log_ids(scheduled, ids)
        log_ids: dict[int, int] = {}  # index in `meetings` -> log id
        kept: list[dict[str, Any]] = []  # attended where the diary has them
        updates: list[dict[str, Any]] = []  # attended at another time
        inserts: list[dict[str, Any]] = []
        inserted_at: list[int] = []
        for index, meeting in enumerate(meetings):
            occurrence = meeting.occurrence
            if occurrence is None:
                inserts.append(self._adhoc_row(ids[meeting.slug], meeting))
                inserted_at.append(index)
                continue
            assert occurrence.original_start is not None
            held = meeting.start
            moved = (
                None if held is None or same_instant(held, occurrence.original_start) else to_utc_naive(held)
            )
            log_id = occurrence.log_id or known.get((meeting.slug, to_utc_naive(occurrence.original_start)))
            if log_id is None:
                inserts.append(self._attended_row(ids[meeting.slug], occurrence.original_start, moved))
                inserted_at.append(index)
            else:
                log_ids[index] = log_id
                (kept if held is None else updates).append({"log_id": log_id, "moved": moved})
        attended = update(logs).where(logs.c.id == bindparam("log_id"))
        if kept:
            self._run(attended.values(status=Status.ATTENDED.value, updated_at=self.now), kept)
        if updates:
            self._run(
                attended.values(status=Status.ATTENDED.value, start=bindparam("moved"), updated_at=self.now),
                updates,
            )
        if inserts:
            rows = self._run(insert(logs).returning(logs.c.id, sort_by_parameter_order=True), inserts).all()
            log_ids.update(zip(inserted_at, (int(row.id) for row in rows), strict=True))
        ordered = [log_ids[index] for index in range(len(meetings))]
        self._run(
            insert(tables.imported_events),
            [
                {"uid": m.uid, "recurrence_id": m.recurrence_key, "log_id": log_id, "imported_at": self.now}
                for m, log_id in zip(meetings, ordered, strict=True)
            ],
        )
        self._bump_all(
            {
                (o.commitment_slug, o.original_start.astimezone(self.zone).date())
                for o in scheduled
                if o.original_start is not None
            }
        )
        return ordered

    def _commitment_ids(self, slugs: set[str]) -> dict[str, int]:
        commitments = tables.commitments
        found = {
            row.slug: int(row.id)
            for row in self._run(
                select(commitments.c.slug, commitments.c.id).where(commitments.c.slug.in_(sorted(slugs)))
            )
        }
        for slug in sorted(slugs - found.keys()):
            raise InputError("commitment", slug, "no commitment has that slug (see `los commitments`)")
        return found

    def _scheduled_log_ids(
        self, occurrences: Sequence[Occurrence], ids: dict[str, int]
    ) -> dict[tuple[str, datetime], int]:
        """The logs kept for these scheduled occurrences, by (slug, original start): those with a log id
        checked to be there still, the rest looked for (another program may have logged one since)."""
        logs = tables.occurrence_logs
        claimed = sorted({o.log_id for o in occurrences if o.log_id is not None})
        for part in range(0, len(claimed), _CHUNK):
            chunk = claimed[part : part + _CHUNK]
            there = {int(i) for i in self._run(select(logs.c.id).where(logs.c.id.in_(chunk))).scalars()}
            for log_id in chunk:
                if log_id not in there:
                    raise InputError("occurrence", log_id, "no such logged occurrence (deleted elsewhere?)")
        unlogged = [o for o in occurrences if o.log_id is None and o.original_start is not None]
        if not unlogged:
            return {}
        slug_of = {number: slug for slug, number in ids.items()}
        starts = [to_utc_naive(o.original_start) for o in unlogged if o.original_start is not None]
        rows = self._run(
            select(logs.c.id, logs.c.commitment_id, logs.c.original_start).where(
                logs.c.commitment_id.in_(sorted({ids[o.commitment_slug] for o in unlogged})),
                logs.c.original_start.between(min(starts), max(starts)),
            )
        )
        return {(slug_of[row.commitment_id], row.original_start): int(row.id) for row in rows}

    def _attended_row(
        self, commitment_id: int, original_start: datetime, moved: datetime | None
    ) -> dict[str, Any]:
        return {
            "commitment_id": commitment_id,
            "original_start": to_utc_naive(original_start),
            "start": moved,
            "all_day": False,
            "duration_minutes": None,
            "status": Status.ATTENDED.value,
            "note": "",
            "questions": "",
            "created_at": self.now,
            "updated_at": self.now,
        }

    def _adhoc_row(self, commitment_id: int, meeting: ImportedMeeting) -> dict[str, Any]:
        assert meeting.start is not None
        return {
            "commitment_id": commitment_id,
            "original_start": None,
            "start": to_utc_naive(meeting.start),
            "all_day": meeting.all_day,
            "duration_minutes": meeting.duration_minutes,
            "status": Status.ATTENDED.value,
            "note": "",
            "questions": "",
            "created_at": self.now,
            "updated_at": self.now,
        }

    def _bump_all(self, changed: set[tuple[str, date]]) -> None:
        """Raise SEQUENCE once for each series in force on a day one of its occurrences changed."""
        if not changed:
            return
        schedules = tables.schedules
        ids = self._commitment_ids({slug for slug, _ in changed})
        versions = self._run(
            select(schedules.c.id, schedules.c.commitment_id, schedules.c.effective_from)
            .where(schedules.c.commitment_id.in_(sorted(ids.values())))
            .order_by(schedules.c.effective_from)
        ).all()
        touched = set()
        for slug, day in changed:
            governing = [v.id for v in versions if v.commitment_id == ids[slug] and v.effective_from <= day]
            if governing:
                touched.add(governing[-1])
        if touched:
            self._run(
                update(schedules)
                .where(schedules.c.id.in_(sorted(touched)))
                .values(sequence=schedules.c.sequence + 1, updated_at=self.now)
            )

    def add_action(
        self, occurrence: Occurrence, text: str, owner: str, due: date | None, done: bool = False
    ) -> tuple[Occurrence, Action]:
        log_id = self._log_id(occurrence)
        inserted = self._run(
            insert(tables.actions).values(
                log_id=log_id,
                text=text,
                owner=owner,
                due=due,
                done=done,
                created_at=self.now,
                updated_at=self.now,
            )
        )
        return replace(occurrence, log_id=log_id), self._action(int(inserted.inserted_primary_key[0]))

    def edit_action(self, action_id: int, expect: int | None = None, **changes: Any) -> Action:
        """Change an action's `text`, `owner`, `due` or `done`, raising its version; with `expect`, only
        if it is still at that version (else StaleRecord, nothing written)."""
        self._action(action_id)
        actions = tables.actions
        statement = update(actions).where(actions.c.id == action_id)
        if expect is not None:
            statement = statement.where(actions.c.version == expect)
        changed = self._run(
            statement.values(updated_at=self.now, version=actions.c.version + 1, **changes).returning(
                actions.c.id
            )
        ).first()
        if changed is None:
            raise StaleRecord("the action was changed elsewhere since it was read; nothing was saved")
        return self._action(action_id)

    def remove_action(self, action_id: int) -> Action:
        gone = self._action(action_id)
        self._run(delete(tables.actions).where(tables.actions.c.id == action_id))
        return gone

    def restore_action(self, action: Action) -> Action:
        """Put back an action `remove_action` returned, on its meeting's log (as a new row)."""
        if self.read.log(action.log_id) is None:
            raise InputError("occurrence", action.log_id, "no such logged occurrence (deleted elsewhere?)")
        inserted = self._run(
            insert(tables.actions).values(
                log_id=action.log_id,
                text=action.text,
                owner=action.owner,
                due=action.due,
                done=action.done,
                created_at=self.now,
                updated_at=self.now,
            )
        )
        return self._action(int(inserted.inserted_primary_key[0]))
