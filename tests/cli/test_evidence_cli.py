"""Line-of-sight evidence from the command line: factors, the difference a meeting made, questions asked,
actions followed across meetings, the brief before a meeting and the annual assurance statement."""

from __future__ import annotations

import json
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from diary_testing import Result, diary_exists
from diary_testing import diary_digest as digest

pytestmark = pytest.mark.both_backends  # a diary file, then a database on the server

BOARD = "lmcs-improvement-board"  # second Tuesday at 18:30: 14 Apr ... 10 Nov, 8 Dec 2026
DCS_BOARD = "dcs-improvement-board"  # its joint line
VISITS = "lmcs-team-visits"  # ad hoc
NOTE = "Child X's placement broke down: private"
MONTHLY = ["--rrule", "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2", "--start", "2026-01-13T18:30", "--duration", "120"]


def as_json(result: Result) -> Any:
    assert result.code == 0, result.err
    return json.loads(result.out)


@pytest.fixture
def boards(seeded: Callable[..., Result]) -> Callable[..., Result]:
    """Both boards scheduled; the LMCS went to the November board and wrote what difference it made."""
    assert seeded("schedule", BOARD, *MONTHLY).code == 0
    assert seeded("schedule", DCS_BOARD, *MONTHLY).code == 0
    done = seeded(
        "log", BOARD, "--on", "2026-11-10", "--status", "attended", "--note", NOTE,
        "--difference", "Agreed a caseload cap", "--questions", "Agency staff?",
    )  # fmt: skip
    assert done.code == 0, done.err
    return seeded


def test_protocol_lines_come_with_factors_and_the_user_can_change_them(seeded: Callable[..., Result]) -> None:
    rows = {c["slug"]: c for c in as_json(seeded("commitments", "--json"))}
    assert rows[BOARD]["factors"] == [1, 5] and all(c["factors"] for c in rows.values())
    assert seeded("factors", BOARD, "7,1,5").code == 0
    rows = {c["slug"]: c for c in as_json(seeded("commitments", "--json"))}
    assert rows[BOARD]["factors"] == [1, 5, 7]


@pytest.mark.parametrize(
    ("slug", "factors", "named"), [(BOARD, "8", "factors"), (BOARD, "", "factors"), ("nope", "1", "nope")]
)
def test_bad_factors_are_refused_naming_them(
    seeded: Callable[..., Result], slug: str, factors: str, named: str
) -> None:
    result = seeded("factors", slug, factors)
    assert result.code == 2 and named in result.err and result.err.count("\n") == 1


def test_the_difference_and_questions_are_logged_with_the_status(boards: Callable[..., Result]) -> None:
    shown = as_json(
        boards("agenda", "--from", "2026-11-10", "--to", "2026-11-10", "--json", "--include-notes")
    )
    board = next(o for o in shown if o["commitment"] == BOARD)
    assert (board["difference"], board["questions"], board["status"]) == (
        "Agreed a caseload cap",
        "Agency staff?",
        "attended",
    )


def test_actions_are_added_done_edited_and_followed_across_meetings(boards: Callable[..., Result]) -> None:
    first = as_json(
        boards("action", "add", BOARD, "--on", "2026-11-10", "--text", "Caseload report", "--owner", "DCS",
               "--due", "2026-11-20", "--json")
    )  # fmt: skip
    second = as_json(
        boards("action", "add", DCS_BOARD, "--on", "2026-10-13", "--text", "Agency plan", "--json")
    )
    assert set(first) >= {"id", "text", "owner", "due"} and first["id"] != second["id"]
    overdue = as_json(boards("actions", "--overdue", "--json"))  # today is 26 Nov 2026
    assert [a["id"] for a in overdue] == [first["id"]]
    assert boards("action", "done", str(first["id"])).code == 0
    assert [a["id"] for a in as_json(boards("actions", "--open", "--json"))] == [second["id"]]
    assert boards("action", "edit", str(second["id"]), "--due", "2026-12-01", "--owner", "PSW").code == 0
    edited = as_json(boards("actions", "--json"))
    assert [(a["id"], a["owner"], a["due"], a["done"]) for a in edited] == [
        (second["id"], "PSW", "2026-12-01", False),
        (first["id"], "DCS", "2026-11-20", True),
    ]


@pytest.mark.parametrize("args", [["done", "999"], ["done", "x"], ["done", "²"], ["edit", "1"]])
def test_a_bad_action_is_refused_in_one_line(boards: Callable[..., Result], args: list[str]) -> None:
    boards("action", "add", BOARD, "--on", "2026-11-10", "--text", "Caseload report")
    result = boards("action", *args)
    assert result.code == 2 and result.err.count("\n") == 1


