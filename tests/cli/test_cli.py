"""The command line, end to end against a real diary file: the contract users script against."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from diary_testing import Result, run_los_process

BOARD = [
    "schedule",
    "lmcs-improvement-board",
    "--rrule",
    "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2",
    "--start",
    "2026-01-13T18:30",
    "--duration",
    "120",
    "--location",
    "Town Hall",
]


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as connection:
        return connection.execute(sql).fetchall()


def digest(db: Path) -> str:
    """The diary's content (not its bytes, which WAL checkpoints may reorder)."""
    with sqlite3.connect(db) as connection:
        return hashlib.sha256("\n".join(connection.iterdump()).encode()).hexdigest()


def test_help_is_there_for_every_command(los: Callable[..., Result]) -> None:
    for command in ["init", "commitments", "add", "retire", "schedule", "agenda", "log", "move", "backup"]:
        with pytest.raises(SystemExit) as done:
            los(command, "--help")
        assert done.value.code == 0


def test_init_creates_a_private_diary_and_running_it_again_changes_nothing(
    seeded: Callable[..., Result], db_path: Path
) -> None:
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(db_path.parent.stat().st_mode) == 0o700
    before = digest(db_path)
    again = seeded("init")
    assert again.code == 0 and "nothing changed" in again.out
    assert digest(db_path) == before


def test_commitments_json_lists_every_seeded_line_with_its_schedule(
    seeded: Callable[..., Result], db_path: Path
) -> None:
    seeded(*BOARD)
    ((uid,),) = rows(db_path, "SELECT ical_uid FROM schedules")
    data = json.loads(seeded("commitments", "--json").out)
    assert len(data) == 34
    board = next(c for c in data if c["slug"] == "lmcs-improvement-board")
    assert board["schedule"] == {
        "rrule": "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2",
        "start": "2026-01-13T18:30+00:00",
        "duration_minutes": 120,
        "location": "Town Hall",
        "tz": "Europe/London",
        "from": "2026-01-13",
        "uid": uid,  # the series' stored UID, which exports keep
        "sequence": 0,
        "description": "second Tuesday of every month, 18:30-20:30, Town Hall",
    }
    assert uid.endswith("@los-tui") and len(uid) > len("@los-tui")
    assert {c["role"] for c in json.loads(seeded("commitments", "--role", "dcs", "--json").out)} == {"dcs"}


def test_agenda_json_gives_local_times_with_their_offsets(seeded: Callable[..., Result]) -> None:
    seeded(*BOARD)
    data = json.loads(seeded("agenda", "--from", "2026-03-01", "--to", "2026-04-30", "--json").out)
    assert [(o["start"], o["end"], o["status"]) for o in data] == [
        ("2026-03-10T18:30+00:00", "2026-03-10T20:30+00:00", "scheduled"),
        ("2026-04-14T18:30+01:00", "2026-04-14T20:30+01:00", "scheduled"),
    ]
    assert data[0]["commitment"] == "lmcs-improvement-board"


def test_logging_attendance_with_a_note_is_kept(seeded: Callable[..., Result], db_path: Path) -> None:
    seeded(*BOARD)
    result = seeded(
        "log",
        "lmcs-improvement-board",
        "--on",
        "2026-03-10",
        "--status",
        "attended",
        "--note",
        "Asked about agency staff",
    )
    assert result.code == 0, result.err
    data = json.loads(
        seeded("agenda", "--from", "2026-03-10", "--to", "2026-03-10", "--json", "--include-notes").out
    )
    assert data[0]["status"] == "attended" and data[0]["note"] == "Asked about agency staff"
    plain = json.loads(seeded("agenda", "--from", "2026-03-10", "--to", "2026-03-10", "--json").out)
    assert "note" not in plain[0] and plain[0]["has_note"] is True


def test_a_status_and_note_land_together_or_not_at_all(seeded: Callable[..., Result], db_path: Path) -> None:
    seeded(*BOARD)
    with sqlite3.connect(db_path) as connection:  # the note's write fails, as on a full disk
        connection.execute(
            "CREATE TRIGGER refuse_note BEFORE UPDATE OF note ON occurrence_logs WHEN NEW.note != '' "
            "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
        )
    connection.close()
    before = digest(db_path)
    result = seeded(
        "log", "lmcs-improvement-board", "--on", "2026-03-10", "--status", "attended", "--note", "Asked"
    )
    assert result.code != 0 and "nothing was changed" in result.err
    assert "Asked" not in result.err
    assert digest(db_path) == before  # the status did not land without its note


