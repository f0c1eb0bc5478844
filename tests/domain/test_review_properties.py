"""Properties of the review over any history: the counts always add up, and the past stays put."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from los_tui.domain.agenda import build_agenda
from los_tui.domain.model import (
    Commitment,
    Frequency,
    OccurrenceLog,
    Role,
    Schedule,
    Status,
    TargetVersion,
)
from los_tui.domain.periods import Period, Quarter, frequency_periods_due
from los_tui.domain.recurrence import commitment_starts, window_for_days
from los_tui.domain.review import Outcome, ReviewItem, ReviewReport, review, year_heatmap

TZ = "Europe/London"
LONDON = ZoneInfo(TZ)
RULES = ["FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2", "FREQ=WEEKLY;BYDAY=MO,TH", "FREQ=MONTHLY;BYMONTHDAY=28"]
EPOCH = date(2025, 1, 1)

days = st.integers(min_value=0, max_value=3 * 365).map(lambda n: EPOCH + timedelta(days=n))
statuses = st.one_of(st.none(), st.sampled_from(list(Status)))
schedules = st.builds(
    lambda rule, day, hour: Schedule(rrule=rule, start=datetime.combine(day, time(hour, 30)), tz=TZ),
    st.sampled_from(RULES),
    days,
    st.integers(min_value=7, max_value=20),
)
periods = st.one_of(
    st.builds(lambda y, q: Quarter(y, q).period, st.integers(2025, 2027), st.integers(1, 4)),
    st.builds(lambda d, n: Period(d, d + timedelta(days=n)), days, st.integers(0, 400)),
)
moments = st.builds(
    lambda d, minutes: datetime.combine(d, time(0), LONDON) + timedelta(minutes=minutes),
    days,
    st.integers(0, 24 * 60 - 1),
)


@st.composite
def target_versions(draw: st.DrawFn) -> tuple[TargetVersion, ...]:
    """No target; or one from the start; then up to two changes (to a count, or cleared) from quarters on."""
    versions = [TargetVersion(draw(st.integers(1, 4)))] if draw(st.booleans()) else []
    quarter_starts = days.map(lambda day: Quarter.containing(day).period.first)
    changes = draw(st.dictionaries(quarter_starts, st.one_of(st.none(), st.integers(1, 4)), max_size=2))
    versions += [TargetVersion(count, first) for first, count in sorted(changes.items())]
    return tuple(versions)


@st.composite
def histories(draw: st.DrawFn) -> tuple[Commitment, list[OccurrenceLog]]:
    """A commitment of any kind, with meetings logged, moved and entries added at random."""
    frequency = draw(st.sampled_from(list(Frequency)))
    scheduled = draw(st.booleans())
    commitment = Commitment(
        slug="c",
        title="Board",
        role=Role.LMCS,
        frequency=frequency,
        created_on=draw(st.one_of(st.none(), days)),
        retired_on=draw(st.one_of(st.none(), days)),
        targets=draw(target_versions()),
        schedules=(draw(schedules),) if scheduled else (),
    )
    logs: list[OccurrenceLog] = []
    if scheduled:
        start, end = window_for_days(EPOCH, EPOCH + timedelta(days=4 * 365), TZ)
        starts = [moment for _, moment in commitment_starts(commitment, start, end)][:300]
        if starts:
            for index in draw(st.lists(st.integers(0, len(starts) - 1), max_size=20, unique=True)):
                shift = draw(st.sampled_from([0, 0, 3, -40, 90]))
                original = starts[index]
                logs.append(
                    OccurrenceLog(
                        id=len(logs) + 1,
                        commitment_slug="c",
                        original_start=original,
                        start=original + timedelta(days=shift) if shift else None,
                        status=draw(statuses),
                    )
                )
    for day, status in draw(st.lists(st.tuples(days, statuses), max_size=12)):
        logs.append(
            OccurrenceLog(
                id=len(logs) + 1,
                commitment_slug="c",
                original_start=None,
                start=datetime.combine(day, time(10), LONDON),
                status=status,
            )
        )
    return commitment, logs


@settings(max_examples=150, deadline=None)
@given(histories(), periods, moments)
def test_what_is_expected_is_attended_missed_unlogged_or_upcoming_for_any_history(
    history: tuple[Commitment, list[OccurrenceLog]], period: Period, as_of: datetime
) -> None:
    commitment, logs = history
    result = review([commitment], logs, period, as_of, TZ)
    for row in result.rows:
        counts = row.counts
        assert counts.expected == counts.attended + counts.missed + counts.unlogged + counts.upcoming
        assert counts.expected + counts.cancelled == len(row.items)
        assert 0 <= counts.delegated <= counts.attended
        assert all(i.end <= as_of for i in row.items if i.outcome == Outcome.UNLOGGED)
        assert all(i.end > as_of for i in row.items if i.outcome == Outcome.UPCOMING)
        if commitment.is_scheduled:
            # Every meeting the agenda shows in the period is counted exactly once.
            window = window_for_days(period.first, period.last, TZ)
            assert len(row.items) == len(build_agenda([commitment], logs, *window, TZ))
        elif commitment.frequency != Frequency.AD_HOC:
            assert len(row.items) <= len(frequency_periods_due(commitment.frequency, period))


@settings(max_examples=150, deadline=None)
@given(histories(), periods, moments)
def test_a_meetings_item_reads_as_one_made_from_the_agendas_occurrence(
    history: tuple[Commitment, list[OccurrenceLog]], period: Period, as_of: datetime
) -> None:
    """The review makes a meeting's Occurrence only when asked for: the item's description, written
    before it is made, and the item itself read as those of an item given the agenda's Occurrence."""
    commitment, logs = history
    if not commitment.is_scheduled and commitment.frequency != Frequency.AD_HOC:
        return
    window = window_for_days(period.first, period.last, TZ)
    agenda = sorted(build_agenda([commitment], logs, *window, TZ), key=lambda o: o.start)
    items = [item for row in review([commitment], logs, period, as_of, TZ).rows for item in row.items]
    meetings = [item for item in items if not item.label]
    assert len(meetings) == len(agenda)
    for item, occurrence in zip(meetings, agenda, strict=True):
        made = ReviewItem(commitment, item.outcome, occurrence.start, occurrence.end, "", TZ, occurrence)
        assert item.description == made.description
        assert item.occurrence == occurrence
        assert item == made
        assert replace(item, outcome=Outcome.ATTENDED).occurrence == occurrence


