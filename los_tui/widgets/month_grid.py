"""The month grid: seven columns, six weeks, each day listing its meetings, marked and coloured by status."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import ClassVar
from zoneinfo import ZoneInfo

from rich.style import Style
from rich.text import Text
from textual import events
from textual.containers import Grid
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Label, Static

from los_tui.domain.model import Occurrence
from los_tui.widgets.literal import visible
from los_tui.widgets.status import MARKS, STYLES, status_word
from los_tui.widgets.textual_internals import restyle_alone

WEEKS = 6


def first_visible_day(month: date) -> date:
    """The Monday on or before the 1st: the grid's top-left cell."""
    first = month.replace(day=1)
    return first - timedelta(days=first.weekday())


class DayCell(Static):
    """One day. Its text is built from Text objects, so titles are never read as markup."""

    DEFAULT_CSS = """
    DayCell {
        height: 1fr;
        width: 1fr;
        padding: 0 1 0 0;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        overflow: hidden;
    }
    DayCell.-today { background: $primary-muted; }
    DayCell.-selected { background: $accent 40%; text-style: bold; }
    """

    def __init__(self, index: int) -> None:
        super().__init__(id=f"day-{index}")
        self.day: date | None = None
        self.shows: tuple[object, ...] | None = None  # what `text` was last shown: (plain, spans, style)

    def show(self, text: Text) -> None:
        """Show `text`, unless it is what is already shown: the month is read again after every change,
        and most days stay as they were."""
        shows = (text.plain, tuple(text.spans), text.style)
        if shows != self.shows:
            self.shows = shows
            self.update(text, layout=False)  # a cell's size is the grid's, whatever it holds

    def on_click(self, event: events.Click) -> None:
        if self.day is not None:
            self.post_message(MonthGrid.DayClicked(self.day))


