"""How listings write a meeting's day and time ("Tue 11 Aug 2026", "18:30"), the day's text made once
a day: a council's listing writes hundreds of meetings over a few dozen days, and strftime is the cost."""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from functools import lru_cache

from los_tui.domain.moments import clocks_change_on, is_repeated, on_the_clock


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


def span_text(start: datetime, end: datetime, zone: tzinfo) -> str:
    """ "Tue 11 Aug 2026  18:30-20:30": the start's day and the two times as `zone`'s clocks show them,
    each told apart where the clocks show it twice (`told_apart`)."""
    if start.tzinfo is zone and end.tzinfo is zone and not (start.fold or end.fold):
        # The usual meeting, on a day the clocks do not change: its times read as they are (see
        # on_the_clock and is_repeated), that day asked about once, not four times.
        day = start.date()
        if end.date() == day and not clocks_change_on(zone, day):
            return f"{day_text(day)}  {clock_text(start)}-{clock_text(end)}"
    start = on_the_clock(start, zone)
    return f"{day_text(start.date())}  {told_apart(start)}-{told_apart(on_the_clock(end, zone))}"
