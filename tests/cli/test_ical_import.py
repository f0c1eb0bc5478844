"""Reading Outlook's calendar back: a quarter's real meetings fill in attendance, re-importing changes
nothing, hostile files are refused whole, and our own export round-trips into a fresh diary."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from diary_testing import NOW, Result
from ical_diary import MONTHLY, MOVED_TO, PATTERNS, build_fixed_diary

from los_tui.domain.model import Status
from los_tui.exports.ical_reader import read_meetings
from los_tui.services.diary import Diary
from los_tui.services.ical import Decision

pytestmark = pytest.mark.both_backends  # a diary file, then a database on the server

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
    meetings = read_meetings(
        OUTLOOK_QUARTER.read_bytes(), "q.ics", datetime(2026, 7, 1, tzinfo=LONDON), NOW, LONDON
    ).meetings
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
        "the limit is 5,242,880 (5 MiB): save a shorter date range in Outlook",
    ),
    "over 10,000 events": (
        _calendar("".join(_event("", f"u{n}") for n in range(10_001))),
        "has 10,001 events; the limit is 10,000: save a shorter date range in Outlook",
    ),
    "over 40,000 components": (
        _calendar(_event("") + "BEGIN:X\r\nEND:X\r\n" * 40_000),
        "has 40,002 components; the limit is 40,000",
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
    "more than 10,000 meetings in the window": (
        _calendar(_event("FREQ=HOURLY;BYMINUTE=0,30;COUNT=30000", start="20251201T000000Z")),
        "has more than 10,000 meetings between 2025-11-25 and 2026-11-26; save a shorter date range",
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
    # As invitations from whoever organises the meetings, at the times the export gives: los's own UIDs
    # would mark them as los's export read back, which is no record of going (logged as nothing).
    exported.write_bytes(original.calendar.export().data.replace(b"@los-tui", b"@organiser.example"))
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


# -- defects found on real files (issue 15) ---------------------------------------------------------------
def _vevent(summary: str, start: str, end: str = "", uid: str | None = "ev-1", extra: str = "") -> str:
    """One VEVENT; `start`/`end` are whole property lines' values with their parameters
    (`;VALUE=DATE:20260706`, `;TZID=...:20260714T183000`, `:20260714T183000`)."""
    return (
        "BEGIN:VEVENT\r\n"
        + (f"UID:{uid}\r\n" if uid is not None else "")
        + f"DTSTAMP:20260101T000000Z\r\nDTSTART{start}\r\n"
        + (f"DTEND{end}\r\n" if end else "")
        + f"SUMMARY:{summary}\r\n{extra}END:VEVENT\r\n"
    )


def _import_json(los: Callable[..., Result], path: Path, *options: str) -> dict:
    result = los("import", "ics", str(path), "--json", *options)
    assert result.code == 0, result.err
    return json.loads(result.out)


BOARD = "Children's Improvement Board"


def test_an_all_day_series_keeps_every_instance(lead_member: Callable[..., Result], tmp_path: Path) -> None:
    # Exchange writes an all-day series with dates, and r-i-e hands back date-valued RECURRENCE-IDs.
    path = tmp_path / "visits.ics"
    path.write_bytes(
        _calendar(
            _vevent(
                "Visit to a team",
                ";VALUE=DATE:20260706",
                ";VALUE=DATE:20260707",
                "visits-1",
                "RRULE:FREQ=WEEKLY;COUNT=5\r\n",
            )
        )
    )
    report = _import_json(lead_member, path, "--role", "lmcs", "--apply")
    assert [m["outcome"] for m in report["meetings"]] == ["adhoc"] * 5
    assert len({m["recurrence_id"] for m in report["meetings"]}) == 5
    assert report["written"] == 5
    # An all-day meeting has a date, not a time (it was "01:00+01:00", midnight UTC shown in summer time).
    assert [m["start"] for m in report["meetings"]] == [
        "2026-07-06",
        "2026-07-13",
        "2026-07-20",
        "2026-07-27",
        "2026-08-03",
    ]
    assert report["meetings"][0]["end"] == "2026-07-07"
    visits = [o for o in agenda(lead_member) if o["title"] == "Visit to a team"]
    assert [(o["start"][:10], o["all_day"], o["status"]) for o in visits][:2] == [
        ("2026-07-06", True, "attended"),
        ("2026-07-13", True, "attended"),
    ]
    # The agenda says it the same way: dates, the end (as in iCalendar) the day after the last.
    assert (visits[0]["start"], visits[0]["end"]) == ("2026-07-06", "2026-07-07")
    assert _import_json(lead_member, path, "--role", "lmcs", "--apply")["written"] == 0


def test_a_floating_time_is_the_diarys_wall_clock(lead_member: Callable[..., Result], tmp_path: Path) -> None:
    path = tmp_path / "floating.ics"
    path.write_bytes(_calendar(_vevent(BOARD, ":20260714T183000", ":20260714T203000")))
    assert lead_member("import", "ics", str(path), "--role", "lmcs", "--apply").code == 0
    july = [o for o in agenda(lead_member) if o["start"].startswith("2026-07-14")]
    # Read as UTC it was 19:30 in summer time, logged as moved, and the next export moved it in Outlook.
    assert [(o["start"], o["status"], o["moved"]) for o in july] == [
        ("2026-07-14T18:30+01:00", "attended", False)
    ]


def test_events_without_a_uid_are_told_apart_across_files(
    lead_member: Callable[..., Result], tmp_path: Path
) -> None:
    first, second = tmp_path / "july.ics", tmp_path / "august.ics"
    first.write_bytes(_calendar(_vevent("Visit to a team", ":20260723T100000Z", uid=None)))
    second.write_bytes(_calendar(_vevent("Visit to a team", ":20260820T100000Z", uid=None)))
    assert _import_json(lead_member, first, "--role", "lmcs", "--apply")["written"] == 1
    report = _import_json(lead_member, second, "--role", "lmcs", "--apply")
    assert [m["outcome"] for m in report["meetings"]] == ["adhoc"]  # was "already imported"
    assert report["written"] == 1
    assert report["meetings"][0]["uid"] == ""  # no key made up that a real UID could ever equal
    # Each file again writes nothing.
    assert _import_json(lead_member, first, "--role", "lmcs", "--apply")["written"] == 0
    assert _import_json(lead_member, second, "--role", "lmcs", "--apply")["written"] == 0


@pytest.mark.parametrize("other", ["100000", "203000"], ids=["earlier", "later"])
def test_two_meetings_on_a_scheduled_day_the_nearer_claims_it(
    lead_member: Callable[..., Result], tmp_path: Path, other: str
) -> None:
    path = tmp_path / "two.ics"
    london = ";TZID=Europe/London:20260714T"
    path.write_bytes(
        _calendar(
            _vevent(BOARD, london + "183000", london + "200000", "board-a")
            + _vevent(BOARD, london + other, "", "board-b")
        )
    )
    report = _import_json(lead_member, path, "--role", "lmcs", "--apply")
    outcomes = {m["uid"]: m["outcome"] for m in report["meetings"]}
    assert outcomes == {"board-a": "occurrence", "board-b": "adhoc"}
    july = [o for o in agenda(lead_member) if o["start"].startswith("2026-07-14")]
    other_time = f"2026-07-14T{other[:2]}:{other[2:4]}+01:00"
    assert sorted((o["start"], o["status"], o["moved"], o["adhoc"]) for o in july) == sorted(
        [("2026-07-14T18:30+01:00", "attended", False, False), (other_time, "attended", False, True)]
    )


def test_a_busy_years_outlook_save_is_read_whole(lead_member: Callable[..., Result], tmp_path: Path) -> None:
    # 2,600 meetings in the year, one every 3h15m: refused whole at 1,000 before.
    first = datetime(2025, 12, 1, 9, tzinfo=UTC)
    events = "".join(
        _vevent("Visit to a team", f":{first + timedelta(minutes=195 * n):%Y%m%dT%H%M%SZ}", uid=f"busy-{n}")
        for n in range(2_600)
    )
    path = tmp_path / "year.ics"
    path.write_bytes(_calendar(events))
    report = _import_json(lead_member, path, "--role", "lmcs")
    assert len(report["meetings"]) == 2_600


def test_a_file_of_10000_events_is_not_refused_for_its_vcalendar() -> None:
    data = _calendar(
        "".join(
            f"BEGIN:VEVENT\r\nUID:u{n}\r\nDTSTART:20200101T000000Z\r\nEND:VEVENT\r\n" for n in range(10_000)
        )
    )
    reading = read_meetings(data, "big.ics", datetime(2026, 1, 1, tzinfo=UTC), NOW, LONDON)
    assert reading.meetings == [] and reading.skipped == []  # read, all outside the window


def test_the_expansion_estimate_counts_every_by_part() -> None:
    import icalendar

    from los_tui.exports.ical_reader import MAX_EXPANSION_STEPS, _rule_steps

    # 24 meetings every day since 1900: 110 s and 3.4 GB before the estimate counted BYDAY and BYMONTH.
    rule = icalendar.vRecur.from_ical(
        "FREQ=YEARLY;BYMONTH=1,2,3,4,5,6,7,8,9,10,11,12;BYDAY=MO,TU,WE,TH,FR,SA,SU;"
        "BYHOUR=" + ",".join(str(h) for h in range(24))
    )
    assert _rule_steps(rule, datetime(1900, 1, 1, tzinfo=UTC), NOW) > MAX_EXPANSION_STEPS
    weekdays = icalendar.vRecur.from_ical("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR")
    steps = _rule_steps(weekdays, datetime(2016, 1, 1, tzinfo=UTC), NOW)
    assert 5 * 52 * 10 <= steps < MAX_EXPANSION_STEPS  # ten years of weekdays still fit


def test_exchanges_display_name_zones_are_read_as_outlook_reads_them(
    lead_member: Callable[..., Result], tmp_path: Path
) -> None:
    path = tmp_path / "owa.ics"
    eastern = ';TZID="(UTC-05:00) Eastern Time (US & Canada)":20260714T'
    path.write_bytes(
        _calendar(
            _vevent(BOARD, eastern + "133000", eastern + "153000", "board-ny")
            + _vevent("Visit to a team", ';TZID="(UTC+05:00) Nowhere Island":20260723T100000', uid="nowhere")
        )
    )
    result = lead_member("import", "ics", str(path), "--role", "lmcs", "--apply")
    assert result.code == 0, result.err
    # 13:30 in New York is 18:30 in London: the scheduled board, not a meeting moved (nor one at 14:30).
    july = [o for o in agenda(lead_member) if o["start"].startswith("2026-07-14")]
    assert [(o["start"], o["status"], o["moved"]) for o in july] == [
        ("2026-07-14T18:30+01:00", "attended", False)
    ]
    assert (
        "\"Visit to a team\" on 2026-07-23 10:00: its time zone '(UTC+05:00) Nowhere Island' is not one"
        in result.err
    )


def test_one_unreadable_event_leaves_the_rest_of_the_file_readable(
    lead_member: Callable[..., Result], tmp_path: Path
) -> None:
    path = tmp_path / "mixed.ics"
    path.write_bytes(
        _calendar(
            _vevent(BOARD, ";TZID=Europe/London:20260714T183000", uid="good")
            + _vevent("Budget review", ":20260801T090000Z", uid="", extra="RRULE:FREQ=DAILY;INTERVAL=0\r\n")
        )
    )
    result = lead_member("import", "ics", str(path), "--role", "lmcs", "--apply")
    assert result.code == 0
    assert "Logged 1 meeting as attended" in result.out
    assert "Left out 1 event that could not be read:" in result.err
    assert (
        '"Budget review" on 2026-08-01 09:00: its RRULE FREQ=DAILY;INTERVAL=0: INTERVAL must be at least 1'
        in result.err
    )
    assert "event  has" not in result.err
    report = _import_json(lead_member, path, "--role", "lmcs")
    assert report["skipped"] == [
        {
            "title": "Budget review",
            "start": "2026-08-01 09:00",
            "reason": "its RRULE FREQ=DAILY;INTERVAL=0: INTERVAL must be at least 1",
        }
    ]


# Terminal attacks: clear the screen, retitle the window, set the clipboard (OSC 52), and an 8-bit CSI.
ESCAPES = "\x1b[2J\x1b[H", "\x1b]0;owned\x07", "\x1b]52;c;cm0gLXJmIH4=\x07", "\x9b31m", "\u202e"


def _hostile_calendar(readable: bool) -> bytes:
    clear, title, clipboard, csi, bidi = ESCAPES
    bad = _vevent(
        f"Board{clear}{title}",
        f":2026080{clipboard}1T090000Z",
        uid=f"uid{clipboard}{csi}",
        extra=f"RRULE:FREQ=DAILY;BYDAY={csi}XX{bidi}\r\n",
    )
    good = (
        _vevent(f"Visit {clipboard}to a team{bidi}", ":20260723T100000Z", uid=f"u{title}") if readable else ""
    )
    return _calendar(bad + good)


@pytest.mark.parametrize("readable", [True, False], ids=["some-read", "none-read"])
def test_no_escape_from_a_hostile_file_reaches_the_terminal(
    lead_member: Callable[..., Result], tmp_path: Path, readable: bool
) -> None:
    folder = tmp_path / "\x1b]0;folder\x07"
    folder.mkdir()
    path = folder / "cal\x1b[2J.ics"
    path.write_bytes(_hostile_calendar(readable))
    for options in ([], ["--json"], ["--apply"]):
        result = lead_member("import", "ics", str(path), *options)
        assert result.code == (0 if readable else 2), result.err
        shown = result.out + result.err
        for char in "\x1b\x07\x9b\u202e":
            assert char not in shown, (options, shown)
        assert "cal" in shown  # the file is still named, made inert


@pytest.mark.parametrize(
    ("tzid", "zone"),
    [
        ("GMT Standard Time", "Europe/London"),
        ("(UTC-05:00) Eastern Time (US & Canada)", "America/New_York"),
        ("(UTC-08:00) Pacific Time (US & Canada)", "America/Los_Angeles"),
        ("(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna", "Europe/Amsterdam"),
        ("(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi", "Asia/Kolkata"),
        ("(GMT+10:00) Canberra, Melbourne, Sydney", "Australia/Canberra"),
        ("(UTC+01:00) West Central Africa", "Africa/Lagos"),
        ("(UTC) Coordinated Universal Time", "UTC"),
        ("UTC+01", "Etc/GMT-1"),
        ("(UTC+03:00) London", None),  # the offset is not London's: not guessed
        ("(UTC+05:00) Nowhere Island", None),
        ("Customized Time Zone", None),  # defined by the file's own VTIMEZONE, used from there
    ],
)
def test_a_zone_name_outlook_writes_is_the_zone_windows_means(tzid: str, zone: str | None) -> None:
    from los_tui.exports.ical_reader import zone_named

    found = zone_named(tzid)
    assert (found.key if found else None) == zone


# -- what is no record of going (found by trying the round trip, issue 19's stop) ---------------------------
def _as_outlook_saves_it(exported: bytes) -> bytes:
    """Our export as Outlook writes it back on File > Save Calendar: its own PRODID and Windows zone name,
    the UIDs kept (Outlook keeps an imported item's UID)."""
    text = exported.decode()
    text = text.replace(
        "PRODID:-//los-tui//Line of sight diary//EN",
        "PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN",
    )
    return text.replace("Europe/London", "GMT Standard Time").encode()


@pytest.mark.parametrize("saved_by", ["los", "outlook"])
def test_our_own_export_read_back_logs_nothing(
    lead_member: Callable[..., Result], tmp_path: Path, saved_by: str
) -> None:
    # Its meetings are in the calendar because los put them there: no record that anyone went.
    assert lead_member("log", MONTHLY.slug, "--on", "2026-11-10", "--status", "missed").code == 0
    exported = tmp_path / "line-of-sight.ics"
    assert lead_member("export", "ics", "--role", "lmcs", "-o", str(exported)).code == 0
    if saved_by == "outlook":
        exported.write_bytes(_as_outlook_saves_it(exported.read_bytes()))
    before = agenda(lead_member, "2025-11-26", "2026-11-26")
    preview = lead_member("import", "ics", str(exported), "--role", "lmcs")
    assert preview.code == 0, preview.err
    assert "0 meetings would be logged as attended; 11 exported by los (not a record of going)" in preview.out
    report = _import_json(lead_member, exported, "--role", "lmcs", "--apply")
    assert {m["outcome"] for m in report["meetings"]} == {"exported by los"}
    assert report["written"] == 0
    assert agenda(lead_member, "2025-11-26", "2026-11-26") == before  # still unlogged, and November missed


@pytest.mark.parametrize("day", ["20260714", "20260716"], ids=["scheduled-day", "unscheduled-day"])
def test_a_meeting_the_file_holds_twice_is_counted_once(
    lead_member: Callable[..., Result], tmp_path: Path, day: str
) -> None:
    # The clerk's invitation and a forwarded copy: two UIDs, one meeting.
    london = f";TZID=Europe/London:{day}T"
    path = tmp_path / "twice.ics"
    path.write_bytes(
        _calendar(
            _vevent(BOARD, london + "183000", london + "203000", "clerk-invite")
            + _vevent(BOARD, london + "183000", london + "203000", "forwarded-copy")
        )
    )
    report = _import_json(lead_member, path, "--role", "lmcs", "--apply")
    first = "occurrence" if day == "20260714" else "adhoc"
    assert [(m["uid"], m["outcome"]) for m in report["meetings"]] == [
        ("clerk-invite", first),
        ("forwarded-copy", "duplicate"),
    ]
    assert report["written"] == 1
    held = [o for o in agenda(lead_member) if o["start"].startswith(f"{day[:4]}-{day[4:6]}-{day[6:]}")]
    assert [(o["start"], o["status"]) for o in held] == [
        (f"{day[:4]}-{day[4:6]}-{day[6:]}T18:30+01:00", "attended")
    ]
    assert _import_json(lead_member, path, "--role", "lmcs", "--apply")["written"] == 0


def test_an_extra_meeting_as_near_as_the_other_says_why_it_lost(
    lead_member: Callable[..., Result], tmp_path: Path
) -> None:
    london = ";TZID=Europe/London:20260714T"
    path = tmp_path / "either-side.ics"
    path.write_bytes(
        _calendar(
            _vevent(BOARD, london + "193000", "", "later") + _vevent(BOARD, london + "173000", "", "earlier")
        )
    )
    reasons = {m["uid"]: m["reason"] for m in _import_json(lead_member, path, "--role", "lmcs")["meetings"]}
    # Both an hour from 18:30: the earlier claims it, and the other is not said to be further away.
    assert reasons == {
        "earlier": "",
        "later": "an extra meeting: another that day is as near the scheduled time and starts earlier",
    }
