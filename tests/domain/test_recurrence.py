"""Recurrence in the domain: checking rules, describing them, expanding them across clock changes."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from hypothesis import given, settings
from hypothesis import strategies as st

from los_tui.domain import recurrence
from los_tui.domain.model import Commitment, Frequency, Role, Schedule
from los_tui.domain.parsing import InputError
from los_tui.domain.recurrence import (
    MAX_OCCURRENCES_PER_WINDOW,
    KeptYear,
    TooManyMeetings,
    commitment_starts,
    describe,
    expand,
    expansions_learned,
    forget_expansions,
    known_expansions,
    next_starts,
    normalize_rrule,
    outlook_problem,
    recall_expansions,
    unusable_schedules,
    window_for_days,
)

LONDON = ZoneInfo("Europe/London")
UTC = ZoneInfo("UTC")


def board(
    rule: str = "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2",
    start: datetime = datetime(2026, 1, 13, 18, 30),
    **kw: object,
) -> Schedule:
    return Schedule(rrule=rule, start=start, duration_minutes=120, location="Town Hall", **kw)  # type: ignore[arg-type]


def test_second_tuesday_board_keeps_its_local_time_across_both_clock_changes() -> None:
    starts = expand(board(), *window_for_days(date(2026, 1, 1), date(2026, 12, 31), "Europe/London"))
    assert [s.date() for s in starts] == [
        date(2026, m, d)
        for m, d in [
            (1, 13),
            (2, 10),
            (3, 10),
            (4, 14),
            (5, 12),
            (6, 9),
            (7, 14),
            (8, 11),
            (9, 8),
            (10, 13),
            (11, 10),
            (12, 8),
        ]
    ]
    assert {s.astimezone(LONDON).strftime("%H:%M") for s in starts} == {"18:30"}
    # GMT in winter, BST in summer: the same wall time is a different UTC instant.
    assert starts[2].astimezone(UTC).hour == 18  # 10 March, before the March change
    assert starts[3].astimezone(UTC).hour == 17  # 14 April, after it
    assert starts[10].astimezone(UTC).hour == 18  # 10 November, after the October change


def test_a_meeting_on_the_day_the_clocks_go_back_is_at_its_wall_time() -> None:
    sunday = Schedule(rrule="FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", start=datetime(2026, 10, 25, 9, 0))
    (start,) = expand(sunday, *window_for_days(date(2026, 10, 1), date(2026, 10, 31), "Europe/London"))
    assert start.astimezone(LONDON).hour == 9
    assert start.astimezone(UTC).hour == 9  # GMT again by 09:00


def test_expansion_only_yields_the_window() -> None:
    starts = expand(board(), *window_for_days(date(2026, 4, 1), date(2026, 4, 30), "Europe/London"))
    assert [s.date() for s in starts] == [date(2026, 4, 14)]


def test_a_rule_that_never_ends_over_a_huge_window_is_refused_not_cut_short_in_silence() -> None:
    daily = Schedule(rrule="FREQ=DAILY", start=datetime(2000, 1, 1, 9, 0))
    with pytest.raises(TooManyMeetings, match="more than 10,000 meetings"):
        expand(daily, *window_for_days(date(2000, 1, 1), date(2199, 1, 1), "Europe/London"))
    # Up to the bound, every meeting comes back.
    last = date(2000, 1, 1) + timedelta(days=MAX_OCCURRENCES_PER_WINDOW - 1)
    starts = expand(daily, *window_for_days(date(2000, 1, 1), last, "Europe/London"))
    assert len(starts) == MAX_OCCURRENCES_PER_WINDOW


def test_a_bare_until_date_means_the_end_of_that_day_in_london_and_is_stored_in_utc() -> None:
    rule = normalize_rrule(
        "FREQ=MONTHLY;BYMONTHDAY=15;UNTIL=20260715", datetime(2026, 1, 15, 10), "Europe/London"
    )
    assert rule == "FREQ=MONTHLY;BYMONTHDAY=15;UNTIL=20260715T225959Z"
    starts = expand(
        Schedule(rrule=rule, start=datetime(2026, 1, 15, 10)),
        *window_for_days(date(2026, 1, 1), date(2026, 12, 31), "Europe/London"),
    )
    assert starts[-1].date() == date(2026, 7, 15)


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("FREQ=MONTHLY;INTERVAL=0", "INTERVAL"),
        ("FREQ=MONTHLY;COUNT=3;UNTIL=20270101", "COUNT and UNTIL"),
        ("FREQ=HOURLY", "FREQ=HOURLY"),
        ("BYDAY=MO", "needs FREQ"),
        ("FREQ=MONTHLY;BYDAY=XX", "not a weekday"),
        ("FREQ=MONTHLY;UNTIL=2027-01-01", "UNTIL"),
        ("FREQ=MONTHLY;BYMONTHDAY=31;BYMONTH=2", "no dates"),
        ("nonsense", "NAME=VALUE"),
    ],
)
def test_bad_rules_are_refused_naming_the_field_and_value(rule: str, words: str) -> None:
    with pytest.raises(InputError) as caught:
        normalize_rrule(rule, datetime(2026, 1, 1, 10), "Europe/London")
    assert caught.value.field == "rrule"
    assert rule in str(caught.value)
    assert words in str(caught.value)


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        ("FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2", "second Tuesday of every month, 18:30-20:30, Town Hall"),
        ("FREQ=MONTHLY;BYDAY=-1FR;INTERVAL=3", "last Friday of every 3 months, 18:30-20:30, Town Hall"),
        ("FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=5", "day 5 of every other month, 18:30-20:30, Town Hall"),
        ("FREQ=YEARLY;BYMONTH=6;BYDAY=1WE", "first Wednesday of June, every year, 18:30-20:30, Town Hall"),
        ("FREQ=WEEKLY;BYDAY=MO", "every week on Monday, 18:30-20:30, Town Hall"),
    ],
)
def test_schedules_are_described_in_plain_english(rule: str, text: str) -> None:
    assert describe(board(rule)) == text


@pytest.mark.parametrize(
    ("rule", "ok"),
    [
        ("FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2", True),
        ("FREQ=MONTHLY;BYDAY=-1FR", True),
        ("FREQ=MONTHLY;BYDAY=5TU", False),
        ("FREQ=MONTHLY;BYDAY=1TU,3TU", False),
        ("FREQ=MONTHLY;BYMONTHDAY=1,15", False),
        ("FREQ=YEARLY;BYMONTH=6", True),
    ],
)
def test_outlook_compatibility_is_judged_by_the_patterns_outlook_maps(rule: str, ok: bool) -> None:
    assert (outlook_problem(rule) is None) == ok


def test_a_new_schedule_version_never_changes_what_came_before_it() -> None:
    old = board(effective_from=date(2026, 1, 13))
    new = board(
        "FREQ=MONTHLY;BYDAY=TH;BYSETPOS=1", datetime(2026, 7, 2, 10, 0), effective_from=date(2026, 7, 1)
    )
    before = Commitment("b", "Board", Role.LMCS, Frequency.MONTHLY, schedules=(old,))
    after = Commitment("b", "Board", Role.LMCS, Frequency.MONTHLY, schedules=(old, new))
    first_half = window_for_days(date(2026, 1, 1), date(2026, 6, 30), "Europe/London")
    assert commitment_starts(before, *first_half) == commitment_starts(after, *first_half)
    second_half = window_for_days(date(2026, 7, 1), date(2026, 12, 31), "Europe/London")
    assert [s.date().day for _, s in commitment_starts(after, *second_half)] == [2, 6, 3, 1, 5, 3]


def test_nothing_is_expected_of_a_retired_commitment_from_its_retirement() -> None:
    retired = Commitment(
        "b", "Board", Role.LMCS, Frequency.MONTHLY, retired_on=date(2026, 6, 1), schedules=(board(),)
    )
    starts = commitment_starts(
        retired, *window_for_days(date(2026, 1, 1), date(2026, 12, 31), "Europe/London")
    )
    assert max(s for _, s in starts).date() == date(2026, 5, 12)


def test_next_starts_previews_the_next_dates() -> None:
    after = datetime(2026, 11, 26, tzinfo=LONDON)
    assert [s.date() for s in next_starts(board(), after, 3)] == [
        date(2026, 12, 8),
        date(2027, 1, 12),
        date(2027, 2, 9),
    ]


RULES = st.sampled_from(
    [
        "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2",
        "FREQ=MONTHLY;BYDAY=-1FR;INTERVAL=3",
        "FREQ=MONTHLY;INTERVAL=2",
        "FREQ=YEARLY",
        "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
        "FREQ=WEEKLY;INTERVAL=2",
        "FREQ=DAILY;INTERVAL=5",
        "FREQ=MONTHLY;BYMONTHDAY=31",
        "FREQ=MONTHLY;INTERVAL=6;BYDAY=1WE",
        "FREQ=WEEKLY;BYDAY=MO,TH",
    ]
)


@settings(max_examples=150, deadline=None)
@given(
    rule=RULES,
    start=st.datetimes(min_value=datetime(2005, 1, 1), max_value=datetime(2030, 1, 1)).map(
        lambda d: d.replace(second=0, microsecond=0)
    ),
    window_offset=st.integers(min_value=-400, max_value=8000),
    window_days=st.integers(min_value=1, max_value=400),
)
def test_expansion_matches_a_plain_dateutil_walk_from_the_first_start(
    rule: str, start: datetime, window_offset: int, window_days: int
) -> None:
    """The fast-forward that keeps old series cheap must never change which dates come out."""
    schedule = Schedule(rrule=rule, start=start)
    first = start.date() + timedelta(days=window_offset)
    window = window_for_days(first, first + timedelta(days=window_days), "Europe/London")
    reference = [
        m
        for m in rrulestr(f"RRULE:{rule}", dtstart=start.replace(tzinfo=LONDON)).between(
            window[0], window[1], inc=True
        )
        if m < window[1]
    ]
    assert expand(schedule, *window) == reference
    # Kept as plain data for the next run and taken back there, the same dates come out.
    kept = json.loads(json.dumps(known_expansions()))
    forget_expansions()
    recall_expansions(kept)
    assert expand(schedule, *window) == reference


def test_kept_expansions_not_of_their_shape_are_ignored_and_the_rest_taken_back() -> None:
    forget_expansions()
    window = window_for_days(date(2026, 1, 1), date(2026, 12, 31), "Europe/London")
    expected = expand(board(), *window)
    kept = json.loads(json.dumps(known_expansions()))
    [[year, [good]]] = kept["years"]
    odd: list[object] = [
        7,
        "abcde",
        [1, 2, 3, 4, 5],
        [good[0], [], good[2], good[3], good[4]],
        [good[0], "not a time", good[2], good[3], good[4]],
        [good[0], good[1], good[2], "2026-13-01", good[4]],
        [good[0], good[1], good[2], good[3], 7],
        [good[0], good[1], good[2], good[3], ["2026-01-13T18:00:00"]],
        {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5},
    ]
    odd_years: list[object] = [7, [2025], ["2026", [good]], [2027, "years"], [2028, 5], [year, [*odd, good]]]
    forget_expansions()
    recall_expansions({"years": odd_years, "problems": [None, [1, 2, 3, 4], ["r", "x", "tz", None]]})
    assert expand(board(), *window) == expected
    assert not expansions_learned()  # the good series was taken back, nothing walked
    for shapes in ({"years": 7, "problems": 7}, {"years": "years"}, [kept], None):
        forget_expansions()
        recall_expansions(shapes)
        assert expand(board(), *window) == expected  # walked again


def test_kept_years_are_read_when_first_asked_for_and_the_others_kept_again_as_they_were(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    forget_expansions()
    since_2024 = board(start=datetime(2024, 1, 9, 18, 30))
    windows = {
        year: window_for_days(date(year, 1, 1), date(year, 12, 31), "Europe/London") for year in (2025, 2026)
    }
    expected = {year: expand(since_2024, *window) for year, window in windows.items()}
    kept = dict(json.loads(json.dumps(known_expansions()))["years"])
    assert sorted(kept) == [2025, 2026]
    read: list[int] = []

    def reader(year: int) -> KeptYear:
        def read_it() -> object:
            read.append(year)
            return kept[year]

        return KeptYear(1, read_it, f"{year} as it was kept".encode())

    forget_expansions()
    recall_expansions({}, {2025: reader(2025), 2026: reader(2026)})
    assert read == []
    assert expand(since_2024, *windows[2026]) == expected[2026]
    assert read == [2026] and not expansions_learned()
    recurrence._read_year(2026)  # as a second worker thread that saw it unread a moment before: nothing
    assert read == [2026]
    known = known_expansions()
    assert [year for year, _ in known["years"]] == [2026] and known["unread"] == [b"2025 as it was kept"]
    # Past what is kept at most, what this run did not use is not kept again (it is still there for
    # this run, read when asked for).
    monkeypatch.setattr(recurrence, "_MOST_BLOCKS_KEPT", 1)
    assert known_expansions()["unread"] == []
    assert expand(since_2024, *windows[2025]) == expected[2025] and read == [2026, 2025]
    assert not expansions_learned()


def test_a_kept_year_given_after_starts_of_that_year_were_made_or_given_twice_is_kept_whole() -> None:
    """Two diaries opened in one run each give their kept years: a year is one line, so what both hold
    of it (and what the run made of it) is kept together, never one in place of the other."""
    forget_expansions()
    window = window_for_days(date(2026, 1, 1), date(2026, 12, 31), "Europe/London")
    monthly, weekly, daily = board(), board("FREQ=WEEKLY;BYDAY=TU"), board("FREQ=DAILY")
    for schedule in (monthly, weekly, daily):
        expand(schedule, *window)
    [[_, made]] = json.loads(json.dumps(known_expansions()))["years"]
    by_rule = {entry[0]: entry for entry in made}

    def given(entry: list[object]) -> KeptYear:
        return KeptYear(1, lambda: [entry], b"2026 1 []")

    forget_expansions()
    expand(monthly, *window)  # made before the kept years are given
    recall_expansions({}, {2026: given(by_rule[weekly.rrule])})
    recall_expansions({}, {2026: given(by_rule[daily.rrule])})
    known = json.loads(json.dumps(known_expansions()))
    assert known["unread"] == []
    [[year, series]] = known["years"]
    assert year == 2026 and sorted(series) == sorted(made)  # each series' starts, as made


def test_expansions_are_remembered_but_each_caller_gets_its_own_list() -> None:
    window = window_for_days(date(2026, 1, 1), date(2026, 12, 31), "Europe/London")
    first = expand(board(), *window)
    first.clear()  # a caller trimming its own list must not trim the next caller's
    again = expand(board(), *window)
    assert len(again) == 12
    # Another version of the series (here a new time) is expanded afresh, never served the old starts.
    moved = expand(board(start=datetime(2026, 1, 13, 9, 0)), *window)
    assert {s.hour for s in moved} == {9} and {s.hour for s in again} == {18}


def test_a_rule_stored_outside_los_that_will_not_expand_is_skipped_and_named_with_its_commitment() -> None:
    broken = Commitment(
        "lmcs-board", "Board", Role.LMCS, Frequency.MONTHLY, schedules=(board("FREQ=FORTNIGHTLY"),)
    )
    window = window_for_days(date(2026, 1, 1), date(2026, 1, 31), "Europe/London")
    assert commitment_starts(broken, *window) == []
    [unusable] = unusable_schedules([broken])
    assert str(unusable).startswith(
        "lmcs-board (Board): its stored rule 'FREQ=FORTNIGHTLY' is skipped: FREQ="
    )
    assert describe(broken.schedules[0]).startswith("not in use: its stored rule 'FREQ=FORTNIGHTLY'")
