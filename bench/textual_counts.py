"""Textual's work counted for the counting benches (bench/month_counts.py, bench/meeting_counts.py): the
lines drawn afresh (Textual's per-line styling, by widget class), the lines composited onto the screen,
the screen's layout passes, its paints (updates sent to the terminal) and the widgets mounted, while
`Counts.on` is set; and `los --db DIARY` run headless at 120x40 on its month, as bench/tui_probe.py does."""

from __future__ import annotations

import asyncio
import os
import sys
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from textual._styles_cache import StylesCache
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget

from bench.tui_probe import SIZE, settle


@dataclass
class Counts:
    on: bool = False
    drawn: Counter[str] = field(default_factory=Counter)
    composited: Counter[str] = field(default_factory=Counter)
    mounted: Counter[str] = field(default_factory=Counter)
    layouts: int = 0
    paints: int = 0


def count_the_work() -> Counts:
    """Wrap Textual's per-widget render, per-line styling, screen layout, paint and mounting with counters."""
    counts = Counts()
    drawing = [""]  # the class of the widget being drawn
    render_widget, render_line, refresh_layout, compositor_refresh, on_mount = (
        StylesCache.render_widget,
        StylesCache.render_line,
        Screen._refresh_layout,
        Screen._compositor_refresh,
        Widget._post_mount,
    )

    def counting_widget(self: StylesCache, widget: Any, crop: Any) -> list[Strip]:
        drawing[0] = type(widget).__name__
        strips = render_widget(self, widget, crop)
        if counts.on:
            counts.composited[drawing[0]] += len(strips)
        return strips

    def counting_line(self: StylesCache, *args: Any, **kwargs: Any) -> Strip:
        if counts.on:
            counts.drawn[drawing[0]] += 1
        return render_line(self, *args, **kwargs)

    def counting_layout(self: Screen[Any], *args: Any, **kwargs: Any) -> None:
        if counts.on:
            counts.layouts += 1
        refresh_layout(self, *args, **kwargs)

    def counting_paint(self: Screen[Any]) -> None:
        if counts.on:
            counts.paints += 1
        compositor_refresh(self)

    def counting_mount(self: Widget) -> None:
        if counts.on:
            counts.mounted[type(self).__name__] += 1
        on_mount(self)

    StylesCache.render_widget = counting_widget  # type: ignore[method-assign]
    StylesCache.render_line = counting_line  # type: ignore[method-assign]
    Screen._refresh_layout = counting_layout  # type: ignore[method-assign]
    Screen._compositor_refresh = counting_paint  # type: ignore[method-assign]
    Widget._post_mount = counting_mount  # type: ignore[method-assign]
    return counts


def run_on_the_month(diary: str, drive: Callable[[Any, Any], Awaitable[None]]) -> None:
    """`los --db DIARY` headless at 120x40; once its month is read and settled, `drive(app, pilot)`,
    then the app exits."""
    os.environ.setdefault("LOS_NOW", "2026-11-26T10:00")
    from los_tui import main as los_command
    from los_tui.cli import main as run_command

    def run_headless(app: Any) -> Any:
        async def on_the_month(pilot: Any) -> None:
            from los_tui.screens.month import MonthScreen

            while not (isinstance(app.screen, MonthScreen) and app.screen.is_loaded):
                await asyncio.sleep(0.001)
            await settle(pilot)
            await drive(app, pilot)
            app.exit()

        return app.run(headless=True, size=SIZE, auto_pilot=on_the_month)

    run_command(["--db", diary], open_screen=partial(los_command.open_app, run=run_headless))
