"""The core commands: init, commitments, add, retire, schedule, agenda, log, move, backup."""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from los_tui.cli.context import EXIT_OK, ROLE_HELP, Context, command, output_path, role_option
from los_tui.cli.output import (
    commitment_json,
    notes_lines,
    occurrence_json,
    occurrence_line,
    print_json,
    warn_outlook,
    warn_unusable,
)
from los_tui.domain.model import Frequency, Role, Status
from los_tui.domain.parsing import (
    InputError,
    RepeatedTime,
    parse_choice,
    parse_date,
    parse_positive_int,
    parse_roles,
    parse_when,
    slugify,
)
from los_tui.domain.recording import status_change
from los_tui.domain.recurrence import describe


def register(subparsers: Any) -> None:
    init = subparsers.add_parser(
        "init",
        help="create the diary and load the seed protocol's commitments",
        description="Create the diary (if needed) and load the Line of Sight "
        "protocol's commitments for the role(s). Running it again changes nothing.",
    )
    init.add_argument("--role", default="both", help="lmcs, dcs or both (default: both)")
    init.add_argument(
        "--new-in-post",
        action="store_true",
        help="a new lead member: add the guidance's induction steps as dated actions (see `los actions`)",
    )
    init.add_argument(
        "--from", dest="from_date", help="with --new-in-post: the day you took up post (default: today)"
    )
    init.set_defaults(handler=cmd_init)

    listing = subparsers.add_parser(
        "commitments",
        help="list commitments",
        description="List the diary's commitments with their schedules.",
    )
    listing.add_argument("--role", help=ROLE_HELP)
    listing.add_argument("--all", action="store_true", help="include retired commitments")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=cmd_commitments)

    add = subparsers.add_parser("add", help="add a commitment", description="Add a commitment of your own.")
    add.add_argument("--title", required=True)
    add.add_argument("--role", required=True, help="lmcs (Lead Member) or dcs (Director)")
    add.add_argument(
        "--frequency", required=True, help="monthly, bimonthly, quarterly, biannual, annual or ad_hoc"
    )
    add.add_argument("--wording", default="", help="the protocol's own words for it")
    add.add_argument("--with", dest="with_whom", default="", help="who it is with")
    add.add_argument("--json", action="store_true", help="print the new commitment as JSON")
    add.set_defaults(handler=cmd_add)

    retire = subparsers.add_parser(
        "retire",
        help="retire a commitment (its history is kept)",
        description="Retire a commitment: nothing is expected of it from the date on; what was logged stays.",
    )
    retire.add_argument("slug")
    retire.add_argument("--on", help="date it stops (default: today)")
    retire.set_defaults(handler=cmd_retire)

    schedule = subparsers.add_parser(
        "schedule",
        help="give a commitment a schedule, or change it from a date",
        description="Schedule a commitment with an iCalendar RRULE. Changing a schedule takes effect "
        "--from a date (default: today for a change, the start for a first schedule): what was expected "
        "before that date never changes.",
        epilog="Example: los schedule lmcs-improvement-board --rrule 'FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2' "
        "--start 2026-01-13T18:30 --duration 120 --location 'Town Hall'",
    )
    schedule.add_argument("slug")
    schedule.add_argument("--rrule", required=True, help="e.g. FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2")
    schedule.add_argument("--start", required=True, help="first start, e.g. 2026-01-13T18:30")
    schedule.add_argument("--duration", default="60", help="minutes (default 60)")
    schedule.add_argument("--location", default="")
    schedule.add_argument("--from", dest="from_date", help="date the schedule takes effect")
    schedule.add_argument("--json", action="store_true", help="print the commitment as JSON")
    schedule.set_defaults(handler=cmd_schedule)

    agenda = subparsers.add_parser(
        "agenda",
        help="list occurrences in a date range",
        description="Occurrences and ad hoc entries between two dates (default: today and the next 30 days).",
    )
    agenda.add_argument("--from", dest="from_date", help="first day (default: today)")
    agenda.add_argument("--to", dest="to_date", help="last day (default: 30 days after --from)")
    agenda.add_argument("--role", help=ROLE_HELP)
    agenda.add_argument("--json", action="store_true", help="print JSON")
    agenda.add_argument(
        "--include-notes", action="store_true", help="show each meeting's note and questions under it"
    )
    agenda.set_defaults(handler=cmd_agenda)

    log = subparsers.add_parser(
        "log",
        help="log what happened at an occurrence",
        description="Log the status of the occurrence on a date (or at a date-time). A commitment with "
        "no schedule then gets an ad hoc entry; for a scheduled one, a date it does not meet is refused "
        "naming its nearest meetings, unless --extra says it was an extra meeting. Attended and missed "
        "wait until the meeting has started; a re-log says what it replaced.",
    )
    log.add_argument("slug")
    log.add_argument("--on", required=True, help="date or date-time of the occurrence")
    log.add_argument("--status", required=True, help="attended, delegated, apologies, missed or cancelled")
    log.add_argument("--note", help="a note (replaces any note already there)")
    log.add_argument(
        "--extra",
        action="store_true",
        help="record an extra meeting of a scheduled commitment, as an ad hoc entry, on any date",
    )
    log.add_argument("--questions", help="the questions to raise (replaces any there)")
    log.add_argument(
        "--difference",
        help="what difference the meeting made for children: this text goes into the assurance statement",
    )
    log.add_argument("--json", action="store_true", help="print the occurrence as JSON")
    log.set_defaults(handler=cmd_log)

    move = subparsers.add_parser(
        "move",
        help="move one occurrence to another date and time",
        description="Move one occurrence; the rest of the series is unchanged.",
    )
    move.add_argument("slug")
    move.add_argument("--on", required=True, help="date (or date-time) the occurrence is on now")
    move.add_argument("--to", required=True, help="new date-time, e.g. 2026-07-21T18:30")
    move.add_argument("--json", action="store_true", help="print the occurrence as JSON")
    move.set_defaults(handler=cmd_move)

    backup = subparsers.add_parser(
        "backup",
        help="back up the diary",
        description="Copy the diary through SQLite's backup API, checked. A diary on a PostgreSQL server "
        "is copied whole into a SQLite diary file (as `los copy` does), which `los restore` or --db FILE "
        "opens: a copy of your own. The server's own backup stays `pg_dump` (and whatever its "
        "administrator runs): that one keeps the roles' access too.",
    )
    backup.add_argument(
        "-o",
        "--output",
        help="backup file (default: the backups folder beside the diary; for a server diary, the backups "
        "folder in the user data directory)",
    )
    backup.set_defaults(handler=cmd_backup)


