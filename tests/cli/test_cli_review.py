"""`los review` and `los target` from the command line, each format read back by a real parser."""

from __future__ import annotations

import csv
import io
import json
import stat
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from diary_testing import Result

pytestmark = pytest.mark.both_backends  # a diary file, then a database on the server

BOARD = "lmcs-improvement-board"
SCHEDULE = [
    "schedule",
    BOARD,
    "--rrule",
    "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2",
    "--start",
    "2026-01-13T18:30",
    "--duration",
    "120",
]
NASTY_TITLE = '=HYPERLINK("http://evil.example","click") <script>alert(1)</script>'
NASTY_NOTE = "@SUM(A1) & <b>not bold</b>"


@pytest.fixture
def board(seeded: Callable[..., Result]) -> Callable[..., Result]:
    """The Improvement Board scheduled; in Q3 the user attended July and sent apologies in August."""
    assert seeded(*SCHEDULE).code == 0
    assert seeded("log", BOARD, "--on", "2026-07-14", "--status", "attended").code == 0
    assert seeded("log", BOARD, "--on", "2026-08-11", "--status", "apologies", "--note", NASTY_NOTE).code == 0
    return seeded


@pytest.fixture
def nasty(board: Callable[..., Result]) -> Callable[..., Result]:
    """A commitment of the user's own whose title is written to break spreadsheets and web pages."""
    assert board("add", "--title", NASTY_TITLE, "--role", "lmcs", "--frequency", "ad_hoc").code == 0
    slug = _slug_of(board, NASTY_TITLE)
    assert board("log", slug, "--on", "2026-09-01", "--status", "missed").code == 0
    return board


def _slug_of(los: Callable[..., Result], title: str) -> str:
    return next(c["slug"] for c in json.loads(los("commitments", "--json").out) if c["title"] == title)


def review_json(los: Callable[..., Result], *args: str) -> dict[str, object]:
    done = los("review", *args, "--json")
    assert done.code == 0, done.err
    data: dict[str, object] = json.loads(done.out)
    return data


def row_of(data: dict[str, object], slug: str) -> dict[str, object]:
    rows = data["commitments"]
    assert isinstance(rows, list)
    return next(r for r in rows if r["slug"] == slug)


def test_review_json_has_the_issues_shape_and_every_commitment_once(board: Callable[..., Result]) -> None:
    data = review_json(board, "--quarter", "2026-Q3")
    assert list(data) == ["from", "to", "as_of", "commitments", "missed", "unlogged"]
    assert (data["from"], data["to"], data["as_of"]) == ("2026-07-01", "2026-09-30", "2026-11-26T10:00+00:00")
    rows = data["commitments"]
    assert isinstance(rows, list)
    assert len(rows) == len({r["slug"] for r in rows}) == 34
    assert row_of(data, BOARD) == {
        "slug": BOARD,
        "title": "Children's Improvement Board",
        "role": "lmcs",
        "frequency": "monthly",
        "expected": 3,
        "attended": 1,
        "delegated": 0,
        "missed": 1,
        "cancelled": 0,
        "unlogged": 1,
        "upcoming": 0,
        "rag": "overdue",
    }
    assert data["missed"] == [
        {
            "slug": BOARD,
            "title": "Children's Improvement Board",
            "role": "lmcs",
            "when": "Tue 11 Aug 2026 18:30",
            "start": "2026-08-11T18:30+01:00",
            "end": "2026-08-11T20:30+01:00",
            "outcome": "missed",
        }
    ]
    assert [i["when"] for i in data["unlogged"]] == ["Tue 08 Sep 2026 18:30"]  # type: ignore[union-attr,index]


def test_notes_appear_only_when_asked_for(board: Callable[..., Result]) -> None:
    assert "note" not in json.dumps(review_json(board, "--quarter", "2026-Q3"))
    with_notes = review_json(board, "--quarter", "2026-Q3", "--include-notes")
    assert with_notes["missed"][0]["note"] == NASTY_NOTE  # type: ignore[index]


def test_review_defaults_to_this_quarter_and_as_of_a_day_means_its_end(board: Callable[..., Result]) -> None:
    now = review_json(board)
    assert (now["from"], now["to"]) == ("2026-10-01", "2026-12-31")
    assert row_of(now, BOARD)["unlogged"] == 2 and row_of(now, BOARD)["upcoming"] == 1
    earlier = review_json(board, "--quarter", "2026-Q3", "--as-of", "2026-08-11")
    assert earlier["as_of"] == "2026-08-12T00:00+01:00"
    assert {k: row_of(earlier, BOARD)[k] for k in ("attended", "missed", "upcoming", "rag")} == {
        "attended": 1,
        "missed": 1,
        "upcoming": 1,
        "rag": "overdue",
    }


