"""A year's review on a diary that crosses both clock changes counts exactly what a plain count finds.

The plain count reads the diary file with sqlite3 and expands each rule with dateutil, matching logs to
meetings by POSIX timestamps: nothing of the review's own reading, matching or windows. The meetings
fall where the clocks change: at 02:30 on the last Sunday of each month (the change days among them;
a schedule may not meet in the hour that changes), at 00:30 every day (the local day and the UTC day
differ all summer) and at 18:30 every week; logged, moved (across the period's edge, and into the hour
that changes) and with extra entries in that hour on both change days, both 01:45s in October. The
daily call changes its rule, time and length part-way through 2026-Q3. Besides each commitment's counts,
the items behind them are compared: which meetings were missed, left unlogged, still to come or
cancelled, each row's items, and the moment the review next reads differently.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
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
# The daily call's schedule from 12 August 2026 (mid-quarter) on: its rule, first start and minutes.
CHANGED_FROM = date(2026, 8, 12)
CHANGED_CALL = ("FREQ=WEEKLY;BYDAY=MO,TH", datetime(2026, 8, 13, 7, 15), 45)
# A moment inside the changed quarter, with some of it still to come.
MID_Q3 = datetime(2026, 8, 20, 12, 0, tzinfo=LONDON)
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
    rule, start, minutes = CHANGED_CALL
    opened.commitments.schedule("lmcs-early-call", rule, start, minutes, effective_from=CHANGED_FROM)
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


# One thing a plain count expects: the commitment's slug, the outcome, its start and end as timestamps.
PlainItem = tuple[str, Outcome, float, float, bool]  # ..., whether a status other than cancelled was logged


def versions_of(title: str) -> list[tuple[date, date | None, str, datetime, int]]:
    """Each schedule version of a series: the local days it governs [first, until), rule, start, minutes."""
    rule, first, minutes = SERIES[title]
    if title != "Early call":
        return [(first.date(), None, rule, first, minutes)]
    new_rule, new_first, new_minutes = CHANGED_CALL
    return [
        (first.date(), CHANGED_FROM, rule, first, minutes),
        (CHANGED_FROM, None, new_rule, new_first, new_minutes),
    ]


def plain_items(path: Path, period: Period, as_of: datetime) -> list[PlainItem]:
    """What each commitment owes over `period`, from the file and dateutil alone, by timestamps."""
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

    def wall_end(start: float, minutes: int) -> float:
        """The end `minutes` later on London's wall clock (as calendars add to a meeting's start)."""
        local = datetime.fromtimestamp(start, LONDON)
        return (
            (local.replace(tzinfo=None) + timedelta(minutes=minutes))
            .replace(tzinfo=LONDON, fold=local.fold)
            .timestamp()
        )

    def outcome(status: str | None, start: float, end: float) -> Outcome:
        # What was logged counts once the meeting has started (a cancellation at once).
        return (
            OUTCOME_OF[status]
            if status and (start <= as_of.timestamp() or status == "cancelled")
            else Outcome.UNLOGGED
            if end <= as_of.timestamp()
            else Outcome.UPCOMING
        )

    items: list[PlainItem] = []
    for title in SERIES:
        slug = slugs[title]
        logs = {stamp(o): (stamp(s), status) for s_, o, s, status, _ in rows if s_ == slug and o is not None}
        for first_day, until, rule, first, minutes in versions_of(title):
            for wall in rrulestr(f"RRULE:{rule}", dtstart=first).between(
                datetime(2025, 11, 1), datetime(2027, 4, 2), inc=True
            ):
                if wall.date() < first_day or (until is not None and wall.date() >= until):
                    continue
                original = wall.replace(tzinfo=LONDON).timestamp()
                moved, status = logs.pop(original, (None, None))
                start = moved if moved is not None else original
                if not period.first <= datetime.fromtimestamp(start, LONDON).date() <= period.last:
                    continue
                end = wall_end(start, minutes)
                items.append(
                    (slug, outcome(status, start, end), start, end, status not in (None, "cancelled"))
                )
        assert not logs, f"{slug}: logs of no scheduled meeting: {logs}"
        for s_, original, start, status, all_day in rows:
            if s_ != slug or original is not None:
                continue
            assert not all_day
            moment = stamp(start)
            assert moment is not None
            if period.first <= datetime.fromtimestamp(moment, LONDON).date() <= period.last:
                end = wall_end(moment, 60)
                items.append(
                    (slug, outcome(status, moment, end), moment, end, status not in (None, "cancelled"))
                )
    return items


def plain_counts(path: Path, period: Period, as_of: datetime) -> dict[str, Counts]:
    """Each commitment's counts over `period`, from the file and dateutil alone, by timestamps."""
    outcomes: dict[str, list[Outcome]] = {slug: [] for slug in _slugs(path)}
    for slug, outcome, _, _, _ in plain_items(path, period, as_of):
        outcomes[slug].append(outcome)
    return {slug: Counts.of(found) for slug, found in outcomes.items()}


