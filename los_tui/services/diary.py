"""The diary's use cases over the store: set up, commitments, schedules, agenda, logging, notes, actions."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from db.backup import automatic_backup, backup_database
from db.engine import StoreError, create_empty_database, is_existing_diary, make_engine, make_files_private
from db.migrate import upgrade_to_head
from db.repository import Repository, commitment_from_row, log_from_row, to_utc_naive
from db.schema import OccurrenceLogRow
from db.seed import seed_lines
from los_tui.domain.agenda import build_agenda, occurrence_from_log
from los_tui.domain.model import (
    DEFAULT_TZ,
    Action,
    Commitment,
    Frequency,
    Occurrence,
    Role,
    Schedule,
    Status,
)
from los_tui.domain.parsing import MAX_TITLE, InputError, check_text, localize, slugify
from los_tui.domain.recurrence import normalize_rrule, window_for_days

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


class Diary:
    """One open diary. Each method is one transaction: it all lands, or none of it does."""

    def __init__(self, engine: Engine, path: Path, clock: Clock, tz: str = DEFAULT_TZ) -> None:
        self.engine = engine
        self.path = path
        self.tz = tz
        self.zone = ZoneInfo(tz)
        self.clock = clock
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, path: Path, clock: Clock, tz: str = DEFAULT_TZ, create: bool = True) -> Diary:
        """Open the diary at `path` (creating it if allowed), migrating it after a backup if it is older."""
        if not is_existing_diary(path):
            if not create:
                raise StoreError(f"--db {str(path)!r}: no diary there yet; run `los init` first")
            create_empty_database(path)
        make_files_private(path)
        engine = make_engine(path)
        try:
            upgrade_to_head(engine, backup=lambda: automatic_backup(path, "pre-migration", clock()))
        except OperationalError as exc:
            engine.dispose()
            raise StoreError(f"--db {str(path)!r}: cannot be opened ({exc.orig})") from None
        make_files_private(path)
        return cls(engine, path, clock, tz)

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _transaction(self) -> Iterator[Repository]:
        session: Session = self._sessions()
        try:
            with session.begin():
                yield Repository(session, self.clock())
        except OperationalError as exc:
            raise StoreError(f"the diary could not be written ({exc.orig}); nothing was changed") from None
        finally:
            session.close()

    # -- set-up ---------------------------------------------------------------------------------------
    def role_choice(self) -> str | None:
        """Which roles the diary was set up for ("lmcs", "dcs", "both"), or None before `init`."""
        with self._transaction() as repo:
            return repo.setting("role")

    def init(self, choice: str) -> int:
        """Load the seed protocol's lines for the role(s); lines already present are left as they are."""
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
        with self._transaction() as repo:
            return repo.commitments(role, include_retired)

    def commitment(self, slug: str) -> Commitment:
        with self._transaction() as repo:
            return commitment_from_row(repo.commitment_row(slug))

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
            return commitment_from_row(row)

    def retire(self, slug: str, on: date) -> Commitment:
        """Retire rather than delete: the history stays; nothing is expected from `on`."""
        with self._transaction() as repo:
            row = repo.commitment_row(slug)
            if row.retired_on is not None:
                raise InputError("commitment", slug, f"was already retired on {row.retired_on.isoformat()}")
            row.retired_on = on
            row.updated_at = repo.now
            return commitment_from_row(row)

    def set_quarterly_target(self, slug: str, target: int | None) -> Commitment:
        with self._transaction() as repo:
            row = repo.commitment_row(slug)
            row.quarterly_target = target
            row.updated_at = repo.now
            return commitment_from_row(row)

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
            repo.add_schedule(row, schedule, effective_from)
            return commitment_from_row(row)

    # -- agenda ---------------------------------------------------------------------------------------
    def agenda(
        self, first: date, last: date, role: Role | None = None, slugs: list[str] | None = None
    ) -> list[Occurrence]:
        """Occurrences and ad hoc entries on local days first..last inclusive."""
        if last < first:
            raise InputError("--to", last.isoformat(), f"is before --from {first.isoformat()}")
        window_start, window_end = window_for_days(first, last, self.tz)
        with self._transaction() as repo:
            commitments = [
                c for c in repo.commitments(role, include_retired=True) if slugs is None or c.slug in slugs
            ]
            logs = repo.logs_in_window(window_start, window_end, [c.slug for c in commitments])
        return build_agenda(commitments, logs, window_start, window_end, self.tz)

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
        self, slug: str, when: datetime, has_time: bool, status: Status | None, note: str | None = None
    ) -> LogResult:
        """Log the occurrence of `slug` at `when`; where none is scheduled, record an ad hoc entry."""
        if note is not None:
            check_text("--note", note)
        self.commitment(slug)  # an unknown slug is named before anything else
        occurrence = self.find_occurrence(slug, when, has_time)
        if occurrence is None:
            with self._transaction() as repo:
                row = repo.add_adhoc(
                    repo.commitment_row(slug), when, all_day=not has_time, status=status, note=note or ""
                )
                return LogResult(
                    occurrence_from_log(commitment_from_row(row.commitment), log_from_row(row), self.tz), True
                )
        updated = self.set_status(occurrence, status)
        if note is not None:
            updated = self.save_note(updated, note)
        return LogResult(updated, False)

    def add_adhoc(
        self,
        slug: str,
        start: datetime,
        all_day: bool,
        status: Status | None,
        note: str = "",
        duration_minutes: int | None = None,
    ) -> Occurrence:
        """Record a meeting no schedule produced (an occasional team visit, an unscheduled audit)."""
        check_text("note", note)
        with self._transaction() as repo:
            row = repo.add_adhoc(repo.commitment_row(slug), start, all_day, status, note, duration_minutes)
            return occurrence_from_log(commitment_from_row(row.commitment), log_from_row(row), self.tz)

    def set_status(self, occurrence: Occurrence, status: Status | None) -> Occurrence:
        with self._transaction() as repo:
            row = self._log_row(repo, occurrence)
            row.status = status.value if status else None
            row.updated_at = repo.now
            if occurrence.original_start is not None:
                repo.bump_series(row.commitment, occurrence.original_start.astimezone(self.zone).date())
        return replace(occurrence, status=status, log_id=row.id)

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
    def save_note(self, occurrence: Occurrence, text: str) -> Occurrence:
        check_text("note", text)
        with self._transaction() as repo:
            row = self._log_row(repo, occurrence)
            row.note = text
            row.updated_at = repo.now
        return replace(occurrence, note=text, log_id=row.id)

    def save_questions(self, occurrence: Occurrence, text: str) -> Occurrence:
        check_text("questions", text)
        with self._transaction() as repo:
            row = self._log_row(repo, occurrence)
            row.questions = text
            row.updated_at = repo.now
        return replace(occurrence, questions=text, log_id=row.id)

    def actions(self, occurrence: Occurrence) -> list[Action]:
        if occurrence.log_id is None:
            return []
        with self._transaction() as repo:
            return repo.actions_for(occurrence.log_id)

    def add_action(
        self, occurrence: Occurrence, text: str, owner: str = "", due: date | None = None
    ) -> tuple[Occurrence, Action]:
        check_text("action", text, MAX_TITLE * 5, required=True)
        check_text("owner", owner, MAX_TITLE)
        with self._transaction() as repo:
            log = self._log_row(repo, occurrence)
            action = repo.add_action(log, text.strip(), owner.strip(), due)
            result = Action(id=action.id, log_id=log.id, text=action.text, owner=action.owner, due=due)
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
    ) -> Action:
        with self._transaction() as repo:
            row = repo.action_row(action_id)
            if text is not None:
                row.text = check_text("action", text, MAX_TITLE * 5, required=True).strip()
            if owner is not None:
                row.owner = check_text("owner", owner, MAX_TITLE).strip()
            if due is not None or clear_due:
                row.due = due
            if done is not None:
                row.done = done
            row.updated_at = repo.now
            return Action(
                id=row.id, log_id=row.log_id, text=row.text, owner=row.owner, due=row.due, done=row.done
            )

    def delete_action(self, action_id: int) -> Action:
        """Delete an action and return it, so the caller can offer to undo (see restore_action)."""
        with self._transaction() as repo:
            row = repo.action_row(action_id)
            gone = Action(
                id=row.id, log_id=row.log_id, text=row.text, owner=row.owner, due=row.due, done=row.done
            )
            repo.session.delete(row)
            return gone

    def restore_action(self, action: Action) -> Action:
        with self._transaction() as repo:
            row = repo.add_action(repo.log_row(action.log_id), action.text, action.owner, action.due)
            row.done = action.done
            return Action(
                id=row.id, log_id=action.log_id, text=row.text, owner=row.owner, due=row.due, done=row.done
            )

    def reload(self, occurrence: Occurrence) -> Occurrence:
        """The occurrence as the store holds it now; one never logged is returned as it is."""
        if occurrence.log_id is None:
            return occurrence
        with self._transaction() as repo:
            row = repo.log_row(occurrence.log_id)
            return occurrence_from_log(commitment_from_row(row.commitment), log_from_row(row), self.tz)

    def search(self, text: str) -> list[Occurrence]:
        """Logged occurrences whose title, note, questions or actions contain every word of `text`."""
        words = text.split()
        if not words:
            return []
        with self._transaction() as repo:
            logs = repo.search_logs(words)
            commitments = {c.slug: c for c in repo.commitments(include_retired=True)}
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
            return automatic_backup(self.path, "manual", self.clock())
        return backup_database(self.path, destination)

    def _log_row(self, repo: Repository, occurrence: Occurrence) -> OccurrenceLogRow:
        if occurrence.log_id is not None:
            return repo.log_row(occurrence.log_id)
        if occurrence.original_start is None:
            raise InputError("occurrence", occurrence.title, "has no log and no scheduled start")
        return repo.scheduled_log_row(
            repo.commitment_row(occurrence.commitment_slug), occurrence.original_start
        )
