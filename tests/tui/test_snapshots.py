"""What the main screens look like at 80x24 and 120x40, on a fixed diary and a fixed "today"."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from diary_testing import NOW
from textual.pilot import Pilot
from tui_support import BOARD, diary_with_the_board, make_app, press_and_settle, settle

from los_tui.app import LineOfSightApp
from los_tui.domain.model import Status
from los_tui.screens.meeting import MeetingScreen
from los_tui.services.diary import Diary

SIZES = [(80, 24), (120, 40)]
SnapCompare = Callable[..., bool]


@pytest.fixture
def lived_in_diary(db_path: Path) -> Path:
    """The board scheduled, October's attended with a note and an action, September's unlogged, November's
    apologies, December's moved to Wednesday morning; a team visit on the 19th."""
    diary_with_the_board(db_path)
    diary = Diary.open(db_path, clock=lambda: NOW)
    october = diary.meetings.log(
        BOARD, NOW.replace(month=10, day=13), False, Status.ATTENDED, note="Caseloads up"
    ).occurrence
    diary.actions.add(october, "Send the audit summary", "DCS", date(2026, 12, 1))
    diary.meetings.log(BOARD, NOW.replace(month=11, day=10), False, Status.APOLOGIES, note="[red]not red[/]")
    [december] = diary.meetings.agenda(date(2026, 12, 8), date(2026, 12, 8), slugs=[BOARD])
    diary.meetings.move(december, december.start.replace(day=9, hour=9, minute=0))
    diary.meetings.add_adhoc(
        "lmcs-team-visits", NOW.replace(day=19, hour=14), False, Status.ATTENDED, "MASH team"
    )
    diary.close()
    return db_path


async def opened(pilot: Pilot[Any]) -> None:
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_month_screen(snap_compare: SnapCompare, lived_in_diary: Path, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(lived_in_diary), terminal_size=size, run_before=opened)


@pytest.mark.parametrize("size", SIZES)
def test_occurrence_screen(snap_compare: SnapCompare, lived_in_diary: Path, size: tuple[int, int]) -> None:
    async def open_october_board(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await press_and_settle(pilot, "left_square_bracket", "up", "up", "right")  # Mon 26 Oct -> Tue 13 Oct
        await press_and_settle(pilot, "enter")
        assert isinstance(pilot.app.screen, MeetingScreen)

    assert snap_compare(make_app(lived_in_diary), terminal_size=size, run_before=open_october_board)


@pytest.mark.parametrize("size", SIZES)
def test_commitments_screen(snap_compare: SnapCompare, lived_in_diary: Path, size: tuple[int, int]) -> None:
    async def open_commitments(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await press_and_settle(pilot, "f4")

    assert snap_compare(make_app(lived_in_diary), terminal_size=size, run_before=open_commitments)


@pytest.mark.parametrize("size", SIZES)
def test_review_screen(snap_compare: SnapCompare, lived_in_diary: Path, size: tuple[int, int]) -> None:
    async def open_review(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await press_and_settle(pilot, "f7")

    assert snap_compare(make_app(lived_in_diary), terminal_size=size, run_before=open_review)


@pytest.mark.parametrize("size", SIZES)
def test_agenda_screen(snap_compare: SnapCompare, lived_in_diary: Path, size: tuple[int, int]) -> None:
    async def open_agenda(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await press_and_settle(pilot, "f3", "u")  # this quarter: logged, unlogged and coming meetings

    assert snap_compare(make_app(lived_in_diary), terminal_size=size, run_before=open_agenda)


@pytest.mark.parametrize("size", SIZES)
def test_schedule_form(snap_compare: SnapCompare, lived_in_diary: Path, size: tuple[int, int]) -> None:
    async def open_the_form(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await press_and_settle(pilot, "f4")
        app = pilot.app
        assert isinstance(app, LineOfSightApp)
        app.edit_schedule("lmcs-pulse-survey")  # quarterly: the form starts at every 3 months
        await settle(pilot)

    assert snap_compare(make_app(lived_in_diary), terminal_size=size, run_before=open_the_form)


@pytest.mark.parametrize("size", SIZES)
def test_actions_screen(snap_compare: SnapCompare, lived_in_diary: Path, size: tuple[int, int]) -> None:
    async def open_actions(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await press_and_settle(pilot, "f11")

    assert snap_compare(make_app(lived_in_diary), terminal_size=size, run_before=open_actions)


@pytest.mark.parametrize("size", SIZES)
def test_assurance_screen(snap_compare: SnapCompare, lived_in_diary: Path, size: tuple[int, int]) -> None:
    async def open_assurance(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await press_and_settle(pilot, "f12")

    assert snap_compare(make_app(lived_in_diary), terminal_size=size, run_before=open_assurance)


@pytest.mark.parametrize("size", SIZES)
def test_meetings_behind_a_cell(
    snap_compare: SnapCompare, lived_in_diary: Path, size: tuple[int, int]
) -> None:
    async def open_october_leadership(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await press_and_settle(pilot, "f12", "left", "enter")  # factor 1 in October: the board attended

    assert snap_compare(make_app(lived_in_diary), terminal_size=size, run_before=open_october_leadership)
