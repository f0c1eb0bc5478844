"""Sharing a diary on a PostgreSQL server: who may do what in it (`los access`), and moving a whole diary
between a file and a server, either way (`los copy`)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from los_tui.cli.context import EXIT_OK, Context, UsageError, command, plural

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from los_tui.db.paths import ServerDiary

T = TypeVar("T")

LEVELS = ("member", "assistant", "viewer")
LEVEL_WORDS = {
    "member": "a full user: reads and writes everything",
    "assistant": "keeps the diary (schedules, statuses, moves, locations, actions, imports); cannot read or "
    "write notes, questions to raise, answers or unshared differences",
    "viewer": "reads the diary and the review (no private text); changes nothing",
}
EXAMPLE_URL = "postgresql://lead_member@db.council.example/los?sslmode=verify-full"


def register(subparsers: Any) -> None:
    access = subparsers.add_parser(
        "access",
        help="who may do what in a diary on a server (grant, revoke, or list)",
        description="Run by the diary's owner on a diary on a PostgreSQL server (--db, $LOS_DB or the config "
        "file's db). Each person connects as their own database role (your database administrator creates "
        "the login roles); `grant` gives a role one of three levels and `revoke` takes it away, as "
        "PostgreSQL privileges, so the server holds everyone to them whatever program they use (psql "
        "too). Levels: member: " + LEVEL_WORDS["member"] + "; assistant: " + LEVEL_WORDS["assistant"] + "; "
        "viewer: " + LEVEL_WORDS["viewer"] + ". With no subcommand, lists who has what.",
        epilog=f"Example: los --db '{EXAMPLE_URL}' access grant pa_smith --as assistant",
    )
    access.set_defaults(handler=cmd_access_list)
    actions = access.add_subparsers(title="subcommands", metavar="SUBCOMMAND", parser_class=type(access))
    grant = actions.add_parser(
        "grant",
        help="give a database role member, assistant or viewer rights (replacing what it had)",
        description="Give ROLE exactly one level in this diary; what it had before is replaced.",
    )
    grant.add_argument("database_role", metavar="ROLE", help="the person's database login role")
    grant.add_argument("--as", dest="level", required=True, help="member, assistant or viewer")
    grant.set_defaults(handler=cmd_access_grant)
    revoke = actions.add_parser(
        "revoke",
        help="take every right in this diary from a database role",
        description="Take every privilege on this diary's tables from ROLE; the role itself stays.",
    )
    revoke.add_argument("database_role", metavar="ROLE", help="the person's database login role")
    revoke.set_defaults(handler=cmd_access_revoke)

    copy = subparsers.add_parser(
        "copy",
        help="copy a whole diary between a file and a PostgreSQL database, either way",
        description="Copy everything in the diary at SOURCE (history, notes, actions, questions, imports, "
        "settings, at its schema revision) into TARGET, which must be empty: a new file, or a PostgreSQL "
        "database with no diary in it (your database administrator creates it). Either may be a diary "
        "file or a postgresql:// URL. The copy lands whole or not at all. A password is best kept in "
        "~/.pgpass (or PGPASSFILE), not in the URL; one in a URL is never shown.",
        epilog=f"Example, moving a personal diary onto the council's server: los copy "
        f"~/.local/share/los-tui/diary.sqlite3 '{EXAMPLE_URL}'",
    )
    copy.add_argument("source", help="the diary to copy: a file, or a postgresql:// URL")
    copy.add_argument("target", help="where to: a new file, or an empty PostgreSQL database's URL")
    copy.set_defaults(handler=cmd_copy)


def _server(context: Context) -> ServerDiary:
    """The diary's server location; refused for a diary file (access is the server's to keep)."""
    from los_tui.db.paths import ServerDiary

    if not isinstance(context.db_path, ServerDiary):
        raise UsageError(
            "access: needs a server diary (a postgresql:// URL in --db, $LOS_DB or the config file's db); "
            f"the diary {context.db_path} is a file, kept private by its file permissions"
        )
    context.diary()  # opens it as the app does: refused if there is no diary there, or an older one
    return context.db_path


def _run(context: Context, work: Callable[[Connection], T]) -> T:
    """`work` in one transaction on the server diary, as the connected role (the owner, to grant)."""
    from sqlalchemy.exc import DBAPIError

    from los_tui.db.copy import server_engine
    from los_tui.db.errors import StoreError

    where = _server(context)
    engine = server_engine(where.url)
    try:
        with engine.begin() as connection:
            return work(connection)
    except DBAPIError as exc:
        primary = getattr(getattr(exc.orig, "diag", None), "message_primary", None) or str(exc.orig)
        raise StoreError(f"the server refused it ({where.scrub(primary)}); nothing changed") from None
    finally:
        engine.dispose()


@command
def cmd_access_list(args: argparse.Namespace, context: Context) -> int:
    from los_tui.db.access import Grant, grants, owner_of
    from los_tui.domain.safe_text import neutralise

    def listing(connection: Connection) -> tuple[str, list[Grant]]:
        return owner_of(connection), grants(connection)

    owner, found = _run(context, listing)
    print(f"Who may do what in the diary at {context.db_path}:")
    # Role names come from the server: shown inert, whatever characters a DBA gave them.
    names = {name: neutralise(name, keep_newlines=False) for name in [owner, *(e.role for e in found)]}
    width = max(len(shown) for shown in names.values())
    print(f"  {names[owner]:<{width}}  owner: everything, and grants access")
    for entry in found:
        said = f"{entry.access}: {LEVEL_WORDS[entry.access]}" if entry.access else entry.detail
        print(f"  {names[entry.role]:<{width}}  {said}")
    if not found:
        print("  (no one else; `los access grant ROLE --as assistant` lets a PA keep the diary)")
    return EXIT_OK


@command
def cmd_access_grant(args: argparse.Namespace, context: Context) -> int:
    from los_tui.db.access import Access, check_role_name, grant
    from los_tui.domain.errors import InputError

    check_role_name(args.database_role)  # what was typed is checked before the server is asked
    if args.level not in LEVELS:
        raise InputError("level", args.level, f"must be one of: {', '.join(LEVELS)}")
    level = Access(args.level)
    _run(context, lambda connection: grant(connection, args.database_role, level))
    print(f"{args.database_role} is now {'an' if level is Access.ASSISTANT else 'a'} {level} of the diary at "
          f"{context.db_path}: {LEVEL_WORDS[level]}.")  # fmt: skip
    return EXIT_OK


@command
def cmd_access_revoke(args: argparse.Namespace, context: Context) -> int:
    from los_tui.db.access import check_role_name, revoke

    check_role_name(args.database_role)
    had = _run(context, lambda connection: revoke(connection, args.database_role))
    if had:
        print(f"{args.database_role} has no access to the diary at {context.db_path} now.")
    else:
        print(f"{args.database_role} had no access to the diary at {context.db_path}; nothing changed.")
    return EXIT_OK


@command
def cmd_copy(args: argparse.Namespace, context: Context) -> int:
    from los_tui.db.copy import Place, copy_diary

    copied = copy_diary(args.source, args.target)
    counts = ", ".join(f"{table} {count}" for table, count in copied.rows.items())
    source, target = Place.named("source", args.source), Place.named("target", args.target)
    print(f"Copied the diary at {source} to {target}: {plural(copied.total, 'row')} at schema revision "
          f"{copied.revision} ({counts}).")  # fmt: skip
    return EXIT_OK
