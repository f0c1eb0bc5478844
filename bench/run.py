"""Measure los-tui against its floors, side by side in one run, and print a Markdown table.

Usage: python bench/run.py [--runs N] [--only cli|import|tui|search] [--workdir DIR] [--smoke]

`--smoke` (what .ci/run does) builds small stand-in diaries and runs everything once, checking no limit:
it only shows that the bench still runs end to end (a noisy CI machine can never fail it).

Each target is a ratio of medians of interleaved runs (ours, floor, ours, floor, ...), so a noisy shared
machine slows both sides alike. Uses only the standard library and the project's own dependencies.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYTHON = sys.executable
NOW = "2026-11-26T10:00"
ENV = {**os.environ, "LOS_NOW": NOW, "PYTHONPATH": str(ROOT)}


@dataclass
class Row:
    target: str
    ours: float
    floor: float
    limit: float
    unit: str = "s"

    @property
    def ratio(self) -> float:
        return self.ours / self.floor

    @property
    def met(self) -> bool:
        return self.ratio <= self.limit


def wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def probe(command: list[str]) -> dict[str, float]:
    """Run a probe script that prints `name value` lines; returns them as a dict."""
    done = subprocess.run(command, env=ENV, capture_output=True, text=True, check=True)
    values = {}
    for line in done.stdout.splitlines():
        name, _, value = line.partition(" ")
        values[name] = float(value)
    return values


def interleave(runs: int, ours: Callable[[], float], floor: Callable[[], float]) -> tuple[float, float]:
    # One run of each first, not counted: the first command on a copied diary checks the file and keeps
    # its expansions afresh (once a day, or after a change), which every later command is spared.
    ours(), floor()
    mine, theirs = [], []
    for _ in range(runs):
        mine.append(ours())
        theirs.append(floor())
    return statistics.median(mine), statistics.median(theirs)


# The diaries compared: a council's (200 commitments, twenty years of history) against a one-year diary of
# the protocol's 34, and (for the record) the council's commitments over one year, which separates the
# growth of history from the breadth of 200 commitments. The smoke pass uses small stand-ins.
DIARIES = {
    "council": ["--commitments", "200", "--years", "20", "--logs", "50000", "--notes", "10000"],
    "year": ["--commitments", "34", "--years", "1"],
    "council-1y": ["--commitments", "200", "--years", "1"],
}
SMOKE_DIARIES = {
    "council": ["--commitments", "60", "--years", "3", "--logs", "2000", "--notes", "400"],
    "year": ["--commitments", "34", "--years", "1"],
    "council-1y": ["--commitments", "60", "--years", "1"],
}


def build_diaries(workdir: Path, sizes: dict[str, list[str]]) -> dict[str, Path]:
    diaries = {}
    for name, arguments in sizes.items():
        path = workdir / f"diary-{'-'.join(a.lstrip('-') for a in arguments)}.sqlite3"
        if not path.exists():
            subprocess.run(
                [PYTHON, str(HERE / "make_diary.py"), *arguments, "--now", NOW, "-o", str(path)],
                env=ENV,
                check=True,
            )
        diaries[name] = path
    return diaries


def los(db: Path | str, *args: str) -> list[str]:
    return [PYTHON, "-m", "los_tui", "--db", str(db), *args]


def timed(db: Path | str, command: list[str]) -> float:
    return wall(los(db, *command))


AGENDA = ["agenda", "--from", "2026-11-01", "--to", "2027-01-29"]
REVIEW_QUARTER = ["review", "--quarter", "2026-Q4", "--as-of", "2026-11-26"]
REVIEW_YEAR = ["review", "--from", "2025-12-01", "--to", "2026-11-30", "--as-of", "2026-11-26"]


def cli_rows(diaries: dict[str, Path], runs: int, workdir: Path) -> list[Row]:
    export = ["export", "ics", "-o", str(workdir / "out.ics")]
    commands = {
        "`los agenda` 90 days": (AGENDA, 1.1),
        "`los review` a quarter": (REVIEW_QUARTER, 1.1),
        "`los review` a year": (REVIEW_YEAR, 1.1),
        "`los export ics`": (export, 1.5),
    }
    rows = []
    for label, (command, limit) in commands.items():
        ours, floor = interleave(
            runs,
            partial(timed, diaries["council"], command),
            partial(timed, diaries["year"], command),
        )
        rows.append(Row(f"{label}: council-scale diary / one-year diary", ours, floor, limit))
    for label, (command, _limit) in commands.items():
        ours, floor = interleave(
            runs,
            partial(timed, diaries["council"], command),
            partial(timed, diaries["council-1y"], command),
        )
        rows.append(
            Row(
                f"{label}: council-scale / its 200 commitments over one year (for the record)",
                ours,
                floor,
                INF,
            )
        )
    floor_cmd = [PYTHON, "-c", "import sqlalchemy.orm, dateutil.rrule"]
    ours, floor = interleave(runs, lambda: wall(los(diaries["council"], *AGENDA)), lambda: wall(floor_cmd))
    rows.append(
        Row("`los agenda` 90 days, council-scale diary / import SQLAlchemy ORM + dateutil", ours, floor, 1.2)
    )
    return rows


INF = float("inf")
SEARCH = ["search", "supervision"]  # in every note of the bench diaries: 10,000 on the council's


def search_rows(diaries: dict[str, Path], runs: int) -> list[Row]:
    """`los search` and the search screen's first results after Enter (bench/search_probe.py)."""
    ours, floor = interleave(
        runs, partial(timed, diaries["council"], SEARCH), partial(timed, diaries["year"], SEARCH)
    )
    rows = [Row("`los search supervision`: council-scale diary / one-year diary", ours, floor, 1.5)]
    screen: dict[str, list[float]] = {"council": [], "year": []}
    for _ in range(runs):
        for name, samples in screen.items():
            found = probe([PYTHON, str(HERE / "search_probe.py"), str(diaries[name]), SEARCH[1]])
            samples.append(found["search_first_results"])
    council, year = (statistics.median(screen[name]) for name in ("council", "year"))
    rows.append(
        Row("TUI search, first results after Enter: council-scale diary / one-year diary", council, year, 1.5)
    )
    rows.append(
        Row("TUI search, first results after Enter, council-scale diary / 150 ms", council, 0.150, 1.0)
    )
    return rows


