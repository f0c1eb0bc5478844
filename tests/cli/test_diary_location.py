"""Where the diary is: a URL other than PostgreSQL's (a diary on a server: tests/store/test_server_diary.py)
is refused rather than taken as a file name, and a 0-byte file is taken over
as a new diary unless backups of a diary by that name sit beside it (then it is a diary emptied by
accident, and restoring is the way on)."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from diary_testing import NOW, Result

from los_tui.cli import main
from los_tui.db.backup import backups_of
from los_tui.db.engine import APPLICATION_ID, StoreError
from los_tui.services.diary import Diary

# A driver named for SQLAlchemy other than psycopg's two (tests/store/test_server_diary.py) is not read as
# a libpq URL either: its options may be the driver's own.
URLS = [
    "sqlite:///diary.sqlite3",
    "file:///tmp/diary.sqlite3",
    "mysql://clerk@db.example/diary",
    "postgresql+asyncpg://clerk@db.example/diary",
]


@pytest.mark.parametrize("url", URLS)
def test_a_diary_url_is_refused_and_nothing_is_made(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    config = tmp_path / "config.toml"
    config.write_text(f'db = "{url}"\n', encoding="utf-8")
    ways = {
        "--db": ["--db", url, "init"],
        "LOS_DB": ["init"],
        "config db": ["--config", str(config), "init"],
    }
    for field, args in ways.items():
        with monkeypatch.context() as env:
            if field == "LOS_DB":
                env.setenv("LOS_DB", url)
            code = main(args)
        err = capsys.readouterr().err
        assert code == 2 and err.count("\n") == 1, err
        assert err.startswith(f"los: error: {field} {url!r}") and "URL" in err
    assert sorted(os.listdir(tmp_path)) == ["config.toml"]  # no `postgresql:` folder


def test_an_empty_file_with_no_backups_beside_it_becomes_the_diary(
    db_path: Path, los: Callable[..., Result]
) -> None:
    db_path.parent.mkdir()
    db_path.touch()
    assert los("init", "--role", "lmcs").code == 0
    with sqlite3.connect(db_path) as connection:
        assert connection.execute("PRAGMA application_id").fetchone() == (APPLICATION_ID,)
    connection.close()


def test_an_emptied_diary_with_backups_beside_it_is_left_alone_and_can_be_restored(
    db_path: Path, los: Callable[..., Result]
) -> None:
    assert los("init", "--role", "lmcs").code == 0
    assert los("backup").code == 0
    before = backups_of(db_path)  # today's daily one and the one asked for
    latest = before[-1]
    db_path.write_bytes(b"")  # a sync tool or a failed copy left the diary empty

    for args in (["init"], ["agenda"]):
        result = los(*args)
        assert result.code == 2 and result.err.count("\n") == 1
        assert "is empty (0 bytes)" in result.err and f"los restore {latest}" in result.err
    with pytest.raises(StoreError, match="is empty"):
        Diary.open(db_path, clock=lambda: NOW, allow_damaged=True)  # the screen's way in
    assert db_path.stat().st_size == 0 and backups_of(db_path) == before

    result = los("restore", str(latest), "--yes")
    assert result.code == 0, result.err
    assert "the file was empty before" in result.out
    assert "lmcs-improvement-board" in los("commitments").out
