"""Reading what a user typed: one-line fields refuse what would break a listing, numbers are ASCII digits,
dates say what shape they want, roles take "both", and a line break is never trimmed away."""

from __future__ import annotations

import pytest

from los_tui.domain.model import Role
from los_tui.domain.parsing import (
    InputError,
    check_line,
    check_text,
    parse_date,
    parse_positive_int,
    parse_roles,
    parse_target,
    parse_whole_number,
)

ONE_LINE_BREAKERS = [
    "a\nb",
    "a\rb",
    "a\tb",
    "a\u202eb",
    "a\u2066b",
    "a\u2028b",
    "a\x85b",
    "a\x1b[2Jb",
    "a\udcffb",
]


@pytest.mark.parametrize("value", ONE_LINE_BREAKERS)
@pytest.mark.parametrize("field", ["title", "location", "with", "owner"])
def test_a_one_line_field_refuses_breaks_controls_and_direction_overrides(field: str, value: str) -> None:
    with pytest.raises(InputError) as raised:
        check_line(field, value)
    assert raised.value.field == field


def test_a_note_keeps_its_lines_and_tabs_and_right_to_left_marks() -> None:
    note = "Asked about placements\n\tand \u200fhere"
    assert check_text("note", note, private=True) == note


def test_text_that_is_not_utf8_is_refused_even_in_a_note_and_never_quoted() -> None:
    with pytest.raises(InputError) as raised:
        check_text("note", "case \udcff details", private=True)
    assert "details" not in str(raised.value) and "UTF-8" in str(raised.value)


@pytest.mark.parametrize(
    "value", ["\u00b2", "\u0663", "\uff13", "1_0", " 1 0 ", "+3", "-1", "3\n", "", "1" * 13]
)
def test_a_whole_number_is_ascii_digits_only(value: str) -> None:
    for parse in (
        lambda v: parse_whole_number("n", v),
        lambda v: parse_target("n", v),
        lambda v: parse_positive_int("n", v, 100),
    ):
        with pytest.raises(InputError):
            parse(value)


def test_spaces_around_a_number_or_date_are_forgiven() -> None:
    assert parse_whole_number("n", " 42 ") == 42
    assert parse_date("on", " 2026-11-10 ").isoformat() == "2026-11-10"


@pytest.mark.parametrize(
    "value", ["10/11/2026", "2026-1-1", "20261110", "2026-W46-2", "\uff12\uff10\uff12\uff16-11-10"]
)
def test_a_date_in_another_shape_says_the_shape_wanted(value: str) -> None:
    with pytest.raises(InputError) as raised:
        parse_date("on", value)
    assert "a date like 2026-11-10" in raised.value.reason


def test_both_roles_are_every_role_and_an_empty_role_is_refused() -> None:
    assert parse_roles("role", "both") == [Role.LMCS, Role.DCS]
    assert parse_roles("role", " DCS ") == [Role.DCS]
    for value in ("", " ", "lmcs,dcs", "lmcs\n"):
        with pytest.raises(InputError):
            parse_roles("role", value)
