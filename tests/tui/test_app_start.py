"""The app's first start: it asks once which role the diary is for, seeds it, then opens straight away."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from diary_testing import NOW
from textual.screen import Screen

import los_tui.app as app_module
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
    assert len(diary.commitments.list()) == 16
    diary.close()


def diary_with_a_board(db_path: Path) -> None:
    diary = Diary.open(db_path, clock=lambda: NOW)
    diary.init("both")
    diary.commitments.schedule(
        "lmcs-improvement-board",
        "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2",
        NOW.replace(month=1, day=13, hour=18, minute=30, tzinfo=None),
    )
    diary.close()


async def test_the_month_screen_is_built_with_this_months_meetings_already_read(db_path: Path) -> None:
    diary_with_a_board(db_path)
    seen_at_mount: list[bool] = []

    class Watched(MonthScreen):
        def on_mount(self) -> None:
            # Handlers run from the subclass up: look once MonthScreen's own has run too.
            self.call_next(lambda: seen_at_mount.append(self.is_loaded))

    class WatchedApp(LineOfSightApp):
        CSS_PATH = Path(app_module.__file__).with_name("app.tcss")  # a relative path is this file's
        MODES: ClassVar[dict[str, str | Callable[[], Screen[None]]]] = {
            **LineOfSightApp.MODES,
            "month": Watched,
        }

    app = WatchedApp(db_path=db_path, config=Config(), clock=lambda: NOW)
    async with app.run_test() as pilot:
        # Loaded as it was mounted: its first frame shows the meetings, not bare dates drawn twice.
        assert seen_at_mount == [True]
        assert isinstance(app.screen, Watched) and app.screen.by_day
        await app.workers.wait_for_complete()
        await pilot.pause()


async def test_later_starts_open_on_this_months_meetings(db_path: Path) -> None:
    diary_with_a_board(db_path)
    app = LineOfSightApp(db_path=db_path, config=Config(), clock=lambda: NOW)
    async with app.run_test() as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MonthScreen)
        assert screen.sub_title == "November 2026"
        meetings = [o for day in screen.by_day.values() for o in day if o.start.month == 11]
        assert [o.title for o in meetings] == ["Children's Improvement Board"]
