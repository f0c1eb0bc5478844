"""A diary on a PostgreSQL server: reached by a libpq URL whose password is never shown, made by `los init`
on an empty database, migrated only when asked (no file to copy first), and no edit overwritten: a save
lands only on the version it was read at, and a stale one keeps both texts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from diary_testing import NOW, Result, execute_sql

from los_tui.cli import main
from los_tui.db.errors import StoreError
from los_tui.db.paths import ServerDiary, redact
from los_tui.db.writer import StaleRecord
from los_tui.domain.recording import KEPT_BOTH_MARK
from los_tui.services.diary import Diary

BOARD = "lmcs-improvement-board"
BOARD_DAY = date(2026, 11, 10)
SECRET = "s3cret-Pa55"


@pytest.fixture
def empty_database(pg_server: Any) -> Iterator[ServerDiary]:
    """A database with nothing in it, as the council's IT team hands it over."""
    name = "los_empty_" + str(abs(hash(pg_server.url("x"))) % 10**6)
    assert pg_server.psql("postgres", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)').returncode == 0
    assert pg_server.psql("postgres", f'CREATE DATABASE "{name}"').returncode == 0
    yield ServerDiary(pg_server.url(name))
    pg_server.psql("postgres", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(capsys: pytest.CaptureFixture[str], *args: str) -> Result:
    code = main(list(args))
    captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql://clerk:{SECRET}@/diary?host=/no/such/socket/dir",
        f"postgresql://clerk@/diary?host=/no/such/socket/dir&password={SECRET}",
    ],
)
def test_a_password_in_the_url_is_never_printed(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "--db", url, "agenda")
    assert result.code == 2 and result.err.count("\n") == 1, result.err
    assert SECRET not in result.err and "cannot be reached" in result.err and "********" in result.err
    assert SECRET not in redact(url) and SECRET not in str(ServerDiary(url))


@pytest.mark.parametrize("scheme", ["postgresql", "postgres", "postgresql+psycopg", "postgresql+psycopg2"])
def test_a_url_written_for_either_psycopg_reaches_the_same_diary_from_every_setting(
    pg_server: Any,
    scheme: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A config written when los-tui's driver was psycopg 3 (`postgresql+psycopg://`, SQLAlchemy's name
    for it), or for psycopg2, needs no rewriting: `--db`, $LOS_DB and the config's `db` all reach the
    diary, as libpq reads the URL without the driver's name."""
    from pg_server import fresh_server_diary

    where = fresh_server_diary(pg_server)
    assert run(capsys, "--db", where.url, "init", "--role", "lmcs").code == 0
    written = scheme + where.url.removeprefix("postgresql")
    if "+" in scheme:  # the driver's name left out: one diary, one file of kept expansions
        assert ServerDiary(written) == where and str(ServerDiary(written)) == where.url
    config = tmp_path / "config.toml"
    config.write_text(f'db = "{written}"\n', encoding="utf-8")
    ways = {
        "--db": ["--db", written, "commitments"],
        "LOS_DB": ["commitments"],
        "config db": ["--config", str(config), "commitments"],
    }
    for field, args in ways.items():
        with monkeypatch.context() as env:
            if field == "LOS_DB":
                env.setenv("LOS_DB", written)
            listed = run(capsys, *args)
        assert listed.code == 0 and BOARD in listed.out, (field, listed.err)


def test_los_init_makes_an_empty_database_a_diary_and_every_command_works_on_it(
    empty_database: ServerDiary, capsys: pytest.CaptureFixture[str]
) -> None:
    url = empty_database.url
    assert run(capsys, "--db", url, "agenda").code == 2  # no diary there yet: nothing made
    assert execute_sql(empty_database, "SELECT to_regclass('commitments')") == [(None,)]
    made = run(capsys, "--db", url, "init")
    assert made.code == 0 and "protocol commitments added" in made.out, made.err
    schedule = run(
        capsys, "--db", url, "schedule", BOARD, "--rrule", "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2",
        "--start", "2026-01-13T18:30", "--duration", "120",
    )  # fmt: skip
    assert schedule.code == 0, schedule.err
    logged = run(capsys, "--db", url, "log", BOARD, "--on", "2026-11-10", "--status", "attended")
    assert logged.code == 0, logged.err
    agenda = run(capsys, "--db", url, "agenda", "--from", "2026-11-10", "--to", "2026-11-10")
    assert "Improvement Board" in agenda.out and "attended" in agenda.out


def test_a_database_holding_other_tables_is_left_untouched(empty_database: ServerDiary) -> None:
    execute_sql(empty_database, "CREATE TABLE payroll (id integer)")
    with pytest.raises(StoreError, match="not a los-tui diary"):
        Diary.open(empty_database, clock=lambda: NOW)
    assert execute_sql(empty_database, "SELECT to_regclass('commitments')") == [(None,)]


