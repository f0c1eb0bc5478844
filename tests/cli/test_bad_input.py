"""Every command refuses bad input the same way: one line naming the field or value, exit 2, and the
diary exactly as it was (compared row for row with `iterdump`).

The table covers every command on main: init, commitments, add, retire, schedule, agenda, log, move,
backup and restore, with bad dates, times, rules, statuses, roles, slugs, numbers, paths, file contents,
over-long text (64 KiB + 1) and control characters.
"""

from __future__ import annotations

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
