"""What the app keeps between showings (los_tui/screens/showing.py): the month's first look is handed over
once, for its own month only, and says when it has been painted."""

from __future__ import annotations

from datetime import date

from textual.app import App

from los_tui.screens.showing import FirstLook


def test_the_first_look_is_handed_over_once_and_only_for_its_month() -> None:
    look = FirstLook()
    look.keep(date(2026, 11, 1), [])
    assert not look.is_painted
    assert look.take(date(2026, 12, 1)) is None  # another month: nothing, and the diary opens at once
    assert look.is_painted
    look = FirstLook()
    look.keep(date(2026, 11, 1), [])
    assert look.take(date(2026, 11, 1)) == []
    assert look.take(date(2026, 11, 1)) is None  # once only


def test_nothing_read_first_means_nothing_to_wait_for() -> None:
    look = FirstLook()
    look.keep(date(2026, 11, 1), None)  # no diary yet, or not set up
    assert look.take(date(2026, 11, 1)) is None and look.is_painted


async def test_painted_is_said_after_the_next_refresh() -> None:
    look = FirstLook()
    look.keep(date(2026, 11, 1), [])
    app: App[None] = App()
    async with app.run_test() as pilot:
        assert look.take(date(2026, 11, 1)) == []
        look.painted(app)
        assert not look.is_painted
        await pilot.pause()
        look.wait_until_painted(timeout=1)
        assert look.is_painted