@command
def cmd_init(args: argparse.Namespace, context: Context) -> int:
    roles = parse_roles("--role", args.role)  # refused before the file is created
    if args.from_date is not None and not args.new_in_post:
        raise InputError("--from", args.from_date, "goes with --new-in-post")
    if args.new_in_post and Role.LMCS not in roles:
        raise InputError(
            "--role", args.role, "--new-in-post is the lead member's induction: use lmcs or both"
        )
    started = parse_date("--from", args.from_date) if args.from_date is not None else context.today
    diary = context.diary(create=True)
    added = diary.init("both" if len(roles) > 1 else roles[0].value)
    print(
        f"Diary at {context.db_path}: {added} protocol commitments added"
        + (" (already set up; nothing changed)" if added == 0 else "")
    )
    if args.new_in_post:
        steps = diary.evidence.induct(started)
        if steps:
            print(
                f"Induction: {len(steps)} steps added as actions from {started:%d %b %Y} (see `los actions`)"
            )
        else:
            print("Induction: already added; nothing changed")
    return EXIT_OK


@command
def cmd_commitments(args: argparse.Namespace, context: Context) -> int:
    role = role_option(args.role)
    commitments = context.diary().commitments.list(role, include_retired=args.all)
    warn_unusable(commitments)
    if args.json:
        print_json([commitment_json(c) for c in commitments])
        return EXIT_OK
    for c in commitments:
        schedule = c.current_schedule
        plan = describe(schedule) if schedule else "not scheduled"
        retired = f"  (retired {c.retired_on})" if c.retired_on else ""
        print(f"{c.role.value.upper():<4} {c.slug:<34} {c.frequency.label:<16} {c.title} - {plan}{retired}")
    return EXIT_OK


@command
def cmd_add(args: argparse.Namespace, context: Context) -> int:
    role = parse_choice("--role", args.role, Role)
    frequency = parse_choice("--frequency", args.frequency, Frequency)
    commitment = context.diary().commitments.add(args.title, role, frequency, args.wording, args.with_whom)
    if args.json:
        print_json(commitment_json(commitment))
        return EXIT_OK
    # Two commitments may share a title (two panels of one name), so a second is added, not refused;
    # but its slug is not the one the title suggests, and scripts that guessed it must be told.
    suggested = f"{role.value}-{slugify(args.title)}"
    if commitment.slug != suggested:
        print(
            f"Added {commitment.slug} ({suggested} was taken, by a commitment with this title or one like it)"
        )
    else:
        print(f"Added {commitment.slug}")
    return EXIT_OK


@command
def cmd_retire(args: argparse.Namespace, context: Context) -> int:
    on = parse_date("--on", args.on) if args.on is not None else context.today
    commitment = context.diary().commitments.retire(args.slug, on)
    print(f"Retired {commitment.slug} from {on.isoformat()}")
    return EXIT_OK


