"""What a council's listings cost per meeting and per commitment on the command line: the commitments
read once (not again for the warning about rules that will not expand), an agenda written at once."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from diary_testing import Result

from los_tui.cli import main
from los_tui.db.reader import Reader

BOARD = "lmcs-improvement-board"


@pytest.fixture
def board(seeded: Callable[..., Result]) -> Callable[..., Result]:
    schedule = ["schedule", BOARD, "--rrule", "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2"]
    assert seeded(*schedule, "--start", "2026-01-13T18:30").code == 0
    return seeded


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Each reading of the commitments, by whatever asked."""
    counted: list[object] = []
    plain = Reader.commitments

    def commitments(self: Reader, *args: Any, **kwargs: Any) -> Any:
        counted.append((args, kwargs))
        return plain(self, *args, **kwargs)

    monkeypatch.setattr(Reader, "commitments", commitments)
    return counted


@pytest.mark.parametrize(
    "command",
    [
        ["agenda", "--from", "2026-11-01", "--to", "2027-01-29"],
        ["agenda", "--from", "2026-11-01", "--to", "2027-01-29", "--role", "lmcs"],
        ["review", "--quarter", "2026-Q4", "--as-of", "2026-11-26"],
        ["review", "--from", "2025-12-01", "--to", "2026-11-30", "--format", "md"],
    ],
)
def test_a_listing_reads_the_commitments_once(
    board: Callable[..., Result], reads: list[object], command: list[str]
) -> None:
    done = board(*command)
    assert done.code == 0, done.err
    assert "Improvement Board" in done.out
    assert len(reads) == 1, reads


def test_the_agenda_is_written_at_once_not_a_write_a_meeting(
    board: Callable[..., Result], db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    writes: list[str] = []

    class Counting(io.StringIO):
        def write(self, text: str) -> int:
            writes.append(text)
            return super().write(text)

    monkeypatch.setattr(sys, "stdout", Counting())
    assert main(["--db", str(db_path), "agenda", "--from", "2026-01-01", "--to", "2026-12-31"]) == 0
    shown = "".join(writes).splitlines()
    assert len(shown) == 12 and all("Improvement Board" in line for line in shown)
    assert len(writes) == 1
