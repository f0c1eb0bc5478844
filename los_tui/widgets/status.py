"""How an occurrence's status looks on screen: one colour and one word per status, used everywhere."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from rich.text import Text

from los_tui.domain.model import UNLOGGED, Occurrence, Status

STYLES = {
    Status.ATTENDED.value: "bold green",
    Status.DELEGATED.value: "cyan",
    Status.APOLOGIES.value: "yellow",
    Status.MISSED.value: "bold red",
    Status.CANCELLED.value: "dim strike",
    "scheduled": "bright_blue",
    UNLOGGED: "bold magenta",  # past and nothing logged: the thing to catch up on
}


def status_word(occurrence: Occurrence, now: datetime) -> str:
    return occurrence.status_word(now)


def status_text(occurrence: Occurrence, now: datetime) -> Text:
    word = status_word(occurrence, now)
    return Text(word, style=STYLES[word])


def when_text(occurrence: Occurrence, tz: str, with_day: bool = True) -> str:
    start = occurrence.start.astimezone(ZoneInfo(tz))
    if occurrence.all_day:
        return f"{start:%a %d %b} all day" if with_day else "all day"
    end = occurrence.end.astimezone(ZoneInfo(tz))
    span = f"{start:%H:%M}-{end:%H:%M}"
    return f"{start:%a %d %b %Y} {span}" if with_day else span


def legend() -> Text:
    """A one-line key to the colours (the words are shown too, so colour is never the only signal)."""
    text = Text()
    for word, style in STYLES.items():
        text.append("■ ", style=style)
        text.append(f"{word}  ")
    return text
