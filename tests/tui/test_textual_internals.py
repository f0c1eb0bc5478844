"""Textual's private attributes the app relies on (los_tui/widgets/textual_internals.py) are still there and
still mean what the app takes them to mean: on a Textual upgrade that renames one, this fails first."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.strip import Strip
from textual.widgets import Footer, Header, Static

from los_tui.widgets import textual_internals
from los_tui.widgets.textual_internals import (
    bars_painted_by_layout,
    drawn_lines,
    drop_copies_of_drawn_lines,
    footer_bindings_ready,
    forget_closed_watchers,
    forget_pending_repaint,
    mark_footer_bindings_ready,
    put_back_drawn_lines,
    screen_is_painted,
    skip_restyling,
    styles_key,
)


class Watched(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Footer()


async def test_every_private_name_is_still_where_the_app_reads_it() -> None:
    app = Watched()
    async with app.run_test() as pilot:
        await pilot.pause()
        assert isinstance(getattr(app, textual_internals.WATCHERS), dict)  # the Header watches the app
        assert getattr(app, textual_internals.WATCHERS), "the Header's watchers are no longer kept there"
        header = app.query_one(Header)
        assert getattr(header, textual_internals.CLOSING) is False
        footer = app.query_one(Footer)
        assert footer_bindings_ready(footer) in (True, False)
        mark_footer_bindings_ready(footer)
        assert footer_bindings_ready(footer)
        assert callable(getattr(Screen, textual_internals.SCREEN_RESIZED))
        assert callable(getattr(header, textual_internals.STYLES_CACHE).clear)
        lines = getattr(getattr(header, textual_internals.STYLES_CACHE), textual_internals.STYLED_LINES)
        assert lines and all(isinstance(line, Strip) for line in lines.values())  # the header was drawn
        line = next(iter(lines.values()))
        line.crop(0, 1)
        assert any(getattr(line, copies) for copies in textual_internals.STRIP_COPIES)
        drop_copies_of_drawn_lines(header)
        assert not any(getattr(line, copies) for copies in textual_internals.STRIP_COPIES)
        # Marked to be drawn again whole, a widget lets go of its lines; put back, none is to be drawn.
        kept = drawn_lines(header)
        key = styles_key(header)
        getattr(header, textual_internals.SET_DIRTY)()
        assert not drawn_lines(header)
        put_back_drawn_lines(header, kept)
        assert drawn_lines(header) == kept
        styles_cache = getattr(header, textual_internals.STYLES_CACHE)
        assert not any(styles_cache.is_dirty(y) for y in kept)
        assert isinstance(getattr(styles_cache, textual_internals.DIRTY_LINES), set)
        header.styles.background = "red"
        assert styles_key(header) != key
        resume = events.ScreenResume()
        assert getattr(resume, textual_internals.REFRESH_STYLES) is True
        skip_restyling(resume)
        assert getattr(resume, textual_internals.REFRESH_STYLES) is False


async def test_watchers_left_by_closed_widgets_are_let_go() -> None:
    app = Watched()
    async with app.run_test() as pilot:
        await pilot.pause()
        watchers: dict[str, list[tuple[Any, Any]]] = getattr(app, textual_internals.WATCHERS)
        before = sum(len(entries) for entries in watchers.values())
        await app.query_one(Header).remove()
        await app.mount(Static("after"))
        await pilot.pause()
        forget_closed_watchers(app)
        after = sum(len(entries) for entries in watchers.values())
        assert after < before
        assert all(
            not getattr(node, textual_internals.CLOSING)
            for entries in watchers.values()
            for node, _ in entries
        )


async def test_the_repaint_asked_of_a_screen_covered_by_another_can_be_dropped() -> None:
    app = Watched()
    async with app.run_test() as pilot:
        await pilot.pause()
        below = app.screen
        assert getattr(below, textual_internals.REPAINT_REQUIRED) is False
        app.push_screen(Screen())
        assert getattr(below, textual_internals.REPAINT_REQUIRED) is True  # what push_screen asks of it
        forget_pending_repaint(below)
        assert getattr(below, textual_internals.REPAINT_REQUIRED) is False


async def test_a_screen_is_painted_once_what_was_asked_of_it_is_drawn() -> None:
    """What the app's full garbage collections wait for (los_tui/screens/collecting.py)."""
    app = Watched()
    async with app.run_test() as pilot:
        await pilot.pause()
        for name in textual_internals.PENDING_UPDATES:
            assert hasattr(app.screen, name), name
        assert getattr(app, textual_internals.BATCH_COUNT) == 0
        assert screen_is_painted(app.screen)
        app.screen.refresh()
        assert not screen_is_painted(app.screen)
        await pilot.pause()
        assert screen_is_painted(app.screen)
        app.screen.refresh(layout=True)
        assert not screen_is_painted(app.screen)
        await pilot.pause()
        with app.batch_update():
            assert not screen_is_painted(app.screen)
        assert screen_is_painted(app.screen)


class Scrolling(App[None]):
    def compose(self) -> ComposeResult:
        with VerticalScroll(id="box"):
            yield Static("\n".join(f"line {n}" for n in range(60)))


async def test_a_layout_asks_each_scroll_bar_for_a_repaint_of_its_own_which_can_be_dropped() -> None:
    """What LaidOutScroll, SizedTable and TextBox override (los_tui/widgets/laid_out.py): Textual's
    `_scroll_update`, which a layout calls, asks each scroll bar shown for a repaint of its own."""
    app = Scrolling()
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        box = app.query_one("#box", VerticalScroll)
        assert box.show_vertical_scrollbar
        bar = box.vertical_scrollbar
        assert getattr(bar, textual_internals.REPAINT_REQUIRED) is False
        getattr(box, textual_internals.SCROLL_UPDATE)(box.virtual_size)
        assert getattr(bar, textual_internals.REPAINT_REQUIRED) is True
        bars_painted_by_layout(box)
        assert getattr(bar, textual_internals.REPAINT_REQUIRED) is False
