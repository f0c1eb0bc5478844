"""Damage only a backup's integrity_check sees (an index out of step with its table): the screen opens
the diary read-only and names the latest sound backup, instead of writing to it with a warning."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from diary_testing import NOW, put_an_index_out_of_step
from tui_support import diary_with_the_board, settled

from los_tui.app import LineOfSightApp
from los_tui.config import Config
from los_tui.db.backup import backups_of
from los_tui.services.diary import Diary


async def test_the_screen_opens_a_diary_whose_daily_backup_fails_its_check_read_only(db_path: Path) -> None:
    diary_with_the_board(db_path)
    healthy = Diary.open(db_path, clock=lambda: NOW)
    sound = healthy.backup()
    healthy.close()
    made = backups_of(db_path)  # that day's daily one and this one
    put_an_index_out_of_step(db_path)
    before = db_path.read_bytes()
    tomorrow = NOW + timedelta(days=1)  # the daily backup is due
    app = LineOfSightApp(db_path=db_path, config=Config(), clock=lambda: tomorrow)
    async with settled(app, (120, 40)):
        messages = [n.message for n in app._notifications]
        assert any("is damaged" in m and f"los restore {sound}" in m for m in messages), messages
        assert app.diary is not None and app.diary.read_only
    assert db_path.read_bytes() == before
    assert backups_of(db_path) == made  # no failed daily backup left behind
