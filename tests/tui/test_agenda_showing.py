"""F3 and Esc between the month and the agenda: the agenda is shown once read, with what the diary holds
now, and going back and forth with nothing changed leaves its table as it was."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from diary_testing import NOW
from textual.app import App
from textual.widgets import DataTable
from tui_support import NOVEMBER_BOARD, diary_with_the_board, make_app, press_and_settle, settled

from los_tui.domain.model import Status
from los_tui.screens.agenda import AgendaScreen
from los_tui.screens.month import MonthScreen
from los_tui.services.diary import Diary


def shown_statuses(table: DataTable[Any]) -> list[str]:
    return [str(table.get_row_at(row)[1]) for row in range(table.row_count)]


async def test_going_back_to_an_unchanged_agenda_leaves_its_table_as_it_was(db_path: Path) -> None:
    diary_with_the_board(db_path)
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        await press_and_settle(pilot, "f3", "v")  # this quarter: three boards
        table = app.screen.query_one(DataTable)
        rows = list(table.rows)
        assert len(rows) == 3
        await press_and_settle(pilot, "escape")
        assert isinstance(app.screen, MonthScreen)
        await press_and_settle(pilot, "f3")
        assert isinstance(app.screen, AgendaScreen)
        assert list(table.rows) == rows  # the same rows, not refilled: the table keeps what it drew


async def test_the_agenda_is_shown_with_a_change_made_elsewhere_already_on_it(db_path: Path) -> None:
    diary_with_the_board(db_path)
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        await press_and_settle(pilot, "f3", "v")
        agenda = app.screen
        assert isinstance(agenda, AgendaScreen)
        table = agenda.query_one(DataTable)
        before = shown_statuses(table)
        await press_and_settle(pilot, "escape")
        other = Diary.open(db_path, clock=lambda: NOW)
        other.meetings.set_status(other.meetings.agenda(NOVEMBER_BOARD, NOVEMBER_BOARD)[0], Status.ATTENDED)
        other.close()
        on_first_showing: list[list[str]] = []
        app.screen_change_signal.subscribe(
            app, lambda screen: screen is agenda and on_first_showing.append(shown_statuses(table))
        )
        await press_and_settle(pilot, "f3")
        assert app.screen is agenda
        # Already the new status as the agenda is first shown, not last time's and then this.
        assert on_first_showing[0] != before
        assert any("attended" in status for status in on_first_showing[0])
        assert shown_statuses(table) == on_first_showing[0]


async def test_f3_pressed_again_while_the_agenda_is_read_opens_it_once(db_path: Path) -> None:
    diary_with_the_board(db_path)
    app = make_app(db_path)
    async with settled(app, (80, 24)) as pilot:
        await press_and_settle(pilot, "f3", "escape")
        await press_and_settle(pilot, "f3", "f3")
        assert isinstance(app.screen, AgendaScreen)
        await press_and_settle(pilot, "f3", "f2")  # F2 before the agenda was shown: the month stays
        assert isinstance(app.screen, MonthScreen)


async def test_moving_between_the_main_screens_holds_no_repaint_back(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual holds every repaint for 50 ms as it switches modes; ours are shown filled, so F3 and Esc
    paint the screen they show at the next frame."""
    held: list[float] = []
    monkeypatch.setattr(App, "delay_update", lambda _app, delay=0.05: held.append(delay))
    diary_with_the_board(db_path)
    app = make_app(db_path)
    async with settled(app, (80, 24)) as pilot:
        await press_and_settle(pilot, "f3", "escape", "f4", "f2", "f3", "escape")
        assert isinstance(app.screen, MonthScreen)
    assert held == []