class MonthGrid(Widget, can_focus=True):
    """Attributes down (show), messages up (DayClicked)."""

    # Days of the months either side are greyed in their text, not by a class on the cell: a month's
    # page then restyles only the cells marked today and selected, not a dozen more.
    COMPONENT_CLASSES: ClassVar[set[str]] = {"month-grid--outside"}
    DEFAULT_CSS = """
    MonthGrid > .month-grid--outside { color: $text-disabled; }
    MonthGrid { height: 1fr; }
    MonthGrid > #weekdays { height: 1; grid-size: 7 1; }
    MonthGrid > #weekdays Label { width: 1fr; text-style: bold; }
    MonthGrid > #days { grid-size: 7 6; height: 1fr; }
    """

    class DayClicked(Message):
        def __init__(self, day: date) -> None:
            super().__init__()
            self.day = day

    def __init__(self, id: str | None = None) -> None:
        # Built here rather than composed: mounted with the screen in one pass, instead of two more
        # (one per grid) each restyling what it mounts.
        weekdays = Grid(
            *(Label(name) for name in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")), id="weekdays"
        )
        days = Grid(*(DayCell(index) for index in range(7 * WEEKS)), id="days")
        super().__init__(weekdays, days, id=id)
        self._shown_with: (
            tuple[
                date, date, date, Mapping[date, Sequence[Occurrence]], datetime, str, Mapping[str, str] | None
            ]
            | None
        ) = None
        self._built_for: tuple[tuple[int, int], ...] | None = None  # the cells' sizes the days were fitted to

    def watch_has_focus(self, _has_focus: bool) -> None:
        restyle_alone(
            self
        )  # no rule styles a day by the grid's focus: its 49 cells and labels stay as styled

    def on_resize(self) -> None:
        self.refit()

    def _cell_sizes(self) -> tuple[tuple[int, int], ...]:
        return tuple((cell.content_size.width, cell.content_size.height) for cell in self.query(DayCell))

    def refit(self) -> None:
        """Fit the days shown to their cells again, if the cells' sizes changed since (what fits in a cell
        depends on its size). Textual sends a Resize on every layout pass, most of them changing nothing."""
        if self._shown_with is not None and self._cell_sizes() != self._built_for:
            self.show(*self._shown_with)

    def show(
        self,
        month: date,
        selected: date,
        today: date,
        by_day: Mapping[date, Sequence[Occurrence]],
        now: datetime,
        tz: str,
        short_names: Mapping[str, str] | None = None,
    ) -> None:
        self._shown_with = (month, selected, today, by_day, now, tz, short_names)
        sizes = self._cell_sizes()
        if not any(width for width, _height in sizes):
            # Not laid out yet (the screen's mount): what fits is not known, and the first layout's
            # Resize fits the days to their cells before anything is drawn.
            self._built_for = None
            return
        self._built_for = sizes
        first = first_visible_day(month)
        zone = ZoneInfo(tz)
        # Its colour only, resolved against the background ($text-disabled is translucent).
        outside = Style(color=self.get_component_rich_style("month-grid--outside").color)
        for index, cell in enumerate(self.query(DayCell)):
            day = first + timedelta(days=index)
            cell.day = day
            cell.set_class(day == today, "-today")
            cell.set_class(day == selected, "-selected")
            text = Text(
                f"{day.day:>2}" + ("*" if day == today else ""),
                no_wrap=True,
                style=outside if day.month != month.month else "",
            )
            width, rows = sizes[index][0], sizes[index][1] - 1
            for line in day_lines(by_day.get(day, ()), width, max(rows, 1), zone, now, short_names or {}):
                text.append("\n").append_text(line)
            cell.show(text)


SMALL_WORDS = frozenset({"a", "an", "and", "at", "by", "for", "in", "of", "on", "the", "to", "with", "&"})


def short_name(title: str) -> str:
    """A commitment's name in a few letters, where the user has not set one: its initials
    ("Children's Improvement Board" is CIB), or the title itself when it is short."""
    if len(title) <= 8:
        return title
    initials = "".join(w[0].upper() for w in re.findall(r"[\w']+", title) if w.lower() not in SMALL_WORDS)
    return initials[:6] or title[:6]


def day_lines(
    meetings: Sequence[Occurrence],
    width: int,
    rows: int,
    zone: ZoneInfo,
    now: datetime,
    short_names: Mapping[str, str],
) -> list[Text]:
    """A day's meetings in `rows` lines of `width` cells, each led by its status mark and time: the full
    titles, wrapped, where they all fit; else the short names (wrapped); else a line each, and "+n more"
    for those that do not fit."""

    def head(occurrence: Occurrence) -> str:
        mark = MARKS[status_word(occurrence, now)]
        return mark if occurrence.all_day else f"{mark} {occurrence.start.astimezone(zone):%H:%M}"

    def short(occurrence: Occurrence) -> str:
        return short_names.get(occurrence.commitment_slug) or short_name(occurrence.title)

    def style(occurrence: Occurrence) -> str:
        return STYLES[status_word(occurrence, now)]

    # Each meeting takes a line at least: a day with more than fit is never wrapped (a council's busy
    # day holds a dozen), and wrapping stops at the first line too many.
    for name in (lambda o: o.title, short) if len(meetings) <= rows else ():
        lines: list[Text] = []
        for o in meetings:
            lines += [
                Text(line, style=style(o))
                for line in textwrap.wrap(f"{head(o)} {visible(name(o))}", max(width, 4))
            ]
            if len(lines) > rows:
                break
        else:
            return lines
    hidden = len(meetings) - rows + 1 if len(meetings) > rows else 0
    lines = []
    for occurrence in meetings[: len(meetings) - hidden]:
        line = f"{head(occurrence)} {visible(short(occurrence))}"
        if len(line) > width:  # what it is matters more than when: the day's list has the times
            line = f"{MARKS[status_word(occurrence, now)]} {visible(short(occurrence))}"
        shown = Text(line, style=style(occurrence))
        shown.truncate(width, overflow="ellipsis")
        lines.append(shown)
    if hidden:
        lines.append(Text(f"+{hidden} more", style="italic"))
    return lines
