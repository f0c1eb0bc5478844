"""A meeting's day and time as listings write them: the same text strftime writes, told apart where the
clocks show a time twice."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from los_tui.domain.day_text import day_text, told_apart, when_text

LONDON = ZoneInfo("Europe/London")


def test_every_day_of_forty_years_reads_as_strftime_writes_it() -> None:
    first = date(2000, 1, 1)
    for offset in range(366 * 40):  # every weekday, day of the month, month and leap day
        day = first + timedelta(days=offset)
        assert day_text(day) == f"{day:%a %d %b %Y}"


def test_the_hour_the_clocks_go_back_is_told_apart_by_its_zone() -> None:
    first = datetime(2026, 10, 25, 0, 15, tzinfo=UTC).astimezone(LONDON)
    second = datetime(2026, 10, 25, 1, 15, tzinfo=UTC).astimezone(LONDON)
    day_before = datetime(2026, 10, 24, 0, 15, tzinfo=UTC).astimezone(LONDON)
    assert [told_apart(first), told_apart(second), told_apart(day_before)] == [
        "01:15 BST",
        "01:15 GMT",
        "01:15",
    ]


def test_a_meetings_day_and_time_read_as_its_day_and_its_time_told_apart_around_both_clock_changes() -> None:
    starts = [datetime(2026, 3, 27, tzinfo=UTC), datetime(2026, 10, 23, tzinfo=UTC)]
    for start in starts:
        for quarter_hour in range(4 * 24 * 5):  # five days around the change, by the quarter hour
            moment = (start + timedelta(minutes=15 * quarter_hour)).astimezone(LONDON)
            assert when_text(moment) == f"{day_text(moment.date())} {told_apart(moment)}"


def test_the_night_the_clocks_go_back_reads_its_repeated_hour_twice_and_the_next_night_once() -> None:
    moments = [
        datetime(2026, 10, 25, 0, 15, tzinfo=UTC),
        datetime(2026, 10, 25, 1, 15, tzinfo=UTC),
        datetime(2026, 10, 26, 1, 15, tzinfo=UTC),
        datetime(2026, 10, 24, 0, 15, tzinfo=UTC),
    ]
    assert [when_text(moment.astimezone(LONDON)) for moment in moments] == [
        "Sun 25 Oct 2026 01:15 BST",
        "Sun 25 Oct 2026 01:15 GMT",
        "Mon 26 Oct 2026 01:15",
        "Sat 24 Oct 2026 01:15",
    ]
