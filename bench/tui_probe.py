"""Run one TUI headless and print timings as `name value` lines, for bench/run.py.

    python bench/tui_probe.py bare --started=EPOCH
    python bench/tui_probe.py los DIARY --started=EPOCH

`first_screen` is seconds from --started (taken by the parent just before it spawned this process, so
interpreter start and imports count) to the first settled screen with data; `diary_open` to when the
diary is fully open behind it. Repaints are seconds from a
key press to the settled screen. `peak_rss_mb` is this process's peak resident memory.
"""

from __future__ import annotations

import asyncio
import os
import resource
import sys
import time
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SIZE = (120, 40)


def report(name: str, value: float) -> None:
    print(f"{name} {value:.6f}", flush=True)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bare(started: float) -> None:
    """The floor: a bare Textual app with a header, a 500-row table and a footer; a 7x6 grid to repaint."""
    from textual.app import App, ComposeResult
    from textual.containers import Grid
    from textual.pilot import Pilot
    from textual.widgets import DataTable, Footer, Header, Static

    class Bare(App[None]):
        CSS = "Grid { grid-size: 7 6; height: 1fr; } DataTable { height: 1fr; }"

        def compose(self) -> ComposeResult:
            yield Header()
            yield DataTable()
            yield Grid(*(Static(f"{n}") for n in range(42)))
            yield Footer()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns("When", "Status", "Role", "Commitment")
            for n in range(500):
                table.add_row(f"day {n}", "scheduled", "LMCS", f"Meeting {n}")

    async def drive(pilot: Pilot[Any]) -> None:
        painted = asyncio.Event()  # measured as for los: the first refresh with the data on screen
        pilot.app.call_after_refresh(painted.set)
        await painted.wait()
        report("first_screen", time.time() - started)
        await pilot.pause()
        cells = list(pilot.app.query(Static))
        timings = []
        for round_ in range(5):
            begin = time.perf_counter()
            for n, cell in enumerate(cells):
                cell.update(f"{n + round_}\n09:30 Board")
            await pilot.pause()
            timings.append(time.perf_counter() - begin)
        report("repaint", sorted(timings)[len(timings) // 2])
        report("peak_rss_mb", peak_rss_mb())
        pilot.app.exit()

    Bare().run(headless=True, size=SIZE, auto_pilot=drive)


def los(diary: Path, started: float) -> None:
    from textual.pilot import Pilot

    from los_tui.app import LineOfSightApp
    from los_tui.config import Config, current_time

    config = Config()
    app = LineOfSightApp(db_path=diary, config=config, clock=lambda: current_time(config.tz))

    async def settle(pilot: Pilot[Any]) -> None:
        """Until every worker is done and the screen shows what the store holds (as the tests wait)."""
        from los_tui.screens.base import DiaryScreen

        while True:
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            screen = pilot.app.screen
            busy = any(worker.is_running for worker in pilot.app.workers)
            if not busy and (not isinstance(screen, DiaryScreen) or screen.is_loaded):
                return

    async def open_a_meeting(pilot: Pilot[Any]) -> None:
        # What Enter on a day does, on the first day this month with a meeting (some days hold several).
        screen: Any = pilot.app.screen
        day = min(screen.by_day)
        pilot.app.open_occurrence(screen.by_day[day][0])

    async def press(keys: tuple[str, ...], pilot: Pilot[Any]) -> None:
        await pilot.press(*keys)

    # (measure name, what does it, keys that undo it before the next round)
    actions: list[tuple[str, Callable[[Pilot[Any]], Awaitable[None]], tuple[str, ...]]] = [
        ("next_month", partial(press, ("pagedown",)), ("pageup",)),
        ("open_occurrence", open_a_meeting, ("escape",)),
        ("open_review", partial(press, ("f7",)), ("escape",)),
    ]

    async def drive(pilot: Pilot[Any]) -> None:
        from los_tui.screens.month import MonthScreen

        # The first settled screen: this month's meetings painted (from the app's first look) ...
        while not (isinstance(pilot.app.screen, MonthScreen) and pilot.app.screen.is_loaded):
            await asyncio.sleep(0.001)
        # Painted: the next refresh after the data arrived. (pilot.pause() would also wait for the
        # worker still opening the diary, which the user does not see.)
        painted = asyncio.Event()
        pilot.app.call_after_refresh(painted.set)
        await painted.wait()
        report("first_screen", time.time() - started)
        # ... and, for the record, when the diary is fully open behind it (SQLAlchemy loaded, checked).
        await settle(pilot)
        report("diary_open", time.time() - started)
        for name, action, back in actions:
            timings = []
            for _ in range(5):
                begin = time.perf_counter()
                await action(pilot)
                await settle(pilot)
                timings.append(time.perf_counter() - begin)
                await pilot.press(*back)
                await settle(pilot)
            report(name, sorted(timings)[len(timings) // 2])
        report("peak_rss_mb", peak_rss_mb())
        pilot.app.exit()

    app.run(headless=True, size=SIZE, auto_pilot=drive)


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--started=")]
    started = next(
        (float(a.split("=", 1)[1]) for a in sys.argv[1:] if a.startswith("--started=")), time.time()
    )
    os.environ.setdefault("LOS_NOW", "2026-11-26T10:00")
    if args[0] == "bare":
        bare(started)
    else:
        los(Path(args[1]), started)


if __name__ == "__main__":
    main()
