"""`los review` (the quarterly review and the board's report) and `los target` (an ad hoc quarterly aim)."""

from __future__ import annotations

import argparse
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from los_tui.cli.context import EXIT_OK, Context, command, output_path
from los_tui.cli.output import warn_unusable
from los_tui.domain.parsing import MAX_TARGET, InputError, parse_date, parse_roles, parse_target

if TYPE_CHECKING:
    from datetime import datetime

    from los_tui.domain.periods import Period
    from los_tui.domain.review import ReviewReport

FORMATS = ("table", "csv", "md", "html")
TABLE_EXTENSION = ".txt"  # -o r.txt: the plain table; other extensions name their format


def register(subparsers: Any) -> None:
    review = subparsers.add_parser(
        "review",
        help="what was attended, missed and left unlogged in a quarter",
        description="Review each commitment over a quarter (default: this one) or any period: what was "
        "expected, attended, delegated, missed, cancelled, left unlogged and still to come, rated "
        "complete, on track, at risk or overdue. Write it as a report for the Improvement Board.",
        epilog="Example: los review --quarter 2026-Q3 --format html -o q3-review.html",
    )
    review.add_argument("--quarter", help="a calendar quarter, e.g. 2026-Q3 (July to September)")
    review.add_argument("--from", dest="from_date", help="first day of a period (with --to)")
    review.add_argument("--to", dest="to_date", help="last day of a period (with --from)")
    review.add_argument(
        "--as-of", dest="as_of", help="count as things stood at the end of this day (default: now)"
    )
    review.add_argument("--role", help="lmcs, dcs or both (default: the diary's role)")
    shape = review.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true", help="print JSON")
    shape.add_argument(
        "--format",
        choices=FORMATS,
        help="table, csv, md or html (default: from -o's extension: .txt .csv .md .html .json; else table)",
    )
    review.add_argument("-o", "--output", help="write to this file (readable by you alone) instead")
    review.add_argument(
        "--include-notes", action="store_true", help="include the notes (left out by default)"
    )
    review.set_defaults(handler=cmd_review)

    target = subparsers.add_parser(
        "target",
        help="set how many times a quarter you aim to do an ad hoc commitment",
        description="Set the quarterly target of an ad hoc commitment (0 clears it), from this quarter "
        "on (or the one holding --from). The review then expects that many entries each quarter; quarters "
        "before it keep the target they had.",
    )
    target.add_argument("slug")
    target.add_argument("count", help=f"entries a quarter, 0 to {MAX_TARGET} (0 clears the target)")
    target.add_argument(
        "--from",
        dest="from_date",
        help="a day in the first quarter it applies to (default: today); earlier quarters keep theirs",
    )
    target.set_defaults(handler=cmd_target)


def _period(args: argparse.Namespace, context: Context) -> tuple[Period, datetime]:
    """The review period and the as-of moment from the options."""
    from los_tui.domain.periods import Period, Quarter
    from los_tui.domain.review import end_of_day

    # A value given empty is refused by its parser, never taken as "not given".
    given_range = args.from_date is not None or args.to_date is not None
    if args.quarter is not None and given_range:
        raise InputError("--quarter", args.quarter, "give either --quarter or --from and --to, not both")
    as_of = (
        end_of_day(parse_date("--as-of", args.as_of), context.tz) if args.as_of is not None else context.now
    )
    if given_range:
        if args.to_date is None:
            raise InputError("--from", args.from_date, "needs --to as well")
        if args.from_date is None:
            raise InputError("--to", args.to_date, "needs --from as well")
        return Period(parse_date("--from", args.from_date), parse_date("--to", args.to_date)), as_of
    if args.quarter is not None:
        return Quarter.parse(args.quarter, "--quarter").period, as_of
    return Quarter.containing(as_of.astimezone(context.now.tzinfo).date()).period, as_of


