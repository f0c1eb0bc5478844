"""full-text search on a server: PostgreSQL's own index of what the user searches, one row per logged meeting

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29

A diary file has had its index since 0004 (SQLite FTS5); this revision changes nothing in a file. On
PostgreSQL it makes `search_index` (db/search_index.py names it for the Reader): for each occurrence log,
the time its meeting is held and two tsvectors of the words in it, each under a GIN index:

- `shared_words`: what an assistant or a viewer may read (db/access.py): the commitment's title, the
  actions' text and owners, and the difference made only where it is marked shared;
- `all_words`: the same and the private text, the note, the questions and the answers given.

`los access` opens only `log_id`, `held` and `shared_words` to an assistant or a viewer (column
privileges, as on the tables), so a role kept from private text can neither find a meeting by a note's
words nor read them out of the index; the Reader of such a role names only `shared_words`.

Words are indexed as a diary file indexes them: the 'simple' configuration (no stemming, no stop words;
a search matches the start of a word, as FTS5's prefix queries do), with accents removed through the
`unaccent` extension where the server has it and lets the diary's owner create it (a trusted extension
since PostgreSQL 13); without it the configuration is 'simple' alone and "zoe" does not find "Zoë".

Statement triggers with transition tables keep the index in step with every writer (the app, `los copy`,
psql): one pass per statement, so a copy of 50,000 logs refreshes them in a few set-based queries. They
run as the diary's owner (SECURITY DEFINER, search_path fixed), since an assistant's change to an action
must refresh a row holding the note's words, which the assistant may neither read nor write. The upgrade
fills the index from the rows already there. The SQL is written out here, frozen as this revision ships it.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CONFIGURATION = "los_search"  # db/search_index.SERVER_CONFIGURATION, as this revision ships it

_ACTIONS = (
    "coalesce((SELECT string_agg(a.text || ' ' || a.owner, E'\\n' ORDER BY a.id) FROM actions a "
    "WHERE a.log_id = l.id), '')"
)
_ANSWERS = (
    "coalesce((SELECT string_agg(q.answer, E'\\n' ORDER BY q.id) FROM asked_questions q "
    "WHERE q.log_id = l.id), '')"
)


def _words(*texts: str) -> str:
    return " || ".join(f"to_tsvector('{CONFIGURATION}', {text})" for text in texts)


_SHARED = _words("c.title", _ACTIONS, "CASE WHEN l.difference_shared THEN l.difference ELSE '' END")
_ALL = _words("c.title", "l.note", "l.questions", "l.difference", _ACTIONS, _ANSWERS)

FUNCTIONS = {
    # The rows of the logs `wanted` made again (a log gone leaves none).
    "los_search_refresh(wanted integer[])": (
        "RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path FROM CURRENT AS $$ "
        "DELETE FROM search_index WHERE log_id = ANY(wanted); "
        "INSERT INTO search_index (log_id, held, shared_words, all_words) "
        f"SELECT l.id, coalesce(l.start, l.original_start), {_SHARED}, {_ALL} "
        "FROM occurrence_logs l JOIN commitments c ON c.id = l.commitment_id WHERE l.id = ANY(wanted); $$"
    ),
    "los_search_logs_changed()": (
        "RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$ BEGIN "
        "IF TG_OP = 'INSERT' THEN PERFORM los_search_refresh(ARRAY(SELECT id FROM new_rows)); "
        "ELSIF TG_OP = 'DELETE' THEN DELETE FROM search_index WHERE log_id IN (SELECT id FROM old_rows); "
        "ELSE PERFORM los_search_refresh(ARRAY(SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id "
        "WHERE (n.commitment_id, n.note, n.questions, n.difference, n.difference_shared, n.start, "
        "n.original_start) IS DISTINCT FROM (o.commitment_id, o.note, o.questions, o.difference, "
        "o.difference_shared, o.start, o.original_start))); "
        "END IF; RETURN NULL; END $$"
    ),
    # Actions and answers: the logs they belong (or belonged) to.
    "los_search_parts_changed()": (
        "RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$ BEGIN "
        "IF TG_OP = 'INSERT' THEN PERFORM los_search_refresh(ARRAY(SELECT log_id FROM new_rows)); "
        "ELSIF TG_OP = 'DELETE' THEN PERFORM los_search_refresh(ARRAY(SELECT log_id FROM old_rows)); "
        "ELSE PERFORM los_search_refresh(ARRAY(SELECT log_id FROM new_rows "
        "UNION SELECT log_id FROM old_rows)); "
        "END IF; RETURN NULL; END $$"
    ),
    "los_search_titles_changed()": (
        "RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$ BEGIN "
        "PERFORM los_search_refresh(ARRAY(SELECT l.id FROM occurrence_logs l JOIN new_rows n "
        "ON n.id = l.commitment_id JOIN old_rows o ON o.id = n.id WHERE n.title IS DISTINCT FROM o.title)); "
        "RETURN NULL; END $$"
    ),
}

_NEW = "REFERENCING NEW TABLE AS new_rows"
_OLD = "REFERENCING OLD TABLE AS old_rows"
_BOTH = "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"
# A trigger with transition tables takes one event and no column list; the functions test what changed.
TRIGGERS = {
    "search_logs_added": f"AFTER INSERT ON occurrence_logs {_NEW} FOR EACH STATEMENT "
    "EXECUTE FUNCTION los_search_logs_changed()",
    "search_logs_changed": f"AFTER UPDATE ON occurrence_logs {_BOTH} FOR EACH STATEMENT "
    "EXECUTE FUNCTION los_search_logs_changed()",
    "search_logs_removed": f"AFTER DELETE ON occurrence_logs {_OLD} FOR EACH STATEMENT "
    "EXECUTE FUNCTION los_search_logs_changed()",
    **{
        f"search_{table}_{event.lower()}": f"AFTER {event} ON {table} {references} FOR EACH STATEMENT "
        "EXECUTE FUNCTION los_search_parts_changed()"
        for table in ("actions", "asked_questions")
        for event, references in (("INSERT", _NEW), ("UPDATE", _BOTH), ("DELETE", _OLD))
    },
    "search_titles_changed": f"AFTER UPDATE ON commitments {_BOTH} FOR EACH STATEMENT "
    "EXECUTE FUNCTION los_search_titles_changed()",
}
_TRIGGER_TABLES = {
    "search_logs_added": "occurrence_logs",
    "search_logs_changed": "occurrence_logs",
    "search_logs_removed": "occurrence_logs",
    **{
        f"search_{table}_{event}": table
        for table in ("actions", "asked_questions")
        for event in ("insert", "update", "delete")
    },
    "search_titles_changed": "commitments",
}


def _on_server() -> bool:
    return bool(op.get_bind().dialect.name == "postgresql")


def _unaccent_available() -> bool:
    """Whether the `unaccent` extension is (or can be made) here: tried in a savepoint, so a server
    without it, or a role without CREATE on the database, leaves the migration's transaction sound."""
    bind = op.get_bind()
    found = bind.exec_driver_sql("SELECT 1 FROM pg_extension WHERE extname = 'unaccent'").first()
    if found is not None:
        return True
    from sqlalchemy.exc import DBAPIError

    try:
        with bind.begin_nested():
            bind.exec_driver_sql("CREATE EXTENSION unaccent")
    except DBAPIError:
        return False
    return True


