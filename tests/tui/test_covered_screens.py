"""What a kept screen holds while another covers it: the meeting screen lets go of the lines it drew (all
but what is the same at every opening, whose lines it keeps without the copies painting made of them), and
draws them again, the same, when shown again; the month, the agenda and the review keep theirs, but not
the copies Textual made of them as it painted them (the month keeps those too)."""

from __future__ import annotations

import gc
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from textual._styles_cache import StylesCache
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Footer, Header, Label, TextArea
from tui_support import at_the_november_board, diary_with_the_board, make_app, press_and_settle, settled

from los_tui.screens.agenda import AgendaScreen
from los_tui.screens.meeting import MeetingScreen
from los_tui.screens.month import MonthScreen
from los_tui.widgets import textual_internals
from los_tui.widgets.textual_internals import drop_drawn_lines


def strips_alive() -> int:
    gc.collect()
    return sum(1 for thing in gc.get_objects() if type(thing) is Strip)


async def test_a_covered_meeting_screen_lets_go_of_the_lines_it_drew_and_draws_them_the_same_again(
    db_path: Path,
) -> None:
    """The meeting screen is kept for the whole run and filled afresh by each opening; it kept every line
    it had drawn (each Strip with seven caches of its own) while the user was elsewhere, ~1 MB of a
    council's session after a write."""
    async with at_the_november_board(db_path, (120, 40)) as (app, pilot):
        assert isinstance(app.screen, MeetingScreen)
        for area in app.screen.query(TextArea):
            area.cursor_blink = False  # a blinking cursor would make two drawings of the same differ
        await pilot.pause()
        meeting_drawn = app.export_screenshot()
        with_the_meeting = strips_alive()
        await press_and_settle(pilot, "escape")
        assert isinstance(app.screen, MonthScreen)
        month_drawn = app.export_screenshot()
        at_the_month = strips_alive()
        # Drawn at the month: the meeting's lines gone, the month's own (kept while it was covered) left.
        assert with_the_meeting - at_the_month > 100
        await press_and_settle(pilot, "enter")
        assert isinstance(app.screen, MeetingScreen)
        assert app.export_screenshot() == meeting_drawn
        await press_and_settle(pilot, "escape")
        assert app.export_screenshot() == month_drawn
        assert strips_alive() - at_the_month < 50


