"""Abbreviations on screen can be looked up: help (F1 or ?) lists the glossary `los glossary` gives, a box
there narrows it as one types, and the command palette opens help at that box. Typed text only looks
up, never runs a command. The real app driven by Pilot on a real diary."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, Static
from tui_support import at_the_november_board, press_and_settle

from los_tui.domain.guidance import guidance
from los_tui.screens.help import HelpScreen
from los_tui.screens.meeting import MeetingScreen

SnapCompare = Callable[..., bool]


def glossary_shown(help_screen: HelpScreen) -> str:
    return str(help_screen.query_one("#glossary", Static).visual)


async def test_help_lists_every_abbreviation_of_the_glossary(db_path: Path) -> None:
    async with at_the_november_board(db_path, (80, 24)) as (app, pilot):
        await press_and_settle(pilot, "f1")
        assert isinstance(app.screen, HelpScreen)
        shown = glossary_shown(app.screen)
        glossary = guidance().glossary
        assert len(glossary) >= 18
        for term, meaning in glossary.items():
            assert term in shown and meaning in shown


async def test_typing_in_the_look_up_box_narrows_the_glossary_and_runs_no_command(db_path: Path) -> None:
    async with at_the_november_board(db_path, (80, 24)) as (app, pilot):
        await press_and_settle(pilot, "f1")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        await press_and_settle(pilot, "tab")
        assert help_screen.focused is help_screen.query_one("#glossary-filter", Input)
        await press_and_settle(pilot, *"lado")
        shown = glossary_shown(help_screen)
        assert shown.startswith("LADO") and guidance().explain("LADO") in shown
        assert "MASH" not in shown
        # Letters that are commands elsewhere, and help's own key: typed into the box, nothing run.
        await press_and_settle(pilot, *"q?adxn", "enter")
        assert app.screen is help_screen and app.is_running
        assert help_screen.query_one("#glossary-filter", Input).value == "ladoq?adxn"
        assert "No abbreviation or meaning holds ladoq?adxn" in glossary_shown(help_screen)
        await press_and_settle(pilot, "escape")
        assert isinstance(app.screen, MeetingScreen)


async def test_the_command_palette_looks_up_an_abbreviation(db_path: Path) -> None:
    async with at_the_november_board(db_path, (80, 24)) as (app, pilot):
        await press_and_settle(pilot, "ctrl+p")
        await press_and_settle(pilot, *"abbreviation")
        await pilot.pause(0.3)  # the palette searches after a short pause in typing
        await press_and_settle(pilot, "enter")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        assert help_screen.focused is help_screen.query_one("#glossary-filter", Input)
        await press_and_settle(pilot, *"[b]mash")
        assert "No abbreviation or meaning holds [b]mash" in glossary_shown(help_screen)  # shown, not markup
        await press_and_settle(pilot, *["backspace"] * 7, *"mash")
        assert guidance().explain("MASH") in glossary_shown(help_screen)


def test_looking_up_an_abbreviation_fits_80_by_24(snap_compare: SnapCompare, db_path: Path) -> None:
    async def look_up_psw(pilot: Pilot[Any]) -> None:
        await pilot.app.workers.wait_for_complete()
        await press_and_settle(pilot, "f1", "tab", *"psw")
        assert isinstance(pilot.app.screen, HelpScreen)

    from tui_support import diary_with_the_board, make_app

    diary_with_the_board(db_path)
    assert snap_compare(make_app(db_path), terminal_size=(80, 24), run_before=look_up_psw)
