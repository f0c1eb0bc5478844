"""The app's first start: it asks once which role the diary is for, seeds it, then opens straight away."""

from __future__ import annotations

from pathlib import Path

from conftest import NOW

from los_tui.app import LineOfSightApp
from los_tui.config import Config
from los_tui.screens.month import MonthScreen
from los_tui.services.diary import Diary


async def test_first_start_asks_for_the_role_and_seeds_the_diary(db_path: Path) -> None:
    app = LineOfSightApp(db_path=db_path, config=Config(), clock=lambda: NOW)
    async with app.run_test() as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.click("#lmcs")
        await app.workers.wait_for_complete()
        await pilot.pause()
    diary = Diary.open(db_path, clock=lambda: NOW, create=False)
    assert diary.role_choice() == "lmcs"
    assert len(diary.commitments()) == 16
    diary.close()


async def test_later_starts_open_on_this_months_meetings(db_path: Path) -> None:
    diary = Diary.open(db_path, clock=lambda: NOW)
    diary.init("both")
    diary.set_schedule(
        "lmcs-improvement-board",
        "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2",
        NOW.replace(month=1, day=13, hour=18, minute=30, tzinfo=None),
    )
    diary.close()
    app = LineOfSightApp(db_path=db_path, config=Config(), clock=lambda: NOW)
    async with app.run_test() as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MonthScreen)
        assert screen.sub_title == "November 2026"
        meetings = [o for day in screen.by_day.values() for o in day if o.start.month == 11]
        assert [o.title for o in meetings] == ["Children's Improvement Board"]
