"""The plain table of `los review` a year (cli/review.py `text_table`): its cost alone, two ways.

    python bench/review_table.py time DIARY...      # min of many in one process, on a loaded report
    valgrind --tool=callgrind --dump-before=os_getppid --callgrind-out-file=OUT.%p \\
        python bench/review_table.py command DIARY   # the whole command; OUT.PID.2 is the table alone

`time` loads a year's review once per diary and writes its table many times, with the run's text
caches (the days', the times', whether the clocks change on a day) emptied before each, as in a new
command ("cold"), then kept ("warm"). `command` runs `los review --from 2025-12-01 --to 2026-11-30
--as-of 2026-11-26` as the bench does, calling os.getppid() as the table starts and as it ends, so
callgrind's dump before each call leaves the table's instructions in its second part.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import los_tui.cli.review as review_cli
from los_tui.domain import day_text
from los_tui.domain.model import Role
from los_tui.domain.moments import clocks_change_on
from los_tui.domain.periods import Period
from los_tui.domain.review import ReviewReport, end_of_day

TZ = "Europe/London"
NOW = datetime(2026, 11, 26, 10, tzinfo=ZoneInfo(TZ))
YEAR = Period(date(2025, 12, 1), date(2026, 11, 30))
REPEATS = 300


def forget_texts() -> None:
    day_text.day_text.cache_clear()
    day_text._CLOCK_TEXTS.clear()
    clocks_change_on.cache_clear()


def best_of(report: ReviewReport, before: bool) -> float:
    """The fastest of REPEATS tables, in ms (each table makes its items again: they are not kept)."""
    fastest = float("inf")
    for _ in range(REPEATS):
        if before:
            forget_texts()
        begin = time.perf_counter()
        review_cli.text_table(report)
        fastest = min(fastest, time.perf_counter() - begin)
    return fastest * 1000


def timed(paths: list[str]) -> None:
    from los_tui.services.diary import Diary

    for path in paths:
        diary = Diary.open(Path(path), clock=lambda: NOW, tz=TZ, create=False)
        report = diary.review.load(YEAR, end_of_day(date(2026, 11, 26), TZ), (Role.LMCS, Role.DCS))
        cold, warm = best_of(report, before=True), best_of(report, before=False)
        print(f"{Path(path).name}: text_table cold {cold:.3f} ms, warm {warm:.3f} ms (min of {REPEATS})")
        diary.close()


def command(path: str) -> None:
    from los_tui.main import run

    written = review_cli.text_table

    def bracketed(report: ReviewReport) -> str:
        os.getppid()
        text = written(report)
        os.getppid()
        return text

    review_cli.text_table = bracketed
    os.environ["LOS_NOW"] = "2026-11-26T10:00"
    sys.argv = ["los", "--db", path, "review", "--from", "2025-12-01", "--to", "2026-11-30"]
    sys.argv += ["--as-of", "2026-11-26"]
    run()


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "time":
        timed(sys.argv[2:])
    elif len(sys.argv) == 3 and sys.argv[1] == "command":
        command(sys.argv[2])
    else:
        sys.exit(__doc__)
