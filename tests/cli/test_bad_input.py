"""Every command refuses bad input the same way: one line naming the field or value, exit 2, and the
diary exactly as it was (compared row for row with `iterdump`).

Two tables. The first is written by hand: bad dates, times, rules, statuses, roles, slugs, numbers,
paths, file contents, over-long text (64 KiB + 1) and control characters. The second is generated from
the argument parser itself: every command and every option it declares gets the bad values of its kind
(empty, not UTF-8, superscript digits, control and bidi characters, years out of range...), so an option
added later is either classified here or fails the test.
"""

from __future__ import annotations

import argparse
import hashlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from diary_testing import Result

from los_tui.domain.parsing import MAX_TEXT, MAX_TITLE

BOARD = "lmcs-improvement-board"
LONG = "x" * (MAX_TEXT + 1)
START = "2026-01-13T18:30"

BAD_DATES = [
    "2026-02-30",
    "2026-13-01",
    "2026-00-10",
    "26-01-01",
    "yesterday",
    "",
    " ",
    "2026-1-1",
    "２０２６-01-01",
    "0000-01-01",
    "2026-01-01T10:00",
    "2026/01/01",
    "\x1b[2J",
    "9999-12-31",
    "0001-01-01",
    "1899-12-31",
]
BAD_WHENS = [
    "2026-02-30",
    "next tuesday",
    "",
    "2026-01-01T24:00",
    "2026-01-01T10:60",
    "2026-01-01Tnoon",
    "2026-01-01T10:00+25:00",
    "2026-03-29T01:30",
    "2026-13-01T10:00",
    "\x07",
    "9999-12-31T23:30",
    "0001-01-01T00:00",
    "2200-01-01T10:00",
]
BAD_RULES = [
    "FREQ=SOMETIMES",
    "",
    "RRULE",
    ";;;",
    "FREQ",
    "FREQ=",
    "FREQ=HOURLY",
    "FREQ=MINUTELY",
    "FREQ=MONTHLY;INTERVAL=0",
    "FREQ=MONTHLY;INTERVAL=-1",
    "FREQ=MONTHLY;INTERVAL=x",
    "FREQ=MONTHLY;COUNT=0",
    "FREQ=MONTHLY;COUNT=many",
    "FREQ=MONTHLY;UNTIL=tomorrow",
    "FREQ=MONTHLY;COUNT=2;UNTIL=20270101",
    "FREQ=MONTHLY;FREQ=WEEKLY",
    "FREQ=MONTHLY;BYDAY=XX",
    "FREQ=MONTHLY;BYMONTHDAY=32",
    "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
    "FREQ=YEARLY;BYMONTH=13",
    "FREQ=MONTHLY;UNTIL=20250101",
    "FREQ=WEEKLY;BYDAY=MO,XX",
    "FREQ=MONTHLY;BYSETPOS=400;BYDAY=TU",
    "FREQ=MONTHLY\x1b[31m",
    "FREQ=MONTHLY;" + "BYDAY=TU;" * 2,
    "X" * 5000,
    "FREQ=DAILY;UNTIL=99991231",
    "FREQ=DAILY;UNTIL=00010101T000000Z",
    "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
    "FREQ=DAILY;BYSETPOS=2",
    "FREQ=DAILY;BYSETPOS=2;BYDAY=TU",
    "FREQ=WEEKLY;BYDAY=2MO",
    "FREQ=MONTHLY;BYWEEKNO=3",
    "FREQ=DAILY;BYYEARDAY=100",
    "FREQ=WEEKLY;BYMONTHDAY=3",
    "FREQ=MONTHLY;BYSETPOS=2",
]
BAD_STATUSES = ["went", "", "attend", "attended;missed", "ATTENDED!", "\x1b[31mattended", "missed\x00"]
BAD_ROLES = ["mayor", "", "lmcs,dcs", "ceo", "\x1b]0;x\x07"]
BAD_FREQUENCIES = ["fortnightly", "", "weekly", "monthly!", "\x7f"]
BAD_SLUGS = ["no-such-slug", "", "../../etc/passwd", "lmcs-improvement-board-x", "x" * 10_000, "lmcs\x00cicc"]
BAD_DURATIONS = ["0", "-5", "1441", "1e3", "ten", "", "99999999999999999999", "1.5"]


