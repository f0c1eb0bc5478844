"""How listings write a meeting's day and time ("Tue 11 Aug 2026", "18:30"), the day's text made once
a day: a council's listing writes hundreds of meetings over a few dozen days, and strftime is the cost."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from los_tui.domain.moments import is_repeated


@lru_cache(maxsize=4096)
def day_text(day: date) -> str:
    """`day` as "Tue 11 Aug 2026" (strftime's `%a %d %b %Y`)."""
    return f"{day:%a %d %b %Y}"


_CLOCK_TEXTS: dict[int, str] = {}  # minute of the day: its "18:30", written once a run


def clock_text(moment: datetime) -> str:
    """The wall-clock time of `moment` as "18:30" (strftime's `%H:%M`), without strftime."""
    minute = moment.hour * 60 + moment.minute
    text = _CLOCK_TEXTS.get(minute)
    if text is None:
        text = _CLOCK_TEXTS[minute] = f"{moment.hour:02d}:{moment.minute:02d}"
    return text


def told_apart(moment: datetime) -> str:
    """`clock_text`, with the zone's abbreviation where the clocks show that time twice that day
    ("01:15 BST", then "01:15 GMT" on the day they go back), so the two are never read as one."""
    text = clock_text(moment)
    return f"{text} {moment.tzname()}" if is_repeated(moment) else text
