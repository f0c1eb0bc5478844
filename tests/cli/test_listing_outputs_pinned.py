"""`los agenda` and `los review` print, byte for byte, what they printed when these files were written, on
a diary crossing both clock changes: the protocol's commitments (periodic ones counted by period, ad hoc
ones with a quarterly target), three series meeting where the clocks change (02:30 on the last Sunday of
each month, 00:30 every day, 18:30 every week, the weekly one changing its time and length part-way),
every status, moves across the year's edge and into the hour that repeats or is skipped, extra entries in
those hours, all-day entries, notes, and a retired commitment with history.

The readers of the agenda and the review were made to do less work per meeting (issue 19); these pins
hold that none of it changed what the user reads. The expected outputs live in `pinned/`; after a change
meant to alter them, write them again with LOS_WRITE_PINNED=1 and read the difference before committing.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from diary_testing import LONDON, NOW, Result

from los_tui.domain.model import Frequency, Role, Status
from los_tui.services.diary import Diary

pytestmark = pytest.mark.both_backends  # a diary file, then a database on the server: the same bytes

PINNED = Path(__file__).parent / "pinned"
SERIES = {
    "Night visit": ("FREQ=MONTHLY;BYDAY=-1SU", datetime(2025, 10, 26, 2, 30), 60),
    "Early call": ("FREQ=DAILY", datetime(2025, 11, 20, 0, 30), 30),
    "Board": ("FREQ=WEEKLY;BYDAY=TU", datetime(2025, 11, 4, 18, 30), 120),
}
STATUSES = [Status.ATTENDED, Status.DELEGATED, Status.APOLOGIES, Status.MISSED, Status.CANCELLED, None]
CHANGE_HOUR_ENTRIES = [
    datetime(2026, 3, 29, 0, 45, tzinfo=UTC),  # 00:45 GMT, just before the clocks go forward
    datetime(2026, 3, 29, 1, 15, tzinfo=UTC),  # 02:15 BST
    datetime(2026, 10, 25, 0, 45, tzinfo=UTC),  # 01:45 BST
    datetime(2026, 10, 25, 1, 45, tzinfo=UTC),  # 01:45 GMT, the second
]
COMMANDS = {
    "review-year.txt": ["review", "--from", "2025-12-01", "--to", "2026-11-30", "--as-of", "2026-11-26"],
    "review-quarter.txt": ["review", "--quarter", "2026-Q4", "--as-of", "2026-11-26"],
    "review-q1.txt": ["review", "--quarter", "2026-Q1", "--as-of", "2026-11-26"],
    "review-change-day.txt": ["review", "--from", "2026-10-25", "--to", "2026-10-25"],
    "review-year.json": ["review", "--from", "2025-12-01", "--to", "2026-11-30", "--json"],
    "review-quarter.csv": ["review", "--quarter", "2026-Q4", "--format", "csv", "--include-notes"],
    "review-quarter.md": ["review", "--quarter", "2026-Q1", "--format", "md"],
    # The text agenda's windows leave out 25 October, whose repeated hour's time ranges are written by
    # another change (its JSON, with offsets, is pinned).
    "agenda.txt": ["agenda", "--from", "2026-10-26", "--to", "2027-01-23"],
    "agenda-spring.txt": ["agenda", "--from", "2026-03-20", "--to", "2026-04-05", "--include-notes"],
    "agenda-autumn.json": [
        "agenda",
        "--from",
        "2026-10-18",
        "--to",
        "2026-11-02",
        "--json",
        "--include-notes",
    ],
    "agenda-dcs.txt": [
        "agenda",
        "--from",
        "2026-09-01",
        "--to",
        "2026-11-29",
        "--role",
        "dcs",
        "--include-notes",
    ],
}


def local(day: date, hour: int, minute: int) -> datetime:
    return datetime.combine(day, time(hour, minute), LONDON)


def make_diary(path: Path) -> None:
    diary = Diary.open(path, clock=lambda: datetime(2025, 10, 1, 9, 0, tzinfo=LONDON))
    try:
        diary.init("both")
        for title, (rule, start, minutes) in SERIES.items():
            made = diary.commitments.add(title, Role.LMCS, Frequency.MONTHLY)
            diary.commitments.schedule(made.slug, rule, start, minutes, location="Room 1")
        diary.commitments.schedule(
            "lmcs-board",
            "FREQ=WEEKLY;BYDAY=TU",
            datetime(2026, 6, 2, 17, 0),
            90,
            effective_from=date(2026, 6, 1),
        )
        diary.commitments.schedule(
            "dcs-improvement-board", "FREQ=MONTHLY;BYDAY=-1SU", datetime(2025, 11, 30, 23, 30), 45
        )
        diary.commitments.set_target("lmcs-team-visits", 3, date(2026, 1, 1))
        gone = diary.commitments.add("Old forum", Role.DCS, Frequency.AD_HOC)
        diary.clock = lambda: NOW
        meetings = diary.meetings.agenda(date(2025, 11, 20), date(2026, 12, 10))
        logged = [
            replace(meeting, status=STATUSES[index % len(STATUSES)])
            for index, meeting in enumerate(meetings)
            if meeting.end <= NOW or index % 4 == 0
        ]
        logged = [
            m if m.end <= NOW or m.status is None else replace(m, status=Status.CANCELLED) for m in logged
        ]
        diary.meetings.log_many([m for m in logged if m.status is not None or m.start.day % 2])
        night = "lmcs-night-visit"
        for day in (date(2026, 3, 29), date(2026, 10, 25)):
            diary.meetings.log(night, local(day, 2, 30), True, Status.ATTENDED, note=f"Seen on {day}")
        for extra in CHANGE_HOUR_ENTRIES:
            diary.meetings.add_adhoc(
                night, extra, False, Status.DELEGATED, note="In the changing hour", extra=True
            )
        for was, to in [
            (local(date(2025, 11, 25), 18, 30), local(date(2025, 12, 1), 9, 0)),  # into the year
            (local(date(2026, 11, 24), 17, 0), local(date(2026, 12, 2), 9, 0)),  # out of it
            (local(date(2026, 10, 20), 17, 0), datetime(2026, 10, 25, 1, 15, tzinfo=UTC)),  # 01:15 GMT
            (local(date(2026, 10, 13), 17, 0), datetime(2026, 10, 25, 0, 15, tzinfo=UTC)),  # 01:15 BST
            (local(date(2026, 3, 24), 18, 30), datetime(2026, 3, 29, 1, 15, tzinfo=UTC)),  # 02:15 BST
        ]:
            found = diary.meetings.find("lmcs-board", was, True)
            assert found is not None
            diary.meetings.move(found, to)
        board = diary.meetings.find("lmcs-board", local(date(2026, 10, 6), 17, 0), True)
        assert board is not None
        diary.meetings.save_note(board, "Asked about the front door\nand the waiting list")
        diary.meetings.save_questions(board, "Who holds the plan?")
        for day, status in [(date(2026, 2, 10), Status.ATTENDED), (date(2026, 11, 3), Status.MISSED)]:
            diary.meetings.add_adhoc("lmcs-team-visits", local(day, 0, 0), True, status, note="Team visit")
        diary.meetings.add_adhoc("lmcs-team-visits", local(date(2026, 10, 25), 1, 30), False, Status.ATTENDED)
        diary.meetings.add_adhoc(gone.slug, local(date(2026, 1, 14), 11, 0), False, Status.ATTENDED)
        diary.commitments.retire(gone.slug, date(2026, 2, 1))
    finally:
        diary.close()


@pytest.fixture
def outputs(db_path: Path, los: Callable[..., Result]) -> dict[str, str]:
    make_diary(db_path)
    printed = {}
    for name, command in COMMANDS.items():
        result = los(*command)
        assert result.code == 0, (name, result.err)
        printed[name] = result.out
    return printed


def test_the_agenda_and_the_review_print_what_they_printed_before_across_both_clock_changes(
    outputs: dict[str, str],
) -> None:
    if os.environ.get("LOS_WRITE_PINNED"):
        PINNED.mkdir(exist_ok=True)
        for name, text in outputs.items():
            (PINNED / name).write_bytes(text.encode("utf-8"))
        pytest.skip("pinned outputs written again: read their difference before committing")
    for name, text in outputs.items():
        assert text.encode("utf-8") == (PINNED / name).read_bytes(), name
