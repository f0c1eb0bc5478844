"""Write an Outlook-like .ics save of the year before "now" for a diary, to time importing it: each of the
diary's scheduled meetings of that year (which the import logs as attended), extra meetings with its
commitments' titles on other days (logged as ad hoc entries), and meetings of no commitment (unmatched),
up to N events, as Outlook writes them (`GMT Standard Time` with its VTIMEZONE, a VALARM on each),
within the import's 5 MiB limit.

    python bench/make_outlook.py DIARY --events 10000 -o year.ics
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from los_tui.services.diary import Diary

LONDON = ZoneInfo("Europe/London")
HEADER = """BEGIN:VCALENDAR
PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN
VERSION:2.0
METHOD:PUBLISH
X-WR-CALNAME:Calendar
BEGIN:VTIMEZONE
TZID:GMT Standard Time
BEGIN:STANDARD
DTSTART:16011028T020000
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10
TZOFFSETFROM:+0100
TZOFFSETTO:-0000
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010325T010000
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3
TZOFFSETFROM:-0000
TZOFFSETTO:+0100
END:DAYLIGHT
END:VTIMEZONE
"""
EVENT = """BEGIN:VEVENT
DTEND;TZID="GMT Standard Time":{end:%Y%m%dT%H%M%S}
DTSTAMP:20261002T081200Z
DTSTART;TZID="GMT Standard Time":{start:%Y%m%dT%H%M%S}
LOCATION:Town Hall
SEQUENCE:0
SUMMARY;LANGUAGE=en-gb:{title}
TRANSP:OPAQUE
UID:040000008200E00074C5B7101A82E008{number:016X}
X-MICROSOFT-CDO-BUSYSTATUS:BUSY
BEGIN:VALARM
TRIGGER:-PT15M
ACTION:DISPLAY
DESCRIPTION:Reminder
END:VALARM
END:VEVENT
"""
OTHER_TITLES = ["Diary catch-up", "Ward surgery", "Group meeting", "Budget briefing", "Press call"]


def write(diary_path: Path, events: int, now: datetime, output: Path) -> None:
    diary = Diary.open(diary_path, clock=lambda: now)
    year_ago = now - timedelta(days=365)
    scheduled = [o for o in diary.meetings.agenda(year_ago.date(), now.date()) if year_ago <= o.start < now]
    titles = [c.title for c in diary.commitments.list()]
    diary.close()
    moments: list[tuple[datetime, str]] = [(o.start, o.title) for o in scheduled[:events]]
    extra = events - len(moments)
    for number in range(extra):
        # Spread over the year's working hours, half with a commitment's title, half with another.
        start = (year_ago + timedelta(days=number * 364 / max(extra, 1))).replace(
            hour=8 + number % 9, minute=0, second=0, microsecond=0
        )
        title = titles[number % len(titles)] if number % 2 else OTHER_TITLES[number % len(OTHER_TITLES)]
        moments.append((start, title))
    parts = [HEADER]
    for number, (start, title) in enumerate(moments):
        local = start.astimezone(LONDON).replace(tzinfo=None)
        parts.append(EVENT.format(start=local, end=local + timedelta(minutes=90), title=title, number=number))
    parts.append("END:VCALENDAR\n")
    output.write_bytes("".join(parts).replace("\n", "\r\n").encode())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("diary", type=Path)
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--now", default="2026-11-26T10:00")
    args = parser.parse_args()
    now = datetime.fromisoformat(args.now).replace(tzinfo=LONDON)
    write(args.diary, args.events, now, args.output)


if __name__ == "__main__":
    main()
