"""Sharing a diary, as the lead member and their PA type it: the owner puts their diary on the council's
server with `los copy`, grants the PA, and the PA keeps the diary from their own login without ever seeing
a note; a viewer reads and changes nothing; `los backup` brings the server diary home as a file."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable
from itertools import count
from pathlib import Path

import pytest
from diary_testing import Result
from pg_server import Server
from pg_testing import engine_for, fresh_database, make_role

from los_tui.cli import main

OWNER, PA, OFFICE = "lead_member", "pa_smith", "dcs_office"
SECRET = "Child A placement at risk"
BOARD = ["schedule", "lmcs-improvement-board", "--rrule", "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2", "--start",
         "2026-01-13T18:30", "--duration", "120", "--location", "Town Hall"]  # fmt: skip
MARCH = ["--from", "2026-03-10", "--to", "2026-03-10"]
ALL_YEAR = ["agenda", "--from", "2026-01-01", "--to", "2026-12-31", "--json", "--include-notes"]
_names = count(1)

Los = Callable[..., Result]


@pytest.fixture(scope="module")
def server(pg_server: Server) -> Server:
    """The session's server (tests/conftest.py), with the people's login roles."""
    for role in (OWNER, PA, OFFICE):
        make_role(pg_server, role)
    return pg_server


def runner(location: str, capsys: pytest.CaptureFixture[str]) -> Los:
    def run(*args: str) -> Result:
        code = main(["--db", location, *args])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture
def database(server: Server) -> str:
    return fresh_database(server, f"shared_{next(_names)}", owner=OWNER)


@pytest.fixture
def personal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The lead member's own diary file: the board scheduled, March's attended with a private note."""
    path = tmp_path / "mine" / "diary.sqlite3"
    los = runner(str(path), capsys)
    for args in (
        ["init"],
        BOARD,
        ["log", "lmcs-improvement-board", "--on", "2026-03-10", "--status", "attended", "--note", SECRET,
         "--questions", SECRET, "--difference", SECRET],
    ):  # fmt: skip
        done = los(*args)
        assert done.code == 0, done.err
    return path