def table() -> list[tuple[str, list[str], str]]:
    """(case id, arguments, text the one-line message must contain)."""
    cases: list[tuple[str, list[str], str]] = []

    def add(name: str, args: list[str], mention: str) -> None:
        cases.append((f"{args[0]}: {name}", args, mention))

    for role in BAD_ROLES:
        add(f"--role {role!r}", ["init", "--role", role], "--role")
        add(f"--role {role!r}", ["commitments", "--role", role], "--role")
        add(f"--role {role!r}", ["agenda", "--role", role], "--role")
        add(f"--role {role!r}", ["add", "--title", "T", "--role", role, "--frequency", "monthly"], "--role")
    for frequency in BAD_FREQUENCIES:
        add(
            f"--frequency {frequency!r}",
            ["add", "--title", "T", "--role", "lmcs", "--frequency", frequency],
            "--frequency",
        )
    for title, why in [
        ("", "empty"),
        ("   ", "blank"),
        ("t" * (MAX_TITLE + 1), "201 characters"),
        ("Board\x1b[2J", "escape"),
        ("Bell\x07", "bell"),
    ]:
        add(
            f"--title {why}", ["add", "--title", title, "--role", "lmcs", "--frequency", "monthly"], "--title"
        )
    add(
        "--wording 64 KiB + 1",
        ["add", "--title", "T", "--role", "lmcs", "--frequency", "monthly", "--wording", LONG],
        "--wording",
    )
    add(
        "--with control",
        ["add", "--title", "T", "--role", "lmcs", "--frequency", "monthly", "--with", "DCS\x1b]8;;x\x07"],
        "--with",
    )
    add("missing --title", ["add", "--role", "lmcs", "--frequency", "monthly"], "--title")
    for slug in BAD_SLUGS:
        shown = slug[:20] if slug and "\x00" not in slug else "commitment"
        add(f"slug {slug[:20]!r}", ["retire", slug], shown)
        add(f"slug {slug[:20]!r}", ["log", slug, "--on", "2026-03-10", "--status", "attended"], shown)
        add(f"slug {slug[:20]!r}", ["move", slug, "--on", "2026-03-10", "--to", "2026-03-12T10:00"], shown)
        add(f"slug {slug[:20]!r}", ["schedule", slug, "--rrule", "FREQ=MONTHLY", "--start", START], shown)
    for day in BAD_DATES:
        shown = day.strip() or "--"
        mention = "--on" if "\x1b" in day else shown
        add(f"--on {day!r}", ["retire", "lmcs-cicc", "--on", day], mention)
        add(f"--from {day!r}", ["agenda", "--from", day], mention if mention != "--on" else "--from")
        add(f"--to {day!r}", ["agenda", "--to", day], mention if mention != "--on" else "--to")
        add(
            f"--from {day!r}",
            ["schedule", "lmcs-cicc", "--rrule", "FREQ=MONTHLY", "--start", START, "--from", day],
            mention if mention != "--on" else "--from",
        )
    add("--to before --from", ["agenda", "--from", "2026-05-01", "--to", "2026-04-01"], "2026-04-01")
    for when in BAD_WHENS:
        mention = "--on" if not when.strip() or "\x07" in when else when[:10]
        add(f"--on {when!r}", ["log", BOARD, "--on", when, "--status", "attended"], mention)
        add(f"--on {when!r}", ["move", BOARD, "--on", when, "--to", "2026-03-12T10:00"], mention)
        add(
            f"--to {when!r}",
            ["move", BOARD, "--on", "2026-03-10", "--to", when],
            mention if mention != "--on" else "--to",
        )
        add(
            f"--start {when!r}",
            ["schedule", "lmcs-cicc", "--rrule", "FREQ=MONTHLY", "--start", when],
            mention if mention != "--on" else "--start",
        )
    add("--to without a time", ["move", BOARD, "--on", "2026-03-10", "--to", "2026-03-12"], "2026-03-12")
    add(
        "--on nothing scheduled",
        ["move", BOARD, "--on", "2026-03-11", "--to", "2026-03-12T10:00"],
        "2026-03-11",
    )
    add(
        "--start without a time",
        ["schedule", "lmcs-cicc", "--rrule", "FREQ=MONTHLY", "--start", "2026-01-01"],
        "2026-01-01",
    )
    for rule in BAD_RULES:
        add(f"--rrule {rule[:30]!r}", ["schedule", "lmcs-cicc", "--rrule", rule, "--start", START], "--rrule")
    for duration in BAD_DURATIONS:
        add(
            f"--duration {duration!r}",
            ["schedule", "lmcs-cicc", "--rrule", "FREQ=MONTHLY", "--start", START, "--duration", duration],
            "--duration",
        )
    add(
        "--location 201 characters",
        [
            "schedule",
            "lmcs-cicc",
            "--rrule",
            "FREQ=MONTHLY",
            "--start",
            START,
            "--location",
            "L" * (MAX_TITLE + 1),
        ],
        "--location",
    )
    add(
        "--location control",
        ["schedule", "lmcs-cicc", "--rrule", "FREQ=MONTHLY", "--start", START, "--location", "Hall\x1b[8m"],
        "--location",
    )
    add(
        "retired commitment",
        ["schedule", "lmcs-old", "--rrule", "FREQ=MONTHLY", "--start", START],
        "lmcs-old",
    )
    add("already retired", ["retire", "lmcs-old"], "lmcs-old")
    for status in BAD_STATUSES:
        add(f"--status {status!r}", ["log", BOARD, "--on", "2026-03-10", "--status", status], "--status")
    for note, why in [
        (LONG, "64 KiB + 1"),
        ("Saw\x1b[2Jthe team", "escape"),
        ("bell\x07", "bell"),
        ("\x1b]52;c;ZXZpbA==\x07", "clipboard OSC"),
    ]:
        add(
            f"--note {why}",
            ["log", BOARD, "--on", "2026-03-10", "--status", "attended", "--note", note],
            "--note",
        )
    add("missing --status", ["log", BOARD, "--on", "2026-03-10"], "--status")
    return cases


