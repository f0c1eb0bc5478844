"""Looking after the diary file itself: putting a backup back (`los restore`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from los_tui.cli.context import EXIT_OK, Context, UsageError, command


def register(subparsers: Any) -> None:
    restore = subparsers.add_parser(
        "restore",
        help="put a backup back as the diary (the current diary is backed up first)",
        description="Replace the diary's contents with a backup made by `los backup` (or an automatic "
        "one from the backups folder). The current diary, damaged or not, is backed up first, so a "
        "restore can itself be undone. Asks for confirmation; --yes skips the question for scripts.",
    )
    restore.add_argument("file", help="the backup to put back")
    restore.add_argument("--yes", action="store_true", help="do not ask; needed when not at a terminal")
    restore.set_defaults(handler=cmd_restore)


@command
def cmd_restore(args: argparse.Namespace, context: Context) -> int:
    from los_tui.services.diary import restore_diary

    backup = Path(args.file).expanduser()
    if not args.yes:
        if not sys.stdin.isatty():
            raise UsageError(f"restore {args.file!r}: not at a terminal to confirm; add --yes to restore")
        answer = input(f"Replace everything in {context.db_path} with {backup}? [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("Nothing restored.")
            return EXIT_OK
    kept = restore_diary(context.db_path, backup, context.clock)
    before = f"what was there before is kept in {kept}" if kept else "the file was empty before"
    print(f"Restored {context.db_path} from {backup}; {before}")
    return EXIT_OK
