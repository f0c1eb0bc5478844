"""An option that takes one value, given twice, is refused naming it and both values: never the last one
kept in silence (a tester's `--on 2026-11-10 --on 2026-10-13` logged 13 Oct). Options meant to repeat
(`export ics --commitment`) still add up."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from diary_testing import Result, diary_digest

from los_tui.cli import main

BOARD = "lmcs-improvement-board"
SCHEDULE = ["schedule", BOARD, "--rrule", "FREQ=MONTHLY;BYDAY=2TU", "--start", "2026-01-13T18:30"]


@pytest.fixture
def board(seeded: Callable[..., Result]) -> Callable[..., Result]:
    assert seeded(*SCHEDULE).code == 0
    return seeded


def refused_in_one_line(result: Result) -> str:
    assert result.code == 2 and result.out == "" and result.err.count("\n") == 1, result
    return result.err


def test_logging_a_meeting_with_two_dates_statuses_and_notes_is_refused_and_logs_nothing(
    board: Callable[..., Result], db_path: Path
) -> None:
    before = diary_digest(db_path)
    twice = ["--on", "2026-11-10", "--on", "2026-10-13", "--status", "attended", "--status", "missed"]
    err = refused_in_one_line(board("log", BOARD, *twice, "--note", "first", "--note", "second"))
    assert err == "los: error: --on given twice ('2026-11-10', '2026-10-13'): give it once\n"
    assert diary_digest(db_path) == before


@pytest.mark.parametrize(
    ("spelled", "named"),
    [
        (["--status", "attended", "--status=missed"], "--status given twice ('attended', 'missed')"),
        (["--status", "attended", "--stat", "missed"], "--status given twice ('attended', 'missed')"),
        (
            ["--status", "missed", "--note", "a", "--no", "b", "--note=c"],
            "--note given 3 times ('<1 characters>', '<1 characters>', '<1 characters>'):",
        ),
        (["--status", "missed", "--extra", "--extra"], "--extra given twice: give it once"),
    ],
)
def test_the_equals_form_and_abbreviations_are_the_same_option_given_again(
    board: Callable[..., Result], db_path: Path, spelled: list[str], named: str
) -> None:
    before = diary_digest(db_path)
    err = refused_in_one_line(board("log", BOARD, "--on", "2026-11-10", *spelled))
    assert err.startswith(f"los: error: {named}"), err
    assert diary_digest(db_path) == before


def test_reviewing_two_quarters_at_once_is_refused_not_the_last_reviewed(
    board: Callable[..., Result],
) -> None:
    err = refused_in_one_line(board("review", "--quarter", "2026-Q3", "--quarter", "2026-Q4"))
    assert err == "los: error: --quarter given twice ('2026-Q3', '2026-Q4'): give it once\n"


def test_a_global_option_given_twice_is_refused_before_any_diary_is_opened(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = tmp_path / "one.sqlite3", tmp_path / "two.sqlite3"
    for command in (["init"], []):  # a command, and the app (which the refusal never reaches)
        code = main(["--db", str(first), "--db", str(second), *command], open_screen=lambda _: 0)
        err = capsys.readouterr().err
        assert code == 2, err
        assert err == f"los: error: --db given twice ({str(first)!r}, {str(second)!r}): give it once\n"
    assert not first.exists() and not second.exists()


def test_an_option_meant_to_repeat_still_adds_up(board: Callable[..., Result]) -> None:
    other = "lmcs-performance-data"
    assert board("schedule", other, "--rrule", "FREQ=MONTHLY", "--start", "2026-01-05T10:00").code == 0
    exported = board("export", "ics", "--commitment", BOARD, "--commitment", other)
    assert exported.code == 0, exported.err
    assert "Improvement Board" in exported.out and "Performance data discussion" in exported.out