def upgrade() -> None:
    if not _on_server():
        return
    op.execute(f"CREATE TEXT SEARCH CONFIGURATION {CONFIGURATION} (COPY = pg_catalog.simple)")
    if _unaccent_available():
        op.execute(
            f"ALTER TEXT SEARCH CONFIGURATION {CONFIGURATION} ALTER MAPPING FOR "
            "word, hword, hword_part, asciiword, asciihword, hword_asciipart, numword, numhword, "
            "hword_numpart WITH unaccent, simple"
        )
    op.execute(
        "CREATE TABLE search_index (log_id integer PRIMARY KEY, held timestamp without time zone, "
        "shared_words tsvector NOT NULL, all_words tsvector NOT NULL)"
    )
    op.execute("CREATE INDEX ix_search_index_held ON search_index (held DESC NULLS LAST, log_id DESC)")
    op.execute("CREATE INDEX ix_search_index_shared_words ON search_index USING gin (shared_words)")
    op.execute("CREATE INDEX ix_search_index_all_words ON search_index USING gin (all_words)")
    for signature, body in FUNCTIONS.items():
        op.execute(f"CREATE FUNCTION {signature} {body}")
    for name, body in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")
    op.execute("SELECT los_search_refresh(ARRAY(SELECT id FROM occurrence_logs))")
    # Statistics now, not at autovacuum's leisure: without them the planner walks the whole index by
    # time for a word found nowhere (34 ms on 50,000 logs instead of 2 ms).
    op.execute("ANALYZE search_index")


def downgrade() -> None:
    if not _on_server():
        return
    for name, table in _TRIGGER_TABLES.items():
        op.execute(f"DROP TRIGGER {name} ON {table}")
    for signature in reversed(list(FUNCTIONS)):
        op.execute(f"DROP FUNCTION {signature.split('(')[0]}")
    op.execute("DROP TABLE search_index")
    op.execute(f"DROP TEXT SEARCH CONFIGURATION {CONFIGURATION}")
    # `unaccent` stays: an extension belongs to the database, and something else there may use it.
