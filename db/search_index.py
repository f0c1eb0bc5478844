"""The full-text index's name and shape (migrations 0004 and 0006 build it, the Reader queries it), free of
SQLAlchemy."""

from __future__ import annotations

from datetime import UTC, datetime

INDEX_TABLE = "search_index"
# On a server (migration 0006): the words' text search configuration, and the index's columns by who may
# read them (db/access.py grants an assistant or a viewer the shared ones only).
SERVER_CONFIGURATION = "los_search"
SERVER_SHARED_COLUMNS = frozenset({"log_id", "held", "shared_words"})
SERVER_PRIVATE_COLUMNS = frozenset({"all_words"})
# Each row's rowid is its meeting's second, counted from 0001-01-01, then the log's id (migration 0004).
EPOCH_SHIFT = 62_135_596_800
KEY_SCALE = 10_000_000


def log_id_of(rowid: int) -> int:
    return rowid % KEY_SCALE


def first_key_at(moment: datetime) -> int:
    """The smallest rowid of a meeting held at `moment` or after (to the second)."""
    seconds = int(moment.astimezone(UTC).timestamp() // 1)
    return (seconds + EPOCH_SHIFT) * KEY_SCALE


# FTS5 keeps the index in tables of its own, named after it.
_SHADOW_SUFFIXES = ("", "_data", "_idx", "_content", "_docsize", "_config")


def is_index_table(name: str | None) -> bool:
    """Whether a table is the index or one of FTS5's own tables behind it (no model describes them)."""
    return name in {INDEX_TABLE + suffix for suffix in _SHADOW_SUFFIXES}


def described_by_models(name: str | None, type_: str, _parents: object) -> bool:
    """Alembic's include_name: whether autogenerate compares an object with the models (db/tables.py);
    the full-text index is SQL of migration 0004's own."""
    return not (type_ == "table" and is_index_table(name))
