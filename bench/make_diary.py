"""Build a synthetic diary for benchmarks: every protocol commitment scheduled from N years ago, with
a year of logs, notes and actions. Usage: python bench/make_diary.py PATH --years N [--now ISO]"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from los_tui.domain.model import Frequency, Status
from los_tui.services.diary import Diary

LONDON = ZoneInfo("Europe/London")
DAYS = ["MO", "TU", "WE", "TH", "FR"]
RULES = {
    Frequency.MONTHLY: "FREQ=MONTHLY;BYDAY={day};BYSETPOS={n}",
    Frequency.BIMONTHLY: "FREQ=MONTHLY;INTERVAL=2;BYDAY={day};BYSETPOS={n}",
    Frequency.QUARTERLY: "FREQ=MONTHLY;INTERVAL=3;BYDAY=-1FR",
    Frequency.BIANNUAL: "FREQ=MONTHLY;INTERVAL=6;BYDAY={day};BYSETPOS={n}",
    Frequency.ANNUAL: "FREQ=YEARLY;BYMONTH={month};BYDAY={n}{day}",
    Frequency.AD_HOC: "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY={monthday}",
}
NOTE = (
    "Discussed caseloads in the assessment teams, agency staffing, and the audit findings on "
    "supervision. Asked for the next quarter's figures on re-referrals and for a note on the two "
    "cases escalated to the LADO. "
) * 3


def build(path: Path, years: int, now: datetime) -> None:
    diary = Diary.open(path, clock=lambda: now)
    diary.init("both")
    first = (now - timedelta(days=365 * years)).replace(hour=0, minute=0, second=0, microsecond=0)
    for index, commitment in enumerate(diary.commitments.list()):
        rule = RULES[commitment.frequency].format(
            day=DAYS[index % 5], n=index % 4 + 1, month=index % 12 + 1, monthday=index % 28 + 1
        )
        start = first.replace(tzinfo=None, day=index % 28 + 1, hour=9 + index % 9, minute=30)
        diary.commitments.schedule(commitment.slug, rule, start, duration_minutes=90, location="Town Hall")
    # Only meetings that have started: attended cannot be logged for one still to come.
    logged = [
        o for o in diary.meetings.agenda((now - timedelta(days=365)).date(), now.date()) if o.start <= now
    ]
    for number, occurrence in enumerate(logged):
        status = [Status.ATTENDED, Status.ATTENDED, Status.DELEGATED, Status.APOLOGIES][number % 4]
        occurrence = diary.meetings.set_status(occurrence, status)
        occurrence = diary.meetings.save_note(occurrence, NOTE)
        if number % 3 == 0:
            diary.actions.add(
                occurrence, "Send the re-referral figures", "DCS", (now + timedelta(days=30)).date()
            )
    diary.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", type=Path)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--now", default="2026-11-26T10:00")
    args = parser.parse_args()
    if args.path.exists():
        args.path.unlink()
    build(args.path, args.years, datetime.fromisoformat(args.now).replace(tzinfo=LONDON))


if __name__ == "__main__":
    main()