def _board_row(los: Callable[..., Result], *args: str) -> dict:
    result = los("review", *args, "--json")
    assert result.code == 0, result.err
    rows = [r for r in json.loads(result.out)["commitments"] if r["slug"] == BOARD]
    assert len(rows) == 1
    return rows[0]


def test_a_status_logged_ahead_counts_once_the_meeting_has_started(board: Callable[..., Result]) -> None:
    # Apologies sent for December's board made the row Overdue with a meeting still to come listed as
    # missed; and a review --as-of a day counted what was logged for meetings after it.
    assert board("log", BOARD, "--on", "2026-12-08", "--status", "apologies").code == 0
    assert board("log", BOARD, "--on", "2026-11-10", "--status", "attended").code == 0
    assert board("log", BOARD, "--on", "2026-10-13", "--status", "attended").code == 0
    now = _board_row(board, "--quarter", "2026-Q4", "--as-of", "2026-11-26")
    assert (now["missed"], now["upcoming"], now["rag"]) == (0, 1, "on_track")
    before = _board_row(board, "--quarter", "2026-Q4", "--as-of", "2026-11-01")
    assert (before["attended"], before["upcoming"]) == (1, 2)
    after = _board_row(board, "--quarter", "2026-Q4", "--as-of", "2026-12-31")
    assert (after["missed"], after["rag"]) == (1, "overdue")
    table = board("review", "--quarter", "2026-Q4", "--as-of", "2026-11-26").out
    assert "Missed: 0" in table


def test_review_of_any_period_and_one_role(board: Callable[..., Result]) -> None:
    data = review_json(board, "--from", "2026-08-01", "--to", "2026-08-31", "--role", "dcs")
    assert {r["role"] for r in data["commitments"]} == {"dcs"}  # type: ignore[union-attr,index]
    assert data["missed"] == []


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--quarter", "2026-Q9"], "--quarter '2026-Q9'"),
        (["--quarter", "2026-Q3", "--from", "2026-07-01", "--to", "2026-07-31"], "--quarter '2026-Q3'"),
        (["--from", "2026-07-01"], "--from '2026-07-01': needs --to"),
        (["--from", "2026-09-01", "--to", "2026-08-01"], "--to '2026-08-01'"),
        (["--as-of", "2026-13-01"], "--as-of '2026-13-01'"),
        (["--role", "mayor"], "--role 'mayor'"),
    ],
)
def test_bad_review_options_get_one_line_naming_the_option(
    board: Callable[..., Result], args: list[str], named: str
) -> None:
    done = board("review", *args)
    assert done.code == 2
    assert named in done.err and len(done.err.strip().splitlines()) == 1


def test_csv_has_one_row_per_commitment_and_neutralises_formulas(nasty: Callable[..., Result]) -> None:
    done = nasty("review", "--quarter", "2026-Q3", "--format", "csv", "--include-notes")
    assert done.code == 0
    rows = list(csv.DictReader(io.StringIO(done.out)))
    assert len(rows) == 35
    board = next(r for r in rows if r["slug"] == BOARD)
    assert (board["expected"], board["attended"], board["missed"], board["unlogged"], board["rag"]) == (
        "3",
        "1",
        "1",
        "1",
        "overdue",
    )
    assert board["notes"] == "Tue 11 Aug 2026 18:30: " + NASTY_NOTE
    own = next(r for r in rows if r["title"].endswith(NASTY_TITLE))
    assert own["title"] == "'" + NASTY_TITLE
    assert (own["expected"], own["missed"], own["rag"]) == ("1", "1", "overdue")
    assert not any(cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r.values())


