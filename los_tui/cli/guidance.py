"""The guidance a lead member works from, on the command line: `los questions` and `los glossary`.

Neither opens the diary: they read the guidance shipped with los (los_tui/domain/guidance.toml)."""

from __future__ import annotations

import argparse
import json
import shutil
import textwrap
from typing import Any

from los_tui.cli.context import EXIT_OK, Context, command
from los_tui.domain.guidance import Factor, guidance
from los_tui.domain.parsing import InputError


def register(subparsers: Any) -> None:
    questions = subparsers.add_parser(
        "questions",
        help="the seven factors of effective safeguarding and the questions to ask under each",
        description="The London guidance for lead members (2013) in its own words: for each of the seven "
        "factors of effective safeguarding, what good looks like and what you should be asking, one "
        "question per entry. A question's id (5.9) is how `los ask` records it was asked at a meeting.",
    )
    questions.add_argument("--factor", metavar="N", help="only factor N (1 to 7)")
    questions.add_argument("--json", action="store_true", help="print JSON")
    questions.set_defaults(handler=cmd_questions)

    glossary = subparsers.add_parser(
        "glossary",
        help="what an abbreviation means (PSW, ASYE, CiCC, LADO, ...)",
        description="The guidance's glossary of abbreviations and every abbreviation the protocol and this "
        "app use. With a TERM, its meaning alone.",
    )
    glossary.add_argument("term", nargs="?", metavar="TERM", help="one abbreviation, any case")
    glossary.add_argument("--json", action="store_true", help='print JSON: {"TERM": "meaning"}')
    glossary.set_defaults(handler=cmd_glossary)


def _factor_json(factor: Factor) -> dict[str, Any]:
    return {
        "factor": factor.number,
        "title": factor.title,
        "good_looks_like": list(factor.good_looks_like),
        "questions": [{"id": q.id, "text": q.text} for q in factor.questions],
    }


@command
def cmd_questions(args: argparse.Namespace, context: Context) -> int:
    factors = guidance().factors
    if args.factor is not None:
        text = args.factor.strip()
        if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= len(factors):
            raise InputError("--factor", args.factor, "must be a factor number from 1 to 7")
        factors = (guidance().factor(int(text)),)
    if args.json:
        print(json.dumps([_factor_json(f) for f in factors], indent=2, ensure_ascii=False))
        return EXIT_OK
    width = min(shutil.get_terminal_size().columns, 100)
    for factor in factors:
        print(f"{factor.number} {factor.title}")
        print("  What good looks like:")
        for paragraph in factor.good_looks_like:
            print(textwrap.fill(paragraph, width, initial_indent="    - ", subsequent_indent="      "))
        print("  What you should be asking:")
        for question in factor.questions:
            print(
                textwrap.fill(
                    question.text, width, initial_indent=f"  {question.id:>5}  ", subsequent_indent=" " * 9
                )
            )
        print()
    return EXIT_OK


@command
def cmd_glossary(args: argparse.Namespace, context: Context) -> int:
    terms = guidance().glossary
    if args.term is not None:
        if not args.term.strip():
            raise InputError("TERM", args.term, "is empty; leave it out to list every term")
        meaning = guidance().explain(args.term)
        term = next(t for t in terms if t.casefold() == args.term.strip().casefold())
        terms = {term: meaning}
    if args.json:
        print(json.dumps(terms, indent=2, ensure_ascii=False))
        return EXIT_OK
    width = max(len(t) for t in terms)
    for term, meaning in terms.items():
        print(f"{term:<{width}}  {meaning}")
    return EXIT_OK