@command
def cmd_schedule(args: argparse.Namespace, context: Context) -> int:
    try:
        start, has_time = parse_when("--start", args.start, context.tz)
    except RepeatedTime as repeated:
        # A series meets at a wall time each day, so no offset makes it one moment: the schedule's own
        # check refuses every time in the hours the clocks change, and says so.
        start, has_time = repeated.first.replace(tzinfo=None), True
    if not has_time:
        raise InputError("--start", args.start, "needs a time as well, e.g. 2026-07-14T18:30")
    duration = parse_positive_int("--duration", args.duration, 24 * 60)
    effective = parse_date("--from", args.from_date) if args.from_date is not None else None
    commitment = context.diary().commitments.schedule(
        args.slug, args.rrule, start, duration, args.location, effective
    )
    schedule = commitment.current_schedule
    assert schedule is not None
    if args.json:
        print_json(commitment_json(commitment))
    else:
        print(f"{commitment.slug}: {describe(schedule)} (from {schedule.first_day.isoformat()})")
    warn_outlook(schedule)
    return EXIT_OK


@command
def cmd_agenda(args: argparse.Namespace, context: Context) -> int:
    # An empty value given on purpose is refused, not taken as "not given".
    first = parse_date("--from", args.from_date) if args.from_date is not None else context.today
    last = parse_date("--to", args.to_date) if args.to_date is not None else first + timedelta(days=30)
    occurrences, commitments = context.diary().meetings.listing(first, last, role_option(args.role))
    warn_unusable(commitments)
    if args.json:
        print_json([occurrence_json(o, context.tz, args.include_notes) for o in occurrences])
        return EXIT_OK
    if not occurrences:
        print(f"Nothing in the diary from {first.isoformat()} to {last.isoformat()}.")
    lines = []
    for occurrence in occurrences:
        lines.append(occurrence_line(occurrence, context.tz, context.now))
        if args.include_notes:
            lines += notes_lines(occurrence)
    if lines:  # one write: a council's agenda is hundreds of lines
        sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_OK


@command
def cmd_log(args: argparse.Namespace, context: Context) -> int:
    status = parse_choice("--status", args.status, Status)
    if args.extra:  # a new meeting: which of two times the clocks repeat is for the user to say
        when, has_time = parse_when("--on", args.on, context.tz)
    else:
        when, has_time = context.meeting_when(args.slug, "--on", args.on, logging=True)
    result = context.diary().meetings.log(
        args.slug, when, has_time, status, args.note, args.questions, args.difference, extra=args.extra
    )
    replaced = status_change(result.replaced, result.occurrence.status)
    if args.json:
        print_json(
            {
                **occurrence_json(result.occurrence, context.tz),
                "replaced": replaced and result.replaced,
                "texts_replaced": list(result.texts_replaced),
            }
        )
    else:
        kind = "Recorded ad hoc entry" if result.adhoc_created else "Logged"
        said = "; ".join([*([replaced] if replaced else []), *result.texts_replaced])
        print(
            f"{kind}: {occurrence_line(result.occurrence, context.tz, context.now)}"
            + (f"  ({said})" if said else "")
        )
    return EXIT_OK


@command
def cmd_move(args: argparse.Namespace, context: Context) -> int:
    when, has_time = context.meeting_when(args.slug, "--on", args.on)
    to, to_has_time = parse_when("--to", args.to, context.tz)
    if not to_has_time:
        raise InputError("--to", args.to, "needs a time as well, e.g. 2026-07-21T18:30")
    diary = context.diary()
    diary.commitments.get(args.slug)
    occurrence = diary.meetings.find(args.slug, when, has_time)
    if occurrence is None:
        raise InputError("--on", args.on, f"{args.slug} has no scheduled occurrence then")
    moved = diary.meetings.move(occurrence, to)
    if args.json:
        print_json(occurrence_json(moved, context.tz))
    else:
        print(f"Moved: {occurrence_line(moved, context.tz, context.now)}")
    return EXIT_OK


@command
def cmd_backup(args: argparse.Namespace, context: Context) -> int:
    from los_tui.db.paths import ServerDiary

    if isinstance(context.db_path, ServerDiary):
        return backup_server_diary(context, output_path(args.output))
    made = context.diary().backup(output_path(args.output))
    print(f"Backed up to {made}")
    return EXIT_OK


def backup_server_diary(context: Context, destination: Path | None) -> int:
    """A server diary backed up into a SQLite diary file, through the copy: whole, or nothing written."""
    from urllib.parse import urlsplit

    from los_tui.config import data_dir
    from los_tui.db.copy import copy_diary
    from los_tui.db.errors import StoreError
    from los_tui.db.paths import ServerDiary

    where = context.db_path
    assert isinstance(where, ServerDiary)
    standing = context.diary().standing
    if not standing.private:
        raise StoreError(f"{standing.refusal()}; only a member or the owner can back up the whole diary")
    if destination is None:
        folder = data_dir() / "backups"
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        name = urlsplit(where.url).path.strip("/").replace("/", "-") or "diary"
        destination = folder / f"{name}-{context.now:%Y%m%d-%H%M%S}-server.sqlite3"
    context.close()  # the copy reads the server on its own connection, in one snapshot
    copied = copy_diary(where.url, str(destination), replace_file=True)
    print(f"Backed up {where} to {destination.absolute()} ({copied.total} rows, schema {copied.revision})")
    return EXIT_OK
