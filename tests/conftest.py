"""Shared fixtures: real diary files in temporary folders, the real `los` command, a fixed "now"."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import los_tui
from los_tui.cli import main
from los_tui.services.diary import Diary

LONDON = ZoneInfo("Europe/London")
# A fixed "now" for every test: a Thursday in late November, after the October clock change.
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=LONDON)
PACKAGE_ROOT = Path(los_tui.__file__).resolve().parent.parent


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the user's real diary, config and data directory out of every test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("LOS_NOW", NOW.replace(tzinfo=None).isoformat())
    monkeypatch.delenv("LOS_DB", raising=False)
    monkeypatch.delenv("LOS_DEBUG", raising=False)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "diary" / "diary.sqlite3"


@pytest.fixture
def los(db_path: Path, capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    """Run `los --db <db_path> ARGS...` in this process, as a user would type it."""

    def run(*args: str) -> Result:
        code = main(["--db", str(db_path), *args])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture
def seeded(los: Callable[..., Result]) -> Callable[..., Result]:
    assert los("init").code == 0
    return los


@pytest.fixture
def diary(db_path: Path) -> Iterator[Diary]:
    opened = Diary.open(db_path, clock=lambda: NOW)
    opened.init("both")
    yield opened
    opened.close()


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
