"""Disk full, file too large and I/O errors while writing backups and exports: the file already there is
left exactly as it was, no temp file is left behind, and the user gets one line saying what happened.

The faults are real where the machine allows: RLIMIT_FSIZE makes the kernel refuse writes past a size
(EFBIG), and a small tmpfs in a private mount namespace fills up (ENOSPC). Only the fsync failure (EIO)
is injected, by replacing the OS call `os.fsync`, never our own code.
"""

from __future__ import annotations

import errno
import os
import resource
import shlex
import shutil
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from diary_testing import NOW, PACKAGE_ROOT

from los_tui.cli import main
from los_tui.db.backup import backup_database
from los_tui.db.engine import StoreError
from los_tui.db.files import write_atomically
from los_tui.services.diary import Diary

LIMIT = 64 * 1024  # room for the diary's -shm (32 KiB), not for a backup of it
OLD = b"the backup from last week, which must survive\n"
BOARD_SCHEDULE = ["--rrule", "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2", "--start", "2026-01-13T18:30"]


@pytest.fixture
def busy_diary(db_path: Path) -> Path:
    diary = Diary.open(db_path, clock=lambda: NOW)
    diary.init("both")
    for day in (1, 2):  # ~120 KB of notes, bigger than the limits below
        occurrence = diary.meetings.log("lmcs-team-visits", NOW.replace(day=day), True, None).occurrence
        diary.meetings.save_note(occurrence, "A long note about the visit. " * 2000)
    diary.close()
    return db_path


def leftovers(folder: Path) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name.endswith(".tmp"))


def _small_file_limit() -> None:
    # SIGXFSZ would kill the process; ignored (and inherited across exec) the write fails with EFBIG.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))


def test_a_backup_the_kernel_refuses_as_too_large_leaves_the_old_backup_alone(
    busy_diary: Path, tmp_path: Path
) -> None:
    target = tmp_path / "weekly.sqlite3"
    target.write_bytes(OLD)
    done = subprocess.run(
        [sys.executable, "-m", "los_tui", "--db", str(busy_diary), "backup", "-o", str(target)],
        capture_output=True,
        text=True,
        preexec_fn=_small_file_limit,
        env={**os.environ, "PYTHONPATH": str(PACKAGE_ROOT)},
        check=False,
    )
    assert done.returncode == 2
    # Today's automatic backup hit the same limit: a warning, not a reason to refuse the user's command.
    warning, error = done.stderr.splitlines()
    assert warning.startswith("los: warning: today's automatic backup failed")
    assert error.startswith(f"los: error: -o '{target}'") and "the backup failed" in error
    assert target.read_bytes() == OLD
    assert leftovers(tmp_path) == [] and leftovers(busy_diary.parent / "backups") == []


def test_an_export_the_kernel_refuses_as_too_large_leaves_nothing_behind(tmp_path: Path) -> None:
    target = tmp_path / "agenda.ics"
    target.write_bytes(OLD)
    script = (
        "from pathlib import Path\nfrom db.files import write_atomically\nfrom db.engine import StoreError\n"
        f"try:\n    write_atomically(Path({str(target)!r}), b'x' * 100_000, '--output')\n"
        "except StoreError as exc:\n    print(exc)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        preexec_fn=_small_file_limit,
        env={**os.environ, "PYTHONPATH": str(PACKAGE_ROOT)},
        check=True,
    )
    assert "--output" in done.stdout and "too large" in done.stdout.lower()
    assert target.read_bytes() == OLD
    assert leftovers(tmp_path) == []


