"""The month grid: seven columns, six weeks, each day listing its meetings coloured by status."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import ClassVar
from zoneinfo import ZoneInfo

from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Grid
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Label, Static

from los_tui.domain.model import Occurrence
from los_tui.widgets.literal import visible
from los_tui.widgets.status import STYLES, status_word

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

    def compose(self) -> ComposeResult:
        with Grid(id="weekdays"):
            for name in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"):
                yield Label(name)
        with Grid(id="days"):
            for index in range(7 * WEEKS):
                yield DayCell(index)

    def show(
        self,
        month: date,
        selected: date,
        today: date,
        by_day: Mapping[date, Sequence[Occurrence]],
        now: datetime,
        tz: str,
    ) -> None:
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
            meetings = list(by_day.get(day, ()))
            # A busy day says how many more it holds rather than silently cutting them off.
            room = max(cell.size.height - 1, 1) if cell.size.height else len(meetings)
            hidden = len(meetings) - room + 1 if len(meetings) > room else 0
            for occurrence in meetings[: len(meetings) - hidden]:
                start = occurrence.start.astimezone(zone)
                line = Text("\n")
                line.append(
                    ("all day " if occurrence.all_day else f"{start:%H:%M} ") + visible(occurrence.title),
                    style=STYLES[status_word(occurrence, now)],
                )
                text.append_text(line)
            if hidden:
                text.append(f"\n+{hidden} more", style="italic")
            cell.show(text)
