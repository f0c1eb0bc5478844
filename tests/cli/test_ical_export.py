"""Exporting the diary for Outlook: the file's shape, golden files per pattern, stable UIDs and SEQUENCE,
what is left out and why, and the `los export ics` command."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import icalendar
import pytest
from diary_testing import NOW, Result
from ical_diary import CANCELLED, MONTHLY, PATTERNS, Pattern, build_fixed_diary, uid_of

from los_tui.domain.model import Status
from los_tui.exports.ical import export_calendar
from los_tui.services.diary import Diary

pytestmark = pytest.mark.both_backends  # a diary file, then a database on the server

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "ical"


@pytest.fixture
def fixed_diary(tmp_path: Path) -> Iterator[Diary]:
    diary = build_fixed_diary(tmp_path / "fixed.sqlite3")
    yield diary
    diary.close()


def events(data: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


@pytest.mark.parametrize("pattern", PATTERNS, ids=[p.name for p in PATTERNS])
def test_each_pattern_exports_exactly_its_golden_file(fixed_diary: Diary, pattern: Pattern) -> None:
    data = fixed_diary.calendar.export(slugs=[pattern.slug]).data
    golden = GOLDEN / f"{pattern.name}.ics"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_bytes(data)
    assert data == golden.read_bytes()


def test_the_file_is_what_outlook_expects(fixed_diary: Diary) -> None:
    data = fixed_diary.calendar.export().data
    calendar = icalendar.Calendar.from_ical(data)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["PRODID"])
    assert str(calendar["X-WR-CALNAME"]) == "Line of sight: LMCS and DCS"
    zones = list(calendar.walk("VTIMEZONE"))
    assert [str(z["TZID"]) for z in zones] == ["Europe/London"]
    blocks = zones[0].subcomponents
    assert sorted(b.name for b in blocks) == ["DAYLIGHT", "STANDARD"]
    for block in blocks:
        assert block["RRULE"]["FREQ"] == ["YEARLY"]
        assert block["RRULE"]["BYDAY"] == ["-1SU"]
        assert "RDATE" not in block
    for event in events(data):
        assert event["DTSTART"].params["TZID"] == "Europe/London"
        assert "DTEND" in event and "DTSTAMP" in event and "LAST-MODIFIED" in event
        assert "ORGANIZER" not in event and "ATTENDEE" not in event
        assert not event.subcomponents  # no alarm unless asked for
        rule = event.get("RRULE")
        if rule is not None:
            assert not ("COUNT" in rule and "UNTIL" in rule)
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")


def test_a_cancelled_meeting_is_an_exdate_and_a_moved_one_an_override(fixed_diary: Diary) -> None:
    board = events(fixed_diary.calendar.export(slugs=[MONTHLY.slug]).data)
    master = next(e for e in board if "RRULE" in e)
    override = next(e for e in board if "RECURRENCE-ID" in e)
    exdates = [d.dt for d in master["EXDATE"].dts]
    assert exdates == [CANCELLED]
    assert master["EXDATE"].params["TZID"] == "Europe/London"
    assert override["UID"] == master["UID"]
    assert override.decoded("RECURRENCE-ID") == datetime(2026, 3, 10, 18, 30, tzinfo=CANCELLED.tzinfo)
    assert override.decoded("DTSTART") == datetime(2026, 3, 31, 18, 30, tzinfo=CANCELLED.tzinfo)
    for name in ("SUMMARY", "DTEND", "LOCATION", "DESCRIPTION", "SEQUENCE", "CATEGORIES"):
        assert name in override, f"the override repeats {name}"


def test_the_description_says_who_it_is_with_and_the_protocol_but_notes_only_when_asked(
    fixed_diary: Diary,
) -> None:
    occurrence = fixed_diary.meetings.find(
        MONTHLY.slug, datetime(2026, 6, 9, 18, 30, tzinfo=CANCELLED.tzinfo), True
    )
    assert occurrence is not None
    fixed_diary.meetings.save_note(occurrence, "Asked about the caseload of the Duty team; chased by Friday")
    plain = fixed_diary.calendar.export(slugs=[MONTHLY.slug]).data
    description = str(events(plain)[0]["DESCRIPTION"])
    assert "With: Improvement Board members" in description
    assert "Monthly attendance at the Children's Improvement Board." in description
    assert b"caseload" not in plain
    noted = events(fixed_diary.calendar.export(slugs=[MONTHLY.slug], include_notes=True).data)
    june = next(e for e in noted if str(e.get("RECURRENCE-ID", "")) and e.decoded("RECURRENCE-ID").month == 6)
    assert "caseload of the Duty team" in str(june["DESCRIPTION"])
    assert june.decoded("DTSTART") == occurrence.start  # a note alone does not move the meeting


def test_an_alarm_is_one_valarm_per_event(fixed_diary: Diary) -> None:
    for event in events(fixed_diary.calendar.export(alarm_minutes=30).data):
        alarms = event.walk("VALARM")
        assert len(alarms) == 1
        assert alarms[0].decoded("TRIGGER").total_seconds() == -30 * 60


def test_long_text_folds_at_75_octets_without_splitting_a_character(fixed_diary: Diary) -> None:
    wording = "Réunion trimestrielle — visite aux équipes 👩‍👧 " * 8 + "; fin, avec \\ et virgules"
    commitment = fixed_diary.commitments.get(MONTHLY.slug)
    data = export_calendar([replace(commitment, wording=wording)], [], NOW, "x").data
    lines = data.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75
    for line in lines:
        line.decode("utf-8")  # each physical line is whole UTF-8: no character cut in two
    description = str(events(data)[0]["DESCRIPTION"])
    assert description.endswith(wording)


def test_a_second_export_after_a_change_keeps_the_uids_and_raises_sequence(fixed_diary: Diary) -> None:
    before = {
        str(e["UID"]): int(e["SEQUENCE"]) for e in events(fixed_diary.calendar.export().data) if "RRULE" in e
    }
    again = {
        str(e["UID"]): int(e["SEQUENCE"]) for e in events(fixed_diary.calendar.export().data) if "RRULE" in e
    }
    assert again == before  # the same diary exports the same UIDs and sequences
    july = fixed_diary.meetings.find(
        MONTHLY.slug, datetime(2026, 7, 14, 18, 30, tzinfo=CANCELLED.tzinfo), True
    )
    assert july is not None
    fixed_diary.meetings.set_status(july, Status.CANCELLED)
    after = {
        str(e["UID"]): int(e["SEQUENCE"]) for e in events(fixed_diary.calendar.export().data) if "RRULE" in e
    }
    board = uid_of(fixed_diary, MONTHLY.slug)
    assert after.keys() == before.keys()
    assert after[board] > before[board]
    assert {uid: seq for uid, seq in after.items() if uid != board} == {
        uid: seq for uid, seq in before.items() if uid != board
    }


def test_a_new_schedule_ends_the_old_series_just_before_it_and_starts_a_new_one(fixed_diary: Diary) -> None:
    old_uid = uid_of(fixed_diary, MONTHLY.slug)
    old_sequence = int(
        next(e for e in events(fixed_diary.calendar.export(slugs=[MONTHLY.slug]).data) if "RRULE" in e)[
            "SEQUENCE"
        ]
    )
    fixed_diary.commitments.schedule(
        MONTHLY.slug,
        "FREQ=MONTHLY;BYDAY=TH;BYSETPOS=-1",
        datetime(2026, 9, 24, 10, 0),
        effective_from=date(2026, 9, 1),
    )
    masters = {
        str(e["UID"]): e
        for e in events(fixed_diary.calendar.export(slugs=[MONTHLY.slug]).data)
        if "RRULE" in e
    }
    assert len(masters) == 2
    old = masters[old_uid]
    # One second before midnight, 1 September, British Summer Time; in UTC, as RFC 5545 requires.
    assert old["RRULE"]["UNTIL"] == [datetime(2026, 8, 31, 22, 59, 59, tzinfo=UTC)]
    assert b"UNTIL=20260831T225959Z" in fixed_diary.calendar.export(slugs=[MONTHLY.slug]).data
    assert int(old["SEQUENCE"]) > old_sequence
    (new,) = [e for uid, e in masters.items() if uid != old_uid]
    assert new.decoded("DTSTART") == datetime(2026, 9, 24, 10, 0, tzinfo=CANCELLED.tzinfo)


def test_rules_outlook_cannot_take_and_unscheduled_lines_are_left_out_with_reasons(
    fixed_diary: Diary,
) -> None:
    fixed_diary.commitments.schedule(
        "lmcs-high-risk-cases", "FREQ=MONTHLY;BYDAY=1MO,3MO", datetime(2026, 1, 5, 9, 0)
    )
    export = fixed_diary.calendar.export(slugs=["lmcs-high-risk-cases", "lmcs-cicc", MONTHLY.slug])
    reasons = {item.slug: item.reason for item in export.left_out}
    assert reasons["lmcs-cicc"] == "not scheduled"
    assert "Outlook takes one numbered weekday" in reasons["lmcs-high-risk-cases"]
    assert MONTHLY.slug not in reasons
    assert [str(e["SUMMARY"]) for e in events(export.data) if "RRULE" in e] == [
        "Children's Improvement Board"
    ]


# -- the command ------------------------------------------------------------------------------------------
@pytest.fixture
def scheduled(seeded: Callable[..., Result]) -> Callable[..., Result]:
    assert seeded("schedule", MONTHLY.slug, "--rrule", MONTHLY.rrule, "--start", "2026-01-13T18:30").code == 0
    return seeded


def test_export_to_standard_output_says_what_was_left_out_on_stderr(scheduled: Callable[..., Result]) -> None:
    result = scheduled("export", "ics", "--role", "lmcs")
    assert result.code == 0
    assert result.out.startswith("BEGIN:VCALENDAR")
    assert "X-WR-CALNAME:Line of sight: LMCS" in result.out
    assert "Left out 15 commitments with no schedule yet" in result.err


def test_export_to_a_file_is_private_and_complete(scheduled: Callable[..., Result], tmp_path: Path) -> None:
    target = tmp_path / "lmcs.ics"
    result = scheduled("export", "ics", "--commitment", MONTHLY.slug, "-o", str(target), "--alarm", "15")
    assert result.code == 0, result.err
    assert f"Wrote {target}: 1 series" in result.out
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    (event,) = events(target.read_bytes())
    assert event.walk("VALARM")
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == ["lmcs.ics"]  # no temporary file left


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--alarm", "soon"], "--alarm 'soon': must be a whole number of minutes"),
        (["--alarm", "99999"], "--alarm '99999': must be between 0 and"),
        (["--commitment", "no-such-thing"], "commitment 'no-such-thing'"),
        (["--role", "mayor"], "--role 'mayor'"),
        (
            ["-o", "/no/such/folder/x.ics"],
            "-o '/no/such/folder/x.ics': the folder '/no/such/folder' does not exist",
        ),
    ],
)
def test_bad_export_options_get_one_line_and_exit_2(
    scheduled: Callable[..., Result], args: list[str], message: str
) -> None:
    result = scheduled("export", "ics", *args)
    assert result.code == 2
    assert message in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert result.out == ""
