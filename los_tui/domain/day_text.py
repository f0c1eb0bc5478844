"""How listings write a meeting's day and time ("Tue 11 Aug 2026", "18:30"), each day's text made once
a run and without strftime: a council's listing writes hundreds of meetings over a few hundred days."""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from functools import lru_cache

from los_tui.domain.moments import clocks_change_on, is_repeated, on_the_clock

# strftime's names for %a and %b in the C locale, the one Python leaves LC_TIME in (it sets LC_CTYPE
# alone at start-up, and nothing los imports sets LC_TIME): written here, since strftime builds a time
# tuple and imports `time` on every call (~18,000 instructions a day; a council's year of review writes
# 241 days).
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAYS_OF_MONTH = tuple(f"{number:02d}" for number in range(32))


@lru_cache(maxsize=4096)
def day_text(day: date) -> str:
    """`day` as "Tue 11 Aug 2026" (strftime's `%a %d %b %Y`)."""
    return f"{_WEEKDAYS[day.weekday()]} {_DAYS_OF_MONTH[day.day]} {_MONTHS[day.month]} {day.year}"


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


def when_text(moment: datetime) -> str:
    """ "Tue 11 Aug 2026 18:30": `moment`'s day, then its time told apart where its zone's clocks show
    it twice (`told_apart`). Its day asked about once, not twice (a council's year of review writes
    459 of them)."""
    day = moment.date()
    if clocks_change_on(moment.tzinfo, day):
        return f"{day_text(day)} {told_apart(moment)}"
    return f"{day_text(day)} {clock_text(moment)}"  # as told_apart reads it on a day the clocks keep


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
