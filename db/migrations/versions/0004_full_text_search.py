"""full-text search: an FTS5 index of what the user searches, one row per logged meeting

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29

`search_index` holds, for each occurrence log, the commitment's title, the
note, the questions to raise, the difference made, the actions' text and owners, and the answers given to
the guidance's questions asked there (db/search_index.py names the columns for the Reader). Triggers keep
it in step with every writer (the Writer, an import, a bulk load, another program), and the upgrade fills
it from the rows already there. The SQL is written out here, frozen as this revision ships it.

Each row's rowid is its meeting's time and then the log's id (ROWID below; db/search_index.py reads it
back): FTS5 returns rows in rowid order and takes a rowid range itself, so the newest matches of a common
word, within --from/--to, come straight from the index, never sorted from all of them.

A later migration that rebuilds occurrence_logs, actions, asked_questions or commitments in SQLite's batch
mode (copy, drop, rename) drops these triggers with the table: it must create them again (TRIGGERS below).

SQLite only. On another database (PostgreSQL, the shared diary) this revision changes nothing and the
Reader searches with LIKE instead (Reader.search).
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Diacritics folded, so "Zoe" finds "Zoë"; tokens are Unicode letters and digits.
CREATE_INDEX = (
    "CREATE VIRTUAL TABLE search_index USING fts5("
    "title, note, questions, difference, actions, answers, "
    "tokenize = 'unicode61 remove_diacritics 2')"
)


# Seconds from 0001-01-01 to the Unix epoch: every time a diary holds counts up from 0.
EPOCH_SHIFT = 62_135_596_800
# Log ids below ten million keep their place after the second of the meeting.
KEY_SCALE = 10_000_000


def _key(log: str) -> str:
    """A log's rowid in the index: the second its meeting is held at (moved or not), then its id."""
    return (
        f"((CAST(strftime('%s', coalesce({log}.start, {log}.original_start)) AS INTEGER) + {EPOCH_SHIFT}) "
        f"* {KEY_SCALE} + {log}.id)"
    )


def _row_of(where: str) -> str:
    """The index's row for the logs picked by `where` (over occurrence_logs l)."""
    return (
        "INSERT INTO search_index (rowid, title, note, questions, difference, actions, answers) "
        f"SELECT {_key('l')}, c.title, l.note, l.questions, l.difference, "
        "coalesce((SELECT group_concat(a.text || ' ' || a.owner, char(10)) FROM actions a "
        "WHERE a.log_id = l.id), ''), "
        "coalesce((SELECT group_concat(q.answer, char(10)) FROM asked_questions q "
        "WHERE q.log_id = l.id), '') "
        f"FROM occurrence_logs l JOIN commitments c ON c.id = l.commitment_id WHERE {where}"
    )


def _refresh(log_id: str) -> str:
    """The log's row made again (after a change to its actions or answers)."""
    return (
        f"DELETE FROM search_index WHERE rowid = (SELECT {_key('l')} FROM occurrence_logs l "
        f"WHERE l.id = {log_id}); {_row_of(f'l.id = {log_id}')};"
    )


TRIGGERS = {
    "search_log_added": f"AFTER INSERT ON occurrence_logs BEGIN {_row_of('l.id = NEW.id')}; END",
    "search_log_changed": (
        "AFTER UPDATE OF commitment_id, note, questions, difference, start, original_start "
        "ON occurrence_logs BEGIN "
        f"DELETE FROM search_index WHERE rowid = {_key('OLD')}; {_row_of('l.id = NEW.id')}; END"
    ),
    "search_log_removed": (
        f"AFTER DELETE ON occurrence_logs BEGIN DELETE FROM search_index WHERE rowid = {_key('OLD')}; END"
    ),
    "search_action_added": f"AFTER INSERT ON actions BEGIN {_refresh('NEW.log_id')} END",
    "search_action_changed": (
        "AFTER UPDATE OF log_id, text, owner ON actions "
        f"BEGIN {_refresh('OLD.log_id')} {_refresh('NEW.log_id')} END"
    ),
    "search_action_removed": f"AFTER DELETE ON actions BEGIN {_refresh('OLD.log_id')} END",
    "search_answer_added": f"AFTER INSERT ON asked_questions BEGIN {_refresh('NEW.log_id')} END",
    "search_answer_changed": (
        "AFTER UPDATE OF log_id, answer ON asked_questions "
        f"BEGIN {_refresh('OLD.log_id')} {_refresh('NEW.log_id')} END"
    ),
    "search_answer_removed": f"AFTER DELETE ON asked_questions BEGIN {_refresh('OLD.log_id')} END",
    "search_title_changed": (
        "AFTER UPDATE OF title ON commitments BEGIN "
        f"DELETE FROM search_index WHERE rowid IN (SELECT {_key('l')} FROM occurrence_logs l "
        "WHERE l.commitment_id = NEW.id); "
        f"{_row_of('l.commitment_id = NEW.id')}; END"
    ),
}


def _on_sqlite() -> bool:
    return bool(op.get_bind().dialect.name == "sqlite")


def upgrade() -> None:
    if not _on_sqlite():
        return
    op.execute(CREATE_INDEX)
    for name, body in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")
    op.execute(_row_of("1"))


def downgrade() -> None:
    if not _on_sqlite():
        return
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER {name}")
    op.execute("DROP TABLE search_index")
