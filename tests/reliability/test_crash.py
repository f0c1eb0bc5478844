"""Nothing acknowledged is lost: a writer SIGKILLed at random moments, hundreds of times, over one diary.

The writer (tests/reliability/crash_writer.py) reports each write only after it has committed; after every
kill the diary must still pass `integrity_check` at the end and hold every write that was reported.
"""

from __future__ import annotations

import json
import os
import queue
import random
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from crash_writer import SLUG, note_for
from diary_testing import NOW, PACKAGE_ROOT

from los_tui.services.diary import Diary

KILLS = int(os.environ.get("LOS_CRASH_KILLS", "200"))
WRITER = Path(__file__).with_name("crash_writer.py")


def _lines(stream: object, into: queue.Queue[dict[str, object]]) -> None:
    for line in stream:
        into.put(json.loads(line))


def _next(
    lines: queue.Queue[dict[str, object]], kind: str, seen: list[dict[str, object]]
) -> dict[str, object]:
    while True:
        record = lines.get(timeout=60)
        if record["kind"] == kind:
            return record
        seen.append(record)


@pytest.mark.slow
def test_a_writer_killed_at_random_moments_never_loses_a_reported_write(db_path: Path) -> None:
    diary = Diary.open(db_path, clock=lambda: NOW)
    diary.init("both")
    diary.close()
    chance = random.Random(int(os.environ.get("LOS_CRASH_SEED", "20261126")))
    zygote = subprocess.Popen(
        [sys.executable, str(WRITER), str(db_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": f"{PACKAGE_ROOT}{os.pathsep}{WRITER.parent}"},
    )
    assert zygote.stdin is not None and zygote.stdout is not None
    lines: queue.Queue[dict[str, object]] = queue.Queue()
    threading.Thread(target=_lines, args=(zygote.stdout, lines), daemon=True).start()
    reported: list[dict[str, object]] = []
    killed = rounds = 0
    try:
        # Kill KILLS times, and go on until more writes than kills have been reported: on a loaded machine
        # a writer may be killed before its first write, and a run of empty rounds proves nothing.
        while killed < KILLS or sum(1 for r in reported if r["kind"] == "log") <= KILLS:
            rounds += 1
            zygote.stdin.write(f"go {rounds}\n")
            zygote.stdin.flush()
            pid = int(_next(lines, "pid", reported)["pid"])
            # Mostly mid-write (timed from the diary being open, however long a loaded machine takes to
            # open it); now and then while the diary is still being opened.
            if chance.random() < 0.1:
                threading.Event().wait(chance.uniform(0.0, 0.005))
            else:
                _next(lines, "ready", reported)
                threading.Event().wait(chance.uniform(0.02, 0.12))
            os.kill(pid, signal.SIGKILL)
            if _next(lines, "dead", reported)["signal"] == signal.SIGKILL:
                killed += 1
            assert rounds < KILLS * 20, "the writer commits too little before it is killed to prove anything"
    finally:
        zygote.stdin.close()
        zygote.wait(timeout=60)
    while not lines.empty():
        reported.append(lines.get())

    with sqlite3.connect(db_path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        notes = dict(connection.execute("SELECT id, note FROM occurrence_logs"))
        actions = dict(connection.execute("SELECT id, text FROM actions"))
        questions = dict(connection.execute("SELECT id, questions FROM occurrence_logs"))
    logs = [r for r in reported if r["kind"] == "log"]
    assert len(logs) > KILLS, "too few writes committed to prove anything"
    for record in logs:
        assert notes[record["id"]] == note_for(record["round"], record["seq"])
    for record in (r for r in reported if r["kind"] == "action"):
        assert actions[record["id"]] == record["text"]
    for record in (r for r in reported if r["kind"] == "questions"):
        assert int(questions[record["id"]]) >= record["seq"]
    reopened = Diary.open(db_path, clock=lambda: NOW, create=False)
    assert not reopened.read_only
    assert len(
        [
            f
            for f in reopened.meetings.search("Ofsted", limit=len(logs) + 1000)
            if f.occurrence.commitment_slug == SLUG
        ]
    ) >= len(logs)
    reopened.close()
    print(f"\ncrash harness: {killed} kills in {rounds} rounds, {len(reported)} reported writes all present")
