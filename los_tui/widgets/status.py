"""How an occurrence's status looks on screen: a mark, a colour and a word per status, used everywhere.

The mark says the status without colour (a monochrome terminal, a printout, colour blindness); the
colours are fixed rather than the theme's ANSI names, which several themes map to near-identical reds
and oranges, and were chosen to stay apart on dark and light backgrounds alike.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from rich.text import Text

from los_tui.domain.day_text import told_apart
from los_tui.domain.model import UNLOGGED, Occurrence, Status
from los_tui.domain.moments import on_the_clock

SCHEDULED = "scheduled"
STYLES = {
    Status.ATTENDED.value: "bold #43a047",
    Status.DELEGATED.value: "#0097a7",
    Status.APOLOGIES.value: "#8e44ad",
    Status.MISSED.value: "bold #e53935",
    Status.CANCELLED.value: "dim strike",
    SCHEDULED: "#1e88e5",
    UNLOGGED: "bold #e0a000",  # past and nothing logged: the thing to catch up on
}
MARKS = {
    Status.ATTENDED.value: "✓",
    Status.DELEGATED.value: "»",
    Status.APOLOGIES.value: "~",
    Status.MISSED.value: "✗",
    Status.CANCELLED.value: "⊘",
    SCHEDULED: "○",
    UNLOGGED: "?",
}


def status_word(occurrence: Occurrence, now: datetime) -> str:
    return occurrence.status_word(now)


def status_text(occurrence: Occurrence, now: datetime) -> Text:
    word = status_word(occurrence, now)
    return Text(f"{MARKS[word]} {word}", style=STYLES[word])


def when_text(occurrence: Occurrence, tz: str, with_day: bool = True) -> str:
    start = on_the_clock(occurrence.start, ZoneInfo(tz))
    if occurrence.all_day:
        return f"{start:%a %d %b} all day" if with_day else "all day"
    end = on_the_clock(occurrence.end, ZoneInfo(tz))
    span = f"{told_apart(start)}-{told_apart(end)}"
    return f"{start:%a %d %b %Y} {span}" if with_day else span


def moved_text(occurrence: Occurrence, tz: str) -> Text:
    """ " (moved from Tue 08 Dec 18:30)" for a meeting moved from its scheduled time; nothing otherwise."""
    if not occurrence.is_moved or occurrence.original_start is None:
        return Text("")
    original = on_the_clock(occurrence.original_start, ZoneInfo(tz))
    return Text(f"  ↷ moved from {original:%a %d %b} {told_apart(original)}", "italic")


def legend(width: int = 0) -> Text:
    """A key to the marks and colours, each mark kept on the line of its word; lines of at most `width`
    cells (0: one line)."""
    text = Text()
    used = 0
    for word, style in STYLES.items():
        item = f"{MARKS[word]} {word}"
        if used and width and used + 2 + len(item) > width:
            text.append("\n")
            used = 0
        elif used:
            text.append("  ")
            used += 2
        text.append(MARKS[word], style=style).append(f" {word}")
        used += len(item)
    return text
