"""What paging the month costs Textual, counted (not timed, so the machine's load cannot move it): the
month screen's widgets, and per page (what PageDown and PageUp run, alternately, 12 pages) the layout
passes of the screen, the lines drawn afresh (Textual's per-line styling, by widget class) and the lines
composited onto the screen. Runs `los --db DIARY` headless at 120x40, as bench/tui_probe.py does.

    python bench/month_counts.py DIARY
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections import Counter
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from textual._styles_cache import StylesCache
from textual.screen import Screen
from textual.strip import Strip

from bench.tui_probe import SIZE, painted, settle

PAGES = 12
counting = False
drawn: Counter[str] = Counter()
composited: Counter[str] = Counter()
layouts = 0
drawing: list[str] = [""]


def count_the_work() -> None:
    """Wrap Textual's per-widget render, per-line styling and screen layout with counters."""
    render_widget, render_line, refresh_layout = (
        StylesCache.render_widget,
        StylesCache.render_line,
        Screen._refresh_layout,
    )

    def counting_widget(self: StylesCache, widget: Any, crop: Any) -> list[Strip]:
        drawing[0] = type(widget).__name__
        strips = render_widget(self, widget, crop)
        if counting:
            composited[drawing[0]] += len(strips)
        return strips

    def counting_line(self: StylesCache, *args: Any, **kwargs: Any) -> Strip:
        if counting:
            drawn[drawing[0]] += 1
        return render_line(self, *args, **kwargs)

    def counting_layout(self: Screen[Any], *args: Any, **kwargs: Any) -> None:
        global layouts
        if counting:
            layouts += 1
        refresh_layout(self, *args, **kwargs)

    StylesCache.render_widget = counting_widget  # type: ignore[method-assign]
    StylesCache.render_line = counting_line  # type: ignore[method-assign]
    Screen._refresh_layout = counting_layout  # type: ignore[method-assign]


def main() -> None:
    global counting
    os.environ.setdefault("LOS_NOW", "2026-11-26T10:00")
    count_the_work()
    from los_tui import main as los_command
    from los_tui.cli import main as run_command

    def run_headless(app: Any) -> Any:
        async def drive(pilot: Any) -> None:
            global counting
            from los_tui.screens.month import MonthScreen

            while not (isinstance(app.screen, MonthScreen) and app.screen.is_loaded):
                await asyncio.sleep(0.001)
            await settle(pilot)
            screen = app.screen
            print(f"widgets on the month screen {len(list(screen.walk_children(with_self=True)))}")
            for page in range(PAGES):
                month = screen.month
                counting = True
                screen.action_move_month(1 if page % 2 == 0 else -1)
                await painted(app, lambda month=month: screen.is_loaded and screen.month != month)
                counting = False
                await settle(pilot)
            print(f"layouts a page {layouts / PAGES:.2f}")
            print(f"lines drawn afresh a page {sum(drawn.values()) / PAGES:.1f}")
            print("  by widget: " + ", ".join(f"{k} {v / PAGES:.1f}" for k, v in drawn.most_common()))
            print(f"lines composited a page {sum(composited.values()) / PAGES:.1f}")
            app.exit()

        return app.run(headless=True, size=SIZE, auto_pilot=drive)

    run_command(["--db", sys.argv[1]], open_screen=partial(los_command.open_app, run=run_headless))


if __name__ == "__main__":
    main()
