"""Opening the TUI from the command line (Textual is imported only on this path)."""

from __future__ import annotations

from los_tui.cli.context import EXIT_OK, Context


def open_tui(context: Context) -> int:
    """Run the app; a LosError before it starts (the diary cannot be opened) is said by main()."""
    from los_tui.app import LineOfSightApp

    app = LineOfSightApp(db_path=context.db_path, config=context.config, clock=context.clock)
    app.run()
    return app.return_code or EXIT_OK
