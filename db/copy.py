"""Moving a whole diary between a SQLite file and a PostgreSQL database, either way (`los copy`): every
table of db/tables.py, row for row, at the source's schema revision, into an empty target, in one go.

The target is built at the source's revision by Alembic first, then filled, all in one transaction on a
server (PostgreSQL's DDL is transactional) or in a temporary file renamed into place on SQLite: a copy that
fails leaves the target as it was. Ids are kept (actions, imports and questions point at logs by id), so
a server's sequences are moved past the highest id copied.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from los_tui.db.engine import StoreError, create_empty_database, is_existing_diary, make_engine, quick_check
from los_tui.db.files import atomic_path
from los_tui.db.migrate import check_known_revision, current_revision, migrate_to
from los_tui.db.paths import is_server_url, libpq_url, looks_like_url, redact

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine, Table


CHUNK_ROWS = 2000  # rows read and written at a time: a diary of any size copies in bounded memory


@dataclass(frozen=True)
class Copied:
    """What a copy carried: the schema revision and the rows of each table."""

    revision: str
    rows: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.rows.values())


@dataclass(frozen=True)
class Place:
    """One end of a copy: a diary file, or a database on a server (its URL shown with no password)."""

    field: str  # "source" or "target", for messages
    path: Path | None = None
    url: str | None = None

    def __str__(self) -> str:
        return redact(self.url) if self.url is not None else str(self.path)

    @classmethod
    def named(cls, field: str, value: str) -> Place:
        if looks_like_url(value):
            if not is_server_url(value):
                raise StoreError(
                    "only PostgreSQL URLs (postgresql://...) or a file's path", field, redact(value)
                )
            return cls(field, url=libpq_url(value))
        if not value.strip():
            raise StoreError("must not be empty; give a diary file or a postgresql:// URL", field, value)
        return cls(field, path=Path(value).expanduser().absolute())


def reading_engine(path: Path) -> Engine:
    """A diary file opened read-only for a copy, with none of the app's pragmas (a copy changes nothing
    in its source, not even its journal mode)."""
    from sqlalchemy import create_engine, event
    from sqlalchemy.engine import URL

    from los_tui.db.engine import TextDamage
    from los_tui.db.paths import sqlite_uri

    url = URL.create("sqlite+pysqlite", database=sqlite_uri(path, mode="ro"), query={"uri": "true"})
    engine = create_engine(url, hide_parameters=True)
    damage = TextDamage()  # a damaged byte is carried as U+FFFD, never failing the copy

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.text_factory = damage.decode

    event.listen(engine, "connect", on_connect)
    return engine


def server_engine(url: str) -> Engine:
    """The server's engine as the app makes it (libpq reads the URL, ~/.pgpass and PGPASSFILE)."""
    from los_tui.db.paths import ServerDiary
    from los_tui.db.server import make_server_engine

    return make_server_engine(ServerDiary(url))


def _tables_in_order() -> list[Table]:
    from los_tui.db.tables import metadata

    return list(metadata.sorted_tables)  # parents before children


def _server_revision(connection: Connection) -> str | None:
    from sqlalchemy import inspect

    if not inspect(connection).has_table("alembic_version"):
        return None
    value = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    return None if value is None else str(value)


def _check_revision_known(revision: str, place: Place) -> None:
    from alembic.script import ScriptDirectory

    from los_tui.db.migrate import MIGRATIONS_DIR

    known = {script.revision for script in ScriptDirectory(str(MIGRATIONS_DIR)).walk_revisions()}
    if revision not in known:
        raise StoreError(
            f"its schema revision {revision!r} is unknown to this los-tui; copy it with a newer los-tui",
            place.field,
            str(place),
        )


@contextmanager
def _reading(source: Place) -> Iterator[tuple[Connection, str]]:
    """The source in one consistent snapshot, and its revision; refused unless it is a sound diary."""
    if source.path is not None:
        if not is_existing_diary(source.path, field="source"):
            raise StoreError("no diary there to copy", "source", str(source))
        verdict = quick_check(source.path)
        if verdict != "ok":
            raise StoreError(f"is damaged ({verdict}); restore a backup first", "source", str(source))
        revision = check_known_revision(source.path, field="source")
        if revision is None:
            raise StoreError("holds no diary yet (no schema)", "source", str(source))
        engine = reading_engine(source.path)
    else:
        assert source.url is not None
        engine = server_engine(source.url)
    try:
        with _opened(engine, source) as connection:
            if source.url is not None:
                # One snapshot of the whole diary, however many others write meanwhile.
                connection.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                revision = _server_revision(connection)
                if revision is None:
                    raise StoreError("holds no diary (no los-tui schema there)", "source", str(source))
                _check_revision_known(revision, source)
            assert revision is not None
            yield connection, revision
    finally:
        engine.dispose()


