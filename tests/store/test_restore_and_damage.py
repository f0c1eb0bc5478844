"""Backups that can be trusted: a diary from a newer los-tui is never restored or started on, a start that
fails leaves the backups folder as it was, and damage only a backup's integrity_check sees (an index out
of step with its table) makes the diary read-only instead of a warning on every daily backup."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from diary_testing import NOW, Result, put_an_index_out_of_step

from los_tui.db.backup import KEEP_AUTOMATIC, backup_database, backups_folder, backups_of
from los_tui.db.engine import StoreError, quick_check
from los_tui.domain.model import Frequency, Role
from los_tui.services.diary import Diary, DiaryDamaged

NEWER = "9999"  # a schema revision from a los-tui newer than this one


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def stamp_revision(path: Path, revision: str) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    connection.close()


@pytest.fixture
def closed_diary(diary: Diary, db_path: Path) -> Path:
    diary.close()
    return db_path


def test_a_backup_from_a_newer_los_is_refused_and_nothing_changes(
    closed_diary: Path, los: Callable[..., Result], tmp_path: Path
) -> None:
    newer = tmp_path / "from-a-newer-los.sqlite3"
    assert los("backup", "-o", str(newer)).code == 0
    stamp_revision(newer, NEWER)
    before, backups = file_hash(closed_diary), backups_of(closed_diary)
    result = los("restore", str(newer), "--yes")
    assert result.code == 2 and result.err.count("\n") == 1
    assert f"revision '{NEWER}'" in result.err and "newer los-tui" in result.err
    assert file_hash(closed_diary) == before
    assert backups_of(closed_diary) == backups  # no pre-restore backup either


def test_failing_starts_on_a_newer_diary_neither_make_nor_prune_backups(
    closed_diary: Path, los: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    for day in range(KEEP_AUTOMATIC):  # a full set of daily backups, the oldest next in line to go
        Diary.open(closed_diary, clock=lambda day=day: NOW + timedelta(days=day)).close()
    kept = {path: file_hash(path) for path in backups_of(closed_diary)}
    assert len(kept) == KEEP_AUTOMATIC
    stamp_revision(closed_diary, NEWER)
    refusals = []
    for day in range(KEEP_AUTOMATIC, KEEP_AUTOMATIC + 3):  # three more days, each start refused
        monkeypatch.setenv("LOS_NOW", (NOW + timedelta(days=day)).replace(tzinfo=None).isoformat())
        refusals.append(los("agenda"))
    assert {path: file_hash(path) for path in backups_of(closed_diary)} == kept
    assert all(r.code == 2 and f"revision '{NEWER}'" in r.err for r in refusals)


def test_a_migration_that_fails_takes_its_backup_away_again(tmp_path: Path) -> None:
    golden = Path(__file__).resolve().parents[1] / "golden" / "schema-0001.sqlite3"
    copy = tmp_path / "old" / "diary.sqlite3"
    copy.parent.mkdir()
    copy.write_bytes(golden.read_bytes())
    holder = sqlite3.connect(copy, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program holds the write lock past the busy timeout
    try:
        with pytest.raises(StoreError, match="locked"):
            Diary.open(copy, clock=lambda: NOW)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert backups_of(copy) == []
    Diary.open(copy, clock=lambda: NOW).close()  # and once the lock is gone it upgrades, backed up
    assert [p.name for p in backups_of(copy)] == ["diary-20261126-100000-pre-migration.sqlite3"]


def test_damage_only_a_backup_check_sees_makes_the_diary_read_only(
    closed_diary: Path, los: Callable[..., Result]
) -> None:
    assert los("backup").code == 0
    sound = backups_of(closed_diary)[-1]  # the daily one, then this one
    assert sound.name.endswith("-manual.sqlite3")
    made = backups_of(closed_diary)
    put_an_index_out_of_step(closed_diary)
    assert quick_check(closed_diary) == "ok"
    # A backup of the damaged diary made unchecked, newer than the sound one: not the one to offer.
    damaged_copy = backups_folder(closed_diary) / "diary-20261126-110000-pre-restore.sqlite3"
    backup_database(closed_diary, damaged_copy, check=False)
    before = file_hash(closed_diary)
    tomorrow = NOW + timedelta(days=1)  # the daily backup is due, and its integrity_check fails

    with pytest.raises(DiaryDamaged) as refused:
        Diary.open(closed_diary, clock=lambda: tomorrow)
    assert "is damaged" in str(refused.value) and str(sound) in str(refused.value)
    assert str(damaged_copy) not in str(refused.value)

    on_screen = Diary.open(closed_diary, clock=lambda: tomorrow, allow_damaged=True)
    try:
        assert on_screen.read_only and str(sound) in (on_screen.health.damage or "")
        with pytest.raises(StoreError, match="is damaged"):
            on_screen.commitments.add("Visit to the MASH", Role.LMCS, Frequency.QUARTERLY)
    finally:
        on_screen.close()
    assert file_hash(closed_diary) == before
    assert backups_of(closed_diary) == [*made, damaged_copy]  # no failed daily backup left behind

    result = los("backup")  # asked for by hand: the same verdict, exit 2, one line
    assert result.code == 2 and result.err.count("\n") == 1 and str(sound) in result.err


def test_each_diary_in_a_folder_finds_and_prunes_only_its_own_backups(tmp_path: Path) -> None:
    """`diary[1]` (a glob's character class) and `diary` beside `diary-old` (whose backups start
    `diary-`) share one backups folder; each sees its own backups and no other's."""
    folder = tmp_path / "Team [1]"
    bracketed, plain, sibling = (folder / f"{name}.sqlite3" for name in ("diary[1]", "diary", "diary-old"))
    for path in (bracketed, plain, sibling):
        Diary.open(path, clock=lambda: NOW).close()
    for day in range(1, KEEP_AUTOMATIC + 2):
        for path in (bracketed, sibling):
            Diary.open(path, clock=lambda day=day: NOW + timedelta(days=day)).close()
    Diary.open(plain, clock=lambda: NOW + timedelta(days=1)).close()
    assert len(backups_of(bracketed)) == KEEP_AUTOMATIC
    assert len(backups_of(sibling)) == KEEP_AUTOMATIC  # the plain diary's pruning took none of them
    assert [p.name for p in backups_of(plain)] == ["diary-20261127-100000-daily.sqlite3"]
