"""The hour the clocks go back (25 October 2026: 01:xx BST, then 01:xx GMT), on screen: a meeting moved
there shows which 01:15 it is, as `los agenda` does."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from diary_testing import NOW
from textual.widgets import DataTable
from tui_support import BOARD, make_app, press_and_settle, settled

from los_tui.services.diary import Diary


@pytest.mark.parametrize(
    ("to", "shown"),
    [
        (datetime(2026, 10, 25, 0, 15, tzinfo=UTC), "01:15 BST-02:15"),  # the first 01:15
        (datetime(2026, 10, 25, 1, 15, tzinfo=UTC), "01:15 GMT-02:15"),  # the second
    ],
)
async def test_the_agenda_screen_tells_the_two_0115s_apart(db_path: Path, to: datetime, shown: str) -> None:
    diary = Diary.open(db_path, clock=lambda: NOW)
    diary.init("both")
    diary.commitments.schedule(BOARD, "FREQ=WEEKLY;BYDAY=SA", datetime(2026, 10, 3, 10, 0))
    [saturday] = diary.meetings.agenda(date(2026, 10, 24), date(2026, 10, 24), slugs=[BOARD])
    diary.meetings.move(saturday, to)
    diary.close()
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        await press_and_settle(pilot, "f3", "v")  # the next 30 days -> this quarter (October on)
        table = app.screen.query_one(DataTable)
        rows = [" ".join(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count)]
        [moved] = [row for row in rows if "25 Oct" in row]
        assert shown in moved
        assert any("Sat 31 Oct 2026 10:00-11:00" in row for row in rows)  # shown once: no zone named
