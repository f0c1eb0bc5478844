"""The annual line-of-sight statement from the year's meetings, questions, actions and differences: per
factor what was seen and asked, where nothing was (a gap), and what became of the actions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import pytest
from diary_testing import LONDON

from los_tui.domain.assurance import (
    AskedQuestion,
    AssuranceStatement,
    Difference,
    RaisedAction,
    assurance_statement,
    parse_council_year,
)
from los_tui.domain.model import Action, Commitment, Frequency, OccurrenceLog, Role, Schedule, Status
from los_tui.domain.parsing import InputError
from los_tui.domain.periods import Period
from los_tui.domain.review import review

TZ = "Europe/London"
YEAR = Period(date(2026, 4, 1), date(2027, 3, 31))
AS_OF = datetime(2026, 11, 26, 10, 0, tzinfo=LONDON)
# The board meets on the second Tuesday at 18:30; the visits are ad hoc entries.
BOARD = Commitment(
    slug="lmcs-improvement-board",
    title="Children's Improvement Board",
    role=Role.LMCS,
    frequency=Frequency.MONTHLY,
    schedules=(Schedule("FREQ=MONTHLY;BYDAY=2TU", datetime(2026, 1, 13, 18, 30), 120),),
)
VISITS = Commitment(
    slug="lmcs-team-visits", title="Visit to a team", role=Role.LMCS, frequency=Frequency.AD_HOC
)
CICC = Commitment(
    slug="lmcs-cicc", title="Children in Care Council", role=Role.LMCS, frequency=Frequency.AD_HOC
)
FACTORS = {BOARD.slug: (1, 5), VISITS.slug: (2, 3), CICC.slug: (7,)}


def at(day: str, hour: int = 18, minute: int = 30) -> datetime:
    return datetime.combine(date.fromisoformat(day), datetime.min.time(), LONDON).replace(
        hour=hour, minute=minute
    )


def board_log(number: int, day: str, status: Status, moved_to: datetime | None = None) -> OccurrenceLog:
    return OccurrenceLog(number, BOARD.slug, at(day), moved_to or at(day), status)


def visit(number: int, when: datetime, status: Status = Status.ATTENDED) -> OccurrenceLog:
    return OccurrenceLog(number, VISITS.slug, None, when, status)


def statement(
    logs: list[OccurrenceLog],
    asked: Sequence[AskedQuestion] = (),
    actions: Sequence[RaisedAction] = (),
    differences: Sequence[Difference] = (),
) -> AssuranceStatement:
    year_review = review([BOARD, VISITS, CICC], logs, YEAR, AS_OF, TZ)
    return assurance_statement(year_review, FACTORS, asked, actions, differences, TZ)


def test_attended_and_delegated_meetings_count_under_each_factor_of_their_commitment() -> None:
    logs = [
        board_log(1, "2026-04-14", Status.ATTENDED),
        board_log(2, "2026-05-12", Status.DELEGATED),
        board_log(3, "2026-06-09", Status.APOLOGIES),
        visit(4, at("2026-06-20", 10)),
    ]
    made = statement(logs)
    by_factor = {f.factor.number: f for f in made.factors}
    assert (by_factor[1].meetings, by_factor[5].meetings) == (2, 2)
    assert (by_factor[2].meetings, by_factor[3].meetings) == (1, 1)
    assert by_factor[1].by_month[:3] == ((1, 0), (1, 0), (0, 0))
    assert [f.factor.number for f in made.gaps] == [4, 6, 7]


def test_a_question_asked_is_evidence_under_its_factor_and_an_answer_is_counted() -> None:
    asked = [
        AskedQuestion(CICC.slug, at("2026-07-01", 16), "7.4", answer="Most say they feel safe"),
        AskedQuestion(BOARD.slug, at("2026-07-14"), "4.1"),
    ]
    made = statement([], asked=asked)
    by_factor = {f.factor.number: f for f in made.factors}
    assert (by_factor[7].questions_asked, by_factor[7].answered, by_factor[7].gap) == (1, 1, False)
    assert (by_factor[4].questions_asked, by_factor[4].answered, by_factor[4].gap) == (1, 0, False)
    assert by_factor[7].by_month[3] == (0, 1)  # July is the fourth month of the council year


def test_the_year_edge_is_the_local_day_across_the_clock_change() -> None:
    # 00:30 on 1 April 2026 in London is 23:30 on 31 March in UTC: it belongs to 2026/27.
    first_minutes = visit(1, datetime(2026, 4, 1, 0, 30, tzinfo=LONDON))
    last_minutes = visit(2, datetime(2026, 3, 31, 23, 30, tzinfo=LONDON))  # 2025/26
    made = statement([first_minutes, last_minutes])
    by_factor = {f.factor.number: f for f in made.factors}
    assert by_factor[2].meetings == 1 and by_factor[2].by_month[0] == (1, 0)


def test_a_meeting_moved_across_the_year_s_edge_counts_where_it_happened() -> None:
    # The March 2027 board (9 Mar) moved to 1 April 2027: into the next council year, out of this one.
    moved = board_log(1, "2027-03-09", Status.ATTENDED, moved_to=at("2027-04-01"))
    late = datetime(2027, 4, 5, 9, 0, tzinfo=LONDON)
    year_review = review([BOARD], [moved], YEAR, late, TZ)
    made = assurance_statement(year_review, FACTORS, [], [], [], TZ)
    by_factor = {f.factor.number: f for f in made.factors}
    assert by_factor[1].by_month[-1] == (0, 0)
    board = next(a for a in made.commitments if a.commitment.slug == BOARD.slug)
    assert board.expected == 11 and board.attended == 0


def test_actions_raised_in_the_year_are_tallied_done_open_and_overdue() -> None:
    actions = [
        RaisedAction(
            Action(1, 1, "Report on caseloads", due=date(2026, 10, 1)), BOARD.slug, date(2026, 9, 8)
        ),
        RaisedAction(
            Action(2, 1, "Invite the CiCC chair", due=date(2026, 12, 1)), BOARD.slug, date(2026, 9, 8)
        ),
        RaisedAction(Action(3, 2, "Share audit themes", done=True), BOARD.slug, date(2026, 10, 13)),
        RaisedAction(Action(4, 3, "From last year", due=date(2026, 1, 1)), BOARD.slug, date(2026, 2, 10)),
    ]
    tally = statement([], actions=actions).actions
    assert (tally.raised, tally.done, tally.open, tally.overdue) == (3, 1, 2, 1)


def test_differences_are_listed_in_order_and_blank_ones_left_out() -> None:
    differences = [
        Difference(
            BOARD.slug, BOARD.title, at("2026-10-13"), "Agreed a caseload cap for the assessment team"
        ),
        Difference(BOARD.slug, BOARD.title, at("2026-09-08"), "   "),
        Difference(VISITS.slug, VISITS.title, at("2026-06-20", 10), "Heard from care leavers about housing"),
        Difference(VISITS.slug, VISITS.title, at("2025-06-20", 10), "Last year's"),
    ]
    made = statement([], differences=differences)
    assert [d.text for d in made.differences] == [
        "Heard from care leavers about housing",
        "Agreed a caseload cap for the assessment team",
    ]


def test_each_point_of_the_local_test_of_assurance_is_linked_to_the_evidence_of_its_factors() -> None:
    made = statement([visit(1, at("2026-06-20", 10))])
    points = {p.point.item: p for p in made.self_assessment}
    assert len(points) == 6
    assert points[5].meetings == 1 and points[5].evidenced  # culture and performance: the visit (culture)
    assert not points[6].evidenced  # partnership: nothing this year


def test_attendance_by_month_follows_the_review_s_counting() -> None:
    made = statement([board_log(1, "2026-04-14", Status.ATTENDED), board_log(2, "2026-05-12", Status.MISSED)])
    assert made.attendance_by_month[:3] == ((1, 1), (1, 0), (1, 0))
    assert len(made.months) == 12


@pytest.mark.parametrize(("text", "first"), [("2026/27", date(2026, 4, 1)), (" 1999/00 ", date(1999, 4, 1))])
def test_a_council_year_runs_april_to_march(text: str, first: date) -> None:
    year = parse_council_year("year", text)
    assert year.first == first and year.last == date(first.year + 1, 3, 31)


@pytest.mark.parametrize("text", ["2026/28", "2026", "2026-27", "", "26/27", "²026/27", "٢٠٢٦/27"])
def test_a_council_year_that_is_not_one_is_refused_naming_it(text: str) -> None:
    with pytest.raises(InputError, match="council year"):
        parse_council_year("year", text)


def test_the_statement_as_json_html_and_markdown_carries_the_user_s_words_safely() -> None:
    from html.parser import HTMLParser

    from los_tui.exports.assurance import assurance_data, render_assurance

    hostile = "<script>alert(1)</script> & `rm`"
    made = statement(
        [board_log(1, "2026-04-14", Status.ATTENDED)],
        differences=[Difference(BOARD.slug, BOARD.title, at("2026-04-14"), hostile)],
    )
    data = assurance_data(made, TZ)
    assert list(data) == [
        "from",
        "to",
        "as_of",
        "factors",
        "commitments",
        "actions",
        "differences",
        "self_assessment",
    ]
    assert {"factor", "title", "meetings", "questions_asked", "answered", "gap"} <= set(data["factors"][0])
    assert data["differences"] == [
        {
            "commitment": BOARD.slug,
            "title": BOARD.title,
            "start": "2026-04-14T18:30+01:00",
            "difference": hostile,
        }
    ]
    board = next(c for c in data["commitments"] if c["slug"] == BOARD.slug)
    assert (board["expected"], board["attended"]) == (12, 1) and board["rate"] == 0.125  # 1 of 8 due by now

    page = render_assurance(made, "html", TZ)
    assert "<script>" not in page and "&lt;script&gt;" in page
    texts: list[str] = []

    class Text(HTMLParser):
        def handle_data(self, data: str) -> None:
            texts.append(data)

    Text().feed(page)
    assert (
        hostile in "".join(texts)
        and "<svg" in page
        and "<script" not in page.lower().replace("&lt;script", "")
    )
    assert "(gap: nothing seen or asked)" in page
    assert "\\<script\\>" in render_assurance(made, "md", TZ)


PANEL = Commitment(
    slug="lmcs-fostering-panel", title="Fostering panel", role=Role.LMCS, frequency=Frequency.ANNUAL
)


def test_a_periodic_commitments_meeting_counts_in_the_month_it_was_held_not_where_its_period_starts() -> None:
    # The annual panel's period is April to March; the lead member sat on it in November.
    entry = OccurrenceLog(1, PANEL.slug, None, at("2026-11-05", 10), Status.ATTENDED)
    year_review = review([PANEL], [entry], YEAR, AS_OF, TZ)
    made = assurance_statement(year_review, {PANEL.slug: (4,)}, [], [], [], TZ)
    by_factor = {f.factor.number: f for f in made.factors}
    november = 7
    assert by_factor[4].by_month[november] == (1, 0) and by_factor[4].by_month[0] == (0, 0)
    assert made.attendance_by_month[november] == (1, 1)


def test_each_cell_lists_the_meetings_it_counts_once_each_seen_or_asked_at() -> None:
    logs = [board_log(1, "2026-07-14", Status.ATTENDED), board_log(2, "2026-08-11", Status.APOLOGIES)]
    asked = [
        AskedQuestion(BOARD.slug, at("2026-07-14"), "5.2"),  # at the July board, seen under 5 already
        AskedQuestion(BOARD.slug, at("2026-07-14"), "5.9"),
        AskedQuestion(BOARD.slug, at("2026-08-11"), "4.1"),  # asked by a deputy: not seen under 4
    ]
    made = statement(logs, asked=asked)
    by_factor = {f.factor.number: f for f in made.factors}
    july, august = 3, 4
    assert by_factor[5].by_month[july] == (1, 2)
    [seen] = made.behind(5, july)
    assert seen.seen and seen.asked == ("5.2", "5.9") and seen.occurrence is not None
    assert seen.occurrence.start == at("2026-07-14")
    [asked_at] = made.behind(4, august)
    assert (asked_at.seen, asked_at.asked) == (False, ("4.1",)) and asked_at.occurrence is not None
    assert made.behind(4, july) == [] and by_factor[4].by_month[july] == (0, 0)
    assert [s.start for s in made.behind(1)] == [at("2026-07-14")]  # the whole year: July's board only
    assert made.attendance == (1, 8)  # April to November's boards due so far, one attended
