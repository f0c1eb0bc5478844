"""Reading Outlook's calendar back: a quarter's real meetings fill in attendance, re-importing changes
nothing, hostile files are refused whole, and our own export round-trips into a fresh diary."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from diary_testing import NOW, Result
from ical_diary import MONTHLY, MOVED_TO, PATTERNS, build_fixed_diary

from los_tui.domain.model import Status
from los_tui.exports.ical_reader import read_meetings
from los_tui.services.diary import Diary
from los_tui.services.ical import Decision

LONDON = ZoneInfo("Europe/London")
OUTLOOK_QUARTER = Path(__file__).resolve().parents[1] / "fixtures" / "outlook_quarter.ics"


@pytest.fixture
def lead_member(seeded: Callable[..., Result]) -> Callable[..., Result]:
    """A Lead Member's diary with the Improvement Board on the second Tuesday, as in Outlook."""
    assert seeded("schedule", MONTHLY.slug, "--rrule", MONTHLY.rrule, "--start", "2026-01-13T18:30").code == 0
    return seeded


def agenda(los: Callable[..., Result], first: str = "2026-07-01", last: str = "2026-09-30") -> list[dict]:
    result = los("agenda", "--from", first, "--to", last, "--role", "lmcs", "--json")
    assert result.code == 0
    return json.loads(result.out)


def test_an_outlook_quarter_fills_in_the_lead_members_attendance(lead_member: Callable[..., Result]) -> None:
    preview = lead_member("import", "ics", str(OUTLOOK_QUARTER), "--role", "lmcs")
    assert preview.code == 0, preview.err
    assert "Dentist (no commitment has this title)" in preview.out  # listed, not dropped
    assert "run again with --apply" in preview.out
    # a preview writes nothing: the quarter's three boards are still unlogged (and there are three)
    assert [o["status"] for o in agenda(lead_member)] == ["scheduled"] * 3

    applied = lead_member("import", "ics", str(OUTLOOK_QUARTER), "--role", "lmcs", "--apply")
    assert applied.code == 0, applied.err
    summary = {(o["start"], o["title"]): (o["status"], o["moved"], o["adhoc"]) for o in agenda(lead_member)}
    assert summary == {
        ("2026-07-14T18:30+01:00", "Children's Improvement Board"): ("attended", False, False),
        # Outlook moved August's board a week (RECURRENCE-ID 11 August): the diary's August one moves too.
        ("2026-08-18T18:30+01:00", "Children's Improvement Board"): ("attended", True, False),
        # September's was deleted in Outlook (EXDATE): nothing is claimed for it.
        ("2026-09-08T18:30+01:00", "Children's Improvement Board"): ("scheduled", False, False),
        # A team visit is on no schedule: an ad hoc entry, attended, for the time Outlook had.
        ("2026-07-23T10:00+01:00", "Visit to a team"): ("attended", False, True),
    }


def test_importing_the_same_file_again_changes_nothing(
    lead_member: Callable[..., Result], db_path: Path
) -> None:
    assert lead_member("import", "ics", str(OUTLOOK_QUARTER), "--role", "lmcs", "--apply").code == 0
    before = agenda(lead_member, "2025-11-01", "2026-11-30")
    sequence_before = json.loads(lead_member("commitments", "--role", "lmcs", "--json").out)
    again = lead_member("import", "ics", str(OUTLOOK_QUARTER), "--role", "lmcs", "--apply", "--json")
    assert again.code == 0
    report = json.loads(again.out)
    assert report["written"] == 0
    assert {m["outcome"] for m in report["meetings"]} == {"already imported", "unmatched"}
    assert agenda(lead_member, "2025-11-01", "2026-11-30") == before
    assert json.loads(lead_member("commitments", "--role", "lmcs", "--json").out) == sequence_before


