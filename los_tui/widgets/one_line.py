"""A table cell of one line rendered once, where it is made (a worker), so the table only lays it out."""

from __future__ import annotations

from functools import lru_cache

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.text import Text


@lru_cache(maxsize=1)
def _console() -> Console:
    # Styles are resolved by name (Rich's default theme, as the app's console resolves them); the width
    # is irrelevant: a line is rendered whole and cropped where it is shown.
    return Console(width=10_000, color_system="truecolor", force_terminal=True, legacy_windows=False)


class OneLine:
    """`text` on one line, as a DataTable cell: its segments made once, so the table's render of the
    cell is a crop rather than Rich's wrapping of a Text (about 2.5x cheaper a cell; a screenful of a
    search's rows is some 140 cells). Reads as its plain text (`str`)."""

    __slots__ = ("_cut_as_text", "plain", "segments", "width")

    def __init__(self, text: Text) -> None:
        line = text.split("\n")[0] if "\n" in text.plain else text.copy()  # a table row is one line
        line.no_wrap, line.end = True, ""
        self.plain = line.plain
        self.width = line.cell_len
        console = _console()
        # A line cut with an ellipsis where its column ends (a title, say) is cut by Rich as it would
        # cut the Text: rare, so its few cells render as Text then.
        self._cut_as_text = line if line.overflow == "ellipsis" else None
        if line.overflow in (None, "ignore", "ellipsis"):
            # What Rich's render of the line comes to when nothing may wrap or overflow (its wrap then
            # leaves the line as it is): the line's segments straight from Text.render, without building
            # the console's options (three terminal-size look-ups), wrapping and joining the one line
            # each time: ~2.5x cheaper, and a page of results is some 200 cells made on the Enter's path.
            if "\t" in line.plain:
                line = line.copy()
                line.expand_tabs((console.tab_size if line.tab_size is None else line.tab_size) or 8)
            rendered = Text().join((line,)).render(console)
        else:
            rendered = console.render(line, console.options.update(no_wrap=True, overflow="ignore"))
        self.segments = [segment for segment in rendered if segment.text != "\n"]

    def __str__(self) -> str:
        return self.plain

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if self.width <= options.max_width:
            return self.segments
        if self._cut_as_text is not None:
            return self._cut_as_text.__rich_console__(console, options)
        return Segment.adjust_line_length(self.segments, options.max_width)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(self.width, self.width)
