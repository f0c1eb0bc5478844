"""The `los` command: `los` alone opens the TUI; subcommands do every job the TUI does, for scripts."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from importlib import import_module

from los_tui import __version__
from los_tui.cli.command_line import LosParser, shown_in_message
from los_tui.cli.context import Context, UsageError, fail
from los_tui.domain.errors import LosError
from los_tui.exit_status import EXIT_CLOSED_PIPE

# Each module adds its subcommands with register(subparsers); kept light so `los --help` stays fast.
COMMAND_MODULES = [
    "los_tui.cli.core",
    "los_tui.cli.review",
    "los_tui.cli.ics",
    "los_tui.cli.maintenance",
    "los_tui.cli.guidance",
    "los_tui.cli.evidence",
    "los_tui.cli.search",
    "los_tui.cli.server",
]


def _where_from(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """`parser` with the options every use of `los` shares: where the diary and the config are."""
    parser.add_argument(
        "--db",
        metavar="PATH",
        help="diary database file, or a postgresql:// URL for a diary on a server (default: $LOS_DB, the "
        "config file's db, or diary.sqlite3 in the user data directory)",
    )
    parser.add_argument(
        "--config", metavar="FILE", help="config file (default: config.toml in the user config directory)"
    )
    return parser


def build_parser() -> LosParser:
    parser = LosParser(
        prog="los",
        description="Line-of-sight diary for the Lead Member and Director of Children's Services. "
        "Run with no command to open the diary on screen.",
        epilog="Dates are ISO 8601 (2026-07-14, 2026-07-14T18:30), local Europe/London unless an offset "
        "is given. `los COMMAND --help` describes each command.",
    )
    parser.add_argument("--version", action="version", version=f"los-tui {__version__}")
    _where_from(parser)
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND", parser_class=LosParser)
    for name in COMMAND_MODULES:
        import_module(name).register(subparsers)
    return parser


def opening_the_app(args_list: Sequence[str]) -> tuple[LosParser, argparse.Namespace] | None:
    """The parser and what it read, when the arguments name no command (only --db and --config): the
    app is opened, and every command's parser need not be built (~50 ms of the app's start). None
    otherwise (a command, --help, --version, or anything it cannot read: the full parser says what)."""
    parser = LosParser(prog="los", add_help=False)
    _where_from(parser)
    try:
        args, rest = parser.parse_known_args(args_list)
    except UsageError:
        return None
    return None if rest else (parser, args)


# Options that name files: any bytes are a valid file name, so these may hold what is not UTF-8.
PATH_OPTIONS = frozenset({"db", "config", "output", "file", "source", "target"})


def refuse_undecodable(args: argparse.Namespace) -> None:
    """Refuse text that is not UTF-8 (it arrives as lone surrogates) before anything is opened."""
    from los_tui.domain.parsing import InputError, not_utf8

    for dest, value in vars(args).items():
        values = value if isinstance(value, list) else [value]
        if dest not in PATH_OPTIONS and any(isinstance(item, str) and not_utf8(item) for item in values):
            shown = shown_in_message(dest, value) if isinstance(value, str) else value
            raise InputError(dest, shown, "is not valid UTF-8 text")  # said as the option typed


# A command runs for a fraction of a second and keeps most of what it makes to its end (a council's year
# of review: 2,500 each of logs, meetings and items). The cyclic garbage collector, run every 700 new
# objects, traverses them over and over, and every object the imports made, to find next to no garbage:
# while a command runs the imports' objects are frozen (never traversed) and it waits for this many.
COMMAND_COLLECTION_THRESHOLD = 10_000


@contextmanager
def collecting_seldom() -> Iterator[None]:
    """Collect cyclic garbage seldom while a command runs; as before after it (tests run many in one
    process, and the app sets its own)."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(COMMAND_COLLECTION_THRESHOLD, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def main(argv: Sequence[str] | None = None, open_screen: Callable[[Context], int] | None = None) -> int:
    """Run one `los` command; with none, `open_screen` opens the app (los_tui.main passes it: the
    command line sits below the app and never imports it)."""
    os.umask(0o077)  # anything we create is the owner's alone, whatever the shell's umask
    args_list = list(sys.argv[1:] if argv is None else argv)
    field_name: Callable[[str], str] = str  # until a command line is read, no field has an option's name
    try:
        found = opening_the_app(args_list) if open_screen is not None else None
        if found is not None:
            parser, args = found
        else:
            parser = build_parser()
            args = parser.parse_args(args_list)
        field_name = parser.field_names()
        refuse_undecodable(args)
        context = Context.from_args(args)
        handler = getattr(args, "handler", None)
        if handler is None:
            if open_screen is None:
                raise UsageError("los: give a command (los --help lists them)")
            return open_screen(context)
        with collecting_seldom():
            code: int = handler(args, context)
        return code
    except LosError as exc:
        return fail(exc, field_name)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return stop_writing()
    finally:
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            stop_writing()


def stop_writing() -> int:
    """The reader of our output went away (`los questions | head`): stop quietly, as Unix tools do.

    Output still buffered goes to /dev/null, so the interpreter's own flush at exit cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return EXIT_CLOSED_PIPE