@settings(max_examples=100, deadline=None)
@given(
    histories(), st.builds(lambda y, q: Quarter(y, q), st.integers(2025, 2026), st.integers(1, 4)), schedules
)
def test_changing_a_schedule_today_never_changes_a_past_quarters_expected_count(
    history: tuple[Commitment, list[OccurrenceLog]], quarter: Quarter, new_schedule: Schedule
) -> None:
    commitment, logs = history
    if not commitment.is_scheduled:
        commitment = replace(commitment, schedules=(replace(new_schedule, rrule=RULES[0]),))
    today = date(2027, 6, 15)
    as_of = datetime.combine(today, time(12), LONDON)
    before = review([commitment], logs, quarter.period, as_of, TZ)
    changed = replace(
        commitment, schedules=(*commitment.schedules, replace(new_schedule, effective_from=today))
    )
    after = review([changed], logs, quarter.period, as_of, TZ)
    assert [row.counts for row in after.rows] == [row.counts for row in before.rows]


@settings(max_examples=100, deadline=None)
@given(histories(), st.integers(2025, 2027), moments)
def test_the_heatmap_expanding_the_year_once_rates_each_month_as_its_own_review_does(
    history: tuple[Commitment, list[OccurrenceLog]], year: int, as_of: datetime
) -> None:
    commitment, logs = history
    council_year = Period(date(year, 4, 1), date(year + 1, 3, 31))
    heatmap = year_heatmap([commitment], logs, council_year, as_of, TZ)
    for index, month in enumerate(heatmap.months):
        alone = review([commitment], logs, month, as_of, TZ)  # the month expanded on its own
        row = alone.rows[0] if alone.rows else None
        expected = row.rating if row is not None and row.counts.expected else None
        shown = heatmap.rows[0].cells[index] if heatmap.rows else None
        assert shown == expected


@settings(max_examples=150, deadline=None)
@given(histories(), periods, moments, st.floats(0, 1), st.integers(1, 400 * 24 * 60))
def test_a_review_reads_the_same_at_any_moment_before_its_next_change(
    history: tuple[Commitment, list[OccurrenceLog]],
    period: Period,
    as_of: datetime,
    fraction: float,
    minutes_after: int,
) -> None:
    # The screen shows a review counted earlier again, without counting, while it is still true.
    commitment, logs = history
    year = Period(date(period.first.year, 4, 1), date(period.first.year + 1, 3, 31))
    report = ReviewReport(
        review=review([commitment], logs, period, as_of, TZ),
        roles=(Role.LMCS,),
        tz=TZ,
        make_heatmap=lambda: year_heatmap([commitment], logs, year, as_of, TZ),
    )
    changes = [c for c in (report.review.next_change, report.heatmap.next_change) if c is not None]
    horizon = min(changes, default=as_of + timedelta(minutes=minutes_after))
    later = as_of + (horizon - as_of) * fraction  # any moment before the first change
    if later < horizon:
        assert report.still_true_at(later)
        again = report.seen_at(later)
        assert again.review == review([commitment], logs, period, later, TZ)
        assert again.heatmap == year_heatmap([commitment], logs, year, later, TZ)
    if changes:
        assert not report.still_true_at(horizon)  # from then on it is counted again
