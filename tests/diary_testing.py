"""What the tests share besides fixtures: the fixed "now", the way to run `los` in a child process, and
where the code under test lives (imported by tests and by tests/conftest.py)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import los_tui

LONDON = ZoneInfo("Europe/London")
# A fixed "now" for every test: a Thursday in late November, after the October clock change.
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=LONDON)
PACKAGE_ROOT = Path(los_tui.__file__).resolve().parent.parent


@dataclass
class Result:
    code: int
    out: str
    err: str


def location_argument(where: object) -> str:
    """What `--db` is given for a diary: a file's path, or a server diary's URL as written."""
    from los_tui.db.paths import ServerDiary

    return where.url if isinstance(where, ServerDiary) else str(where)


def execute_sql(where: object, sql: str, parameters: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """Run one statement (`?` marks) on the diary as another program would: sqlite3 on a file, psycopg2 on
    a server diary; committed, its rows returned."""
    from los_tui.db.paths import ServerDiary

    if isinstance(where, ServerDiary):
        import psycopg2

        from los_tui.db.reader import server_sql

        server = psycopg2.connect(where.url)
        try:
            server.autocommit = True
            with server.cursor() as cursor:
                cursor.execute(server_sql(sql), parameters)
                return list(cursor.fetchall()) if cursor.description else []
        finally:
            server.close()
    with sqlite3.connect(str(where)) as connection:
        rows = connection.execute(sql, parameters).fetchall()
    connection.close()
    return rows


def diary_digest(where: object) -> str:
    """A fingerprint of everything in the diary, to show a refused command changed nothing."""
    import hashlib

    from los_tui.db.paths import ServerDiary

    if not isinstance(where, ServerDiary):
        with sqlite3.connect(str(where)) as connection:
            dump = "\n".join(connection.iterdump())
        connection.close()
        return hashlib.sha256(dump.encode()).hexdigest()
    tables = [
        row[0]
        for row in execute_sql(where, "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    ]
    dump = "\n".join(
        f"{table}: {execute_sql(where, f'SELECT * FROM {table} ORDER BY 1')}"
        for table in sorted(map(str, tables))
    )
    return hashlib.sha256(dump.encode()).hexdigest()


def diary_exists(where: object) -> bool:
    """A diary file is there, or a server diary has been set up (`los init`)."""
    from los_tui.db.paths import ServerDiary

    if isinstance(where, ServerDiary):
        return bool(execute_sql(where, "SELECT 1 FROM diary_settings WHERE key = 'role'"))
    return Path(str(where)).exists()


def run_los_process(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m los_tui ARGS`, in a child process, against the code under test."""
    child_env = {**os.environ, "PYTHONPATH": str(PACKAGE_ROOT), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "los_tui", *args],
        capture_output=True,
        text=True,
        env=child_env,
        timeout=120,
        check=False,
    )


def put_an_index_out_of_step(path: Path) -> None:
    """Change one letter of a slug inside the commitments' unique index, not in the table: the b-tree
    stays well formed (quick_check passes), but the index no longer matches its rows."""
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        (root,) = connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE type = 'index' AND tbl_name = 'commitments'"
        ).fetchone()
    connection.close()
    data = bytearray(path.read_bytes())
    page = slice((root - 1) * page_size, root * page_size)
    at = bytes(data[page]).index(b"lmcs-cicc") + (root - 1) * page_size
    data[at + len("lmcs-cic")] = ord("d")
    path.write_bytes(bytes(data))
