"""The `los` command's entry point, above both halves: a command runs through the command line; no command
opens the app (Textual is imported only on that path)."""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from los_tui.cli import main as run_command
from los_tui.cli.context import Context
from los_tui.exit_status import EXIT_OK

if TYPE_CHECKING:
    from los_tui.app import LineOfSightApp


def open_app(context: Context, run: Callable[[LineOfSightApp], object] | None = None) -> int:
    """Run the app (`run(app)` runs it another way: bench/tui_probe.py runs it headless, as started here);
    a LosError before it starts (the diary cannot be opened) is said by the command line."""
    # Python's cyclic collector would traverse everything the start makes (~90,000 objects: Textual's
    # modules, styles and widgets, nearly all kept for the whole run) several times over as it ages
    # through the generations: 40-130 ms of the first screen, at moments that differ from run to run.
    # It is off until the diary is open behind the first screen (LineOfSightApp.collect_after_start),
    # and what the imports made is frozen: kept for the run, never traversed again.
    gc.disable()
    one_malloc_arena()
    from los_tui.app import LineOfSightApp

    gc.freeze()

    app = LineOfSightApp(db_path=context.db_path, config=context.config, clock=context.clock)
    if run is None:
        app.run()
    else:
        run(app)
    return app.return_code or EXIT_OK


# glibc's mallopt parameter for how many malloc arenas the process may have.
M_ARENA_MAX = -8


def one_malloc_arena() -> bool:
    """Ask glibc for one malloc arena for the whole process, where by default each thread that allocates
    may get one of its own (up to eight per core): the app's worker threads (opening the diary, each
    screen's reads, the review's counting) each kept what they had freed, ~2 MB of the TUI's resident
    memory. Python's own allocator serves most objects, and the interpreter lock lets one thread run
    Python at a time, so the threads seldom wait on the one arena. Elsewhere than glibc, nothing.
    Returns whether it was set."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    return bool(mallopt(M_ARENA_MAX, 1))


def main(argv: Sequence[str] | None = None) -> int:
    return run_command(argv, open_screen=open_app)


def run() -> None:
    sys.exit(main())
