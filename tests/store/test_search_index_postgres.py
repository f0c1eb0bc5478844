"""Full-text search on a server (migration 0006): PostgreSQL's own index, filled from what an older diary
holds, kept in step by every writer (the app, `los copy`, psql, an assistant), answering as a diary file's
index does, looking only in what the connected role may read, and taken down again. A real server."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from diary_testing import LONDON, NOW
from pg_server import Server
from pg_testing import engine_for, fresh_database, make_role

from los_tui.db.access import Access, grant
from los_tui.db.copy import copy_diary
from los_tui.db.paths import ServerDiary
from los_tui.db.server import migrate_server
from los_tui.domain.model import Status
from los_tui.domain.search import snippet_text
from los_tui.services.diary import Diary

GOLDEN = Path(__file__).parent.parent / "golden"
sys.path.insert(0, str(GOLDEN))
import make_golden  # noqa: E402

OWNER, PA = "fts_owner", "fts_assistant"  # roles of their own: roles are the whole server's
SECRET = "Jayden's placement"
BOARD = "lmcs-improvement-board"


@pytest.fixture(scope="module")
def server(pg_server: Server) -> Server:
    for role in (OWNER, PA):
        make_role(pg_server, role)
    return pg_server


def found_logs(diary: Diary, text: str) -> list[int | None]:
    return [f.occurrence.log_id for f in diary.meetings.search(text)]


def migrate(url: str, revision: str, down: bool = False) -> None:
    from alembic import command
    from alembic.config import Config

    from los_tui.db.migrate import MIGRATIONS_DIR

    engine = engine_for(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    try:
        with engine.connect() as connection:
            config.attributes["connection"] = connection
            (command.downgrade if down else command.upgrade)(config, revision)
            connection.commit()
    finally:
        engine.dispose()


def psql(server: Server, database: str, sql: str, user: str = OWNER) -> str:
    done = server.psql(database, sql, user=user)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def golden_0005_on_server(server: Server, tmp_path: Path) -> Iterator[str]:
    """The 0005 golden diary copied to a server (at 0005, so with no index yet), owned by OWNER."""
    copy = tmp_path / "diary.sqlite3"
    shutil.copyfile(make_golden.golden_file("0005"), copy)
    name = fresh_database(server, "search_golden", owner=OWNER)
    assert copy_diary(str(copy), server.url(name, OWNER)).revision == "0005"
    yield name


def test_upgrading_a_server_diary_indexes_everything_it_holds_as_a_file_does(
    server: Server, golden_0005_on_server: str, tmp_path: Path
) -> None:
    name = golden_0005_on_server
    file_copy = tmp_path / "file" / "diary.sqlite3"
    file_copy.parent.mkdir()
    shutil.copyfile(make_golden.golden_file("0006"), file_copy)
    assert "search_index" not in psql(server, name, r"\dt")
    migrate_server(ServerDiary(server.url(name, OWNER)))
    counted = psql(
        server, name, "SELECT (SELECT count(*) FROM search_index) = (SELECT count(*) FROM occurrence_logs)"
    )
    assert counted.split()[2] == "t"
    on_server = Diary.open(ServerDiary(server.url(name, OWNER)), clock=lambda: NOW, create=False)
    in_file = Diary.open(file_copy, clock=lambda: NOW, create=False)
    try:
        for text in (
            "María", "maria", "agency", "Head of Service", "morale", "Thank 👍", "zoe", "子ども",
            "panel no longer", "caseload", "quarterly", "neill", "o'neill", "improve board",
        ):  # fmt: skip
            server_found = on_server.meetings.search(text)
            file_found = in_file.meetings.search(text)
            assert [f.occurrence.log_id for f in server_found] == [f.occurrence.log_id for f in file_found], (
                text
            )
            assert [f.places for f in server_found] == [f.places for f in file_found], text
            assert [{p: snippet_text(s) for p, s in f.snippets.items()} for f in server_found] == [
                {p: snippet_text(s) for p, s in f.snippets.items()} for f in file_found
            ], text
        assert found_logs(on_server, "María") == [7, 2, 1] and found_logs(on_server, "zoe") == [1]
        assert found_logs(on_server, "quarterly") == [1]  # an answer to the guidance's questions
    finally:
        on_server.close()
        in_file.close()


def test_the_server_index_follows_every_writer(server: Server, tmp_path: Path) -> None:
    name = fresh_database(server, "search_follows", owner=OWNER)
    url = server.url(name, OWNER)
    migrate(url, "head")
    diary = Diary.open(ServerDiary(url), clock=lambda: NOW)
    try:
        diary.init("both")
        diary.commitments.schedule(BOARD, "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2", datetime(2026, 1, 13, 18, 30))
        when = datetime(2026, 11, 10, 18, 30, tzinfo=LONDON)
        meeting = diary.meetings.log(BOARD, when, False, Status.ATTENDED, note="Foster care").occurrence
        assert found_logs(diary, "foster") == [meeting.log_id]
        diary.meetings.log(BOARD, when, False, None, note="Adoption only")
        assert found_logs(diary, "foster") == [] and found_logs(diary, "adoption") == [meeting.log_id]
        _, action = diary.actions.add(meeting, "Chase the sufficiency plan", "DCS")
        assert found_logs(diary, "sufficiency") == [meeting.log_id]
        diary.actions.update(action.id, text="Chase the budget")
        assert found_logs(diary, "sufficiency") == [] and found_logs(diary, "budget") == [meeting.log_id]
        diary.actions.remove(action.id)
        assert found_logs(diary, "budget") == []
        diary.evidence.ask(meeting, "5.9", "Weekly, by the team manager")
        assert found_logs(diary, "weekly manager") == [meeting.log_id]
        moved = diary.meetings.move(
            diary.meetings.reload(meeting), datetime(2026, 11, 20, 9, 0, tzinfo=LONDON)
        )
        [found] = diary.meetings.search("adoption")
        assert found.occurrence.start == moved.start
        # psql, not the app: a title changed and a log deleted by hand are followed too.
        psql(server, name, f"UPDATE commitments SET title = 'Scrutiny panel' WHERE slug = '{BOARD}'")
        assert found_logs(diary, "scrutiny") == [meeting.log_id] and found_logs(diary, "improvement") == []
        psql(
            server,
            name,
            f"DELETE FROM asked_questions; DELETE FROM occurrence_logs WHERE id = {meeting.log_id}",
        )
        assert found_logs(diary, "scrutiny") == []
        assert psql(server, name, "SELECT count(*) FROM search_index").split()[2] == "0"
    finally:
        diary.close()


@pytest.fixture
def shared(server: Server, tmp_path: Path) -> str:
    """A diary on the server, owned by OWNER, with private and shared text; the PA an assistant."""
    path = tmp_path / "diary.sqlite3"
    diary = Diary.open(path, clock=lambda: NOW)
    diary.init("both")
    diary.commitments.schedule(BOARD, "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2", datetime(2026, 1, 13, 18, 30))
    for day, note, difference in [(10, SECRET, "Caseloads capped"), (13, "Nothing", "Supervision monthly")]:
        when = datetime(2026, 10 if day == 13 else 11, day, 18, 30, tzinfo=LONDON)
        diary.meetings.log(BOARD, when, False, Status.ATTENDED, note=note)
        diary.meetings.log(BOARD, when, False, None, difference=difference)
    diary.close()
    name = fresh_database(server, "search_shared", owner=OWNER)
    copy_diary(str(path), server.url(name, OWNER))
    engine = engine_for(server.url(name, OWNER))
    try:
        with engine.begin() as connection:
            grant(connection, PA, Access.ASSISTANT)
    finally:
        engine.dispose()
    psql(
        server,
        name,
        "UPDATE occurrence_logs SET difference_shared = true WHERE difference LIKE 'Supervision%'",
    )
    return name


def test_an_assistant_finds_meetings_only_by_what_it_may_read(server: Server, shared: str) -> None:
    owner = Diary.open(ServerDiary(server.url(shared, OWNER)), clock=lambda: NOW, create=False)
    pa = Diary.open(ServerDiary(server.url(shared, PA)), clock=lambda: NOW, create=False)
    try:
        assert len(owner.meetings.search("jayden")) == 1 and len(owner.meetings.search("caseloads")) == 1
        assert pa.meetings.search("jayden") == []  # a private note: never found, never refused
        assert pa.meetings.search("caseloads") == []  # a difference not shared
        [found] = pa.meetings.search("supervision")  # a shared difference is the PA's to read
        assert found.places == ("difference",)
        assert snippet_text(found.snippets["difference"]) == "«Supervision» monthly"
        assert pa.meetings.search("improvement board") != []  # the title
        # The PA adds an action: the triggers refresh a row holding the note's words, as the owner.
        (meeting,) = [f.occurrence for f in owner.meetings.search("jayden")]
        pa.actions.add(meeting, "Book the room for Jayden's review", "PA")
        assert [f.places for f in pa.meetings.search("jayden")] == [("actions",)]
        assert [f.places for f in owner.meetings.search("jayden")] == [("note", "actions")]
    finally:
        owner.close()
        pa.close()
    refused = server.psql(shared, "SELECT all_words FROM search_index", user=PA)
    assert refused.returncode != 0 and "permission denied" in refused.stderr
    words = psql(server, shared, "SELECT shared_words FROM search_index", user=PA)
    assert "jayden" in words and "placement" not in words and "caseloads" not in words
    for sql in ("DELETE FROM search_index", "UPDATE search_index SET held = now()"):
        assert server.psql(shared, sql, user=PA).returncode != 0  # only the triggers write it


def test_the_migration_goes_down_to_0005_and_up_again_on_the_server(server: Server) -> None:
    name = fresh_database(server, "search_down", owner=OWNER)
    url = server.url(name, OWNER)
    migrate(url, "head")
    diary = Diary.open(ServerDiary(url), clock=lambda: NOW)
    diary.init("both")
    when = datetime(2026, 11, 10, 18, 30, tzinfo=LONDON)
    diary.meetings.log("lmcs-team-visits", when, True, Status.ATTENDED, note="Kestrel team morale")
    diary.close()
    migrate(url, "0005", down=True)
    listed = psql(server, name, r"\dt") + psql(server, name, r"\df") + psql(server, name, r"\dF")
    assert "search_index" not in listed and "los_search" not in listed
    assert "Kestrel team morale" in psql(server, name, "SELECT note FROM occurrence_logs")
    migrate(url, "head")
    again = Diary.open(ServerDiary(url), clock=lambda: NOW, create=False)
    try:
        assert len(again.meetings.search("kestrel")) == 1 and again.meetings.search("kestrels") == []
    finally:
        again.close()


def test_an_assistant_granted_before_the_upgrade_searches_after_it(
    server: Server, golden_0005_on_server: str
) -> None:
    """`los migrate` grants each level again: the new index opens its shared words to the PA, no more."""
    name = golden_0005_on_server
    engine = engine_for(server.url(name, OWNER))
    try:
        with engine.begin() as connection:
            grant(connection, PA, Access.ASSISTANT)
    finally:
        engine.dispose()
    migrate_server(ServerDiary(server.url(name, OWNER)))
    pa = Diary.open(ServerDiary(server.url(name, PA)), clock=lambda: NOW, create=False)
    owner = Diary.open(ServerDiary(server.url(name, OWNER)), clock=lambda: NOW, create=False)
    try:
        assert found_logs(pa, "Head of Service") == found_logs(owner, "Head of Service") == [1]  # an action
        assert found_logs(owner, "morale") == [7] and found_logs(pa, "morale") == []  # a note's word
    finally:
        pa.close()
        owner.close()
    refused = server.psql(name, "SELECT all_words FROM search_index", user=PA)
    assert refused.returncode != 0 and "permission denied" in refused.stderr
