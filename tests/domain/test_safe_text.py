"""Text shown in the terminal is shown literally: escape sequences, control characters and bidi overrides
in a note or an imported event never act on the terminal or reorder what is read."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from los_tui.domain.safe_text import BIDI_CONTROLS, is_inert, neutralise

ESC = "\x1b"


@pytest.mark.parametrize(
    ("hostile", "shown"),
    [
        (f"{ESC}[31mRed alert{ESC}[0m", "Red alert"),
        (f"{ESC}]8;;https://evil.example/{ESC}\\Ofsted report{ESC}]8;;{ESC}\\", "Ofsted report"),
        (f"{ESC}]0;pwned\x07Board minutes", "Board minutes"),
        (f"Before{ESC}[2J{ESC}[HAfter", "BeforeAfter"),  # clear screen, cursor home
        (f"{ESC}P+q544e{ESC}\\tail", "tail"),  # DCS query
        ("\x9b31mC1 CSI\x9b0m", "C1 CSI"),
        (f"{ESC}cReset", "Reset"),
        ("Ring\x07 the bell", "Ring\u2407 the bell"),
        ("Over\rwrite", "Over\nwrite"),
        ("Windows\r\nline", "Windows\nline"),
        ("Null\x00byte and DEL\x7f", "Null\u2400byte and DEL\u2421"),
        ("C1 \x85next line and \x9a", "C1 \nnext line and \ufffd"),
        ("access\u202e\u2066 level = 'user'\u2069\u2066", "access level = 'user'"),
        (f"Unfinished {ESC}]8;;https://x", "Unfinished \u241b]8;;https://x"),
        ("lone surrogate \ud800 here", "lone surrogate \ufffd here"),
        ("[@click=app.quit]Click me[/]", "[@click=app.quit]Click me[/]"),  # markup is the screen's job
        (
            "Ofsted — ‘María’ 子ども مرحبا \u200f 😀👍🏽 e\u0301",
            "Ofsted — ‘María’ 子ども مرحبا \u200f 😀👍🏽 e\u0301",
        ),
    ],
)
def test_hostile_text_is_shown_literally_and_inert(hostile: str, shown: str) -> None:
    assert neutralise(hostile) == shown


def test_one_line_cells_get_spaces_for_breaks_and_tabs() -> None:
    assert neutralise("Agenda:\n\titem\r\n2", keep_newlines=False) == "Agenda:  item 2"


def _unsafe(char: str) -> bool:
    return (
        (unicodedata.category(char) in ("Cc", "Cs") and char not in "\n\t")
        or char in BIDI_CONTROLS
        or char in "\u2028\u2029"
    )


ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=200)
HOSTILE_PIECES = st.sampled_from(
    [
        ESC,
        "[",
        "]",
        "\x07",
        "\\",
        "\x9b",
        "\x9c",
        "\x90",
        ";",
        "8",
        "m",
        "0",
        "P",
        "\r",
        "\n",
        "\u202e",
        "\x00",
    ]
)
HOSTILE_TEXT = st.lists(st.one_of(HOSTILE_PIECES, st.text(max_size=3)), max_size=60).map("".join)


@settings(max_examples=1500)
@given(st.one_of(ANY_TEXT, HOSTILE_TEXT))
@example(f"{ESC}{ESC}[m")
@example(f"{ESC}]{ESC}\\")
def test_nothing_unsafe_survives_and_a_second_pass_changes_nothing(text: str) -> None:
    once = neutralise(text)
    assert not any(_unsafe(char) for char in once)
    assert neutralise(once) == once and is_inert(once)
    line = neutralise(text, keep_newlines=False)
    assert "\n" not in line and "\t" not in line and neutralise(line, keep_newlines=False) == line


PRINTABLE = st.text(
    st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp"), exclude_characters=BIDI_CONTROLS),
    max_size=200,
)


@settings(max_examples=1000)
@given(PRINTABLE)
def test_ordinary_text_in_any_script_comes_back_unchanged(text: str) -> None:
    assert neutralise(text) == text


@settings(max_examples=500)
@given(PRINTABLE, PRINTABLE)
def test_an_escape_sequence_between_words_is_removed_and_the_words_kept(before: str, after: str) -> None:
    assert neutralise(f"{before}{ESC}[1;31m{after}") == before + after
