"""The review's use cases: a period's counts with the year's heatmap, and logging a forgotten meeting."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from los_tui.domain.model import Commitment, Frequency, Occurrence, Role, Status
from los_tui.domain.parsing import InputError, check_target, check_year
from los_tui.domain.periods import Period, Quarter, council_year
from los_tui.domain.recurrence import window_for_days
from los_tui.domain.review import ReviewItem, ReviewReport, logs_window, meetings_in, review, year_heatmap
from los_tui.services.diary import Diary


def load_review(
    diary: Diary, period: Period, as_of: datetime, roles: tuple[Role, ...], with_heatmap: bool = False
) -> ReviewReport:
    """Review the commitments of `roles` over `period` as things stood at `as_of`.

    `with_heatmap` says the caller shows the year's heatmap too: the council year is then expanded once,
    for both, rather than the period for the review and the year again for the heatmap.
    """
    year = council_year(period.first)
    needed = logs_window(Period(min(period.first, year.first), max(period.last, year.last)))
    commitments, logs = diary.history(needed.first, needed.last)
    chosen = [c for c in commitments if c.role in roles]
    year_meetings = None
    if with_heatmap and year.first <= period.first and period.last <= year.last:
        year_meetings = meetings_in(chosen, logs, *window_for_days(year.first, year.last, diary.tz), diary.tz)
    return ReviewReport(
        review=review(chosen, logs, period, as_of, diary.tz, year_meetings),
        roles=roles,
        tz=diary.tz,
        make_heatmap=lambda: year_heatmap(chosen, logs, year, as_of, diary.tz, year_meetings),
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
    # A period's entry: the commitment had no schedule to meet by, so no meeting is being second-guessed.
    return diary.add_adhoc(item.commitment.slug, day, all_day=True, status=status, extra=True)


def set_target(diary: Diary, slug: str, target: int | None, from_day: date) -> tuple[Commitment, Quarter]:
    """Set (or with None, clear) how many entries a quarter the user aims for on an ad hoc commitment,
    from the quarter holding `from_day` on; returns the commitment and that quarter. The quarters before
    it keep the target they had, so a review already given to the board still reads the same."""
    check_year("--from", from_day, from_day)
    if target is not None:
        check_target("count", target, target)
    commitment = diary.commitment(slug)
    if commitment.frequency != Frequency.AD_HOC:
        raise InputError(
            "commitment",
            slug,
            f"is {commitment.frequency.label}; a quarterly target is only for ad hoc commitments",
        )
    quarter = Quarter.containing(from_day)
    return diary.set_quarterly_target(slug, target, quarter.period.first), quarter
