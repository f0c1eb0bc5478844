"""Make tests/golden/schema-NNNN.sqlite3: a diary at schema revision NNNN holding every awkward thing.

Run from the repository root: `python tests/golden/make_golden.py NNNN`. The schema comes from Alembic
at that revision and the rows go in as plain SQL in that revision's columns, so the file stays what a
NNNN-era los-tui wrote even after the models move on. Commit the .sqlite3 it writes; never regenerate a
file once a later migration has landed (make a new golden file for the new revision instead).

- 0001: settings, commitments (a joint pair, an ad hoc one, a retired one, a quarterly target set
  under 0001), schedules with a change, logs, actions, an imported event.
- 0002: the same, and the ad hoc commitment's quarterly target changed twice (set, then cleared).
- 0003: the same, factors on two commitments, a difference on two logs (one in Unicode) and two questions
  of the guidance asked, one answered.
- 0004: the same rows; the full-text index over them is made by the migration (its triggers as the rows go
  in), so a search finds every one.
- 0005: the same, records edited a few times (versions above 1 on a commitment, two logs and an action)
  and one log's difference marked shareable.
- 0006: the same rows (the revision makes PostgreSQL's full-text index; a file's schema is unchanged).
"""

from __future__ import annotations

import sys
from pathlib import Path

REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006")
ROOT = Path(__file__).resolve().parents[2]


def golden_file(revision: str) -> Path:
    return Path(__file__).with_name(f"schema-{revision}.sqlite3")


# A note at the length limit, with text that must come back byte for byte.
LONG_NOTE = ("Safeguarding review — ‘María’ O’Neill; 子ども; مرحبا; 😀\n" * 2000)[: 64 * 1024]
UNICODE_NOTE = (
    "Ofsted focused visit: ‘María’ O’Neill, Zoë, 子どもの権利, مرحبا بكم, עברית \u200f, 😀👍🏽, e\u0301"
)
QUESTIONS = "Why has agency use risen?\nWho holds the risk register?"

COMMITMENTS = [
    # id, slug, title, role, frequency, wording, with_whom, joint_id, quarterly_target, retired_on
    (
        1,
        "lmcs-improvement-board",
        "Improvement board",
        "lmcs",
        "monthly",
        "Attend the board",
        "DCS",
        2,
        3,
        None,
    ),
    (
        2,
        "dcs-improvement-board",
        "Improvement board",
        "dcs",
        "monthly",
        "Chair the board",
        "LMCS",
        1,
        None,
        None,
    ),
    (3, "lmcs-team-visits", "Team visits", "lmcs", "ad_hoc", "", "", None, None, None),
    (
        4,
        "lmcs-old-panel",
        "Panel no longer held",
        "lmcs",
        "quarterly",
        "Sit on the panel",
        "",
        None,
        None,
        "2026-06-30",
    ),
]
SCHEDULES = [
    # id, commitment_id, effective_from, rrule, start_local, duration, location, tz, uid, sequence
    (
        1,
        1,
        "2026-01-13",
        "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2",
        "2026-01-13 18:30:00.000000",
        120,
        "Town Hall",
        "Europe/London",
        "golden-0001-a@los-tui",
        2,
    ),
    (
        2,
        1,
        "2026-07-01",
        "FREQ=MONTHLY;BYDAY=TH;BYSETPOS=1",
        "2026-07-02 10:00:00.000000",
        90,
        "Room 2 — Civic Centre",
        "Europe/London",
        "golden-0001-b@los-tui",
        0,
    ),
    (
        3,
        4,
        "2026-01-05",
        "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=5",
        "2026-01-05 14:00:00.000000",
        60,
        "",
        "Europe/London",
        "golden-0001-c@los-tui",
        0,
    ),
]
LOGS = [
    # id, commitment_id, original_start (UTC), start (UTC), all_day, duration, status, note, questions
    (1, 1, "2026-02-10 18:30:00.000000", None, 0, None, "attended", UNICODE_NOTE, QUESTIONS),
    (2, 1, "2026-03-10 18:30:00.000000", None, 0, None, "attended", LONG_NOTE, ""),
    (
        3,
        1,
        "2026-04-14 17:30:00.000000",
        "2026-04-16 09:00:00.000000",
        0,
        None,
        "delegated",
        "Moved; sent the deputy",
        "",
    ),
    (4, 1, "2026-05-12 17:30:00.000000", None, 0, None, "cancelled", "", ""),
    (5, 1, "2026-06-09 17:30:00.000000", None, 0, None, "attended", "", ""),
    (6, 1, "2026-08-06 09:00:00.000000", "2026-08-06 09:00:00.000000", 0, None, None, "Moved back", ""),
    (7, 3, None, "2026-10-02 13:00:00.000000", 0, 90, "attended", "Visited the MASH; ‘good’ morale", ""),
    (8, 3, None, "2026-09-14 23:00:00.000000", 1, None, "missed", "", "Rearrange?"),
    (9, 4, "2026-04-05 13:00:00.000000", None, 0, None, "apologies", "Clash with full council", ""),
]
ACTIONS = [
    # id, log_id, text, owner, due, done
    (1, 1, "Send the agency-use figures", "Head of Service", "2026-03-01", 1),
    (2, 1, "Ask about ‘María’s’ placement — follow up", "DCS", None, 0),
    (3, 7, "Thank the team 👍", "", "2026-10-09", 0),
]
TARGET_CHANGES = [
    # id, commitment_id, effective_from, target (0002 on)
    (1, 3, "2026-07-01", 2),
    (2, 3, "2027-01-01", None),
]
FACTORS = [
    # commitment_id, factors (0003 on)
    (1, "1,5"),
    (3, "2,3"),
]
DIFFERENCES = [
    # log_id, difference (0003 on)
    (1, "Agreed a caseload cap for the assessment team"),
    (7, "Heard from ‘María’ about her placement — 子ども first 👍"),
]
ASKED = [
    # id, log_id, question_id, answer (0003 on)
    (1, 1, "5.9", "Independent; quarterly"),
    (2, 7, "7.4", ""),
]
VERSIONS = [
    # table, id, version (0005 on)
    ("commitments", 1, 4),
    ("occurrence_logs", 1, 3),
    ("occurrence_logs", 7, 2),
    ("actions", 1, 2),
]
SHARED_DIFFERENCES = [7]  # log ids whose difference an assistant may see (0005 on)
STAMP = "2026-11-01 09:00:00.000000"


