"""The `los` command's entry point, above both halves: a command runs through the command line; no command
opens the app (Textual is imported only on that path)."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from los_tui.cli import main as run_command
from los_tui.cli.context import Context, fail
from los_tui.exit_status import EXIT_OK


def open_app(context: Context) -> int:
    from los_tui.db.errors import StoreError
    from los_tui.domain.parsing import InputError

    try:
        from los_tui.app import LineOfSightApp

        app = LineOfSightApp(db_path=context.db_path, config=context.config, clock=context.clock)
        app.run()
    except (InputError, StoreError) as exc:
        return fail(str(exc))
    return app.return_code or EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    return run_command(argv, open_screen=open_app)


def run() -> None:
    sys.exit(main())
