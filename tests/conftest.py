"""Shared fixtures: real diary files in temporary folders, the real `los` command, a fixed "now"; and the
same diary on a real PostgreSQL server for the modules marked `both_backends`.

One fixture, two parameters: in a module marked `pytestmark = pytest.mark.both_backends`, `db_path` (and
with it `los`, `seeded`, `diary`) is a diary file and then a fresh database on the server the tests start
once per session (tests/pg_server.py), each test's own. Elsewhere it is the file alone. Where PostgreSQL
is not installed the server's half skips, saying why; in CI (CI=true) it fails instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from diary_testing import NOW, Result, location_argument

from los_tui.cli import main
from los_tui.services.diary import Diary

BACKENDS = ("sqlite", "postgresql")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "both_backends: run the module's diary tests on a file and on a PostgreSQL server"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames and metafunc.definition.get_closest_marker("both_backends"):
        metafunc.parametrize("backend", BACKENDS)


@pytest.fixture
def backend() -> str:
    return "sqlite"  # a module marked both_backends parametrizes this with both (pytest_generate_tests)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Any]:
    """A real PostgreSQL server for the session, with a template diary at the schema's head."""
    from pg_server import TEMPLATE, running_server

    from los_tui.db.paths import ServerDiary
    from los_tui.db.server import migrate_server

    with running_server() as server:
        done = server.psql("postgres", f'CREATE DATABASE "{TEMPLATE}"')
        assert done.returncode == 0, done.stderr
        migrate_server(ServerDiary(server.url(TEMPLATE)))
        yield server


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
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))  # a server diary's kept expansions
    monkeypatch.setenv("LOS_NOW", NOW.replace(tzinfo=None).isoformat())
    monkeypatch.delenv("LOS_DB", raising=False)
    monkeypatch.delenv("LOS_DEBUG", raising=False)


@pytest.fixture
def db_path(tmp_path: Path, backend: str, request: pytest.FixtureRequest) -> Iterator[Path]:
    """Where the test's diary is: a file, or (backend "postgresql") a ServerDiary, dropped after."""
    if backend != "postgresql":
        yield tmp_path / "diary" / "diary.sqlite3"
        return
    from pg_server import fresh_server_diary

    server = request.getfixturevalue("pg_server")
    where = fresh_server_diary(server)
    yield where
    server.psql(
        "postgres", f'DROP DATABASE IF EXISTS "{where.url.split("/")[-1].split("?")[0]}" WITH (FORCE)'
    )


@pytest.fixture
def los(db_path: Path, capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    """Run `los --db <db_path> ARGS...` in this process, as a user would type it."""

    def run(*args: str) -> Result:
        code = main(["--db", location_argument(db_path), *args])
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
