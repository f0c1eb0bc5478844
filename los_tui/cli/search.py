"""The search command: logged meetings whose words hold what was asked, newest first, from the index."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from los_tui.cli.context import EXIT_OK, Context, command
from los_tui.cli.output import occurrence_json, occurrence_line, print_json
from los_tui.domain.parsing import parse_date, parse_positive_int
from los_tui.domain.safe_text import neutralise
from los_tui.domain.search import PRIVATE_PLACES, SEARCH_PAGE, Found, snippet_text

# More than a screen can take in, fewer than a listing may hold (see `los agenda`).
MAX_LIMIT = 10_000
# Each place by the name a user knows it by.
PLACE_WORDS = {
    "title": "title",
    "note": "note",
    "questions": "questions",
    "difference": "difference",
    "actions": "action",
    "answers": "answer",
}


def register(subparsers: Any) -> None:
    search = subparsers.add_parser(
        "search",
        help="find logged meetings by the words in them",
        description="Logged meetings whose commitment title, note, questions, difference made, actions or "
        "answers hold every word of TEXT (each as the start of a word, case and accents aside), newest "
        "first, with where the words were found. Quotes, stars and AND/OR/NOT are searched as words. "
        "A note's or questions' text is shown only with --include-notes.",
    )
    search.add_argument("text", metavar="TEXT", help="the words to find")
    search.add_argument("--from", dest="from_date", help="first day (default: the diary's first)")
    search.add_argument("--to", dest="to_date", help="last day (default: the diary's last)")
    search.add_argument(
        "--limit", default=str(SEARCH_PAGE), help=f"at most this many, newest first (default {SEARCH_PAGE})"
    )
    search.add_argument("--json", action="store_true", help="print JSON")
    search.add_argument(
        "--include-notes", action="store_true", help="show the words found in notes and questions too"
    )
    search.set_defaults(handler=cmd_search)


@command
def cmd_search(args: argparse.Namespace, context: Context) -> int:
    # Everything the user gave is checked before the diary is opened.
    first = parse_date("--from", args.from_date) if args.from_date is not None else None
    last = parse_date("--to", args.to_date) if args.to_date is not None else None
    limit = parse_positive_int("--limit", args.limit, MAX_LIMIT)
    found = context.diary().meetings.search(args.text, first, last, limit=limit)
    if args.json:
        print_json([found_json(f, context.tz, args.include_notes) for f in found])
    else:
        if not found:
            print("Nothing found.")
        for hit in found:
            print(occurrence_line(hit.occurrence, context.tz, context.now))
            for line in found_lines(hit, args.include_notes):
                print(f"    {line}")
    if len(found) == limit:
        print(f"los: the newest {limit} shown; --limit or --from/--to for others", file=sys.stderr)
    return EXIT_OK


def _shown(place: str, include_notes: bool) -> bool:
    return place != "title" and (include_notes or place not in PRIVATE_PLACES)


def found_lines(found: Found, include_notes: bool) -> list[str]:
    """Where the words were found, and each place's words in context (a note's only if asked for)."""
    lines = [f"found in: {', '.join(PLACE_WORDS[place] for place in found.places)}"]
    for place in found.places:
        if _shown(place, include_notes):
            text = neutralise(snippet_text(found.snippets[place]), keep_newlines=False)
            lines.append(f"{PLACE_WORDS[place]}: {text}")
    hidden = [PLACE_WORDS[p] for p in found.places if p in PRIVATE_PLACES and not include_notes]
    if hidden:
        lines.append(f"(the {' and '.join(hidden)} left out: --include-notes shows {_them(hidden)})")
    return lines


def _them(names: list[str]) -> str:
    return "it" if len(names) == 1 else "them"


def found_json(found: Found, tz: str, include_notes: bool) -> dict[str, Any]:
    return {
        **occurrence_json(found.occurrence, tz, include_notes),
        "found_in": list(found.places),
        "snippets": {
            place: snippet_text(found.snippets[place])
            for place in found.places
            if _shown(place, include_notes)
        },
    }