def server_rows(diaries: dict[str, Path], runs: int, sizes: dict[str, list[str]]) -> list[Row]:
    """`los agenda` on a diary on a PostgreSQL server (started here, over a Unix socket, as the tests
    start theirs) beside the same diary as a file; none where no PostgreSQL is installed."""
    sys.path.insert(0, str(ROOT / "tests"))
    try:
        from pg_server import running_server

        with running_server() as server:
            done = server.psql("postgres", "CREATE DATABASE los_bench")
            if done.returncode:
                raise RuntimeError(done.stderr)
            url = server.url("los_bench")
            subprocess.run(
                [PYTHON, str(HERE / "make_diary.py"), *sizes["year"], "--now", NOW, "-o", url],
                env=ENV,
                check=True,
            )
            ours, floor = interleave(
                runs, partial(timed, url, AGENDA), partial(timed, diaries["year"], AGENDA)
            )
            rows = [
                Row(
                    "`los agenda` 90 days: one-year diary on a server (Unix socket) / as a file",
                    ours,
                    floor,
                    1.5,
                )
            ]
            first = [PYTHON, str(HERE / "tui_probe.py"), "first"]
            screens: dict[str, list[float]] = {"server": [], "file": []}
            for _ in range(runs):
                for name, where in (("server", url), ("file", str(diaries["year"]))):
                    values = probe([*first, where, f"--started={time.time()}"])
                    screens[name].append(values["first_screen"])
            rows.append(
                Row(
                    "TUI first settled screen: one-year diary on a server (Unix socket) / as a file",
                    statistics.median(screens["server"]),
                    statistics.median(screens["file"]),
                    1.5,
                )
            )
    except BaseException as exc:  # pytest's skip (no PostgreSQL here) is a BaseException
        if isinstance(exc, KeyboardInterrupt):
            raise
        print(f"no server rows: {' '.join(str(exc).split())[:200]}", file=sys.stderr)
        return []
    return rows