@pytest.fixture
def shared(server: Server, database: str, personal: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """The personal diary moved onto the server with `los copy`, by its owner."""
    moved = runner(str(personal), capsys)("copy", str(personal), server.url(database, OWNER))
    assert moved.code == 0, moved.err
    return database


def test_the_owner_moves_in_grants_the_pa_and_the_pa_keeps_the_diary_without_seeing_notes(
    server: Server, shared: str, capsys: pytest.CaptureFixture[str]
) -> None:
    owner, pa = runner(server.url(shared, OWNER), capsys), runner(server.url(shared, PA), capsys)
    assert pa("agenda", *MARCH).code == 2  # no access yet

    granted = owner("access", "grant", PA, "--as", "assistant")
    assert granted.code == 0, granted.err
    assert f"{PA} is now an assistant" in granted.out
    listed = owner("access")
    assert listed.code == 0 and re.search(rf"{OWNER}\s+owner", listed.out)
    assert re.search(rf"{PA}\s+assistant:", listed.out)

    seen = pa("agenda", *MARCH, "--json")
    assert seen.code == 0, seen.err
    assert json.loads(seen.out)[0]["status"] == "attended" and SECRET not in seen.out
    assert f"you are connected as {PA}, an assistant" in seen.err and "notes" in seen.err

    logged = pa("log", "lmcs-improvement-board", "--on", "2026-04-14", "--status", "apologies")
    assert logged.code == 0, logged.err
    april = owner("agenda", "--from", "2026-04-14", "--to", "2026-04-14", "--json", "--include-notes")
    assert json.loads(april.out)[0]["status"] == "apologies"

    for private in (["--note", "typed by the PA"], ["--questions", "typed by the PA"]):
        refused = pa("log", "lmcs-improvement-board", "--on", "2026-03-10", "--status", "attended", *private)
        assert refused.code == 2 and refused.err.count("\n") == 1
        assert private[0] in refused.err and "assistant" in refused.err and "typed by" not in refused.err
    notes = pa("agenda", *MARCH, "--include-notes")
    assert notes.code == 2 and "--include-notes" in notes.err
    kept = owner("agenda", *MARCH, "--json", "--include-notes")
    assert json.loads(kept.out)[0]["note"] == SECRET  # untouched
    # Searching finds what the role may read (the title), never a meeting by words only its note holds.
    assert "Tue 10 Mar 2026" in pa("search", "Improvement").out
    hidden = pa("search", "placement", "--json")
    assert hidden.code == 0, hidden.err
    assert json.loads(hidden.out) == [] and SECRET not in hidden.out
    assert json.loads(owner("search", "placement", "--json").out) != []


def test_a_viewer_reads_the_diary_and_the_review_and_changes_nothing(
    server: Server, shared: str, capsys: pytest.CaptureFixture[str]
) -> None:
    owner, office = runner(server.url(shared, OWNER), capsys), runner(server.url(shared, OFFICE), capsys)
    assert owner("access", "grant", OFFICE, "--as", "viewer").code == 0
    assert office("review", "--quarter", "2026-Q1").code == 0
    seen = office("agenda", *MARCH)
    assert seen.code == 0 and "Improvement" in seen.out and "a viewer" in seen.err
    refused = office("log", "lmcs-improvement-board", "--on", "2026-04-14", "--status", "apologies")
    assert refused.code == 2 and "viewer" in refused.err and "nothing was changed" in refused.err


def test_revoking_the_pa_shuts_them_out(
    server: Server, shared: str, capsys: pytest.CaptureFixture[str]
) -> None:
    owner, pa = runner(server.url(shared, OWNER), capsys), runner(server.url(shared, PA), capsys)
    assert owner("access", "grant", PA, "--as", "assistant").code == 0
    revoked = owner("access", "revoke", PA)
    assert revoked.code == 0 and "has no access" in revoked.out
    assert pa("agenda", *MARCH).code == 2
    assert PA not in owner("access").out


def test_access_refusals_are_one_line_naming_the_value(
    server: Server, shared: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    owner = runner(server.url(shared, OWNER), capsys)
    for args, named in (
        (["access", "grant", PA, "--as", "boss"], "--as 'boss'"),
        (["access", "grant", "pa_jones", "--as", "assistant"], "'pa_jones'"),
        (["access", "grant", OWNER, "--as", "viewer"], f"'{OWNER}'"),
    ):
        done = owner(*args)
        assert done.code == 2 and done.err.count("\n") == 1 and named in done.err, done.err
    on_a_file = runner(str(tmp_path / "diary.sqlite3"), capsys)("access")
    assert on_a_file.code == 2 and "needs a server diary" in on_a_file.err
    assert owner("access", "grant", PA, "--as", "member").code == 0
    pa_grants = runner(server.url(shared, PA), capsys)("access", "grant", OFFICE, "--as", "member")
    assert pa_grants.code == 2 and f"only the diary's owner ({OWNER})" in pa_grants.err


def test_copy_refuses_a_target_that_is_not_empty_and_never_shows_a_password(
    server: Server, shared: str, personal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    los = runner(str(personal), capsys)
    again = los("copy", str(personal), server.url(shared, OWNER))
    assert again.code == 2 and "is not empty" in again.err and "target" in again.err
    secret_url = f"postgresql://{OWNER}:pw-s3cret@/{shared}?host={server.socket_dir}&port={server.port}"
    with_password = los("copy", str(personal), secret_url)
    assert (
        with_password.code == 2 and "pw-s3cret" not in with_password.err and "********" in with_password.err
    )
    listed = runner(secret_url, capsys)("access")  # the server lets the URL in (trust): a success too
    assert listed.code == 0 and "pw-s3cret" not in listed.out + listed.err and "********" in listed.out
    home = los("copy", secret_url, str(personal.parent / "home.sqlite3"))
    assert home.code == 0 and "Copied" in home.out and "pw-s3cret" not in home.out + home.err
    to_nowhere = los("copy", str(personal), "postgresql://pa:pw-s3cret@/nodb?host=/nonexistent")
    assert to_nowhere.code == 2 and "pw-s3cret" not in to_nowhere.err
    for command in (["copy", "--help"], ["access", "--help"], ["backup", "--help"]):
        with pytest.raises(SystemExit):
            los(*command)
        shown = capsys.readouterr().out
        assert "postgresql://" in shown or "pg_dump" in shown
        assert ":pw" not in shown and "password=" not in shown


def test_backup_of_a_server_diary_is_a_diary_file_the_app_opens_and_restores(
    server: Server, shared: str, personal: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    owner = runner(server.url(shared, OWNER), capsys)
    target = tmp_path / "home" / "council-diary.sqlite3"
    target.parent.mkdir()
    made = owner("backup", "-o", str(target))
    assert made.code == 0, made.err
    at_home = runner(str(target), capsys)
    there, here = owner(*ALL_YEAR), at_home(*ALL_YEAR)
    assert here.code == 0 and json.loads(here.out) == json.loads(there.out) and SECRET in here.out
    with sqlite3.connect(target) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    connection.close()
    mine = runner(str(personal), capsys)
    assert mine("log", "lmcs-improvement-board", "--on", "2026-04-14", "--status", "missed").code == 0
    restored = mine("restore", str(target), "--yes")  # the server's state put back into the file diary
    assert restored.code == 0, restored.err
    assert json.loads(mine(*ALL_YEAR).out) == json.loads(there.out)
    default = owner("backup")  # into backups/ in the user data directory
    assert default.code == 0 and "-server.sqlite3" in default.out
    assert owner("access", "grant", PA, "--as", "assistant").code == 0
    by_pa = runner(server.url(shared, PA), capsys)("backup", "-o", str(tmp_path / "pa.sqlite3"))
    assert by_pa.code == 2 and "only a member or the owner" in by_pa.err
    copied_by_pa = runner(server.url(shared, PA), capsys)(
        "copy", server.url(shared, PA), str(tmp_path / "pa.sqlite3")
    )
    assert copied_by_pa.code == 2 and "a copy needs the diary's owner or a member" in copied_by_pa.err
    assert not (tmp_path / "pa.sqlite3").exists()


def test_a_migration_by_a_newer_los_tui_keeps_each_persons_access(
    server: Server, shared: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from alembic import command
    from alembic.config import Config

    from los_tui.db.access import before_migration
    from los_tui.db.migrate import MIGRATIONS_DIR

    owner, pa = runner(server.url(shared, OWNER), capsys), runner(server.url(shared, PA), capsys)
    assert owner("access", "grant", PA, "--as", "assistant").code == 0
    # The diary as an older los-tui left it: at schema 0003, the PA an assistant of its columns.
    engine = engine_for(server.url(shared, OWNER))
    try:
        with engine.begin() as connection:
            before_migration(connection)
            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS_DIR))
            config.attributes["connection"] = connection
            command.downgrade(config, "0003")
    finally:
        engine.dispose()
    for sql in (
        f"GRANT SELECT ON commitments, schedules, target_changes, diary_settings, actions, alembic_version,"
        f" imported_events TO {PA}",
        f"GRANT INSERT, UPDATE ON actions TO {PA}",
        f"GRANT SELECT (id, commitment_id, original_start, start, all_day, duration_minutes, status,"
        f" created_at, updated_at), UPDATE (status, start, updated_at) ON occurrence_logs TO {PA}",
    ):
        assert server.psql(shared, sql, user=OWNER).returncode == 0
    assert "los migrate --yes" in pa("agenda", *MARCH).err

    migrated = owner("migrate", "--yes")
    assert migrated.code == 0, migrated.err
    seen = pa("agenda", *MARCH, "--json")  # reads the columns 0005 added (each record's version)
    assert seen.code == 0, seen.err
    assert json.loads(seen.out)[0]["status"] == "attended" and SECRET not in seen.out
    assert "permission denied" in server.psql(shared, "SELECT note FROM occurrence_logs", user=PA).stderr
