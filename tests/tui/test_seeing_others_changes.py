"""Seeing others' changes: the open month shows a meeting someone else logs, on a diary file (SQLite's
data_version) and on a server (the triggers' NOTIFY, counted by the store), within a watch tick or two."""

from __future__ import annotations

from pathlib import Path

import pytest
from diary_testing import NOW
from textual.pilot import Pilot
from tui_support import NOVEMBER_BOARD, diary_with_the_board, make_app, settled

from los_tui.app import WATCH_SECONDS
from los_tui.domain.model import Status
from los_tui.screens.month import MonthScreen
from los_tui.services.diary import Diary

pytestmark = pytest.mark.both_backends  # a diary file, then a database on the server


async def ticks_until(pilot: Pilot[None], condition: object, ticks: int) -> int | None:
    """How many watch ticks pass before `condition()` holds (None if it never does within `ticks`)."""
    for step in range(int(ticks * WATCH_SECONDS / 0.1)):
        if condition():  # type: ignore[operator]
            return step
        await pilot.pause(0.1)
    return None


async def test_a_meeting_someone_else_logs_shows_up_on_the_open_month(db_path: Path) -> None:
    diary_with_the_board(db_path)
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, MonthScreen)
        assert screen.by_day[NOVEMBER_BOARD][0].status_label == "scheduled"
        # The PA, on their own connection (their own `los`, their own screen), logs the board.
        other = Diary.open(db_path, clock=lambda: NOW, create=False)
        other.meetings.set_status(other.meetings.agenda(NOVEMBER_BOARD, NOVEMBER_BOARD)[0], Status.ATTENDED)
        other.close()
        # Within a few ticks however busy the machine; each tick looks once (no timing is asserted).
        seen = await ticks_until(
            pilot, lambda: screen.by_day[NOVEMBER_BOARD][0].status_label == "attended", 5
        )
        assert seen is not None


async def test_nothing_changed_elsewhere_means_no_refresh(db_path: Path) -> None:
    diary_with_the_board(db_path)
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        assert app.diary is not None
        first = app.diary.data_version()
        await pilot.pause(WATCH_SECONDS * 1.5)
        assert app.diary.data_version() == first
        other = Diary.open(db_path, clock=lambda: NOW, create=False)
        other.meetings.set_status(other.meetings.agenda(NOVEMBER_BOARD, NOVEMBER_BOARD)[0], Status.APOLOGIES)
        other.close()
        moved = await ticks_until(
            pilot, lambda: app.diary is not None and app.diary.data_version() != first, 5
        )
        assert moved is not None
