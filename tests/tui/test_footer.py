"""The footer: each screen's keys drawn by one widget, clicked, hovered and explained where they are drawn,
as Textual's own footer keys are, one widget each."""

from __future__ import annotations

from pathlib import Path

from textual.widget import Widget
from tui_support import diary_with_the_board, make_app, press_and_settle, settle, settled

from los_tui.screens.month import MonthScreen
from los_tui.widgets.footer import FooterKeys, KeyFooter


async def test_a_footers_keys_are_one_widget_not_one_each(db_path: Path) -> None:
    """A Textual widget costs ~30 KB of the session (message queue and task, styles, DOM, drawn lines): the
    four screens kept in a session held 61 footer keys and their rows, ~2 MB of a council's session."""
    diary_with_the_board(db_path)
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        for key in ("f2", "f3"):
            await press_and_settle(pilot, key)
            footer = app.screen.query_one(KeyFooter)
            assert len(footer.keys) >= 10
            assert list(footer.walk_children(Widget)) == [footer.query_one(FooterKeys)]
            lines = {key.line for key in footer.keys}
            assert footer.size.height == len(lines) == 2  # as many lines as the keys take at 120 columns


async def test_clicking_a_footer_key_runs_it_and_hovering_shows_what_it_does(db_path: Path) -> None:
    diary_with_the_board(db_path)
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        footer = app.screen.query_one(KeyFooter)
        month = app.screen.month  # type: ignore[attr-defined]
        [next_month] = [key for key in footer.keys if key.description == "Next month"]
        region = footer.region_of(next_month)
        drawn = footer.query_one(FooterKeys)
        await pilot.hover(None, offset=(region.x + 1, region.y))
        assert next_month.tooltip and drawn.tooltip == next_month.tooltip
        await pilot.click(None, offset=(region.x + 1, region.y))
        await settle(pilot)
        assert isinstance(app.screen, MonthScreen) and app.screen.month > month
        gap = region.right  # the cell of margin after the key: no key there
        assert drawn.key_at(gap - drawn.region.x, region.y - drawn.region.y) is None