def server_search_rows(diaries: dict[str, Path], runs: int) -> list[Row]:
    """`los search` on the council-scale diary copied (`los copy`) to a PostgreSQL server, where migration
    0006's index answers, beside the same diary as a file; none where no PostgreSQL is installed."""
    sys.path.insert(0, str(ROOT / "tests"))
    try:
        from pg_server import running_server

        with running_server() as server:
            done = server.psql("postgres", "CREATE DATABASE los_bench_search")
            if done.returncode:
                raise RuntimeError(done.stderr)
            url = server.url("los_bench_search")
            copy = [PYTHON, "-m", "los_tui", "copy", str(diaries["council"]), url]
            subprocess.run(copy, env=ENV, stdout=subprocess.DEVNULL, check=True)
            ours, floor = interleave(
                runs, partial(timed, url, SEARCH), partial(timed, diaries["council"], SEARCH)
            )
            return [
                Row(
                    "`los search supervision`: council-scale diary on a server / as a file (for the record)",
                    ours,
                    floor,
                    INF,
                )
            ]
    except BaseException as exc:  # pytest's skip (no PostgreSQL here) is a BaseException
        if isinstance(exc, KeyboardInterrupt):
            raise
        print(f"no server search rows: {' '.join(str(exc).split())[:200]}", file=sys.stderr)
        return []


# A year's Outlook save of 10,000 events, imported into a diary of the protocol's 34 commitments, scheduled
# over that year and never logged; the floor is icalendar alone parsing the same file.
IMPORT_DIARY = ["--commitments", "34", "--years", "1", "--logs", "0"]
IMPORT_EVENTS = 10_000
SMOKE_IMPORT_EVENTS = 500
PARSE_ONLY = "import sys, icalendar; icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())"


def import_rows(workdir: Path, runs: int, events: int) -> list[Row]:
    diary = workdir / "import-into.sqlite3"
    if not diary.exists():
        subprocess.run(
            [PYTHON, str(HERE / "make_diary.py"), *IMPORT_DIARY, "--now", NOW, "-o", str(diary)],
            env=ENV,
            check=True,
        )
    save = workdir / f"outlook-{events}.ics"
    if not save.exists():
        subprocess.run(
            [PYTHON, str(HERE / "make_outlook.py"), str(diary), "--events", str(events), "-o", str(save)],
            env=ENV,
            check=True,
        )
    fresh = workdir / "importing" / "diary.sqlite3"

    def import_into_a_fresh_copy() -> float:
        if fresh.parent.exists():
            shutil.rmtree(fresh.parent)
        fresh.parent.mkdir()
        shutil.copyfile(diary, fresh)
        return wall(los(fresh, "import", "ics", str(save), "--apply"))

    ours, floor = interleave(
        runs, import_into_a_fresh_copy, partial(wall, [PYTHON, "-c", PARSE_ONLY, str(save)])
    )
    label = f"`los import ics --apply`, {events:,}-event Outlook save / icalendar alone parsing it"
    return [Row(label, ours, floor, 1.3)]


def print_tui_sample(samples: dict[str, list[float]]) -> None:
    """The last round's first screens, as it comes (stderr): "every run, not on average" is a limit on the
    worst pair, so which pair it is, and where its time went, is shown. Each step of the start is wall/CPU
    seconds (a step whose wall time runs far past its CPU time waited for a core), then what happened
    until the first screen that can differ from run to run (modules compiled, files written, threads,
    the garbage collector's collections)."""
    last = {key: values[-1] for key, values in samples.items()}
    council, year, bare = last["los.first_screen"], last["year.first_screen"], last["bare.first_screen"]
    opened = "" if last["los.first_screen_from_first_look"] else ", painted only once the diary was open"
    print(
        f"tui sample {len(samples['bare.first_screen'])}: council {council:.3f} s, one-year {year:.3f} s, "
        f"bare {bare:.3f} s, council / bare {council / bare:.2f}x, in CPU time "
        f"{last['los.first_screen_cpu'] / last['bare.first_screen_cpu']:.2f}x{opened}",
        file=sys.stderr,
    )
    for name in ("los", "bare"):
        steps = [key.split(".at_")[1] for key in last if key.startswith(f"{name}.at_")]
        times = [(step, last[f"{name}.at_{step}"], last[f"{name}.cpu_{step}"]) for step in steps]
        times.append(("painted", last[f"{name}.first_screen"], last[f"{name}.first_screen_cpu"]))
        events = ", ".join(
            f"{key.split('.start_')[1]} {value:g}"
            for key, value in last.items()
            if key.startswith(f"{name}.start_")
        )
        print(
            f"  {name} (wall/CPU s): {', '.join(f'{step} {at:.3f}/{cpu:.3f}' for step, at, cpu in times)}"
            f"; until then: {events}",
            file=sys.stderr,
            flush=True,
        )


