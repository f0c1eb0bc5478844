"""The review's use cases: a period's counts with the year's heatmap, and logging a forgotten meeting."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from los_tui.domain.errors import InputError
from los_tui.domain.model import (
    Commitment,
    Frequency,
    LoggedStatus,
    Occurrence,
    OccurrenceLog,
    Role,
    Status,
)
from los_tui.domain.periods import Period, council_year
from los_tui.domain.recurrence import window_for_days
from los_tui.domain.review import (
    Heatmap,
    ReviewItem,
    ReviewReport,
    logs_window,
    meetings_in,
    review,
    year_heatmap,
)
from los_tui.services.meetings import Meetings


class Review:
    """What was expected of each commitment over a period, against what was logged."""

    def __init__(self, meetings: Meetings) -> None:
        self.meetings = meetings
        self.tz = meetings.tz

    def load(
        self,
        period: Period,
        as_of: datetime,
        roles: tuple[Role, ...],
        with_heatmap: bool = False,
        with_texts: bool = True,
    ) -> ReviewReport:
        """Review the commitments of `roles` over `period` as things stood at `as_of`.

        `with_heatmap` says the caller shows the year's heatmap too: the council year is then expanded
        once, for both, rather than the period for the review and the year again for the heatmap.
        Without `with_texts` (a report of counts and items without notes), the scheduled meetings' logs
        are read without their texts, and those items have no occurrence (ReviewItem.occurrence refuses).
        """
        tz = self.tz
        year = council_year(period.first)
        # The heatmap's year is read with the period only when it is shown; made later, it reads its own.
        span = Period(min(period.first, year.first), max(period.last, year.last)) if with_heatmap else period
        marks: dict[str, dict[datetime, LoggedStatus]] | None = None
        if with_texts or with_heatmap:
            commitments, logs = self._history(span)
        else:
            commitments, marks, logs = self.meetings.counted_history(span.first, span.last)
            logs = self._earlier(commitments, span, logs)
        chosen = [c for c in commitments if c.role in roles]
        year_meetings = None
        if with_heatmap and year.first <= period.first and period.last <= year.last:
            year_meetings = meetings_in(chosen, logs, *window_for_days(year.first, year.last, tz), tz)
        if with_heatmap:
            make_heatmap = lambda: year_heatmap(chosen, logs, year, as_of, tz, year_meetings)  # noqa: E731
        else:
            make_heatmap = lambda: self._heatmap(year, as_of, roles)  # noqa: E731
        return ReviewReport(
            review=review(chosen, logs, period, as_of, tz, year_meetings, marks),
            roles=roles,
            tz=tz,
            make_heatmap=make_heatmap,
            commitments=tuple(chosen),
        )

    def _heatmap(self, year: Period, as_of: datetime, roles: tuple[Role, ...]) -> Heatmap:
        commitments, logs = self._history(year)
        return year_heatmap([c for c in commitments if c.role in roles], logs, year, as_of, tz=self.tz)

    def _history(self, span: Period) -> tuple[list[Commitment], list[OccurrenceLog]]:
        """Every commitment, with the logs a review within `span` needs: the span's own for all, and the
        year before it only for commitments counted by frequency period (a period due in the span can
        start up to eleven months earlier); a meeting is counted by its day, so the rest need no more.
        On a diary of twenty years that is a year's logs, not two."""
        commitments, logs = self.meetings.history(span.first, span.last)
        return commitments, self._earlier(commitments, span, logs)

    def _earlier(
        self, commitments: list[Commitment], span: Period, logs: list[OccurrenceLog]
    ) -> list[OccurrenceLog]:
        """`logs` and the year before `span`'s logs of the commitments counted by frequency period."""
        by_period = [
            c.slug for c in commitments if not c.is_scheduled and c.frequency is not Frequency.AD_HOC
        ]
        earlier = logs_window(span)
        if by_period and earlier.first < span.first:
            before = window_for_days(earlier.first, span.first - timedelta(days=1), self.tz)
            seen = {log.id for log in logs}
            logs += [log for log in self.meetings.logs(*before, by_period) if log.id not in seen]
        return logs

    def log_item(self, item: ReviewItem, status: Status | None) -> Occurrence:
        """Log what happened to something the review shows ("I went, I just didn't log it"), or clear
        what was logged by mistake (`status` None).

        A meeting or entry gets the status; a frequency period or a target with nothing logged gets an
        all-day entry on the last day of its period (or today, if that is still to come).
        """
        if item.occurrence is not None:
            return self.meetings.set_status(item.occurrence, status)
        if status is None:
            raise InputError("status", item.description, "nothing is logged for it to clear")
        assert item.period is not None  # an item without an occurrence always stands for a period
        zone = self.meetings.zone
        today = self.meetings.store.clock().astimezone(zone).date()
        day = datetime.combine(min(item.period.last, today), time(0), zone)
        # A period's entry: the commitment had no schedule to meet by, so no meeting is second-guessed.
        return self.meetings.add_adhoc(item.commitment.slug, day, all_day=True, status=status, extra=True)