@contextmanager
def _opened(engine: Engine, place: Place) -> Iterator[Connection]:
    from sqlalchemy.exc import DBAPIError

    try:
        with engine.begin() as connection:
            yield connection
    except StoreError as exc:
        if exc.field != "diary":
            raise
        # Said of the diary the app has open (db.server.connect): here it is the copy's source or target.
        raise StoreError(exc.reason, place.field, str(place)) from None
    except DBAPIError as exc:
        if getattr(exc.orig, "pgcode", None) == "42501":  # insufficient privilege (psycopg2's SQLSTATE)
            raise StoreError(
                "your database role may not read or write all of this diary; a copy needs the diary's "
                "owner or a member (and into a server, a role that may create tables there)",
                place.field,
                str(place),
            ) from None
        raise StoreError(f"cannot be used: {_one_line(exc.orig, place)}", place.field, str(place)) from None


def _one_line(error: BaseException | None, place: Place) -> str:
    """The server's message, its first line only: PostgreSQL's DETAIL ("Failing row contains ...") can
    quote a row's note. No password, whatever the driver says."""
    from los_tui.db.paths import ServerDiary

    primary = getattr(getattr(error, "diag", None), "message_primary", None)
    message = " ".join(str(primary or error).split())
    return ServerDiary(place.url).scrub(message) if place.url is not None else message


def _refuse_if_not_empty(connection: Connection, target: Place) -> None:
    from sqlalchemy import func, inspect, select

    present = set(inspect(connection).get_table_names())
    for table in _tables_in_order():
        if table.name in present:
            count = connection.execute(select(func.count()).select_from(table)).scalar_one()
            if count:
                raise StoreError(
                    f"is not empty ({table.name} holds {count} rows); give an empty database or a new file",
                    "target",
                    str(target),
                )


def _copy_rows(source: Connection, target: Connection) -> dict[str, int]:
    from sqlalchemy import Column, MetaData, inspect, select, update
    from sqlalchemy import Table as Written

    present = {
        name: {c["name"] for c in inspect(source).get_columns(name)}
        for name in inspect(source).get_table_names()
    }
    copied: dict[str, int] = {}
    for table in _tables_in_order():
        if table.name not in present:
            continue
        columns = [column for column in table.c if column.name in present[table.name]]
        # A column pointing into its own table (a commitment's joint partner) is set once every row is in.
        later = [
            column for column in columns if any(key.column.table is table for key in column.foreign_keys)
        ]
        # Written through the columns the source has, and no Python-side defaults for the others: a diary
        # at an older revision lacks columns db/tables.py has now.
        written = Written(
            table.name, MetaData(), *(Column(c.name, c.type, primary_key=c.primary_key) for c in columns)
        )
        key = [written.c[k.name] for k in table.primary_key]
        pointing: list[dict[str, Any]] = []  # the rows whose `later` columns are set afterwards
        count = 0
        read = source.execution_options(yield_per=CHUNK_ROWS).execute(
            select(*columns).order_by(*table.primary_key)
        )
        # On a server, many rows a statement (SQLAlchemy's "insertmanyvalues", which RETURNING turns on):
        # the full-text index's triggers (migration 0006) run once a statement, and row by row they made
        # a copy of 50,000 logs take a minute.
        insert = written.insert().returning(*key) if target.dialect.name == "postgresql" else written.insert()
        for chunk in read.partitions():
            rows = [dict(row._mapping) for row in chunk]
            target.execute(insert, [{**row, **{c.name: None for c in later}} for row in rows])
            pointing += [row for row in rows if any(row[c.name] is not None for c in later)]
            count += len(rows)
        for row in pointing:
            values = {c.name: row[c.name] for c in later if row[c.name] is not None}
            target.execute(update(written).where(*(k == row[k.name] for k in key)).values(values))
        copied[table.name] = count
    return copied


