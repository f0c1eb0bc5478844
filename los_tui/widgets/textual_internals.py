"""Every use of Textual's private attributes, in one place, each checked by
tests/tui/test_textual_internals.py, so a Textual upgrade that renames one fails there, loudly, rather
than quietly leaking or slowing the app. Textual is pinned exactly (pyproject.toml); on an upgrade, run
that test first."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.dom import DOMNode
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Footer

# The private names used below, for the test to check against the installed Textual.
WATCHERS = "__watchers"  # DOMNode: {attribute: [(watching node, callback)]}, kept until the attribute changes
CLOSING = "_closing"  # MessagePump: set once a node has begun to close
BINDINGS_READY = "_bindings_ready"  # Footer: whether the screen's bindings have been gathered yet
REFRESH_STYLES = "refresh_styles"  # ScreenResume: whether Textual restyles the screen as it is shown
REPAINT_REQUIRED = "_repaint_required"  # Widget (and Screen): a whole repaint is due at the next update
# Screen: what App.switch_mode calls on the screen it shows, which lays the whole screen out again even at
# the size it was laid out at; DiaryScreen overrides it to skip that (see base.py).
SCREEN_RESIZED = "_screen_resized"
# Screen: what sends what is to be drawn of the screen to the terminal (a paint); DiaryScreen overrides it to
# skip a layout's paint when the whole screen is painted next anyway (see base.py).
COMPOSITOR_REFRESH = "_compositor_refresh"
# Widget: what sets its scroll bars' sizes as a layout places it, each bar then asking for a repaint of its
# own, a paint a frame later; LaidOutScroll and SizedTable override it to drop that (bars_painted_by_layout).
SCROLL_UPDATE = "_scroll_update"
# Widget: the watcher Textual runs when a widget gains or loses focus; it restyles the widget and every
# widget inside it (App.update_styles), in case a rule styles them by their ancestor's focus.
FOCUS_WATCHER = "watch_has_focus"
# Screen: what its next update must do (lay out, scroll, repaint all, or repaint these widgets).
PENDING_UPDATES = ("_layout_required", "_scroll_required", "_repaint_required", "_dirty_widgets")
# App: how many holds on the screen's updates are in force (batch_update, a switch of mode's delay_update).
BATCH_COUNT = "_batch_count"
# Widget: its lines as last drawn with its styles (padding, borders, tint), kept until it changes.
STYLES_CACHE = "_styles_cache"
# Widget: what marks it to be drawn again (the regions given, or all of it, its kept lines let go of);
# DiaryScreen overrides it to keep its own lines, its background, when they would be drawn the same.
SET_DIRTY = "_set_dirty"
# RenderStyles: a number that changes whenever any of the styles does.
STYLES_KEY = "_cache_key"
# StylesCache: which of the kept lines are to be drawn again.
DIRTY_LINES = "_dirty_lines"
# StylesCache: those lines, by line number.
STYLED_LINES = "_cache"
# Strip: the copies of itself a line makes as the screen is painted (cut at the screen's cuts, cropped,
# filtered, styled, extended), each a Strip with seven caches of its own, made again from the line on need.
STRIP_COPIES = (
    "_divide_cache",
    "_crop_cache",
    "_style_cache",
    "_filter_cache",
    "_line_length_cache",
    "_crop_extend_cache",
    "_offsets_cache",
)


def forget_closed_watchers(observed: DOMNode) -> None:
    """Drop the watchers that closed widgets left on `observed`.

    Textual keeps a `watch(other, ...)` / `data_bind` entry on the *observed* object until that attribute
    next changes (Textualize/textual#6666), so every Header and TextArea of a closed screen stays alive
    on the app (theme, title).
    """
    watchers: dict[str, list[tuple[Any, Any]]] = getattr(observed, WATCHERS, {})
    for entries in watchers.values():
        entries[:] = [(node, callback) for node, callback in entries if not getattr(node, CLOSING)]


def footer_bindings_ready(footer: Footer) -> bool:
    return bool(getattr(footer, BINDINGS_READY))


def mark_footer_bindings_ready(footer: Footer) -> None:
    setattr(footer, BINDINGS_READY, True)


def skip_restyling(event: events.ScreenResume) -> None:
    """Tell Textual not to restyle every widget of the screen being shown again."""
    setattr(event, REFRESH_STYLES, False)


def repaint_pending(widget: Widget) -> bool:
    """Whether a whole repaint of `widget` (of a screen: of all of it) is due at its next update."""
    return bool(getattr(widget, REPAINT_REQUIRED))


def forget_pending_repaint(widget: Widget) -> None:
    """Drop the repaint asked of `widget` (a screen covered by another as it was pushed, a scroll bar the
    layout under way paints): its own would draw it again on a later frame."""
    setattr(widget, REPAINT_REQUIRED, False)


def bars_painted_by_layout(widget: Widget) -> None:
    """Drop the repaint Textual's `_scroll_update` asked of `widget`'s scroll bars as the screen was laid
    out. The bars are redrawn (their lines are marked stale) and the layout paints them, since `widget`'s
    region is repainted in it: its place or size changed, or what it shows did (it asked for a repaint).
    Their own repaint would only draw them again, a frame later, holding the screen unsettled till then."""
    if widget.show_vertical_scrollbar:
        forget_pending_repaint(widget.vertical_scrollbar)
    if widget.show_horizontal_scrollbar:
        forget_pending_repaint(widget.horizontal_scrollbar)


def restyle_alone(widget: Widget) -> None:
    """Restyle `widget` for its new focus without its descendants (for a `watch_has_focus` override, on a
    widget whose descendants no rule styles by its focus)."""
    widget.app.stylesheet.update_nodes([widget], animate=True)


def screen_is_painted(screen: Screen[Any]) -> bool:
    """Whether everything asked of `screen` is on the terminal: no update of it pending or held. (A
    widget's own refresh reaches its screen on the widget's next turn: look twice, a moment apart.)"""
    return not getattr(screen.app, BATCH_COUNT) and not any(getattr(screen, name) for name in PENDING_UPDATES)


def drop_copies_of_drawn_lines(widget: Widget) -> None:
    """Let go of the copies Textual made of `widget`'s styled lines as it painted them (each line again with
    the app's colour filter applied, and that copy again cut at the other widgets' edges), keeping the lines
    themselves: painted again, each is filtered and cut afresh, a few microseconds a line, rather than
    drawn again from the widget's content."""
    styled: dict[int, Strip] = getattr(getattr(widget, STYLES_CACHE), STYLED_LINES)
    for line in styled.values():
        for copies in STRIP_COPIES:
            getattr(line, copies).clear()


def drop_drawn_lines(widget: Widget) -> None:
    """Let go of the lines `widget` keeps as last drawn: its styled lines (Textual's styles cache), and
    whatever it keeps of its own that a change of style would make it draw again (a table's rendered
    rows and cells, the month grid's and the heatmap's lines), all drawn again from what it holds when
    next shown. Each kept Strip holds seven caches of its own."""
    widget.notify_style_update()
    getattr(widget, STYLES_CACHE).clear()


def styles_key(widget: Widget) -> int:
    """A number that changes whenever any of `widget`'s styles does."""
    return int(getattr(widget.styles, STYLES_KEY))


def drawn_lines(widget: Widget) -> dict[int, Strip]:
    """The lines `widget` keeps as drawn, by line number (a copy of the mapping)."""
    return dict(getattr(getattr(widget, STYLES_CACHE), STYLED_LINES))


def put_back_drawn_lines(widget: Widget, lines: dict[int, Strip]) -> None:
    """Have `widget` keep `lines` as drawn (taken by `drawn_lines` before they were let go of), none of
    them to be drawn again."""
    cache = getattr(widget, STYLES_CACHE)
    getattr(cache, STYLED_LINES).update(lines)
    getattr(cache, DIRTY_LINES).difference_update(lines)