def tui_rows(diaries: dict[str, Path], runs: int) -> list[Row]:
    tui = [PYTHON, str(HERE / "tui_probe.py")]
    samples: dict[str, list[float]] = {}
    for _ in range(runs):
        # The bare app first, then the council's diary straight after it: each pair's two first screens are
        # then ~3 s apart (the bare probe's length), where after the council's and the one-year diary's full
        # probes they were ~30 s apart, so a burst of the shared machine's load fell on one side of a pair.
        for name, command in (
            ("bare", [*tui, "bare"]),
            ("los", [*tui, "los", str(diaries["council"])]),
            ("year", [*tui, "los", str(diaries["year"])]),
        ):
            started = time.time()
            values = probe([*command, f"--started={started}"])
            for key, value in values.items():
                samples.setdefault(f"{name}.{key}", []).append(value)
        print_tui_sample(samples)
    median = {key: statistics.median(values) for key, values in samples.items()}
    worst = max(
        los / bare
        for los, bare in zip(samples["los.first_screen"], samples["bare.first_screen"], strict=True)
    )
    rows = [
        Row(
            "TUI first settled screen: council-scale diary / one-year diary",
            median["los.first_screen"],
            median["year.first_screen"],
            1.1,
        ),
        Row(
            "TUI first settled screen, council-scale diary / bare Textual app",
            median["los.first_screen"],
            median["bare.first_screen"],
            1.15,
        ),
        Row(
            f"(the same, worst single run of {runs}: {worst:.2f}x)",
            median["los.first_screen"],
            median["bare.first_screen"],
            INF,
        ),
        # Not a target: the same, in CPU time of each process until its first screen, which the load of
        # a shared machine moves far less than the wall clock.
        Row(
            "TUI first settled screen, CPU time, council-scale diary / bare Textual app (for the record)",
            median["los.first_screen_cpu"],
            median["bare.first_screen_cpu"],
            INF,
        ),
        # Not a target: when the diary is fully open behind the first screen (writes possible).
        Row(
            "TUI diary fully open behind it, council-scale / bare Textual app (for the record)",
            median["los.diary_open"],
            median["bare.first_screen"],
            INF,
        ),
    ]
    # Each repaint against the bare app repainting the same amount: the month's 42 cells for the month,
    # a meeting and the agenda; a screen of the review's size (a 34 x 12 table and heatmap) for the review.
    month_sized = ("bare app's 42-cell grid repaint", "bare.repaint")
    review_sized = ("bare app's review-sized screen, refilled and shown", "bare.review_repaint")
    repaints = {
        "next_month": ("next month", month_sized),
        "open_occurrence": ("open occurrence", month_sized),
        "back_from_meeting": ("Esc from a meeting to the month", month_sized),
        "open_agenda": ("F3, the agenda (30 days) from the month", month_sized),
        "back_from_agenda": ("Esc from the agenda to the month", month_sized),
        "open_review": ("open review again, nothing changed", review_sized),
        "open_review_after_a_change": (
            "open review after a change elsewhere (shown as last counted, counting again)",
            review_sized,
        ),
    }
    for action, (label, (floor_label, floor_key)) in repaints.items():
        if f"los.{action}" in median and floor_key in median:
            rows.append(
                Row(f"TUI repaint: {label} / {floor_label}", median[f"los.{action}"], median[floor_key], 1.5)
            )
    if "los.review_recounted_after_a_change" in median:
        rows.append(
            Row(
                "TUI: review after a change, the new counts drawn / bare app's review-sized screen "
                "(for the record)",
                median["los.review_recounted_after_a_change"],
                median["bare.review_repaint"],
                INF,
            )
        )
    if "los.open_review_after_a_change" in median:
        # For the record, against the smaller floor it was measured against before the review-sized one.
        rows.append(
            Row(
                "TUI repaint: open review after a change / bare app's 42-cell grid repaint (for the record)",
                median["los.open_review_after_a_change"],
                median["bare.repaint"],
                float("inf"),
            )
        )
    rows.append(
        Row(
            "TUI peak memory / bare Textual app",
            median["los.peak_rss_mb"],
            median["bare.peak_rss_mb"],
            1.6,
            "MB",
        )
    )
    if "los.peak_rss_after_write_mb" in median:
        # SQLAlchemy is the store's library: a session that writes is held to the bare app with its ORM.
        rows.append(
            Row(
                "TUI peak memory after saving a note / bare Textual app with `sqlalchemy.orm` imported",
                median["los.peak_rss_after_write_mb"],
                median["bare.peak_rss_with_orm_mb"],
                1.1,
                "MB",
            )
        )
        rows.append(
            Row(
                "TUI peak memory after saving a note / bare Textual app (for the record)",
                median["los.peak_rss_after_write_mb"],
                median["bare.peak_rss_mb"],
                INF,
                "MB",
            )
        )
    return rows


