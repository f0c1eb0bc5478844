"""What the tests share besides fixtures: the fixed "now", the way to run `los` in a child process, and
where the code under test lives (imported by tests and by tests/conftest.py)."""

from __future__ import annotations

import os
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