async def test_a_meeting_opened_again_draws_again_neither_its_keys_nor_its_labels_nor_its_background(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The screen's and the body's backgrounds, the keys, the header and the labels are the same at every
    opening: kept while the screen is covered (without the copies painting made of them, most of their
    memory), they are not drawn again. Drawn again, they were ~116 of a council meeting's ~180 lines an
    opening (the screen's background 40 of them, which Textual draws again whenever a screen is shown
    again); a new theme draws them again."""
    drawn: Counter[type[Any]] = Counter()
    drawing: list[type[Any]] = [object]
    render_widget, render_line = StylesCache.render_widget, StylesCache.render_line

    def counting_widget(self: StylesCache, widget: Any, crop: Any) -> list[Strip]:
        drawing[0] = type(widget)
        return render_widget(self, widget, crop)

    def counting_line(self: StylesCache, *args: Any, **kwargs: Any) -> Strip:
        drawn[drawing[0]] += 1
        return render_line(self, *args, **kwargs)

    monkeypatch.setattr(StylesCache, "render_widget", counting_widget)
    monkeypatch.setattr(StylesCache, "render_line", counting_line)
    async with at_the_november_board(db_path, (120, 40)) as (app, pilot):
        for area in app.screen.query(TextArea):
            area.cursor_blink = False  # the blinking cursor would make two drawings of the same differ
        await press_and_settle(pilot, "escape")
        drawn.clear()
        await press_and_settle(pilot, "enter")
        assert isinstance(app.screen, MeetingScreen)
        assert drawn[TextArea] + drawn[type(app.screen.query_one("#note"))] > 0  # the note is drawn again
        body = type(app.screen.query_one("#occurrence-body"))
        footer_keys = {type(key) for key in app.screen.query_one(Footer).children}
        again = {kind: drawn[kind] for kind in (MeetingScreen, body, Header, Label, *footer_keys)}
        assert again == dict.fromkeys(again, 0)
        assert_drawn_as_afresh(app.screen)
        await press_and_settle(pilot, "escape")
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await pilot.pause()
        drawn.clear()
        await press_and_settle(pilot, "enter")
        assert drawn[MeetingScreen] > 0 and drawn[body] > 0 and drawn[Header] > 0
        assert_drawn_as_afresh(app.screen)


def assert_drawn_as_afresh(screen: Screen[Any]) -> None:
    """What `screen` shows, from the lines it kept, is what it shows with every line drawn afresh."""
    shown = screen.app.export_screenshot()
    for widget in screen.walk_children(Widget, with_self=True):
        drop_drawn_lines(widget)
    assert screen.app.export_screenshot() == shown


def copies_held(screen: Screen[None]) -> tuple[int, int]:
    """(lines `screen`'s widgets keep as drawn, strips Textual made from those lines and keeps with them:
    each line with the colour filter applied, those copies cut at other widgets' edges, and so on)."""
    lines, copies = 0, set()
    waiting: list[Strip] = []
    for widget in screen.walk_children(Widget, with_self=True):
        drawn = list(
            getattr(getattr(widget, textual_internals.STYLES_CACHE), textual_internals.STYLED_LINES).values()
        )
        lines += len(drawn)
        waiting += drawn
    while waiting:
        strip = waiting.pop()
        for name in textual_internals.STRIP_COPIES:
            for made in getattr(strip, name)._cache.values():
                for copy in made if isinstance(made, list) else [made]:
                    if isinstance(copy, Strip) and id(copy) not in copies:
                        copies.add(id(copy))
                        waiting.append(copy)
    return lines, len(copies)


async def test_a_covered_screen_keeps_its_lines_but_not_the_copies_made_of_them_and_is_drawn_the_same_again(
    db_path: Path,
) -> None:
    """Each line a screen paints is kept as drawn and again as copies (filtered, then cut at the edges of
    the widgets over it): ~2 MB of a council's session over the kept screens, never seen while another
    screen covers them. The lines stay (F3 and F7 show a kept screen without drawing it again); the
    copies go, made again from the lines as the screen is shown."""
    diary_with_the_board(db_path)
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        month_screen = app.screen
        await press_and_settle(pilot, "f3")
        agenda = app.screen
        # The month, shown again by every Esc (and when a note is saved), keeps its copies.
        assert copies_held(month_screen)[1] > 0
        assert isinstance(agenda, AgendaScreen)
        drawn = app.export_screenshot()
        lines, copies = copies_held(agenda)
        assert lines > 30 and copies > lines  # shown: its lines, and the copies made as they were painted
        await press_and_settle(pilot, "escape")
        assert isinstance(app.screen, MonthScreen)
        month = app.export_screenshot()
        kept, copies = copies_held(agenda)
        assert kept and copies == 0  # covered: its lines kept (those Textual restyles aside), no copy of them
        await press_and_settle(pilot, "f3")
        assert app.screen is agenda
        assert app.export_screenshot() == drawn
        await press_and_settle(pilot, "escape")
        assert app.export_screenshot() == month


async def test_the_months_body_under_the_grid_and_the_days_panel_draws_no_line_of_its_own(
    db_path: Path,
) -> None:
    """The month's body only lays out the grid and the day's panel, which cover it whole: its lines were
    drawn and kept, with their copies, and never seen."""
    diary_with_the_board(db_path)
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        await pilot.pause()
        body = app.screen.query_one("#month-body")
        assert copies_held_by(body) == (0, 0)
        assert app.screen.query_one("#month-grid").region.width > 0  # what it lays out is drawn


def copies_held_by(widget: Widget) -> tuple[int, int]:
    drawn = getattr(getattr(widget, textual_internals.STYLES_CACHE), textual_internals.STYLED_LINES)
    return len(drawn), sum(
        len(getattr(line, name)) for line in drawn.values() for name in textual_internals.STRIP_COPIES
    )