@pytest.mark.parametrize(
    ("name", "starts"), [("a.json", "{"), ("a.html", "<!"), ("a.md", "#"), ("a.txt", "")]
)
def test_the_assurance_file_is_in_the_shape_its_name_asks_for(
    boards: Callable[..., Result], tmp_path: Path, name: str, starts: str
) -> None:
    # -o a.json wrote the plain table under a .json name, as the review and the screen's `w` never did.
    result = boards("assurance", "-o", str(tmp_path / name))
    assert result.code == 0, result.err
    written = (tmp_path / name).read_text(encoding="utf-8")
    if starts:
        assert written.startswith(starts), written[:40]
    else:  # the plain table
        assert written[:1] not in ("{", "<", "#"), written[:40]
    if name.endswith(".json"):
        json.loads(written)
    refused = boards("assurance", "-o", str(tmp_path / "a.pdf"))
    assert refused.code == 2 and "-o" in refused.err and ".json" in refused.err, refused.err
    assert not (tmp_path / "a.pdf").exists()


@pytest.mark.parametrize(
    "text", ["Chase the audit\n#2     done     Caseload cap agreed", "Chase\u202e tidua eht", "Chase\tit"]
)
@pytest.mark.parametrize("how", ["add", "edit"])
def test_an_action_is_one_line(boards: Callable[..., Result], text: str, how: str) -> None:
    # A line break in an action printed a second, made-up action in `los actions`.
    added = as_json(
        boards("action", "add", BOARD, "--on", "2026-11-10", "--text", "Caseload report", "--json")
    )
    if how == "add":
        result = boards("action", "add", BOARD, "--on", "2026-11-10", "--text", text)
    else:
        result = boards("action", "edit", str(added["id"]), "--text", text)
    assert result.code == 2 and result.err.count("\n") == 1
    assert "must be one line" in result.err and "Chase" not in result.err  # private: never quoted
    assert [a["text"] for a in as_json(boards("actions", "--json"))] == ["Caseload report"]


def test_prep_and_ask_say_a_past_meeting_with_nothing_logged_is_unlogged(
    boards: Callable[..., Result],
) -> None:
    # They said "scheduled" for the October board, which the agenda calls unlogged.
    brief = boards("prep", BOARD, "--on", "2026-10-13")
    assert (
        brief.code == 0 and "Brief: Tue 13 Oct 2026" in brief.out and "unlogged" in brief.out.splitlines()[0]
    )
    asked = boards("ask", BOARD, "--on", "2026-10-13", "--question", "1.1", "--answer", "Discussed")
    assert asked.code == 0 and "unlogged" in asked.out, asked.out


def test_a_question_is_not_recorded_at_a_cancelled_meeting_nor_answered_before_one(
    boards: Callable[..., Result], db_path: Path
) -> None:
    # Each closed a GAP in the assurance statement: sight of a factor from a meeting never held.
    assert boards("log", BOARD, "--on", "2026-10-13", "--status", "cancelled").code == 0
    before = digest(db_path)
    cancelled = boards("ask", BOARD, "--on", "2026-10-13", "--question", "3.1", "--answer", "discussed")
    assert cancelled.code == 2 and "was cancelled" in cancelled.err, cancelled.err
    ahead = boards("ask", BOARD, "--on", "2027-02-09", "--question", "6.1", "--answer", "partners agreed")
    assert ahead.code == 2 and "has not started yet" in ahead.err and "partners" not in ahead.err
    assert digest(db_path) == before


def test_a_question_asked_is_kept_and_not_suggested_again(boards: Callable[..., Result]) -> None:
    assert [q["id"] for q in as_json(boards("prep", BOARD, "--json"))["suggested"]][:2] == ["1.1", "5.1"]
    assert (
        boards("ask", BOARD, "--on", "2026-11-10", "--question", "1.1", "--answer", "In the plan").code == 0
    )
    suggested = [q["id"] for q in as_json(boards("prep", BOARD, "--json"))["suggested"]]
    assert "1.1" not in suggested and suggested[0] == "1.2"


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--on", "2026-11-10", "--question", "9.9"], "9.9"),
        (["--on", "2026-11-11", "--question", "1.1"], "2026-11-11"),
    ],
)
def test_asking_at_no_meeting_or_an_unknown_question_is_refused(
    boards: Callable[..., Result], args: list[str], named: str
) -> None:
    result = boards("ask", BOARD, *args)
    assert result.code == 2 and named in result.err


