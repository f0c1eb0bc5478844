"""What every command shares: the resolved config, the clock, the open diary, and how errors leave."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from los_tui.exit_status import EXIT_INPUT as EXIT_INPUT  # re-exported: every command uses them
from los_tui.exit_status import EXIT_OK as EXIT_OK

if TYPE_CHECKING:
    from los_tui.config import Config
    from los_tui.services.diary import Diary

EXIT_INTERNAL = 1


class UsageError(Exception):
    """A one-line message for the user; the command exits with status 2."""


@dataclass
class Context:
    db_path: Path
    config: Config
    now: datetime
    _diary: Diary | None = field(default=None, repr=False)

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Context:
        from los_tui.config import current_time, load_config, resolve_db_path
        from los_tui.domain.parsing import InputError

        try:
            config = load_config(Path(args.config) if args.config else None)
            return cls(db_path=resolve_db_path(args.db, config), config=config, now=current_time(config.tz))
        except InputError as exc:
            raise UsageError(f"los: error: {exc}") from None

    @property
    def tz(self) -> str:
        return self.config.tz

    @property
    def today(self) -> date:
        return self.now.date()

    def diary(self, create: bool = False) -> Diary:
        """The open diary; only `init` and the TUI may create one where there is none."""
        if self._diary is None:
            from los_tui.services.diary import Diary

            self._diary = Diary.open(self.db_path, clock=self.clock, tz=self.tz, create=create)
            for notice in self._diary.health.notices:
                print(f"los: warning: {notice}", file=sys.stderr)
        return self._diary

    def clock(self) -> datetime:
        from los_tui.config import current_time

        return current_time(self.tz)

    def close(self) -> None:
        if self._diary is not None:
            notice = self._diary.damaged_text_notice()
            if notice:
                print(f"los: warning: {notice}", file=sys.stderr)
            self._diary.close()
            self._diary = None


def fail(message: str) -> int:
    print(f"los: error: {message}", file=sys.stderr)
    return EXIT_INPUT


Handler = Callable[[argparse.Namespace, Context], int]


def command(handler: Handler) -> Handler:
    """Run a command with the diary's errors turned into one-line messages, never a traceback."""

    def run(args: argparse.Namespace, context: Context) -> int:
        from los_tui.db.engine import StoreError
        from los_tui.domain.parsing import InputError

        try:
            return handler(args, context)
        except (InputError, StoreError, UsageError) as exc:
            return fail(str(exc))
        except OSError as exc:
            return fail(f"{exc.filename or 'file'}: {exc.strerror or exc}")
        except Exception as exc:
            if os.environ.get("LOS_DEBUG"):
                raise
            # Its kind only: the message of an unexpected error may quote a note being written.
            print(f"los: internal error: {type(exc).__name__} (set LOS_DEBUG=1 for details)", file=sys.stderr)
            return EXIT_INTERNAL
        finally:
            context.close()

    return run