def test_an_older_server_diary_is_migrated_only_when_asked_after_a_dump(
    empty_database: ServerDiary, capsys: pytest.CaptureFixture[str]
) -> None:
    from alembic import command
    from alembic.config import Config

    from los_tui.db.identity import HEAD_REVISION
    from los_tui.db.migrate import MIGRATIONS_DIR
    from los_tui.db.server import make_server_engine

    engine = make_server_engine(empty_database)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0003")
        connection.commit()
    engine.dispose()
    refused = run(capsys, "--db", empty_database.url, "agenda")
    assert refused.code == 2 and "pg_dump" in refused.err and "los migrate --yes" in refused.err
    assert run(capsys, "--db", empty_database.url, "migrate").code == 2  # asks for --yes
    assert execute_sql(empty_database, "SELECT version_num FROM alembic_version") == [("0003",)]
    done = run(capsys, "--db", empty_database.url, "migrate", "--yes")
    assert done.code == 0 and HEAD_REVISION in done.out, done.err
    assert execute_sql(empty_database, "SELECT version_num FROM alembic_version") == [(HEAD_REVISION,)]


# -- nothing overwritten: on a file and on the server -------------------------------------------------------
@pytest.fixture(params=["sqlite", "postgresql"])
def two_people(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Diary, Diary]]:
    """The lead member and their PA, each with the diary open on their own connections."""
    if request.param == "postgresql":
        from pg_server import fresh_server_diary

        where: Any = fresh_server_diary(request.getfixturevalue("pg_server"))
    else:
        where = tmp_path / "diary.sqlite3"
    mine = Diary.open(where, clock=lambda: NOW)
    mine.init("both")
    mine.commitments.schedule(
        BOARD, "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2", NOW.replace(2026, 1, 13, 18, 30), 120, ""
    )
    theirs = Diary.open(where, clock=lambda: NOW, create=False)
    yield mine, theirs
    mine.close()
    theirs.close()


def board(diary: Diary) -> Any:
    return diary.meetings.agenda(BOARD_DAY, BOARD_DAY, slugs=[BOARD])[0]


def test_every_save_raises_the_records_version(two_people: tuple[Diary, Diary]) -> None:
    mine, _ = two_people
    first = mine.meetings.save_note(board(mine), "Agenda item 3")
    assert first.version == board(mine).version
    second = mine.meetings.save_note(first, "Agenda item 3 and 4")
    assert second.version == first.version + 1 == board(mine).version


def test_a_note_saved_from_a_stale_screen_keeps_both_texts(two_people: tuple[Diary, Diary]) -> None:
    mine, theirs = two_people
    shown = mine.meetings.save_note(board(mine), "Draft")  # the lead member's screen shows version n
    theirs.meetings.save_note(board(theirs), "PA: apologies sent for item 2")  # the PA saves first
    saved = mine.meetings.save_note(shown, "Draft, with the chair's answer")  # from the stale screen
    assert saved.note == f"PA: apologies sent for item 2\n{KEPT_BOTH_MARK}\nDraft, with the chair's answer"
    assert board(theirs).note == saved.note


def test_a_write_on_an_old_version_lands_nowhere(two_people: tuple[Diary, Diary]) -> None:
    mine, theirs = two_people
    shown = mine.meetings.save_note(board(mine), "Draft")
    theirs.meetings.save_note(board(theirs), "Theirs")
    assert shown.version is not None
    with pytest.raises(StaleRecord), mine.store.writing() as write:
        write.save_note(shown, "Mine, on the version I read", expect=shown.version)
    assert board(mine).note == "Theirs"


def test_an_action_edited_in_two_places_keeps_both(two_people: tuple[Diary, Diary]) -> None:
    mine, theirs = two_people
    _, action = mine.actions.add(board(mine), "Chase the audit", "PA")
    theirs.actions.update(action.id, text="Chase the audit by Friday", shown=action)
    kept = mine.actions.update(action.id, text="Chase the audit report", shown=action)
    assert "Chase the audit by Friday" in kept.text and "Chase the audit report" in kept.text
    assert kept.version == action.version + 2


def test_a_write_the_server_refuses_never_quotes_the_row_it_refused(pg_server: Any) -> None:
    """PostgreSQL's DETAIL line ("Failing row contains (...)") quotes the refused row, whatever text it
    holds: a refused write says only the server's first line."""
    from pg_server import fresh_server_diary

    diary = Diary.open(fresh_server_diary(pg_server), clock=lambda: NOW)
    diary.init("both")
    with pytest.raises(StoreError) as refused, diary.store.writing() as writer:
        writer._connection.exec_driver_sql(
            "UPDATE commitments SET wording = 'Private: about child A', role = 'nobody' "
            f"WHERE slug = '{BOARD}'"
        )
    diary.close()
    said = str(refused.value)
    assert "ck_commitments_role" in said and "nothing was changed" in said, said
    assert "child A" not in said and "\n" not in said, said
