"""People and what they may do, kept by the server: after `grant`, psql itself (the real binary, as the
PA's own login role) is refused what the role may not do, and allowed what it may."""

from __future__ import annotations

import pytest
from pg_server import Server
from pg_testing import engine_for, fresh_database, make_role, migrate

from los_tui.db.access import Access, grant, grants, revoke
from los_tui.db.errors import StoreError
from los_tui.domain.errors import InputError

OWNER, PA, OFFICE, DEPUTY = "lead_member", "pa_smith", "dcs_office", "deputy"
SECRET = "Child A: placement at risk"


@pytest.fixture(scope="module")
def server(pg_server: Server) -> Server:
    """The session's server (tests/conftest.py), with the people's login roles."""
    for role in (OWNER, PA, OFFICE, DEPUTY):
        make_role(pg_server, role)
    return pg_server


@pytest.fixture
def diary(server: Server, request: pytest.FixtureRequest) -> str:
    """A migrated diary owned by the lead member, with one meeting logged with private text."""
    name = fresh_database(server, "access_" + request.node.name.lower()[:40], owner=OWNER)
    migrate(server.url(name, OWNER))
    for sql in (
        "INSERT INTO commitments (slug, title, role, frequency, wording, with_whom, created_at, updated_at)"
        " VALUES ('lmcs-board', 'Improvement board', 'lmcs', 'monthly', '', '', now(), now())",
        "INSERT INTO occurrence_logs (commitment_id, original_start, all_day, status, note, questions,"
        f" difference, created_at, updated_at) VALUES (1, '2026-11-10 18:30', false, 'attended', '{SECRET}',"
        f" '{SECRET}', '{SECRET}', now(), now())",
        f"INSERT INTO asked_questions (log_id, question_id, answer, created_at, updated_at)"
        f" VALUES (1, '5.9', '{SECRET}', now(), now())",
        "INSERT INTO actions (log_id, text, owner, done, created_at, updated_at)"
        " VALUES (1, 'Send the caseload figures', 'DCS', false, now(), now())",
    ):
        done = server.psql(name, sql, user=OWNER)
        assert done.returncode == 0, done.stderr
    return name


def as_owner(server: Server, database: str, role: str, access: Access | None) -> None:
    engine = engine_for(server.url(database, OWNER))
    try:
        with engine.begin() as connection:
            if access is None:
                revoke(connection, role)
            else:
                grant(connection, role, access)
    finally:
        engine.dispose()


def refused(server: Server, database: str, role: str, sql: str) -> str:
    done = server.psql(database, sql, user=role)
    assert done.returncode != 0, f"{role} was allowed: {sql}\n{done.stdout}"
    return done.stderr


def allowed(server: Server, database: str, role: str, sql: str) -> str:
    done = server.psql(database, sql, user=role)
    assert done.returncode == 0, f"{role} was refused: {sql}\n{done.stderr}"
    return done.stdout


def test_every_column_of_the_diary_is_either_shared_or_private_never_both_never_neither() -> None:
    from los_tui.db.access import PRIVATE_COLUMNS, SHARED_COLUMNS
    from los_tui.db.tables import metadata

    for table in metadata.sorted_tables:
        shared = SHARED_COLUMNS.get(table.name, frozenset())
        private = PRIVATE_COLUMNS.get(table.name, frozenset())
        assert not shared & private, table.name
        assert {column.name for column in table.c} == shared | private, table.name


def test_psql_as_the_assistant_is_refused_every_private_column(server: Server, diary: str) -> None:
    as_owner(server, diary, PA, Access.ASSISTANT)
    for sql in (
        "SELECT note FROM occurrence_logs",
        "SELECT questions FROM occurrence_logs",
        "SELECT difference FROM occurrence_logs",
        "SELECT * FROM occurrence_logs",
        "SELECT answer FROM asked_questions",
        "SELECT count(*) FROM occurrence_logs WHERE note LIKE 'Child%'",  # not even by asking about it
    ):
        assert "permission denied" in refused(server, diary, PA, sql)


