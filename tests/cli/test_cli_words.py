"""The command line says what it does and what it expects: notes in the agenda when asked, unlogged
meetings called so, the review's format from its file name, plurals, --role both everywhere, and no
traceback for a broken settings file, a far-off clock or bytes that are not UTF-8."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from diary_testing import Result, run_los_process

from los_tui.cli import main

pytestmark = pytest.mark.both_backends  # a diary file, then a database on the server

BOARD = "lmcs-improvement-board"


@pytest.fixture
def board(seeded: Callable[..., Result]) -> Callable[..., Result]:
    """The board meets the second Tuesday of each month at 18:30; now is 26 Nov 2026."""
    rule = "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2"
    assert seeded("schedule", BOARD, "--rrule", rule, "--start", "2026-01-13T18:30").code == 0
    return seeded


def test_agenda_include_notes_prints_the_note_and_questions_under_the_meeting(
    board: Callable[..., Result],
) -> None:
    assert (
        board(
            "log", BOARD, "--on", "2026-11-10", "--status", "attended", "--note", "Asked about\nplacements"
        ).code
        == 0
    )
    shown = board("agenda", "--from", "2026-11-01", "--to", "2026-11-30", "--include-notes").out
    assert "    Note: Asked about\n      placements\n" in shown
    assert "placements" not in board("agenda", "--from", "2026-11-01", "--to", "2026-11-30").out


def test_agenda_calls_a_past_meeting_with_nothing_logged_unlogged_like_the_screen(
    board: Callable[..., Result],
) -> None:
    lines = board("agenda", "--from", "2026-10-01", "--to", "2026-12-31", "--role", "lmcs").out.splitlines()
    board_lines = {line[:15]: line for line in lines if BOARD in line}
    assert "unlogged" in board_lines["Tue 13 Oct 2026"]  # over, nothing logged
    assert "scheduled" in board_lines["Tue 08 Dec 2026"]  # still to come


@pytest.mark.parametrize(
    ("name", "first_line"), [("r.md", "# "), ("r.html", "<!DOCTYPE html>"), ("r.txt", "Line of sight review")]
)
def test_review_to_a_file_takes_its_format_from_the_extension(
    board: Callable[..., Result], tmp_path: Path, name: str, first_line: str
) -> None:
    result = board("review", "-o", str(tmp_path / name))
    assert result.code == 0, result.err
    assert (tmp_path / name).read_text().startswith(first_line)


def test_review_to_a_file_with_an_unknown_extension_is_refused_and_nothing_written(
    board: Callable[..., Result], tmp_path: Path
) -> None:
    result = board("review", "-o", str(tmp_path / "r.pdf"))
    assert result.code == 2 and "-o" in result.err and ".md" in result.err
    assert not (tmp_path / "r.pdf").exists()
    assert board("review", "-o", str(tmp_path / "r.pdf"), "--format", "html").code == 0


def test_a_date_in_another_shape_is_answered_with_the_shape_expected(board: Callable[..., Result]) -> None:
    result = board("log", BOARD, "--on", "10/11/2026", "--status", "attended")
    assert result.code == 2
    assert result.err == "los: error: --on '10/11/2026': is not a date like 2026-11-10 (year-month-day)\n"


def test_adding_a_second_commitment_with_a_taken_title_says_which_slug_it_got(
    seeded: Callable[..., Result],
) -> None:
    assert (
        seeded("add", "--title", "Visits", "--role", "lmcs", "--frequency", "ad_hoc").out
        == "Added lmcs-visits\n"
    )
    again = seeded("add", "--title", "Visits", "--role", "lmcs", "--frequency", "ad_hoc")
    assert again.code == 0
    assert again.out.startswith("Added lmcs-visits-2 (lmcs-visits was taken")


def test_one_commitment_left_out_is_one_commitment(seeded: Callable[..., Result]) -> None:
    for line in json.loads(seeded("commitments", "--role", "dcs", "--json").out)[1:]:
        assert (
            seeded("schedule", line["slug"], "--rrule", "FREQ=MONTHLY", "--start", "2026-01-13T10:00").code
            == 0
        )
    err = seeded("export", "ics", "--role", "dcs").err
    assert "Left out 1 commitment with no schedule yet" in err


@pytest.mark.parametrize(
    "args",
    [
        ["agenda"],
        ["commitments"],
        ["review"],
        ["export", "ics"],
        ["import", "ics", str(Path(__file__).parents[1] / "fixtures" / "outlook_quarter.ics")],
        ["init"],
    ],
)
def test_role_both_is_every_commitment_wherever_a_role_is_taken(
    board: Callable[..., Result], args: list[str]
) -> None:
    both = board(*args, "--role", "both")
    assert both.code == 0, both.err
    assert both.out == board(*args).out


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("not UTF-8", b'timezone = "\xff"\n'),
        ("nested 10,000 deep", b"a = " + b"[" * 10_000 + b"]" * 10_000 + b"\n"),
    ],
)
def test_a_broken_settings_file_is_one_line_on_every_command_even_plain_los(
    tmp_path: Path, name: str, content: bytes
) -> None:
    config = tmp_path / "config.toml"
    config.write_bytes(content)
    for args in (["--config", str(config)], ["--config", str(config), "agenda"]):
        done = run_los_process(*args)
        assert done.returncode == 2, done.stderr
        assert (
            len(done.stderr.splitlines()) == 1
            and "--config" in done.stderr
            and "Traceback" not in done.stderr
        )


def test_a_clock_pinned_past_the_years_the_diary_keeps_is_refused(
    seeded: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOS_NOW", "9999-12-31T23:59")
    result = seeded("agenda")
    assert result.code == 2 and result.err.startswith("los: error: LOS_NOW '9999-12-31T23:59'")


def test_bytes_that_are_not_utf8_in_an_argument_are_refused_in_a_real_process(tmp_path: Path) -> None:
    db = str(tmp_path / "d.sqlite3")
    assert run_los_process("--db", db, "init").returncode == 0
    done = run_los_process(
        "--db", db, "add", "--title", "Board \udcff", "--role", "lmcs", "--frequency", "monthly"
    )
    assert done.returncode == 2
    assert done.stderr.startswith("los: error: --title") and "UTF-8" in done.stderr


def test_a_rule_with_a_line_break_is_refused_in_one_line(board: Callable[..., Result]) -> None:
    result = board(
        "schedule", "lmcs-cicc", "--rrule", "FREQ=MONTHLY\nBYDAY=TU", "--start", "2026-01-13T10:00"
    )
    assert result.code == 2 and len(result.err.splitlines()) == 1 and "--rrule" in result.err


def test_the_command_line_shows_fields_by_their_flags(board: Callable[..., Result]) -> None:
    """Below the command line fields have neutral names; the command line says them as its options."""
    assert (
        "--rrule 'FREQ=SOMETIMES'"
        in board("schedule", "lmcs-cicc", "--rrule", "FREQ=SOMETIMES", "--start", "2026-01-13T10:00").err
    )
    assert (
        "--location"
        in board(
            "schedule",
            "lmcs-cicc",
            "--rrule",
            "FREQ=MONTHLY",
            "--start",
            "2026-01-13T10:00",
            "--location",
            "a\u202eb",
        ).err
    )
    assert main(["--db", "", "agenda"]) == 2


def test_a_file_that_is_not_a_calendar_is_named_without_quoting_its_lines(
    seeded: Callable[..., Result], tmp_path: Path
) -> None:
    exported = tmp_path / "outlook.csv"
    exported.write_text("Subject,Start Date,Start Time\nBoard,10/11/2026,18:30\n")
    result = seeded("import", "ics", str(exported))
    assert result.code == 2 and len(result.err.splitlines()) == 1
    assert "not an iCalendar file" in result.err and "Subject" not in result.err
