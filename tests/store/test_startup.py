"""Opening the diary: a damaged diary is opened read-only and the latest backup offered; a file that is
not our diary is refused and never written; files are private whatever the umask; a backup a day, seven
kept; `los restore` puts a backup back after backing up what is there."""

from __future__ import annotations

import hashlib
import os
import pty
import sqlite3
import stat
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from diary_testing import NOW, PACKAGE_ROOT, Result, run_los_process

from los_tui.db.backup import KEEP_AUTOMATIC, backups_folder, backups_of
from los_tui.db.engine import APPLICATION_ID, StoreError
from los_tui.domain.model import Frequency, Role
from los_tui.services.diary import Diary, DiaryDamaged, restore_diary


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def damage(path: Path) -> None:
    """Scribble over the start of the third page, as a failing disk might."""
    data = bytearray(path.read_bytes())
    data[8192 : 8192 + 16] = b"\xff" * 16
    path.write_bytes(bytes(data))


@pytest.fixture
def closed_diary(diary: Diary, db_path: Path) -> Path:
    diary.close()
    return db_path


def test_a_damaged_diary_is_refused_by_the_command_line_which_names_the_latest_backup(
    closed_diary: Path, los: Callable[..., Result]
) -> None:
    assert los("backup").code == 0
    latest = backups_of(closed_diary)[-1]
    damage(closed_diary)
    before = file_hash(closed_diary)
    result = los("agenda")
    assert result.code == 2 and result.err.count("\n") == 1
    assert "is damaged" in result.err and str(latest) in result.err and "los restore" in result.err
    assert file_hash(closed_diary) == before


def test_a_damaged_diary_opens_read_only_for_the_screen_and_refuses_every_write(closed_diary: Path) -> None:
    damage(closed_diary)
    before = file_hash(closed_diary)
    with pytest.raises(DiaryDamaged):
        Diary.open(closed_diary, clock=lambda: NOW)
    diary = Diary.open(closed_diary, clock=lambda: NOW, allow_damaged=True)
    assert diary.read_only and "is damaged" in (diary.health.damage or "")
    with pytest.raises(StoreError, match="is damaged"):
        diary.commitments.add("Visit to the MASH", Role.LMCS, Frequency.QUARTERLY)
    diary.close()
    assert file_hash(closed_diary) == before


HEADER = b"SQLite format 3\x00"


def foreign_files(tmp_path: Path) -> dict[str, Path]:
    made: dict[str, Path] = {}
    made["text"] = tmp_path / "notes.txt"
    made["text"].write_text("Dear diary, this is a plain text file.\n")
    made["truncated header"] = tmp_path / "truncated.sqlite3"
    made["truncated header"].write_bytes(HEADER + b"\x10\x00")
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE t (x)")
    made["another program's database"] = other
    ours_but_broken = tmp_path / "broken-header.sqlite3"
    header = bytearray(HEADER + b"\x00" * 84)
    header[68:72] = APPLICATION_ID.to_bytes(4, "big")
    header[16:18] = b"\x00\x03"  # a page size SQLite cannot have
    ours_but_broken.write_bytes(bytes(header) + b"\x00" * 4000)
    made["our stamp over a corrupt header"] = ours_but_broken
    zeroed = tmp_path / "zeroed.sqlite3"
    zeroed.write_bytes(b"\x00" * 8192)
    made["zeroed file"] = zeroed
    return made


def test_a_file_that_is_not_our_diary_is_refused_and_never_written(tmp_path: Path) -> None:
    files = foreign_files(tmp_path)
    for kind, path in files.items():
        before = file_hash(path)
        for args in (["agenda"], ["init"], ["log", "lmcs-cicc", "--on", "2026-11-01", "--status", "missed"]):
            done = run_los_process("--db", str(path), *args)
            assert done.returncode == 2, (kind, done.stderr)
            assert done.stderr.count("\n") == 1 and str(path) in done.stderr, (kind, done.stderr)
        assert file_hash(path) == before, kind
        assert not Path(f"{path}-wal").exists() and not backups_folder(path).exists(), kind


def test_restoring_a_file_that_is_not_a_diary_is_refused(closed_diary: Path, tmp_path: Path) -> None:
    before = file_hash(closed_diary)
    for kind, path in foreign_files(tmp_path).items():
        with pytest.raises(StoreError, match="restore") as refused:
            restore_diary(closed_diary, path, lambda: NOW)
        assert str(path) in str(refused.value), kind
    assert file_hash(closed_diary) == before


def modes(folder: Path) -> dict[str, int]:
    return {p.name: stat.S_IMODE(p.stat().st_mode) for p in [folder, *folder.rglob("*")]}


def test_every_file_is_private_whatever_the_umask(tmp_path: Path) -> None:
    folder = tmp_path / "los-tui"
    db = folder / "diary.sqlite3"
    previous = os.umask(0)
    try:
        diary = Diary.open(db, clock=lambda: NOW)
        diary.init("both")
        diary.backup()
        found = modes(folder)  # while open, so the -wal and -shm are there too
        diary.close()
    finally:
        os.umask(previous)
    assert {"diary.sqlite3-wal", "diary.sqlite3-shm", "backups"} <= found.keys()
    assert found == {name: 0o700 if name in ("los-tui", "backups") else 0o600 for name in found}


