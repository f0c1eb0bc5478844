"""A status or a move lands only on a meeting the schedule still makes, never on one a change removed."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from diary_testing import LONDON

from los_tui.domain.model import Status
from los_tui.domain.parsing import InputError
from los_tui.services.diary import Diary

pytestmark = pytest.mark.both_backends  # a diary file, then a database on the server

BOARD = "lmcs-improvement-board"


def test_a_status_on_a_meeting_the_series_change_removed_is_refused_naming_its_date(diary: Diary) -> None:
    diary.commitments.schedule(BOARD, "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2", datetime(2026, 1, 13, 18, 30))
    [november] = diary.meetings.agenda(date(2026, 11, 10), date(2026, 11, 10), slugs=[BOARD])
    # From 1 November the board meets on the third Tuesday: the 10th is no longer a meeting.
    diary.commitments.schedule(
        BOARD,
        "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=3",
        datetime(2026, 11, 17, 18, 30),
        effective_from=date(2026, 11, 1),
    )
    with pytest.raises(InputError) as refused:
        diary.meetings.set_status(november, Status.DELEGATED)
    assert "2026-11-10" in str(refused.value) and "\n" not in str(refused.value)
    with pytest.raises(InputError):
        diary.meetings.move(november, datetime(2026, 11, 12, 9, 0, tzinfo=LONDON))
    assert diary.meetings.agenda(date(2026, 11, 1), date(2026, 11, 30), slugs=[BOARD])[0].start.day == 17
    assert len(diary.meetings.agenda(date(2026, 11, 1), date(2026, 11, 30), slugs=[BOARD])) == 1  # no phantom


def test_a_meeting_still_in_the_schedule_takes_a_status(diary: Diary) -> None:
    diary.commitments.schedule(BOARD, "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2", datetime(2026, 1, 13, 18, 30))
    [october] = diary.meetings.agenda(date(2026, 10, 13), date(2026, 10, 13), slugs=[BOARD])
    diary.commitments.schedule(
        BOARD,
        "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=3",
        datetime(2026, 11, 17, 18, 30),
        effective_from=date(2026, 11, 1),
    )
    assert diary.meetings.set_status(october, Status.ATTENDED).status == Status.ATTENDED
