"""Containers and text whose size only the screen's layout sets, so a change in it asks for no second one.

Textual's `virtual_size` asks for a layout of the whole screen whenever it changes. A layout sets it for
every widget it places, so a widget whose content is taller than last time asks, from inside that layout,
for another one a frame later, which places everything where it already is and draws the screen again.
For the widgets here nothing but the layout sets it: the layout that changed it has already used it. A
scroll bar that must now come or go still asks for its own layout (`show_vertical_scrollbar`)."""

from __future__ import annotations

from textual.actions import SkipAction
from textual.containers import Vertical, VerticalScroll
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Static, TextArea

from los_tui.widgets.textual_internals import bars_painted_by_layout


class LaidOutScroll(VerticalScroll):
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False, repaint=False)

    def _scroll_update(self, virtual_size: Size) -> None:  # Textual's (textual_internals.SCROLL_UPDATE)
        # Called as the screen is laid out, when this container's size or scrollable size has changed: its
        # whole region, bars included, is painted with that layout.
        super()._scroll_update(virtual_size)
        bars_painted_by_layout(self)


class LaidOutVertical(Vertical):
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False, repaint=False)


class LaidOutStatic(Static):
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False, repaint=False)


class TextBox(TextArea):
    """A text box whose scroll bar is painted with the layout that sizes it (see SizedTable)."""

    # TextArea selects the line on f6 and all its text on f7, and the next key typed replaces what is
    # selected: in a note that wiped what was written (saved as typed), while the app's F6 (new entry)
    # and F7 (review), which work from anywhere else, did nothing. The keys are passed on to them.
    def action_select_line(self) -> None:
        raise SkipAction()

    def action_select_all(self) -> None:
        raise SkipAction()

    def _scroll_update(self, virtual_size: Size) -> None:  # Textual's (textual_internals.SCROLL_UPDATE)
        # Called as the screen is laid out: the box's region, bar included, is painted with it, or by the
        # repaint the box asked for itself when its text changed.
        super()._scroll_update(virtual_size)
        bars_painted_by_layout(self)
