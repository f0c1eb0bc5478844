"""One error family: every error a user can fix is a LosError naming a neutral field; the command line
says fields as its flags, the screens as their labels; no layer below them names a flag."""

from __future__ import annotations

import ast
from pathlib import Path

from los_tui.cli import build_parser
from los_tui.cli.context import UsageError
from los_tui.db.errors import StoreError
from los_tui.domain.errors import LosError
from los_tui.domain.parsing import InputError
from los_tui.screens.errors import in_words
from los_tui.services.diary import DiaryDamaged

ROOT = Path(__file__).resolve().parents[2]
BELOW_THE_EDGES = [ROOT / "los_tui" / "domain", ROOT / "los_tui" / "services", ROOT / "db", ROOT / "exports"]


def test_every_error_for_the_user_has_one_base() -> None:
    for kind in (InputError, StoreError, DiaryDamaged, UsageError):
        assert issubclass(kind, LosError), kind


def test_input_error_keeps_its_constructor_and_names_field_and_value() -> None:
    error = InputError("rrule", "FREQ=SOMETIMES", "needs FREQ")
    assert (error.field, error.value, error.reason) == ("rrule", "FREQ=SOMETIMES", "needs FREQ")
    assert str(error) == "rrule 'FREQ=SOMETIMES': needs FREQ"


def test_each_edge_says_the_field_in_its_own_words() -> None:
    parser = build_parser()
    parser.parse_args(["schedule", "lmcs-cicc", "--rrule", "FREQ=SOMETIMES", "--start", "2026-01-13T18:30"])
    flag_for = parser.field_names()  # the command line says a field as the command read spells it
    error = InputError("rrule", "FREQ=SOMETIMES", "needs FREQ")
    assert error.describe(flag_for) == "--rrule 'FREQ=SOMETIMES': needs FREQ"
    assert in_words(error) == "Rule 'FREQ=SOMETIMES': needs FREQ"
    stored = StoreError("no diary there yet", "diary", "/home/me/diary.sqlite3")
    assert stored.describe(flag_for) == "--db '/home/me/diary.sqlite3': no diary there yet"
    assert in_words(stored) == "Diary file '/home/me/diary.sqlite3': no diary there yet"
    assert in_words(InputError("output", "r.pdf", "end it in .md")) == "File 'r.pdf': end it in .md"


def test_the_screens_unwrap_a_field_still_written_as_a_flag() -> None:
    assert in_words(InputError("--rrule", "X", "bad")) == "Rule 'X': bad"


def test_an_error_on_screen_is_one_inert_line() -> None:
    assert (
        in_words(InputError("title", "a\x1b]0;pwned\x07b", "bad\nreason"))
        == "Title 'a\\x1b]0;pwned\\x07b': bad reason"
    )


def _flag_literals(path: Path) -> list[str]:
    """Flags in the text given to calls (messages), not in docstrings or comments."""
    found = []
    calls = [node for node in ast.walk(ast.parse(path.read_text())) if isinstance(node, ast.Call)]
    for node in (inner for call in calls for arg in call.args for inner in ast.walk(arg)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            for word in node.value.split():
                if word.startswith("--") and len(word) > 2 and word[2].isalpha():
                    found.append(f"{path.relative_to(ROOT)}: {word}")
    return found


def test_no_layer_below_the_edges_names_a_command_line_flag() -> None:
    """Messages from the domain, the store and the services reach the screens too: they name fields."""
    found = [
        hit
        for folder in BELOW_THE_EDGES
        for path in sorted(folder.rglob("*.py"))
        for hit in _flag_literals(path)
    ]
    assert found == []
