"""The commitments' use cases: list and look up, add, retire, schedule, and set a quarterly target."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from los_tui.db.store import DiaryStore
from los_tui.domain.model import Commitment, Frequency, Role, Schedule
from los_tui.domain.parsing import (
    InputError,
    check_line,
    check_target,
    check_text,
    check_year,
    existing_wall_time,
    slugify,
)
from los_tui.domain.periods import Quarter
from los_tui.domain.recurrence import normalize_rrule

MAX_DURATION_MINUTES = 24 * 60


class Commitments:
    """What the diary expects: the protocol's lines and the user's own, their schedules and targets."""

    def __init__(self, store: DiaryStore) -> None:
        self.store = store

    def list(self, role: Role | None = None, include_retired: bool = False) -> list[Commitment]:
        with self.store.reading() as read:
            return read.commitments(role, include_retired)

    def get(self, slug: str) -> Commitment:
        with self.store.reading() as read:
            found = read.commitments(include_retired=True, slugs=[slug])
        if not found:
            raise InputError("commitment", slug, "no commitment has that slug (see `los commitments`)")
        return found[0]

    def add(
        self, title: str, role: Role, frequency: Frequency, wording: str = "", with_whom: str = ""
    ) -> Commitment:
        check_line("title", title, required=True)
        check_text("wording", wording)
        check_line("with", with_whom)
        with self.store.writing() as write:
            base = f"{role.value}-{slugify(title)}"
            slug, counter = base, 2
            while write.slug_taken(slug):
                slug, counter = f"{base}-{counter}", counter + 1
            return write.add_commitment(slug, title.strip(), role, frequency, wording, with_whom)

    def retire(self, slug: str, on: date) -> Commitment:
        """Retire rather than delete: the history stays; nothing is expected from `on`."""
        with self.store.writing() as write:
            return write.retire(slug, on)

    def schedule(
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
        tz = self.store.tz
        local_start = (
            start.astimezone(ZoneInfo(tz)) if start.tzinfo else existing_wall_time("start", start, tz)
        ).replace(tzinfo=None)
        if not 1 <= duration_minutes <= MAX_DURATION_MINUTES:
            raise InputError(
                "duration", duration_minutes, f"must be between 1 and {MAX_DURATION_MINUTES} minutes"
            )
        check_line("location", location)
        normalized = normalize_rrule(rrule, local_start, tz)
        with self.store.writing() as write:
            commitment = write.commitment(slug)
            if commitment.retired_on is not None:
                raise InputError("commitment", slug, "is retired; it cannot be scheduled")
            if effective_from is None:
                effective_from = self.store.clock().date() if commitment.schedules else local_start.date()
            schedule = Schedule(
                rrule=normalized,
                start=local_start,
                duration_minutes=duration_minutes,
                location=location,
                tz=tz,
                effective_from=effective_from,
            )
            return write.schedule(slug, schedule)

    def set_target(self, slug: str, target: int | None, from_day: date) -> tuple[Commitment, Quarter]:
        """Set (or with None, clear) how many entries a quarter the user aims for on an ad hoc commitment,
        from the quarter holding `from_day` on; returns the commitment and that quarter. The quarters
        before it keep the target they had, so a review already given to the board still reads the same."""
        check_year("from", from_day, from_day)
        if target is not None:
            check_target("count", target, target)
        commitment = self.get(slug)
        if commitment.frequency != Frequency.AD_HOC:
            raise InputError(
                "commitment",
                slug,
                f"is {commitment.frequency.label}; a quarterly target is only for ad hoc commitments",
            )
        quarter = Quarter.containing(from_day)
        with self.store.writing() as write:
            return write.set_target(slug, target, quarter.period.first), quarter
