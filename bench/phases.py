"""Where the time goes: each phase of the agenda, the review of a year and the export, timed in one
process (imports warm), best of 5, for each diary given. Before each, the schedules' expansions are
forgotten and taken back from what an earlier run kept (db.expansions), as a new command starts; with
--cold nothing is taken back, as after every schedule changed.

    python bench/phases.py [--cold] year.sqlite3 council-1y.sqlite3 council.sqlite3
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from los_tui.db import expansions
from los_tui.domain.agenda import build_agenda
from los_tui.domain.model import Role
from los_tui.domain.periods import Period
from los_tui.domain.recurrence import window_for_days
from los_tui.services.diary import Diary

NOW = datetime(2026, 11, 26, 10, tzinfo=ZoneInfo("Europe/London"))
AGENDA = (date(2026, 11, 1), date(2027, 1, 29))
YEAR = Period(date(2025, 12, 1), date(2026, 11, 30))


COLD = "--cold" in sys.argv


def best(work: Callable[[], object], path: Path, runs: int = 5) -> float:
    """The fastest of `runs`, in ms, each starting with the expansions a new command starts with."""
    times = []
    for _ in range(runs):
        expansions.forget()
        if not COLD:
            expansions.recall(path)
        begin = time.perf_counter()
        work()
        times.append(time.perf_counter() - begin)
    return min(times) * 1000


def phases(path: Path) -> dict[str, float]:
    first_run = Diary.open(path, clock=lambda: NOW)  # the start-up check, and what a first run keeps
    first_run.meetings.agenda(*AGENDA)
    first_run.review.load(YEAR, NOW, (Role.LMCS, Role.DCS))
    first_run.calendar.export()
    first_run.close()
    timings = {"open": best(lambda: Diary.open(path, clock=lambda: NOW).close(), path)}
    diary = Diary.open(path, clock=lambda: NOW)
    first, last = AGENDA
    timings["agenda read"] = best(lambda: diary.meetings.history(first, last), path)
    commitments, logs = diary.meetings.history(first, last)
    window = window_for_days(first, last, diary.tz)
    timings["agenda expand"] = best(lambda: build_agenda(commitments, logs, *window, diary.tz), path)
    # What the review of a year reads: its own days for all, the year before for period commitments.
    timings["review-year read"] = best(lambda: diary.review._history(YEAR), path)
    timings["review-year all"] = best(lambda: diary.review.load(YEAR, NOW, (Role.LMCS, Role.DCS)), path)
    timings["export"] = best(diary.calendar.export, path, 3)
    expansions.forget()  # so closing keeps nothing from the last phase alone
    diary.close()
    return timings


def main() -> None:
    for name in (argument for argument in sys.argv[1:] if argument != "--cold"):
        timings = phases(Path(name))
        print(Path(name).name, " ".join(f"{key}={value:.1f}ms" for key, value in timings.items()))


if __name__ == "__main__":
    main()
