"""The review's use cases: a period's counts with the year's heatmap, and logging a forgotten meeting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from los_tui.domain.model import Occurrence, Role, Status
from los_tui.domain.periods import Period, Quarter, council_year
from los_tui.domain.review import Heatmap, Review, ReviewItem, logs_window, review, year_heatmap
from los_tui.services.diary import Diary


@dataclass(frozen=True)
class ReviewReport:
    """Everything a review screen or report shows: the period's review and its council year's heatmap."""

    review: Review
    heatmap: Heatmap
    roles: tuple[Role, ...]
    tz: str

    @property
    def title(self) -> str:
        """ "2026-Q3 (2026/27 Q2)" for a quarter, else the period's own label."""
        period = self.review.period
        quarter = Quarter.containing(period.first)
        if quarter.period == period:
            return f"{quarter.label} ({quarter.council_label})"
        return period.label


def load_review(diary: Diary, period: Period, as_of: datetime, roles: tuple[Role, ...]) -> ReviewReport:
    """Review the commitments of `roles` over `period` as things stood at `as_of`."""
    year = council_year(period.first)
    needed = logs_window(Period(min(period.first, year.first), max(period.last, year.last)))
    commitments, logs = diary.history(needed.first, needed.last)
    chosen = [c for c in commitments if c.role in roles]
    return ReviewReport(
        review=review(chosen, logs, period, as_of, diary.tz),
        heatmap=year_heatmap(chosen, logs, year, as_of, diary.tz),
        roles=roles,
        tz=diary.tz,
    )


def log_item(diary: Diary, item: ReviewItem, status: Status) -> Occurrence:
    """Log what happened to something the review shows ("I went, I just didn't log it").

    A meeting or entry gets the status; a frequency period or a target with nothing logged gets an
    all-day entry on the last day of its period (or today, if that is still to come).
    """
    if item.occurrence is not None:
        return diary.set_status(item.occurrence, status)
    assert item.period is not None  # an item without an occurrence always stands for a period
    zone = ZoneInfo(diary.tz)
    day = datetime.combine(min(item.period.last, diary.clock().astimezone(zone).date()), time(0), zone)
    return diary.add_adhoc(item.commitment.slug, day, all_day=True, status=status)
