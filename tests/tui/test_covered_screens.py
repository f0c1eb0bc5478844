"""What a kept screen holds while another covers it: the lines it drew are let go, and drawn again, the
same, when it is shown again (the month, the screen most returned to, keeps its own)."""

from __future__ import annotations

import gc
from pathlib import Path

from textual.strip import Strip
from tui_support import diary_with_the_board, make_app, press_and_settle, settled

from los_tui.screens.review import ReviewScreen


def strips_alive() -> int:
    gc.collect()
    return sum(1 for thing in gc.get_objects() if type(thing) is Strip)


async def test_a_covered_screen_lets_go_of_the_lines_it_drew_and_draws_them_the_same_when_shown_again(
    db_path: Path,
) -> None:
    """The review, agenda and meeting screens are kept for the whole run, to be shown again at once; each
    kept every line it had drawn (each table's rendered rows and cells, each Strip with seven caches of its
    own) while the user was elsewhere, ~1.7 MB of a council's session after a write."""
    diary_with_the_board(db_path)
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        at_the_month = strips_alive()
        await press_and_settle(pilot, "f7")
        assert isinstance(app.screen, ReviewScreen)
        review_drawn = app.export_screenshot()
        with_the_review = strips_alive()
        assert with_the_review > at_the_month + 100
        await press_and_settle(pilot, "escape")
        covered = strips_alive()
        assert covered - at_the_month < (with_the_review - at_the_month) // 2
        await press_and_settle(pilot, "f7")
        assert app.export_screenshot() == review_drawn
        await press_and_settle(pilot, "escape")
        month_drawn = app.export_screenshot()
        await press_and_settle(pilot, "f3", "escape")
        assert app.export_screenshot() == month_drawn  # the month kept its lines, and shows the same