def test_the_brief_holds_last_time_and_open_actions_from_the_joint_line(
    boards: Callable[..., Result],
) -> None:
    boards("action", "add", DCS_BOARD, "--on", "2026-10-13", "--text", "Agency plan", "--due", "2026-12-01")
    made = as_json(boards("prep", BOARD, "--json"))
    assert set(made) == {
        "commitment", "title", "start", "end", "location", "with", "wording",
        "last", "open_actions", "suggested",
    }  # fmt: skip
    assert made["start"] == "2026-12-08T18:30+00:00"
    assert made["last"]["start"] == "2026-11-10T18:30+00:00" and made["last"]["note"] == NOTE
    assert made["last"]["difference"] == "Agreed a caseload cap"
    assert [a["text"] for a in made["open_actions"]] == ["Agency plan"]
    assert len(made["suggested"]) == 5


def test_the_assurance_statement_counts_by_factor_and_shows_the_gaps(boards: Callable[..., Result]) -> None:
    assert boards("log", VISITS, "--on", "2026-06-20", "--status", "attended").code == 0  # ad hoc: 2, 3
    assert boards("ask", BOARD, "--on", "2026-11-10", "--question", "7.4", "--answer", "Mostly").code == 0
    assert boards("retire", "lmcs-fostering-panel", "--on", "2026-05-01").code == 0
    made = as_json(boards("assurance", "--year", "2026/27", "--json"))
    assert (made["from"], made["to"]) == ("2026-04-01", "2027-03-31")
    factors = {f["factor"]: f for f in made["factors"]}
    assert (factors[1]["meetings"], factors[5]["meetings"]) == (1, 1)
    assert (factors[2]["meetings"], factors[3]["meetings"]) == (1, 1)
    assert (factors[7]["questions_asked"], factors[7]["answered"], factors[7]["gap"]) == (1, 1, False)
    assert factors[6]["gap"] and factors[4]["gap"]
    assert made["differences"] == [
        {"commitment": BOARD, "title": "Children's Improvement Board", "start": "2026-11-10T18:30+00:00",
         "difference": "Agreed a caseload cap"}
    ]  # fmt: skip
    board = next(c for c in made["commitments"] if c["slug"] == BOARD)
    assert (board["expected"], board["attended"]) == (12, 1)
    assert NOTE not in json.dumps(made)


def test_the_assurance_page_is_html_a_browser_reads_with_no_note(
    boards: Callable[..., Result], tmp_path: Path
) -> None:
    page = tmp_path / "assurance.html"
    result = boards("assurance", "--format", "html", "-o", str(page))
    assert result.code == 0, result.err
    texts: list[str] = []

    class Text(HTMLParser):
        def handle_data(self, data: str) -> None:
            texts.append(data)

    Text().feed(page.read_text(encoding="utf-8"))
    shown = " ".join(texts)
    assert "Agreed a caseload cap" in shown and "Outcomes for service users" in shown
    assert NOTE not in page.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "args",
    [["--year", "2026"], ["--year", ""], ["--year", "2026/27", "--from", "2026-04-01", "--to", "2026-05-01"],
     ["--from", "2026-04-01"], ["-o", ""]],
)  # fmt: skip
def test_a_bad_assurance_period_is_refused(boards: Callable[..., Result], args: list[str]) -> None:
    result = boards("assurance", *args)
    assert result.code == 2 and result.err.count("\n") == 1


def test_a_new_lead_member_gets_the_induction_steps_as_dated_actions(los: Callable[..., Result]) -> None:
    done = los("init", "--role", "lmcs", "--new-in-post", "--from", "2026-11-02")
    assert done.code == 0 and "12 steps" in done.out
    steps = as_json(los("actions", "--json"))
    assert len(steps) == 12 and all(s["commitment"] == "lmcs-induction" for s in steps)
    assert (steps[0]["due"], steps[4]["due"], steps[-1]["due"]) == ("2026-11-09", "2026-12-03", "2027-05-04")
    assert steps[0]["text"].startswith("1. Meet with the Leader or Mayor")
    again = los("init", "--role", "lmcs", "--new-in-post")
    assert again.code == 0 and "nothing changed" in again.out and len(as_json(los("actions", "--json"))) == 12


@pytest.mark.parametrize(
    "args",
    [["--role", "dcs", "--new-in-post"], ["--from", "2026-11-02"], ["--new-in-post", "--from", "02/11/2026"]],
)
def test_the_induction_is_refused_where_it_does_not_apply(
    los: Callable[..., Result], args: list[str], db_path: Path
) -> None:
    result = los("init", *args)
    assert result.code == 2 and result.err.count("\n") == 1 and not diary_exists(db_path)
