"""Piping a listing into `head` closes the pipe early: the command stops quietly, as Unix tools do,
never with an error line about a file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_a_reader_that_went_away_gets_no_error_line(tmp_path: Path) -> None:
    env = {**os.environ, "LOS_DB": str(tmp_path / "diary.sqlite3"), "LOS_NOW": "2026-11-29T10:00:00+00:00"}
    reading_end, writing_end = os.pipe()
    os.close(reading_end)  # the reader is gone before the first line, as `head` is once it has its lines
    try:
        listing = subprocess.run(
            [sys.executable, "-m", "los_tui", "questions"],
            stdout=writing_end,
            stderr=subprocess.PIPE,
            env=env,
            timeout=60,
        )
    finally:
        os.close(writing_end)
    assert listing.stderr.decode() == ""
    assert listing.returncode == 141  # 128 + SIGPIPE, what the shell reports for a tool stopped so
