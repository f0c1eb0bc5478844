"""A DataTable whose size is known as its rows are put in, so a screen showing it is laid out once."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.text import Text
from textual.geometry import Size
from textual.widgets import DataTable

from los_tui.widgets.textual_internals import bars_painted_by_layout

# One row: its cells, its key (or None) and its height in lines.
Row = tuple[Sequence[Text], str | None, int]


class SizedTable(DataTable[Text]):
    """A table of columns of given widths and rows of given heights, filled whole by `fill`.

    Textual's DataTable works out its size on its next idle turn after rows are added; a table of `height:
    auto` then asks for a second layout of the whole screen, a frame after the first, once the screen is
    already on view. Every row's height and every column's width being given, the size is known as the
    rows go in: set then, the first layout has it and the idle turn finds nothing changed."""

    def fill(self, rows: Iterable[Row]) -> None:
        """Replace every row with `rows`."""
        self.clear()
        lines = 0
        for cells, key, height in rows:
            self.add_row(*cells, key=key, height=height)
            lines += height
        header = self.header_height if self.show_header else 0
        width = sum(column.get_render_width(self) for column in self.columns.values())
        self.virtual_size = Size(width, lines + header)

    def _scroll_update(self, virtual_size: Size) -> None:  # Textual's (textual_internals.SCROLL_UPDATE)
        # Called as the screen is laid out: the table's region, bars included, is painted with it.
        super()._scroll_update(virtual_size)
        bars_painted_by_layout(self)
