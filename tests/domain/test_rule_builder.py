"""The schedule form's choices become Outlook-safe rules, and the preview shows the real next dates."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from los_tui.domain.model import Schedule
from los_tui.domain.parsing import InputError
from los_tui.domain.recurrence import outlook_problem
from los_tui.domain.rule_builder import RuleChoice, build_rrule, choice_from_schedule, preview


def test_the_monthly_board_on_the_second_tuesday_previews_six_real_dates() -> None:
    choice = RuleChoice(
        unit="month",
        ordinal=2,
        weekday="TU",
        at=time(18, 30),
        duration_minutes=120,
        location="Town Hall",
        starting=date(2026, 11, 26),
    )
    found = preview(choice)
    assert found.rrule == "FREQ=MONTHLY;BYDAY=2TU"  # as Exchange writes it
    assert found.description == "second Tuesday of every month, 18:30-20:30, Town Hall"
    assert found.first_start.isoformat() == "2026-12-08T18:30:00"
    assert [d.date().isoformat() for d in found.next_dates] == [
        "2026-12-08",
        "2027-01-12",
        "2027-02-09",
        "2027-03-09",
        "2027-04-13",
        "2027-05-11",
    ]


def test_every_other_week_on_thursday_and_a_yearly_day() -> None:
    assert build_rrule(RuleChoice(unit="week", interval=2, weekday="TH")) == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"
    yearly = RuleChoice(unit="year", by_weekday=False, day_of_month=14, month=3)
    assert build_rrule(yearly) == "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=14"


def test_the_last_friday_is_offered_but_never_a_fifth_weekday() -> None:
    rule = build_rrule(RuleChoice(ordinal=-1, weekday="FR"))
    assert outlook_problem(rule) is None
    with pytest.raises(InputError, match="first to fourth, or last"):
        build_rrule(RuleChoice(ordinal=5))


def test_days_after_the_28th_are_refused_so_no_month_is_silently_skipped() -> None:
    with pytest.raises(InputError, match="day '31'"):
        build_rrule(RuleChoice(by_weekday=False, day_of_month=31))


def test_a_time_the_clocks_skip_is_refused() -> None:
    choice = RuleChoice(
        unit="year", month=3, ordinal=-1, weekday="SU", at=time(1, 30), starting=date(2027, 1, 1)
    )
    with pytest.raises(InputError, match="does not exist"):
        preview(choice)


def test_the_form_is_prefilled_from_the_schedule_it_changes() -> None:
    first = preview(RuleChoice(ordinal=2, weekday="TU", at=time(18, 30), starting=date(2026, 1, 1)))
    schedule = Schedule(rrule=first.rrule, start=first.first_start, duration_minutes=90, location="Hall")
    again = choice_from_schedule(schedule, today=date(2026, 11, 26))
    assert (again.unit, again.ordinal, again.weekday, again.at, again.duration_minutes) == (
        "month",
        2,
        "TU",
        time(18, 30),
        90,
    )
    assert again.starting == date(2026, 11, 26)


def test_a_schedule_stored_with_bysetpos_opens_in_the_form_and_saves_as_exchange_writes_it() -> None:
    stored = Schedule(rrule="FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2", start=datetime(2026, 1, 13, 18, 30))
    choice = choice_from_schedule(stored, date(2026, 11, 26))
    assert (choice.ordinal, choice.weekday, choice.by_weekday) == (2, "TU", True)
    assert build_rrule(choice) == "FREQ=MONTHLY;BYDAY=2TU"


@pytest.mark.parametrize(
    ("at", "words"), [(time(1, 30), "clocks go forward"), (time(1, 0), "clocks go forward")]
)
def test_the_form_refuses_a_time_in_the_hour_the_clocks_change(at: time, words: str) -> None:
    with pytest.raises(InputError, match=words):
        preview(RuleChoice(unit="week", weekday="SU", at=at, starting=date(2026, 11, 26)))


def test_the_form_refuses_a_first_meeting_the_clocks_show_twice_for_the_series_not_its_offset() -> None:
    """Sundays at 01:30 from 19 October 2026: the first is on the 25th, when 01:30 happens twice. A
    series meets at that wall time each year, so the refusal is the schedule's, not how to give one."""
    choice = RuleChoice(unit="week", weekday="SU", at=time(1, 30), starting=date(2026, 10, 19))
    with pytest.raises(InputError, match="happens twice when the clocks go back") as raised:
        preview(choice)
    assert "+01:00" not in raised.value.reason


def test_every_rule_the_form_can_build_is_one_outlook_holds() -> None:
    for unit in ("week", "month", "year"):
        for by_weekday in (True, False):
            for ordinal in (1, 2, 3, 4, -1):
                for day in (1, 15, 28):
                    choice = RuleChoice(
                        unit=unit,  # type: ignore[arg-type]
                        by_weekday=by_weekday,
                        ordinal=ordinal,
                        day_of_month=day,
                        month=2,
                        starting=date(2026, 11, 26),
                    )
                    rule = preview(choice).rrule
                    assert "BYSETPOS" not in rule
                    assert outlook_problem(rule, datetime.combine(choice.starting, choice.at)) is None


def test_a_stored_rule_los_cannot_use_opens_the_form_afresh_instead_of_crashing() -> None:
    stored = Schedule(rrule="FREQ=MONTHLY;INTERVAL=²", start=datetime(2026, 1, 13, 18, 30))
    assert choice_from_schedule(stored, date(2026, 11, 26)) == RuleChoice(starting=date(2026, 11, 26))
