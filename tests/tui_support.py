"""Helpers for the TUI tests: a diary with the monthly board scheduled, and waiting for the app to settle."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, datetime
from pathlib import Path

from diary_testing import NOW
from textual import events
from textual.pilot import Pilot

from los_tui.app import LineOfSightApp
from los_tui.config import Config
from los_tui.domain.model import Occurrence
from los_tui.screens.base import DiaryScreen
from los_tui.services.diary import Diary

BOARD = "lmcs-improvement-board"
NOVEMBER_BOARD = date(2026, 11, 10)  # the second Tuesday; today (NOW) is Thursday 26th
TO_THE_BOARD = ("up", "up", "left", "left")  # from the 26th: 19 -> 12 -> 11 -> 10


def diary_with_the_board(db_path: Path, location: str = "Town Hall") -> None:
    """Both roles seeded; the Lead Member's Improvement Board on the second Tuesday since January."""
    diary = Diary.open(db_path, clock=lambda: NOW)
    diary.init("both")
    diary.commitments.schedule(
        BOARD, "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2", datetime(2026, 1, 13, 18, 30), 120, location
    )
    diary.close()


def make_app(db_path: Path) -> LineOfSightApp:
    return LineOfSightApp(db_path=db_path, config=Config(), clock=lambda: NOW)


async def settle(pilot: Pilot[None]) -> None:
    """Let every worker finish and every callback it queued run (a callback may start another worker),
    and the screen on top show what the store holds: on a busy machine that can take a few rounds."""
    for _ in range(200):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = pilot.app.screen
        busy = any(worker.is_running for worker in pilot.app.workers)
        if not busy and (not isinstance(screen, DiaryScreen) or screen.is_loaded):
            await pilot.pause()
            return
        await pilot.pause(0.01)


@asynccontextmanager
async def settled(app: LineOfSightApp, size: tuple[int, int]) -> AsyncIterator[Pilot[None]]:
    """`app` running headless at `size`, once it has settled on its first screen."""
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        yield pilot


@asynccontextmanager
async def at_the_november_board(
    db_path: Path, size: tuple[int, int]
) -> AsyncIterator[tuple[LineOfSightApp, Pilot[None]]]:
    """The app on a diary with the board, its November meeting opened from the month with the keys."""
    diary_with_the_board(db_path)
    app = make_app(db_path)
    async with settled(app, size) as pilot:
        await press_and_settle(pilot, *TO_THE_BOARD, "enter")
        yield app, pilot


async def press_and_settle(pilot: Pilot[None], *keys: str) -> None:
    """Press `keys`, then wait until the app has settled (see `settle`)."""
    await pilot.press(*keys)
    await settle(pilot)


async def press_as_a_terminal(pilot: Pilot[None], *keys: str) -> None:
    """Press `keys` as a terminal sends them, then settle. A terminal sends alt+a as ESC a, which Textual
    delivers with its letter as the character; Pilot's `press` sends none, so it never finds a text box
    that types the letter instead of the key reaching the bindings."""
    for key in keys:
        letter = key.rpartition("+")[2]
        pilot.app.post_message(events.Key(key, letter if len(letter) == 1 else None))
        await settle(pilot)


def stored(db_path: Path, day: date, slug: str = BOARD) -> list[Occurrence]:
    """What a fresh process would find in the store on `day` (a new connection, not the app's)."""
    diary = Diary.open(db_path, clock=lambda: NOW, create=False)
    try:
        return diary.meetings.agenda(day, day, slugs=[slug])
    finally:
        diary.close()
