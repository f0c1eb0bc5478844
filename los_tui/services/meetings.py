"""The meetings' use cases: the agenda, finding one meeting, logging it (status, note, questions, a
move, an ad hoc entry), what the meeting screen shows, and searching what was written."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from los_tui.db.store import DiaryStore
from los_tui.domain.agenda import build_agenda, occurrence_from_log
from los_tui.domain.day_text import told_apart
from los_tui.domain.model import Action, Commitment, LoggedStatus, Occurrence, OccurrenceLog, Role, Status
from los_tui.domain.moments import instant, is_repeated, same_instant
from los_tui.domain.parsing import InputError, RepeatedTime, check_text
from los_tui.domain.recording import (
    NEAR_DAYS,
    check_meeting_day,
    check_status_in_time,
    meeting_label,
    reconcile,
    texts_replaced,
)
from los_tui.domain.recurrence import version_making, window_for_days
from los_tui.domain.search import MAX_SEARCH_TEXT, SEARCH_PAGE, Found, search_words

if TYPE_CHECKING:
    from los_tui.db.writer import Writer


@dataclass(frozen=True)
class LogResult:
    occurrence: Occurrence
    adhoc_created: bool
    replaced: Status | None = None  # the status the log replaced, if it had one
    texts_replaced: tuple[str, ...] = ()  # "note replaced", "questions cleared": see texts_replaced


@dataclass(frozen=True)
class StatusChange:
    """A meeting's status set, and what it was before (None: nothing logged)."""

    occurrence: Occurrence
    was: Status | None


def stored_log(write: Writer, occurrence: Occurrence) -> OccurrenceLog | None:
    """What this transaction finds logged for `occurrence` now, without creating a log."""
    log_id = occurrence.log_id
    if log_id is None and occurrence.original_start is not None:
        log_id = write.read.scheduled_log_id(occurrence.commitment_slug, occurrence.original_start)
    return None if log_id is None else write.read.log(log_id)


def _texts_of(log: OccurrenceLog) -> dict[str, str]:
    return {"note": log.note, "questions": log.questions, "difference": log.difference}


def _as_read(occurrence: Occurrence, stored: OccurrenceLog | None, text: str) -> str | None:
    """`text` as `occurrence` was read, when the stored log has moved on from that version (changed
    elsewhere since, or logged elsewhere when nothing was logged as it was read); None when it has not,
    or the version read is unknown."""
    if stored is None:
        return None
    if occurrence.version is None:
        return text if occurrence.log_id is None else None
    return None if stored.version == occurrence.version else text


