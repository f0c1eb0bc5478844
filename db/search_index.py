"""The full-text index's name (migration 0004 builds it, the Reader queries it), free of SQLAlchemy."""

from __future__ import annotations

from datetime import UTC, datetime

INDEX_TABLE = "search_index"
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