def path_cases(folder: Path, db: Path) -> list[tuple[str, list[str], str]]:
    text_file = folder / "notes.txt"
    text_file.write_text("not a diary\n")
    empty = folder / "empty.sqlite3"
    empty.write_bytes(b"")
    other = folder / "other.sqlite3"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE t (x)")
    truncated = folder / "truncated.sqlite3"
    truncated.write_bytes(b"SQLite format 3\x00\x10")
    cases = [
        ("backup: -o a folder", ["backup", "-o", str(folder)], str(folder)),
        ("backup: -o ''", ["backup", "-o", ""], "-o"),
        ("backup: -o in a missing folder", ["backup", "-o", str(folder / "no" / "x.db")], "does not exist"),
        ("backup: -o the diary itself", ["backup", "-o", str(db)], "the diary itself"),
        ("backup: -o the diary's WAL", ["backup", "-o", f"{db}-wal"], "the diary itself"),
    ]
    # A report or calendar written over the diary, its WAL or a backup replaced it past what `los restore`
    # could read (the WAL is written as the diary is read).
    backup = next((db.parent / "backups").glob("*.sqlite3"))
    for command in (["export", "ics"], ["review", "--format", "csv"], ["assurance", "--format", "md"]):
        for what, path in [("the diary", db), ("the diary's WAL", Path(f"{db}-wal")), ("a backup", backup)]:
            cases.append((f"{command[0]}: -o {what}", [*command, "-o", str(path)], "is a los-tui diary"))
    for name, path in [
        ("a text file", text_file),
        ("an empty file", empty),
        ("another database", other),
        ("a truncated header", truncated),
        ("a missing file", folder / "missing.sqlite3"),
        ("a folder", folder),
        ("the diary itself", db),
    ]:
        cases.append((f"restore: {name}", ["restore", str(path), "--yes"], str(path)))
    return cases


def digest(db: Path) -> str:
    with sqlite3.connect(db) as connection:
        return hashlib.sha256("\n".join(connection.iterdump()).encode()).hexdigest()


