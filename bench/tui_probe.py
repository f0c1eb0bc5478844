"""Run one TUI headless and print timings as `name value` lines, for bench/run.py.

    python bench/tui_probe.py bare --started=EPOCH
    python bench/tui_probe.py los DIARY --started=EPOCH
    python bench/tui_probe.py first DIARY --started=EPOCH   (the first settled screen alone; DIARY may
                                                            be a postgresql:// URL)

`los` runs `los --db DIARY` through the command line's own entry (argument parsing, configuration,
paths), with Textual told to run headless. `first_screen` is seconds from --started (taken by the
parent just before it spawned this process, so interpreter start and imports count) to the first
settled screen with data; `diary_open` to when the diary is fully open behind it. Repaints are
seconds from the action a key runs to the first refresh with the new data on screen, timed the same
way for both apps (Textual's `pilot.press` and `pilot.pause` wait for the process to idle in 20 ms
steps, which would swamp what is measured). A refresh while Textual holds the screen's updates (a
switch of mode holds them 50 ms) paints nothing, so it is not counted.
`open_agenda` is F3 from the month (the agenda's next 30 days, shown again after the first round);
`back_from_agenda` and `back_from_meeting` are Esc from the agenda and from an open meeting, to the
month on screen.
`open_review` is the review opened again with nothing changed since it was last counted (it is then
shown as it was); `open_review_after_a_change` is the review opened after another program changed a
meeting's status in this quarter: shown at once with its last counts, marked as counting again, while
it is read and counted afresh; `review_recounted_after_a_change` is from the same key to the new counts
drawn.
The bare app's `repaint` is its 42-cell grid (the month's size) updated; its `review_repaint` is a
kept screen the size of the review (a 34 x 12 table and a 34-row heatmap) filled with new values and
shown, which is what showing the review after a change asks of Textual.
`peak_rss_mb` is this process's peak resident memory after all that (reading only);
`peak_rss_after_write_mb` after one note is then saved, which loads SQLAlchemy Core. The bare app's
`peak_rss_with_orm_mb` is its peak once its screens were shown and `sqlalchemy.orm` was then imported.
"""

from __future__ import annotations

import asyncio
import gc
import os
import resource
import sqlite3
import sys
import threading
import time
from collections.abc import Awaitable, Callable
from contextlib import closing
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

if TYPE_CHECKING:
    from textual.pilot import Pilot

SIZE = (120, 40)


def report(name: str, value: float) -> None:
    print(f"{name} {value:.6f}", flush=True)


# Steps of the start, each as `at_STEP` (wall seconds since --started) and `cpu_STEP` (the process's CPU
# seconds): a first screen slower than usual shows in which step its time went.


def mark(step: str, started: float) -> None:
    report(f"at_{step}", time.time() - started)
    report(f"cpu_{step}", time.process_time())


class StartEvents:
    """What happens in the process until its first screen that could differ from run to run: modules
    compiled (no current bytecode), files opened for writing from Python, modules loaded, the cyclic
    garbage collector's collections and their seconds, and the threads running then (`start_*` lines).
    Counted by wrapping the loader's compile and `open` until the first screen, then put back (an audit
    hook would stay for the whole run, called on every `id()`: ~14,000 calls until the first screen)."""

    def __init__(self) -> None:
        import builtins
        from importlib.machinery import SourceFileLoader

        self.counting = False
        self.counts = {"compiles": 0, "writes": 0, "collections": 0}
        self.collecting = 0.0
        self._began = 0.0
        self._put_back: list[Callable[[], None]] = []

        def counted(owner: Any, name: str, is_counted: Callable[..., bool], count: str) -> None:
            real = getattr(owner, name)

            def wrapper(*args: Any, **kwargs: Any) -> Any:
                if is_counted(*args, **kwargs):
                    self.counts[count] += 1
                return real(*args, **kwargs)

            setattr(owner, name, wrapper)
            self._put_back.append(lambda: setattr(owner, name, real))

        def writing(_file: object, mode: str = "r", *_args: Any, **_kwargs: Any) -> bool:
            return any(c in mode for c in "wax+")

        def os_writing(_path: object, flags: int, *_args: Any, **_kwargs: Any) -> bool:
            return bool(flags & (os.O_WRONLY | os.O_RDWR))

        counted(SourceFileLoader, "source_to_code", lambda *_a, **_k: True, "compiles")
        counted(builtins, "open", writing, "writes")
        counted(os, "open", os_writing, "writes")
        gc.callbacks.append(self._collection)
        self.counting = True

    def _collection(self, phase: str, info: dict[str, int]) -> None:
        if not self.counting:
            return
        if phase == "start":
            self._began = time.perf_counter()
        else:
            self.counts["collections"] += 1
            self.collecting += time.perf_counter() - self._began

    def report(self) -> None:
        self.counting = False
        for put_back in self._put_back:
            put_back()
        gc.callbacks.remove(self._collection)
        for name, count in self.counts.items():
            report(f"start_{name}", count)
        report("start_modules", len(sys.modules))
        report("start_threads", threading.active_count())  # running then (the main thread is one)
        report("start_collecting", self.collecting)


