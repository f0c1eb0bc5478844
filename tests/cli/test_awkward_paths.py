"""Folder and file names with `#`, `?`, `%`, spaces and non-ASCII (council shares are called `Team #2`):
every path the app takes reaches the file it names. Before, a SQLite URI built by pasting the path let `#`
start a fragment and `?` a query, so `los backup` wrote an empty 4 KiB file and said "Backed up", and
`los restore 'diary#1.sqlite3'` replaced the diary with an empty one."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from diary_testing import LONDON

from los_tui.cli import main
from los_tui.db.backup import backups_of
from los_tui.db.engine import APPLICATION_ID, connect_for_reading, make_engine
from los_tui.db.snapshot import first_look

OUTLOOK_QUARTER = Path(__file__).resolve().parents[1] / "fixtures" / "outlook_quarter.ics"
AWKWARD = {"hash": "#", "question": "?", "percent": "%25", "space": " ", "non-ascii": "é"}


def logged_entries(path: Path) -> int:
    """Rows in the diary at `path`, read without any URI (so the check cannot share the bug)."""
    connection = sqlite3.connect(str(path))
    try:
        assert connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        return int(connection.execute("SELECT count(*) FROM occurrence_logs").fetchone()[0])
    finally:
        connection.close()


def los(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.mark.parametrize("mark", AWKWARD.values(), ids=AWKWARD.keys())
def test_every_path_with_an_awkward_character_reaches_its_own_file(
    mark: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    share = tmp_path / f"Team {mark}2"
    diary = share / f"diary{mark}1.sqlite3"
    db = ("--db", str(diary))
    assert los(*db, "init", "--role", "lmcs", capsys=capsys)[0] == 0
    log = ("log", "lmcs-team-visits", "--status", "attended")
    assert los(*db, *log, "--on", "2026-11-20", capsys=capsys)[0] == 0

    # The backups folder beside the diary, and -o into another awkward folder.
    assert los(*db, "backup", capsys=capsys)[0] == 0
    (made,) = [p for p in backups_of(diary) if p.name.endswith("-manual.sqlite3")]
    assert logged_entries(made) == 1
    elsewhere = tmp_path / f"safe {mark} copies"
    elsewhere.mkdir()
    copy = elsewhere / f"copy{mark}1.sqlite3"
    assert los(*db, "backup", "-o", str(copy), capsys=capsys)[0] == 0
    assert logged_entries(copy) == 1
    for command, name in ((["export", "ics"], "agenda"), (["review", "--format", "csv"], "review")):
        written = elsewhere / f"{name}{mark}.out"
        assert los(*db, *command, "-o", str(written), capsys=capsys)[0] == 0
        assert written.stat().st_size > 0

    # Restoring from the awkward name puts that backup back, not an empty diary.
    assert los(*db, *log, "--on", "2026-11-21", capsys=capsys)[0] == 0
    assert logged_entries(diary) == 2
    code, said = los(*db, "restore", "--yes", str(copy), capsys=capsys)
    assert code == 0, said
    assert logged_entries(diary) == 1

    # The import file.
    calendar = elsewhere / f"Calendar{mark}.ics"
    shutil.copyfile(OUTLOOK_QUARTER, calendar)
    code, said = los(*db, "import", "ics", str(calendar), "--role", "lmcs", capsys=capsys)
    assert code == 0, said

    # The read-only ways in (a damaged diary on screen, the first look) read the same file.
    reading = connect_for_reading(diary, read_only=True)
    try:
        assert reading.execute("SELECT count(*) FROM occurrence_logs").fetchone()[0] == 1
    finally:
        reading.close()
    engine = make_engine(diary, read_only=True)
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT count(*) FROM occurrence_logs").scalar() == 1
    finally:
        engine.dispose()
    start = datetime(2026, 11, 1, tzinfo=LONDON)
    looked = first_look(diary, start, datetime(2026, 12, 1, tzinfo=LONDON), "Europe/London")
    assert looked is not None and len(looked[1]) == 1

    # Nothing was made anywhere but where it was asked for (no `Team ` folder, no stray database).
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([share.name, elsewhere.name])
    assert len(list(elsewhere.iterdir())) == 4  # the copy, the export, the review and the calendar
    assert sorted(p.name for p in share.iterdir() if not p.name.startswith(diary.name)) == ["backups"]


def test_a_relative_diary_name_that_starts_like_a_uri_is_a_file_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The system's SQLite reads any name starting with `file:` as a URI, flag or not.
    monkeypatch.chdir(tmp_path)
    db = ("--db", "file:diary#1.sqlite3")
    assert los(*db, "init", "--role", "lmcs", capsys=capsys)[0] == 0
    assert (
        los(*db, "log", "lmcs-team-visits", "--status", "attended", "--on", "2026-11-20", capsys=capsys)[0]
        == 0
    )
    assert logged_entries(tmp_path / "file:diary#1.sqlite3") == 1
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("file:diary#1.sqlite3")) == [
        "backups"
    ]
