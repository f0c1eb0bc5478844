"""Where the time goes: each phase of the agenda, the review of a year and the export, timed in one
process (imports warm, the expansion cache cleared before each), best of 5, for each diary given.

    python bench/phases.py year.sqlite3 council-1y.sqlite3 council.sqlite3
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from los_tui.domain.agenda import build_agenda
from los_tui.domain.model import Role
from los_tui.domain.periods import Period, council_year
from los_tui.domain.recurrence import _expanded, window_for_days
from los_tui.domain.review import logs_window
from los_tui.services.diary import Diary

NOW = datetime(2026, 11, 26, 10, tzinfo=ZoneInfo("Europe/London"))
AGENDA = (date(2026, 11, 1), date(2027, 1, 29))
YEAR = Period(date(2025, 12, 1), date(2026, 11, 30))


def best(work: Callable[[], object], runs: int = 5) -> float:
    """The fastest of `runs`, in ms, each with the expansion cache empty."""
    times = []
    for _ in range(runs):
        _expanded.cache_clear()
        begin = time.perf_counter()
        work()
        times.append(time.perf_counter() - begin)
    return min(times) * 1000


def phases(path: Path) -> dict[str, float]:
    Diary.open(path, clock=lambda: NOW).close()  # the start-up check, once
    timings = {"open": best(lambda: Diary.open(path, clock=lambda: NOW).close())}
    diary = Diary.open(path, clock=lambda: NOW)
    first, last = AGENDA
    timings["agenda read"] = best(lambda: diary.meetings.history(first, last))
    commitments, logs = diary.meetings.history(first, last)
    window = window_for_days(first, last, diary.tz)
    timings["agenda expand"] = best(lambda: build_agenda(commitments, logs, *window, diary.tz))
    council = council_year(YEAR.first)
    needed = logs_window(Period(min(YEAR.first, council.first), max(YEAR.last, council.last)))
    timings["review-year read"] = best(lambda: diary.meetings.history(needed.first, needed.last))
    timings["review-year all"] = best(lambda: diary.review.load(YEAR, NOW, (Role.LMCS, Role.DCS)))
    timings["export"] = best(diary.calendar.export, 3)
    diary.close()
    return timings


def main() -> None:
    for name in sys.argv[1:]:
        timings = phases(Path(name))
        print(Path(name).name, " ".join(f"{key}={value:.1f}ms" for key, value in timings.items()))


if __name__ == "__main__":
    main()