def _reset_sequences(target: Connection, copied: dict[str, int]) -> None:
    """Move each serial id's sequence past the highest id copied, so the next row gets a new id."""
    for table in _tables_in_order():
        if table.name in copied and "id" in table.c and table.c.id.primary_key:
            target.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"coalesce(max(id), 1), max(id) IS NOT NULL) FROM {table.name}"
            )


def _check_counts(target: Connection, copied: dict[str, int], place: Place) -> None:
    from sqlalchemy import func, select

    from los_tui.db.tables import metadata

    for name, count in copied.items():
        landed = target.execute(select(func.count()).select_from(metadata.tables[name])).scalar_one()
        if landed != count:
            raise StoreError(
                f"{name}: {landed} rows landed of {count}; nothing was copied", "target", str(place)
            )


def copy_diary(source_name: str, target_name: str, replace_file: bool = False) -> Copied:
    """Copy the diary at `source_name` (a file or a postgresql:// URL) into the empty `target_name`;
    with `replace_file` (a backup of a server diary, `-o` as on a file) a file target is replaced whole
    whatever it held, once the copy is complete."""
    source, target = Place.named("source", source_name), Place.named("target", target_name)
    if (source.path is not None and source.path == target.path) or (
        source.url is not None and source.url == target.url
    ):
        raise StoreError("is the source itself; give another target", "target", str(target))
    with _reading(source) as (reading, revision):
        if target.path is not None:
            return _into_file(reading, revision, target, replace_file)
        return _into_server(reading, revision, target)


def _into_server(reading: Connection, revision: str, target: Place) -> Copied:
    from alembic.util import CommandError

    assert target.url is not None
    engine = server_engine(target.url)
    try:
        with _opened(engine, target) as writing:
            _refuse_if_not_empty(writing, target)
            there = _server_revision(writing)
            if there not in (None, revision):
                raise StoreError(
                    f"its schema is at revision {there}, the source's at {revision}; give an empty database",
                    "target",
                    str(target),
                )
            try:
                migrate_to(writing, revision)
            except CommandError as exc:
                raise StoreError(f"its schema cannot be built: {exc}", "target", str(target)) from None
            copied = _copy_rows(reading, writing)
            writing.exec_driver_sql("ANALYZE")  # the planner's statistics, for the rows just arrived
            _reset_sequences(writing, copied)
            _check_counts(writing, copied, target)
    finally:
        engine.dispose()
    return Copied(revision, copied)


def _into_file(reading: Connection, revision: str, target: Place, replace_file: bool) -> Copied:
    assert target.path is not None
    path = target.path
    if (
        not replace_file
        and is_existing_diary(path, field="target")
        and current_revision(path, field="target") is not None
    ):
        engine = reading_engine(path)
        try:
            with _opened(engine, target) as looking:
                _refuse_if_not_empty(looking, target)
        finally:
            engine.dispose()
    with atomic_path(path, field="target", replacing_a_diary=True) as temporary:
        try:
            create_empty_database(temporary)
            engine = make_engine(temporary)
            try:
                with _opened(engine, target) as writing:
                    migrate_to(writing, revision)
                    copied = _copy_rows(reading, writing)
                    _check_counts(writing, copied, target)
            finally:
                engine.dispose()
            # One file, whole: the write-ahead log folded in before the file is renamed into place.
            settling = sqlite3.connect(temporary)
            try:
                settling.execute("PRAGMA journal_mode = DELETE")
            finally:
                settling.close()
        finally:
            for companion in (f"{temporary}-wal", f"{temporary}-shm", f"{temporary}-journal"):
                if os.path.exists(companion):
                    os.unlink(companion)
    return Copied(revision, copied)


def diary_rows(connection: Connection) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every diary table, by primary key, as values: what two copies are compared by."""
    from sqlalchemy import inspect, select

    found = inspect(connection)
    rows = {}
    for table in _tables_in_order():
        if found.has_table(table.name):
            names = {column["name"] for column in found.get_columns(table.name)}
            chosen = select(*(column for column in table.c if column.name in names))
            rows[table.name] = [tuple(row) for row in connection.execute(chosen.order_by(*table.primary_key))]
    return rows
