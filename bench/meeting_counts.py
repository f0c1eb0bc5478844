"""What opening a meeting costs Textual, counted (not timed, so the machine's load cannot move it): the
meeting screen's widgets, and per opening (what Enter on a day in the month runs, on the kept meeting
screen, as the probe's rounds after the first do) the widgets mounted, the layout passes of the screen,
the paints (updates sent to the terminal), the lines drawn afresh (Textual's per-line styling, by widget
class) and the lines composited onto the screen, from the key until everything is settled (a second
layout or paint a frame later counts). Also the UI thread's CPU time from the key to the first refresh
with the meeting on screen, which the load moves far less than the wall clock (also printed). Runs
`los --db DIARY` headless at 120x40, as bench/tui_probe.py does.

    python bench/meeting_counts.py DIARY [--same]

`--same` opens the month's first meeting every time, as bench/tui_probe.py's rounds do (what was drawn
for it and is the same again need not be drawn again); by default three meetings are opened in turn.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections import Counter
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from textual._styles_cache import StylesCache
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget

from bench.tui_probe import SIZE, painted, settle

OPENINGS = 12
counting = False
drawn: Counter[str] = Counter()
composited: Counter[str] = Counter()
mounted: Counter[str] = Counter()
layouts = 0
paints = 0
drawing: list[str] = [""]


def count_the_work() -> None:
    """Wrap Textual's per-widget render, per-line styling, screen layout and mounting with counters."""
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

    def counting_paint(self: Screen[Any]) -> None:
        global paints
        if counting:
            paints += 1
        compositor_refresh(self)

    def counting_mount(self: Widget) -> None:
        if counting:
            mounted[type(self).__name__] += 1
        on_mount(self)

    StylesCache.render_widget = counting_widget  # type: ignore[method-assign]
    StylesCache.render_line = counting_line  # type: ignore[method-assign]
    Screen._refresh_layout = counting_layout  # type: ignore[method-assign]
    Screen._compositor_refresh = counting_paint  # type: ignore[method-assign]
    Widget._post_mount = counting_mount  # type: ignore[method-assign]


def main() -> None:
    os.environ.setdefault("LOS_NOW", "2026-11-26T10:00")
    same = "--same" in sys.argv[2:]
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
            month = app.screen
            meetings = [m for day in sorted(month.by_day) for m in month.by_day[day]]
            cpu: list[float] = []
            wall: list[float] = []
            widgets = 0
            # The first opening builds the screen (not counted); the rest refill the kept one, in turn
            # the first few meetings of the month, as the probe opens its first one five times.
            for opening in range(OPENINGS + 1):
                meeting = meetings[0 if same else opening % 3]
                counting = opening > 0
                began, began_wall = time.thread_time(), time.perf_counter()
                app.open_meeting(meeting)
                await painted(
                    app, lambda: type(app.screen).__name__ == "MeetingScreen" and app.screen.is_loaded
                )
                if counting:
                    cpu.append(time.thread_time() - began)
                    wall.append(time.perf_counter() - began_wall)
                await settle(pilot)
                await asyncio.sleep(0.1)  # a later frame's layout or paint counts too
                await settle(pilot)
                counting = False
                widgets = len(list(app.screen.walk_children(with_self=True)))
                await pilot.press("escape")
                await settle(pilot)
            print(f"widgets on the meeting screen {widgets}")
            print(f"widgets mounted an opening {sum(mounted.values()) / OPENINGS:.2f}")
            if mounted:
                print(
                    "  by widget: " + ", ".join(f"{k} {v / OPENINGS:.1f}" for k, v in mounted.most_common())
                )
            print(f"layouts an opening {layouts / OPENINGS:.2f}")
            print(f"paints (updates sent to the terminal) an opening {paints / OPENINGS:.2f}")
            print(f"lines drawn afresh an opening {sum(drawn.values()) / OPENINGS:.1f}")
            print("  by widget: " + ", ".join(f"{k} {v / OPENINGS:.1f}" for k, v in drawn.most_common()))
            print(f"lines composited an opening {sum(composited.values()) / OPENINGS:.1f}")
            print(f"UI-thread CPU to the meeting painted, median ms {sorted(cpu)[len(cpu) // 2] * 1000:.1f}")
            print(f"wall clock to the meeting painted, median ms {sorted(wall)[len(wall) // 2] * 1000:.1f}")
            app.exit()

        return app.run(headless=True, size=SIZE, auto_pilot=drive)

    run_command(["--db", sys.argv[1]], open_screen=partial(los_command.open_app, run=run_headless))


if __name__ == "__main__":
    main()