class Meetings:
    """Each meeting the schedules produce, and each ad hoc entry, with what was logged against it."""

    def __init__(self, store: DiaryStore) -> None:
        self.store = store
        self.tz = store.tz
        self.zone = ZoneInfo(store.tz)

    # -- reading --------------------------------------------------------------------------------------------
    def agenda(
        self, first: date, last: date, role: Role | None = None, slugs: list[str] | None = None
    ) -> list[Occurrence]:
        """Occurrences and ad hoc entries on local days first..last inclusive."""
        return self.listing(first, last, role, slugs)[0]

    def listing(
        self, first: date, last: date, role: Role | None = None, slugs: list[str] | None = None
    ) -> tuple[list[Occurrence], list[Commitment]]:
        """The agenda, with the commitments it was made from (retired ones too) read with it, so that a
        command reporting on their schedules as well reads 200 commitments once, not twice."""
        if last < first:
            raise InputError("to", last.isoformat(), f"is before the first day, {first.isoformat()}")
        commitments, logs = self.history(first, last, role, slugs)
        occurrences = build_agenda(commitments, logs, *window_for_days(first, last, self.tz), self.tz)
        return occurrences, commitments

    def history(
        self, first: date, last: date, role: Role | None = None, slugs: list[str] | None = None
    ) -> tuple[list[Commitment], list[OccurrenceLog]]:
        """Every commitment (retired ones too) and every log on local days first..last, read together."""
        window_start, window_end = window_for_days(first, last, self.tz)
        with self.store.reading() as read:
            commitments = read.commitments(role, include_retired=True, slugs=slugs)
            # Every commitment wanted: no slug filter, so only the window's logs are read.
            wanted = None if role is None and slugs is None else [c.slug for c in commitments]
            logs = read.logs_in_window(window_start, window_end, wanted)
        return commitments, logs

    def counted_history(
        self, first: date, last: date
    ) -> tuple[list[Commitment], dict[str, dict[datetime, LoggedStatus]], list[OccurrenceLog]]:
        """`history` of every commitment for a count showing no log's texts: the scheduled meetings' logs
        never moved as LoggedStatus, by commitment and naive UTC start, the other logs whole."""
        window_start, window_end = window_for_days(first, last, self.tz)
        with self.store.reading() as read:
            commitments = read.commitments(None, include_retired=True)
            marks, logs = read.counted_logs_in_window(window_start, window_end)
        return commitments, marks, logs

    def logs(self, start: datetime, end: datetime, slugs: list[str]) -> list[OccurrenceLog]:
        """The named commitments' logs whose original or actual start falls in [start, end)."""
        with self.store.reading() as read:
            return read.logs_in_window(start, end, slugs)

    def find(self, slug: str, when: datetime, has_time: bool, field: str = "on") -> Occurrence | None:
        """`slug`'s meeting at `when` (or on its day, without `has_time`): moved or not, by either date."""
        day = when.astimezone(self.zone).date()
        # Look a day either side so a meeting moved onto (or away from) this day is found by either date.
        found = []
        at = instant(when)  # by instant: the starts are UTC (moved) or local (scheduled), see moments
        for occurrence in self.agenda(day - timedelta(days=1), day + timedelta(days=1), slugs=[slug]):
            starts = [occurrence.start] + ([occurrence.original_start] if occurrence.original_start else [])
            if has_time:
                if any(instant(start) == at for start in starts):
                    found.append(occurrence)
            elif any(s.astimezone(self.zone).date() == day for s in starts):
                found.append(occurrence)
        if len(found) > 1:
            times = ", ".join(told_apart(o.start.astimezone(self.zone)) for o in found)
            raise InputError(
                field,
                when.date().isoformat(),
                f"{slug} has {len(found)} occurrences that day ({times}); give the time too",
            )
        return found[0] if found else None

    def meeting_at_repeated_time(self, slug: str, repeated: RepeatedTime, logging: bool = False) -> datetime:
        """Which of the two moments a wall time the clocks show twice names, where `slug`'s meetings make
        it no guess: the one a meeting of `slug` is at (or was scheduled for) when the other has none and
        could name nothing else. `logging`: the time is for a log, which records a new entry at a time no
        meeting is at where the commitment has no schedule that day: there the other could be that entry.
        Where a meeting is at both, at neither, or the other could be a new entry, `repeated` is raised:
        the user says which with an offset."""
        with self.store.reading() as read:
            found = read.commitments(include_retired=True, slugs=[slug])
        if not found:
            raise InputError("commitment", slug, "no commitment has that slug (see `los commitments`)")
        if logging and found[0].schedule_on(repeated.first.date()) is None:
            raise repeated
        named = [
            moment
            for moment in (repeated.first, repeated.second)
            if self.find(slug, moment, has_time=True, field=repeated.field) is not None
        ]
        if len(named) != 1:
            raise repeated
        return named[0]

    def reload(self, occurrence: Occurrence) -> Occurrence:
        """The occurrence as the store holds it now; one never logged is returned as it is."""
        return self.view(occurrence)[0]

    def view(self, occurrence: Occurrence) -> tuple[Occurrence, Commitment, list[Action]]:
        """What the meeting screen shows, read in one snapshot: the occurrence as the store holds it now
        (one never logged as it is), its commitment, and the actions arising from it."""
        with self.store.reading() as read:
            log = None
            if occurrence.log_id is not None:
                log = read.log(occurrence.log_id)
                if log is None:
                    raise InputError(
                        "occurrence", occurrence.log_id, "no such logged occurrence (deleted elsewhere?)"
                    )
            found = read.commitments(include_retired=True, slugs=[occurrence.commitment_slug])
            if not found:
                raise InputError("commitment", occurrence.commitment_slug, "no commitment has that slug")
            actions = [] if occurrence.log_id is None else read.actions(occurrence.log_id)
        fresh = occurrence if log is None else occurrence_from_log(found[0], log, self.tz)
        return fresh, found[0], actions

    def search(
        self,
        text: str,
        first: date | None = None,
        last: date | None = None,
        limit: int = SEARCH_PAGE,
        offset: int = 0,
    ) -> list[Found]:
        """Logged meetings on local days first..last (either open) whose title, note, questions,
        difference, actions or answers hold every word of `text` (each as the start of a word), newest
        first: `limit` of them from the `offset`th, a page at a time."""
        # The words may name a child: a refusal gives their length, never the words.
        check_text("text", text, MAX_SEARCH_TEXT, private=True, one_line=True)
        words = search_words(text)
        if not words:
            raise InputError("text", text, "holds no words to search for (letters or digits)")
        if first is not None and last is not None and last < first:
            raise InputError("to", last.isoformat(), f"is before the first day, {first.isoformat()}")
        start = None if first is None else window_for_days(first, first, self.tz)[0]
        end = None if last is None else window_for_days(last, last, self.tz)[1]
        with self.store.reading() as read:
            hits = read.search(words, start, end, limit, offset)
            slugs = sorted({hit.log.commitment_slug for hit in hits})
            commitments = read.commitments(include_retired=True, slugs=slugs) if slugs else []
        by_slug = {c.slug: c for c in commitments}
        return [
            Found(
                occurrence_from_log(by_slug[hit.log.commitment_slug], hit.log, self.tz),
                hit.places,
                hit.snippets,
            )
            for hit in hits
        ]

    def next_with_title(self, text: str, today: date) -> list[Occurrence]:
        """The next meeting (from `today`, within a year) of each commitment in use whose title holds
        every word of `text`, soonest first, so that one nothing has been logged against yet is found."""
        words = [word.lower() for word in search_words(text)]
        if not words:
            return []
        with self.store.reading() as read:  # titles alone: the schedules only of those that match
            titles = read.titles_in_use()
        titled = [slug for slug, title in titles.items() if all(w in title.lower() for w in words)]
        if not titled:
            return []
        upcoming: dict[str, Occurrence] = {}
        for occurrence in self.agenda(today, today + timedelta(days=366), slugs=titled):
            if occurrence.commitment_slug not in upcoming and occurrence.log_id is None:
                upcoming[occurrence.commitment_slug] = occurrence
        return sorted(upcoming.values(), key=lambda o: o.start)

    # -- writing --------------------------------------------------------------------------------------------
    def log(
        self,
        slug: str,
        when: datetime,
        has_time: bool,
        status: Status | None,
        note: str | None = None,
        questions: str | None = None,
        difference: str | None = None,
        extra: bool = False,
    ) -> LogResult:
        """Log the occurrence of `slug` at `when`. Where none is scheduled, an ad hoc entry is recorded
        for a commitment with no schedule then; one with a schedule is refused naming its nearest
        meetings, unless `extra` says this is an extra meeting. The status, note, questions and
        difference land together, or none does."""
        if note is not None:
            check_text("note", note, private=True)
        if questions is not None:
            check_text("questions", questions, private=True)
        if difference is not None:
            check_text("difference", difference, private=True)
        with self.store.reading() as read:  # an unknown slug is named before anything else
            found = read.commitments(include_retired=True, slugs=[slug])
        if not found:
            raise InputError("commitment", slug, "no commitment has that slug (see `los commitments`)")
        occurrence = None if extra else self.find(slug, when, has_time)
        if extra and has_time:
            self._refuse_an_extra_meeting_at(slug, when, "on")
        if occurrence is None and not extra:
            check_meeting_day(
                found[0], when, self.tz, "on", self._as_typed(when, has_time), moved=self._moves(slug, when)
            )
        with self.store.writing() as write:
            adhoc = occurrence is None
            before: dict[str, str] = {}  # the texts logged already, to say which this replaced
            if occurrence is None:
                # A bare date has started from its midnight.
                check_status_in_time(status, when, self.store.clock(), self.zone)
                log = write.add_adhoc(slug, when, all_day=not has_time, status=status, note=note or "")
                updated = occurrence_from_log(write.commitment(slug), log, self.tz)
                was = None
            else:
                stored = stored_log(write, occurrence)
                if stored is not None:
                    before = _texts_of(stored)
                change = self._change_status(write, occurrence, status)
                updated, was = change.occurrence, change.was
                if note is not None:
                    updated = write.save_note(updated, note)
            if questions is not None:
                updated = write.save_questions(updated, questions)
            if difference is not None:
                updated = write.save_difference(updated, difference)
            typed = {"note": note, "questions": questions, "difference": difference}
            return LogResult(updated, adhoc, was, tuple(texts_replaced(before, typed)))

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
        check_status_in_time(status, start, self.store.clock(), self.zone)
        moved = None if extra else self._moves(slug, start)
        with self.store.writing() as write:
            commitment = write.commitment(slug)  # read once: for the check and for the entry returned
            if not extra:
                check_meeting_day(
                    commitment,
                    start,
                    self.tz,
                    "when",
                    self._as_typed(start, not all_day, sep=" "),  # as the screen's field is typed
                    how_to_log="open that meeting to log it",
                    how_to_add="tick 'An extra meeting'",
                    moved=moved,
                )
            log = write.add_adhoc(slug, start, all_day, status, note, duration_minutes)
            return occurrence_from_log(commitment, log, self.tz)

    def _as_typed(self, when: datetime, has_time: bool, sep: str = "T") -> str:
        """`when` as the user gives it: a local date, or date and time, with its offset where the clocks
        show that time twice (2026-10-25T01:15+00:00 is the second 01:15, GMT)."""
        local = when.astimezone(self.zone)
        if not has_time:
            return local.date().isoformat()
        if is_repeated(local):
            return local.isoformat(sep=sep, timespec="minutes")
        return f"{local:%Y-%m-%d}{sep}{local:%H:%M}"

    def moves(self, slugs: list[str]) -> dict[str, dict[datetime, datetime]]:
        """Where each named commitment's moved meetings are now, by their scheduled instant (UTC), for a
        dialog that checks entries on any day it is given (as `add_adhoc` checks them, `_moves`)."""
        with self.store.reading() as read:
            changed = read.calendar_changes(slugs, with_notes=False)
        found: dict[str, list[OccurrenceLog]] = {}
        for log in changed:
            found.setdefault(log.commitment_slug, []).append(log)
        return {slug: _where_moved(logs) for slug, logs in found.items()}

    def _moves(self, slug: str, when: datetime) -> dict[datetime, datetime]:
        """Where `slug`'s meetings near `when` were moved to, by their scheduled instant (UTC)."""
        day = when.astimezone(self.zone).date()
        near = timedelta(days=NEAR_DAYS)
        return _where_moved(self.logs(*window_for_days(day - near, day + near, self.tz), [slug]))

    def log_many(self, occurrences: list[Occurrence]) -> list[Occurrence]:
        """Log many scheduled occurrences never logged before (each with its status, note and questions)
        in one transaction: all of them land, or none does."""
        for occurrence in occurrences:
            check_text("note", occurrence.note, private=True)
            check_text("questions", occurrence.questions, private=True)
        with self.store.writing() as write:
            return write.log_many(occurrences)

    def set_status(self, occurrence: Occurrence, status: Status | None) -> Occurrence:
        return self.change_status(occurrence, status).occurrence

    def change_status(self, occurrence: Occurrence, status: Status | None) -> StatusChange:
        """Set the status, refusing attended or missed before the meeting starts (and on a meeting its
        schedule no longer makes); says what it replaced."""
        self._require_in_schedule(occurrence)
        with self.store.writing() as write:
            return self._change_status(write, occurrence, status)

    def _change_status(self, write: Writer, occurrence: Occurrence, status: Status | None) -> StatusChange:
        stored = stored_log(write, occurrence)
        start = occurrence.start
        if stored is not None:  # where it is now, as the store has it (moved, perhaps, elsewhere)
            start = stored.start or stored.original_start or start
        check_status_in_time(status, start, self.store.clock(), self.zone)
        return StatusChange(write.set_status(occurrence, status), stored.status if stored else None)

    def move(self, occurrence: Occurrence, to: datetime) -> Occurrence:
        """Move one occurrence; the series and every other occurrence stay as they are."""
        if occurrence.original_start is None:
            raise InputError(
                "on",
                occurrence.start.date().isoformat(),
                "is an ad hoc entry, not a scheduled occurrence; log a new entry instead",
            )
        self._require_in_schedule(occurrence)
        self._refuse_a_second_meeting_at(occurrence, to)
        with self.store.writing() as write:
            return write.move(occurrence, to)

    def _refuse_a_second_meeting_at(self, occurrence: Occurrence, to: datetime) -> None:
        """A meeting moved onto a moment its commitment already meets at made two meetings no date or time
        could tell apart: neither could then be logged or moved again by naming it."""
        other = self._meeting_at(occurrence.commitment_slug, to, besides=occurrence.original_start)
        if other is not None:
            moved = " (a meeting moved there)" if other.is_moved else ""
            raise InputError(
                "to",
                self._as_typed(to, True),
                f"{occurrence.commitment_slug} already meets at "
                f"{meeting_label(other.start, self.zone, with_time=True)}{moved}; choose another time",
            )

    def _refuse_an_extra_meeting_at(self, slug: str, when: datetime, field: str) -> None:
        """An extra meeting at the very moment of one of its commitment's meetings is that meeting (and
        two there could no longer be told apart by naming their time)."""
        other = self._meeting_at(slug, when)
        if other is not None:
            raise InputError(
                field,
                self._as_typed(when, True),
                f"{slug} already meets at {meeting_label(other.start, self.zone, with_time=True)}: log "
                "that meeting (an extra meeting is another one)",
            )

    def _meeting_at(self, slug: str, when: datetime, besides: datetime | None = None) -> Occurrence | None:
        """`slug`'s meeting starting at the instant `when`, other than the one scheduled at `besides`."""
        day = when.astimezone(self.zone).date()
        at = instant(when)
        for other in self.agenda(day - timedelta(days=1), day + timedelta(days=1), slugs=[slug]):
            itself = (
                besides is not None
                and other.original_start is not None
                and same_instant(other.original_start, besides)
            )
            if not itself and instant(other.start) == at:
                return other
        return None

    def _require_in_schedule(self, occurrence: Occurrence) -> None:
        """A status or a move only for a meeting the schedule makes: one a series change removed would
        otherwise come back as a phantom the agenda and the review count."""
        original = occurrence.original_start
        if original is None:
            return
        with self.store.reading() as read:
            found = read.commitments(include_retired=True, slugs=[occurrence.commitment_slug])
        if not found or version_making(found[0], original) is not None:
            return  # an unknown commitment is named by the writer
        raise InputError(
            "meeting",
            self._as_typed(original, has_time=True, sep=" "),
            f"{occurrence.title} has no meeting then any more (its series changed); nothing logged",
        )

    def save_note(self, occurrence: Occurrence, text: str, shown: str | None = None) -> Occurrence:
        """Save the note; `shown` is the note this text is an edit of (by default, the note as
        `occurrence` was read, when its version shows the log changed since). If the diary holds
        another text by now (changed elsewhere), both are kept; the occurrence returned has the note as
        stored. Never a lock held while typing: the check and the write are one short transaction, and
        the write lands only on the version it checked (optimistic locking)."""
        check_text("note", text, private=True)
        with self.store.writing() as write:
            stored = stored_log(write, occurrence)
            shown = _as_read(occurrence, stored, occurrence.note) if shown is None else shown
            if shown is not None:
                text = reconcile(shown, stored.note if stored else "", text).text
            return write.save_note(occurrence, text, expect=stored.version if stored else None)

    def save_questions(self, occurrence: Occurrence, text: str, shown: str | None = None) -> Occurrence:
        """As `save_note`, for the questions to raise."""
        check_text("questions", text, private=True)
        with self.store.writing() as write:
            stored = stored_log(write, occurrence)
            shown = _as_read(occurrence, stored, occurrence.questions) if shown is None else shown
            if shown is not None:
                text = reconcile(shown, stored.questions if stored else "", text).text
            return write.save_questions(occurrence, text, expect=stored.version if stored else None)

    def save_difference(self, occurrence: Occurrence, text: str, shown: str | None = None) -> Occurrence:
        """What difference the meeting made for children: the text reports carry (notes never are). As
        `save_note`, a difference written elsewhere since `shown` was read is kept beside this one."""
        check_text("difference", text, private=True)
        with self.store.writing() as write:
            stored = stored_log(write, occurrence)
            shown = _as_read(occurrence, stored, occurrence.difference) if shown is None else shown
            if shown is not None:
                text = reconcile(shown, stored.difference if stored else "", text).text
            return write.save_difference(occurrence, text, expect=stored.version if stored else None)


def _where_moved(logs: list[OccurrenceLog]) -> dict[datetime, datetime]:
    """Where the moved meetings among `logs` are now, by their scheduled instant (UTC)."""
    return {
        instant(log.original_start): log.start
        for log in logs
        if log.original_start is not None and log.start is not None
    }
