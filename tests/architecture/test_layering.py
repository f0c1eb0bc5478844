"""Imports point one way: the domain, db and exports never load Textual; the CLI loads neither Textual
nor icalendar unless it needs them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from diary_testing import PACKAGE_ROOT

CORE_MODULES = [
    "los_tui.domain.model",
    "los_tui.domain.recurrence",
    "los_tui.domain.agenda",
    "los_tui.domain.parsing",
    "los_tui.domain.safe_text",
    "los_tui.domain.rule_builder",
    "los_tui.domain.guidance",
    "los_tui.db.reader",
    "los_tui.db.store",
    "los_tui.db.engine",
    "los_tui.db.writer",
    "los_tui.db.migrate",
    "los_tui.db.seed",
    "los_tui.db.backup",
    "los_tui.exports",
    "los_tui.exports.ical_reader",
    "los_tui.exports.ical",
    "los_tui.services.diary",
    "los_tui.services.ical",
    "los_tui.cli",
    "los_tui.cli.ics",
]


def loaded_after(code: str) -> set[str]:
    script = f"import sys\n{code}\nprint(' '.join(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(PACKAGE_ROOT)},
    )
    return set(done.stdout.split())


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_modules_load_no_textual(module: str) -> None:
    assert "textual" not in loaded_after(f"import {module}")


@pytest.mark.parametrize("module", [m for m in CORE_MODULES if m.startswith("los_tui.domain")])
def test_the_domain_loads_no_sqlalchemy(module: str) -> None:
    assert "sqlalchemy" not in loaded_after(f"import {module}")


SERVICES = ["diary", "commitments", "meetings", "actions", "review", "ical", "first_look"]


@pytest.mark.parametrize("module", [f"los_tui.services.{name}" for name in SERVICES])
def test_services_never_load_sqlalchemy_by_being_imported(module: str) -> None:
    # Services reach storage through db.store's Reader and Writer; only a write loads SQLAlchemy.
    assert "sqlalchemy" not in loaded_after(f"import {module}")


def test_the_first_screens_reading_loads_neither_the_guidance_nor_the_statement() -> None:
    # The first look reads through db.reader before the app's first paint; the guidance (a TOML of 107
    # questions) and the assurance statement are for the meeting screen and the year-end, later.
    loaded = loaded_after("import los_tui.services.first_look")
    assert "los_tui.db.reader" in loaded
    assert not {"los_tui.domain.assurance", "los_tui.domain.guidance"} & loaded


def test_a_cli_agenda_run_loads_neither_textual_nor_icalendar(tmp_path: Path) -> None:
    db = tmp_path / "d.sqlite3"
    modules = loaded_after(
        "from los_tui.cli import main\n"
        f"assert main(['--db', {str(db)!r}, 'init']) == 0\n"
        f"assert main(['--db', {str(db)!r}, 'agenda', '--from', '2026-01-01', '--to', '2026-03-31']) == 0"
    )
    assert "textual" not in modules
    assert "icalendar" not in modules
    assert "alembic" in modules  # the first run migrates ...


def test_an_up_to_date_diary_opens_without_loading_alembic(tmp_path: Path) -> None:
    db = tmp_path / "d.sqlite3"
    loaded_after(f"from los_tui.cli import main\nassert main(['--db', {str(db)!r}, 'init']) == 0")
    modules = loaded_after(f"from los_tui.cli import main\nassert main(['--db', {str(db)!r}, 'agenda']) == 0")
    assert "alembic" not in modules  # ... and later runs compare one string instead
    assert "los_tui.db.writer" not in modules  # reading goes through db.reader: nothing of the writer


READING_COMMANDS = [
    ["agenda", "--from", "2026-01-01", "--to", "2026-03-31"],
    ["review", "--quarter", "2026-Q4", "--as-of", "2026-11-26"],
    ["commitments"],
    ["search", "board", "--from", "2026-01-01"],
    ["export", "ics", "-o", "{tmp}/out.ics"],
    ["import", "ics", "{tmp}/board.ics"],  # a dry run: it shows what it would log
]


@pytest.mark.parametrize("command", READING_COMMANDS)
def test_reading_commands_never_import_sqlalchemy(tmp_path: Path, command: list[str]) -> None:
    db = tmp_path / "d.sqlite3"
    loaded_after(
        "from los_tui.cli import main\n"
        f"assert main(['--db', {str(db)!r}, 'init']) == 0\n"
        f"assert main(['--db', {str(db)!r}, 'schedule', 'lmcs-improvement-board', '--rrule',"
        " 'FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2', '--start', '2026-01-13T18:30']) == 0\n"
        f"assert main(['--db', {str(db)!r}, 'export', 'ics', '-o', {str(tmp_path / 'board.ics')!r}]) == 0"
    )
    command = [part.replace("{tmp}", str(tmp_path)) for part in command]
    modules = loaded_after(
        f"from los_tui.cli import main\nassert main(['--db', {str(db)!r}, *{command!r}]) == 0"
    )
    # Importing SQLAlchemy costs more than the rest of a reading command (and ~14 MB): only writers need it.
    assert "sqlalchemy" not in modules


@pytest.mark.parametrize("command", READING_COMMANDS)
def test_reading_commands_on_a_server_import_neither_sqlalchemy_nor_psycopg_3(
    pg_server: Any, tmp_path: Path, command: list[str]
) -> None:
    """On a server too, reading goes through db.reader, over psycopg2: psycopg 3's import (asyncio,
    logging, ctypes, importlib.metadata) cost a reading command more than the rest of its run."""
    from pg_server import fresh_server_diary

    from los_tui.cli import main

    url = fresh_server_diary(pg_server).url
    assert main(["--db", url, "init", "--role", "lmcs"]) == 0
    schedule = ["schedule", "lmcs-improvement-board", "--rrule", "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2"]
    assert main(["--db", url, *schedule, "--start", "2026-01-13T18:30"]) == 0
    assert main(["--db", url, "export", "ics", "-o", str(tmp_path / "board.ics")]) == 0
    command = [part.replace("{tmp}", str(tmp_path)) for part in command]
    modules = loaded_after(f"from los_tui.cli import main\nassert main(['--db', {url!r}, *{command!r}]) == 0")
    assert "psycopg2" in modules  # it did read the server
    assert not {name for name in modules if name.split(".")[0] in ("psycopg", "sqlalchemy")}


def test_what_the_tui_reads_never_imports_sqlalchemy_and_a_write_does(tmp_path: Path) -> None:
    db = tmp_path / "d.sqlite3"
    now = "datetime(2026, 11, 26, 10, tzinfo=ZoneInfo('Europe/London'))"
    loaded_after(
        "from los_tui.cli import main\n"
        f"assert main(['--db', {str(db)!r}, 'init']) == 0\n"
        f"assert main(['--db', {str(db)!r}, 'log', 'lmcs-improvement-board', '--on', '2026-11-02',"
        " '--status', 'attended', '--note', 'visited']) == 0"
    )
    modules = loaded_after(
        "from datetime import date, datetime\n"
        "from pathlib import Path\n"
        "from zoneinfo import ZoneInfo\n"
        "from los_tui.services.diary import Diary\n"
        f"diary = Diary.open(Path({str(db)!r}), lambda: {now})\n"
        "logged = [o for o in diary.meetings.agenda(date(2026, 11, 1), date(2026, 11, 30)) if o.log_id]\n"
        "assert logged\n"
        "assert diary.meetings.reload(logged[0]).note == 'visited'\n"
        "diary.actions.list(logged[0])\n"
        "assert diary.meetings.view(logged[0])[0].note == 'visited'\n"
        "assert diary.meetings.search('visited')\n"
        "from los_tui.domain.model import Role\n"
        "from los_tui.domain.periods import Quarter\n"
        "quarter = Quarter.parse('2026-Q3').period\n"
        f"assert diary.review.load(quarter, {now}, (Role.LMCS, Role.DCS)).heatmap\n"
        "assert 'sqlalchemy' not in sys.modules, 'a read loaded SQLAlchemy'\n"
        "diary.meetings.save_note(logged[0], 'visited again')\n"
        "assert diary.meetings.reload(logged[0]).note == 'visited again'\n"
        "diary.close()"
    )
    # The month, a meeting, search and the review are reads: they must not pay for SQLAlchemy (its
    # import time, ~14 MB). Saving a note loads its Core, never the ORM, and reads after it still read
    # the store.
    assert "sqlalchemy" in modules and "los_tui.db.writer" in modules
    assert "sqlalchemy.orm" not in modules


@pytest.mark.parametrize(("shape", "loads_jinja"), [("md", False), ("csv", False), ("html", True)])
def test_only_an_html_report_loads_the_template_engine(tmp_path: Path, shape: str, loads_jinja: bool) -> None:
    db = tmp_path / "d.sqlite3"
    loaded_after(f"from los_tui.cli import main\nassert main(['--db', {str(db)!r}, 'init']) == 0")
    out = tmp_path / f"r.{shape}"
    modules = loaded_after(
        "from los_tui.cli import main\n"
        f"assert main(['--db', {str(db)!r}, 'review', '--format', {shape!r}, '-o', {str(out)!r}]) == 0"
    )
    assert ("jinja2" in modules) is loads_jinja
