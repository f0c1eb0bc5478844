"""The diary's use cases over the store: set up, commitments, schedules, agenda, logging, notes, actions."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from threading import Lock
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from los_tui.db.backup import (
    DAILY,
    MANUAL,
    automatic_backup,
    backup_database,
    daily_backup_due,
    latest_backup,
    latest_sound_backup,
    make_backups_private,
    restore_database,
)
from los_tui.db.engine import (
    StoreError,
    TextDamage,
    connect_for_reading,
    create_empty_database,
    is_existing_diary,
    make_engine,
    make_files_private,
    quick_check,
)
from los_tui.db.migrate import upgrade_to_head
from los_tui.db.queries import (
    action_from_row,
    from_utc_naive,
    imported_event_keys,
    load_actions,
    load_commitments,
    load_log,
    load_logs_in_window,
    read_setting,
    search_logs,
    to_utc_naive,
)
from los_tui.domain.agenda import build_agenda, occurrence_from_log
from los_tui.domain.model import (
    DEFAULT_TZ,
    Action,
    Commitment,
    Frequency,
    Occurrence,
    OccurrenceLog,
    Role,
    Schedule,
    Status,
)
from los_tui.domain.parsing import MAX_TITLE, InputError, check_text, localize, slugify
from los_tui.domain.recording import check_meeting_day, check_status_in_time, reconcile, reconcile_line
from los_tui.domain.recurrence import normalize_rrule, window_for_days

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

    from los_tui.db.repository import Repository
    from los_tui.db.schema import OccurrenceLogRow

Clock = Callable[[], datetime]
ROLE_CHOICES = ("lmcs", "dcs", "both")
MAX_DURATION_MINUTES = 24 * 60


def roles_of(choice: str) -> list[Role]:
    if choice not in ROLE_CHOICES:
        raise InputError("--role", choice, f"must be one of: {', '.join(ROLE_CHOICES)}")
    return [Role.LMCS, Role.DCS] if choice == "both" else [Role(choice)]


@dataclass(frozen=True)
class LogResult:
    occurrence: Occurrence
    adhoc_created: bool
    replaced: Status | None = None  # the status the log replaced, if it had one


@dataclass(frozen=True)
class StatusChange:
    """A meeting's status set, and what it was before (None: nothing logged)."""

    occurrence: Occurrence
    was: Status | None


class DiaryDamaged(StoreError):
    """The diary failed its start-up check; the message says so and names the latest backup."""


def damage_message(path: Path, verdict: str) -> str:
    backup = latest_backup(path)
    offer = (
        f"the latest backup is {str(backup)!r}: `los restore {backup}` puts it back (the damaged file is "
        "backed up first)"
        if backup
        else "no backup was found beside it"
    )
    return f"--db {str(path)!r} is damaged ({verdict}); nothing will be written to it; {offer}"


@dataclass
class Health:
    """What start-up found: `damage` (the diary is read-only), and notices worth showing the user."""

    damage: str | None = None
    notices: list[str] = field(default_factory=list)