@pytest.fixture
def diary_with_history(seeded: Callable[..., Result]) -> Callable[..., Result]:
    assert (
        seeded("schedule", BOARD, "--rrule", "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2", "--start", START).code == 0
    )
    assert seeded("log", BOARD, "--on", "2026-02-10", "--status", "attended", "--note", "Fine").code == 0
    assert seeded("add", "--title", "Old", "--role", "lmcs", "--frequency", "monthly").code == 0
    assert seeded("retire", "lmcs-old", "--on", "2026-01-01").code == 0
    return seeded


def test_every_command_refuses_bad_input_with_one_line_and_changes_nothing(
    diary_with_history: Callable[..., Result], db_path: Path, tmp_path: Path
) -> None:
    los = diary_with_history
    cases = table() + path_cases(tmp_path, db_path)
    commands = {args[0] for _, args, _ in cases}
    assert commands == {
        "init",
        "commitments",
        "add",
        "retire",
        "schedule",
        "agenda",
        "log",
        "move",
        "backup",
        "restore",
        "export",
        "review",
        "assurance",
    }
    before = digest(db_path)
    problems = []
    for name, args, mention in cases:
        result = los(*args)
        lines = result.err.splitlines()
        if result.code != 2 or len(lines) != 1 or mention not in lines[0] or "Traceback" in result.err:
            problems.append(f"{name}: exit {result.code}, stderr {result.err!r}")
        after = digest(db_path)
        if after != before:
            problems.append(f"{name}: the diary changed")
            before = after
    print(f"\nbad input: {len(cases)} cases over {len(commands)} commands")
    assert problems == [], "\n".join(problems)


# -- generated from the parser -----------------------------------------------------------------------

ADHOC = "lmcs-visits"
NOT_UTF8 = "\udcff"  # what a byte that is not UTF-8 in argv becomes (surrogateescape)
EMPTY = ["", " "]
BAD_DAYS = [
    *EMPTY,
    NOT_UTF8,
    "10/11/2026",
    "2026-02-30",
    "9999-12-31",
    "0000-01-01",
    "２０２６-01-01",
    "2026-01-01\n",
    "2026-01-0\u00b2",
]
BAD_MOMENTS = [*BAD_DAYS, "2026-03-12T25:00", "9999-12-31T23:59", "2026-03-12T1\u00b2:00"]
BAD_NUMBERS = [*EMPTY, NOT_UTF8, "\u00b2", "\u0663", "1_0", "-1", "ten", "99999999999999999999", "1.5"]
BAD_LINE = [NOT_UTF8, "Board\x1b[2J", "two\nlines", "Board\r", "a\u202eb", "a\u2066b", "tab\there", "t" * 201]
BAD_TEXT = [NOT_UTF8, "Saw\x1b[2Jthe team", "\x1b]52;c;ZXZpbA==\x07", LONG]
BAD_CHOICE = [*EMPTY, NOT_UTF8, "nope", "attended\n"]
BAD_ROLE = [*EMPTY, NOT_UTF8, "mayor", "lmcs,dcs", "lmcs\n", "b\u00f6th"]
BAD_SLUG = [*EMPTY, NOT_UTF8, "no-such-slug", "lmcs-cicc\n"]

