"""Two diaries open at once (two terminals, or the TUI and `los`): every write lands or is refused with a
clear message, nothing is lost, and each side can see that the other has written (PRAGMA data_version)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from diary_testing import NOW, PACKAGE_ROOT, Result, run_los_process

from los_tui.db.engine import StoreError
from los_tui.services.diary import Diary

WRITER = Path(__file__).with_name("concurrent_writer.py")
WRITES_EACH = 150
CLI_WRITES = 20
CLI_RETRIES = 10
SECRET = "Child R. disclosed at the visit"


@pytest.fixture
def set_up(diary: Diary, db_path: Path) -> Iterator[Path]:
    diary.close()
    yield db_path


def start_writer(db: Path, tag: str, count: int) -> subprocess.Popen[str]:
    writer = subprocess.Popen(
        [sys.executable, str(WRITER), str(db), tag, str(count)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(PACKAGE_ROOT)},
    )
    assert writer.stdout is not None and writer.stdout.readline() == "ready\n"
    return writer


def notes(db: Path) -> dict[int, str]:
    with sqlite3.connect(db) as connection:
        return dict(connection.execute("SELECT id, note FROM occurrence_logs"))


@pytest.mark.slow
def test_two_diaries_and_the_command_line_writing_at_once_lose_nothing(set_up: Path) -> None:
    writers = [start_writer(set_up, tag, WRITES_EACH) for tag in ("first", "second")]
    cli_results: dict[int, list[subprocess.CompletedProcess[str]]] = {}

    def cli_writes() -> None:
        for i in range(CLI_WRITES):
            tries = cli_results.setdefault(i, [])
            for _ in range(CLI_RETRIES):  # a refused `los log` is run again, as a user would
                tries.append(
                    run_los_process(
                        "--db",
                        str(set_up),
                        "log",
                        "lmcs-team-visits",
                        "--on",
                        f"2026-09-{i + 1:02d}T09:00",
                        "--status",
                        "attended",
                        "--note",
                        f"cli {i}",
                    )
                )
                if tries[-1].returncode == 0:
                    break

    cli = threading.Thread(target=cli_writes)
    cli.start()
    for writer in writers:
        assert writer.stdin is not None
        writer.stdin.write("go\n")
        writer.stdin.flush()
    outputs = [writer.communicate(timeout=300)[0].splitlines() for writer in writers]
    cli.join(timeout=300)

    stored = notes(set_up)
    landed = refused = 0
    for tag, lines in zip(("first", "second"), outputs, strict=True):
        landed_here = set()
        for line in lines:
            verdict, rest = line.split(" ", 1)
            if verdict == "landed":
                log_id, i = rest.split()
                assert stored[int(log_id)] == f"{tag} {i}"
                landed_here.add(int(i))
            else:  # refused: said so plainly, and nothing of it is in the diary until a retry lands
                assert verdict == "refused", line
                i, message = rest.split(" ", 1)
                assert "nothing was changed" in message and "\n" not in message
                refused += 1
        assert landed_here == set(range(WRITES_EACH)), f"{tag}: {WRITES_EACH - len(landed_here)} never landed"
        landed += len(landed_here)
    for i, tries in cli_results.items():
        for done in tries[:-1]:
            assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
            refused += 1
        assert tries[-1].returncode == 0, tries[-1].stderr
        assert list(stored.values()).count(f"cli {i}") == 1  # landed once, whatever was refused before
        landed += 1
    attempted = 2 * WRITES_EACH + CLI_WRITES
    print(f"\nconcurrent writes: {attempted} attempted, {landed} landed, {refused} refusals retried")
    assert landed == attempted == len(stored)  # every write landed, once: none lost, none doubled
    with sqlite3.connect(set_up) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def test_a_write_refused_while_another_holds_the_diary_says_so_and_can_be_retried(set_up: Path) -> None:
    diary = Diary.open(set_up, clock=lambda: NOW)
    occurrence = diary.meetings.log("lmcs-team-visits", NOW, True, None).occurrence
    blocker = sqlite3.connect(set_up, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another program holds the write lock past our busy timeout
    cli_result: list[subprocess.CompletedProcess[str]] = []
    cli = threading.Thread(
        target=lambda: cli_result.append(
            run_los_process(
                "--db",
                str(set_up),
                "log",
                "lmcs-team-visits",
                "--on",
                "2026-11-20",
                "--status",
                "missed",
                "--note",
                SECRET,
            )
        )
    )
    cli.start()
    try:
        with pytest.raises(StoreError) as refused:
            diary.meetings.save_note(occurrence, SECRET)
        cli.join(timeout=120)
    finally:
        blocker.rollback()
        blocker.close()
    message = str(refused.value)
    assert "locked" in message and "nothing was changed" in message and SECRET not in message
    (done,) = cli_result
    assert done.returncode == 2 and "locked" in done.stderr and SECRET not in done.stderr
    assert SECRET not in notes(set_up).values()
    # The note the user typed is still in their hands; once the other program lets go it lands.
    assert diary.meetings.save_note(occurrence, SECRET).note == SECRET
    assert SECRET in notes(set_up).values()
    diary.close()


def test_the_diary_notices_when_the_command_line_writes(set_up: Path, los: Callable[..., Result]) -> None:
    diary = Diary.open(set_up, clock=lambda: NOW)
    before = diary.data_version()
    diary.meetings.agenda(NOW.date(), NOW.date())
    assert diary.data_version() == before  # reading changes nothing
    assert (
        run_los_process(
            "--db", str(set_up), "add", "--title", "MASH visit", "--role", "lmcs", "--frequency", "quarterly"
        ).returncode
        == 0
    )
    after = diary.data_version()
    assert after != before
    assert diary.data_version() == after
    assert "lmcs-mash-visit" in [c.slug for c in diary.commitments.list()]
    diary.close()
