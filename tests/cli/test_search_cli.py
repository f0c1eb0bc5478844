"""`los search TEXT`: logged meetings holding the words, newest first, with where they were found; a
note's text only with --include-notes; any text typed is searched as words; bad input refused in a line."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from diary_testing import Result

pytestmark = pytest.mark.both_backends  # a diary file (FTS5), then the server (PostgreSQL's own index)

BOARD = "lmcs-improvement-board"
CHILD = "Jayden's placement"  # what a note may hold: never printed without --include-notes


@pytest.fixture
def logged(seeded: Callable[..., Result]) -> Callable[..., Result]:
    los = seeded
    assert (
        los(
            "schedule", BOARD, "--rrule", "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2", "--start", "2026-01-13T18:30"
        ).code
        == 0
    )
    for day, note, difference in [
        ("2026-02-10", f"Supervision audit; {CHILD}", ""),
        ("2026-03-10", "Nothing on supervision", "Supervision now monthly"),
        ("2026-04-14", "Budget only", ""),
    ]:
        args = ["log", BOARD, "--on", day, "--status", "attended", "--note", note]
        assert los(*args, *(["--difference", difference] if difference else [])).code == 0
    assert los("action", "add", BOARD, "--on", "2026-04-14", "--text", "Audit supervision records").code == 0
    return los


def test_search_lists_the_meetings_holding_the_words_newest_first_with_where(
    logged: Callable[..., Result],
) -> None:
    found = logged("search", "supervision")
    assert found.code == 0, found.err
    meetings = [line for line in found.out.splitlines() if not line.startswith(" ")]
    assert [line[:15] for line in meetings] == ["Tue 14 Apr 2026", "Tue 10 Mar 2026", "Tue 10 Feb 2026"]
    assert all("Improvement Board" in line and "attended" in line for line in meetings)
    assert "    found in: action\n    action: Audit «supervision» records" in found.out
    assert "    found in: note, difference\n    difference: «Supervision» now monthly" in found.out
    assert "(the note left out: --include-notes shows it)" in found.out
    assert "Jayden" not in found.out and "audit;" not in found.out.lower()


def test_notes_are_shown_only_when_asked_for(logged: Callable[..., Result]) -> None:
    shown = logged("search", "jayden", "--include-notes")
    assert shown.code == 0
    assert "note: Supervision audit; «Jayden»'s placement" in shown.out
    hidden = logged("search", "jayden")
    assert hidden.code == 0 and "Tue 10 Feb 2026" in hidden.out  # the meeting and its date still show
    assert "Jayden" not in hidden.out and "placement" not in hidden.out
    as_json = logged("search", "jayden", "--json")
    assert "Jayden" not in as_json.out and "placement" not in as_json.out
    [record] = json.loads(as_json.out)
    assert record["found_in"] == ["note"] and record["snippets"] == {} and record["has_note"] is True
    [with_notes] = json.loads(logged("search", "jayden", "--json", "--include-notes").out)
    assert with_notes["snippets"] == {"note": "Supervision audit; «Jayden»'s placement"}
    assert with_notes["note"] == f"Supervision audit; {CHILD}"


def test_json_carries_the_meeting_and_where_the_words_were_found(logged: Callable[..., Result]) -> None:
    records = json.loads(logged("search", "supervis", "--json").out)
    assert [(r["start"][:10], r["found_in"]) for r in records] == [
        ("2026-04-14", ["actions"]),
        ("2026-03-10", ["note", "difference"]),
        ("2026-02-10", ["note"]),
    ]
    assert records[0]["snippets"] == {"actions": "Audit «supervision» records"}
    assert records[0]["commitment"] == BOARD and records[0]["status"] == "attended"


def test_limit_and_dates_narrow_the_search(logged: Callable[..., Result]) -> None:
    newest = logged("search", "supervision", "--limit", "1")
    assert newest.code == 0 and newest.out.count("2026  ") == 1 and "Tue 14 Apr" in newest.out
    assert "the newest 1 shown" in newest.err
    march = logged("search", "supervision", "--from", "2026-03-01", "--to", "2026-03-31")
    assert [line[:15] for line in march.out.splitlines() if not line.startswith(" ")] == ["Tue 10 Mar 2026"]
    assert march.err == ""
    assert logged("search", "ofsted").out == "Nothing found.\n"


# What each text finds: the April meeting (its action "Audit supervision records") or nothing.
TYPED = {
    '"supervision': True, "supervision:*": True, "supervision AND": False, "NEAR(supervision": False,
    "note:x": False, "*x*": False, "OR": False, "foo & !bar | (": False, "x'": False,
    "super <-> vision": False, "a\\b": False, "x:A": False, "audit & supervision": True,
}  # fmt: skip


@pytest.mark.parametrize(("typed", "finds"), TYPED.items())
def test_query_syntax_typed_is_searched_as_words(
    logged: Callable[..., Result], typed: str, finds: bool
) -> None:
    result = logged("search", typed)
    assert result.code == 0 and result.err == "", result.err
    assert ("Tue 14 Apr 2026" in result.out) == finds


@pytest.mark.parametrize(
    ("args", "mention"),
    [
        (["search", '"'], "TEXT"),
        (["search", "***"], "TEXT"),
        (["search", "x", "--limit", "0"], "--limit '0'"),
        (["search", "x", "--limit", "many"], "--limit 'many'"),
        (["search", "x", "--from", "2026-02-30"], "--from '2026-02-30'"),
        (["search", "x", "--to", "soon"], "--to 'soon'"),
        (["search", "x", "--from", "2026-05-01", "--to", "2026-04-01"], "--to '2026-04-01'"),
        (["search", "Jayden\x1b[2J"], "TEXT"),
    ],
)
def test_bad_input_is_one_line_naming_the_flag_and_value_exit_2(
    logged: Callable[..., Result], args: list[str], mention: str
) -> None:
    result = logged(*args)
    assert result.code == 2 and result.out == ""
    assert len(result.err.splitlines()) == 1 and mention in result.err
    assert "Jayden" not in result.err  # the words searched for may name a child


def test_help_describes_the_command(
    logged: Callable[..., Result], capsys: pytest.CaptureFixture[str]
) -> None:
    from los_tui.cli import main

    with pytest.raises(SystemExit) as done:
        main(["search", "--help"])
    assert done.value.code == 0
    shown = capsys.readouterr().out
    assert "--include-notes" in shown and "--limit" in shown and "newest" in shown