def build(target: Path, revision: str) -> None:
    sys.path.insert(0, str(ROOT))
    from alembic import command
    from alembic.config import Config

    from los_tui.db.engine import create_empty_database, make_engine
    from los_tui.db.migrate import MIGRATIONS_DIR

    target.unlink(missing_ok=True)
    create_empty_database(target)
    engine = make_engine(target)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        connection.commit()
    engine.dispose()

    import sqlite3

    with sqlite3.connect(target) as db:
        db.execute("PRAGMA foreign_keys = ON")
        db.executemany("INSERT INTO diary_settings (key, value) VALUES (?, ?)", [("role", "both")])
        db.executemany(
            "INSERT INTO commitments (id, slug, title, role, frequency, wording, with_whom, joint_id, "
            "quarterly_target, retired_on, created_at, updated_at) VALUES (?,?,?,?,?,?,?,NULL,?,?,?,?)",
            [(*c[:7], *c[8:], STAMP, STAMP) for c in COMMITMENTS],
        )
        db.executemany(
            "UPDATE commitments SET joint_id = ? WHERE id = ?", [(c[7], c[0]) for c in COMMITMENTS]
        )
        db.executemany(
            "INSERT INTO schedules (id, commitment_id, effective_from, rrule, start_local, duration_minutes, "
            "location, tz, ical_uid, sequence, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            [(*s, STAMP, STAMP) for s in SCHEDULES],
        )
        db.executemany(
            "INSERT INTO occurrence_logs (id, commitment_id, original_start, start, all_day, "
            "duration_minutes, status, note, questions, created_at, updated_at) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [(*log, STAMP, STAMP) for log in LOGS],
        )
        db.executemany(
            "INSERT INTO actions (id, log_id, text, owner, due, done, created_at, updated_at) "
            "VALUES (?,?,?,?,?,?,?,?)",
            [(*a, STAMP, STAMP) for a in ACTIONS],
        )
        db.execute(
            "INSERT INTO imported_events (id, uid, recurrence_id, log_id, imported_at) VALUES (?,?,?,?,?)",
            (1, "outlook-4711@council.example", "", 7, STAMP),
        )
        if revision >= "0002":
            db.executemany(
                "INSERT INTO target_changes (id, commitment_id, effective_from, target, created_at) "
                "VALUES (?,?,?,?,?)",
                [(*change, STAMP) for change in TARGET_CHANGES],
            )
        if revision >= "0003":
            db.executemany("UPDATE commitments SET factors = ? WHERE id = ?", [(f, c) for c, f in FACTORS])
            db.executemany(
                "UPDATE occurrence_logs SET difference = ? WHERE id = ?", [(d, i) for i, d in DIFFERENCES]
            )
            db.executemany(
                "INSERT INTO asked_questions (id, log_id, question_id, answer, created_at, updated_at) "
                "VALUES (?,?,?,?,?,?)",
                [(*q, STAMP, STAMP) for q in ASKED],
            )
        if revision >= "0005":
            for table, row_id, version in VERSIONS:
                db.execute(f"UPDATE {table} SET version = ? WHERE id = ?", (version, row_id))
            db.executemany(
                "UPDATE occurrence_logs SET difference_shared = 1 WHERE id = ?",
                [(i,) for i in SHARED_DIFFERENCES],
            )
    db.close()
    db = sqlite3.connect(target, isolation_level=None)
    try:
        mode = db.execute("PRAGMA journal_mode = DELETE").fetchone()[0]  # a single file to commit
        verdict = db.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        db.close()
    assert mode == "delete" and verdict == "ok", (mode, verdict)


if __name__ == "__main__":
    wanted = sys.argv[1] if len(sys.argv) > 1 else REVISIONS[-1]
    if wanted not in REVISIONS:
        sys.exit(f"make_golden: revision {wanted!r}: choose one of {', '.join(REVISIONS)}")
    build(golden_file(wanted), wanted)
    print(f"wrote {golden_file(wanted)}")
