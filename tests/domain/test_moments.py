"""`clocks_change_on` (written for speed: a review's table asks it of every day it names) against the
plain reading of its rule, and across zones whose clocks change at one or two in the morning, at
midnight or by half an hour."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from los_tui.domain.moments import clocks_change_on

ZONES = ["Europe/London", "America/Santiago", "Asia/Beirut", "Australia/Lord_Howe", "UTC"]


def plainly(zone: ZoneInfo, day: date) -> bool:
    """The rule as written: the offset at midnight differs from the next midnight's, or from its own
    second reading (midnight repeated)."""
    midnight = datetime.combine(day, time(0), zone)
    after = datetime.combine(day + timedelta(days=1), time(0), zone)
    return bool(
        midnight.utcoffset() != after.utcoffset()
        or midnight.replace(fold=1).utcoffset() != midnight.utcoffset()
    )


@pytest.mark.parametrize("name", ZONES)
def test_the_clocks_change_on_the_days_the_plain_rule_finds_and_no_others(name: str) -> None:
    zone = ZoneInfo(name)
    days = [date(2025, 1, 1) + timedelta(days=n) for n in range(3 * 366)]
    found = [day for day in days if clocks_change_on(zone, day)]
    assert found == [day for day in days if plainly(zone, day)]
    assert len(found) == (0 if name == "UTC" else 6), found


def test_in_london_the_clocks_change_on_the_last_sundays_of_march_and_october() -> None:
    london = ZoneInfo("Europe/London")
    changes = [
        d for d in (date(2026, 1, 1) + timedelta(days=n) for n in range(365)) if clocks_change_on(london, d)
    ]
    assert changes == [date(2026, 3, 29), date(2026, 10, 25)]
