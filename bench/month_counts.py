"""What paging the month costs Textual, counted (not timed, so the machine's load cannot move it): the
month screen's widgets, and per page (what PageDown and PageUp run, alternately, 12 pages) the layout
passes of the screen, the lines drawn afresh (Textual's per-line styling, by widget class) and the lines
composited onto the screen. Runs `los --db DIARY` headless at 120x40, as bench/tui_probe.py does.

    python bench/month_counts.py DIARY
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.textual_counts import count_the_work, run_on_the_month
from bench.tui_probe import painted, settle

PAGES = 12


def main() -> None:
    counts = count_the_work()

    async def drive(app: Any, pilot: Any) -> None:
        screen = app.screen
        print(f"widgets on the month screen {len(list(screen.walk_children(with_self=True)))}")
        for page in range(PAGES):
            month = screen.month
            counts.on = True
            screen.action_move_month(1 if page % 2 == 0 else -1)
            await painted(app, lambda month=month: screen.is_loaded and screen.month != month)
            counts.on = False
            await settle(pilot)
        print(f"layouts a page {counts.layouts / PAGES:.2f}")
        print(f"lines drawn afresh a page {sum(counts.drawn.values()) / PAGES:.1f}")
        print("  by widget: " + ", ".join(f"{k} {v / PAGES:.1f}" for k, v in counts.drawn.most_common()))
        print(f"lines composited a page {sum(counts.composited.values()) / PAGES:.1f}")

    run_on_the_month(sys.argv[1], drive)


if __name__ == "__main__":
    main()
