"""The app as a whole: the review and calendar files are a key away, changes made elsewhere show up,
and a damaged diary opens read-only and says so."""

from __future__ import annotations

import sqlite3
import threading
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from diary_testing import NOW
from textual.pilot import Pilot
from textual.widgets import Static
from tui_support import (
    BOARD,
    NOVEMBER_BOARD,
    diary_with_the_board,
    make_app,
    press_and_settle,
    settle,
    settled,
    stored,
)

from los_tui.app import LineOfSightApp
from los_tui.config import Config
from los_tui.domain.model import Status
from los_tui.screens.ical import ExportCalendarScreen, ImportCalendarScreen
from los_tui.screens.month import MonthScreen
from los_tui.screens.review import ReviewScreen
from los_tui.services.diary import Diary
from los_tui.widgets.month_grid import MonthGrid


async def test_f7_opens_this_quarters_review_and_escape_comes_back(db_path: Path) -> None:
    diary_with_the_board(db_path)
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        await press_and_settle(pilot, "f7")
        assert isinstance(app.screen, ReviewScreen)
        title = str(app.screen.query_one("#review-title", Static).render())
        assert "2026-Q4" in title and "2026/27 Q3" in title
        assert app.screen.report is not None
        board = next(r for r in app.screen.report.review.rows if r.commitment.slug == BOARD)
        assert (board.counts.expected, board.counts.unlogged, board.counts.upcoming) == (3, 2, 1)
        await press_and_settle(pilot, "escape")
        assert isinstance(app.screen, MonthScreen)


async def test_the_review_opened_again_is_this_quarter_counted_afresh(db_path: Path) -> None:
    diary_with_the_board(db_path)
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        await press_and_settle(pilot, "f7")
        review = app.screen
        assert isinstance(review, ReviewScreen)
        # missed-and-unlogged only, the quarter before
        await press_and_settle(pilot, "f", "left_square_bracket")
        assert review.report is not None and review.report.review.period.first == date(2026, 7, 1)
        await press_and_settle(pilot, "escape")
        other = Diary.open(db_path, clock=lambda: NOW, create=False)
        other.meetings.set_status(other.meetings.agenda(NOVEMBER_BOARD, NOVEMBER_BOARD)[0], Status.ATTENDED)
        other.close()
        await press_and_settle(pilot, "f7")
        assert app.screen is review  # the same screen, kept and filled again
        assert review.only_missed_and_unlogged  # as the user left it
        assert review.report is not None and review.report.review.period.first == date(2026, 10, 1)
        board = next(r for r in review.report.review.rows if r.commitment.slug == BOARD)
        assert (board.counts.attended, board.counts.unlogged) == (1, 1)


async def test_f8_and_f9_open_the_calendar_file_dialogs(db_path: Path) -> None:
    diary_with_the_board(db_path)
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        await press_and_settle(pilot, "f8")
        assert isinstance(app.screen, ExportCalendarScreen)
        await press_and_settle(pilot, "escape")
        await press_and_settle(pilot, "f9")
        assert isinstance(app.screen, ImportCalendarScreen)


async def wait_for(pilot: Pilot[None], condition: object, seconds: float = 10.0) -> bool:
    """Poll the running app until `condition()` holds (the watch ticks every couple of seconds)."""
    for _ in range(int(seconds / 0.1)):
        if condition():  # type: ignore[operator]
            return True
        await pilot.pause(0.1)
    return False


async def test_a_meeting_logged_from_the_command_line_shows_up_without_a_restart(db_path: Path) -> None:
    diary_with_the_board(db_path)
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, MonthScreen)
        assert screen.by_day[NOVEMBER_BOARD][0].status_label == "scheduled"
        grid = screen.query_one(MonthGrid)
        drawn = {cell.day: cell for cell in grid.cells_shown()}
        # Another program (here a second Diary, as `los log` would be) logs the board.
        other = Diary.open(db_path, clock=lambda: NOW, create=False)
        other.meetings.set_status(other.meetings.agenda(NOVEMBER_BOARD, NOVEMBER_BOARD)[0], Status.ATTENDED)
        other.close()
        assert await wait_for(pilot, lambda: screen.by_day[NOVEMBER_BOARD][0].status_label == "attended")
        # Only the board's day is drawn again; the other 41 keep what they had rendered.
        redrawn = [cell.day for cell in grid.cells_shown() if cell is not drawn[cell.day]]
        assert redrawn == [NOVEMBER_BOARD]


def damage(path: Path) -> None:
    """Scribble over the start of the third page, as a failing disk might."""
    data = bytearray(path.read_bytes())
    data[8192 : 8192 + 16] = b"\xff" * 16
    path.write_bytes(bytes(data))


async def test_a_damaged_diary_opens_read_only_and_says_where_the_backup_is(db_path: Path) -> None:
    diary_with_the_board(db_path)
    healthy = Diary.open(db_path, clock=lambda: NOW)
    healthy.backup()  # a backup to offer
    healthy.close()
    damage(db_path)
    before = db_path.read_bytes()
    app = make_app(db_path)
    async with settled(app, (120, 40)):
        messages = [n.message for n in app._notifications]
        assert any("is damaged" in m and "los restore" in m for m in messages), messages
        assert app.diary is not None and app.diary.read_only
    assert db_path.read_bytes() == before


