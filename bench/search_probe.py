"""Time the TUI's search as a user meets it, for bench/run.py: prints `search_first_results SECONDS`.

    python bench/search_probe.py DIARY [WORDS]

Runs `los --db DIARY` headless at 120x40 (as bench/tui_probe.py does), opens the search screen (F5),
types WORDS (default "supervision", in every note the bench diaries hold) and times, five times, from
Enter (the Input's submit, posted as the key would post it) to the first refresh with the first page of
results on screen; the median is printed. Pilot's own waits are kept out of what is timed.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tui_probe import SIZE, painted, report, settle


def probe(diary: Path, words: str) -> None:
    from textual.pilot import Pilot
    from textual.widgets import Input

    from los_tui import main as los_command
    from los_tui.app import LineOfSightApp
    from los_tui.screens.month import MonthScreen
    from los_tui.screens.search import SearchScreen

    run = LineOfSightApp.run

    async def drive(pilot: Pilot[Any]) -> None:
        app = pilot.app
        while not (isinstance(app.screen, MonthScreen) and app.screen.is_loaded):
            await asyncio.sleep(0.001)
        await settle(pilot)
        app.action_go("search")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        field = screen.query_one(Input)
        timings = []
        for _ in range(5):
            field.value = words
            begin = time.perf_counter()
            field.post_message(Input.Submitted(field, words))
            before = screen.showing

            def shown(before: int = before) -> bool:
                return screen.showing > before and screen.is_loaded and bool(screen.found)

            await painted(app, shown)
            timings.append(time.perf_counter() - begin)
            await settle(pilot)
            field.focus()
        report("search_first_results", statistics.median(timings))
        report("search_rows_on_screen", screen.query_one("#search-results").row_count)
        app.exit()

    def run_headless(self: LineOfSightApp, *_args: Any, **_kwargs: Any) -> Any:
        return run(self, headless=True, size=SIZE, auto_pilot=drive)

    LineOfSightApp.run = run_headless  # type: ignore[method-assign]
    los_command.main(["--db", str(diary)])


if __name__ == "__main__":
    os.environ.setdefault("LOS_NOW", "2026-11-26T10:00")
    probe(Path(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else "supervision")
