"""A meeting's day and time as listings write them: the same text strftime writes, told apart where the
clocks show a time twice."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from los_tui.domain.day_text import day_text, told_apart

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
