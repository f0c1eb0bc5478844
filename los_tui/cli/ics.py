"""`los export ics` and `los import ics`: the diary's schedules out to Outlook, Outlook's meetings back in."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from los_tui.cli.context import (
    EXIT_OK,
    ROLE_HELP,
    Context,
    command,
    input_path,
    output_path,
    plural,
    role_option,
)
from los_tui.cli.output import iso, print_json

if TYPE_CHECKING:
    from los_tui.exports.ical_reader import CalendarMeeting


def register(subparsers: Any) -> None:
    export = subparsers.add_parser(
        "export", help="export the diary for another program", description="Export the diary."
    )
    export_formats = export.add_subparsers(title="formats", metavar="FORMAT")
    ics = export_formats.add_parser(
        "ics",
        help="scheduled commitments as an iCalendar (.ics) file for Outlook",
        description="Write the scheduled commitments as one iCalendar file that Outlook, Google Calendar "
        "and Thunderbird import: one series per schedule, cancelled meetings left out, moved ones at "
        "their new time. Import it into a dedicated calendar; to update, delete that calendar and import "
        "again.",
    )
    ics.add_argument("--role", help=ROLE_HELP)
    ics.add_argument(
        "--commitment",
        dest="slugs",
        action="append",
        metavar="SLUG",
        help="export only this commitment (repeatable)",
    )
    ics.add_argument("-o", "--output", metavar="FILE", help="file to write (default: standard output)")
    ics.add_argument("--include-notes", action="store_true", help="put meeting notes in the descriptions")
    ics.add_argument(
        "--alarm", metavar="MINUTES", help="add a reminder this many minutes before each meeting"
    )
    ics.set_defaults(handler=cmd_export_ics)

    import_ = subparsers.add_parser(
        "import", help="read another program's calendar into the diary", description="Import meetings."
    )
    import_formats = import_.add_subparsers(title="formats", metavar="FORMAT")
    read = import_formats.add_parser(
        "ics",
        help="fill in attendance from an .ics file exported from Outlook",
        description="Read an iCalendar file (such as Outlook's 'Save calendar'), match the past year's "
        "meetings to commitments by title and schedule, and show what would be logged. With --apply, log "
        "them as attended (or as ad hoc entries). Importing the same file again changes nothing.",
    )
    read.add_argument("file", metavar="FILE")
    read.add_argument("--role", help=f"match only this role's commitments: {ROLE_HELP}")
    read.add_argument("--apply", action="store_true", help="write the matches into the diary")
    read.add_argument("--json", action="store_true", help="print JSON")
    read.set_defaults(handler=cmd_import_ics)


def _alarm(value: str | None) -> int | None:
    from los_tui.domain.parsing import parse_whole_number

    return None if value is None else parse_whole_number("--alarm", value, "minutes")


@command
def cmd_export_ics(args: argparse.Namespace, context: Context) -> int:
    from los_tui.db.files import check_destination, write_atomically

    output = output_path(args.output)
    if output is not None:  # a destination that cannot be written is refused before the work, not after
        check_destination(output)
    from los_tui.exports.ical import NOT_SCHEDULED  # loads icalendar: only once there is work to do

    role, alarm = role_option(args.role), _alarm(args.alarm)
    export = context.diary().calendar.export(role, args.slugs, args.include_notes, alarm)
    if output is not None:
        path = write_atomically(output, export.data)
        print(
            f"Wrote {path}: {plural(export.series, 'series', 'series')}, "
            f"{plural(export.overrides, 'moved or annotated meeting')}, {export.cancelled} cancelled"
        )
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(export.data)
        sys.stdout.buffer.flush()
    # What was left out goes to stderr, so it never mixes into an .ics written to standard output.
    unscheduled = [item for item in export.left_out if item.reason == NOT_SCHEDULED]
    if unscheduled:
        print(
            f"Left out {plural(len(unscheduled), 'commitment')} with no schedule yet "
            "(`los commitments` lists them; `los schedule` gives them dates)",
            file=sys.stderr,
        )
    for item in export.left_out:
        if item.reason != NOT_SCHEDULED:
            print(f"Left out {item.slug}: {item.reason}", file=sys.stderr)
    return EXIT_OK


@command
def cmd_import_ics(args: argparse.Namespace, context: Context) -> int:
    from los_tui.services.ical import Decision

    diary = context.diary()
    plan = diary.calendar.plan_import(input_path("file", args.file), role_option(args.role))
    written = diary.calendar.apply_import(plan) if args.apply else 0
    if args.json:
        print_json(
            {
                "file": plan.source,
                "from": iso(plan.window_start, context.tz),
                "to": iso(plan.window_end, context.tz),
                "applied": args.apply,
                "written": written,
                "meetings": [
                    {
                        "title": p.meeting.title,
                        **_when_json(p.meeting, context.tz),
                        "all_day": p.meeting.all_day,
                        "uid": p.meeting.uid,
                        "recurrence_id": p.meeting.recurrence_key or None,
                        "outcome": p.decision.value,
                        "commitment": p.commitment_slug,
                        "reason": p.reason,
                    }
                    for p in plan.proposals
                ],
                "skipped": [{"title": s.title, "start": s.when, "reason": s.reason} for s in plan.skipped],
            }
        )
        return EXIT_OK
    print(
        f"{plan.source}: {plural(len(plan.proposals), 'meeting')} from {plan.window_start:%Y-%m-%d} "
        f"to {plan.window_end:%Y-%m-%d}"
    )
    from los_tui.domain.day_text import told_apart

    for proposal in plan.proposals:
        start = proposal.meeting.start.astimezone(diary.zone)
        at = "all day" if proposal.meeting.all_day else told_apart(start)
        when = f"{start:%a %d %b %Y}  {at}"
        target = f" -> {proposal.commitment_slug}" if proposal.commitment_slug else ""
        reason = f" ({proposal.reason})" if proposal.reason else ""
        print(f"  {when}  {proposal.decision.value:<16} {proposal.meeting.title}{target}{reason}")
    if plan.skipped:
        # Said on stderr, so a listing piped elsewhere still shows the user what was not read.
        print(f"Left out {plural(len(plan.skipped), 'event')} that could not be read:", file=sys.stderr)
        for skipped in plan.skipped:
            print(f"  {skipped}", file=sys.stderr)
    to_write = plan.count(Decision.OCCURRENCE) + plan.count(Decision.ADHOC)
    if args.apply:
        print(
            f"Logged {plural(written, 'meeting')} as attended; {plan.count(Decision.UNMATCHED)} unmatched"
            f"{plan.not_logged}."
        )
    else:
        print(
            f"{plural(to_write, 'meeting')} would be logged as attended{plan.not_logged}; run again with "
            "--apply to log them."
        )
    return EXIT_OK


def _when_json(meeting: CalendarMeeting, tz: str) -> dict[str, str | None]:
    """An all-day meeting has dates (the end, as in iCalendar, the day after its last); others times."""
    if meeting.all_day:
        return {"start": meeting.start.date().isoformat(), "end": meeting.end.date().isoformat()}
    return {"start": iso(meeting.start, tz), "end": iso(meeting.end, tz)}
