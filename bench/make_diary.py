"""Build a synthetic diary for benchmarks, through the diary's own services and writer: N commitments
(the protocol's, then visits of its frequencies up to N) scheduled from Y years ago, with L logs spread
evenly over every year it spans (ad hoc entries where the schedules make too few meetings), K of them
with notes, and an action on every third logged meeting of the last year.

    python bench/make_diary.py --commitments 200 --years 20 --logs 50000 --notes 10000 -o council.sqlite3
    python bench/make_diary.py --commitments 34 --years 1 -o small.sqlite3

Without --logs every scheduled meeting of the span is logged; without --notes every log has a note.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from los_tui.db.paths import ServerDiary, is_server_url
from los_tui.domain.model import Frequency, Occurrence, Role, Status
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
# The visits added beyond the protocol's own commitments: mostly monthly, as a council's team visits are.
EXTRA_FREQUENCIES = [Frequency.MONTHLY, Frequency.MONTHLY, Frequency.MONTHLY, Frequency.QUARTERLY]
STATUSES = [Status.ATTENDED, Status.ATTENDED, Status.DELEGATED, Status.APOLOGIES]
NOTE = (
    "Discussed caseloads in the assessment teams, agency staffing, and the audit findings on "
    "supervision. Asked for the next quarter's figures on re-referrals and for a note on the two "
    "cases escalated to the LADO. "
) * 3
BATCH = 5000  # logs per transaction


def spread(items: list[Occurrence], count: int) -> list[Occurrence]:
    """`count` of `items` (in time order) taken evenly from first to last."""
    if count >= len(items):
        return items
    return [items[index * len(items) // count] for index in range(count)]


def build(
    path: Path | ServerDiary, commitments: int, years: int, logs: int | None, notes: int | None, now: datetime
) -> None:
    diary = Diary.open(path, clock=lambda: now)
    diary.init("both")
    for number in range(len(diary.commitments.list()), commitments):
        role = Role.LMCS if number % 2 else Role.DCS
        diary.commitments.add(
            f"Visit to team {number}", role, EXTRA_FREQUENCIES[number % len(EXTRA_FREQUENCIES)]
        )
    first = (now - timedelta(days=365 * years)).replace(hour=0, minute=0, second=0, microsecond=0)
    for index, commitment in enumerate(diary.commitments.list()):
        rule = RULES[commitment.frequency].format(
            day=DAYS[index % 5], n=index % 4 + 1, month=index % 12 + 1, monthday=index % 28 + 1
        )
        start = first.replace(tzinfo=None, day=index % 28 + 1, hour=9 + index % 9, minute=30)
        diary.commitments.schedule(commitment.slug, rule, start, duration_minutes=90, location="Town Hall")
    scheduled = diary.meetings.agenda(first.date(), now.date())
    wanted = len(scheduled) if logs is None else logs
    chosen = spread(scheduled, wanted)
    with_notes = len(chosen) if notes is None else notes
    noted = {id(o) for o in spread(chosen, with_notes)}
    year_ago = now - timedelta(days=365)
    logged: list[Occurrence] = []
    for start in range(0, len(chosen), BATCH):
        batch = [
            replace(o, status=STATUSES[(start + n) % 4], note=NOTE if id(o) in noted else "")
            for n, o in enumerate(chosen[start : start + BATCH])
        ]
        logged += diary.meetings.log_many(batch)
    # Where the schedules make too few meetings for --logs: ad hoc entries, spread over the same years
    # (the last of the notes go on them). One transaction for all of them, through the store's writer.
    extra = wanted - len(chosen)
    extra_notes = max(with_notes - len(noted), 0)
    slugs = [c.slug for c in diary.commitments.list()]
    span = now - first
    with diary.store.writing() as write:
        for number in range(extra):
            when = first + span * number / max(extra, 1)
            note = NOTE if number < extra_notes else ""
            write.add_adhoc(slugs[number % len(slugs)], when, False, Status.ATTENDED, note)
        due = (now + timedelta(days=30)).date()
        for number, occurrence in enumerate(o for o in logged if o.start >= year_ago):
            if number % 3 == 0:
                write.add_action(occurrence, "Send the re-referral figures", "DCS", due)
    diary.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-o", "--output", required=True, help="a diary file, or a postgresql:// URL")
    parser.add_argument("--commitments", type=int, default=34)
    parser.add_argument("--years", type=int, default=1)
    parser.add_argument("--logs", type=int, help="how many logs (default: every scheduled meeting)")
    parser.add_argument("--notes", type=int, help="how many logs carry a note (default: all)")
    parser.add_argument("--now", default="2026-11-26T10:00")
    args = parser.parse_args()
    output: Path | ServerDiary
    if is_server_url(args.output):
        output = ServerDiary(args.output)  # an empty database on a server
    else:
        output = Path(args.output)
        if output.exists():
            output.unlink()
    now = datetime.fromisoformat(args.now).replace(tzinfo=LONDON)
    build(output, args.commitments, args.years, args.logs, args.notes, now)


if __name__ == "__main__":
    main()
