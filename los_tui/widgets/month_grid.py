"""The month grid: seven columns, six weeks, each day listing its meetings, marked and coloured by status.

The grid is one widget that draws its own lines (Textual's line API), not a widget per day: the month's
49 cells and labels were most of the first screen's widgets (each styled and laid out), and a month's page
drew each cell through Textual's content machinery. Days are laid out as Textual's grid of `1fr` rows and
columns lays them out, so what the user sees is unchanged; a changed day repaints its own cell alone.
"""

from __future__ import annotations

import itertools
import re
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import ClassVar
from zoneinfo import ZoneInfo

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from los_tui.domain.day_text import told_apart
from los_tui.domain.model import Occurrence
from los_tui.widgets.literal import visible
from los_tui.widgets.status import MARKS, STYLES, status_word
from los_tui.widgets.textual_internals import restyle_alone

WEEKS = 6
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def first_visible_day(month: date) -> date:
    """The Monday on or before the 1st: the grid's top-left cell."""
    first = month.replace(day=1)
    return first - timedelta(days=first.weekday())


def shares(total: int, parts: int) -> list[tuple[int, int]]:
    """(offset, length) of `parts` equal shares of `total` cells, as Textual lays out `1fr` each."""
    edges = [total * part // parts for part in range(parts + 1)]
    return [(start, end - start) for start, end in itertools.pairwise(edges)]


def style_of(text: Text) -> Style:
    return text.style if isinstance(text.style, Style) else Style.parse(text.style)


@dataclass
class DayCell:
    """One day as drawn: its lines (the date first) and whether it is today or the selected day."""

    day: date
    lines: list[Text]
    today: bool
    selected: bool

    @property
    def text(self) -> str:
        return "\n".join(line.plain for line in self.lines)

    def shows(self) -> tuple[object, ...]:
        return (
            self.today,
            self.selected,
            tuple((line.plain, tuple(line.spans), line.style) for line in self.lines),
        )


class MonthGrid(Widget, can_focus=True):
    """Attributes down (show), messages up (DayClicked)."""

    # The days' looks, as rules of the app's CSS (theme colours) that the grid reads when it draws.
    # Days of the months either side are greyed in their text.
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "month-grid--outside",
        "month-grid--weekday",
        "month-grid--today",
        "month-grid--selected",
    }
    DEFAULT_CSS = """
    MonthGrid { height: 1fr; }
    MonthGrid > .month-grid--outside { color: $text-disabled; }
    MonthGrid > .month-grid--weekday { text-style: bold; }
    MonthGrid > .month-grid--today { background: $primary-muted; }
    MonthGrid > .month-grid--selected { background: $accent 40%; text-style: bold; }
    """

    class DayClicked(Message):
        def __init__(self, day: date) -> None:
            super().__init__()
            self.day = day

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self.cells: list[DayCell | None] = [None] * (7 * WEEKS)
        self._shown_with: (
            tuple[
                date, date, date, Mapping[date, Sequence[Occurrence]], datetime, str, Mapping[str, str] | None
            ]
            | None
        ) = None
        self._built_for: tuple[int, int] | None = None  # the grid's size the days were fitted to
        self._strips: dict[int, Strip] = {}  # lines drawn, by y, until a day on them changes
        self._strips_size: tuple[int, int] = (0, 0)  # the grid's size they were drawn at
        self._looks_now: dict[tuple[bool, bool], Style] | None = None

    def watch_has_focus(self, _has_focus: bool) -> None:
        restyle_alone(self)  # no rule styles a day by the grid's focus

    def notify_style_update(self) -> None:
        # A new theme or focus: the colours are read again as lines are drawn.
        self._strips.clear()
        self._looks_now = None
        super().notify_style_update()

    def on_resize(self) -> None:
        # Textual has already drawn the grid at its new size (with the days fitted to the old one) and
        # keeps what it drew: every line is drawn again, not only the days whose text changed.
        self._strips.clear()
        self.refit()
        self.refresh()

    def _columns(self) -> list[tuple[int, int]]:
        return shares(self.content_size.width, 7)

    def _rows(self) -> list[tuple[int, int]]:
        """(y, height) of each week's row, under the weekdays' line."""
        return [(1 + y, height) for y, height in shares(max(self.content_size.height - 1, 0), WEEKS)]

    def cells_shown(self) -> list[DayCell]:
        """The 42 days as last drawn, from the top-left Monday (none before the first layout)."""
        return [cell for cell in self.cells if cell is not None]

    def cell_region(self, index: int) -> Region:
        """Where day `index` (0 is the top-left Monday) is on the screen."""
        x, width = self._columns()[index % 7]
        y, height = self._rows()[index // 7]
        return Region(self.content_region.x + x, self.content_region.y + y, width, height)

    def refit(self) -> None:
        """Fit the days shown to their cells again, if the grid's size changed since (what fits in a cell
        depends on its size). Textual sends a Resize on every layout pass, most of them changing nothing."""
        if self._shown_with is not None and tuple(self.content_size) != self._built_for:
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
        if not self.content_size.width:
            # Not laid out yet (the screen's mount): what fits is not known, and the first layout's
            # Resize fits the days to their cells before anything is drawn.
            self._built_for = None
            return
        self._built_for = (self.content_size.width, self.content_size.height)
        first = first_visible_day(month)
        zone = ZoneInfo(tz)
        # Its colour only, resolved against the background ($text-disabled is translucent).
        outside = Style(color=self.get_component_rich_style("month-grid--outside").color)
        columns, rows = self._columns(), self._rows()
        for index in range(7 * WEEKS):
            day = first + timedelta(days=index)
            x, width = columns[index % 7]
            y, height = rows[index // 7]
            lines = [
                Text(
                    f"{day.day:>2}" + ("*" if day == today else ""),
                    no_wrap=True,
                    style=outside if day.month != month.month else "",
                )
            ]
            width_inside = width - 1  # a column's gap to the next, on its right
            lines += day_lines(
                by_day.get(day, ()), width_inside, max(height - 1, 1), zone, now, short_names or {}
            )
            cell = DayCell(day, lines, day == today, day == selected)
            old = self.cells[index]
            if old is None or old.shows() != cell.shows():
                self.cells[index] = cell
                for line in range(y, y + height):
                    self._strips.pop(line, None)
                self.refresh(Region(x, y, width, height))
            else:
                old.day = day

    def day_at(self, x: int, y: int) -> date | None:
        """The day drawn at (x, y) in the grid, if any."""
        for row, (top, height) in enumerate(self._rows()):
            if top <= y < top + height:
                for column, (left, width) in enumerate(self._columns()):
                    if left <= x < left + width:
                        cell = self.cells[row * 7 + column]
                        return cell.day if cell is not None else None
        return None

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        day = self.day_at(offset.x, offset.y) if offset is not None else None
        if day is not None:
            self.post_message(MonthGrid.DayClicked(day))

    def render_line(self, y: int) -> Strip:
        width, height = size = tuple(self.content_size)
        if size != self._strips_size:  # drawn at a new size before the Resize arrives: weeks move
            self._strips.clear()
            self._strips_size = (width, height)
        strip = self._strips.get(y)
        if strip is None:
            strip = self._weekdays() if y == 0 else self._week_line(y)
            self._strips[y] = strip
        return strip

    def _weekdays(self) -> Strip:
        base = self.rich_style
        bold = base + self.get_component_styles("month-grid--weekday").text_style
        blank = Style(bgcolor=base.bgcolor)
        segments = []
        for (_x, width), name in zip(self._columns(), WEEKDAYS, strict=True):
            shown = name[:width]
            segments += [Segment(shown, bold), Segment(" " * (width - len(shown)), blank)]
        return Strip(segments, self.content_size.width)

    def _looks(self) -> dict[tuple[bool, bool], Style]:
        """A day's style by (today, selected), from the CSS: worked out once a restyle (a theme, focus)."""
        if self._looks_now is None:
            base = self.rich_style
            under = self.background_colors[1]
            today = self.get_component_styles("month-grid--today")
            selected = self.get_component_styles("month-grid--selected")
            today_look = base + Style(bgcolor=(under + today.background).rich_color)
            selected_look = base + Style(bgcolor=(under + selected.background).rich_color)
            today_look += today.text_style
            selected_look += selected.text_style
            # Selected wins over today, as the later rule did when a cell had both classes.
            self._looks_now = {
                (False, False): base,
                (True, False): today_look,
                (False, True): selected_look,
                (True, True): selected_look,
            }
        return self._looks_now

    def _week_line(self, y: int) -> Strip:
        rows = self._rows()
        found = [(row, y - top) for row, (top, height) in enumerate(rows) if top <= y < top + height]
        if not found:
            return Strip.blank(self.content_size.width, Style(bgcolor=self.rich_style.bgcolor))
        row, line = found[0]
        looks = self._looks()
        console = self.app.console
        segments: list[Segment] = []
        for column, (_x, width) in enumerate(self._columns()):
            cell = self.cells[row * 7 + column]
            look = looks[(cell.today, cell.selected)] if cell is not None else looks[(False, False)]
            blank = Style(bgcolor=look.bgcolor)
            inside = max(width - 1, 0)
            if cell is None or line >= len(cell.lines):
                # Drawn as Textual draws a cell's empty line: its own style within, the gap bare.
                segments += [Segment(" " * inside, look), Segment(" " * (width - inside), blank)]
                continue
            text = cell.lines[line]
            if text.cell_len > inside:
                text = text.copy()
                text.truncate(inside, overflow="ellipsis")
            # The date's style (grey outside the month) is the whole cell's, under each line's own.
            own = style_of(cell.lines[0]) + style_of(text) if line else style_of(text)
            drawn = list(Segment.apply_style(text.render(console), look + own))
            segments += drawn
            segments.append(Segment(" " * (width - Segment.get_line_length(drawn)), blank))
        return Strip(segments, self.content_size.width)


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
        return mark if occurrence.all_day else f"{mark} {told_apart(occurrence.start.astimezone(zone))}"

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
