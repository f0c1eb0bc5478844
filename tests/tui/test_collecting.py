"""The cyclic garbage collector's full collections (57-172 ms on a council's diary) are done once a key's
screen is painted and the app has settled, never inside a key (issue 19: every everyday key within 1.5x
of the bare app's repaint), and they are still done, so garbage does not pile up. Counts, not timings."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tui_support import TO_THE_BOARD, diary_with_the_board, make_app, press_and_settle, settled

from los_tui.app import LineOfSightApp
from los_tui.screens.collecting import FULL_DUE_AFTER
from los_tui.widgets.textual_internals import screen_is_painted

EVERYDAY_KEYS = ("pagedown", "pageup", *TO_THE_BOARD, "enter", "escape", "f3", "escape", "f7", "escape")


def make_a_full_collection_due() -> list[list[int]]:
    """Python's own rule for a full collection met: ten collections of the middle generation since the
    last full one, and a quarter as many objects again as that one kept, aged into the oldest generation.
    Returns those objects, to be kept alive."""
    gc.collect()
    aged = [[n] for n in range(len(gc.get_objects()) // 4 + 10_000)]
    for _ in range(FULL_DUE_AFTER + 1):
        gc.collect(1)
    return aged


@pytest.fixture
def full_collections() -> Iterator[tuple[list[str], list[LineOfSightApp]]]:
    """Each full collection as it starts while the app (put in the second list) runs: 'settled' if the
    app ran it once settled (the screen painted, no worker running: checked), else 'inside'."""
    seen: list[str] = []
    app: list[LineOfSightApp] = []

    def started(phase: str, info: dict[str, Any]) -> None:
        if phase != "start" or info["generation"] != 2 or not app:
            return
        running = app[0]
        if running.collector.collecting:
            assert screen_is_painted(running.screen)
            assert not any(worker.is_running for worker in running.workers)
            seen.append("settled")
        else:
            seen.append("inside")

    gc.callbacks.append(started)
    try:
        yield seen, app
    finally:
        gc.callbacks.remove(started)


async def test_no_full_collection_lands_inside_an_everyday_key(
    db_path: Path, full_collections: tuple[list[str], list[LineOfSightApp]]
) -> None:
    seen, watched = full_collections
    diary_with_the_board(db_path)
    async with settled(make_app(db_path), (120, 40)) as pilot:
        assert isinstance(pilot.app, LineOfSightApp)
        aged = make_a_full_collection_due()
        watched.append(pilot.app)
        for key in EVERYDAY_KEYS:
            await press_and_settle(pilot, key)
        for _ in range(100):  # once settled the app collects; a watch tick's worker may delay it
            if "settled" in seen:
                break
            await pilot.pause(0.05)
        assert "inside" not in seen
        assert seen.count("settled") >= 1  # the garbage is still collected
        del aged


async def test_python_s_thresholds_are_put_back_as_the_app_closes(db_path: Path) -> None:
    thresholds = gc.get_threshold()
    diary_with_the_board(db_path)
    async with settled(make_app(db_path), (120, 40)):
        assert gc.get_threshold() != thresholds  # full collections held back while the app runs
    assert gc.get_threshold() == thresholds
