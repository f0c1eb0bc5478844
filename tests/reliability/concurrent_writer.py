"""One of several writers working the same diary at once (see test_concurrency.py).

`python concurrent_writer.py DB TAG COUNT [--no-notes]` (DB a file or a postgresql:// URL) logs COUNT ad
hoc entries with notes "TAG i" (with --no-notes, as a PA's role that may not write notes does: none)
through `Diary`,
printing "refused i MESSAGE" each time the store turns a write away (it is then tried again, as the TUI
does, up to RETRIES times) and "landed ID i" once it commits.
"""

from __future__ import annotations

import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from los_tui.db.engine import StoreError
from los_tui.db.paths import DiaryLocation, ServerDiary, is_server_url
from los_tui.domain.model import Status
from los_tui.services.diary import Diary

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=ZoneInfo("Europe/London"))
RETRIES = 20


def main() -> None:
    db: DiaryLocation = ServerDiary(sys.argv[1]) if is_server_url(sys.argv[1]) else Path(sys.argv[1])
    tag, count = sys.argv[2], int(sys.argv[3])
    notes = "--no-notes" not in sys.argv[4:]
    offset = sum(map(ord, tag)) * 100  # each writer its own minutes, so no two entries collide
    diary = Diary.open(db, clock=lambda: NOW, create=False)
    print("ready", flush=True)
    sys.stdin.readline()  # all writers start together
    for i in range(count):
        start = NOW - timedelta(days=90) + timedelta(minutes=offset + i)  # all in the past
        for _ in range(RETRIES):
            try:
                entry = diary.meetings.add_adhoc(
                    "dcs-case-audit", start, False, Status.ATTENDED, note=f"{tag} {i}" if notes else ""
                )
            except StoreError as exc:
                print(f"refused {i} {exc}", flush=True)
            else:
                print(f"landed {entry.log_id} {i}", flush=True)
                break
    diary.close()


if __name__ == "__main__":
    main()