def _slugs(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return [slug for (slug,) in connection.execute("SELECT slug FROM commitments")]
    finally:
        connection.close()


PERIODS = [
    YEAR,
    *(Quarter(2026, q).period for q in (1, 2, 3, 4)),
    Period(date(2026, 4, 1), date(2027, 3, 31)),  # the council's (financial) year 2026/27
    Period(date(2026, 10, 25), date(2026, 10, 25)),
    Period(date(2026, 3, 29), date(2026, 3, 29)),
]
PERIOD_IDS = ["year", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4", "council-2026-27", "25-october", "29-march"]


# How a review reads its logs: whole (with the notes, or for the heatmap's year), or, for one showing no
# notes, the scheduled meetings' logs never moved as their statuses alone (LoggedStatus).
READINGS = {"alone": (False, True), "as-statuses": (False, False), "with-heatmap": (True, True)}


@pytest.mark.parametrize("reading", READINGS.values(), ids=READINGS.keys())
@pytest.mark.parametrize("as_of", [NOW, MID_Q3], ids=["now", "mid-q3"])
@pytest.mark.parametrize("period", PERIODS, ids=PERIOD_IDS)
def test_the_review_counts_what_a_plain_count_of_the_file_finds_across_both_clock_changes(
    diary: Diary, db_path: Path, period: Period, as_of: datetime, reading: tuple[bool, bool]
) -> None:
    with_heatmap, with_texts = reading
    report = diary.review.load(period, as_of, BOTH, with_heatmap=with_heatmap, with_texts=with_texts)
    counted = {row.commitment.slug: row.counts for row in report.review.rows}
    assert counted == plain_counts(db_path, period, as_of)
    assert report.review.totals.expected > 0


@pytest.mark.parametrize("with_texts", [True, False], ids=["whole", "as-statuses"])
@pytest.mark.parametrize("as_of", [NOW, MID_Q3], ids=["now", "mid-q3"])
@pytest.mark.parametrize("period", PERIODS, ids=PERIOD_IDS)
def test_each_item_behind_the_counts_is_the_meeting_a_plain_count_finds(
    diary: Diary, db_path: Path, period: Period, as_of: datetime, with_texts: bool
) -> None:
    """What the table lists (missed, not logged), each row's items, and when the review next changes."""
    review = diary.review.load(period, as_of, BOTH, with_texts=with_texts).review
    plain = plain_items(db_path, period, as_of)
    for outcome in Outcome:
        listed = [(item.commitment.slug, item.start.timestamp()) for item in review.items_with(outcome)]
        assert listed == sorted(listed, key=lambda found: found[1])  # in the order they happened
        assert sorted(listed) == sorted(
            (slug, start) for slug, found, start, _, _ in plain if found == outcome
        )
    for row in review.rows:
        items = [(item.outcome, item.start.timestamp(), item.end.timestamp()) for item in row.items]
        assert items == sorted(items, key=lambda found: found[1]), row.commitment.slug
        wanted = [(found, start, end) for slug, found, start, end, _ in plain if slug == row.commitment.slug]
        assert sorted(items) == sorted(wanted), row.commitment.slug
    # The review reads differently once an item ends, and once a meeting with a status logged ahead starts.
    later = [end for _, _, _, end, _ in plain if end > as_of.timestamp()]
    later += [start for _, _, start, _, logged in plain if logged and start > as_of.timestamp()]
    expected = min(later) if later else None
    assert (review.next_change.timestamp() if review.next_change else None) == expected


def test_on_either_change_day_the_meeting_and_both_extra_entries_each_count_once(diary: Diary) -> None:
    for day in (date(2026, 3, 29), date(2026, 10, 25)):
        for with_texts in (True, False):
            report = diary.review.load(Period(day, day), NOW, BOTH, with_texts=with_texts)
            [row] = [row for row in report.review.rows if row.commitment.slug == "lmcs-night-visit"]
            # The meeting (attended) and the two extra entries (delegated): three, all attended.
            assert (row.counts.expected, row.counts.attended, row.counts.delegated) == (3, 3, 2), day
