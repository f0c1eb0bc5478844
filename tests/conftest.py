"""Shared fixtures: real diary files in temporary folders, the real `los` command, a fixed "now"."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from diary_testing import NOW, Result

from los_tui.cli import main
from los_tui.services.diary import Diary

TESTS = Path(__file__).resolve().parent
LAYERS = ("domain", "store", "cli", "tui", "reliability", "architecture")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test with its layer (its folder under tests/), so `pytest -m tui` runs one layer."""
    for item in items:
        layer = item.path.resolve().relative_to(TESTS).parts[0]
        if layer in LAYERS:
            item.add_marker(getattr(pytest.mark, layer))


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
