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
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.textual_counts import count_the_work, run_on_the_month
from bench.tui_probe import painted, settle

OPENINGS = 12


def main() -> None:
    same = "--same" in sys.argv[2:]
    counts = count_the_work()

    async def drive(app: Any, pilot: Any) -> None:
        month = app.screen
        meetings = [m for day in sorted(month.by_day) for m in month.by_day[day]]
        cpu: list[float] = []
        wall: list[float] = []
        widgets = 0
        # The first opening builds the screen (not counted); the rest refill the kept one, in turn
        # the first few meetings of the month, as the probe opens its first one five times.
        for opening in range(OPENINGS + 1):
            meeting = meetings[0 if same else opening % 3]
            counts.on = opening > 0
            began, began_wall = time.thread_time(), time.perf_counter()
            app.open_meeting(meeting)
            await painted(app, lambda: type(app.screen).__name__ == "MeetingScreen" and app.screen.is_loaded)
            if counts.on:
                cpu.append(time.thread_time() - began)
                wall.append(time.perf_counter() - began_wall)
            await settle(pilot)
            await asyncio.sleep(0.1)  # a later frame's layout or paint counts too
            await settle(pilot)
            counts.on = False
            widgets = len(list(app.screen.walk_children(with_self=True)))
            await pilot.press("escape")
            await settle(pilot)
        mounted, drawn = counts.mounted, counts.drawn
        print(f"widgets on the meeting screen {widgets}")
        print(f"widgets mounted an opening {sum(mounted.values()) / OPENINGS:.2f}")
        if mounted:
            print("  by widget: " + ", ".join(f"{k} {v / OPENINGS:.1f}" for k, v in mounted.most_common()))
        print(f"layouts an opening {counts.layouts / OPENINGS:.2f}")
        print(f"paints (updates sent to the terminal) an opening {counts.paints / OPENINGS:.2f}")
        print(f"lines drawn afresh an opening {sum(drawn.values()) / OPENINGS:.1f}")
        print("  by widget: " + ", ".join(f"{k} {v / OPENINGS:.1f}" for k, v in drawn.most_common()))
        print(f"lines composited an opening {sum(counts.composited.values()) / OPENINGS:.1f}")
        print(f"UI-thread CPU to the meeting painted, median ms {sorted(cpu)[len(cpu) // 2] * 1000:.1f}")
        print(f"wall clock to the meeting painted, median ms {sorted(wall)[len(wall) // 2] * 1000:.1f}")

    run_on_the_month(sys.argv[1], drive)


if __name__ == "__main__":
    main()
