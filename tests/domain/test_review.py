"""The quarterly review, in the Lead Member's words: what was expected, attended, missed and left unlogged."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from diary_testing import LONDON, NOW

from los_tui.domain.agenda import Meeting
from los_tui.domain.model import Frequency, OccurrenceLog, Role, Status
from los_tui.domain.parsing import InputError
from los_tui.domain.periods import Period, Quarter, council_year, frequency_periods_due
from los_tui.domain.recurrence import window_for_days
from los_tui.domain.review import Counts, Outcome, Rating, ReviewReport, end_of_day, review
from los_tui.services.diary import Diary

BOARD = "lmcs-improvement-board"  # second Tuesday, 18:30-20:30: 14 Jul, 11 Aug, 8 Sep, 13 Oct, 10 Nov, 8 Dec
Q3 = Quarter(2026, 3).period
Q4 = Quarter(2026, 4).period
BOTH = (Role.LMCS, Role.DCS)


@pytest.fixture
def diary(db_path: Path) -> Iterator[Diary]:
    """A diary set up in January 2026, so every protocol line was owed all year; now is late November."""
    opened = Diary.open(db_path, clock=lambda: datetime(2026, 1, 5, 9, 0, tzinfo=LONDON))
    opened.init("both")
    opened.commitments.schedule(
        BOARD, "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2", datetime(2026, 1, 13, 18, 30), 120, "Town Hall"
    )
    opened.clock = lambda: NOW
    yield opened
    opened.close()


def at(day: str, hour: int = 18, minute: int = 30) -> datetime:
    return datetime.combine(date.fromisoformat(day), datetime.min.time(), LONDON).replace(
        hour=hour, minute=minute
    )


def counts_of(report: ReviewReport, slug: str) -> Counts:
    return next(row.counts for row in report.review.rows if row.commitment.slug == slug)


def rating_of(report: ReviewReport, slug: str) -> Rating:
    return next(row.rating for row in report.review.rows if row.commitment.slug == slug)


def quarter_review(diary: Diary, period: Period = Q3, as_of: datetime = NOW) -> ReviewReport:
    return diary.review.load(period, as_of, BOTH)


def log(diary: Diary, slug: str, when: datetime | str, status: Status) -> None:
    if isinstance(when, str):
        diary.meetings.log(
            slug, datetime.combine(date.fromisoformat(when), datetime.min.time(), LONDON), False, status
        )
    else:
        diary.meetings.log(slug, when, True, status)


# -- quarters and the council year ------------------------------------------------------------------


def test_2026_q3_is_july_to_september_and_the_second_quarter_of_the_council_year() -> None:
    quarter = Quarter.parse("2026-Q3")
    assert quarter.period == Period(date(2026, 7, 1), date(2026, 9, 30))
    assert quarter.council_label == "2026/27 Q2"
    assert Quarter.parse("2027-q1").council_label == "2026/27 Q4"
    assert Quarter(2026, 2).council_label == "2026/27 Q1"
    assert Quarter(2026, 1).previous() == Quarter(2025, 4)
    assert Quarter(2026, 4).next() == Quarter(2027, 1)
    assert council_year(date(2027, 2, 1)) == Period(date(2026, 4, 1), date(2027, 3, 31))


@pytest.mark.parametrize(
    "text", ["2026-Q5", "Q3", "2026-3", "", "9999-Q4", "0000-Q1", "\uff12\uff10\uff12\uff16-Q1"]
)
def test_a_quarter_that_is_not_one_is_refused_naming_the_field(text: str) -> None:
    with pytest.raises(InputError) as raised:
        Quarter.parse(text)
    assert raised.value.field == "quarter"


def test_every_two_months_and_twice_a_year_run_from_april_and_each_falls_due_in_one_quarter() -> None:
    year = [Quarter(2026, 2), Quarter(2026, 3), Quarter(2026, 4), Quarter(2027, 1)]
    bimonthly = [[p.label for p in frequency_periods_due(Frequency.BIMONTHLY, q.period)] for q in year]
    assert bimonthly == [
        ["Apr–May 2026"],
        ["Jun–Jul 2026", "Aug–Sep 2026"],
        ["Oct–Nov 2026"],
        ["Dec 2026–Jan 2027", "Feb–Mar 2027"],
    ]
    twice = [[p.label for p in frequency_periods_due(Frequency.BIANNUAL, q.period)] for q in year]
    assert twice == [[], ["Apr–Sep 2026"], [], ["Oct 2026–Mar 2027"]]
    annual = [[p.label for p in frequency_periods_due(Frequency.ANNUAL, q.period)] for q in year]
    assert annual == [[], [], [], ["Apr 2026–Mar 2027"]]


# -- scheduled commitments --------------------------------------------------------------------------


def test_logging_apologies_for_the_august_board_shows_it_as_missed_in_q2(diary: Diary) -> None:
    log(diary, BOARD, "2026-07-14", Status.ATTENDED)
    log(diary, BOARD, "2026-08-11", Status.APOLOGIES)
    report = quarter_review(diary)
    assert counts_of(report, BOARD) == Counts(expected=3, attended=1, missed=1, unlogged=1)
    assert rating_of(report, BOARD) == Rating.OVERDUE
    assert [item.description for item in report.review.items_with(Outcome.MISSED)] == [
        "Tue 11 Aug 2026 18:30"
    ]
    assert [
        item.description
        for item in report.review.items_with(Outcome.UNLOGGED)
        if item.commitment.slug == BOARD
    ] == ["Tue 08 Sep 2026 18:30"]


def test_a_board_left_unlogged_is_at_risk_never_attended(diary: Diary) -> None:
    log(diary, BOARD, "2026-07-14", Status.ATTENDED)
    log(diary, BOARD, "2026-08-11", Status.ATTENDED)
    report = quarter_review(diary)
    assert counts_of(report, BOARD) == Counts(expected=3, attended=2, unlogged=1)
    assert rating_of(report, BOARD) == Rating.AT_RISK


def test_sending_a_deputy_counts_as_attended_and_as_delegated_and_the_quarter_is_complete(
    diary: Diary,
) -> None:
    log(diary, BOARD, "2026-07-14", Status.ATTENDED)
    log(diary, BOARD, "2026-08-11", Status.DELEGATED)
    log(diary, BOARD, "2026-09-08", Status.ATTENDED)
    report = quarter_review(diary)
    assert counts_of(report, BOARD) == Counts(expected=3, attended=3, delegated=1)
    assert rating_of(report, BOARD) == Rating.COMPLETE


def test_a_cancelled_board_is_not_expected_of_anyone(diary: Diary) -> None:
    log(diary, BOARD, "2026-07-14", Status.ATTENDED)
    log(diary, BOARD, "2026-08-11", Status.CANCELLED)
    log(diary, BOARD, "2026-09-08", Status.ATTENDED)
    report = quarter_review(diary)
    assert counts_of(report, BOARD) == Counts(expected=2, attended=2, cancelled=1)
    assert rating_of(report, BOARD) == Rating.COMPLETE


def test_this_quarter_in_late_november_is_on_track_with_december_still_to_come(diary: Diary) -> None:
    log(diary, BOARD, "2026-10-13", Status.ATTENDED)
    log(diary, BOARD, "2026-11-10", Status.ATTENDED)
    report = quarter_review(diary, Q4)
    assert counts_of(report, BOARD) == Counts(expected=3, attended=2, upcoming=1)
    assert rating_of(report, BOARD) == Rating.ON_TRACK


def test_a_meeting_is_past_once_it_has_ended(diary: Diary) -> None:
    during = quarter_review(diary, as_of=at("2026-08-11", 20, 29))
    after = quarter_review(diary, as_of=at("2026-08-11", 20, 30))
    assert counts_of(during, BOARD) == Counts(expected=3, unlogged=1, upcoming=2)
    assert counts_of(after, BOARD) == Counts(expected=3, unlogged=2, upcoming=1)


def test_as_of_a_day_means_by_the_end_of_that_day(diary: Diary) -> None:
    report = quarter_review(diary, as_of=end_of_day(date(2026, 9, 8), "Europe/London"))
    assert counts_of(report, BOARD) == Counts(expected=3, unlogged=3)


def test_the_september_board_moved_into_october_counts_in_the_quarter_it_now_happens(diary: Diary) -> None:
    september = diary.meetings.find(BOARD, at("2026-09-08"), True)
    assert september is not None
    diary.meetings.move(september, at("2026-10-06"))
    assert counts_of(quarter_review(diary, Q3), BOARD) == Counts(expected=2, unlogged=2)
    assert counts_of(quarter_review(diary, Q4), BOARD) == Counts(expected=4, unlogged=3, upcoming=1)


def test_changing_the_board_to_weekly_today_leaves_last_quarter_as_it_was(diary: Diary) -> None:
    before = counts_of(quarter_review(diary, Q3), BOARD)
    diary.commitments.schedule(BOARD, "FREQ=WEEKLY;BYDAY=TH", datetime(2026, 11, 26, 18, 0))
    assert counts_of(quarter_review(diary, Q3), BOARD) == before == Counts(expected=3, unlogged=3)
    # ... while this quarter has Oct 13, Nov 10 and then every Thursday from today: 26 Nov to 31 Dec.
    assert counts_of(quarter_review(diary, Q4), BOARD).expected == 2 + 6


def test_a_board_retired_in_august_expects_nothing_after(diary: Diary) -> None:
    diary.commitments.retire(BOARD, date(2026, 8, 20))
    report = quarter_review(diary)
    assert counts_of(report, BOARD) == Counts(expected=2, unlogged=2)
    assert BOARD not in {row.commitment.slug for row in quarter_review(diary, Q4).review.rows}


def test_an_extra_board_logged_ad_hoc_counts_as_one_more_meeting(diary: Diary) -> None:
    # an extra meeting, said to be one (a date the board does not meet is otherwise refused)
    diary.meetings.log(BOARD, datetime(2026, 7, 28, tzinfo=LONDON), False, Status.ATTENDED, extra=True)
    assert counts_of(quarter_review(diary), BOARD) == Counts(expected=4, attended=1, unlogged=3)


# -- unscheduled periodic commitments ---------------------------------------------------------------


def test_a_monthly_discussion_with_no_schedule_is_owed_once_a_month(diary: Diary) -> None:
    log(diary, "lmcs-performance-data", "2026-07-20", Status.ATTENDED)
    log(diary, "lmcs-performance-data", "2026-08-19", Status.MISSED)
    report = quarter_review(diary)
    assert counts_of(report, "lmcs-performance-data") == Counts(expected=3, attended=1, missed=1, unlogged=1)
    assert rating_of(report, "lmcs-performance-data") == Rating.OVERDUE


def test_one_attended_entry_in_a_month_is_enough_even_after_apologies_for_another(diary: Diary) -> None:
    log(diary, "lmcs-performance-data", "2026-07-06", Status.APOLOGIES)
    log(diary, "lmcs-performance-data", "2026-07-27", Status.ATTENDED)
    assert counts_of(quarter_review(diary), "lmcs-performance-data").attended == 1


def test_the_asye_meeting_every_two_months_is_owed_twice_in_july_to_september(diary: Diary) -> None:
    # June-July and August-September both fall due in Q3; the June meeting covers June-July.
    log(diary, "lmcs-asye-meeting", "2026-06-17", Status.ATTENDED)
    report = quarter_review(diary)
    assert counts_of(report, "lmcs-asye-meeting") == Counts(expected=2, attended=1, unlogged=1)


def test_this_months_discussion_not_yet_held_is_upcoming(diary: Diary) -> None:
    log(diary, "lmcs-performance-data", "2026-10-14", Status.ATTENDED)
    log(diary, "lmcs-performance-data", "2026-11-04", Status.APOLOGIES)
    report = quarter_review(diary, Q4)
    # October attended; November still running (apologies once need not mean missed); December ahead.
    assert counts_of(report, "lmcs-performance-data") == Counts(expected=3, attended=1, upcoming=2)


def test_foster_carers_twice_a_year_falls_due_in_september_and_march(diary: Diary) -> None:
    assert counts_of(quarter_review(diary, Quarter(2026, 2).period), "dcs-foster-carers") == Counts()
    log(diary, "dcs-foster-carers", "2026-05-12", Status.DELEGATED)
    assert counts_of(quarter_review(diary), "dcs-foster-carers") == Counts(
        expected=1, attended=1, delegated=1
    )


def test_the_annual_fostering_panel_is_owed_once_in_the_council_year_and_reviewed_in_january_to_march(
    diary: Diary,
) -> None:
    first_quarter_2027 = Quarter(2027, 1).period
    assert counts_of(quarter_review(diary, first_quarter_2027), "lmcs-fostering-panel") == Counts(
        expected=1, upcoming=1
    )
    log(diary, "lmcs-fostering-panel", "2026-06-03", Status.ATTENDED)  # April 2026 to March 2027
    log(diary, "lmcs-fostering-panel", "2026-03-04", Status.ATTENDED)  # the council year before
    assert counts_of(quarter_review(diary, first_quarter_2027), "lmcs-fostering-panel") == Counts(
        expected=1, attended=1
    )
    assert counts_of(quarter_review(diary, Quarter(2026, 1).period), "lmcs-fostering-panel") == Counts(
        expected=1, attended=1
    )


def test_a_monthly_discussion_retired_in_august_owes_july_and_august(diary: Diary) -> None:
    diary.commitments.retire("lmcs-performance-data", date(2026, 8, 20))
    assert counts_of(quarter_review(diary), "lmcs-performance-data") == Counts(expected=2, unlogged=2)


def test_a_commitment_added_in_mid_august_owes_august_and_september_only(diary: Diary) -> None:
    diary.clock = lambda: datetime(2026, 8, 15, 9, 0, tzinfo=LONDON)
    added = diary.commitments.add("Youth council catch-up", Role.LMCS, Frequency.MONTHLY)
    diary.clock = lambda: NOW
    assert counts_of(quarter_review(diary), added.slug) == Counts(expected=2, unlogged=2)


def test_logging_a_forgotten_month_from_the_review_makes_it_attended(diary: Diary) -> None:
    report = quarter_review(diary)
    september = next(
        item
        for item in report.review.items_with(Outcome.UNLOGGED)
        if item.commitment.slug == "lmcs-performance-data" and item.description == "Sep 2026"
    )
    diary.review.log_item(september, Status.ATTENDED)
    assert counts_of(quarter_review(diary), "lmcs-performance-data") == Counts(
        expected=3, attended=1, unlogged=2
    )


def test_logging_a_forgotten_board_from_the_review_logs_that_meeting(diary: Diary) -> None:
    unlogged = [
        i for i in quarter_review(diary).review.items_with(Outcome.UNLOGGED) if i.commitment.slug == BOARD
    ]
    diary.review.log_item(unlogged[1], Status.ATTENDED)
    assert counts_of(quarter_review(diary), BOARD) == Counts(expected=3, attended=1, unlogged=2)
    august = diary.meetings.find(BOARD, at("2026-08-11"), True)
    assert august is not None and august.status == Status.ATTENDED


# -- ad hoc commitments -----------------------------------------------------------------------------


def test_team_visits_without_a_target_count_the_visits_logged(diary: Diary) -> None:
    log(diary, "lmcs-team-visits", "2026-07-03", Status.ATTENDED)
    log(diary, "lmcs-team-visits", "2026-09-21", Status.ATTENDED)
    report = quarter_review(diary)
    assert counts_of(report, "lmcs-team-visits") == Counts(expected=2, attended=2)
    assert counts_of(report, "lmcs-cicc") == Counts()
    assert rating_of(report, "lmcs-cicc") == Rating.ON_TRACK


def test_three_team_visits_a_quarter_with_one_logged_leaves_two_unlogged(diary: Diary) -> None:
    diary.commitments.set_target("lmcs-team-visits", 3, date(2026, 7, 1))
    log(diary, "lmcs-team-visits", "2026-07-03", Status.ATTENDED)
    report = quarter_review(diary)
    assert counts_of(report, "lmcs-team-visits") == Counts(expected=3, attended=1, unlogged=2)
    assert rating_of(report, "lmcs-team-visits") == Rating.AT_RISK
    assert counts_of(quarter_review(diary, Q4), "lmcs-team-visits") == Counts(expected=3, upcoming=3)


def test_a_target_changed_later_leaves_the_quarters_before_it_as_they_were(diary: Diary) -> None:
    diary.commitments.set_target("lmcs-team-visits", 3, date(2026, 7, 1))
    log(diary, "lmcs-team-visits", "2026-07-03", Status.ATTENDED)
    before = counts_of(quarter_review(diary), "lmcs-team-visits")
    diary.commitments.set_target("lmcs-team-visits", 1, date(2026, 10, 1))  # lowered from Q4 on
    assert (
        counts_of(quarter_review(diary), "lmcs-team-visits")
        == before
        == Counts(expected=3, attended=1, unlogged=2)
    )
    assert counts_of(quarter_review(diary, Q4), "lmcs-team-visits") == Counts(expected=1, upcoming=1)
    diary.commitments.set_target("lmcs-team-visits", None, date(2026, 10, 1))  # cleared from Q4 on
    assert counts_of(quarter_review(diary, Q4), "lmcs-team-visits") == Counts()
    assert counts_of(quarter_review(diary), "lmcs-team-visits") == before
    # A change made again from an earlier quarter replaces the ones after it.
    diary.commitments.set_target("lmcs-team-visits", 2, date(2026, 7, 1))
    assert counts_of(quarter_review(diary, Q4), "lmcs-team-visits") == Counts(expected=2, upcoming=2)
    assert [(t.count, t.effective_from) for t in diary.commitments.get("lmcs-team-visits").targets] == [
        (2, date(2026, 7, 1))
    ]


def test_more_visits_than_the_target_all_count(diary: Diary) -> None:
    diary.commitments.set_target("lmcs-team-visits", 1, date(2026, 7, 1))
    log(diary, "lmcs-team-visits", "2026-07-03", Status.ATTENDED)
    log(diary, "lmcs-team-visits", "2026-08-03", Status.ATTENDED)
    assert counts_of(quarter_review(diary), "lmcs-team-visits") == Counts(expected=2, attended=2)


def test_a_target_still_to_meet_makes_the_review_read_differently_when_its_quarter_ends(
    diary: Diary,
) -> None:
    # One visit logged in Q4 against a target of three: two more owed, upcoming until the quarter ends,
    # then not logged. That end is when a review shown now must be counted again.
    diary.commitments.set_target("lmcs-team-visits", 3, date(2026, 10, 1))
    log(diary, "lmcs-team-visits", "2026-10-05", Status.ATTENDED)
    visits = diary.commitments.get("lmcs-team-visits")
    logs = diary.meetings.logs(*window_for_days(Q4.first, Q4.last, diary.review.tz), [visits.slug])
    counted = review([visits], logs, Q4, NOW, diary.review.tz)
    quarter_end = datetime(2027, 1, 1, 0, 0, tzinfo=LONDON)
    assert counted.next_change == quarter_end
    upcoming = counted.items_with(Outcome.UPCOMING)
    assert [(item.label, item.end) for item in upcoming] == [
        ("2026-Q4 target (2 of 3)", quarter_end),
        ("2026-Q4 target (3 of 3)", quarter_end),
    ]
    later = review([visits], logs, Q4, quarter_end, diary.review.tz)
    assert later.rows[0].counts == Counts(expected=3, attended=1, unlogged=2)


# -- the whole review ---------------------------------------------------------------------------------


def test_the_review_lists_every_commitment_once_and_the_totals_add_up(diary: Diary) -> None:
    report = quarter_review(diary)
    slugs = [row.commitment.slug for row in report.review.rows]
    assert len(slugs) == len(set(slugs)) == 34
    totals = report.review.totals
    assert totals.expected == totals.attended + totals.missed + totals.unlogged + totals.upcoming
    assert report.title == "2026-Q3 (2026/27 Q2)"


def test_the_heatmap_shows_the_council_year_by_month(diary: Diary) -> None:
    log(diary, BOARD, "2026-07-14", Status.ATTENDED)
    log(diary, BOARD, "2026-08-11", Status.APOLOGIES)
    heatmap = quarter_review(diary).heatmap
    assert [m.label for m in heatmap.months][:2] == ["Apr 2026", "May 2026"]
    assert len(heatmap.months) == 12
    board = next(row for row in heatmap.rows if row.commitment.slug == BOARD)
    assert board.cells == (
        (Rating.AT_RISK,) * 3
        + (Rating.COMPLETE, Rating.OVERDUE)
        + (Rating.AT_RISK,) * 3
        + (Rating.ON_TRACK,) * 4
    )
    fostering = next(row for row in heatmap.rows if row.commitment.slug == "lmcs-fostering-panel")
    assert fostering.cells == (None,) * 11 + (Rating.ON_TRACK,)


@pytest.mark.parametrize("period", [Q3, Q4, Period(date(2026, 11, 1), date(2026, 11, 30))])
def test_a_review_shown_with_its_heatmap_expands_the_year_once_and_counts_the_same(
    diary: Diary, period: Period
) -> None:
    log(diary, BOARD, "2026-07-14", Status.ATTENDED)
    log(diary, BOARD, "2026-10-13", Status.APOLOGIES)
    diary.meetings.add_adhoc(BOARD, at("2026-11-20", 10, 0), False, Status.ATTENDED, extra=True)
    alone = diary.review.load(period, NOW, BOTH)
    shared = diary.review.load(period, NOW, BOTH, with_heatmap=True)
    assert shared.review == alone.review
    assert shared.heatmap == alone.heatmap


def test_a_report_lets_go_of_the_logs_and_meetings_its_heatmap_was_made_from(diary: Diary) -> None:
    # The review screen keeps its report while the app runs: on a council's diary the year's logs (their
    # notes) and meetings the heatmap was counted from are ~3 MB, needed no more once it is made.
    log(diary, BOARD, "2026-07-14", Status.ATTENDED)
    report = diary.review.load(Q4, NOW, BOTH, with_heatmap=True)
    lists = [cell.cell_contents for cell in report.make_heatmap.__closure__ or ()]
    made_from = [
        weakref.ref(item)
        for held in lists
        if isinstance(held, list)
        for item in held
        if isinstance(item, OccurrenceLog)
    ]
    # The year's meetings, as counted (agenda.Meeting tuples, which no weak reference can follow).
    assert made_from and any(isinstance(held, list) and Meeting in map(type, held) for held in lists)
    del lists
    heatmap = report.heatmap
    assert not any(isinstance(cell.cell_contents, list) for cell in report.make_heatmap.__closure__ or ())
    # Each item shown makes its Occurrence in place of the meeting (and log) it was counted from.
    shown = [item.occurrence for row in report.review.rows for item in row.items]
    gc.collect()
    assert shown and [ref for ref in made_from if ref() is not None] == []
    assert report.heatmap is heatmap and report.make_heatmap() is heatmap