class _Page(HTMLParser):
    """Collects the text and the tags of a page, as a browser would see them."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_report_escapes_the_users_words_and_holds_every_section(
    nasty: Callable[..., Result], tmp_path: Path
) -> None:
    out = tmp_path / "q3.html"
    done = nasty("review", "--quarter", "2026-Q3", "--format", "html", "-o", str(out), "--include-notes")
    assert done.code == 0 and str(out) in done.out
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    page = _Page()
    page.feed(out.read_text(encoding="utf-8"))
    text = "".join(page.text)
    assert "script" not in page.tags and "b" not in page.tags
    assert NASTY_TITLE in text and NASTY_NOTE in text
    for heading in [
        "2026-Q3 (2026/27 Q2)",
        "Totals",
        "Lead Member (LMCS)",
        "Director (DCS)",
        "Missed",
        "Not logged",
        "The year at a glance",
    ]:
        assert heading in text
    assert "http" not in "".join(t for t in page.tags)  # nothing fetched: styles are inline
    assert "<link" not in out.read_text() and "src=" not in out.read_text()


def test_markdown_report_escapes_the_users_words(nasty: Callable[..., Result]) -> None:
    done = nasty("review", "--quarter", "2026-Q3", "--format", "md")
    assert done.code == 0
    assert "<script>" not in done.out and r"\<script\>" in done.out
    assert "| Children's Improvement Board | monthly | 3 | 1 | 0 | 1 | 0 | 1 | 0 | Overdue |" in done.out
    assert "## Not logged" in done.out and NASTY_NOTE not in done.out
    # The year at a glance: July attended, August missed, the other months to November unlogged,
    # December onwards still to come.
    assert "| Children's Improvement Board | ! | ! | ! | ✓ | ✗ | ! | ! | ! | ○ | ○ | ○ | ○ |" in done.out


def test_table_is_the_default_and_lists_what_was_missed(board: Callable[..., Result]) -> None:
    done = board("review", "--quarter", "2026-Q3", "--role", "lmcs")
    assert done.code == 0
    assert "Line of sight review: 2026-Q3 (2026/27 Q2)" in done.out
    assert "Missed: 1\n  Tue 11 Aug 2026 18:30" in done.out


def test_a_quarterly_target_for_team_visits_shows_in_the_review(board: Callable[..., Result]) -> None:
    done = board("target", "lmcs-team-visits", "3")  # from this quarter, Q4
    assert done.code == 0 and "aiming for 3 a quarter from 2026-Q4 (2026/27 Q3) on" in done.out
    assert row_of(review_json(board), "lmcs-team-visits")["expected"] == 3
    # Lowered from next quarter on, then cleared from the one after: this quarter still reads the same.
    done = board("target", "lmcs-team-visits", "1", "--from", "2027-02-14")
    assert done.code == 0 and "aiming for 1 a quarter from 2027-Q1 (2026/27 Q4) on" in done.out
    done = board("target", "lmcs-team-visits", "0", "--from", "2027-04-01")
    assert done.code == 0 and "no quarterly target from 2027-Q2 (2027/28 Q1) on" in done.out
    expected = {
        quarter: row_of(review_json(board, "--quarter", quarter), "lmcs-team-visits")["expected"]
        for quarter in ("2026-Q4", "2027-Q1", "2027-Q2")
    }
    assert expected == {"2026-Q4": 3, "2027-Q1": 1, "2027-Q2": 0}
    listed = json.loads(board("commitments", "--json").out)
    (visits,) = [c for c in listed if c["slug"] == "lmcs-team-visits"]
    assert visits["quarterly_targets"] == [
        {"from": "2026-10-01", "target": 3},
        {"from": "2027-01-01", "target": 1},
        {"from": "2027-04-01", "target": None},
    ]


@pytest.mark.parametrize(
    ("args", "named"),
    [
        ([BOARD, "3"], "commitment 'lmcs-improvement-board'"),
        (["lmcs-team-visits", "many"], "count 'many'"),
        (["lmcs-team-visits", "-1"], "count '-1'"),
        (["lmcs-team-visits", "101"], "count '101'"),
        (["nobody", "2"], "commitment 'nobody'"),
        (["lmcs-team-visits", "2", "--from", "next week"], "--from 'next week'"),
        (["lmcs-team-visits", "2", "--from", "0999-01-01"], "--from '0999-01-01'"),
    ],
)
def test_bad_targets_are_refused_naming_the_field(
    board: Callable[..., Result], args: list[str], named: str
) -> None:
    done = board("target", *args)
    assert done.code == 2 and named in done.err


@pytest.mark.parametrize("name", ["review", "target"])
def test_help_is_there_for_the_review_commands(los: Callable[..., Result], name: str) -> None:
    with pytest.raises(SystemExit) as done:
        los(name, "--help")
    assert done.value.code == 0


def test_a_report_into_a_folder_that_is_not_there_names_the_file_and_writes_nothing(
    board: Callable[..., Result], tmp_path: Path
) -> None:
    target = tmp_path / "no-such-folder" / "q3.md"
    done = board("review", "--format", "md", "-o", str(target))
    assert done.code == 2
    assert done.err.startswith(f"los: error: -o {str(target)!r}") and done.err.strip().endswith(
        "does not exist"
    )
    assert not target.parent.exists()


def test_writing_a_report_again_replaces_it_whole(board: Callable[..., Result], tmp_path: Path) -> None:
    target = tmp_path / "q3.csv"
    target.write_text("old contents that are longer than nothing " * 100)
    assert board("review", "--quarter", "2026-Q3", "--format", "csv", "-o", str(target)).code == 0
    assert len(list(csv.reader(io.StringIO(target.read_text())))) == 35
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # no temporary file left