async def test_a_note_the_locked_diary_refused_is_kept_and_lands_once_the_lock_goes(db_path: Path) -> None:
    diary_with_the_board(db_path)
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        app.open_meeting(app.screen.by_day[NOVEMBER_BOARD][0])  # type: ignore[attr-defined]
        await settle(pilot)
        await pilot.click("#note")
        # Another program holds the write lock for longer than the 5 s busy timeout.
        holder = sqlite3.connect(db_path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            await pilot.press(*"Locked out", "escape")
            refused = await wait_for(
                pilot, lambda: any("could not be written" in n.message for n in app._notifications), 20
            )
            assert refused
            assert isinstance(app.screen, MonthScreen)  # the meeting screen has closed ...
        finally:
            holder.rollback()
            holder.close()
        # ... and the note it held lands on a later watch tick, without the user doing anything.
        assert await wait_for(pilot, lambda: stored(db_path, NOVEMBER_BOARD)[0].note == "Locked out", 20)


async def test_quitting_while_the_diary_is_locked_stays_open_rather_than_lose_the_note(db_path: Path) -> None:
    diary_with_the_board(db_path)
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        app.open_meeting(app.screen.by_day[NOVEMBER_BOARD][0])  # type: ignore[attr-defined]
        await settle(pilot)
        await pilot.click("#note")
        await pilot.press(*"Kept")
        holder = sqlite3.connect(db_path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            await app.run_action("quit")  # as `q` does, after Tab out of the note
            await pilot.pause()
            assert app.is_running
            assert any("Not quitting" in n.message for n in app._notifications)
        finally:
            holder.rollback()
            holder.close()
        await app.run_action("quit")
    assert stored(db_path, NOVEMBER_BOARD)[0].note == "Kept"


async def test_paging_to_a_month_read_ahead_still_shows_what_another_program_changed(db_path: Path) -> None:
    december_board = date(2026, 12, 8)
    diary_with_the_board(db_path)
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, MonthScreen)
        await press_and_settle(pilot, "pagedown", "pageup")  # December was read with November, and again now
        other = Diary.open(db_path, clock=lambda: NOW, create=False)
        other.meetings.set_status(other.meetings.agenda(december_board, december_board)[0], Status.APOLOGIES)
        other.close()
        # The app notices within its watch interval and reads again, months read ahead included.
        december = screen.read_ahead[date(2026, 12, 1)]
        assert await wait_for(pilot, lambda: screen.read_ahead.get(date(2026, 12, 1)) is not december)
        await press_and_settle(pilot, "pagedown")
        assert screen.by_day[december_board][0].status_label == "apologies"


async def test_the_review_opened_again_is_shown_as_counted_until_the_diary_changes_or_a_meeting_ends(
    db_path: Path,
) -> None:
    diary_with_the_board(db_path)
    now = [NOW]
    app = LineOfSightApp(db_path=db_path, config=Config(), clock=lambda: now[0])

    async def reopen(pilot: Pilot[None]) -> ReviewScreen:
        await press_and_settle(pilot, "escape")
        await press_and_settle(pilot, "f7")
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.report is not None
        return app.screen

    def board(screen: ReviewScreen) -> tuple[int, int, int]:
        assert screen.report is not None
        row = next(r for r in screen.report.review.rows if r.commitment.slug == BOARD)
        return row.counts.attended, row.counts.unlogged, row.counts.upcoming

    async with settled(app, (120, 40)) as pilot:
        await press_and_settle(pilot, "f7")
        review = app.screen
        assert isinstance(review, ReviewScreen) and review.report is not None
        counted = review.report
        now[0] = NOW + timedelta(hours=1)
        assert await reopen(pilot) is review
        assert review.report.review.rows is counted.review.rows  # shown as it was, not counted again
        assert review.report.review.as_of == now[0]  # an export from it says "as of" now
        # 8 December, 21:00: December's board (18:30 to 20:30) has ended, so it is counted afresh.
        now[0] = datetime(2026, 12, 8, 21, 0, tzinfo=NOW.tzinfo)
        await reopen(pilot)
        assert board(review) == (0, 3, 0)
        other = Diary.open(db_path, clock=lambda: NOW, create=False)  # another program logs November's
        other.meetings.set_status(other.meetings.agenda(NOVEMBER_BOARD, NOVEMBER_BOARD)[0], Status.ATTENDED)
        other.close()
        await reopen(pilot)
        assert board(review) == (1, 2, 0)


async def test_the_review_after_a_change_is_shown_at_once_as_last_counted_until_the_new_counts_land(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """F7 never waits for a recount: a council's 200 commitments take a while to count, so the last
    counts are shown at once, said to be counted again, and replaced when the new ones land."""
    diary_with_the_board(db_path)
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        await press_and_settle(pilot, "f7")
        review = app.screen
        assert isinstance(review, ReviewScreen) and review.report is not None
        before = review.report
        await press_and_settle(pilot, "escape")
        other = Diary.open(db_path, clock=lambda: NOW, create=False)  # another program logs November's
        other.meetings.set_status(other.meetings.agenda(NOVEMBER_BOARD, NOVEMBER_BOARD)[0], Status.ATTENDED)
        other.close()
        assert app.diary is not None
        counting = threading.Event()
        plain_load = app.diary.review.load

        def slow_load(*args: Any, **kwargs: Any) -> Any:
            counting.wait(timeout=30)  # held until the test has looked at the screen
            return plain_load(*args, **kwargs)

        monkeypatch.setattr(app.diary.review, "load", slow_load)
        await pilot.press("f7")
        for _ in range(50):  # the screen is pushed at once, however long the count takes
            await pilot.pause()
            if app.screen is review:
                break
        assert app.screen is review
        assert review.report is before and not review.is_loaded  # the last counts, shown as such
        assert "counting again" in str(review.query_one("#review-title", Static).render())
        counting.set()
        await settle(pilot)
        assert review.is_loaded and review.report is not before
        board = next(r for r in review.report.review.rows if r.commitment.slug == BOARD)
        assert (board.counts.attended, board.counts.unlogged) == (1, 1)
        assert "counting again" not in str(review.query_one("#review-title", Static).render())
