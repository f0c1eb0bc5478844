"""No note text in logs or error messages: what the councillor wrote about a child stays in the diary."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from diary_testing import NOW, Result
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from los_tui.db.engine import StoreError
from los_tui.domain.parsing import MAX_TEXT, InputError
from los_tui.services.diary import Diary

SECRET = "Child R. (DOB 2014) disclosed neglect at the visit"


def test_statements_logged_by_sqlalchemy_never_carry_the_note(
    diary: Diary, caplog: pytest.LogCaptureFixture
) -> None:
    occurrence = diary.meetings.log("lmcs-team-visits", NOW, True, None).occurrence
    with caplog.at_level(logging.DEBUG, logger="sqlalchemy.engine"):
        diary.store.engine.echo = True  # as someone debugging would turn it on
        diary.meetings.save_note(occurrence, SECRET)
    assert "UPDATE occurrence_logs" in caplog.text and SECRET not in caplog.text


def test_a_database_error_hides_the_statement_parameters(diary: Diary) -> None:
    with pytest.raises(IntegrityError) as failed, diary.store.engine.begin() as connection:
        connection.execute(
            text("INSERT INTO occurrence_logs (commitment_id, status, note) VALUES (1, 'bogus', :note)"),
            {"note": SECRET},
        )
    assert "parameters hidden" in str(failed.value)
    assert SECRET not in str(failed.value) and SECRET not in repr(failed.value)


@pytest.mark.parametrize(
    "note",
    [SECRET + "x" * (MAX_TEXT + 1 - len(SECRET)), SECRET + "\x1b[2J", SECRET + "\x00"],
    ids=["over-long", "escape sequence", "NUL"],
)
def test_a_refused_note_is_not_quoted_back(diary: Diary, note: str) -> None:
    occurrence = diary.meetings.log("lmcs-team-visits", NOW, True, None).occurrence
    with pytest.raises(InputError) as refused:
        diary.meetings.save_note(occurrence, note)
    assert "note" in str(refused.value) and f"<{len(note)} characters>" in str(refused.value)
    assert SECRET[:10] not in str(refused.value)


def test_a_note_that_cannot_be_saved_because_the_diary_is_busy_is_not_in_the_message(
    diary: Diary, db_path: Path
) -> None:
    occurrence = diary.meetings.log("lmcs-team-visits", NOW, True, None).occurrence
    blocker = sqlite3.connect(db_path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreError) as refused:
            diary.meetings.save_note(occurrence, SECRET)
    finally:
        blocker.rollback()
        blocker.close()
    assert SECRET not in str(refused.value)


def test_the_command_line_does_not_echo_a_refused_note(seeded: Callable[..., Result]) -> None:
    for note in (SECRET + "\x07", SECRET + "y" * MAX_TEXT):
        result = seeded(
            "log", "lmcs-team-visits", "--on", "2026-11-20", "--status", "attended", "--note", note
        )
        assert result.code == 2 and "--note" in result.err
        assert SECRET[:10] not in result.err + result.out


# A byte that is not UTF-8 (an é typed in a Latin-1 terminal) reaches Python as a lone surrogate.
NOT_UTF8_SECRET = SECRET + " \udce9"


@pytest.mark.parametrize(
    ("option", "command"),
    [
        ("--note", ["log", "lmcs-team-visits", "--on", "2026-11-20", "--status", "attended", "--note"]),
        (
            "--questions",
            ["log", "lmcs-team-visits", "--on", "2026-11-20", "--status", "attended", "--questions"],
        ),
        (
            "--difference",
            ["log", "lmcs-team-visits", "--on", "2026-11-20", "--status", "attended", "--difference"],
        ),
        ("--text", ["action", "add", "lmcs-team-visits", "--on", "2026-11-20", "--text"]),
        ("TEXT", ["search"]),
    ],
)
def test_text_that_is_not_utf8_is_refused_without_quoting_it(
    seeded: Callable[..., Result], option: str, command: list[str]
) -> None:
    result = seeded(*command, NOT_UTF8_SECRET)
    assert result.code == 2 and "is not valid UTF-8 text" in result.err
    assert f"<{len(NOT_UTF8_SECRET)} characters>" in result.err
    assert SECRET[:10] not in result.err + result.out
