"""The store: connection pragmas, the migration chain, and the schema Alembic builds matching the models."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from diary_testing import NOW
from sqlalchemy import text

from los_tui.db.backup import backups_folder
from los_tui.db.engine import APPLICATION_ID, StoreError
from los_tui.db.migrate import HEAD_REVISION, alembic_head, current_revision
from los_tui.db.search_index import described_by_models
from los_tui.db.tables import metadata
from los_tui.domain.model import Frequency, Role
from los_tui.domain.parsing import InputError
from los_tui.services.diary import Diary


def test_head_revision_constant_matches_alembic() -> None:
    assert alembic_head() == HEAD_REVISION


def test_migrations_build_exactly_the_schema_the_models_describe(diary: Diary) -> None:
    with diary.store.engine.connect() as connection:
        differences = compare_metadata(
            MigrationContext.configure(connection, opts={"include_name": described_by_models}), metadata
        )
    assert differences == []


def test_every_connection_has_foreign_keys_wal_full_sync_and_a_busy_timeout(diary: Diary) -> None:
    with diary.store.engine.connect() as connection:
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 5000


def test_the_file_is_stamped_as_ours_and_at_head(diary: Diary, db_path: Path) -> None:
    with sqlite3.connect(db_path) as connection:
        assert connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert current_revision(diary.path) == HEAD_REVISION


def test_a_diary_from_an_unknown_schema_is_refused_with_a_message_and_no_backup(db_path: Path) -> None:
    diary = Diary.open(db_path, clock=lambda: NOW)
    diary.init("lmcs")
    diary.close()
    with sqlite3.connect(db_path) as connection:  # as a newer release would leave it
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(StoreError, match="9999") as refused:
        Diary.open(db_path, clock=lambda: NOW + timedelta(days=1))
    assert "newer los-tui" in str(refused.value)
    # A start that fails makes no backup (each failing start used to add one and prune the oldest).
    assert list(backups_folder(db_path).glob("*.sqlite3")) == []
    with sqlite3.connect(db_path) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == ("9999",)
        assert connection.execute("SELECT count(*) FROM commitments").fetchone() == (16,)


def test_reads_see_one_snapshot_wait_on_locks_and_can_never_write(diary: Diary) -> None:
    diary.init("lmcs")
    with diary.store.reading() as read:
        connection = read.connection
        assert connection.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
        count = "SELECT count(*) FROM commitments"
        before = connection.execute(count).fetchone()[0]
        diary.commitments.add("Visit to the MASH", Role.LMCS, Frequency.QUARTERLY)  # commits elsewhere
        assert connection.execute(count).fetchone()[0] == before  # still the snapshot it began with
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            connection.execute("DELETE FROM diary_settings")
    assert len(diary.commitments.list(include_retired=True)) == before + 1


def test_a_read_that_fails_hands_its_connection_back_clean_and_close_closes_it(diary: Diary) -> None:
    diary.init("lmcs")
    diary.commitments.schedule(
        "lmcs-improvement-board", "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2", datetime(2026, 1, 13, 18)
    )
    board = diary.meetings.agenda(date(2026, 11, 1), date(2026, 11, 30))[0]
    with pytest.raises(InputError, match="no such logged occurrence"):
        diary.meetings.view(replace(board, log_id=999))
    with diary.store.reading() as read:
        connection = read.connection
        pass
    assert not connection.in_transaction  # the failed read's snapshot was ended, not left open
    assert diary.meetings.view(board)[1].slug == board.commitment_slug
    diary.close()
    with pytest.raises(sqlite3.ProgrammingError):
        connection.execute("SELECT 1")


def test_every_write_verb_stamps_updated_at_with_the_clock(diary: Diary, db_path: Path) -> None:
    entry = diary.meetings.add_adhoc("lmcs-team-visits", NOW, all_day=False, status=None)
    _, action = diary.actions.add(entry, "Send the minutes")
    later = datetime(2026, 12, 1, 9, 30, tzinfo=NOW.tzinfo)
    diary.clock = lambda: later
    diary.meetings.save_note(entry, "kept")
    diary.actions.update(action.id, done=True)
    diary.commitments.retire("lmcs-team-visits", later.date())
    stamp = "2026-12-01 09:30:00.000000"  # naive UTC, as the tables keep it (GMT in December)
    with sqlite3.connect(db_path) as connection:
        assert connection.execute("SELECT updated_at FROM occurrence_logs").fetchall() == [(stamp,)]
        assert connection.execute("SELECT updated_at FROM actions").fetchall() == [(stamp,)]
        assert connection.execute(
            "SELECT updated_at FROM commitments WHERE slug = 'lmcs-team-visits'"
        ).fetchall() == [(stamp,)]
    connection.close()
