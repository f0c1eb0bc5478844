"""Opening a diary on a PostgreSQL server does no more than a file: one statement asks its schema
revision and what the connected role may do, and the schedules' expansions an earlier run made are kept
(in the user's cache folder) so a later run walks with dateutil only a series that changed."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from datetime import date
from typing import Any

import psycopg2
import psycopg2.extensions
import pytest
from diary_testing import NOW

from los_tui.db import expansions
from los_tui.db.paths import ServerDiary
from los_tui.db.server import ServerStore
from los_tui.domain import recurrence
from los_tui.services.diary import Diary

BOARD = "lmcs-improvement-board"


@pytest.fixture
def server_diary(pg_server: Any) -> Iterator[ServerDiary]:
    """A diary set up on a server, with a schedule kept since 2020 (so a run has a series to walk)."""
    from pg_server import fresh_server_diary

    where: ServerDiary = fresh_server_diary(pg_server)
    diary = Diary.open(where, clock=lambda: NOW)
    diary.init("both")
    diary.commitments.schedule(BOARD, "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2", NOW.replace(tzinfo=None, year=2020))
    diary.close()
    expansions.forget()  # as a new process starts
    yield where


@pytest.fixture
def statements(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every statement sent to the server from here on, in order, on every connection opened from here
    on ("CONNECT" for each connection)."""
    sent: list[str] = []

    class Counted(psycopg2.extensions.cursor):
        def execute(self, query: Any, vars: Any = None) -> None:
            sent.append(" ".join(str(query).split()))
            super().execute(query, vars)

    plain = psycopg2.connect

    def connect(*args: Any, **kwargs: Any) -> Any:
        sent.append("CONNECT")
        return plain(*args, cursor_factory=Counted, **kwargs)

    monkeypatch.setattr(psycopg2, "connect", connect)
    return sent


def test_opening_a_server_diary_asks_the_server_once(
    server_diary: ServerDiary, statements: list[str]
) -> None:
    """The revision, the role, its right to private text and to writing: one round trip, not four."""
    store = ServerStore.open(server_diary, clock=lambda: NOW)
    try:
        assert statements == ["CONNECT", statements[1]] and statements[1].startswith("SELECT version_num")
        assert store.standing.role == "los_admin" and store.standing.private and store.standing.writes
    finally:
        store.close()


def test_an_agenda_reads_the_commitments_without_reading_them_twice(
    server_diary: ServerDiary, statements: list[str]
) -> None:
    diary = Diary.open(server_diary, clock=lambda: NOW)
    statements.clear()
    shown = diary.meetings.agenda(date(2026, 11, 1), date(2026, 11, 30))
    diary.close()
    assert any(o.commitment_slug == BOARD for o in shown)
    reads = [s for s in statements if s.startswith("SELECT")]
    assert sum("FROM commitments" in s for s in reads) == 1, reads


def test_a_later_run_on_a_server_diary_walks_no_rule_an_earlier_run_walked(
    server_diary: ServerDiary, monkeypatch: pytest.MonkeyPatch
) -> None:
    first_run = Diary.open(server_diary, clock=lambda: NOW)
    first = first_run.meetings.agenda(date(2026, 9, 1), date(2027, 2, 28))
    first_run.close()

    kept = list(expansions.server_folder().iterdir())
    assert len(kept) == 1 and kept[0].suffix == ".json"
    assert stat.S_IMODE(expansions.server_folder().stat().st_mode) == 0o700
    assert stat.S_IMODE(kept[0].stat().st_mode) == 0o600

    walks: list[str] = []
    plain_walk = recurrence.rrulestr

    def counted(text: str, **options: object) -> object:
        walks.append(text)
        return plain_walk(text, **options)

    expansions.forget()  # as a new process starts
    monkeypatch.setattr(recurrence, "rrulestr", counted)
    again = Diary.open(server_diary, clock=lambda: NOW)
    assert again.meetings.agenda(date(2026, 9, 1), date(2027, 2, 28)) == first
    assert walks == []
    # A changed schedule is a series not kept yet: walked afresh, never served the old starts.
    again.commitments.schedule(BOARD, "FREQ=WEEKLY;BYDAY=FR", NOW.replace(tzinfo=None, month=10))
    fridays = again.meetings.agenda(date(2026, 12, 1), date(2026, 12, 31), slugs=[BOARD])
    assert [o.start.strftime("%a") for o in fridays] == ["Fri"] * 4 and walks
    again.close()


def test_each_server_diary_keeps_its_own_expansions_named_without_its_password(pg_server: Any) -> None:
    """Two databases on one server keep two files; a password in the URL is hidden before the digest
    that names the file is taken, so a changed password keeps to the same file and none is in its name."""
    one = ServerDiary(pg_server.url("one"))
    two = ServerDiary(pg_server.url("two"))
    assert expansions._file(one) != expansions._file(two)
    with_password = ServerDiary(pg_server.url("one") + "&password=s3cret-Pa55")
    changed = ServerDiary(pg_server.url("one") + "&password=an0ther-Pa55")
    assert expansions._file(with_password) == expansions._file(changed)
    assert expansions._file(with_password).parent == expansions.server_folder()


def test_a_search_asks_nothing_of_the_schema_the_opening_checked(
    server_diary: ServerDiary, statements: list[str]
) -> None:
    """A server diary opens only at this los-tui's schema, which has the full-text index (migration
    0006): a search goes straight to it, without first asking whether it is there."""
    diary = Diary.open(server_diary, clock=lambda: NOW)
    statements.clear()
    assert diary.meetings.search("supervision") == []
    diary.close()
    assert not any("to_regclass" in s for s in statements), statements
    assert any("to_tsquery" in s for s in statements), statements