def _tmpfs_available() -> bool:
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(
        ["unshare", "--mount", "--map-root-user", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


needs_tmpfs = pytest.mark.skipif(
    not _tmpfs_available(), reason="no private mount namespace here to make a small full disk"
)


@needs_tmpfs
def test_a_backup_onto_a_full_disk_fails_cleanly(busy_diary: Path, tmp_path: Path) -> None:
    disk = tmp_path / "small-disk"
    disk.mkdir()
    target = disk / "weekly.sqlite3"
    # Inside a private mount namespace: a 64 KiB disk holding last week's backup; then `los backup`.
    script = f"""
set -e
mount -t tmpfs -o size=64k tmpfs {disk}
printf '%s' {OLD.decode().strip()!r} > {target}
set +e
{sys.executable} -m los_tui --db {busy_diary} backup -o {target}
echo "exit=$?"
echo "content=$(cat {target})"
echo "files=$(ls -A {disk} | tr '\\n' ' ')"
"""
    done = subprocess.run(
        ["unshare", "--mount", "--map-root-user", "sh", "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(PACKAGE_ROOT)},
        check=True,
    )
    assert "exit=2" in done.stdout
    assert "disk is full" in done.stderr and done.stderr.count("\n") == 1
    assert f"content={OLD.decode().strip()}" in done.stdout
    assert "files=weekly.sqlite3 \n" in done.stdout


def run_on_a_full_disk(disk: Path, commands: list[list[str]], old: tuple[Path, ...] = ()) -> str:
    """Mount a 64 KiB tmpfs on `disk` in a private mount namespace, write "old" into each of `old`, fill
    the disk to the last byte, then run each `los` command there; returns what was printed: each exit
    status and message, each `old` file's content afterwards, and the files left on the disk."""
    steps = "\n".join(
        f'{sys.executable} -m los_tui {shlex.join(command)}\necho "exit=$?"' for command in commands
    )
    script = f"""
set -e
mount -t tmpfs -o size=64k tmpfs {shlex.quote(str(disk))}
{"".join(f"printf old > {shlex.quote(str(path))}; " for path in old)}
dd if=/dev/zero of={shlex.quote(str(disk / "filler"))} bs=1k 2>/dev/null || true
set +e
{steps}
{"".join(f'echo "{path.name}=$(cat {shlex.quote(str(path))})"; ' for path in old)}
echo "files=$(ls -A {shlex.quote(str(disk))} | tr '\\n' ' ')"
"""
    done = subprocess.run(
        ["unshare", "--mount", "--map-root-user", "sh", "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(PACKAGE_ROOT)},
        check=True,
    )
    return done.stdout + done.stderr


@needs_tmpfs
def test_exports_onto_a_full_disk_fail_cleanly(busy_diary: Path, tmp_path: Path) -> None:
    assert main(["--db", str(busy_diary), "schedule", "lmcs-improvement-board", *BOARD_SCHEDULE]) == 0
    disk = tmp_path / "small-disk"
    disk.mkdir()
    ics, report = disk / "agenda.ics", disk / "q3-review.html"
    db = ["--db", str(busy_diary)]
    said = run_on_a_full_disk(
        disk,
        [
            [*db, "export", "ics", "-o", str(ics)],
            [*db, "review", "--quarter", "2026-Q4", "--format", "html", "-o", str(report)],
        ],
        old=(ics, report),
    )
    assert said.count("exit=2") == 2, said
    assert said.count("No space left on device") == 2, said
    assert f"{str(ics)!r}: could not be written" in said and f"{str(report)!r}: could not be written" in said
    assert "agenda.ics=old\n" in said and "q3-review.html=old\n" in said
    assert "files=agenda.ics filler q3-review.html \n" in said


@needs_tmpfs
def test_the_backups_folder_on_a_full_disk_fails_cleanly(busy_diary: Path, tmp_path: Path) -> None:
    folder = busy_diary.parent / "backups"
    folder.mkdir()
    said = run_on_a_full_disk(folder, [["--db", str(busy_diary), "backup"]])
    assert said.count("exit=2") == 1, said
    assert "los: warning: today's automatic backup failed" in said  # the daily one, first
    assert "los: error: backup" in said and "disk is full" in said
    assert "files=filler \n" in said


def test_an_io_error_at_fsync_keeps_the_old_backup(
    busy_diary: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "weekly.sqlite3"
    target.write_bytes(OLD)

    def failing_fsync(descriptor: int) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(StoreError, match="Input/output error"):
        backup_database(busy_diary, target)
    with pytest.raises(StoreError, match="Input/output error"):
        write_atomically(tmp_path / "agenda.ics", b"BEGIN:VCALENDAR\r\n")
    assert target.read_bytes() == OLD
    assert not (tmp_path / "agenda.ics").exists()
    assert leftovers(tmp_path) == []


def test_a_symlink_planted_at_the_destination_is_replaced_not_written_through(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_bytes(OLD)
    planted = tmp_path / "agenda.csv"
    planted.symlink_to(victim)
    write_atomically(planted, b"date,commitment\n")
    assert victim.read_bytes() == OLD
    assert not planted.is_symlink() and planted.read_bytes() == b"date,commitment\n"


def test_a_backup_over_a_planted_symlink_leaves_its_target_alone(diary: Diary, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_bytes(OLD)
    planted = tmp_path / "copy.sqlite3"
    planted.symlink_to(victim)
    diary.backup(planted)
    assert victim.read_bytes() == OLD and not planted.is_symlink()


def test_files_written_are_private_whatever_the_umask(tmp_path: Path) -> None:
    previous = os.umask(0o000)
    try:
        made = write_atomically(tmp_path / "report.md", b"# Q3\n")
    finally:
        os.umask(previous)
    assert stat.S_IMODE(made.stat().st_mode) == 0o600


def test_a_destination_in_a_missing_folder_or_a_folder_is_refused_by_name(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        write_atomically(tmp_path / "nowhere" / "a.csv", b"x", "--output")
    with pytest.raises(StoreError, match="is a directory"):
        write_atomically(tmp_path, b"x", "--output")
