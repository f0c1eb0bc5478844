"""A refusal names the option as the command given spells it: `--text` in `los action add`, `TEXT` in
`los search`, `FILE` in `los import ics` whichever check refused it. Before, one table for every command
said an action's text as "action", its owner as "owner", and a byte that is not UTF-8 in --text as TEXT."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from diary_testing import Result

BOARD = "lmcs-improvement-board"
NOT_UTF8 = "\udce9"  # what the byte 0xE9 in argv becomes (surrogateescape)


@pytest.fixture
def logged(seeded: Callable[..., Result]) -> Callable[..., Result]:
    schedule = ["schedule", BOARD, "--rrule", "FREQ=MONTHLY;BYDAY=2TU", "--start", "2026-01-13T18:30"]
    assert seeded(*schedule).code == 0
    assert seeded("log", BOARD, "--on", "2026-11-10", "--status", "attended").code == 0
    return seeded


def refusal(result: Result) -> str:
    assert result.code == 2 and result.out == "" and result.err.count("\n") == 1, result
    return result.err.removeprefix("los: error: ")


@pytest.mark.parametrize(
    ("option", "value", "said"),
    [
        ("--text", "", "--text '<0 characters>': must not be empty"),
        ("--owner", "A\tB", "--owner 'A\\tB': must be one line"),
        ("--text", f"x {NOT_UTF8}", "--text '<3 characters>': is not valid UTF-8 text"),
    ],
)
def test_adding_or_changing_an_action_is_refused_naming_the_option_typed(
    logged: Callable[..., Result], option: str, value: str, said: str
) -> None:
    add = ["action", "add", BOARD, "--on", "2026-11-10"]
    text = [] if option == "--text" else ["--text", "Follow up"]
    assert refusal(logged(*add, *text, option, value)).startswith(said)
    assert logged(*add, "--text", "Follow up").code == 0
    assert refusal(logged("action", "edit", "1", option, value)).startswith(said)


def test_the_search_words_are_still_named_as_the_search_command_spells_them(
    logged: Callable[..., Result],
) -> None:
    assert refusal(logged("search", f"board {NOT_UTF8}")).startswith("TEXT '<7 characters>': is not valid")


def test_an_import_names_its_file_the_same_way_whichever_check_refuses_it(
    seeded: Callable[..., Result], tmp_path: Path
) -> None:
    missing = tmp_path / "nonexist.ics"
    assert refusal(seeded("import", "ics", str(missing))).startswith(f"FILE {str(missing)!r}: cannot be read")
    assert refusal(seeded("import", "ics", "")).startswith("FILE '': must not be empty")


def test_an_option_is_named_as_typed_its_short_form_or_its_long(
    logged: Callable[..., Result],
) -> None:
    for spelled in ("-o", "--output"):
        said = refusal(logged("review", spelled, "report.pdf"))
        assert said.startswith(f"{spelled} 'report.pdf': end the name in"), said


def test_a_note_that_is_not_utf8_is_refused_without_quoting_it(logged: Callable[..., Result]) -> None:
    said = refusal(
        logged("log", BOARD, "--on", "2026-11-10", "--status", "attended", "--note", f"K. {NOT_UTF8}")
    )
    assert said == "--note '<4 characters>': is not valid UTF-8 text\n"