def test_a_meeting_already_logged_is_left_as_the_user_logged_it(lead_member: Callable[..., Result]) -> None:
    assert lead_member("log", MONTHLY.slug, "--on", "2026-07-14", "--status", "delegated").code == 0
    result = lead_member("import", "ics", str(OUTLOOK_QUARTER), "--role", "lmcs", "--apply")
    assert "already logged" in result.out
    july = [o for o in agenda(lead_member) if o["start"].startswith("2026-07-14")]
    assert [o["status"] for o in july] == ["delegated"]


def test_a_title_both_roles_share_asks_for_the_role(lead_member: Callable[..., Result]) -> None:
    report = json.loads(lead_member("import", "ics", str(OUTLOOK_QUARTER), "--json").out)
    july = next(m for m in report["meetings"] if m["start"].startswith("2026-07-14"))
    # Both roles have a "Children's Improvement Board"; only the Lead Member's is scheduled that evening.
    assert (july["outcome"], july["commitment"]) == ("occurrence", MONTHLY.slug)
    conference = next(m for m in report["meetings"] if m["title"] == "Staff conference")
    assert conference["outcome"] == "adhoc" and conference["commitment"] == "dcs-staff-conference"


def test_outlooks_windows_zone_is_read_as_london(lead_member: Callable[..., Result]) -> None:
    meetings = read_meetings(OUTLOOK_QUARTER.read_bytes(), "q.ics", datetime(2026, 7, 1, tzinfo=LONDON), NOW)
    timed = [m for m in meetings if not m.all_day]
    assert timed and {m.start.tzinfo for m in timed} == {LONDON}
    assert timed[0].start == datetime(2026, 7, 14, 18, 30, tzinfo=LONDON)


def test_a_meeting_marked_cancelled_is_never_logged_as_attended(
    lead_member: Callable[..., Result], tmp_path: Path
) -> None:
    path = tmp_path / "cancelled.ics"
    path.write_bytes(
        _calendar(
            "BEGIN:VEVENT\r\nUID:called-off\r\nDTSTAMP:20260101T000000Z\r\nSTATUS:CANCELLED\r\n"
            "DTSTART;TZID=Europe/London:20260714T183000\r\nDTEND;TZID=Europe/London:20260714T203000\r\n"
            "SUMMARY:Children's Improvement Board\r\nEND:VEVENT\r\n"
        )
    )
    report = json.loads(lead_member("import", "ics", str(path), "--role", "lmcs", "--apply", "--json").out)
    assert [m["outcome"] for m in report["meetings"]] == ["cancelled"]
    assert report["written"] == 0
    assert [o["status"] for o in agenda(lead_member) if o["start"].startswith("2026-07-14")] == ["scheduled"]


# -- hostile and broken files ------------------------------------------------------------------------------
def _event(rule: str, uid: str = "hostile-1", start: str = "20260601T090000Z") -> str:
    return (
        "BEGIN:VEVENT\r\nUID:" + uid + "\r\nDTSTAMP:20260101T000000Z\r\n"
        f"DTSTART:{start}\r\nDTEND:{start}\r\nSUMMARY:Children's Improvement Board\r\n"
        + (f"RRULE:{rule}\r\n" if rule else "")
        + "END:VEVENT\r\n"
    )


def _calendar(body: str) -> bytes:
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{body}END:VCALENDAR\r\n".encode()


