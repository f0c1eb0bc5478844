"""What the actions and assurance screens ask of the services, on a real diary: the actions to chase
with the meeting each arose at, and the statement written to a file exactly as `los assurance` renders it."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from diary_testing import LONDON, NOW

from los_tui.domain.model import Role, Status
from los_tui.domain.parsing import InputError
from los_tui.domain.periods import council_year
from los_tui.exports.assurance import render_assurance
from los_tui.services.diary import Diary
from los_tui.services.files import write_assurance

BOARD = "lmcs-improvement-board"
OCTOBER_BOARD = datetime(2026, 10, 13, 18, 30, tzinfo=LONDON)


@pytest.fixture
def followed(diary: Diary) -> Diary:
    diary.commitments.schedule(BOARD, "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2", datetime(2026, 1, 13, 18, 30))
    october = diary.meetings.log(BOARD, OCTOBER_BOARD, True, Status.ATTENDED, note="Private").occurrence
    diary.meetings.move(october, OCTOBER_BOARD.replace(day=15))  # held two days late
    diary.actions.add(october, "Send the audit summary", "DCS", date(2026, 11, 1))
    _, done = diary.actions.add(october, "Circulate the minutes", "Clerk")
    diary.actions.update(done.id, done=True)
    return diary


def test_the_actions_to_chase_name_their_meeting_and_open_it_as_it_is_now(followed: Diary) -> None:
    [overdue] = followed.evidence.follow_up(NOW.date())
    assert overdue.overdue and overdue.title == "Children's Improvement Board"
    assert [f.raised.action.text for f in followed.evidence.follow_up(NOW.date(), include_done=True)] == [
        "Send the audit summary",
        "Circulate the minutes",
    ]
    meeting = followed.evidence.meeting_of(overdue.raised.action)
    assert meeting.start == OCTOBER_BOARD.replace(day=15) and meeting.original_start == OCTOBER_BOARD


@pytest.mark.parametrize(("name", "shape"), [("a.html", "html"), ("a.MD", "md"), ("a.json", "json")])
def test_the_statement_is_written_as_los_assurance_renders_it(
    followed: Diary, tmp_path: Path, name: str, shape: str
) -> None:
    statement = followed.evidence.assurance(council_year(NOW.date()), NOW, (Role.LMCS, Role.DCS))
    written = write_assurance(statement, tmp_path / name, followed.tz)
    text = written.read_text(encoding="utf-8")
    assert text == render_assurance(statement, shape, followed.tz) and "Private" not in text
    if shape == "json":
        assert json.loads(text)["actions"] == {"raised": 2, "done": 1, "open": 1, "overdue": 1}


def test_a_name_the_statement_cannot_take_is_refused_naming_the_field(
    followed: Diary, tmp_path: Path
) -> None:
    statement = followed.evidence.assurance(council_year(NOW.date()), NOW, (Role.LMCS,))
    with pytest.raises(InputError) as refused:
        write_assurance(statement, tmp_path / "statement.pdf", followed.tz)
    assert refused.value.field == "file name" and not (tmp_path / "statement.pdf").exists()
