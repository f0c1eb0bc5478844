"""Line-of-sight evidence on the command line: `los factors`, `los ask`, `los prep`, `los action ...`,
`los actions` and `los assurance`, the annual statement."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from los_tui.cli.context import EXIT_OK, Context, command
from los_tui.cli.output import iso, occurrence_line, print_json
from los_tui.domain.brief import Brief
from los_tui.domain.evidence_records import RaisedAction
from los_tui.domain.parsing import InputError, parse_date, parse_positive_int, parse_roles
from los_tui.domain.safe_text import neutralise

ASSURANCE_SHAPES = ("table", "json", "md", "html")
MAX_ACTION_ID = 2**31


def register(subparsers: Any) -> None:
    factors = subparsers.add_parser(
        "factors",
        help="set which of the seven factors a commitment gives sight of",
        description="Say which of the seven factors of effective safeguarding (`los questions`) a "
        "commitment gives sight of. The brief suggests questions from them and the assurance statement "
        "counts the commitment's meetings under them. The protocol's lines come with factors already.",
    )
    factors.add_argument("slug")
    factors.add_argument("factors", metavar="N[,N...]", help="factor numbers 1 to 7, e.g. 1,5")
    factors.set_defaults(handler=cmd_factors)

    ask = subparsers.add_parser(
        "ask",
        help="record a question of the guidance asked at a meeting, and the answer",
        description="Record that a question from `los questions` was asked at the meeting on a date, "
        "with what was said. Asked questions are not suggested again for a year, and count as evidence "
        "under their factor in the assurance statement.",
    )
    ask.add_argument("slug")
    ask.add_argument("--on", required=True, help="date or date-time of the meeting")
    ask.add_argument("--question", required=True, help="the question's id from `los questions`, e.g. 5.9")
    ask.add_argument("--answer", help="what was said (replaces any answer already recorded)")
    ask.set_defaults(handler=cmd_ask)

    prep = subparsers.add_parser(
        "prep",
        help="the brief for a commitment's next meeting",
        description="Before a meeting: last time's status, note and difference, the actions still open "
        "from earlier meetings (of this commitment and its joint line), and up to five questions from "
        "its factors not asked in the last twelve months. Your own brief, so notes are included.",
    )
    prep.add_argument("slug")
    prep.add_argument("--on", help="date or date-time of the meeting (default: the next one)")
    prep.add_argument("--json", action="store_true", help="print JSON")
    prep.set_defaults(handler=cmd_prep)

    action = subparsers.add_parser(
        "action",
        help="add, complete or change an action arising from a meeting",
        description="Actions arising from meetings, followed across meetings: `los actions` lists them.",
    )
    verbs = action.add_subparsers(title="what to do", metavar="VERB", required=True)
    add = verbs.add_parser("add", help="add an action arising from the meeting on a date")
    add.add_argument("slug")
    add.add_argument("--on", required=True, help="date or date-time of the meeting it arose at")
    add.add_argument("--text", required=True, help="what is to be done")
    add.add_argument("--owner", default="", help="who does it")
    add.add_argument("--due", help="by when (a date)")
    add.add_argument("--json", action="store_true", help="print the action as JSON")
    add.set_defaults(handler=cmd_action_add)
    done = verbs.add_parser("done", help="mark an action done")
    done.add_argument("id", help="the action's id (`los actions` shows it)")
    done.set_defaults(handler=cmd_action_done)
    edit = verbs.add_parser("edit", help="change an action's text, owner or due date, or reopen it")
    edit.add_argument("id", help="the action's id (`los actions` shows it)")
    edit.add_argument("--text", help="what is to be done")
    edit.add_argument("--owner", help="who does it")
    edit.add_argument("--due", help="by when (a date)")
    edit.add_argument("--no-due", action="store_true", help="clear the due date")
    edit.add_argument("--reopen", action="store_true", help="mark it open again")
    edit.set_defaults(handler=cmd_action_edit)

    actions = subparsers.add_parser(
        "actions",
        help="every action arising from meetings, open and overdue first",
        description="Actions arising from meetings, across all meetings: open ones first, soonest due "
        "first. --overdue: open actions due before today.",
    )
    actions.add_argument("--open", action="store_true", help="only open actions")
    actions.add_argument("--overdue", action="store_true", help="only open actions due before today")
    actions.add_argument("--json", action="store_true", help="print JSON")
    actions.set_defaults(handler=cmd_actions)

    assurance = subparsers.add_parser(
        "assurance",
        help="the annual line-of-sight statement, by the seven factors",
        description="What the year's meetings, questions and actions show under each of the seven "
        "factors of effective safeguarding, where there is no evidence (a gap), attendance by the "
        "review's counting, actions raised, done and overdue, and what difference meetings made. "
        "The HTML is one printable page for a scrutiny committee.",
        epilog="Example: los assurance --year 2026/27 --format html -o assurance-2026-27.html",
    )
    assurance.add_argument("--year", help="a council year, e.g. 2026/27 (April to March; default: this one)")
    assurance.add_argument("--from", dest="from_date", help="first day of a period (with --to)")
    assurance.add_argument("--to", dest="to_date", help="last day of a period (with --from)")
    assurance.add_argument(
        "--as-of", dest="as_of", help="as things stood at the end of this day (default: now)"
    )
    assurance.add_argument("--role", help="lmcs, dcs or both (default: the diary's role)")
    assurance.add_argument(
        "--format",
        choices=ASSURANCE_SHAPES,
        help="table, json, md or html (default: from -o's ending: .txt .json .md .html; else table)",
    )
    assurance.add_argument("--json", action="store_true", help="print JSON (the same as --format json)")
    assurance.add_argument("-o", "--output", help="write to this file (readable by you alone) instead")
    assurance.add_argument(
        "--include-notes",
        action="store_true",
        help="accepted for symmetry with review: the statement carries differences, never notes",
    )
    assurance.set_defaults(handler=cmd_assurance)


def _action_id(value: str) -> int:
    return parse_positive_int("id", value, MAX_ACTION_ID)


def _meeting(context: Context, slug: str, on: str) -> Any:
    when, has_time = context.meeting_when(slug, "--on", on)
    diary = context.diary()
    diary.commitments.get(slug)
    return diary.evidence.meeting(slug, when, has_time)


@command
def cmd_factors(args: argparse.Namespace, context: Context) -> int:
    commitment = context.diary().evidence.set_factors(args.slug, args.factors)
    print(f"{commitment.title} gives sight of factors {', '.join(map(str, commitment.factors))}")
    return EXIT_OK


@command
def cmd_ask(args: argparse.Namespace, context: Context) -> int:
    meeting = _meeting(context, args.slug, args.on)
    occurrence, question = context.diary().evidence.ask(meeting, args.question, args.answer)
    answered = " (answer kept)" if args.answer else ""
    print(f"Asked {question.id} at {occurrence_line(occurrence, context.tz, context.now)}{answered}")
    return EXIT_OK


def _raised_json(raised: RaisedAction) -> dict[str, Any]:
    a = raised.action
    return {
        "id": a.id,
        "text": a.text,
        "owner": a.owner,
        "due": a.due.isoformat() if a.due else None,
        "done": a.done,
        "commitment": raised.commitment_slug,
        "raised_on": raised.raised_on.isoformat(),
    }


def _brief_json(made: Brief, tz: str) -> dict[str, Any]:
    meeting, last = made.meeting, made.last
    return {
        "commitment": made.commitment.slug,
        "title": made.commitment.title,
        "start": iso(meeting.start, tz),
        "end": iso(meeting.end, tz),
        "location": meeting.location,
        "with": made.commitment.with_whom,
        "wording": made.commitment.wording,
        "last": None
        if last is None
        else {
            "start": iso(last.start, tz),
            "status": last.status_label,
            "note": last.note,
            "difference": made.last_difference,
            "questions": last.questions,
        },
        "open_actions": [
            {
                "id": o.action.id,
                "text": o.action.text,
                "owner": o.action.owner,
                "due": o.action.due.isoformat() if o.action.due else None,
                "raised_on": o.raised_at.astimezone(ZoneInfo(tz)).date().isoformat(),
            }
            for o in made.open_actions
        ],
        "suggested": [{"id": q.id, "factor": q.factor, "text": q.text} for q in made.suggested],
    }


@command
def cmd_prep(args: argparse.Namespace, context: Context) -> int:
    diary = context.diary()
    diary.commitments.get(args.slug)
    if args.on is not None:
        meeting = _meeting(context, args.slug, args.on)
    else:
        meeting = diary.evidence.next_meeting(args.slug, context.now)
    made = diary.evidence.prep(args.slug, meeting, context.now)
    if args.json:
        print_json(_brief_json(made, context.tz))
        return EXIT_OK
    print(f"Brief: {occurrence_line(meeting, context.tz, context.now)}")
    if made.commitment.with_whom:
        print(f"  With: {made.commitment.with_whom}")
    if made.last is None:
        print("  Last time: nothing logged yet")
    else:
        print(f"  Last time: {occurrence_line(made.last, context.tz, context.now)}")
        for label, text in (("Note", made.last.note), ("Difference", made.last_difference)):
            if text.strip():
                print(f"    {label}: {' '.join(text.split())}")
    print(f"  Open actions: {len(made.open_actions)}")
    for o in made.open_actions:
        due = f" (due {o.action.due:%d %b %Y})" if o.action.due else ""
        owner = f" [{o.action.owner}]" if o.action.owner else ""
        print(f"    #{o.action.id} {o.action.text}{owner}{due}")
    print("  Questions you could ask:")
    for q in made.suggested:
        print(f"    {q.id:>5}  {q.text}")
    return EXIT_OK


@command
def cmd_action_add(args: argparse.Namespace, context: Context) -> int:
    meeting = _meeting(context, args.slug, args.on)
    due = parse_date("--due", args.due) if args.due is not None else None  # '' is refused, not "none"
    _, action = context.diary().actions.add(meeting, args.text, args.owner, due)
    if args.json:
        print_json(
            {
                "id": action.id,
                "text": action.text,
                "owner": action.owner,
                "due": action.due.isoformat() if action.due else None,
                "done": action.done,
            }
        )
    else:
        print(f"Added action #{action.id}: {action.text}")
    return EXIT_OK


@command
def cmd_action_done(args: argparse.Namespace, context: Context) -> int:
    action = context.diary().actions.update(_action_id(args.id), done=True)
    print(f"Done: #{action.id} {action.text}")
    return EXIT_OK


@command
def cmd_action_edit(args: argparse.Namespace, context: Context) -> int:
    if args.due is not None and args.no_due:
        raise InputError("--due", args.due, "give either --due or --no-due, not both")
    if all(v is None for v in (args.text, args.owner, args.due)) and not (args.no_due or args.reopen):
        raise InputError("id", args.id, "say what to change: --text, --owner, --due, --no-due or --reopen")
    action = context.diary().actions.update(
        _action_id(args.id),
        text=args.text,
        owner=args.owner,
        due=parse_date("--due", args.due) if args.due is not None else None,
        clear_due=args.no_due,
        done=False if args.reopen else None,
    )
    print(f"Changed: #{action.id} {action.text}")
    return EXIT_OK


@command
def cmd_actions(args: argparse.Namespace, context: Context) -> int:
    today: date = context.today
    found = context.diary().evidence.actions(open_only=args.open, overdue_on=today if args.overdue else None)
    if args.json:
        print_json([_raised_json(a) for a in found])
        return EXIT_OK
    if not found:
        print("No actions." if not (args.open or args.overdue) else "None.")
    for raised in found:
        a = raised.action
        state = "done" if a.done else ("OVERDUE" if a.due is not None and a.due < today else "open")
        due = f" due {a.due:%d %b %Y}" if a.due else ""
        owner = f" [{a.owner}]" if a.owner else ""
        print(
            # An action written before actions were one line is shown on one all the same.
            f"#{a.id:<5} {state:<8} {neutralise(a.text, keep_newlines=False)}{owner}{due}"
            f"  ({raised.commitment_slug}, {raised.raised_on:%d %b %Y})"
        )
    return EXIT_OK


@command
def cmd_assurance(args: argparse.Namespace, context: Context) -> int:
    from los_tui.db.files import write_atomically
    from los_tui.domain.assurance import parse_council_year
    from los_tui.domain.periods import Period, council_year
    from los_tui.domain.review import end_of_day
    from los_tui.exports.assurance import render_assurance
    from los_tui.services.diary import roles_of

    if args.year is not None and (args.from_date is not None or args.to_date is not None):
        raise InputError("--year", args.year, "give either --year or --from and --to, not both")
    shape = "json" if args.json else args.format
    if args.output is not None and args.output.strip():
        from los_tui.db.files import check_destination

        # As `los review -o`: a destination that cannot be written is refused before the work, and before
        # its name's ending (a FIFO is refused as a FIFO).
        check_destination(Path(args.output).expanduser())
    if shape is None and args.output is not None and args.output.strip():
        from los_tui.services.files import ASSURANCE_ENDINGS

        # As `los review -o` and the screen's `w`: -o a.json wrote the plain table under a .json name.
        shape = ASSURANCE_ENDINGS.get(Path(args.output).suffix.lower())
        if shape is None:
            raise InputError(
                "output", args.output, "end the name in .txt, .json, .md or .html, or give --format"
            )
    as_of = context.now
    if args.as_of is not None:  # an empty value is refused by the parser, never taken as "now"
        as_of = end_of_day(parse_date("--as-of", args.as_of), context.tz)
    if args.from_date is not None or args.to_date is not None:
        if args.from_date is None or args.to_date is None:
            raise InputError(
                "--from" if args.to_date is None else "--to",
                args.from_date or args.to_date,
                "needs the other of --from and --to as well",
            )
        period = Period(parse_date("--from", args.from_date), parse_date("--to", args.to_date))
    elif args.year is not None:
        period = parse_council_year("--year", args.year)
    else:
        period = council_year(as_of.astimezone(ZoneInfo(context.tz)).date())
    chosen = parse_roles("--role", args.role) if args.role is not None else None
    diary = context.diary()
    roles = tuple(chosen or roles_of(diary.role_choice() or "both"))
    statement = diary.evidence.assurance(period, as_of, roles)
    text = render_assurance(statement, shape or "table", context.tz)
    if args.output is not None:
        if not args.output.strip():
            raise InputError("output", args.output, "is empty; leave it out to print instead")
        destination = write_atomically(Path(args.output).expanduser(), text.encode("utf-8"))
        print(f"Wrote the assurance statement to {destination}")
    else:
        print(text, end="")
    return EXIT_OK