def test_psql_as_the_assistant_cannot_write_private_text_in_any_way(server: Server, diary: str) -> None:
    as_owner(server, diary, PA, Access.ASSISTANT)
    for sql in (
        "UPDATE occurrence_logs SET note = 'overwritten' WHERE id = 1",
        "UPDATE occurrence_logs SET questions = '' WHERE id = 1",
        "UPDATE occurrence_logs SET difference = 'x' WHERE id = 1",
        "UPDATE asked_questions SET answer = '' WHERE id = 1",
        "DELETE FROM occurrence_logs WHERE id = 1",  # a log takes the member's note with it
        "INSERT INTO occurrence_logs (commitment_id, original_start, all_day, note, questions, created_at,"
        " updated_at) VALUES (1, '2026-12-08 18:30', false, 'typed by the PA', '', now(), now())",
        "INSERT INTO occurrence_logs (commitment_id, original_start, all_day, note, questions, difference,"
        " difference_shared, created_at, updated_at) VALUES (1, '2026-12-08 18:30', false, '', '', '',"
        " true, now(), now())",  # sharing is the member's to decide
    ):
        refused(server, diary, PA, sql)
    assert SECRET in allowed(server, diary, OWNER, "SELECT note, questions, difference FROM occurrence_logs")


def test_psql_as_the_assistant_keeps_the_diary(server: Server, diary: str) -> None:
    as_owner(server, diary, PA, Access.ASSISTANT)
    for sql in (
        "SELECT id, status, start, original_start FROM occurrence_logs",
        "UPDATE occurrence_logs SET status = 'apologies', updated_at = now() WHERE id = 1",
        "UPDATE occurrence_logs SET start = '2026-11-11 18:30' WHERE id = 1",
        # A meeting logged for the first time: its texts empty, as the app writes them.
        "INSERT INTO occurrence_logs (commitment_id, original_start, all_day, status, note, questions,"
        " created_at, updated_at) VALUES (1, '2026-12-08 18:30', false, 'apologies', '', '', now(), now())"
        " RETURNING id",
        "INSERT INTO actions (log_id, text, owner, done, created_at, updated_at)"
        " VALUES (1, 'Book the room', 'PA', false, now(), now())",
        "UPDATE actions SET done = true WHERE id = 1",
        "INSERT INTO schedules (commitment_id, effective_from, rrule, start_local, duration_minutes,"
        " location, tz, ical_uid, sequence, created_at, updated_at)"
        " VALUES (1, '2026-01-01', 'FREQ=MONTHLY;BYDAY=2TU',"
        " '2026-01-13 18:30', 120, 'Town Hall', 'Europe/London', 'uid-1', 0, now(), now())",
        "UPDATE schedules SET location = 'Room 2' WHERE id = 1",
        "SELECT question_id FROM asked_questions",
    ):
        allowed(server, diary, PA, sql)
    statuses = allowed(server, diary, OWNER, "SELECT status, note FROM occurrence_logs ORDER BY id")
    assert "apologies" in statuses and SECRET in statuses


def test_psql_as_a_viewer_reads_the_diary_and_writes_nothing(server: Server, diary: str) -> None:
    as_owner(server, diary, OFFICE, Access.VIEWER)
    assert "Improvement board" in allowed(server, diary, OFFICE, "SELECT title FROM commitments")
    assert "attended" in allowed(server, diary, OFFICE, "SELECT status FROM occurrence_logs")
    assert "caseload" in allowed(server, diary, OFFICE, "SELECT text FROM actions")
    for sql in (
        "UPDATE occurrence_logs SET status = 'missed' WHERE id = 1",
        "INSERT INTO actions (log_id, text, owner, done, created_at, updated_at)"
        " VALUES (1, 'x', '', false, now(), now())",
        "UPDATE commitments SET title = 'x'",
        "DELETE FROM actions",
        "UPDATE schedules SET location = 'x'",
        "SELECT note FROM occurrence_logs",
    ):
        assert "permission denied" in refused(server, diary, OFFICE, sql)