# What every option is, by its destination; an option not named here fails the test until it is.
KINDS: dict[str, list[str]] = {
    "as_of": BAD_DAYS,
    "count": BAD_NUMBERS,
    "duration": BAD_NUMBERS,
    "alarm": BAD_NUMBERS,
    "file": ["", "missing.file", "notes.txt", "a-folder"],
    "factor": [*EMPTY, NOT_UTF8, "\u00b2", "0", "8", "1_0"],
    "factors": [*EMPTY, NOT_UTF8, "0", "8", "1,,5", "\u00b2"],
    "question": [*EMPTY, NOT_UTF8, "99.1", "5.\u00b2"],
    "questions": BAD_TEXT,
    "difference": BAD_TEXT,
    "answer": BAD_TEXT,
    "text": [*EMPTY, NOT_UTF8, "\x1b[2J", LONG],
    "limit": [*BAD_NUMBERS, "0", "10001"],
    "owner": BAD_LINE,
    "due": BAD_DAYS,
    "id": [*EMPTY, NOT_UTF8, "999", "\u00b2", "-1"],
    "year": [*EMPTY, NOT_UTF8, "9999", "0000", "20\u00b26"],
    "format": ["", "pdf", NOT_UTF8],
    "term": [*EMPTY, NOT_UTF8, "NO-SUCH-TERM"],
    "frequency": BAD_CHOICE,
    "from_date": BAD_DAYS,
    "to_date": BAD_DAYS,
    "location": BAD_LINE,
    "note": BAD_TEXT,
    "on": BAD_MOMENTS,
    "output": ["", "a-folder", "no-folder/x.out"],
    "quarter": [*EMPTY, NOT_UTF8, "9999-Q4", "0000-Q1", "2026-Q5", "２０２６-Q1", "2026-Q\u00b3"],
    "role": BAD_ROLE,
    "rrule": [*EMPTY, NOT_UTF8, "FREQ=MONTHLY\nBYDAY=TU", "FREQ=SOMETIMES", "FREQ=MONTHLY\x1b[31m"],
    "slug": BAD_SLUG,
    "slugs": BAD_SLUG,
    "start": [*BAD_MOMENTS, "2026-01-13"],
    "status": BAD_CHOICE,
    "title": [*EMPTY, *BAD_LINE],
    "to": [*BAD_MOMENTS, "2026-03-12"],
    "with_whom": BAD_LINE,
    "wording": BAD_TEXT,
    "database_role": [*EMPTY, NOT_UTF8, "pa\nsmith", "x" * 64, "pa\x1b[2J"],
    "level": [*EMPTY, NOT_UTF8, "boss", "member\n"],
    "source": ["", "missing.file", "notes.txt", "a-folder", "sqlite:///x.db"],
    "target": [
        "",
        "a-folder",
        "notes.txt",
        "no-folder/x.sqlite3",
        "postgresql://nobody@/nodb?host=/nonexistent",
    ],
}
SWITCHES = (argparse._StoreTrueAction, argparse._HelpAction, argparse._VersionAction)
# The smallest command line that works, for each command: each case changes one value in it.
VALID: dict[str, list[str]] = {
    "init": [],
    "commitments": [],
    "add": ["--title", "T", "--role", "lmcs", "--frequency", "monthly"],
    "retire": ["lmcs-cicc"],
    "schedule": ["lmcs-cicc", "--rrule", "FREQ=MONTHLY", "--start", START],
    "agenda": [],
    "log": [BOARD, "--on", "2026-03-10", "--status", "attended"],
    "move": [BOARD, "--on", "2026-03-10", "--to", "2026-03-12T10:00"],
    "backup": [],
    "review": [],
    "target": [ADHOC, "2"],
    "export ics": [],
    "import ics": ["{calendar}"],
    "restore": ["{backup}", "--yes"],
    "migrate": [],
    "questions": [],
    "glossary": [],
    "factors": [BOARD, "1,5"],
    "ask": [BOARD, "--on", "2026-02-10", "--question", "5.9"],
    "prep": [BOARD],
    "action add": [BOARD, "--on", "2026-02-10", "--text", "Follow up"],
    "action done": ["1"],
    "action edit": ["1", "--text", "Follow up again"],
    "actions": [],
    "assurance": [],
    "search": ["board"],
    "access grant": ["pa_smith", "--as", "assistant"],
    "access revoke": ["pa_smith"],
    "copy": ["{backup}", "{folder}/copied.sqlite3"],
}


def commands(
    parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()
) -> dict[str, argparse.ArgumentParser]:
    """Every command the parser knows ("export ics" included), found by walking its subparsers."""
    found: dict[str, argparse.ArgumentParser] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, subparser in action.choices.items():
                inner = commands(subparser, (*prefix, name))
                found.update(inner or {" ".join((*prefix, name)): subparser})
    return found


# After the first: `target SLUG N`, `factors SLUG N,N`, `copy SOURCE TARGET`.
SECOND_POSITIONALS = ("count", "factors", "target")