def test_loosened_permissions_are_repaired_on_start(tmp_path: Path) -> None:
    folder = tmp_path / "los-tui"
    db = folder / "diary.sqlite3"
    diary = Diary.open(db, clock=lambda: NOW)
    diary.init("both")
    made = diary.backup()
    diary.close()
    for path in (folder, backups_folder(db)):
        path.chmod(0o755)
    for path in (db, made):
        path.chmod(0o644)
    Diary.open(db, clock=lambda: NOW).close()
    assert set(modes(folder).values()) <= {0o600, 0o700}
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_a_diary_kept_in_a_shared_folder_leaves_that_folder_alone(tmp_path: Path) -> None:
    shared = tmp_path / "Documents"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    Diary.open(shared / "diary.sqlite3", clock=lambda: NOW).close()
    assert stat.S_IMODE(shared.stat().st_mode) == 0o755
    assert stat.S_IMODE((shared / "diary.sqlite3").stat().st_mode) == 0o600


def test_a_checked_backup_is_made_once_a_day_and_the_last_seven_are_kept(closed_diary: Path) -> None:
    for day in range(10):
        moment = NOW + timedelta(days=day)
        for _ in range(2):  # used twice that day: still one backup
            Diary.open(closed_diary, clock=lambda moment=moment: moment).close()
    kept = backups_of(closed_diary)
    assert len(kept) == KEEP_AUTOMATIC
    assert [p.name[len("diary-") : len("diary-") + 8] for p in kept] == [
        f"{NOW + timedelta(days=day):%Y%m%d}" for day in range(3, 10)
    ]
    for backup in kept:
        with sqlite3.connect(backup) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert connection.execute("SELECT count(*) FROM commitments").fetchone() == (34,)


def test_restore_needs_confirmation_when_not_at_a_terminal(
    closed_diary: Path, los: Callable[..., Result]
) -> None:
    made = Path(los("backup").out.split()[-1])
    before = file_hash(closed_diary)
    done = run_los_process("--db", str(closed_diary), "restore", str(made))
    assert done.returncode == 2 and "--yes" in done.stderr and done.stderr.count("\n") == 1
    assert file_hash(closed_diary) == before


def test_restore_puts_the_backup_back_and_keeps_what_was_there(
    closed_diary: Path, los: Callable[..., Result]
) -> None:
    made = Path(los("backup").out.split()[-1])
    assert los("add", "--title", "Visit to the MASH", "--role", "lmcs", "--frequency", "monthly").code == 0
    result = los("restore", str(made), "--yes")
    assert result.code == 0, result.err
    assert "lmcs-visit-to-the-mash" not in los("commitments", "--all").out
    (pre_restore,) = [p for p in backups_of(closed_diary) if p.name.endswith("-pre-restore.sqlite3")]
    with sqlite3.connect(pre_restore) as connection:
        assert connection.execute(
            "SELECT count(*) FROM commitments WHERE slug = 'lmcs-visit-to-the-mash'"
        ).fetchone() == (1,)
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_damaged_diary_can_be_restored_from_its_latest_backup(
    closed_diary: Path, los: Callable[..., Result]
) -> None:
    made = Path(los("backup").out.split()[-1])
    damage(closed_diary)
    damaged_bytes = closed_diary.read_bytes()
    result = los("restore", str(made), "--yes")
    assert result.code == 0, result.err
    assert los("agenda").code == 0
    with sqlite3.connect(closed_diary) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    # The damaged file itself was kept, byte for byte in its pages, before it was replaced.
    (kept,) = [p for p in backups_of(closed_diary) if p.name.endswith("-pre-restore.sqlite3")]
    assert kept.stat().st_size == len(damaged_bytes)


def _at_a_terminal(args: list[str], answer: bytes) -> tuple[int, str]:
    """Run `los ARGS` on a pseudo-terminal, answer its question, and return (exit code, what it showed)."""
    pid, terminal = pty.fork()
    if pid == 0:  # the child: becomes `los`, with the pty as its terminal
        os.environ["PYTHONPATH"] = str(PACKAGE_ROOT)
        os.execv(sys.executable, [sys.executable, "-m", "los_tui", *args])
    shown = b""
    while b"[y/N]" not in shown:
        shown += os.read(terminal, 1024)
    os.write(terminal, answer)
    while True:
        try:
            chunk = os.read(terminal, 1024)
        except OSError:  # the child has gone and closed its end
            break
        if not chunk:
            break
        shown += chunk
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), shown.decode()


def test_restore_at_a_terminal_asks_first_and_no_means_no(
    closed_diary: Path, los: Callable[..., Result]
) -> None:
    made = Path(los("backup").out.split()[-1])
    assert los("add", "--title", "Visit to the MASH", "--role", "lmcs", "--frequency", "monthly").code == 0
    before = file_hash(closed_diary)
    code, shown = _at_a_terminal(["--db", str(closed_diary), "restore", str(made)], b"n\n")
    assert code == 0 and "Nothing restored" in shown
    assert file_hash(closed_diary) == before
    code, shown = _at_a_terminal(["--db", str(closed_diary), "restore", str(made)], b"y\n")
    assert code == 0 and "Restored" in shown
    assert "lmcs-visit-to-the-mash" not in los("commitments", "--all").out


def test_backups_asked_for_are_never_pruned_by_the_daily_ones(closed_diary: Path) -> None:
    asked = Diary.open(closed_diary, clock=lambda: NOW)
    mine = asked.backup()
    asked.close()
    for day in range(1, 10):
        moment = NOW + timedelta(days=day)
        Diary.open(closed_diary, clock=lambda moment=moment: moment).close()
    kept = backups_of(closed_diary)
    assert mine in kept
    assert len([p for p in kept if p != mine]) == KEEP_AUTOMATIC
