"""A real PostgreSQL server for the tests, started by the tests themselves: initdb into a temporary
folder, listening only on a Unix socket there, stopped at the end of the session.

PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user (runuser). Where
no server is installed the tests that need it are skipped, saying so; in CI (CI=true) they fail instead,
since CI must run them."""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

SUPERUSER = "los_admin"
START_TIMEOUT_S = 60
TEMPLATE = "los_template"  # a database at the schema's head, copied for each test (CREATE ... TEMPLATE)
_databases = itertools.count(1)


@dataclass(frozen=True)
class Server:
    socket_dir: Path
    port: int

    def url(self, database: str, user: str = SUPERUSER) -> str:
        """A libpq-style URL over the socket: no host name, no password."""
        return f"postgresql://{user}@/{database}?host={self.socket_dir}&port={self.port}"

    def psql(self, database: str, sql: str, user: str = SUPERUSER) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [_tool("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", str(self.socket_dir), "-p",
             str(self.port), "-U", user, "-d", database, "-c", sql],
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip


def _tool(name: str) -> str:
    found = shutil.which(name) or next(
        iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))[::-1]), None
    )
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the PostgreSQL tests: {name} is not installed")
        pytest.skip(f"no PostgreSQL here ({name} not found): the shared-diary tests need one")
    return found


def _as_server_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextmanager
def running_server() -> Iterator[Server]:
    initdb, pg_ctl = _tool("initdb"), _tool("pg_ctl")
    home = Path(tempfile.mkdtemp(prefix="los-pg-"))
    data, sockets = home / "data", home / "sockets"
    sockets.mkdir()
    if os.geteuid() == 0:
        shutil.chown(home, "postgres")
        shutil.chown(sockets, "postgres")
    home.chmod(0o700)
    port = 54320 + os.getpid() % 1000  # the socket file's name only: nothing listens on TCP
    log = home / "server.log"
    try:
        initialise = [initdb, "-D", str(data), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8", "--no-sync"]
        subprocess.run(_as_server_user(initialise), capture_output=True, text=True, timeout=120, check=True)
        options = f"-k {sockets} -c listen_addresses='' -p {port} -c fsync=off"
        subprocess.run(
            _as_server_user([pg_ctl, "-D", str(data), "-l", str(log), "-o", options, "-w", "-t",
                             str(START_TIMEOUT_S), "start"]),
            capture_output=True, text=True, timeout=START_TIMEOUT_S + 10, check=True,
        )  # fmt: skip
        if os.geteuid() == 0:
            home.chmod(0o711)  # root's tests reach the socket; the data folder stays the server's
        yield Server(sockets, port)
    except subprocess.CalledProcessError as exc:
        detail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        pytest.fail(f"PostgreSQL did not start: {exc.stderr or exc.stdout}\n{detail}")
    finally:
        subprocess.run(
            _as_server_user([pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"]),
            capture_output=True, timeout=60, check=False,
        )  # fmt: skip
        shutil.rmtree(home, ignore_errors=True)


def fresh_server_diary(server: Server) -> Any:
    """An empty diary (schema at head, not yet set up) in a new database of its own on `server`, copied
    from the session's template (conftest's pg_server fixture makes it)."""
    from los_tui.db.paths import ServerDiary

    name = f"los_test_{os.getpid()}_{next(_databases)}"
    done = server.psql("postgres", f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE}"')
    assert done.returncode == 0, done.stderr
    return ServerDiary(server.url(name))