def with_value(command: str, valid: list[str], action: argparse.Action, value: str) -> list[str]:
    """The valid command line with `action` given `value` (in place of the valid one, if it has one)."""
    args = list(valid)
    if not action.option_strings:  # a positional: the first (or second) bare word of the valid line
        positionals = [
            i
            for i, arg in enumerate(args)
            if not arg.startswith("-") and (i == 0 or not args[i - 1].startswith("-"))
        ]
        if not positionals:  # an optional positional the valid line leaves out (glossary's TERM)
            return [*command.split(), *args, value]
        args[positionals[1 if action.dest in SECOND_POSITIONALS else 0]] = value
    else:
        present = [i for i, arg in enumerate(args) if arg in action.option_strings]
        if present:
            args[present[0] + 1] = value
        else:
            args += [action.option_strings[-1], value]
    return [*command.split(), *args]


def generated_cases(
    folder: Path, db: Path
) -> tuple[list[tuple[str, list[str], list[str]]], set[str], set[str]]:
    """(case id, arguments, words of which the message must contain one), the commands and the options."""
    from los_tui.cli import build_parser

    (folder / "a-folder").mkdir()
    (folder / "notes.txt").write_text("not a calendar\nsecond line\n")
    calendar = folder / "outlook.ics"
    calendar.write_bytes((Path(__file__).parents[1] / "fixtures" / "outlook_quarter.ics").read_bytes())
    backup = folder / "backup.sqlite3"
    places = {"{calendar}": str(calendar), "{backup}": str(backup)}
    cases: list[tuple[str, list[str], list[str]]] = []
    options: set[str] = set()
    unclassified = []
    found = commands(build_parser())
    for command, parser in found.items():
        valid = [places.get(arg, arg) for arg in VALID[command]]
        for action in parser._actions:
            if isinstance(action, SWITCHES) or action.dest == "yes":
                continue
            options.add(f"{command} {action.dest}")
            if action.dest not in KINDS:
                unclassified.append(f"{command} {action.dest}")
                continue
            # Fields named by what they are rather than by the option: a slug, a backup, an action.
            names = [
                *action.option_strings,
                action.dest,
                str(action.metavar or ""),
                "commitment",
                "restore",
                "action",
            ]
            for value in KINDS[action.dest]:
                args = [
                    part.replace("{folder}", str(folder))
                    for part in with_value(command, valid, action, value)
                ]
                if action.dest in ("file", "output", "source", "target") and value and "://" not in value:
                    args = [str(folder / value) if part == value else part for part in args]
                cases.append((f"{command} {action.dest}={value[:20]!r}", args, [n for n in names if n]))
    assert unclassified == [], f"options with no bad values listed in KINDS: {unclassified}"
    return cases, set(found), options


def test_every_option_of_every_command_refuses_its_bad_values(
    diary_with_history: Callable[..., Result],
    db_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from los_tui.cli import main

    los = diary_with_history
    assert los("add", "--title", "Visits", "--role", "lmcs", "--frequency", "ad_hoc").code == 0
    assert los("action", "add", BOARD, "--on", "2026-02-10", "--text", "Follow up").code == 0
    assert los("backup", "-o", str(tmp_path / "backup.sqlite3")).code == 0
    cases, commands_seen, options = generated_cases(tmp_path, db_path)
    assert set(VALID) == commands_seen, "a command is missing from VALID"
    before = digest(db_path)
    problems = []
    for name, args, names in cases:
        result = los(*args)
        lines = result.err.splitlines()
        if result.code != 2 or len(lines) != 1 or not any(n in lines[0] for n in names) or result.out:
            problems.append(
                f"{name}: exit {result.code}, stdout {result.out[:60]!r}, stderr {result.err[:300]!r}"
            )
        after = digest(db_path)
        if after != before:
            problems.append(f"{name}: the diary changed")
            before = after
    # The global options, before any command: an empty --db or --config is refused, not taken as unset.
    for option in ("--db", "--config"):
        diary = [] if option == "--db" else ["--db", str(db_path)]  # --db twice is refused for that
        code = main([*diary, option, "", "agenda"])
        err = capsys.readouterr().err
        if code != 2 or len(err.splitlines()) != 1 or f"{option} ''" not in err:
            problems.append(f"{option} '': exit {code}, stderr {err!r}")
    shown = f"{len(cases) + 2} cases over {len(commands_seen)} commands, {len(options) + 2} options"
    print(f"\nbad input (generated): {shown}")
    assert problems == [], "\n".join(problems)
