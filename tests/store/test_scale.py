"""What keeps a council's diary (200 commitments, twenty years, 50,000 logs) as quick as a new one: many
meetings logged in one statement, logs read by their time indexes, and the start-up check skipped when
the file is as it was last checked."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from diary_testing import NOW

from los_tui.domain.model import Status
from los_tui.domain.parsing import InputError
from los_tui.services.diary import Diary


def test_many_meetings_are_logged_together_each_with_its_own_status_and_note(diary: Diary) -> None:
    diary.commitments.schedule(
        "lmcs-improvement-board",
        "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2",
        NOW.replace(tzinfo=None, month=1, day=13),
    )
    before = diary.commitments.get("lmcs-improvement-board").schedules[0].sequence
    meetings = diary.meetings.agenda(date(2026, 1, 1), date(2026, 6, 30), slugs=["lmcs-improvement-board"])
    assert len(meetings) == 6
    wanted = [
        replace(meeting, status=[Status.ATTENDED, Status.APOLOGIES][n % 2], note=f"note {n}")
        for n, meeting in enumerate(meetings)
    ]
    logged = diary.meetings.log_many(wanted)
    assert all(meeting.log_id is not None for meeting in logged)
    again = diary.meetings.agenda(date(2026, 1, 1), date(2026, 6, 30), slugs=["lmcs-improvement-board"])
    assert [(m.start, m.status, m.note) for m in again] == [(m.start, m.status, m.note) for m in wanted]
    # One series touched: its SEQUENCE rises once, so calendars update, not six times.
    assert diary.commitments.get("lmcs-improvement-board").schedules[0].sequence == before + 1
    # Logging them again is refused before anything is written.
    try:
        diary.meetings.log_many(logged)
    except InputError as exc:
        assert "never logged" in str(exc)
    else:
        raise AssertionError("a logged meeting was logged again")
