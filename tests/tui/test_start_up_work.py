"""What the app does on its way to the first screen, and what a shown screen keeps: each piece of work
done once, not once per layout pass (issue 19: the first screen against the bare Textual app, and the
session's memory). Counts of work, never timings."""

from __future__ import annotations

import gc
import platform
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import pytest
from tui_support import diary_with_the_board, make_app, settle, settled

import los_tui.cli as cli
import los_tui.widgets.month_grid as month_grid
from los_tui.cli.context import Context
from los_tui.widgets.footer import KeyFooter


async def test_the_footer_has_its_keys_and_height_from_the_first_layout(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Had the footer waited for the screen to report its bindings (as Textual's does), it would be laid
    out empty first and grow to its lines a frame later, re-laying out the month above it."""
    diary_with_the_board(db_path)
    heights: list[int] = []
    on_resize = KeyFooter.on_resize

    def recording(self: KeyFooter) -> None:
        heights.append(self.size.height)
        on_resize(self)

    monkeypatch.setattr(KeyFooter, "on_resize", recording)
    app = make_app(db_path)
    async with settled(app, (120, 40)):
        final = app.screen.query_one(KeyFooter).size.height
    assert final >= 1
    assert heights and set(heights) == {final}, heights


@pytest.fixture
def counted_day_lines(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many days' lines the month grid has built (one call per day shown)."""
    calls: list[int] = []
    build = month_grid.day_lines

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return build(*args, **kwargs)

    monkeypatch.setattr(month_grid, "day_lines", counting)
    return calls


async def test_the_month_fits_its_days_once_laid_out_not_on_every_resize(
    db_path: Path, counted_day_lines: list[int]
) -> None:
    """Textual sends the screen and the grid several Resizes of the same size as the app starts; each
    used to rebuild all 42 days (seven builds before the first screen settled). Now the days are built
    once the cells have their size, and again when the diary, fully open, is read again."""
    diary_with_the_board(db_path)
    async with settled(make_app(db_path), (120, 40)):
        pass
    assert len(counted_day_lines) <= 2 * 42


async def test_a_resize_that_changes_a_cells_size_fits_the_days_again(
    db_path: Path, counted_day_lines: list[int]
) -> None:
    diary_with_the_board(db_path)
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        before = len(counted_day_lines)
        await pilot.resize_terminal(100, 30)
        await settle(pilot)
        assert len(counted_day_lines) >= before + 42


def test_opening_the_app_builds_no_commands_parser(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """`los` alone (or with --db and --config) opens the app without building every command's parser,
    which imported every command's module (~50 ms of the app's start)."""

    def refused() -> None:
        raise AssertionError("every command's parser was built to open the app")

    monkeypatch.setattr(cli, "build_parser", refused)
    opened: list[Context] = []
    diary = tmp_path / "diary.sqlite3"
    assert cli.main(["--db", str(diary)], open_screen=lambda context: opened.append(context) or 0) == 0
    assert [context.db_path for context in opened] == [diary]


@pytest.mark.parametrize("arguments", [["agenda"], ["--help"], ["--version"], ["--db"]])
def test_anything_but_opening_the_app_still_goes_to_the_full_parser(
    monkeypatch: pytest.MonkeyPatch, arguments: list[str]
) -> None:
    built: list[bool] = []
    build = cli.build_parser

    def counting() -> Any:
        built.append(True)
        return build()

    monkeypatch.setattr(cli, "build_parser", counting)
    with pytest.raises(SystemExit) if arguments in (["--help"], ["--version"]) else nullcontext():
        cli.main(arguments, open_screen=lambda _context: 0)
    assert built == [True]


@pytest.fixture
def collector_off() -> Iterator[None]:
    """The cyclic collector off, as `los` turns it off while the app starts (los_tui.main.open_app)."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


async def test_the_collector_is_on_again_once_the_diary_is_open(db_path: Path, collector_off: None) -> None:
    diary_with_the_board(db_path)
    async with settled(make_app(db_path), (120, 40)) as pilot:
        await settle(pilot)
        assert pilot.app.diary is not None
        assert gc.isenabled()


async def test_the_collector_left_on_by_the_tests_is_left_alone(db_path: Path) -> None:
    """Only what `los` turned off is turned back on: an app started otherwise (as here) changes nothing."""
    diary_with_the_board(db_path)
    frozen = gc.get_freeze_count()
    async with settled(make_app(db_path), (120, 40)):
        pass
    assert gc.isenabled() and gc.get_freeze_count() == frozen


THREADS_ALLOCATING = """
import ctypes, sys, threading
from los_tui.main import one_malloc_arena
if sys.argv[1] == "one":
    assert one_malloc_arena()
together = threading.Barrier(4)
kept = []
def allocate():
    kept.append([bytearray(20_000) for _ in range(50)])  # from malloc: past Python's small-object pools
    together.wait()  # all four alive at once, as the app's workers can be
threads = [threading.Thread(target=allocate) for _ in range(4)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
ctypes.CDLL(None).malloc_stats()  # one "Arena N:" section per arena, on stderr
"""


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc arenas are glibc's")
@pytest.mark.parametrize("arenas", ["one", "default"])
def test_the_app_asks_for_one_malloc_arena_where_threads_would_each_keep_one(arenas: str) -> None:
    """Each worker thread's own arena kept what it had freed (~2 MB of the TUI's resident memory)."""
    done = subprocess.run(
        [sys.executable, "-c", THREADS_ALLOCATING, arenas], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr[-300:]
    found = len(re.findall(r"^Arena \d+:$", done.stderr, re.MULTILINE))
    assert found == 1 if arenas == "one" else found > 1  # the default: the threads' own arenas too


async def test_the_month_grid_keeps_no_line_of_its_last_height(db_path: Path) -> None:
    """The footer's height changes with the focused widget's keys (two lines or three at 80 columns), and
    the grid's height with it, without the terminal's. Textual draws a widget that changed size before
    telling it so, and keeps the lines it drew until they are refreshed: the grid drew its weeks of the
    old height at the new one, and kept them (a week's line doubled, the last week cut short)."""
    diary_with_the_board(db_path)
    app = make_app(db_path)
    async with settled(app, (80, 24)) as pilot:
        grid = app.screen.query_one(month_grid.MonthGrid)
        footer = app.screen.query_one(KeyFooter)
        heights = {grid.size.height}
        for footer_height in (5, 2, 4):
            footer.styles.height = footer_height
            await settle(pilot)
            heights.add(grid.size.height)
            shown = app.export_screenshot()
            grid._strips.clear()  # drawn afresh, from nothing kept
            grid._styles_cache.clear()
            grid.refresh()
            await settle(pilot)
            assert app.export_screenshot() == shown, footer_height
        assert len(heights) >= 3  # the grid was drawn at three heights at least
