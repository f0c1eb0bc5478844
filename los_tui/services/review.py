"""The review's use cases: a period's counts with the year's heatmap, and logging a forgotten meeting."""

from __future__ import annotations

from datetime import datetime, time

from los_tui.domain.model import Occurrence, Role, Status
from los_tui.domain.periods import Period, council_year
from los_tui.domain.recurrence import window_for_days
from los_tui.domain.review import ReviewItem, ReviewReport, logs_window, meetings_in, review, year_heatmap
from los_tui.services.meetings import Meetings


class Review:
    """What was expected of each commitment over a period, against what was logged."""

    def __init__(self, meetings: Meetings) -> None:
        self.meetings = meetings
        self.tz = meetings.tz

    def load(
        self, period: Period, as_of: datetime, roles: tuple[Role, ...], with_heatmap: bool = False
    ) -> ReviewReport:
        """Review the commitments of `roles` over `period` as things stood at `as_of`.

        `with_heatmap` says the caller shows the year's heatmap too: the council year is then expanded
        once, for both, rather than the period for the review and the year again for the heatmap.
        """
        tz = self.tz
        year = council_year(period.first)
        needed = logs_window(Period(min(period.first, year.first), max(period.last, year.last)))
        commitments, logs = self.meetings.history(needed.first, needed.last)
        chosen = [c for c in commitments if c.role in roles]
        year_meetings = None
        if with_heatmap and year.first <= period.first and period.last <= year.last:
            year_meetings = meetings_in(chosen, logs, *window_for_days(year.first, year.last, tz), tz)
        return ReviewReport(
            review=review(chosen, logs, period, as_of, tz, year_meetings),
            roles=roles,
            tz=tz,
            make_heatmap=lambda: year_heatmap(chosen, logs, year, as_of, tz, year_meetings),
        )

    def log_item(self, item: ReviewItem, status: Status) -> Occurrence:
        """Log what happened to something the review shows ("I went, I just didn't log it").

        A meeting or entry gets the status; a frequency period or a target with nothing logged gets an
        all-day entry on the last day of its period (or today, if that is still to come).
        """
        if item.occurrence is not None:
            return self.meetings.set_status(item.occurrence, status)
        assert item.period is not None  # an item without an occurrence always stands for a period
        zone = self.meetings.zone
        today = self.meetings.store.clock().astimezone(zone).date()
        day = datetime.combine(min(item.period.last, today), time(0), zone)
        # A period's entry: the commitment had no schedule to meet by, so no meeting is second-guessed.
        return self.meetings.add_adhoc(item.commitment.slug, day, all_day=True, status=status, extra=True)
