"""Moving in and out (`los copy`): a rich diary copied SQLite -> PostgreSQL -> SQLite comes back row for
row in every table, at its schema revision, with the server's ids carrying on after the highest copied;
a target that is not empty is refused, naming it, and a copy that fails leaves nothing behind."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from pg_server import Server
from pg_testing import engine_for, fresh_database, migrate

from los_tui.db.copy import copy_diary, diary_rows, reading_engine
from los_tui.db.engine import StoreError
from los_tui.db.identity import APPLICATION_ID
from los_tui.db.migrate import current_revision
from los_tui.db.tables import metadata

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
OWNER = "lead_member"


@pytest.fixture(scope="module")
def server(pg_server: Server) -> Server:
    return pg_server  # the session's server (tests/conftest.py)


@pytest.fixture
def database(server: Server, request: pytest.FixtureRequest) -> str:
    return fresh_database(server, "copy_" + request.node.name.lower()[:40].replace("[", "_").strip("]"))


def rows_of_file(path: Path) -> dict[str, list[tuple[object, ...]]]:
    engine = reading_engine(path)
    try:
        with engine.connect() as connection:
            return diary_rows(connection)
    finally:
        engine.dispose()


def rows_of_server(url: str) -> dict[str, list[tuple[object, ...]]]:
    engine = engine_for(url)
    try:
        with engine.connect() as connection:
            return diary_rows(connection)
    finally:
        engine.dispose()


@pytest.fixture
def rich_diary(tmp_path: Path) -> Path:
    """The newest golden diary: every table filled, a joint pair pointing both ways, a 64 KiB note in
    many scripts, questions asked and answered, an imported event."""
    newest = sorted(GOLDEN.glob("schema-*.sqlite3"))[-1]
    copied = tmp_path / "mine.sqlite3"
    shutil.copyfile(newest, copied)
    return copied


def test_a_rich_diary_goes_to_the_server_and_back_row_for_row(
    server: Server, database: str, rich_diary: Path, tmp_path: Path
) -> None:
    url = server.url(database)
    before = rows_of_file(rich_diary)
    assert all(before[table.name] for table in metadata.sorted_tables if table.name in before)  # all filled

    there = copy_diary(str(rich_diary), url)
    back = tmp_path / "back" / "diary.sqlite3"
    back.parent.mkdir()
    returned = copy_diary(url, str(back))

    assert rows_of_server(url) == before
    assert rows_of_file(back) == before
    assert there.rows == returned.rows == {name: len(rows) for name, rows in before.items()}
    assert current_revision(back) == current_revision(rich_diary) == there.revision
    with sqlite3.connect(back) as connection:
        assert connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    connection.close()
    assert back.stat().st_mode & 0o777 == 0o600
    assert not list(back.parent.glob("*.tmp*")) and not Path(f"{back}-wal").exists()


def test_the_servers_next_ids_follow_the_highest_copied(
    server: Server, database: str, rich_diary: Path
) -> None:
    url = server.url(database)
    copy_diary(str(rich_diary), url)
    engine = engine_for(url)
    try:
        with engine.begin() as connection:
            highest = connection.exec_driver_sql("SELECT max(id) FROM commitments").scalar()
            added = connection.exec_driver_sql(
                "INSERT INTO commitments (slug, title, role, frequency, wording, with_whom, created_at,"
                " updated_at) VALUES ('new', 'New', 'lmcs', 'monthly', '', '', now(), now()) RETURNING id"
            ).scalar()
    finally:
        engine.dispose()
    assert added == highest + 1


def test_a_target_that_is_not_empty_is_refused_naming_it(
    server: Server, database: str, rich_diary: Path, tmp_path: Path
) -> None:
    url = server.url(database)
    copy_diary(str(rich_diary), url)
    before = rows_of_server(url)
    with pytest.raises(StoreError) as caught:
        copy_diary(str(rich_diary), url)
    assert caught.value.field == "target" and caught.value.value == url
    assert "is not empty" in str(caught.value)
    assert rows_of_server(url) == before

    other = tmp_path / "other.sqlite3"
    shutil.copyfile(rich_diary, other)
    with pytest.raises(StoreError, match="is not empty") as refused:
        copy_diary(url, str(other))
    assert refused.value.value == str(other)
    assert rows_of_file(other) == rows_of_file(rich_diary)


def test_a_copy_that_fails_half_way_leaves_the_server_database_empty(
    server: Server, database: str, rich_diary: Path
) -> None:
    with sqlite3.connect(rich_diary) as connection:  # an action pointing at no log: the server refuses it
        connection.execute("PRAGMA foreign_keys = OFF")
        connection.execute("UPDATE actions SET log_id = 9999 WHERE id = (SELECT max(id) FROM actions)")
    connection.close()
    url = server.url(database)
    with pytest.raises(StoreError, match="cannot be used"):
        copy_diary(str(rich_diary), url)
    listed = server.psql(database, r"\dt")
    assert "commitments" not in listed.stdout and "alembic_version" not in listed.stdout


def test_an_older_diary_is_copied_at_its_own_revision(server: Server, database: str, tmp_path: Path) -> None:
    oldest = tmp_path / "old.sqlite3"
    shutil.copyfile(GOLDEN / "schema-0001.sqlite3", oldest)
    url = server.url(database)
    assert copy_diary(str(oldest), url).revision == "0001"
    assert rows_of_server(url) == rows_of_file(oldest)


def test_a_copy_into_a_server_database_migrated_but_empty_works(
    server: Server, database: str, rich_diary: Path
) -> None:
    url = server.url(database)
    migrate(url, current_revision(rich_diary) or "head")
    copy_diary(str(rich_diary), url)
    assert rows_of_server(url) == rows_of_file(rich_diary)


def test_sqlite_to_sqlite_and_a_password_never_shown(rich_diary: Path, tmp_path: Path) -> None:
    target = tmp_path / "copy.sqlite3"
    copy_diary(str(rich_diary), str(target))
    assert rows_of_file(target) == rows_of_file(rich_diary)
    with pytest.raises(StoreError) as caught:
        copy_diary(str(rich_diary), "postgresql://pa:s3cret-pw@/nowhere?host=/nonexistent&password=s3cret-pw")
    assert "s3cret-pw" not in str(caught.value)


def test_a_copy_into_a_file_that_fails_half_way_leaves_no_file(rich_diary: Path, tmp_path: Path) -> None:
    with sqlite3.connect(rich_diary) as connection:  # an action pointing at no log: the target refuses it
        connection.execute("PRAGMA foreign_keys = OFF")
        connection.execute("UPDATE actions SET log_id = 9999 WHERE id = (SELECT max(id) FROM actions)")
    connection.close()
    folder = tmp_path / "new"
    folder.mkdir()
    with pytest.raises(StoreError, match="FOREIGN KEY"):
        copy_diary(str(rich_diary), str(folder / "copy.sqlite3"))
    assert list(folder.iterdir()) == []
