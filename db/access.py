"""Who may do what in a diary on a PostgreSQL server, kept by the server itself: `los access` grants a
database role member, assistant or viewer rights with PostgreSQL privileges, so psql is held to them too.

- A **member** is a full user: every table, every column.
- An **assistant** keeps the diary (commitments, schedules, statuses, moves, locations, actions, imports)
  but can neither read nor write private text: a meeting's note and questions to raise, the answers to
  the guidance's questions, and the difference a meeting made unless it is marked shared.
- A **viewer** reads what an assistant reads, and writes nothing.

How the server holds them to it, and why this way:
- Column privileges on the tables, from an allowlist (SHARED_COLUMNS): a column or table added later is
  closed to assistants and viewers until it is listed and access is granted again. `SELECT note ...` is
  refused outright, as is `UPDATE ... SET note`, so the app's updates, which name only the columns they
  change, work.
- A meeting's log is created with empty texts (the Writer names `note = ''`), so an assistant may name
  the private columns in an insert, and a restrictive row-level policy lets a row carrying any private
  text be inserted only by a role that may update the note: an assistant's insert of a new log works,
  `INSERT ... note = 'x'` does not. (Server defaults would spare the policy, but need a migration that
  rebuilds the logs table on SQLite.)
- The difference a meeting made is private unless `difference_shared`: column privileges cannot depend
  on a row, so a view of the shared ones (`shared_differences`, run with the owner's rights) is what an
  assistant reads, and writes (only the text, only where shared).
- Views in place of the tables (or `security_invoker` views under another search_path) would show an
  assistant blank notes rather than refuse them, and psql would not be refused. Instead the app asks
  the server, when a diary opens, whether the role may read the note (db.standing); if not, its Reader
  reads the texts as empty literals and the difference through the view, so every query the app makes
  still runs and none names what the server would refuse.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Connection, text

from los_tui.db import tables
from los_tui.db.errors import StoreError
from los_tui.db.search_index import INDEX_TABLE, SERVER_PRIVATE_COLUMNS, SERVER_SHARED_COLUMNS
from los_tui.domain.errors import InputError


class Access(StrEnum):
    MEMBER = "member"
    ASSISTANT = "assistant"
    VIEWER = "viewer"


# Private text: neither read nor written by an assistant or a viewer.
PRIVATE_COLUMNS: dict[str, frozenset[str]] = {
    "occurrence_logs": frozenset({"note", "questions", "difference"}),
    "asked_questions": frozenset({"answer"}),
    INDEX_TABLE: SERVER_PRIVATE_COLUMNS,  # the words of the private text too (migration 0006)
}
# What an assistant and a viewer may read: every column of db/tables.py is either here or private (a test
# holds it), so a column added later, say a search index over notes, is closed to them until it is
# placed here on purpose.
SHARED_COLUMNS: dict[str, frozenset[str]] = {
    name: frozenset(columns.split())
    for name, columns in {
        "diary_settings": "key value",
        "commitments": "id slug title role frequency wording with_whom joint_id quarterly_target "
        "retired_on created_at updated_at factors version",
        "schedules": "id commitment_id effective_from rrule start_local duration_minutes location tz "
        "ical_uid sequence created_at updated_at",
        "target_changes": "id commitment_id effective_from target created_at",
        "occurrence_logs": "id commitment_id original_start start all_day duration_minutes status "
        "created_at updated_at version difference_shared",
        "actions": "id log_id text owner due done created_at updated_at version",
        "asked_questions": "id log_id question_id created_at updated_at",
        "imported_events": "id uid recurrence_id log_id imported_at",
    }.items()
} | {INDEX_TABLE: SERVER_SHARED_COLUMNS}  # the words an assistant may read (migration 0006)
# Read by an assistant but set only by a member: whether a meeting's difference may be shown to others.
MEMBER_SETS = {"occurrence_logs": frozenset({"difference_shared"})}
# What an assistant keeps: every table but the asked questions (asking is done at the meeting, by the
# member), with no deleting of logs (a log carries the member's private text with it).
ASSISTANT_KEEPS = frozenset(
    {
        "diary_settings",
        "commitments",
        "schedules",
        "target_changes",
        "occurrence_logs",
        "actions",
        "imported_events",
    }
)
ASSISTANT_DELETES = ASSISTANT_KEEPS - {"occurrence_logs"}
# Columns an assistant's insert may name only as empty (false): the Writer names them on a new log.
EMPTY_ON_INSERT = {"occurrence_logs": PRIVATE_COLUMNS["occurrence_logs"] | MEMBER_SETS["occurrence_logs"]}
SHARED_VIEW = "shared_differences"
_EVERYONE_POLICY = "los_rows_for_everyone"
_PRIVATE_INSERT_POLICY = "los_private_text_by_members"
MAX_ROLE_LENGTH = 63  # PostgreSQL's NAMEDATALEN - 1


@dataclass(frozen=True)
class Grant:
    """What one role may do in the diary, as the server's privileges say."""

    role: str
    access: Access | None  # None: privileges that match no level (set by hand)
    detail: str = ""


