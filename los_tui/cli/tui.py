"""Opening the TUI from the command line (Textual is imported only on this path)."""

from __future__ import annotations

from los_tui.cli.context import EXIT_OK, Context, fail


def open_tui(context: Context) -> int:
    from los_tui.domain.errors import LosError

    try:
        from los_tui.app import LineOfSightApp

        app = LineOfSightApp(db_path=context.db_path, config=context.config, clock=context.clock)
        app.run()
    except LosError as exc:
        return fail(exc)
    return app.return_code or EXIT_OK