def test_a_member_reads_and_writes_everything(server: Server, diary: str) -> None:
    as_owner(server, diary, DEPUTY, Access.MEMBER)
    assert SECRET in allowed(server, diary, DEPUTY, "SELECT note FROM occurrence_logs")
    allowed(server, diary, DEPUTY, "UPDATE occurrence_logs SET note = 'rewritten' WHERE id = 1")
    allowed(
        server,
        diary,
        DEPUTY,
        "INSERT INTO occurrence_logs (commitment_id, original_start, all_day, note, questions, created_at,"
        " updated_at) VALUES (1, '2026-12-08 18:30', false, 'a member may', '', now(), now())",
    )


def test_the_listing_says_who_has_what_and_revoke_takes_it_all_away(server: Server, diary: str) -> None:
    as_owner(server, diary, PA, Access.ASSISTANT)
    as_owner(server, diary, OFFICE, Access.VIEWER)
    as_owner(server, diary, DEPUTY, Access.MEMBER)
    engine = engine_for(server.url(diary, OWNER))
    try:
        with engine.connect() as connection:
            listed = {entry.role: entry.access for entry in grants(connection)}
        assert listed == {PA: Access.ASSISTANT, OFFICE: Access.VIEWER, DEPUTY: Access.MEMBER}
        as_owner(server, diary, PA, None)
        assert "permission denied" in refused(server, diary, PA, "SELECT title FROM commitments")
        as_owner(server, diary, DEPUTY, Access.VIEWER)  # a new level replaces the old one
        assert "permission denied" in refused(server, diary, DEPUTY, "SELECT note FROM occurrence_logs")
        with engine.connect() as connection:
            listed = {entry.role: entry.access for entry in grants(connection)}
        assert listed == {OFFICE: Access.VIEWER, DEPUTY: Access.VIEWER}
    finally:
        engine.dispose()


def test_grant_refuses_a_role_that_does_not_exist_naming_it(server: Server, diary: str) -> None:
    with pytest.raises(InputError) as caught:
        as_owner(server, diary, "pa_jones", Access.ASSISTANT)
    assert caught.value.field == "database role" and caught.value.value == "pa_jones"
    assert "no such role on the server" in str(caught.value)


def test_only_the_owner_grants(server: Server, diary: str) -> None:
    as_owner(server, diary, DEPUTY, Access.MEMBER)
    engine = engine_for(server.url(diary, DEPUTY))
    try:
        with (
            pytest.raises(StoreError, match=f"only the diary's owner \\({OWNER}\\)"),
            engine.begin() as connection,
        ):
            grant(connection, PA, Access.MEMBER)
    finally:
        engine.dispose()
    assert "permission denied" in refused(server, diary, PA, "SELECT title FROM commitments")


def test_the_assistant_reads_and_writes_a_difference_only_where_it_is_shared(
    server: Server, diary: str
) -> None:
    allowed(
        server,
        diary,
        OWNER,
        "INSERT INTO occurrence_logs (commitment_id, original_start, all_day, status, note, questions,"
        " difference, difference_shared, created_at, updated_at) VALUES (1, '2026-10-13 17:30', false,"
        " 'attended', '', '', 'Agreed a caseload cap', true, now(), now())",
    )
    as_owner(server, diary, PA, Access.ASSISTANT)
    shown = allowed(server, diary, PA, "SELECT log_id, difference FROM shared_differences")
    assert "Agreed a caseload cap" in shown and SECRET not in shown
    allowed(
        server, diary, PA, "UPDATE shared_differences SET difference = 'Caseload cap agreed' WHERE log_id = 2"
    )
    allowed(server, diary, PA, "UPDATE shared_differences SET difference = 'x' WHERE log_id = 1")  # no row
    refused(server, diary, PA, "UPDATE occurrence_logs SET difference_shared = true WHERE id = 1")
    both = allowed(server, diary, OWNER, "SELECT difference FROM occurrence_logs ORDER BY id")
    assert "Caseload cap agreed" in both and SECRET in both
