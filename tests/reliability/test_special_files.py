"""FIFOs and device nodes where the app expects a file: refused in one line with exit 2, never waited on,
never read without end, never replaced.

Before, `los import ics /dev/zero` read until memory ran out (past 3.8 GB), a FIFO as the import file, as
LOS_DB, as --config or as the restore source hung for ever (opening a FIFO to read waits for a writer),
and `-o` onto a FIFO or a device node renamed a regular file over it (as root, `-o /dev/full` replaced
the system's /dev/full). Each command runs in a child process with a timeout and a memory cap, so a
hang or a runaway read fails the test instead of stalling the machine; `pytest -s` prints how long
each refusal took.
"""

from __future__ import annotations

import os
import resource
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from diary_testing import PACKAGE_ROOT, Result

HANG = 20  # seconds: far past any refusal, short enough that a hang fails the test promptly
MEMORY_CAP = 1 << 30


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def los_child(*args: str, env: dict[str, str] | None = None) -> Result:
    """`python -m los_tui ARGS` with a timeout and a 1 GiB address-space cap; prints the time taken."""
    started = time.monotonic()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "los_tui", *args],
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            env={**os.environ, "PYTHONPATH": str(PACKAGE_ROOT), **(env or {})},
            preexec_fn=_cap_memory,
            timeout=HANG,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"`los {' '.join(args)}` still running after {HANG} s")
    print(f"los {' '.join(args)}: exit {done.returncode} in {time.monotonic() - started:.2f} s")
    return Result(done.returncode, done.stdout, done.stderr)


def refused(result: Result, *words: str) -> bool:
    line = result.err.strip()
    return result.code == 2 and "\n" not in line and all(word in line for word in words)


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe"
    os.mkfifo(path)
    return path


@pytest.fixture
def device(tmp_path: Path) -> Path:
    """A character device node of our own (the numbers of /dev/null), never a system one."""
    path = tmp_path / "device"
    try:
        os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("making a device node needs root (CAP_MKNOD)")
    return path


def test_importing_dev_zero_is_refused_without_reading_it(
    seeded: Callable[..., Result], db_path: Path
) -> None:
    result = los_child("--db", str(db_path), "import", "ics", "/dev/zero", "--role", "lmcs")
    assert refused(result, "FILE", "/dev/zero", "character device")


def test_a_fifo_as_the_import_file_is_refused_not_waited_on(
    seeded: Callable[..., Result], db_path: Path, fifo: Path
) -> None:
    result = los_child("--db", str(db_path), "import", "ics", str(fifo), "--role", "lmcs")
    assert refused(result, "FILE", str(fifo), "FIFO")


def test_a_fifo_as_the_diary_is_refused(fifo: Path) -> None:
    result = los_child("agenda", env={"LOS_DB": str(fifo)})
    assert refused(result, str(fifo), "FIFO")
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_a_fifo_or_dev_zero_as_the_config_file_is_refused(fifo: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "diary.sqlite3")
    assert refused(los_child("--config", str(fifo), "--db", db, "agenda"), "config", "FIFO")
    assert refused(los_child("--config", "/dev/zero", "--db", db, "agenda"), "config", "character device")


def test_a_config_file_past_the_limit_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_bytes(b"# padding\n" * 200_000)
    result = los_child("--config", str(config), "--db", str(tmp_path / "d.sqlite3"), "agenda")
    assert refused(result, "config", "the limit is 1,048,576")


def test_a_fifo_as_the_restore_source_is_refused(
    seeded: Callable[..., Result], db_path: Path, fifo: Path
) -> None:
    before = db_path.read_bytes()
    result = los_child("--db", str(db_path), "restore", str(fifo), "--yes")
    assert refused(result, "restore", "FIFO")
    assert db_path.read_bytes() == before


OUTPUTS = {
    "export ics": ["export", "ics"],
    "review": ["review", "--quarter", "2026-Q3"],
    "backup": ["backup"],
    "assurance": ["assurance"],
}


@pytest.mark.parametrize("command", OUTPUTS.values(), ids=OUTPUTS.keys())
@pytest.mark.parametrize("special", ["fifo", "device", "symlink to a fifo"])
def test_output_onto_a_special_file_is_refused_and_the_file_left_as_it_was(
    command: list[str],
    special: str,
    seeded: Callable[..., Result],
    db_path: Path,
    request: pytest.FixtureRequest,
    tmp_path: Path,
) -> None:
    if special == "symlink to a fifo":
        target = tmp_path / "link"
        target.symlink_to(request.getfixturevalue("fifo"))
    else:
        target = request.getfixturevalue(special)
    kind = stat.S_IFMT(os.stat(target).st_mode)
    result = los_child("--db", str(db_path), *command, "-o", str(target))
    assert refused(result, str(target), "not a regular file")
    assert stat.S_IFMT(os.stat(target).st_mode) == kind
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