def _quote(connection: Connection, name: str) -> str:
    return connection.dialect.identifier_preparer.quote_identifier(name)


def _columns(connection: Connection) -> dict[str, list[str]]:
    """The diary's tables in this database (those of db/tables.py present, and the full-text index of
    migration 0006) and their columns, known ones only, in the schema the connection works in."""
    rows = connection.execute(
        text(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() ORDER BY ordinal_position"
        )
    ).all()
    present: dict[str, list[str]] = {}
    for table_name, column_name in rows:
        table = tables.metadata.tables.get(table_name)
        known = (
            SERVER_SHARED_COLUMNS | SERVER_PRIVATE_COLUMNS
            if table_name == INDEX_TABLE
            else (frozenset(table.c.keys()) if table is not None else frozenset())
        )
        if column_name in known:
            present.setdefault(table_name, []).append(column_name)
    return present


def check_role_name(role: str) -> str:
    if not role or not role.strip():
        raise InputError("database role", role, "must not be empty; give a database role")
    if len(role.encode()) > MAX_ROLE_LENGTH or any(ord(c) < 32 or ord(c) == 127 for c in role):
        raise InputError("database role", role, "is not a database role's name")
    return role


def owner_of(connection: Connection) -> str:
    """The diary's owner: the role that owns its tables (it ran `los init`); refused if there is none."""
    owner = connection.execute(
        text(
            "SELECT tableowner FROM pg_tables "
            "WHERE schemaname = current_schema() AND tablename = 'commitments'"
        )
    ).scalar()
    if owner is None:
        raise StoreError("holds no diary yet; run `los init` on it first", "diary")
    return str(owner)


def _require_owner(connection: Connection) -> str:
    owner = owner_of(connection)
    me, superuser = connection.execute(
        text("SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user")
    ).one()
    if me != owner and not superuser:
        raise StoreError(
            f"only the diary's owner ({owner}) can grant or revoke access; you are connected as {me}",
            "diary",
        )
    return owner


def _require_role(connection: Connection, role: str, owner: str, access: Access | None) -> None:
    found = connection.execute(
        text("SELECT rolsuper FROM pg_roles WHERE rolname = :role"), {"role": role}
    ).first()
    if found is None:
        raise InputError(
            "database role",
            role,
            "no such role on the server; ask your database administrator to create it (a login role)",
        )
    if role == owner:
        raise InputError("database role", role, "owns the diary: it may already do everything")
    if found[0] and access is not None and access is not Access.MEMBER:
        raise InputError(
            "database role",
            role,
            f"is a superuser: the server lets it read everything, so it cannot be kept to {access}",
        )


def _ensure_policies(connection: Connection) -> None:
    """The row-level policy that keeps private text out of an assistant's inserts, and the view of
    shared differences; made once, on the first grant."""
    logs = _quote(connection, "occurrence_logs")
    existing = set(
        connection.execute(
            text(
                "SELECT policyname FROM pg_policies "
                "WHERE schemaname = current_schema() AND tablename = 'occurrence_logs'"
            )
        ).scalars()
    )
    connection.execute(text(f"ALTER TABLE {logs} ENABLE ROW LEVEL SECURITY"))
    if _EVERYONE_POLICY not in existing:
        connection.execute(
            text(
                f"CREATE POLICY {_EVERYONE_POLICY} ON {logs} FOR ALL TO PUBLIC USING (true) WITH CHECK (true)"
            )
        )
    if _PRIVATE_INSERT_POLICY not in existing:
        private = " AND ".join(
            [f"{name} = ''" for name in sorted(PRIVATE_COLUMNS["occurrence_logs"])]
            + ["NOT difference_shared"]
        )
        connection.execute(
            text(
                f"CREATE POLICY {_PRIVATE_INSERT_POLICY} ON {logs} AS RESTRICTIVE FOR INSERT TO PUBLIC "
                f"WITH CHECK (has_column_privilege('occurrence_logs', 'note', 'UPDATE') OR ({private}))"
            )
        )
    connection.execute(
        text(
            f"CREATE OR REPLACE VIEW {SHARED_VIEW} AS SELECT id AS log_id, difference FROM {logs} "
            "WHERE difference_shared WITH CASCADED CHECK OPTION"
        )
    )