class Diary:
    """One open diary. Each method is one transaction: it all lands, or none of it does."""

    def __init__(self, path: Path, clock: Clock, tz: str = DEFAULT_TZ, health: Health | None = None) -> None:
        self.path = path
        self.tz = tz
        self.zone = ZoneInfo(tz)
        self.clock = clock
        self.health = health or Health()
        # Reads go through sqlite3 and db.queries (see `_reading`); SQLAlchemy, its engine and the ORM
        # are loaded on the first write, so a session that only looks never pays for them (~20 MB).
        self._engine: Engine | None = None
        self._sessions: sessionmaker[Session] | None = None
        self._engine_lock = Lock()
        self._idle: list[sqlite3.Connection] = []  # reading connections, reused
        self._idle_lock = Lock()
        self._closed = False
        # PRAGMA data_version only moves for commits made on *other* connections, so it needs one of its
        # own, kept open: a fresh connection would always start from the same number. Opened on first
        # use, so the commands that never watch (the CLI) never pay for it.
        self._watch: sqlite3.Connection | None = None
        self._watch_lock = Lock()
        self._text = TextDamage()  # damaged bytes in text read so far (shown as U+FFFD)
        self._text_reported = 0

    @property
    def read_only(self) -> bool:
        return self.health.damage is not None

    @classmethod
    def open(
        cls, path: Path, clock: Clock, tz: str = DEFAULT_TZ, create: bool = True, allow_damaged: bool = False
    ) -> Diary:
        """Open the diary at `path` (creating it if allowed), migrating it after a backup if it is older.

        A diary that fails `quick_check` raises DiaryDamaged, or with `allow_damaged` (the TUI, so it can
        show what is there) opens read-only with `health.damage` saying what is wrong and where the latest
        backup is. Once a day, on first use, a checked backup is made in the backups folder.
        """
        created = not is_existing_diary(path)
        if created:
            if not create:
                raise StoreError(f"--db {str(path)!r}: no diary there yet; run `los init` first")
            create_empty_database(path)
        make_files_private(path)
        make_backups_private(path)
        verdict = quick_check(path)
        if verdict != "ok":
            health = Health(damage=damage_message(path, verdict))
            if not allow_damaged:
                raise DiaryDamaged(health.damage or "")
            return cls(path, clock, tz, health)
        health = Health()
        upgrade_to_head(path, backup=lambda: automatic_backup(path, "pre-migration", clock()))
        if not created and daily_backup_due(path, clock().date()):
            try:
                automatic_backup(path, DAILY, clock())
            except StoreError as exc:
                # The diary still opens: a missed backup must not lock the user out of their notes.
                health.notices.append(f"today's automatic backup failed: {exc}")
        make_files_private(path)
        return cls(path, clock, tz, health)

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine writes go through, made on first use."""
        with self._engine_lock:
            if self._engine is None:
                self._engine = make_engine(self.path, read_only=self.read_only, text=self._text)
            return self._engine

    def close(self) -> None:
        with self._watch_lock:
            if self._watch is not None:
                self._watch.close()
                self._watch = None
        with self._idle_lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()
        with self._engine_lock:
            if self._engine is not None:
                self._engine.dispose()

    def transaction(self) -> AbstractContextManager[Repository]:
        """One transaction over the store, for use cases kept in their own service modules."""
        return self._transaction()

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """One read-only snapshot (a plain BEGIN in WAL: no write lock) on a reused sqlite3 connection."""
        with self._idle_lock:
            connection = self._idle.pop() if self._idle else None
        try:
            if connection is None:
                connection = connect_for_reading(self.path, read_only=self.read_only, text=self._text)
            connection.execute("BEGIN")
        except sqlite3.Error as exc:
            if connection is not None:
                connection.close()
            raise StoreError(f"the diary could not be read ({exc})") from None
        try:
            yield connection
        except sqlite3.Error as exc:
            connection.close()
            raise StoreError(f"the diary could not be read ({exc})") from None
        except BaseException:
            self._put_back(connection)
            raise
        self._put_back(connection)

    def _put_back(self, connection: sqlite3.Connection) -> None:
        try:
            connection.execute("ROLLBACK")  # nothing was written: just end the snapshot
        except sqlite3.Error:
            connection.close()
            return
        with self._idle_lock:
            if not self._closed:
                self._idle.append(connection)
                return
        connection.close()

    def damaged_text_notice(self) -> str | None:
        """Once damaged text has been read (since the last notice), what to tell the user: never the
        text itself, and which backup to restore (the newest whose text is all sound)."""
        if self._text.seen == self._text_reported:
            return None
        self._text_reported = self._text.seen
        backup = latest_sound_backup(self.path)
        offer = (
            f"the latest sound backup is {str(backup)!r} (`los restore {backup}` puts it back)"
            if backup
            else "no sound backup was found beside it"
        )
        return (
            f"some text in the diary has damaged bytes (shown as \ufffd); it is read as it is and "
            f"kept until you change it; {offer}"
        )

    def data_version(self) -> int:
        """A number that changes whenever another connection (another `los`, another TUI) commits.

        The TUI polls it and refreshes when it moves; our own writes, made on other pooled connections,
        move it too, which only costs a refresh.
        """
        with self._watch_lock:
            try:
                if self._watch is None:
                    self._watch = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
                value: int = self._watch.execute("PRAGMA data_version").fetchone()[0]
            except sqlite3.Error as exc:
                raise StoreError(f"the diary could not be read ({exc})") from None
        return value

    @contextmanager
    def _transaction(self) -> Iterator[Repository]:
        from sqlalchemy.exc import DatabaseError
        from sqlalchemy.orm import sessionmaker

        from los_tui.db.repository import Repository

        if self._sessions is None:
            self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        session = self._sessions()
        try:
            with session.begin():
                yield Repository(session, self.clock())
        except DatabaseError as exc:
            # Locked, full, read-only or damaged: one line for the user, and the statement's parameters
            # (the note being saved) stay out of it.
            if self.health.damage:
                raise StoreError(self.health.damage) from None
            raise StoreError(f"the diary could not be written ({exc.orig}); nothing was changed") from None
        finally:
            session.close()

    # -- set-up ---------------------------------------------------------------------------------------
    def role_choice(self) -> str | None:
        """Which roles the diary was set up for ("lmcs", "dcs", "both"), or None before `init`."""
        with self._reading() as connection:
            return read_setting(connection, "role")

    def init(self, choice: str) -> int:
        """Load the seed protocol's lines for the role(s); lines already present are left as they are."""
        from los_tui.db.seed import seed_lines

        wanted = roles_of(choice)
        added = 0
        with self._transaction() as repo:
            rows = {}
            for line in seed_lines():
                if line.role not in wanted:
                    continue
                if repo.slug_exists(line.slug):
                    continue
                rows[line.slug] = repo.add_commitment(
                    line.slug, line.title, line.role, line.frequency, line.wording, line.with_whom
                )
                added += 1
            for line in seed_lines():
                if line.slug in rows and line.joint and repo.slug_exists(line.joint):
                    partner = repo.commitment_row(line.joint)
                    rows[line.slug].joint = partner
                    if partner.joint_id is None:
                        partner.joint = rows[line.slug]
            previous = repo.setting("role")
            roles = set(wanted) | (set(roles_of(previous)) if previous else set())
            repo.set_setting("role", "both" if len(roles) == 2 else next(iter(roles)).value)
        return added

    # -- commitments ----------------------------------------------------------------------------------
    def commitments(self, role: Role | None = None, include_retired: bool = False) -> list[Commitment]:
        with self._reading() as connection:
            return load_commitments(connection, role, include_retired, tz=self.tz)

    def commitment(self, slug: str) -> Commitment:
        with self._reading() as connection:
            found = load_commitments(connection, include_retired=True, slugs=[slug], tz=self.tz)
        if not found:
            raise InputError("commitment", slug, "no commitment has that slug (see `los commitments`)")
        return found[0]

    def add_commitment(
        self, title: str, role: Role, frequency: Frequency, wording: str = "", with_whom: str = ""
    ) -> Commitment:
        check_text("--title", title, MAX_TITLE, required=True)
        check_text("--wording", wording)
        check_text("--with", with_whom, MAX_TITLE)
        with self._transaction() as repo:
            base = f"{role.value}-{slugify(title)}"
            slug, counter = base, 2
            while repo.slug_exists(slug):
                slug, counter = f"{base}-{counter}", counter + 1
            row = repo.add_commitment(slug, title.strip(), role, frequency, wording, with_whom)
            return repo.reload(row)

    def retire(self, slug: str, on: date) -> Commitment:
        """Retire rather than delete: the history stays; nothing is expected from `on`."""
        with self._transaction() as repo:
            row = repo.commitment_row(slug)
            if row.retired_on is not None:
                raise InputError("commitment", slug, f"was already retired on {row.retired_on.isoformat()}")
            row.retired_on = on
            row.updated_at = repo.now
            repo.bump_series(row, on)  # the series in force now ends: exported calendars must update
            return repo.reload(row)

    def set_quarterly_target(self, slug: str, target: int | None, effective_from: date) -> Commitment:
        """Aim for `target` entries a quarter (None: no target) from the quarter starting on
        `effective_from`; what was expected of the quarters before it never changes."""
        with self._transaction() as repo:
            row = repo.commitment_row(slug)
            repo.change_target(row, target, effective_from)
            return repo.reload(row)

    def set_schedule(
        self,
        slug: str,
        rrule: str,
        start: datetime,
        duration_minutes: int = 60,
        location: str = "",
        effective_from: date | None = None,
    ) -> Commitment:
        """Schedule a commitment, or change its schedule from `effective_from` on.

        `start` is the first start (aware, or naive local). Without `effective_from`, a first schedule
        runs from its start and a change runs from today, so what was expected before never changes.
        """
        local_start = (
            start.astimezone(self.zone) if start.tzinfo else localize("--start", start, self.tz)
        ).replace(tzinfo=None)
        if not 1 <= duration_minutes <= MAX_DURATION_MINUTES:
            raise InputError(
                "--duration", duration_minutes, f"must be between 1 and {MAX_DURATION_MINUTES} minutes"
            )
        check_text("--location", location, MAX_TITLE)
        normalized = normalize_rrule(rrule, local_start, self.tz)
        with self._transaction() as repo:
            row = repo.commitment_row(slug)
            if row.retired_on is not None:
                raise InputError("commitment", slug, "is retired; it cannot be scheduled")
            if effective_from is None:
                effective_from = self.clock().date() if row.schedules else local_start.date()
            schedule = Schedule(
                rrule=normalized,
                start=local_start,
                duration_minutes=duration_minutes,
                location=location,
                tz=self.tz,
                effective_from=effective_from,
            )
            # The version in force before the change now ends (an UNTIL appears): raise its SEQUENCE.
            repo.bump_series(row, effective_from - timedelta(days=1))
            repo.add_schedule(row, schedule, effective_from)
            return repo.reload(row)

    # -- agenda ---------------------------------------------------------------------------------------
    def agenda(
        self, first: date, last: date, role: Role | None = None, slugs: list[str] | None = None
    ) -> list[Occurrence]:
        """Occurrences and ad hoc entries on local days first..last inclusive."""
        if last < first:
            raise InputError("--to", last.isoformat(), f"is before --from {first.isoformat()}")
        commitments, logs = self.history(first, last, role, slugs)
        return build_agenda(commitments, logs, *window_for_days(first, last, self.tz), self.tz)

    def history(
        self, first: date, last: date, role: Role | None = None, slugs: list[str] | None = None
    ) -> tuple[list[Commitment], list[OccurrenceLog]]:
        """Every commitment (retired ones too) and every log on local days first..last, read together."""
        window_start, window_end = window_for_days(first, last, self.tz)
        with self._reading() as connection:
            commitments = load_commitments(connection, role, include_retired=True, slugs=slugs, tz=self.tz)
            logs = load_logs_in_window(connection, window_start, window_end, [c.slug for c in commitments])
        return commitments, logs

    def logs(self, start: datetime, end: datetime, slugs: list[str]) -> list[OccurrenceLog]:
        """The named commitments' logs whose original or actual start falls in [start, end)."""
        with self._reading() as connection:
            return load_logs_in_window(connection, start, end, slugs)

    def imported_event_keys(self) -> set[tuple[str, str]]:
        """(UID, recurrence key) of every calendar event already imported."""
        with self._reading() as connection:
            return imported_event_keys(connection)

    def _find(self, slug: str, when: datetime, has_time: bool) -> list[Occurrence]:
        day = when.astimezone(self.zone).date()
        # Look a day either side so a meeting moved onto (or away from) this day is found by either date.
        candidates = self.agenda(day - timedelta(days=1), day + timedelta(days=1), slugs=[slug])
        found = []
        for occurrence in candidates:
            starts = [occurrence.start] + ([occurrence.original_start] if occurrence.original_start else [])
            if has_time:
                if when in starts:
                    found.append(occurrence)
            elif any(s.astimezone(self.zone).date() == day for s in starts):
                found.append(occurrence)
        return found

    def find_occurrence(
        self, slug: str, when: datetime, has_time: bool, field: str = "--on"
    ) -> Occurrence | None:
        found = self._find(slug, when, has_time)
        if len(found) > 1:
            times = ", ".join(f"{o.start.astimezone(self.zone):%H:%M}" for o in found)
            raise InputError(
                field,
                when.date().isoformat(),
                f"{slug} has {len(found)} occurrences that day ({times}); give the time too",
            )
        return found[0] if found else None

    def log(
        self,
        slug: str,
        when: datetime,
        has_time: bool,
        status: Status | None,
        note: str | None = None,
        extra: bool = False,
    ) -> LogResult:
        """Log the occurrence of `slug` at `when`. Where none is scheduled, an ad hoc entry is recorded
        for a commitment with no schedule then; one with a schedule is refused naming its nearest
        meetings, unless `extra` says this is an extra meeting."""
        if note is not None:
            check_text("--note", note, private=True)
        commitment = self.commitment(slug)  # an unknown slug is named before anything else
        occurrence = None if extra else self.find_occurrence(slug, when, has_time)
        if occurrence is None:
            if not extra:
                local = when.astimezone(self.zone)
                value = local.strftime("%Y-%m-%dT%H:%M") if has_time else local.date().isoformat()
                check_meeting_day(commitment, when, self.tz, "--on", value)
            with self._transaction() as repo:
                check_status_in_time(status, when, self.clock(), self.zone)  # a bare date: from midnight
                row = repo.add_adhoc(
                    repo.commitment_row(slug), when, all_day=not has_time, status=status, note=note or ""
                )
                return LogResult(
                    occurrence_from_log(repo.reload(row.commitment), repo.as_log(row), self.tz), True
                )
        with self._transaction() as repo:  # the status and the note land together, or neither does
            change = self._change_status(repo, occurrence, status)
            updated = change.occurrence
            if note is not None:
                row = self._log_row(repo, updated)
                row.note = note
                updated = replace(updated, note=note)
        return LogResult(updated, False, change.was)

    def add_adhoc(
        self,
        slug: str,
        start: datetime,
        all_day: bool,
        status: Status | None,
        note: str = "",
        duration_minutes: int | None = None,
        extra: bool = False,
    ) -> Occurrence:
        """Record a meeting no schedule produced (an occasional team visit, an unscheduled audit). For a
        commitment with a schedule in force that day it must be said to be an `extra` meeting."""
        check_text("note", note, private=True)
        if not extra:
            check_meeting_day(
                self.commitment(slug),
                start,
                self.tz,
                "when",
                start.astimezone(self.zone).strftime("%Y-%m-%d" if all_day else "%Y-%m-%d %H:%M"),
                how_to_log="open that meeting to log it",
                how_to_add="tick 'An extra meeting'",
            )
        check_status_in_time(status, start, self.clock(), self.zone)
        with self._transaction() as repo:
            row = repo.add_adhoc(repo.commitment_row(slug), start, all_day, status, note, duration_minutes)
            return occurrence_from_log(repo.reload(row.commitment), repo.as_log(row), self.tz)

    def set_status(self, occurrence: Occurrence, status: Status | None) -> Occurrence:
        return self.change_status(occurrence, status).occurrence

    def change_status(self, occurrence: Occurrence, status: Status | None) -> StatusChange:
        """Set the status, refusing attended or missed before the meeting starts; says what it replaced."""
        with self._transaction() as repo:
            return self._change_status(repo, occurrence, status)

    def _change_status(self, repo: Repository, occurrence: Occurrence, status: Status | None) -> StatusChange:
        row = self._log_row(repo, occurrence)
        stored_start = row.start or row.original_start
        start = occurrence.start if stored_start is None else from_utc_naive(stored_start) or occurrence.start
        check_status_in_time(status, start, self.clock(), self.zone)
        was = Status(row.status) if row.status else None
        row.status = status.value if status else None
        row.updated_at = repo.now
        if occurrence.original_start is not None:
            repo.bump_series(row.commitment, occurrence.original_start.astimezone(self.zone).date())
        return StatusChange(replace(occurrence, status=status, log_id=row.id), was)

    def move(self, occurrence: Occurrence, to: datetime) -> Occurrence:
        """Move one occurrence; the series and every other occurrence stay as they are."""
        if occurrence.original_start is None:
            raise InputError(
                "--on",
                occurrence.start.date().isoformat(),
                "is an ad hoc entry, not a scheduled occurrence; log a new entry instead",
            )
        with self._transaction() as repo:
            row = self._log_row(repo, occurrence)
            row.start = None if to == occurrence.original_start else to_utc_naive(to)
            row.updated_at = repo.now
            repo.bump_series(row.commitment, occurrence.original_start.astimezone(self.zone).date())
        return replace(occurrence, start=to, end=to + (occurrence.end - occurrence.start), log_id=row.id)

    # -- notes, questions, actions -------------------------------------------------------------------
    def save_note(self, occurrence: Occurrence, text: str, shown: str | None = None) -> Occurrence:
        """Save the note; `shown` is the note this text is an edit of. If the diary holds another text
        by now (changed elsewhere), both are kept; the occurrence returned has the note as stored."""
        check_text("note", text, private=True)
        with self._transaction() as repo:
            row = self._log_row(repo, occurrence)
            if shown is not None:
                text = reconcile(shown, row.note, text).text  # compared and written in one transaction
            row.note = text
            row.updated_at = repo.now
        return replace(occurrence, note=text, log_id=row.id)

    def save_questions(self, occurrence: Occurrence, text: str, shown: str | None = None) -> Occurrence:
        """As `save_note`, for the questions to raise."""
        check_text("questions", text, private=True)
        with self._transaction() as repo:
            row = self._log_row(repo, occurrence)
            if shown is not None:
                text = reconcile(shown, row.questions, text).text
            row.questions = text
            row.updated_at = repo.now
        return replace(occurrence, questions=text, log_id=row.id)

    def actions(self, occurrence: Occurrence) -> list[Action]:
        if occurrence.log_id is None:
            return []
        with self._reading() as connection:
            return load_actions(connection, occurrence.log_id)

    def add_action(
        self, occurrence: Occurrence, text: str, owner: str = "", due: date | None = None
    ) -> tuple[Occurrence, Action]:
        check_text("action", text, MAX_TITLE * 5, required=True, private=True)
        check_text("owner", owner, MAX_TITLE)
        with self._transaction() as repo:
            log = self._log_row(repo, occurrence)
            action = repo.add_action(log, text.strip(), owner.strip(), due)
            result = action_from_row(action)
        return replace(occurrence, log_id=result.log_id), result

    def update_action(
        self,
        action_id: int,
        *,
        text: str | None = None,
        owner: str | None = None,
        due: date | None = None,
        clear_due: bool = False,
        done: bool | None = None,
        shown: Action | None = None,
    ) -> Action:
        """Change an action. `shown` is the action as the edit began: a text or owner changed elsewhere
        since is kept beside this one ("theirs / mine"), and an action deleted elsewhere is added back."""
        from los_tui.db.schema import ActionRow

        with self._transaction() as repo:
            if shown is not None and repo.session.get(ActionRow, action_id) is None:
                row = repo.add_action(repo.log_row(shown.log_id), shown.text, shown.owner, shown.due)
            else:
                row = repo.action_row(action_id)
            if text is not None:
                text = check_text("action", text, MAX_TITLE * 5, required=True, private=True).strip()
                row.text = reconcile_line(shown.text, row.text, text).text if shown is not None else text
            if owner is not None:
                owner = check_text("owner", owner, MAX_TITLE).strip()
                row.owner = reconcile_line(shown.owner, row.owner, owner).text if shown is not None else owner
            if due is not None or clear_due:
                row.due = due
            if done is not None:
                row.done = done
            row.updated_at = repo.now
            return action_from_row(row)

    def delete_action(self, action_id: int) -> Action:
        """Delete an action and return it, so the caller can offer to undo (see restore_action)."""
        with self._transaction() as repo:
            row = repo.action_row(action_id)
            gone = action_from_row(row)
            repo.session.delete(row)
            return gone

    def restore_action(self, action: Action) -> Action:
        with self._transaction() as repo:
            row = repo.add_action(repo.log_row(action.log_id), action.text, action.owner, action.due)
            row.done = action.done
            return action_from_row(row)

    def reload(self, occurrence: Occurrence) -> Occurrence:
        """The occurrence as the store holds it now; one never logged is returned as it is."""
        return self.meeting(occurrence)[0]

    def meeting(self, occurrence: Occurrence) -> tuple[Occurrence, Commitment, list[Action]]:
        """What the meeting screen shows, read in one snapshot: the occurrence as the store holds it now
        (one never logged as it is), its commitment, and the actions arising from it."""
        with self._reading() as connection:
            log = None
            if occurrence.log_id is not None:
                log = load_log(connection, occurrence.log_id)
                if log is None:
                    raise InputError(
                        "occurrence", occurrence.log_id, "no such logged occurrence (deleted elsewhere?)"
                    )
            found = load_commitments(
                connection, include_retired=True, slugs=[occurrence.commitment_slug], tz=self.tz
            )
            if not found:
                raise InputError("commitment", occurrence.commitment_slug, "no commitment has that slug")
            actions = [] if occurrence.log_id is None else load_actions(connection, occurrence.log_id)
        fresh = occurrence if log is None else occurrence_from_log(found[0], log, self.tz)
        return fresh, found[0], actions

    def search(self, text: str) -> list[Occurrence]:
        """Logged occurrences whose title, note, questions or actions contain every word of `text`."""
        words = text.split()
        if not words:
            return []
        with self._reading() as connection:
            logs = search_logs(connection, words)
            commitments = {c.slug: c for c in load_commitments(connection, include_retired=True, tz=self.tz)}
        found = [occurrence_from_log(commitments[log.commitment_slug], log, self.tz) for log in logs]
        return sorted(found, key=lambda o: o.start, reverse=True)

    def find(self, text: str, today: date) -> list[Occurrence]:
        """What the search screen shows: `search`, plus the next meeting of every commitment whose title
        holds every word, so a meeting nothing has been logged against yet can be found too."""
        words = [word.lower() for word in text.split()]
        found = self.search(text)
        titled = [c.slug for c in self.commitments() if all(w in c.title.lower() for w in words)]
        if not words or not titled:
            return found
        seen = {(o.commitment_slug, o.original_start, o.start) for o in found}
        upcoming: dict[str, Occurrence] = {}
        for occurrence in self.agenda(today, today + timedelta(days=366), slugs=titled):
            key = (occurrence.commitment_slug, occurrence.original_start, occurrence.start)
            if occurrence.commitment_slug not in upcoming and key not in seen:
                upcoming[occurrence.commitment_slug] = occurrence
        return sorted(upcoming.values(), key=lambda o: o.start) + found

    # -- backups --------------------------------------------------------------------------------------
    def backup(self, destination: Path | None = None) -> Path:
        """A checked copy through SQLite's backup API; by default into the diary's backups folder."""
        if destination is None:
            return automatic_backup(self.path, MANUAL, self.clock())
        return backup_database(self.path, destination)

    def _log_row(self, repo: Repository, occurrence: Occurrence) -> OccurrenceLogRow:
        if occurrence.log_id is not None:
            return repo.log_row(occurrence.log_id)
        if occurrence.original_start is None:
            raise InputError("occurrence", occurrence.title, "has no log and no scheduled start")
        return repo.scheduled_log_row(
            repo.commitment_row(occurrence.commitment_slug), occurrence.original_start
        )


def restore_diary(path: Path, backup: Path, clock: Clock) -> Path:
    """Put `backup` back as the diary at `path`, after a backup of the current state (returned).

    Works on a damaged diary too (that is when it is needed): its backup is then made unchecked, so
    nothing is thrown away. A file that is not a sound los-tui diary is refused before anything changes.
    """
    if not is_existing_diary(path):
        raise StoreError(f"--db {str(path)!r}: no diary there to restore into; run `los init` first")
    if backup.absolute() == path.absolute():
        raise StoreError(f"restore {str(backup)!r}: that is the diary itself")
    if not is_existing_diary(backup, field="restore"):
        raise StoreError(f"restore {str(backup)!r}: empty or missing; nothing changed")
    sound = quick_check(path) == "ok"
    kept = automatic_backup(path, "pre-restore", clock(), check=sound, spare=backup)
    restore_database(backup, path)
    make_files_private(path)
    return kept
