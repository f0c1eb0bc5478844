"""The `los` command's entry point, above both halves: a command runs through the command line; no command
opens the app (Textual is imported only on that path)."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from los_tui.cli import main as run_command
from los_tui.cli.context import Context
from los_tui.exit_status import EXIT_OK


def open_app(context: Context) -> int:
    """Run the app; a LosError before it starts (the diary cannot be opened) is said by the command line."""
    from los_tui.app import LineOfSightApp

    app = LineOfSightApp(db_path=context.db_path, config=context.config, clock=context.clock)
    app.run()
    return app.return_code or EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    return run_command(argv, open_screen=open_app)


def run() -> None:
    sys.exit(main())
