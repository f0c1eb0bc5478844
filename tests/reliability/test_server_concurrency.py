"""Two people writing one diary on the server at once: every acknowledged write is there, once, and two
edits of one note made from screens that each read it before the other saved are both kept (no lost
update). The figures go to docs/RELIABILITY.md."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from diary_testing import NOW, PACKAGE_ROOT, execute_sql
from pg_testing import make_role

from los_tui.db.paths import ServerDiary
from los_tui.services.diary import Diary

WRITER = Path(__file__).with_name("concurrent_writer.py")
WRITES_EACH = 100
ROUNDS = 20
BOARD = "lmcs-improvement-board"
OWNER, PA = "lead_member", "pa_smith"


@pytest.fixture
def server_diary(pg_server: Any) -> Iterator[ServerDiary]:
    from pg_server import fresh_server_diary

    where = fresh_server_diary(pg_server)
    diary = Diary.open(where, clock=lambda: NOW)
    diary.init("both")
    diary.commitments.schedule(
        BOARD, "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2", NOW.replace(2026, 1, 13, 18, 30), 120, ""
    )
    diary.close()
    yield where


@pytest.fixture
def shared_diary(pg_server: Any) -> Iterator[tuple[str, str]]:
    """A diary owned by the lead member's own role, the PA's role granted as an assistant: the URLs each
    connects with."""
    from pg_testing import engine_for, fresh_database

    from los_tui.db.access import Access, grant

    name = fresh_database(pg_server, f"los_two_roles_{os.getpid()}", owner=OWNER)
    make_role(pg_server, PA)
    lead_url, pa_url = pg_server.url(name, OWNER), pg_server.url(name, PA)
    diary = Diary.open(ServerDiary(lead_url), clock=lambda: NOW)
    diary.init("both")
    diary.close()
    engine = engine_for(lead_url)
    try:
        with engine.begin() as connection:
            grant(connection, PA, Access.ASSISTANT)
    finally:
        engine.dispose()
    yield lead_url, pa_url


@pytest.mark.slow
def test_two_roles_writing_on_the_server_lose_nothing_acknowledged(shared_diary: tuple[str, str]) -> None:
    """The lead member (their own role, writing notes) and their PA (an assistant's role, which the server
    keeps from notes) log entries at once."""
    lead_url, pa_url = shared_diary
    people = {"lead": (lead_url, []), "pa": (pa_url, ["--no-notes"])}
    writers = {
        tag: subprocess.Popen(
            [sys.executable, str(WRITER), url, tag, str(WRITES_EACH), *options],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(PACKAGE_ROOT)},
        )
        for tag, (url, options) in people.items()
    }
    for writer in writers.values():
        assert writer.stdout is not None and writer.stdout.readline() == "ready\n"
    for writer in writers.values():
        assert writer.stdin is not None
        writer.stdin.write("go\n")
        writer.stdin.flush()
    outputs = {tag: writer.communicate(timeout=300) for tag, writer in writers.items()}
    stored = dict(execute_sql(ServerDiary(lead_url), "SELECT id, note FROM occurrence_logs"))
    acknowledged = refused = 0
    for tag, (out, err) in outputs.items():
        assert err == "", err
        landed = set()
        for line in out.splitlines():
            verdict, rest = line.split(" ", 1)
            if verdict == "landed":
                log_id, i = rest.split()
                assert stored[int(log_id)] == (f"{tag} {i}" if tag == "lead" else "")
                landed.add(int(i))
            else:
                assert verdict == "refused" and "nothing was changed" in rest, line
                refused += 1
        assert landed == set(range(WRITES_EACH)), f"{tag}: {WRITES_EACH - len(landed)} never landed"
        acknowledged += len(landed)
    print(
        f"\nserver, two roles writing: {acknowledged} acknowledged, {len(stored)} stored, {refused} retried"
    )
    assert acknowledged == len(stored) == 2 * WRITES_EACH


def test_two_people_editing_one_note_from_stale_screens_lose_no_edit(server_diary: ServerDiary) -> None:
    """Round after round both people open the meeting, then each saves their own text in its place: the
    second save is made from a screen older than the first, so it must keep both (no lost update)."""
    lead, pa = (Diary.open(server_diary, clock=lambda: NOW, create=False) for _ in range(2))
    day = NOW.date().replace(day=10)
    lost = []
    for i in range(ROUNDS):
        seen_by_lead = lead.meetings.agenda(day, day, slugs=[BOARD])[0]
        seen_by_pa = pa.meetings.agenda(day, day, slugs=[BOARD])[0]
        lead.meetings.save_note(seen_by_lead, f"lead {i}")
        pa.meetings.save_note(seen_by_pa, f"pa {i}")  # from the older screen
        note = lead.meetings.agenda(day, day, slugs=[BOARD])[0].note
        lost += [text for text in (f"lead {i}", f"pa {i}") if text not in note.splitlines()]
    print(f"\nserver, one note saved from two stale screens: {2 * ROUNDS} edits, {len(lost)} lost")
    assert lost == []
    lead.close()
    pa.close()