def test_logging_where_nothing_is_scheduled_records_an_ad_hoc_entry(seeded: Callable[..., Result]) -> None:
    result = seeded("log", "lmcs-team-visits", "--on", "2026-10-02T14:00", "--status", "attended")
    assert "ad hoc" in result.out
    data = json.loads(seeded("agenda", "--from", "2026-10-01", "--to", "2026-10-31", "--json").out)
    assert [(o["commitment"], o["start"], o["adhoc"]) for o in data] == [
        ("lmcs-team-visits", "2026-10-02T14:00+01:00", True)
    ]


def test_moving_one_occurrence_leaves_the_series_alone(seeded: Callable[..., Result]) -> None:
    seeded(*BOARD)
    assert (
        seeded("move", "lmcs-improvement-board", "--on", "2026-04-14", "--to", "2026-04-16T10:00").code == 0
    )
    data = json.loads(seeded("agenda", "--from", "2026-03-01", "--to", "2026-05-31", "--json").out)
    assert [(o["start"], o["moved"]) for o in data] == [
        ("2026-03-10T18:30+00:00", False),
        ("2026-04-16T10:00+01:00", True),
        ("2026-05-12T18:30+01:00", False),
    ]
    # The moved meeting can be logged by its new date.
    seeded("log", "lmcs-improvement-board", "--on", "2026-04-16", "--status", "delegated")
    data = json.loads(seeded("agenda", "--from", "2026-04-01", "--to", "2026-04-30", "--json").out)
    assert data[0]["status"] == "delegated"


def test_a_schedule_changed_from_a_date_keeps_earlier_meetings(seeded: Callable[..., Result]) -> None:
    seeded(*BOARD)
    seeded(
        "schedule",
        "lmcs-improvement-board",
        "--rrule",
        "FREQ=MONTHLY;BYDAY=TH;BYSETPOS=1",
        "--start",
        "2026-07-02T10:00",
        "--from",
        "2026-07-01",
    )
    data = json.loads(seeded("agenda", "--from", "2026-05-01", "--to", "2026-08-31", "--json").out)
    assert [o["start"][:16] for o in data] == [
        "2026-05-12T18:30",
        "2026-06-09T18:30",
        "2026-07-02T10:00",
        "2026-08-06T10:00",
    ]


def test_added_commitments_can_be_retired_and_drop_out_of_the_list(seeded: Callable[..., Result]) -> None:
    added = json.loads(
        seeded(
            "add", "--title", "Visit to the MASH", "--role", "lmcs", "--frequency", "quarterly", "--json"
        ).out
    )
    assert added["slug"] == "lmcs-visit-to-the-mash" and added["frequency"] == "quarterly"
    assert seeded("retire", added["slug"]).code == 0
    slugs = [c["slug"] for c in json.loads(seeded("commitments", "--json").out)]
    assert added["slug"] not in slugs
    assert added["slug"] in [c["slug"] for c in json.loads(seeded("commitments", "--all", "--json").out)]


def test_backup_writes_a_checked_private_copy(seeded: Callable[..., Result], tmp_path: Path) -> None:
    seeded(*BOARD)
    target = tmp_path / "copy.sqlite3"
    result = seeded("backup", "-o", str(target))
    assert result.code == 0, result.err
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert rows(target, "PRAGMA integrity_check") == [("ok",)]
    assert rows(target, "SELECT count(*) FROM schedules") == [(1,)]