def text_table(report: ReviewReport) -> str:
    from los_tui.domain.review import Outcome
    from los_tui.exports.report import COUNT_NAMES

    review = report.review
    widths = {name: len(name) + 2 for name in COUNT_NAMES}
    heads = "".join(f"{name.capitalize():>{widths[name]}}" for name in COUNT_NAMES)
    # Each row's counts read at once and written by one format (a council's review has 200 rows).
    counts_of = attrgetter(*COUNT_NAMES)
    counts_format = "".join(f"{{:>{widths[name]}}}" for name in COUNT_NAMES)
    lines = [f"Line of sight review: {report.title}"]
    period = review.period
    lines.append(
        f"{period.first.isoformat()} to {period.last.isoformat()}, as of {review.as_of:%Y-%m-%d %H:%M}"
    )
    # Rows of commitments alike (monthly, all attended) share their counts, and so their rating (a
    # row's rating is its counts'): each set written once with its rating (73 sets in a council's 200).
    counts_texts: dict[tuple[int, ...], str] = {}
    for role in report.roles:
        lines += ["", role.label, f"  {'Commitment':<40}{heads}  Rating"]
        for row in review.rows_for(role):
            numbers = counts_of(row.counts)
            counts = counts_texts.get(numbers)
            if counts is None:
                counts = counts_texts[numbers] = f"{counts_format.format(*numbers)}  {row.rating.label}"
            lines.append(f"  {row.commitment.title[:40]:<40}{counts}")
    totals = counts_format.format(*counts_of(review.totals))
    lines += ["", f"  {'Totals':<40}{totals}"]
    # A commitment's end of its lines (" DCS  Visit to team 80  [dcs-visit-to-team-80]") written once,
    # not for each of its missed meetings; keyed by the commitment itself (by identity: its hash would
    # hash every field).
    tails: dict[int, str] = {}
    for heading, outcome in (("Missed", Outcome.MISSED), ("Not logged", Outcome.UNLOGGED)):
        items = review.items_with(outcome)
        lines += ["", f"{heading}: {len(items)}"]
        for item in items:
            commitment = item.commitment
            tail = tails.get(id(commitment))
            if tail is None:
                tail = tails[id(commitment)] = (
                    f" {commitment.role.upper():<4} {commitment.title}  [{commitment.slug}]"
                )
            lines.append(f"  {item.description:<28}{tail}")
    return "\n".join(lines) + "\n"


def _shape(args: argparse.Namespace, output: Path | None) -> str:
    """--json, --format, or (writing to a file) the file's extension, as the review screen does."""
    from los_tui.exports.report import shape_for_name

    if args.json:
        return "json"
    if args.format is not None:
        return str(args.format)
    if output is None:
        return "table"
    if output.suffix.lower() == TABLE_EXTENSION:
        return "table"
    shape = shape_for_name(output.name)
    if shape is None:
        raise InputError(
            "output", str(output), "end the name in .txt, .csv, .md, .html or .json, or give --format"
        )
    return shape


@command
def cmd_review(args: argparse.Namespace, context: Context) -> int:
    from los_tui.db.files import check_destination, write_atomically
    from los_tui.exports.report import SHAPES_WITH_HEATMAP, render_report
    from los_tui.services.diary import roles_of

    if args.output:  # a destination that cannot be written is refused before the work, not after
        check_destination(Path(args.output).expanduser())
    period, as_of = _period(args, context)
    output = output_path(args.output)
    shape = _shape(args, output)
    chosen = parse_roles("--role", args.role) if args.role is not None else None
    diary = context.diary()
    roles = tuple(chosen or roles_of(diary.role_choice() or "both"))
    # Without notes, no log's texts are read: the report prints none.
    report = diary.review.load(
        period, as_of, roles, with_heatmap=shape in SHAPES_WITH_HEATMAP, with_texts=args.include_notes
    )
    warn_unusable(list(report.commitments))
    text = text_table(report) if shape == "table" else render_report(report, shape, args.include_notes)
    if output is not None:
        destination = write_atomically(output, text.encode("utf-8"))
        print(f"Wrote the {report.title} review to {destination}")
    else:
        print(text, end="")
    return EXIT_OK


@command
def cmd_target(args: argparse.Namespace, context: Context) -> int:

    count = parse_target("count", args.count)
    from_day = parse_date("--from", args.from_date) if args.from_date is not None else context.today
    commitment, quarter = context.diary().commitments.set_target(args.slug, count, from_day)
    since = f"from {quarter.label} ({quarter.council_label}) on; earlier quarters keep theirs"
    target = commitment.target_on(quarter.period.first)
    if target:
        print(f"{commitment.slug}: aiming for {target} a quarter {since}")
    else:
        print(f"{commitment.slug}: no quarterly target {since}")
    return EXIT_OK
