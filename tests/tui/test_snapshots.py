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

from los_tui.domain.model import Status
from los_tui.screens.meeting import MeetingScreen
from los_tui.services.diary import Diary

SIZES = [(80, 24), (120, 40)]
SnapCompare = Callable[..., bool]


@pytest.fixture
def lived_in_diary(db_path: Path) -> Path:
    """The board scheduled, October's attended with a note and an action, September's unlogged."""
    diary_with_the_board(db_path)
    diary = Diary.open(db_path, clock=lambda: NOW)
    october = diary.meetings.log(
        BOARD, NOW.replace(month=10, day=13), False, Status.ATTENDED, note="Caseloads up"
    ).occurrence
    diary.actions.add(october, "Send the audit summary", "DCS", date(2026, 12, 1))
    diary.meetings.log(BOARD, NOW.replace(month=11, day=10), False, Status.APOLOGIES, note="[red]not red[/]")
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