def table(rows: list[Row]) -> str:
    lines = ["| target | ours | floor | ratio | limit | met |", "| --- | ---: | ---: | ---: | ---: | :---: |"]
    for row in rows:
        fmt = "{:.3f} s" if row.unit == "s" else "{:.1f} MB"
        limit, met = (
            (f"{row.limit}x", "yes" if row.met else "NO") if row.limit != float("inf") else ("-", "-")
        )
        lines.append(
            f"| {row.target} | {fmt.format(row.ours)} | {fmt.format(row.floor)} | {row.ratio:.2f}x | "
            f"{limit} | {met} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--smoke", action="store_true", help="small diaries, one run, no limits checked")
    parser.add_argument("--only", choices=["cli", "import", "tui", "search"])
    parser.add_argument(
        "--workdir", type=Path, help="where the synthetic diaries are kept (default: a temp dir)"
    )
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="los-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    if args.smoke:
        args.runs = 1
    diaries = build_diaries(workdir, SMOKE_DIARIES if args.smoke else DIARIES)
    # Load our modules from current bytecode, as an installed copy does (pip compiles at install) and as
    # Textual and SQLAlchemy do here: with PYTHONDONTWRITEBYTECODE set, a module edited since its .pyc
    # was written would otherwise be compiled again in every measured run.
    subprocess.run(
        [PYTHON, "-m", "compileall", "-q", *(str(ROOT / p) for p in ("los_tui", "db", "exports"))],
        check=True,
    )
    rows: list[Row] = []
    if args.only in (None, "cli"):
        rows += cli_rows(diaries, args.runs, workdir)
        rows += server_rows(diaries, args.runs, SMOKE_DIARIES if args.smoke else DIARIES)
    if args.only in (None, "import"):
        rows += import_rows(workdir, args.runs, SMOKE_IMPORT_EVENTS if args.smoke else IMPORT_EVENTS)
    if args.only in (None, "tui"):
        rows += tui_rows(diaries, args.runs)
    if args.only in (None, "search"):
        rows += search_rows(diaries, args.runs)
        rows += server_search_rows(diaries, args.runs)
    python = sys.version.split()[0]
    print(f"{args.runs} interleaved runs each, medians; Python {python}, {os.cpu_count()} cores\n")
    print(table(rows))
    if args.smoke:
        print("\nsmoke pass: the bench ran end to end; limits not checked")
        return 0
    return 0 if all(row.met for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
