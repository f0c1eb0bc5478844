"""The rules for recording a meeting, as plain Python: statuses before a meeting starts, what a re-log
replaced, the meetings nearest a day, and two edits of one text kept together."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from diary_testing import LONDON, NOW

from los_tui.domain.model import Commitment, Frequency, Role, Schedule, Status
from los_tui.domain.parsing import InputError
from los_tui.domain.recording import (
    KEPT_BOTH_MARK,
    check_meeting_day,
    check_status_in_time,
    nearest_meetings,
    not_a_meeting_day,
    reconcile,
    reconcile_line,
    status_change,
)

DECEMBER_BOARD = datetime(2026, 12, 8, 18, 30, tzinfo=LONDON)
BOARDS = [datetime(2026, month, day, 18, 30, tzinfo=LONDON) for month, day in ((10, 13), (11, 10), (12, 8))]


@pytest.mark.parametrize("status", [Status.ATTENDED, Status.MISSED])
def test_attended_or_missed_before_a_meeting_starts_is_refused(status: Status) -> None:
    with pytest.raises(InputError) as refused:
        check_status_in_time(status, DECEMBER_BOARD, NOW, LONDON)
    assert str(refused.value).startswith(f"status '{status.value}': the meeting on Tue 8 Dec 2026 18:30")
    assert "has not started yet" in str(refused.value)


@pytest.mark.parametrize("status", [Status.APOLOGIES, Status.DELEGATED, Status.CANCELLED, None])
def test_apologies_delegated_cancelled_and_clearing_are_allowed_ahead(status: Status | None) -> None:
    check_status_in_time(status, DECEMBER_BOARD, NOW, LONDON)


def test_a_meeting_that_has_started_can_be_attended_even_before_it_ends() -> None:
    started = NOW - timedelta(minutes=1)
    check_status_in_time(Status.ATTENDED, started, NOW, LONDON)
    check_status_in_time(Status.MISSED, NOW, NOW, LONDON)  # starting this minute counts as started


def test_a_relog_says_what_it_replaced() -> None:
    assert status_change(Status.APOLOGIES, Status.ATTENDED) == "was apologies, now attended"
    assert status_change(Status.ATTENDED, None) == "was attended, now not logged"
    assert status_change(None, Status.ATTENDED) is None
    assert status_change(Status.ATTENDED, Status.ATTENDED) is None


def test_the_nearest_meetings_are_the_last_before_and_the_first_after() -> None:
    assert nearest_meetings(BOARDS, date(2026, 11, 11), LONDON) == BOARDS[1:3]
    assert nearest_meetings(BOARDS, date(2026, 9, 1), LONDON) == BOARDS[:1]
    assert nearest_meetings(BOARDS, date(2027, 1, 1), LONDON) == BOARDS[2:]
    assert nearest_meetings([], date(2027, 1, 1), LONDON) == []


def test_the_refusal_names_the_nearest_meetings_and_the_way_to_an_extra_one() -> None:
    message = str(not_a_meeting_day("--on", "2026-11-11", "the board", [], BOARDS[1:3], LONDON))
    assert message == (
        "--on '2026-11-11': the board does not meet that day; its nearest meetings are Tue 10 Nov 2026 "
        "and Tue 8 Dec 2026; to record an extra meeting use --extra"
    )
    wrong_time = str(not_a_meeting_day("--on", "2026-11-10T18:00", "the board", BOARDS[1:2], [], LONDON))
    assert "the board meets at 18:30 that day; give that time or the date alone" in wrong_time


def test_an_edit_over_an_unchanged_text_is_simply_stored() -> None:
    assert reconcile("old", "old", "old and new") == reconcile("old", "old and new", "old and new")
    assert reconcile("old", "old", "old and new").text == "old and new"
    assert not reconcile("old", "old", "old and new").changed_elsewhere


def test_an_edit_over_a_text_changed_elsewhere_keeps_both_theirs_first() -> None:
    kept = reconcile("Shown", "Shown, and the PA's line", "Shown, and mine")
    assert kept.changed_elsewhere
    assert kept.text == f"Shown, and the PA's line\n{KEPT_BOTH_MARK}\nShown, and mine"
    assert reconcile("", "theirs", "mine").text == f"theirs\n{KEPT_BOTH_MARK}\nmine"


def test_emptying_a_text_never_throws_away_a_version_the_typist_never_saw() -> None:
    assert reconcile("old", "theirs", "") == reconcile("old", "theirs", "old")
    assert reconcile("old", "theirs", "").text == "theirs"
    assert reconcile("old", "", "mine").text == "mine"


def test_a_one_line_field_keeps_both_on_one_line() -> None:
    assert reconcile_line("Ann", "Bob", "Cat").text == "Bob / Cat"
    assert reconcile_line("Ann", "Ann", "Cat").text == "Cat"
    assert "\n" not in reconcile_line("Ann", "Bob", "Cat").text


def board_commitment() -> Commitment:
    return Commitment(
        slug="lmcs-improvement-board",
        title="the board",
        role=Role.LMCS,
        frequency=Frequency.MONTHLY,
        schedules=(
            Schedule(
                rrule="FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2",
                start=datetime(2026, 1, 13, 18, 30),
                duration_minutes=120,
                effective_from=date(2026, 1, 13),
            ),
        ),
    )


def test_a_scheduled_commitment_on_a_day_it_does_not_meet_is_refused_across_the_clock_change() -> None:
    board = board_commitment()
    sunday_clocks_go_back = datetime(2026, 10, 25, 1, 30, tzinfo=LONDON)
    with pytest.raises(InputError) as refused:
        check_meeting_day(board, sunday_clocks_go_back, "Europe/London", "--on", "2026-10-25")
    assert "nearest meetings are Tue 13 Oct 2026 and Tue 10 Nov 2026" in str(refused.value)
    with pytest.raises(InputError) as wrong_time:
        check_meeting_day(board, datetime(2026, 10, 13, 18, 0, tzinfo=LONDON), "Europe/London", "--on", "x")
    assert "meets at 18:30 that day" in str(wrong_time.value)  # 18:30 BST, not 17:30 or 19:30


def test_no_schedule_in_force_that_day_means_no_refusal() -> None:
    board = board_commitment()
    check_meeting_day(board, datetime(2025, 12, 1, tzinfo=LONDON), "Europe/London", "--on", "2025-12-01")
    unscheduled = Commitment(slug="visits", title="visits", role=Role.LMCS, frequency=Frequency.AD_HOC)
    check_meeting_day(unscheduled, NOW, "Europe/London", "--on", "2026-11-26")
