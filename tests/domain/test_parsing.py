"""Reading what a user typed: one-line fields refuse what would break a listing, numbers are ASCII digits,
dates say what shape they want, roles take "both", a line break is never trimmed away, and a time the
clocks skip or show twice is refused rather than guessed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from los_tui.domain.model import Role
from los_tui.domain.parsing import (
    InputError,
    RepeatedTime,
    check_line,
    check_text,
    localize,
    parse_date,
    parse_positive_int,
    parse_roles,
    parse_target,
    parse_when,
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


# -- the nights the clocks change in London: 25 October 2026 shows 01:00-01:59 twice, 29 March skips them --
@pytest.mark.parametrize(("typed", "sep"), [("2026-10-25T01:30", "T"), ("2026-10-25 01:30", " ")])
def test_a_time_the_clocks_show_twice_is_refused_saying_how_to_give_each(typed: str, sep: str) -> None:
    with pytest.raises(RepeatedTime) as raised:
        parse_when("on", typed, "Europe/London")
    assert (raised.value.field, raised.value.value) == ("on", typed)
    assert raised.value.reason == (
        "01:30 happens twice in Europe/London that night (the clocks go back): "
        f"give 2026-10-25{sep}01:30+01:00 for the first (BST) "
        f"or 2026-10-25{sep}01:30+00:00 for the second (GMT)"
    )
    first, second = raised.value.first, raised.value.second
    assert (first.astimezone(UTC), second.astimezone(UTC)) == (
        datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
        datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
    )


@pytest.mark.parametrize("typed", ["2026-10-25T01:00", "2026-10-25T01:59"])
def test_every_minute_of_the_repeated_hour_is_refused(typed: str) -> None:
    with pytest.raises(RepeatedTime):
        parse_when("on", typed, "Europe/London")


@pytest.mark.parametrize(
    ("typed", "utc"),
    [
        ("2026-10-25T00:59", datetime(2026, 10, 24, 23, 59, tzinfo=UTC)),  # before the hour: BST alone
        ("2026-10-25T02:00", datetime(2026, 10, 25, 2, 0, tzinfo=UTC)),  # after it: GMT alone
        ("2026-10-25T01:30+01:00", datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),  # the offset says which
        ("2026-10-25T01:30+00:00", datetime(2026, 10, 25, 1, 30, tzinfo=UTC)),
        ("2026-10-18T01:30", datetime(2026, 10, 18, 0, 30, tzinfo=UTC)),  # a week before: once
    ],
)
def test_a_time_the_clocks_show_once_is_taken_as_typed(typed: str, utc: datetime) -> None:
    moment, has_time = parse_when("on", typed, "Europe/London")
    assert has_time
    assert moment.astimezone(UTC) == utc


def test_a_time_the_clocks_skip_is_still_refused() -> None:
    with pytest.raises(InputError, match="does not exist in Europe/London") as raised:
        parse_when("on", "2026-03-29T01:30", "Europe/London")
    assert not isinstance(raised.value, RepeatedTime)


def test_a_wall_time_typed_for_a_meeting_is_localized_only_when_it_is_one_moment() -> None:
    with pytest.raises(RepeatedTime, match="happens twice"):
        localize("start", datetime(2026, 10, 25, 1, 15), "Europe/London")
    with pytest.raises(InputError, match="go forward"):
        localize("start", datetime(2026, 3, 29, 1, 15), "Europe/London")