HOSTILE = {
    "over 5 MiB": (
        _calendar(_event("") + "X-PADDING:" + "x" * (5 * 1024 * 1024) + "\r\n"),
        "the limit is 5,242,880",
    ),
    "over 10,000 components": (
        _calendar("".join(_event("", f"u{n}") for n in range(10_000))),  # and the VCALENDAR
        "has 10,001 components; the limit is 10,000",
    ),
    "not iCalendar": (b"\x89PNG\r\n\x1a\n not a calendar at all", "is not an iCalendar file"),
    "INTERVAL=0": (_calendar(_event("FREQ=DAILY;INTERVAL=0")), "INTERVAL must be at least 1"),
    # icalendar looks a TZID up on disk: "America" is a folder of zones, not a zone (found by the fuzzer).
    "TZID naming a folder": (
        _calendar(_event("").replace("DTSTART:", "DTSTART;TZID=America:").replace("Z\r\nDTEND", "\r\nDTEND")),
        "names a time zone that cannot be read (TZID)",
    ),
    "sub-daily without end": (
        _calendar(_event("FREQ=MINUTELY")),
        "more often than daily needs COUNT or UNTIL",
    ),
    "every minute since 1990": (
        _calendar(_event("FREQ=MINUTELY;UNTIL=20300101T000000Z", start="19900101T000000Z")),
        "would take over 50,000 steps to expand up to",
    ),
    "expansion past 1,000": (
        _calendar(_event("FREQ=HOURLY;COUNT=5000")),
        "expands to more than 1,000 meetings between",
    ),
}


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_hostile_files_are_refused_whole_with_one_line(
    lead_member: Callable[..., Result], tmp_path: Path, case: str
) -> None:
    data, message = HOSTILE[case]
    path = tmp_path / "hostile.ics"
    path.write_bytes(data)
    before = agenda(lead_member, "2025-11-01", "2026-11-30")
    result = lead_member("import", "ics", str(path), "--apply")
    assert result.code == 2
    assert result.err.startswith(f"los: error: FILE '{path}': ")
    assert message in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert agenda(lead_member, "2025-11-01", "2026-11-30") == before


def test_a_missing_file_is_named(lead_member: Callable[..., Result], tmp_path: Path) -> None:
    result = lead_member("import", "ics", str(tmp_path / "nowhere.ics"))
    assert result.code == 2
    assert "nowhere.ics" in result.err and "cannot be read" in result.err


# -- round trip --------------------------------------------------------------------------------------------
def _attended(diary: Diary, first: date, last: date) -> list[tuple[str, datetime]]:
    return sorted(
        (o.commitment_slug, o.start)
        for o in diary.meetings.agenda(first, last)
        if o.status is Status.ATTENDED
    )


def _happened(diary: Diary, first: date, last: date) -> list[tuple[str, datetime]]:
    return sorted(
        (o.commitment_slug, o.start)
        for o in diary.meetings.agenda(first, last)
        if o.status is not Status.CANCELLED and o.end <= NOW
    )


@pytest.mark.parametrize("scheduled", [True, False], ids=["same-schedules", "no-schedules"])
def test_our_export_imported_into_a_fresh_diary_gives_the_same_meetings(
    tmp_path: Path, scheduled: bool
) -> None:
    original = build_fixed_diary(tmp_path / "original.sqlite3")
    exported = tmp_path / "diary.ics"
    exported.write_bytes(original.calendar.export().data)
    fresh = Diary.open(tmp_path / "fresh.sqlite3", clock=lambda: NOW)
    fresh.init("both")
    if scheduled:
        for pattern in PATTERNS:
            fresh.commitments.schedule(
                pattern.slug, pattern.rrule, pattern.start, pattern.duration, pattern.location
            )
    plan = fresh.calendar.plan_import(exported)
    assert plan.count(Decision.UNMATCHED) == 0
    assert fresh.calendar.apply_import(plan) == len(plan.proposals)
    first, last = plan.window_start.date(), NOW.date()
    expected = _happened(original, first, last)
    assert (MONTHLY.slug, MOVED_TO) in expected
    assert len(expected) > 10
    assert _attended(fresh, first, last) == expected
    if scheduled:  # the moved meeting is recognised as March's, moved, not a stray extra one
        march = [
            o
            for o in fresh.meetings.agenda(date(2026, 3, 1), date(2026, 3, 31))
            if o.commitment_slug == MONTHLY.slug
        ]
        assert [(o.start, o.is_moved, o.is_adhoc) for o in march] == [(MOVED_TO, True, False)]
    original.close()
    fresh.close()
