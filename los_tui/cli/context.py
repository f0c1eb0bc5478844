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

from los_tui.domain.errors import LosError
from los_tui.domain.wording import plural as plural  # re-exported: the commands count with it
from los_tui.exit_status import EXIT_INPUT as EXIT_INPUT  # re-exported: every command uses them
from los_tui.exit_status import EXIT_OK as EXIT_OK

if TYPE_CHECKING:
    from los_tui.config import Config
    from los_tui.db.paths import DiaryLocation
    from los_tui.domain.model import Role
    from los_tui.services.diary import Diary

EXIT_INTERNAL = 1


class UsageError(LosError):
    """A one-line message about how the command was typed; the command exits with status 2."""


ROLE_HELP = "lmcs (Lead Member), dcs (Director) or both (default: both)"


def role_option(value: str | None) -> Role | None:
    """--role as a filter: one role, or None for every commitment (not given, or "both")."""
    if value is None:
        return None
    from los_tui.domain.parsing import parse_roles

    roles = parse_roles("--role", value)  # an empty value is refused, never taken as "not given"
    return roles[0] if len(roles) == 1 else None


def input_path(field: str, value: str) -> Path:
    """A file named on the command line; an empty name is refused, never taken as the current folder."""
    from los_tui.domain.parsing import InputError

    if not value.strip():
        raise InputError(field, value, "must not be empty; give a file name")
    return Path(value).expanduser()


def output_path(value: str | None) -> Path | None:
    """-o: the file to write, or None for standard output (only when -o is not given at all)."""
    return None if value is None else input_path("output", value)


def fail(error: LosError | str, name: Callable[[str], str] = str) -> int:
    """Say what is wrong in one line on stderr, each field as `name` says it (the command line read, as
    LosParser.field_names gives it); the exit status for it."""
    from los_tui.domain.safe_text import neutralise

    message = error.describe(name) if isinstance(error, LosError) else error
    # Values come from the user or a file: shown inert and on one line, whatever they hold.
    print(f"los: error: {neutralise(message, keep_newlines=False)}", file=sys.stderr)
    return EXIT_INPUT


@dataclass
class Context:
    db_path: DiaryLocation
    config: Config
    now: datetime
    _diary: Diary | None = field(default=None, repr=False)

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Context:
        from los_tui.config import current_time, load_config, resolve_db_path

        config = load_config(input_path("config", args.config) if args.config is not None else None)
        return cls(db_path=resolve_db_path(args.db, config), config=config, now=current_time(config.tz))

    @property
    def tz(self) -> str:
        return self.config.tz

    @property
    def today(self) -> date:
        return self.now.date()

    def diary(self, create: bool = False, migrate: bool = False, quiet: bool = False) -> Diary:
        """The open diary; only `init` and the TUI may create one where there is none, and only
        `migrate` may upgrade a server diary's schema. What start-up noticed is said once, unless
        `quiet` (a command about to be refused says only why)."""
        if self._diary is None:
            from los_tui.services.diary import Diary

            self._diary = Diary.open(
                self.db_path, clock=self.clock, tz=self.tz, create=create, migrate=migrate
            )
            if not quiet:
                for notice in self._diary.health.notices:
                    print(f"los: warning: {notice}", file=sys.stderr)
        return self._diary

    def meeting_when(self, slug: str, field: str, value: str, logging: bool = False) -> tuple[datetime, bool]:
        """`value` read as `parse_when` reads it, for a time that names one of `slug`'s meetings: a wall
        time the clocks show twice is taken without an offset where it names just one of them
        (`Meetings.meeting_at_repeated_time`; `logging`: the command records an entry where none is)."""
        from los_tui.domain.parsing import RepeatedTime, parse_when

        try:
            return parse_when(field, value, self.tz)
        except RepeatedTime as repeated:
            return self.diary().meetings.meeting_at_repeated_time(slug, repeated, logging), True

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


Handler = Callable[[argparse.Namespace, Context], int]

# Options that read or write private text, which an assistant or a viewer of a server diary may not.
PRIVATE_OPTIONS = {
    "note": "--note",
    "questions": "--questions",
    "difference": "--difference",
    "answer": "--answer",
    "include_notes": "--include-notes",
}


def refuse_private_text(args: argparse.Namespace, context: Context) -> None:
    """On a server diary, an option asking for private text the connected role may not have is refused
    before anything is done, in words (the server would refuse it anyway, less plainly)."""
    from los_tui.db.paths import ServerDiary

    asked = [dest for dest in PRIVATE_OPTIONS if getattr(args, dest, None) not in (None, False)]
    if not asked or not isinstance(context.db_path, ServerDiary):
        return
    standing = context.diary(quiet=True).standing  # a member has nothing to be told; others are refused
    if not standing.private:
        raise LosError(standing.refusal(), PRIVATE_OPTIONS[asked[0]])  # the value (a note) is not shown


def command(handler: Handler) -> Handler:
    """Run a command so that nothing but a LosError (for main() to say) leaves it: an OSError becomes one
    line, anything unforeseen an "internal error" line, never a traceback; the diary is closed after."""

    def run(args: argparse.Namespace, context: Context) -> int:
        try:
            refuse_private_text(args, context)
            return handler(args, context)
        except (LosError, BrokenPipeError):
            raise  # said once, by main(), in the command line's words; a closed pipe is not an error
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