START_EVENTS: StartEvents | None = None  # made by main(), for the probes run from it


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def painted(app: Any, ready: Callable[[], bool] = lambda: True) -> float:
    """Until `ready()` (the data is on screen), then until the next refresh has painted it; returns the
    wall-clock time (time.time()) at which that refresh was done, taken in the callback Textual runs after
    it, not when this coroutine next runs (for los the diary's opening starts at that refresh, and this
    task's turn could come up to ~15 ms later, the opening holding the interpreter meanwhile).

    While Textual holds the screen's updates (`batch_update`, and the 50 ms `delay_update` of every switch
    of mode) a callback asked for after the refresh runs at once, with nothing painted: wait them out."""
    while not ready() or app._batch_count:
        await asyncio.sleep(0.0005)
    done = asyncio.Event()
    at: list[float] = []

    def refreshed() -> None:
        at.append(time.time())
        done.set()

    app.call_after_refresh(refreshed)
    await done.wait()
    return at[0]


def bare(started: float) -> None:
    """The floor: a bare Textual app with a header, a 500-row table and a footer; a 7x6 grid to repaint
    (the month's size); and a kept screen of the review's size to refill and show (see ReviewSized)."""
    mark("main", started)
    from rich.text import Text
    from textual.app import App, ComposeResult
    from textual.containers import Grid, VerticalScroll
    from textual.screen import Screen
    from textual.widgets import DataTable, Footer, Header, Static

    class Bare(App[None]):
        CSS = "Grid { grid-size: 7 6; height: 1fr; } DataTable { height: 1fr; }"

        def compose(self) -> ComposeResult:
            yield Header()
            yield DataTable()
            yield Grid(*(Static(f"{n}") for n in range(42)))
            yield Footer()

        def on_mount(self) -> None:
            mark("mounting", started)
            table = self.query_one(DataTable)
            table.add_columns("When", "Status", "Role", "Commitment")
            for n in range(500):
                table.add_row(f"day {n}", "scheduled", "LMCS", f"Meeting {n}")

    class ReviewSized(Screen[None]):
        """A screen the size of the review's: title, totals, a 34 x 12 table and a 34 x 12 heatmap."""

        CSS = "#table { height: 1fr; } #heatmap-box { height: 40%; overflow-x: auto; }"

        def compose(self) -> ComposeResult:
            yield Static(id="title")
            yield Static(id="totals")
            yield DataTable(id="table", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="heatmap-box"):
                yield Static(id="heatmap")
            yield Footer()

        def on_mount(self) -> None:
            self.query_one(DataTable).add_columns(
                "Role", "Commitment", "Rating", *(f"Count {n}" for n in range(8)), "Frequency"
            )

        def fill(self, round_: int) -> None:
            """New counts in every row, as a recount shows them: what the review draws afresh."""
            self.query_one("#title", Static).update(Text(f"Review 2026-Q4, round {round_}"))
            self.query_one("#totals", Static).update(Text(f"Expected {100 + round_}   Attended 80"))
            table = self.query_one(DataTable)
            table.clear()
            colours = ("on green", "on yellow", "on red", "on blue")
            for row in range(34):
                table.add_row(
                    Text("LMCS"),
                    Text(f"A commitment of the protocol, number {row} of them"[:47]),
                    Text(" On track ", style=f"bold {colours[(row + round_) % 4]}"),
                    *(Text(str(row * n + round_), justify="right") for n in range(8)),
                    Text("Quarterly"),
                )
            heatmap = Text("The council year at a glance\n", style="bold")
            for row in range(34):
                heatmap.append(f"\n{'A commitment of the protocol, number ' + str(row):<40}")
                for month in range(12):
                    heatmap.append(" ").append("   ", style=colours[(row + month + round_) % 4])
            self.query_one("#heatmap", Static).update(heatmap)

    async def drive(pilot: Pilot[Any]) -> None:
        # Measured as for los: the first refresh with the data on screen.
        report("first_screen", await painted(pilot.app) - started)
        report("first_screen_cpu", time.process_time())  # the process's CPU until then, whatever the load
        if START_EVENTS is not None:
            START_EVENTS.report()
        await pilot.pause()
        cells = list(pilot.app.query(Static))
        timings = []
        for round_ in range(5):
            begin = time.perf_counter()
            for n, cell in enumerate(cells):
                cell.update(f"{n + round_}\n09:30 Board")
            await painted(pilot.app)
            timings.append(time.perf_counter() - begin)
            await pilot.pause()
        report("repaint", sorted(timings)[len(timings) // 2])
        report("peak_rss_mb", peak_rss_mb())  # the memory floor: before the review-sized screen below
        # Kept, and shown once first, as los's review has been before it is measured after a change.
        pilot.app.install_screen(review_sized, "review")
        pilot.app.push_screen(review_sized)
        await pilot.pause()
        pilot.app.pop_screen()
        await pilot.pause()
        timings = []
        for round_ in range(5):
            begin = time.perf_counter()
            review_sized.fill(round_)
            pilot.app.push_screen(review_sized)
            await painted(pilot.app)
            timings.append(time.perf_counter() - begin)
            await pilot.pause()
            pilot.app.pop_screen()
            await pilot.pause()
        report("review_repaint", sorted(timings)[len(timings) // 2])
        # The floor for a session that writes: SQLAlchemy is the store's library, so its ORM loaded into
        # the bare app once its screens (the review-sized one too, as los's review) have been shown.
        import sqlalchemy.orm  # noqa: F401

        report("peak_rss_with_orm_mb", peak_rss_mb())
        pilot.app.exit()

    review_sized = ReviewSized()
    mark("running", started)
    Bare().run(headless=True, size=SIZE, auto_pilot=drive)


async def settle(pilot: Any) -> None:
    """Until every worker is done and the screen shows what the store holds (as the tests wait)."""
    from textual.worker import WorkerCancelled

    from los_tui.screens.base import DiaryScreen

    while True:
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:
            # An exclusive worker replaced by a newer one (a reload overtaken by the next): that is
            # the app working as meant, so wait again for what is still running.
            await pilot.pause()
            continue
        await pilot.pause()
        screen = pilot.app.screen
        busy = any(worker.is_running for worker in pilot.app.workers)
        if not busy and (not isinstance(screen, DiaryScreen) or screen.is_loaded):
            return


def los(diary: Path | str, started: float, only_first: bool = False) -> None:
    """`los --db DIARY` as a user starts it (the command line's parsing, configuration and paths
    included), with Textual told to run headless and driven by `drive` below. Only what `los` itself
    imports before the app runs is imported first: the app's modules and Textual are imported by
    `los_tui.main.open_app`, as they are when a user starts `los`."""
    mark("main", started)
    from los_tui import main as los_command
    from los_tui.cli import main as run_command

    app: Any = None

    def run_headless(started_app: Any) -> Any:
        nonlocal app
        app = started_app
        mark("running", started)
        from los_tui.screens.month import MonthScreen

        mount = MonthScreen.on_mount

        def on_mount(screen: Any) -> None:
            mark("mounting", started)
            mount(screen)

        MonthScreen.on_mount = on_mount  # type: ignore[method-assign]
        return app.run(headless=True, size=SIZE, auto_pilot=drive)

    def shown(kind: str, loaded: Callable[[Any], bool]) -> Callable[[], bool]:
        def ready() -> bool:
            screen = app.screen
            return type(screen).__name__ == kind and loaded(screen)

        return ready

    async def next_month(pilot: Pilot[Any]) -> None:  # what PageDown runs
        screen: Any = pilot.app.screen
        month = screen.month
        screen.action_move_month(1)
        await painted(app, shown("MonthScreen", lambda s: s.is_loaded and s.month != month))

    async def open_a_meeting(pilot: Pilot[Any]) -> None:
        # What Enter on a day does, on the first day this month with a meeting (some days hold several).
        screen: Any = pilot.app.screen
        day = min(screen.by_day)
        pilot.app.open_meeting(screen.by_day[day][0])
        await painted(app, shown("MeetingScreen", lambda s: s.is_loaded))

    async def open_agenda(pilot: Pilot[Any]) -> None:  # what F3 runs, from the month
        pilot.app.action_go("agenda")
        await painted(app, shown("AgendaScreen", lambda s: s.is_loaded))

    async def back_from_agenda(pilot: Pilot[Any]) -> None:  # what Esc runs on the agenda
        pilot.app.screen.action_go_back()
        await painted(app, shown("MonthScreen", lambda s: s.is_loaded))

    async def back_from_meeting(pilot: Pilot[Any]) -> None:  # what Esc runs on a meeting
        pilot.app.screen.action_back()
        await painted(app, shown("MonthScreen", lambda s: s.is_loaded))

    async def open_review(pilot: Pilot[Any]) -> None:  # what F7 runs
        pilot.app.action_go("review")
        await painted(app, shown("ReviewScreen", lambda s: s.report is not None))

    flips = 0

    def change_elsewhere() -> None:
        """Another program turns one of this quarter's logged meetings from attended to missed, or back."""
        nonlocal flips
        flips += 1
        with closing(sqlite3.connect(diary)) as connection, connection:
            connection.execute(
                "UPDATE occurrence_logs SET status = CASE status WHEN 'attended' THEN 'missed' "
                "ELSE 'attended' END WHERE id = (SELECT id FROM occurrence_logs WHERE status IS NOT NULL "
                "AND original_start >= '2026-10-01' AND original_start < '2026-11-20' ORDER BY id LIMIT 1)"
            )

    recounted: list[float] = []

    async def open_review_after_a_change(pilot: Pilot[Any]) -> float:
        """Shown at once with the last counts, marked as counting again (the time returned); the new
        counts drawn are timed from the same key, for the record."""
        begin = time.perf_counter()
        await open_review(pilot)
        on_screen = time.perf_counter() - begin
        await painted(app, shown("ReviewScreen", lambda s: s.is_loaded))
        recounted.append(time.perf_counter() - begin)
        return on_screen

    async def before_each(name: str, pilot: Pilot[Any]) -> None:
        if name == "back_from_agenda":
            pilot.app.action_go("agenda")
            await settle(pilot)
        elif name == "back_from_meeting":
            screen: Any = pilot.app.screen
            pilot.app.open_meeting(screen.by_day[min(screen.by_day)][0])
            await settle(pilot)
        elif name == "open_review_after_a_change":
            change_elsewhere()
            pilot.app.watch_for_changes()  # as the app's next watch tick would: the month reloads
            await settle(pilot)

    async def write_a_note(pilot: Pilot[Any]) -> Callable[[], Awaitable[object]]:
        """Save one note; returns what puts it back as it was."""
        screen: Any = pilot.app.screen
        meeting = screen.by_day[min(screen.by_day)][0]
        await asyncio.to_thread(pilot.app.diary.meetings.save_note, meeting, meeting.note + " (read again)")
        return lambda: asyncio.to_thread(pilot.app.diary.meetings.save_note, meeting, meeting.note)

    # (measure name, what does it, keys that undo it before the next round)
    actions: list[tuple[str, Callable[[Pilot[Any]], Awaitable[float | None]], tuple[str, ...]]] = [
        ("next_month", next_month, ("pageup",)),
        ("open_occurrence", open_a_meeting, ("escape",)),
        ("back_from_meeting", back_from_meeting, ()),
        ("open_agenda", open_agenda, ("escape",)),
        ("back_from_agenda", back_from_agenda, ()),
        ("open_review", open_review, ("escape",)),
        ("open_review_after_a_change", open_review_after_a_change, ("escape",)),
    ]

    # Full (oldest-generation) collections of the cyclic garbage collector that start inside a measured
    # key: counted, with their time, since one can take longer than the key itself.
    in_key = False
    full_collections: list[tuple[str, float]] = []
    collection_began = 0.0

    def on_collection(phase: str, info: dict[str, int]) -> None:
        nonlocal collection_began
        if info["generation"] != 2 or not in_key:
            return
        if phase == "start":
            collection_began = time.perf_counter()
        else:
            full_collections.append((current, time.perf_counter() - collection_began))

    current = ""
    gc.callbacks.append(on_collection)

    async def drive(pilot: Pilot[Any]) -> None:
        nonlocal in_key, current
        from los_tui.screens.month import MonthScreen  # imported by the app by now

        # The first settled screen: this month's meetings painted (from the app's first look) ...
        while not (isinstance(pilot.app.screen, MonthScreen) and pilot.app.screen.is_loaded):
            await asyncio.sleep(0.001)
        # Painted: the next refresh after the data arrived. (pilot.pause() would also wait for the
        # worker still opening the diary, which the user does not see.)
        report("first_screen", await painted(pilot.app) - started)
        report("first_screen_cpu", time.process_time())  # the process's CPU until then, whatever the load
        # Whether it was the first look (read before the diary is open) that was painted, or the month
        # read once the diary was fully open (then the first screen waited for the whole opening).
        report("first_screen_from_first_look", float(pilot.app.diary is None))
        if START_EVENTS is not None:
            START_EVENTS.report()
        if only_first:
            await settle(pilot)
            pilot.app.exit()
            return
        # ... and, for the record, when the diary is fully open behind it (checked, backed up daily).
        await settle(pilot)
        report("diary_open", time.time() - started)
        for name, action, back in actions:
            timings = []
            for _ in range(5):
                await before_each(name, pilot)
                # The key that runs the action is input to the app, as a user's key is (the app holds
                # its full garbage collections back while the user is at the keys).
                if hasattr(pilot.app, "collector"):
                    pilot.app.collector.input_seen()
                begin = time.perf_counter()
                in_key, current = True, name
                own = await action(pilot)  # an action that times itself says so
                in_key = False
                timings.append(own if own is not None else time.perf_counter() - begin)
                await settle(pilot)
                if back:
                    await pilot.press(*back)
                    await settle(pilot)
            report(name, sorted(timings)[len(timings) // 2])
        report("review_recounted_after_a_change", sorted(recounted)[len(recounted) // 2])
        report("full_collections_in_keys", len(full_collections))
        report("full_collection_seconds_in_keys", sum(seconds for _, seconds in full_collections))
        for key, seconds in full_collections:
            print(f"full collection in {key}: {seconds * 1000:.0f} ms", file=sys.stderr)
        report("peak_rss_mb", peak_rss_mb())
        put_back = await write_a_note(pilot)
        report("peak_rss_after_write_mb", peak_rss_mb())
        # Leave the diary as it was found, for the next run's figures to be about the same diary.
        await put_back()
        if flips % 2:
            change_elsewhere()
        pilot.app.exit()

    run_command(["--db", str(diary)], open_screen=partial(los_command.open_app, run=run_headless))


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--started=")]
    started = next(
        (float(a.split("=", 1)[1]) for a in sys.argv[1:] if a.startswith("--started=")), time.time()
    )
    os.environ.setdefault("LOS_NOW", "2026-11-26T10:00")
    global START_EVENTS
    START_EVENTS = StartEvents()
    if args[0] == "bare":
        bare(started)
    elif args[0] == "first":
        los(args[1], started, only_first=True)
    else:
        los(Path(args[1]), started)


if __name__ == "__main__":
    main()
