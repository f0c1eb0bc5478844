"""What the tests share besides fixtures: the fixed "now", the way to run `los` in a child process, and
where the code under test lives (imported by tests and by tests/conftest.py)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import los_tui

LONDON = ZoneInfo("Europe/London")
# A fixed "now" for every test: a Thursday in late November, after the October clock change.
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=LONDON)
PACKAGE_ROOT = Path(los_tui.__file__).resolve().parent.parent


@dataclass
class Result:
    code: int
    out: str
    err: str


def run_los_process(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m los_tui ARGS`, in a child process, against the code under test."""
    child_env = {**os.environ, "PYTHONPATH": str(PACKAGE_ROOT), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "los_tui", *args],
        capture_output=True,
        text=True,
        env=child_env,
        timeout=120,
        check=False,
    )


def put_an_index_out_of_step(path: Path) -> None:
    """Change one letter of a slug inside the commitments' unique index, not in the table: the b-tree
    stays well formed (quick_check passes), but the index no longer matches its rows."""
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        (root,) = connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE type = 'index' AND tbl_name = 'commitments'"
        ).fetchone()
    connection.close()
    data = bytearray(path.read_bytes())
    page = slice((root - 1) * page_size, root * page_size)
    at = bytes(data[page]).index(b"lmcs-cicc") + (root - 1) * page_size
    data[at + len("lmcs-cic")] = ord("d")
    path.write_bytes(bytes(data))