BAD_INPUTS = [
    (["log", "no-such-slug", "--on", "2026-03-10", "--status", "attended"], "no-such-slug"),
    (["log", "lmcs-improvement-board", "--on", "2026-02-30", "--status", "attended"], "2026-02-30"),
    (["log", "lmcs-improvement-board", "--on", "2026-03-10", "--status", "went"], "went"),
    (["log", "lmcs-improvement-board", "--on", "2026-03-29T01:30", "--status", "attended"], "01:30"),
    (
        ["schedule", "lmcs-cicc", "--rrule", "FREQ=MONTHLY;INTERVAL=0", "--start", "2026-01-01T10:00"],
        "INTERVAL",
    ),
    (["schedule", "lmcs-cicc", "--rrule", "FREQ=SOMETIMES", "--start", "2026-01-01T10:00"], "FREQ=SOMETIMES"),
    (["schedule", "lmcs-cicc", "--rrule", "FREQ=MONTHLY", "--start", "2026-01-01"], "2026-01-01"),
    (
        [
            "schedule",
            "lmcs-cicc",
            "--rrule",
            "FREQ=MONTHLY",
            "--start",
            "2026-01-01T10:00",
            "--duration",
            "-5",
        ],
        "-5",
    ),
    (
        ["schedule", "lmcs-cicc", "--rrule", "FREQ=MONTHLY", "--start", "2026-01-01T10:00", "--from", "soon"],
        "soon",
    ),
    (["add", "--title", "X", "--role", "mayor", "--frequency", "monthly"], "mayor"),
    (["add", "--title", "X", "--role", "lmcs", "--frequency", "fortnightly"], "fortnightly"),
    (["add", "--title", " ", "--role", "lmcs", "--frequency", "monthly"], "--title"),
    (["agenda", "--from", "2026-05-01", "--to", "2026-04-01"], "2026-04-01"),
    (["agenda", "--role", "ceo"], "ceo"),
    (["move", "lmcs-improvement-board", "--on", "2026-03-11", "--to", "2026-03-12T10:00"], "2026-03-11"),
    (["move", "lmcs-improvement-board", "--on", "2026-03-10", "--to", "2026-03-12"], "2026-03-12"),
    (["retire", "no-such-slug"], "no-such-slug"),
    (["init", "--role", "mayor"], "mayor"),
    (["backup", "-o", "/no/such/folder/x.sqlite3"], "/no/such/folder"),
    (["agenda", "--bogus"], "--bogus"),
]


@pytest.mark.parametrize(("args", "named"), BAD_INPUTS, ids=[" ".join(a) for a, _ in BAD_INPUTS])
def test_bad_input_gets_one_line_naming_it_exit_2_and_nothing_written(
    seeded: Callable[..., Result], db_path: Path, args: list[str], named: str
) -> None:
    seeded(*BOARD)
    before = digest(db_path)
    result = seeded(*args)
    assert result.code == 2
    assert named in result.err
    assert "Traceback" not in result.err and len(result.err.strip().splitlines()) == 1
    assert digest(db_path) == before


def test_a_file_that_is_not_our_database_is_refused_and_never_written(
    los: Callable[..., Result], db_path: Path
) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"Dear diary, this is a letter, not a database.\n" * 10)
    before = db_path.read_bytes()
    result = los("init")
    assert result.code == 2 and "not a los-tui database" in result.err
    assert db_path.read_bytes() == before


def test_another_programs_sqlite_database_is_refused_and_never_written(
    los: Callable[..., Result], db_path: Path
) -> None:
    db_path.parent.mkdir(parents=True)
    with sqlite3.connect(db_path) as connection:
        connection.execute("CREATE TABLE other (x)")
    before = db_path.read_bytes()
    for args in (["init"], ["agenda"], ["backup"]):
        result = los(*args)
        assert result.code == 2 and "not a los-tui diary" in result.err
    assert db_path.read_bytes() == before


def test_commands_other_than_init_do_not_create_a_diary(los: Callable[..., Result], db_path: Path) -> None:
    result = los("agenda")
    assert result.code == 2 and "los init" in result.err
    assert not db_path.exists()


def test_the_diary_file_can_come_from_los_db(tmp_path: Path) -> None:
    target = tmp_path / "from-env.sqlite3"
    done = run_los_process("init", "--role", "dcs", env={"LOS_DB": str(target)})
    assert done.returncode == 0, done.stderr
    assert rows(target, "SELECT count(*) FROM commitments") == [(18,)]


def test_the_default_diary_lives_in_the_user_data_directory() -> None:
    done = run_los_process("init")
    assert done.returncode == 0, done.stderr
    expected = Path(os.environ["XDG_DATA_HOME"]) / "los-tui" / "diary.sqlite3"
    assert str(expected) in done.stdout and expected.exists()


def test_a_broken_config_file_is_named(tmp_path: Path, los: Callable[..., Result]) -> None:
    config = tmp_path / "config.toml"
    config.write_text("timezone = 'Mars/Olympus'\n")
    result = los("--config", str(config), "agenda")
    assert result.code == 2 and "Mars/Olympus" in result.err