def _revoke_everything(connection: Connection, role: str) -> None:
    who = _quote(connection, role)
    schema = connection.execute(text("SELECT current_schema()")).scalar()
    where = _quote(connection, str(schema))
    connection.execute(text(f"REVOKE ALL ON ALL TABLES IN SCHEMA {where} FROM {who}"))
    connection.execute(text(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {where} FROM {who}"))
    connection.execute(text(f"REVOKE ALL ON SCHEMA {where} FROM {who}"))


def _column_list(connection: Connection, names: Iterable[str]) -> str:
    return ", ".join(_quote(connection, name) for name in names)


def _grant_level(connection: Connection, role: str, access: Access, columns: dict[str, list[str]]) -> None:
    who = _quote(connection, role)
    schema = str(connection.execute(text("SELECT current_schema()")).scalar())
    connection.execute(text(f"GRANT USAGE ON SCHEMA {_quote(connection, schema)} TO {who}"))
    if _table_exists(connection, "alembic_version"):
        connection.execute(text(f"GRANT SELECT ON alembic_version TO {who}"))
    connection.execute(text(f"GRANT SELECT ON {SHARED_VIEW} TO {who}"))
    if access is not Access.VIEWER:
        connection.execute(text(f"GRANT UPDATE (difference) ON {SHARED_VIEW} TO {who}"))
    if access is not Access.VIEWER:
        connection.execute(
            text(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {_quote(connection, schema)} TO {who}")
        )
    for table, names in columns.items():
        name = _quote(connection, table)
        if access is Access.MEMBER:
            # The full-text index is written by its triggers alone, as the owner (migration 0006).
            privileges = "SELECT" if table == INDEX_TABLE else "SELECT, INSERT, UPDATE, DELETE"
            connection.execute(text(f"GRANT {privileges} ON {name} TO {who}"))
            continue
        readable = [column for column in names if column in SHARED_COLUMNS.get(table, frozenset())]
        connection.execute(text(f"GRANT SELECT ({_column_list(connection, readable)}) ON {name} TO {who}"))
        if access is Access.VIEWER or table not in ASSISTANT_KEEPS:
            continue
        updated = [column for column in readable if column not in MEMBER_SETS.get(table, frozenset())]
        # A new log names its texts, empty, and difference_shared, false (the Writer's Python-side
        # defaults); the row-level policy refuses any other values.
        inserted = updated + sorted(EMPTY_ON_INSERT.get(table, frozenset()) & set(names))
        connection.execute(text(f"GRANT INSERT ({_column_list(connection, inserted)}) ON {name} TO {who}"))
        connection.execute(text(f"GRANT UPDATE ({_column_list(connection, updated)}) ON {name} TO {who}"))
        if table in ASSISTANT_DELETES:
            connection.execute(text(f"GRANT DELETE ON {name} TO {who}"))


def _table_exists(connection: Connection, name: str) -> bool:
    return (
        connection.execute(
            text(
                "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() "
                "AND table_name = :name"
            ),
            {"name": name},
        ).first()
        is not None
    )


def grant(connection: Connection, role: str, access: Access) -> None:
    """Give `role` exactly `access` (what it had before is replaced), in the caller's transaction."""
    check_role_name(role)
    owner = _require_owner(connection)
    _require_role(connection, role, owner, access)
    columns = _columns(connection)
    _ensure_policies(connection)
    _revoke_everything(connection, role)
    _grant_level(connection, role, access, columns)


def revoke(connection: Connection, role: str) -> bool:
    """Take every privilege on the diary from `role`; False if it had none."""
    check_role_name(role)
    owner = _require_owner(connection)
    _require_role(connection, role, owner, None)
    had = any(grant.role == role for grant in grants(connection))
    _revoke_everything(connection, role)
    return had


def grants(connection: Connection) -> list[Grant]:
    """Every role the diary's tables are granted to (the owner aside), with its level as the server's
    privileges make it, by name."""
    owner = owner_of(connection)
    roles = connection.execute(
        text(
            "SELECT DISTINCT r.rolname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "CROSS JOIN LATERAL aclexplode(c.relacl) a JOIN pg_roles r ON r.oid = a.grantee "
            "WHERE n.nspname = current_schema() "
            "UNION SELECT DISTINCT r.rolname FROM pg_attribute t JOIN pg_class c ON c.oid = t.attrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace CROSS JOIN LATERAL aclexplode(t.attacl) a "
            "JOIN pg_roles r ON r.oid = a.grantee WHERE n.nspname = current_schema() ORDER BY 1"
        )
    ).scalars()
    return [_level_of(connection, str(role)) for role in roles if role != owner]


def _level_of(connection: Connection, role: str) -> Grant:
    def may(table: str, privilege: str, column: str | None = None) -> bool:
        if column is None:
            query = "SELECT has_any_column_privilege(:role, :table, :privilege)"  # granted by column
        else:
            query = "SELECT has_column_privilege(:role, :table, :column, :privilege)"
        parameters = {"role": role, "table": table, "privilege": privilege, "column": column}
        return bool(connection.execute(text(query), parameters).scalar())

    reads_notes = may("occurrence_logs", "SELECT", "note")
    writes_notes = may("occurrence_logs", "UPDATE", "note")
    reads_diary = may("commitments", "SELECT") and may("occurrence_logs", "SELECT", "status")
    keeps_diary = may("occurrence_logs", "UPDATE", "status") and may("actions", "INSERT")
    if reads_notes and writes_notes and keeps_diary:
        return Grant(role, Access.MEMBER)
    if reads_diary and keeps_diary and not reads_notes and not writes_notes:
        return Grant(role, Access.ASSISTANT)
    if reads_diary and not keeps_diary and not reads_notes and not may("commitments", "INSERT"):
        return Grant(role, Access.VIEWER)
    said = ", ".join(
        word
        for word, holds in (
            ("reads the diary", reads_diary),
            ("keeps the diary", keeps_diary),
            ("reads notes", reads_notes),
            ("writes notes", writes_notes),
        )
        if holds
    )
    return Grant(role, None, f"privileges set by hand ({said or 'partial'}); grant a level to replace them")


def private_text_readable(connection: Connection) -> bool:
    """Whether the connected role may read private text (a member or the owner) or not (an assistant or a
    viewer), asked of the server, so the app leaves out what the server would refuse."""
    return bool(
        connection.execute(text("SELECT has_column_privilege('occurrence_logs', 'note', 'SELECT')")).scalar()
    )


def before_migration(connection: Connection) -> list[Grant]:
    """Ready the diary for a migration: the view of shared differences and the row policies are dropped
    (each pins the columns it reads, which a migration may change or drop), and the levels granted are
    returned, to be renewed by after_migration, which makes them again, in the same transaction."""
    if not _table_exists(connection, "commitments"):
        return []  # a new diary: nothing granted yet
    kept = [entry for entry in grants(connection) if entry.access is not None]
    connection.execute(text(f"DROP VIEW IF EXISTS {SHARED_VIEW}"))
    logs = _quote(connection, "occurrence_logs")
    for policy in (_PRIVATE_INSERT_POLICY, _EVERYONE_POLICY):  # a policy pins its columns too
        connection.execute(text(f"DROP POLICY IF EXISTS {policy} ON {logs}"))
    connection.execute(text(f"ALTER TABLE {logs} DISABLE ROW LEVEL SECURITY"))
    return kept


def after_migration(connection: Connection, kept: list[Grant]) -> None:
    """Grant each role its level again on the migrated schema: new columns an assistant may read
    (SHARED_COLUMNS) are opened to it, everything else a migration added stays closed."""
    for entry in kept:
        assert entry.access is not None
        grant(connection, entry.role, entry.access)
