"""A year's review on a diary that crosses both clock changes counts exactly what a plain count finds.

The plain count reads the diary file with sqlite3 and expands each rule with dateutil, matching logs to
meetings by POSIX timestamps: nothing of the review's own reading, matching or windows. The meetings
fall where the clocks change: at 02:30 on the last Sunday of each month (the change days among them;
a schedule may not meet in the hour that changes), at 00:30 every day (the local day and the UTC day
differ all summer) and at 18:30 every week; logged, moved (across the period's edge, and into the hour
that changes) and with extra entries in that hour on both change days, both 01:45s in October.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from dateutil.rrule import rrulestr
from diary_testing import LONDON, NOW

from los_tui.domain.model import Frequency, Role, Status
from los_tui.domain.periods import Period, Quarter
from los_tui.domain.review import Counts, Outcome
from los_tui.services.diary import Diary

YEAR = Period(date(2025, 12, 1), date(2026, 11, 30))
BOTH = (Role.LMCS, Role.DCS)
# slug's title, rule, first start (local), minutes
SERIES = {
    "Night visit": ("FREQ=MONTHLY;BYDAY=-1SU", datetime(2025, 10, 26, 2, 30), 60),  # both change days
    "Early call": ("FREQ=DAILY", datetime(2025, 11, 20, 0, 30), 30),
    "Board": ("FREQ=WEEKLY;BYDAY=TU", datetime(2025, 11, 4, 18, 30), 120),
}
STATUSES = [Status.ATTENDED, Status.DELEGATED, Status.APOLOGIES, Status.MISSED, Status.CANCELLED, None]
# In the hour the clocks change: 00:45 GMT and 02:15 BST on 29 March; 01:45 BST and 01:45 GMT on 25 October.
CHANGE_HOUR_ENTRIES = [
    datetime(2026, 3, 29, 0, 45, tzinfo=UTC),
    datetime(2026, 3, 29, 1, 15, tzinfo=UTC),
    datetime(2026, 10, 25, 0, 45, tzinfo=UTC),
    datetime(2026, 10, 25, 1, 45, tzinfo=UTC),
]
OUTCOME_OF = {
    "attended": Outcome.ATTENDED,
    "delegated": Outcome.DELEGATED,
    "apologies": Outcome.MISSED,
    "missed": Outcome.MISSED,
    "cancelled": Outcome.CANCELLED,
}


def local(day: date, hour: int, minute: int) -> datetime:
    return datetime.combine(day, time(hour, minute), LONDON)


@pytest.fixture
def diary(db_path: Path) -> Iterator[Diary]:
    opened = Diary.open(db_path, clock=lambda: datetime(2025, 10, 1, 9, 0, tzinfo=LONDON))
    for title, (rule, start, minutes) in SERIES.items():
        made = opened.commitments.add(title, Role.LMCS, Frequency.MONTHLY)
        opened.commitments.schedule(made.slug, rule, start, minutes)
    opened.clock = lambda: NOW
    meetings = opened.meetings.agenda(date(2025, 11, 20), date(2026, 12, 10))
    # Every meeting up to now but each sixth gets a status (the sixth left unlogged); later ones are
    # only ever cancelled.
    logged = [
        replace(meeting, status=STATUSES[index % len(STATUSES)])
        for index, meeting in enumerate(meetings)
        if meeting.end <= NOW or index % 4 == 0
    ]
    logged = [m if m.end <= NOW or m.status is None else replace(m, status=Status.CANCELLED) for m in logged]
    opened.meetings.log_many([m for m in logged if m.status is not None or m.start.day % 2])
    night = "lmcs-night-visit"
    for day in (date(2026, 3, 29), date(2026, 10, 25)):  # each change day's meeting, and extra ones
        opened.meetings.log(night, local(day, 2, 30), True, Status.ATTENDED)
    for extra in CHANGE_HOUR_ENTRIES:
        opened.meetings.add_adhoc(night, extra, False, Status.DELEGATED, extra=True)
    board = "lmcs-board"
    moves = [
        (local(date(2025, 11, 25), 18, 30), local(date(2025, 12, 1), 9, 0)),  # into the year
        (local(date(2026, 11, 24), 18, 30), local(date(2026, 12, 2), 9, 0)),  # out of it
        (local(date(2026, 10, 20), 18, 30), datetime(2026, 10, 25, 1, 15, tzinfo=UTC)),  # 01:15 GMT
        (local(date(2026, 10, 13), 18, 30), datetime(2026, 10, 25, 0, 15, tzinfo=UTC)),  # 01:15 BST
        (local(date(2026, 3, 24), 18, 30), datetime(2026, 3, 29, 1, 15, tzinfo=UTC)),  # 02:15 BST
    ]
    for was, to in moves:
        found = opened.meetings.find(board, was, True)
        assert found is not None
        opened.meetings.move(found, to)
    yield opened
    opened.close()


def plain_counts(path: Path, period: Period, as_of: datetime) -> dict[str, Counts]:
    """Each commitment's counts over `period`, from the file and dateutil alone, by timestamps."""
    connection = sqlite3.connect(path)
    try:
        rows = connection.execute(
            "SELECT c.slug, l.original_start, l.start, l.status, l.all_day FROM occurrence_logs l "
            "JOIN commitments c ON c.id = l.commitment_id"
        ).fetchall()
        slugs = dict(connection.execute("SELECT title, slug FROM commitments").fetchall())
    finally:
        connection.close()

    def stamp(text: str | None) -> float | None:
        return None if text is None else datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()

    counted: dict[str, list[Outcome]] = {}
    for title, (rule, first, minutes) in SERIES.items():
        slug = slugs[title]
        logs = {stamp(o): (stamp(s), status) for s_, o, s, status, _ in rows if s_ == slug and o is not None}
        outcomes: list[Outcome] = []
        for wall in rrulestr(f"RRULE:{rule}", dtstart=first).between(
            datetime(2025, 11, 1), datetime(2027, 1, 1), inc=True
        ):
            original = wall.replace(tzinfo=LONDON).timestamp()
            moved, status = logs.pop(original, (None, None))
            start = moved if moved is not None else original
            if not period.first <= datetime.fromtimestamp(start, LONDON).date() <= period.last:
                continue
            end = start + minutes * 60
            past = end <= as_of.timestamp()
            outcomes.append(OUTCOME_OF[status] if status else Outcome.UNLOGGED if past else Outcome.UPCOMING)
        assert not logs, f"{slug}: logs of no scheduled meeting: {logs}"
        for s_, original, start, status, all_day in rows:
            if s_ != slug or original is not None:
                continue
            assert not all_day
            moment = stamp(start)
            assert moment is not None
            if period.first <= datetime.fromtimestamp(moment, LONDON).date() <= period.last:
                past = moment + 3600 <= as_of.timestamp()
                outcomes.append(
                    OUTCOME_OF[status] if status else Outcome.UNLOGGED if past else Outcome.UPCOMING
                )
        counted[slug] = outcomes
    return {slug: Counts.of(outcomes) for slug, outcomes in counted.items()}


@pytest.mark.parametrize(
    "period",
    [YEAR, *(Quarter(2026, q).period for q in (1, 2, 3, 4)), Period(date(2026, 10, 25), date(2026, 10, 25))],
    ids=["year", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4", "25-october"],
)
def test_the_review_counts_what_a_plain_count_of_the_file_finds_across_both_clock_changes(
    diary: Diary, db_path: Path, period: Period
) -> None:
    report = diary.review.load(period, NOW, BOTH)
    counted = {row.commitment.slug: row.counts for row in report.review.rows}
    assert counted == plain_counts(db_path, period, NOW)
    assert report.review.totals.expected > 0


def test_on_either_change_day_the_meeting_and_both_extra_entries_each_count_once(diary: Diary) -> None:
    for day in (date(2026, 3, 29), date(2026, 10, 25)):
        report = diary.review.load(Period(day, day), NOW, BOTH)
        [row] = [row for row in report.review.rows if row.commitment.slug == "lmcs-night-visit"]
        # The meeting (attended) and the two extra entries (delegated): three, all attended.
        assert (row.counts.expected, row.counts.attended, row.counts.delegated) == (3, 3, 2), day
