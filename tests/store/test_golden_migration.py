"""Upgrading a diary written by each earlier schema finds every row and every note exactly as it was.

tests/golden/schema-NNNN.sqlite3 are diaries as revision NNNN left them (made once by
tests/golden/make_golden.py): unicode, empty and 64 KiB notes, moved and cancelled occurrences, actions,
ad hoc entries, an imported event; from 0002, quarterly target changes. A target set under 0001 still
applies from the start.
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
from contextlib import closing
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from diary_testing import NOW

from los_tui.db.backup import backups_of
from los_tui.db.migrate import HEAD_REVISION, current_revision
from los_tui.domain.model import TargetVersion
from los_tui.services.diary import Diary

GOLDEN = Path(__file__).parent.parent / "golden"
sys.path.insert(0, str(GOLDEN))
import make_golden  # noqa: E402

UTC = ZoneInfo("UTC")
TABLES = [
    "diary_settings",
    "commitments",
    "schedules",
    "occurrence_logs",
    "actions",
    "imported_events",
    "target_changes",  # from 0002
]


def table_rows(db: Path) -> dict[str, dict[object, dict[str, object]]]:
    """Every row of every table the file has, keyed by its primary key, as a column -> value mapping."""
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    connection.row_factory = sqlite3.Row
    try:
        present = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        found = {}
        for table in (t for t in TABLES if t in present):
            key = "key" if table == "diary_settings" else "id"
            found[table] = {row[key]: dict(row) for row in connection.execute(f"SELECT * FROM {table}")}
        return found
    finally:
        connection.close()


@pytest.mark.parametrize("golden", sorted(GOLDEN.glob("schema-*.sqlite3")), ids=lambda p: p.stem)
def test_upgrading_an_old_diary_keeps_every_row_and_note(golden: Path, tmp_path: Path) -> None:
    revision = golden.stem.removeprefix("schema-")
    copy = tmp_path / "diary.sqlite3"
    shutil.copyfile(golden, copy)
    with sqlite3.connect(copy) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == (revision,)
    before = table_rows(copy)

    diary = Diary.open(copy, clock=lambda: NOW, create=False)
    assert current_revision(diary.path) == HEAD_REVISION
    if revision != HEAD_REVISION:
        assert any(p.name.endswith("-pre-migration.sqlite3") for p in backups_of(copy))
    after = table_rows(copy)
    for table, rows in before.items():
        assert rows.keys() == after[table].keys(), table
        for key, row in rows.items():
            # Columns a later schema adds may hold anything; the old ones must be untouched.
            assert {column: after[table][key][column] for column in row} == row, (table, key)

    # And the diary itself shows them: every note, status and move, read through the services.
    occurrences = diary.meetings.agenda(date(2026, 1, 1), date(2026, 12, 31))
    by_log = {o.log_id: o for o in occurrences if o.log_id is not None}
    slugs = {c[0]: c[1] for c in make_golden.COMMITMENTS}
    for (
        log_id,
        commitment_id,
        original,
        start,
        _all_day,
        _minutes,
        status,
        note,
        questions,
    ) in make_golden.LOGS:
        shown = by_log[log_id]
        assert shown.commitment_slug == slugs[commitment_id]
        assert shown.note == note and shown.questions == questions
        assert (shown.status.value if shown.status else None) == status
        moved_to = start or original
        assert shown.start == datetime.fromisoformat(moved_to).replace(tzinfo=UTC)
    assert len(by_log[2].note) == 64 * 1024 and by_log[5].note == ""
    assert [(a.text, a.done) for a in diary.actions.list(by_log[1])] == [
        (a[2], bool(a[5])) for a in make_golden.ACTIONS if a[1] == 1
    ]
    retired = diary.commitments.get("lmcs-old-panel")
    assert retired.retired_on == date(2026, 6, 30)
    # A target set under 0001 applies from the start; changes (0002 on) from their quarters.
    changes = make_golden.TARGET_CHANGES if revision >= "0002" else []
    expected = {c[1]: (TargetVersion(c[8]),) if c[8] is not None else () for c in make_golden.COMMITMENTS}
    for _id, commitment_id, effective_from, target in changes:
        expected[slugs[commitment_id]] += (TargetVersion(target, date.fromisoformat(effective_from)),)
    assert {slug: diary.commitments.get(slug).targets for slug in slugs.values()} == expected
    assert any(expected.values())  # the golden file does hold one
    # Evidence (0003 on): a diary from before gets the seed's factors for protocol lines, none for others,
    # and no difference; one written at 0003 keeps its own factors, differences and asked questions.
    if revision < "0003":
        assert diary.commitments.get("lmcs-improvement-board").factors == (1, 5)
        assert diary.commitments.get(slugs[3]).factors == (2, 3)  # a protocol line too
        assert diary.commitments.get("lmcs-old-panel").factors == ()  # not in the protocol
        assert all(o.difference == "" for o in by_log.values())
    else:
        assert {slugs[c]: diary.commitments.get(slugs[c]).factors for c, _ in make_golden.FACTORS} == {
            slugs[c]: tuple(int(n) for n in f.split(",")) for c, f in make_golden.FACTORS
        }
        assert {i: by_log[i].difference for i, _ in make_golden.DIFFERENCES} == dict(make_golden.DIFFERENCES)
        asked = [(q.question_id, q.answer) for q in diary.evidence.asked_at(by_log[1])]
        assert asked == [(q[2], q[3]) for q in make_golden.ASKED if q[1] == 1]
    # Record versions and shareable differences (0005 on): every record from before starts at version 1,
    # nothing shared; one written at 0005 keeps its versions and what it shared.
    versions = {log_id: o.version for log_id, o in by_log.items()}
    shared = {log_id for log_id, o in by_log.items() if o.difference_shared}
    action_versions = {a.id: a.version for a in diary.actions.list(by_log[1])}
    if revision < "0005":
        assert set(versions.values()) == {1} and shared == set() and set(action_versions.values()) == {1}
    else:
        edited = {(table, i): v for table, i, v in make_golden.VERSIONS}
        assert versions == {i: edited.get(("occurrence_logs", i), 1) for i in by_log}
        assert shared == set(make_golden.SHARED_DIFFERENCES)
        assert action_versions == {i: edited.get(("actions", i), 1) for i in action_versions}
    diary.close()


@pytest.mark.parametrize("revision", make_golden.REVISIONS)
def test_the_golden_files_are_what_the_script_makes(tmp_path: Path, revision: str) -> None:
    """Each committed file and the script agree, so the script documents what the file holds."""
    fresh = tmp_path / f"schema-{revision}.sqlite3"
    make_golden.build(fresh, revision)
    committed = make_golden.golden_file(revision)
    with closing(sqlite3.connect(f"file:{committed}?mode=ro", uri=True)) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == (revision,)
    assert table_rows(fresh) == table_rows(committed)
    assert committed.read_bytes()[18:20] == b"\x01\x01"  # rollback journal: one self-contained file
    assert not Path(f"{committed}-wal").exists() and not Path(f"{committed}-shm").exists()
