"""A review that shows no notes reads the logs of scheduled meetings never moved as their status alone
(`LoggedStatus`, grouped by commitment in SQLite) and every other log whole. It must count, list and
describe exactly what the same review read whole does, on a diary with every kind of log: each status and
none, notes, meetings moved into, out of and within the period, extra entries, ad hoc and periodic
commitments, a schedule changed after its meetings were logged, and a retired commitment."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, time
from pathlib import Path

import pytest
from diary_testing import LONDON, NOW, execute_sql

from los_tui.cli.review import text_table
from los_tui.db.reader import Reader
from los_tui.domain.model import Frequency, LoggedStatus, Role, Status
from los_tui.domain.periods import Period, Quarter
from los_tui.domain.recurrence import window_for_days
from los_tui.domain.review import Outcome, ReviewReport
from los_tui.exports.report import review_csv, review_data
from los_tui.services.diary import Diary

BOTH = (Role.LMCS, Role.DCS)
STATUSES = [Status.ATTENDED, Status.DELEGATED, Status.APOLOGIES, Status.MISSED, Status.CANCELLED, None]
PERIODS = [
    Period(date(2025, 12, 1), date(2026, 11, 30)),  # the bench's year
    Quarter(2026, 1).period,  # holds 29 March
    Quarter(2026, 4).period,  # holds 25 October, and now
    Period(date(2026, 4, 1), date(2027, 3, 31)),  # the council's year, partly to come
    Period(date(2026, 6, 2), date(2026, 6, 4)),  # a meeting moved within it, and an extra one
]


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), LONDON)


@pytest.fixture
def diary(db_path: Path) -> Iterator[Diary]:
    opened = Diary.open(db_path, clock=lambda: datetime(2025, 9, 1, 9, 0, tzinfo=LONDON))
    series = {
        "Board": ("FREQ=WEEKLY;BYDAY=TU", datetime(2025, 9, 2, 18, 30), 120, Role.LMCS),
        "Night visit": ("FREQ=MONTHLY;BYDAY=-1SU", datetime(2025, 9, 28, 2, 30), 60, Role.DCS),
        "PSW meeting": ("FREQ=MONTHLY;BYMONTHDAY=3", datetime(2025, 9, 3, 9, 30), 60, Role.LMCS),
    }
    for title, (rule, start, minutes, role) in series.items():
        made = opened.commitments.add(title, role, Frequency.MONTHLY)
        opened.commitments.schedule(made.slug, rule, start, minutes)
    opened.commitments.add("Team visits", Role.LMCS, Frequency.AD_HOC)
    opened.commitments.set_target("lmcs-team-visits", 2, date(2025, 10, 1))
    opened.commitments.add("Fostering panel", Role.LMCS, Frequency.QUARTERLY)
    retired = opened.commitments.add("Old forum", Role.DCS, Frequency.MONTHLY)
    opened.commitments.schedule(retired.slug, "FREQ=MONTHLY;BYMONTHDAY=10", datetime(2025, 9, 10, 14), 60)
    opened.clock = lambda: NOW
    meetings = opened.meetings.agenda(date(2025, 9, 1), date(2026, 11, 25))
    logged = [
        replace(meeting, status=STATUSES[index % len(STATUSES)]) for index, meeting in enumerate(meetings)
    ]
    opened.meetings.log_many([m for index, m in enumerate(logged) if m.status is not None or index % 3 == 0])
    # Notes on some of them (a log with a note and no status too), which a review without notes never shows.
    for index, meeting in enumerate(opened.meetings.agenda(date(2025, 12, 1), date(2026, 11, 25))[::7]):
        opened.meetings.save_note(meeting, f"private note {index}")
    board = "lmcs-board"
    for was, to in [
        (local(date(2025, 11, 25), 18, 30), local(date(2025, 12, 1), 9)),  # into the year
        (local(date(2026, 6, 2), 18, 30), local(date(2026, 6, 4), 10)),  # within it
        (local(date(2026, 3, 31), 18, 30), local(date(2026, 4, 1), 8)),  # across a quarter's edge
    ]:
        found = opened.meetings.find(board, was, True)
        assert found is not None
        opened.meetings.move(found, to)
    opened.meetings.log("lmcs-psw-meeting", local(date(2026, 6, 3), 12), True, Status.ATTENDED, extra=True)
    for day, status in [
        (date(2026, 1, 14), Status.ATTENDED),
        (date(2026, 5, 5), None),
        (date(2026, 10, 25), Status.MISSED),
    ]:
        opened.meetings.add_adhoc("lmcs-team-visits", local(day, 11), False, status)
    opened.meetings.add_adhoc("lmcs-fostering-panel", local(date(2026, 2, 11), 10), False, Status.ATTENDED)
    # The PSW meeting moves to the 5th from 1 July 2026: the logs of 3 July on are of no meeting now.
    opened.commitments.schedule(
        "lmcs-psw-meeting",
        "FREQ=MONTHLY;BYMONTHDAY=5",
        datetime(2026, 7, 5, 9, 30),
        60,
        effective_from=date(2026, 7, 1),
    )
    opened.commitments.retire(retired.slug, date(2026, 3, 1))
    yield opened
    opened.close()


def shown(report: ReviewReport) -> dict[str, object]:
    """Everything a review without notes shows: each row's counts and rating, each item's outcome,
    description, start and end, the listed items, the next change, and the table, JSON and CSV."""
    review = report.review
    return {
        "rows": [
            (
                row.commitment.slug,
                row.counts,
                row.rating,
                [(i.outcome, i.description, i.start, i.end, i.label) for i in row.items],
            )
            for row in review.rows
        ],
        "listed": {
            outcome: [(i.commitment.slug, i.description, i.start) for i in review.items_with(outcome)]
            for outcome in Outcome
        },
        "next_change": review.next_change,
        "table": text_table(report),
        "json": review_data(report),
        "csv": review_csv(report),
    }


@pytest.mark.parametrize("as_of", [NOW, local(date(2026, 3, 29), 1, 45)], ids=["now", "29-march"])
@pytest.mark.parametrize("period", PERIODS, ids=["year", "2026-Q1", "2026-Q4", "council-year", "three-days"])
def test_a_review_read_as_statuses_shows_what_the_same_review_read_whole_shows(
    diary: Diary, period: Period, as_of: datetime
) -> None:
    whole = diary.review.load(period, as_of, BOTH)
    as_statuses = diary.review.load(period, as_of, BOTH, with_texts=False)
    assert shown(as_statuses) == shown(whole)
    assert whole.review.totals.expected > 0
    # Read as statuses indeed: an item of a meeting logged and never moved has no occurrence (so no note).
    plain = [
        item
        for row in as_statuses.review.rows
        if row.commitment.is_scheduled
        for item in row.items
        if item.outcome in (Outcome.ATTENDED, Outcome.MISSED) and "(" not in item.description
    ]
    # Three days hold only a moved meeting and an extra one; a period not begun by as-of has nothing
    # held yet (what was logged ahead counts once a meeting starts).
    assert plain or period == PERIODS[-1] or period.first > as_of.date()
    for item in plain:
        with pytest.raises(TypeError, match="without its texts"):
            _ = item.occurrence


def test_a_review_with_notes_reads_every_log_whole_and_shows_its_note(diary: Diary) -> None:
    report = diary.review.load(PERIODS[0], NOW, BOTH)
    notes = [item.note for row in report.review.rows for item in row.items if item.note]
    assert len(notes) >= 10
    assert all(note.startswith("private note ") for note in notes)


def test_the_logs_read_as_statuses_and_whole_are_every_log_of_the_window_once(diary: Diary) -> None:
    """counted_logs_in_window is logs_in_window split in two, nothing lost and nothing twice."""
    for period in PERIODS:
        start, end = window_for_days(period.first, period.last, "Europe/London")
        with diary.review.meetings.store.reading() as read:
            assert isinstance(read, Reader)
            every = read.logs_in_window(start, end)
            marks, whole = read.counted_logs_in_window(start, end)
        as_marks = {
            (m.commitment_slug, m.original_start, m.status) for of in marks.values() for m in of.values()
        }
        assert all(isinstance(m, LoggedStatus) for of in marks.values() for m in of.values())
        assert len(as_marks) == sum(len(of) for of in marks.values())
        never_moved = {
            (log.commitment_slug, log.original_start, log.status)
            for log in every
            if log.original_start is not None and log.start is None
        }
        assert as_marks == never_moved
        assert sorted(log.id for log in whole) == sorted(
            log.id for log in every if not (log.original_start is not None and log.start is None)
        )


OTHER_PROGRAMS_ROWS = {
    # A time written in another shape ('T', no fraction): not what the grouped text is cut by.
    "time-written-otherwise": (
        "UPDATE occurrence_logs SET original_start = replace(substr(original_start, 1, 19), ' ', 'T') "
        "WHERE id = (SELECT min(id) FROM occurrence_logs WHERE start IS NULL AND original_start >= ?)",
        ("2026-01-01",),
    ),
    # A scheduled meeting's log on a commitment with no schedule: counted by its period, from its log.
    "log-of-a-meeting-on-no-schedule": (
        "INSERT INTO occurrence_logs (commitment_id, original_start, status, note, questions, all_day, "
        "difference, difference_shared, version, created_at, updated_at) "
        "SELECT id, ?, 'attended', '', '', 0, '', 0, 1, ?, ? "
        "FROM commitments WHERE slug = 'lmcs-fostering-panel'",
        ("2026-08-12 09:00:00.000000", "2026-08-12 10:00:00.000000", "2026-08-12 10:00:00.000000"),
    ),
}


@pytest.mark.parametrize("sql", OTHER_PROGRAMS_ROWS.values(), ids=OTHER_PROGRAMS_ROWS.keys())
def test_a_row_another_program_wrote_otherwise_has_every_log_read_whole_and_counted_the_same(
    diary: Diary, db_path: Path, sql: tuple[str, tuple[str, ...]]
) -> None:
    period = PERIODS[0]
    execute_sql(db_path, *sql)
    start, end = window_for_days(period.first, period.last, "Europe/London")
    with diary.review.meetings.store.reading() as read:
        marks, whole = read.counted_logs_in_window(start, end)
        every = read.logs_in_window(start, end)
    assert (marks, sorted(log.id for log in whole)) == ({}, sorted(log.id for log in every))
    assert shown(diary.review.load(period, NOW, BOTH, with_texts=False)) == shown(
        diary.review.load(period, NOW, BOTH)
    )
