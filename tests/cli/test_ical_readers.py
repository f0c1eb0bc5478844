"""Independent readers of our .ics export (icalendar with recurring-ical-events, vobject, Mozilla's
ical.js) see exactly the meetings our own agenda shows, at the right times all through 2026."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from diary_testing import NOW
from ical_diary import (
    MONTHLY,
    MOVED_TO,
    PATTERNS,
    build_fixed_diary,
    expected_meetings,
    read_with_icalendar,
    read_with_icaljs,
    read_with_vobject,
)

from los_tui.exports.ical import export_calendar
from los_tui.services.diary import Diary

READERS = {"icalendar": read_with_icalendar, "vobject": read_with_vobject}


@pytest.fixture(scope="module")
def fixed_diary(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Diary]:
    diary = build_fixed_diary(tmp_path_factory.mktemp("fixed") / "diary.sqlite3")
    yield diary
    diary.close()


CASES = [*[(p.name, [p.slug]) for p in PATTERNS], ("whole-diary", None)]


@pytest.mark.parametrize("reader", ["icalendar", "vobject", "ical.js"])
@pytest.mark.parametrize(("case", "slugs"), CASES, ids=[c for c, _ in CASES])
def test_every_reader_sees_the_meetings_our_agenda_shows(
    fixed_diary: Diary, tmp_path: Path, reader: str, case: str, slugs: list[str] | None
) -> None:
    exported = fixed_diary.calendar.export(slugs=slugs)
    expected = expected_meetings(fixed_diary, slugs)
    assert expected, "the pattern has meetings in 2026"
    if reader == "ical.js":
        path = tmp_path / f"{case}.ics"
        path.write_bytes(exported.data)
        seen = read_with_icaljs(path)
    else:
        seen = READERS[reader](exported.data)
    assert seen == expected


def test_the_monthly_board_keeps_its_local_time_across_both_clock_changes(fixed_diary: Diary) -> None:
    seen = read_with_icalendar(fixed_diary.calendar.export(slugs=[MONTHLY.slug]).data)
    starts = [start for _, start, _ in seen]
    assert "2026-02-10T18:30:00Z" in starts  # 18:30 GMT in winter
    assert "2026-05-12T17:30:00Z" in starts  # 18:30 BST in summer
    assert "2026-11-10T18:30:00Z" in starts  # 18:30 GMT again after October
    assert "2026-10-13T17:30:00Z" not in starts  # cancelled
    assert MOVED_TO.strftime("%Y-%m-%dT17:30:00Z") in starts  # moved into BST
    assert "2026-03-10T18:30:00Z" not in starts  # and gone from where it was


def test_the_expected_list_itself_is_what_the_user_scheduled(fixed_diary: Diary) -> None:
    # Guards the comparison above: 12 boards a year, less the cancelled one.
    boards = expected_meetings(fixed_diary, [MONTHLY.slug])
    assert len(boards) == 11
    assert ("Children's Improvement Board", "2026-03-10T18:30:00Z", "2026-03-10T20:30:00Z") not in boards


@pytest.mark.parametrize("reader", ["icalendar", "vobject", "ical.js"])
def test_our_time_zone_block_alone_gives_every_reader_the_right_times(
    fixed_diary: Diary, tmp_path: Path, reader: str
) -> None:
    """Readers that know "Europe/London" may use their own tz database; renamed, they must use our
    VTIMEZONE (as Outlook does), so this checks the STANDARD/DAYLIGHT rules themselves."""
    data = fixed_diary.calendar.export().data.replace(b"Europe/London", b"Line of sight local time")
    if reader == "ical.js":
        path = tmp_path / "renamed.ics"
        path.write_bytes(data)
        seen = read_with_icaljs(path)
    else:
        seen = READERS[reader](data)
    assert seen == expected_meetings(fixed_diary)


def test_a_wrong_summer_rule_would_be_noticed(fixed_diary: Diary) -> None:
    """The comparison can fail: a VTIMEZONE starting summer time in late April puts April's board out."""
    commitment = fixed_diary.commitments.get(MONTHLY.slug)
    good = export_calendar([commitment], [], NOW, "x").data.replace(
        b"Europe/London", b"Line of sight local time"
    )
    # A fresh zone name: vobject remembers each TZID it has read for the rest of the process.
    broken = good.replace(b"BYMONTH=3", b"BYMONTH=4").replace(b"Line of sight local time", b"Broken time")
    good_april = [m for m in read_with_vobject(good) if m[1].startswith("2026-04")]
    broken_april = [m for m in read_with_vobject(broken) if m[1].startswith("2026-04")]
    assert good_april == [("Children's Improvement Board", "2026-04-14T17:30:00Z", "2026-04-14T19:30:00Z")]
    assert broken_april != good_april


def test_nth_weekdays_stored_with_bysetpos_are_exported_as_exchange_writes_them(fixed_diary: Diary) -> None:
    """The board, the practice audit and the foster carers' evening are stored as `BYDAY=TU;BYSETPOS=2`
    and the like; readers that ignore BYSETPOS (calcurse) would see every Tuesday. The export writes
    `BYDAY=2TU`, and the readers above see exactly the agenda's meetings from it."""
    data = fixed_diary.calendar.export().data
    assert b"BYSETPOS" not in data
    for written in (b"BYDAY=2TU", b"BYDAY=-1FR", b"BYDAY=1WE"):
        assert written in data
    stored = [version.rrule for version in fixed_diary.commitments.get(MONTHLY.slug).schedules]
    assert stored == ["FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2"]  # what is stored is left as it was
