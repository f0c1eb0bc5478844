"""The writer the crash harness kills: a zygote that forks one diary writer per round on request.

Run as `python crash_writer.py DB`. Each line "go ROUND" on stdin forks a writer; the zygote prints
"pid ROUND PID", and when the writer has gone "dead ROUND STATUS". The writer opens the diary through
`Diary` and keeps writing ad hoc entries with notes, actions and questions, printing one JSON line per
write only after the write has committed. Imports happen once, in the zygote, so a round costs a fork,
not an interpreter start, and 200 kills fit in CI's time.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy.dialects.sqlite  # noqa: F401

# Loaded here, once: the diary loads its writing side (SQLAlchemy Core) only on its first write.
import los_tui.db.writer  # noqa: F401
from los_tui.domain.model import Status
from los_tui.services.diary import Diary

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=LONDON)
SLUG = "lmcs-team-visits"


def report(record: dict[str, object]) -> None:
    # One os.write of a line shorter than PIPE_BUF reaches the parent whole or not at all.
    os.write(1, (json.dumps(record, ensure_ascii=True) + "\n").encode())


def note_for(round_number: int, sequence: int) -> str:
    body = f"round {round_number} write {sequence}: Ofsted visit — ‘María’ 😀 \u05d0"
    return body * (1 + (sequence % 5) * 40)  # up to ~13 KB, so some writes span several pages


def write_forever(db: Path, round_number: int) -> None:
    diary = Diary.open(db, clock=lambda: NOW)
    report({"kind": "ready", "round": round_number})
    first_log: int | None = None
    sequence = 0
    while True:
        sequence += 1
        start = NOW - timedelta(days=400) + timedelta(minutes=round_number * 1000 + sequence)
        note = note_for(round_number, sequence)
        entry = diary.meetings.add_adhoc(SLUG, start, all_day=False, status=Status.ATTENDED, note=note)
        report({"kind": "log", "id": entry.log_id, "round": round_number, "seq": sequence})
        _, action = diary.actions.add(entry, f"follow up {round_number}/{sequence}", owner="DCS")
        report({"kind": "action", "id": action.id, "text": action.text})
        if first_log is None:
            first_log = entry.log_id
            first = entry
        # Saved on the version it last saved (what save_questions returns), as a screen holds it: a save
        # from an older version would be taken for one made over someone else's edit, and kept beside it.
        first = diary.meetings.save_questions(first, f"{sequence}")
        report({"kind": "questions", "id": first_log, "seq": sequence})


def main() -> None:
    db = Path(sys.argv[1])
    for line in sys.stdin:
        _, round_text = line.split()
        round_number = int(round_text)
        pid = os.fork()
        if pid == 0:
            try:
                write_forever(db, round_number)
            finally:
                os._exit(1)
        report({"kind": "pid", "round": round_number, "pid": pid})
        _, status = os.waitpid(pid, 0)
        report(
            {
                "kind": "dead",
                "round": round_number,
                "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
            }
        )


if __name__ == "__main__":
    main()
