"""Looking after the diary itself: putting a backup back (`los restore`), bringing a server diary's
schema up to date (`los migrate`)."""

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

    migrate = subparsers.add_parser(
        "migrate",
        help="bring the diary's schema up to this version of los-tui (a diary on a server asks first)",
        description="A diary file is migrated when it is opened, after a backup of it. A diary on a "
        "PostgreSQL server cannot be backed up by copying a file, so it is migrated only here, with "
        "--yes, once you have taken a dump of it (pg_dump -Fc -f before.dump DBNAME). The upgrade runs in "
        "one transaction: it all lands, or nothing changes.",
    )
    migrate.add_argument("--yes", action="store_true", help="a dump has been taken: migrate now")
    migrate.set_defaults(handler=cmd_migrate)


@command
def cmd_restore(args: argparse.Namespace, context: Context) -> int:
    from los_tui.db.paths import ServerDiary
    from los_tui.services.diary import restore_diary

    if isinstance(context.db_path, ServerDiary):
        raise UsageError(
            f"restore: the diary {context.db_path} is on a server; restore it with the server's own "
            "tool (pg_restore), or ask whoever runs the server"
        )
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


@command
def cmd_migrate(args: argparse.Namespace, context: Context) -> int:
    from los_tui.db.identity import HEAD_REVISION
    from los_tui.db.paths import ServerDiary

    if isinstance(context.db_path, ServerDiary) and not args.yes:
        raise UsageError(
            f"migrate: take a dump of {context.db_path} first (pg_dump -Fc -f before.dump DBNAME), then "
            "run `los migrate --yes`"
        )
    context.diary(migrate=True)
    print(f"The diary at {context.db_path} is at schema revision {HEAD_REVISION}.")
    return EXIT_OK
