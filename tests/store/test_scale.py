"""What keeps a council's diary (200 commitments, twenty years, 50,000 logs) as quick as a new one: many
meetings logged in one statement, logs read by their time indexes, and the start-up check skipped when
the file is as it was last checked."""

from __future__ import annotations

import json
import os
import sys
import zlib
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import icalendar
import pytest
from diary_testing import NOW, execute_sql

from los_tui.db import expansions
from los_tui.db import reader as reader_module
from los_tui.db import store as store_module
from los_tui.db.engine import quick_check
from los_tui.db.paths import ServerDiary
from los_tui.domain import recurrence
from los_tui.domain.model import Frequency, OccurrenceLog, Role, Status
from los_tui.domain.parsing import InputError
from los_tui.domain.periods import Quarter
from los_tui.domain.recurrence import window_for_days
from los_tui.services.diary import Diary, DiaryDamaged


def test_many_meetings_are_logged_together_each_with_its_own_status_and_note(diary: Diary) -> None:
    diary.commitments.schedule(
        "lmcs-improvement-board",
        "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2",
        NOW.replace(tzinfo=None, month=1, day=13),
    )
    before = diary.commitments.get("lmcs-improvement-board").schedules[0].sequence
    meetings = diary.meetings.agenda(date(2026, 1, 1), date(2026, 6, 30), slugs=["lmcs-improvement-board"])
    assert len(meetings) == 6
    wanted = [
        replace(meeting, status=[Status.ATTENDED, Status.APOLOGIES][n % 2], note=f"note {n}")
        for n, meeting in enumerate(meetings)
    ]
    logged = diary.meetings.log_many(wanted)
    assert all(meeting.log_id is not None for meeting in logged)
    again = diary.meetings.agenda(date(2026, 1, 1), date(2026, 6, 30), slugs=["lmcs-improvement-board"])
    assert [(m.start, m.status, m.note) for m in again] == [(m.start, m.status, m.note) for m in wanted]
    # One series touched: its SEQUENCE rises once, so calendars update, not six times.
    assert diary.commitments.get("lmcs-improvement-board").schedules[0].sequence == before + 1
    # Logging them again is refused before anything is written.
    try:
        diary.meetings.log_many(logged)
    except InputError as exc:
        assert "never logged" in str(exc)
    else:
        raise AssertionError("a logged meeting was logged again")


def plans_of_log_reads(diary: Diary, read_something: Callable[[], object]) -> list[str]:
    """SQLite's query plan for each read of occurrence_logs `read_something` makes."""
    statements: list[str] = []
    with diary.store.reading() as read:  # the connection the next reads reuse
        read.connection.set_trace_callback(statements.append)
    read_something()
    with diary.store.reading() as read:
        read.connection.set_trace_callback(None)
        plans = []
        for sql in statements:
            if "FROM occurrence_logs" in sql and sql.startswith("SELECT"):
                rows = read.connection.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall()
                plans.append(" | ".join(str(row[3]) for row in rows))
    return plans


@pytest.mark.parametrize("role", [None, Role.LMCS])
def test_the_agenda_reads_logs_by_their_start_indexes_not_every_log_of_every_commitment(
    diary: Diary, role: Role | None
) -> None:
    plans = plans_of_log_reads(
        diary, lambda: diary.meetings.agenda(date(2026, 11, 1), date(2027, 1, 29), role)
    )
    assert plans, "the agenda read no logs"
    for plan in plans:
        assert "ix_logs_original_start" in plan and "ix_logs_start" in plan, plan
        assert "commitment_id=?" not in plan, plan  # walking each commitment's logs: all of them


def test_a_meetings_brief_reads_its_commitments_own_logs_not_two_years_of_every_log(diary: Diary) -> None:
    slug = "lmcs-improvement-board"
    diary.commitments.schedule(slug, "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2", NOW.replace(tzinfo=None, year=2025))
    meeting = diary.meetings.agenda(date(2026, 11, 1), date(2026, 11, 30), slugs=[slug])[0]
    plans = plans_of_log_reads(diary, lambda: diary.evidence.prep(slug, meeting, NOW))
    assert plans, "the brief read no logs"
    for plan in plans:
        assert "commitment_id=?" in plan and "ix_logs_original_start" not in plan, plan


def test_the_review_reads_logs_by_their_start_indexes(diary: Diary) -> None:
    quarter = Quarter.parse("2026-Q4").period
    plans = plans_of_log_reads(diary, lambda: diary.review.load(quarter, NOW, (Role.LMCS, Role.DCS)))
    assert plans and all("ix_logs_original_start" in plan and "commitment_id=?" not in plan for plan in plans)


@pytest.mark.parametrize("include_notes", [False, True])
def test_the_export_scans_the_logs_once_not_every_log_of_every_commitment_by_its_index(
    diary: Diary, include_notes: bool
) -> None:
    # No index holds a status: walking each commitment's logs through the unique index looks every log
    # up one at a time (~8x a plain scan on a twenty-year diary).
    plans = plans_of_log_reads(diary, lambda: diary.calendar.export(include_notes=include_notes))
    assert plans, "the export read no logs"
    for plan in plans:
        assert plan.startswith("SCAN l"), plan
        assert "commitment_id=?" not in plan, plan


def test_an_export_still_carries_a_cancellation_years_back_and_a_move_and_note_this_year(
    diary: Diary,
) -> None:
    # Only the logged changes are expanded now: the first, a middle and the last of a long series.
    slug = "lmcs-improvement-board"
    diary.commitments.schedule(slug, "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2", NOW.replace(tzinfo=None, year=2010))
    old = diary.meetings.agenda(date(2011, 3, 1), date(2011, 3, 31), slugs=[slug])[0]
    diary.meetings.set_status(old, Status.CANCELLED)
    recent = diary.meetings.agenda(date(2026, 3, 1), date(2026, 3, 31), slugs=[slug])[0]
    diary.meetings.move(recent, recent.start + timedelta(days=1))
    noted = diary.meetings.agenda(date(2026, 6, 1), date(2026, 6, 30), slugs=[slug])[0]
    diary.meetings.save_note(noted, "asked about supervision")
    for include_notes, overrides in ((False, {recent.start}), (True, {recent.start, noted.start})):
        export = diary.calendar.export(slugs=[slug], include_notes=include_notes)
        events = icalendar.Calendar.from_ical(export.data).walk("VEVENT")
        masters = [e for e in events if "RECURRENCE-ID" not in e]
        assert len(masters) == 1
        assert [d.dt for d in masters[0]["EXDATE"].dts] == [old.start]
        assert {e["RECURRENCE-ID"].dt for e in events if "RECURRENCE-ID" in e} == overrides


def settle(path: Path) -> None:
    """Make the diary's files look untouched for a minute (the check's mark trusts only still files)."""
    for file in (path, path.with_name(f"{path.name}-wal")):
        if file.exists():
            past = file.stat().st_mtime_ns - 60_000_000_000
            os.utime(file, ns=(past, past))


def scribble(path: Path, keep_time: bool = False) -> None:
    """Damage the third page (as tests/store/test_startup.py does), keeping size and, if asked, mtime."""
    before = path.stat()
    data = bytearray(path.read_bytes())
    data[8192 : 8192 + 16] = b"\xff" * 16
    path.write_bytes(bytes(data))
    if keep_time:
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every quick_check the store runs, by path."""
    ran: list[Path] = []

    def counted(path: Path) -> str:
        ran.append(path)
        return quick_check(path)

    monkeypatch.setattr(store_module, "quick_check", counted)
    return ran


def test_an_unchanged_diary_is_checked_once_a_day_and_again_after_any_change(
    diary: Diary, db_path: Path, checks: list[Path]
) -> None:
    diary.backup()  # the backups folder, where the mark is kept
    diary.close()
    settle(db_path)
    Diary.open(db_path, clock=lambda: NOW).close()
    Diary.open(db_path, clock=lambda: NOW).close()
    Diary.open(db_path, clock=lambda: NOW).close()
    assert len(checks) == 1  # checked once, then trusted while nothing changed
    tomorrow = NOW + timedelta(days=1)
    Diary.open(db_path, clock=lambda: tomorrow).close()
    assert len(checks) == 2  # the day's first start always checks
    opened = Diary.open(db_path, clock=lambda: tomorrow)
    assert len(checks) == 2
    opened.commitments.add("Visit to the MASH", Role.LMCS, Frequency.QUARTERLY)
    opened.close()
    settle(db_path)
    Diary.open(db_path, clock=lambda: tomorrow).close()
    assert len(checks) == 3  # written since: checked again


def test_damage_after_the_check_is_found_at_the_next_start(diary: Diary, db_path: Path) -> None:
    diary.backup()
    diary.close()
    settle(db_path)
    Diary.open(db_path, clock=lambda: NOW).close()  # checked, and marked sound
    scribble(db_path)
    with pytest.raises(DiaryDamaged):
        Diary.open(db_path, clock=lambda: NOW)


def test_what_is_traded_damage_that_keeps_size_and_time_waits_for_the_next_day(
    diary: Diary, db_path: Path
) -> None:
    diary.backup()
    diary.close()
    settle(db_path)
    Diary.open(db_path, clock=lambda: NOW).close()
    scribble(db_path, keep_time=True)  # a page rotting on the disk: nothing about the file changes
    Diary.open(db_path, clock=lambda: NOW).close()  # not checked again today ...
    with pytest.raises(DiaryDamaged):
        Diary.open(db_path, clock=lambda: NOW + timedelta(days=1))  # ... found at tomorrow's first start


def test_a_later_run_walks_no_rule_an_earlier_run_walked(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each command is a new process: the schedules' starts it expanded are kept with the diary, so the
    next walks with dateutil only a series that changed (200 series were most of a reading command)."""
    diary = Diary.open(db_path, clock=lambda: NOW)
    diary.init("both")
    diary.backup()  # a diary in use has its backups folder, where they are kept
    diary.commitments.schedule(
        "lmcs-improvement-board", "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2", NOW.replace(tzinfo=None, year=2020)
    )
    diary.commitments.schedule(
        "dcs-safeguarding-board", "FREQ=WEEKLY;BYDAY=TH", NOW.replace(tzinfo=None, year=2024)
    )
    first = diary.meetings.agenda(date(2026, 9, 1), date(2027, 2, 28))
    quarter = diary.review.load(Quarter(2026, 4).period, NOW, (Role.LMCS, Role.DCS))
    diary.close()

    walks: list[str] = []
    plain_walk = recurrence.rrulestr

    def counted(text: str, **options: object) -> object:
        walks.append(text)
        return plain_walk(text, **options)

    expansions.forget()  # as a new process starts
    monkeypatch.setattr(recurrence, "rrulestr", counted)
    again = Diary.open(db_path, clock=lambda: NOW)
    assert again.meetings.agenda(date(2026, 9, 1), date(2027, 2, 28)) == first
    assert again.review.load(Quarter(2026, 4).period, NOW, (Role.LMCS, Role.DCS)).review == quarter.review
    assert walks == []
    # A changed schedule is a series not kept yet: walked afresh, never served the old starts.
    again.commitments.schedule(
        "dcs-safeguarding-board", "FREQ=WEEKLY;BYDAY=FR", NOW.replace(tzinfo=None, year=2026, month=10)
    )
    fridays = again.meetings.agenda(date(2026, 12, 1), date(2026, 12, 31), slugs=["dcs-safeguarding-board"])
    assert [o.start.strftime("%a") for o in fridays] == ["Fri"] * 4 and walks
    again.close()


def test_a_later_run_makes_only_its_windows_kept_starts_into_times_across_the_clock_changes(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A kept year is a weekly series' 52 starts; a window of a month wants four or five of them (a
    council's 90-day agenda made 4,096 starts for the 508 it shows). Cut by their text, the starts are
    still exactly those a fresh walk gives, on and either side of both clock changes."""
    expansions.forget()
    diary = Diary.open(db_path, clock=lambda: NOW)
    diary.init("both")
    diary.backup()
    diary.commitments.schedule("dcs-safeguarding-board", "FREQ=WEEKLY;BYDAY=SU", datetime(2024, 1, 7, 23, 30))
    windows = [(date(2026, 3, 29), date(2026, 3, 29)), (date(2026, 10, 18), date(2026, 11, 1))]
    windows += [(date(2026, 3, 22), date(2026, 4, 5)), (date(2026, 10, 25), date(2026, 10, 25))]
    walked = [diary.meetings.agenda(first, last, slugs=["dcs-safeguarding-board"]) for first, last in windows]
    diary.meetings.agenda(date(2026, 1, 1), date(2026, 12, 31))  # every series' year 2026, kept
    diary.close()

    made: list[int] = []
    plain = recurrence._from_texts

    def counted(texts: str | None, zone: Any) -> Any:
        found = plain(texts, zone)
        made.append(len(found or ()))
        return found

    expansions.forget()  # as a new process starts
    monkeypatch.setattr(recurrence, "_from_texts", counted)
    again = Diary.open(db_path, clock=lambda: NOW)
    for (first, last), expected in zip(windows, walked, strict=True):
        assert again.meetings.agenda(first, last, slugs=["dcs-safeguarding-board"]) == expected
    assert [len(found) for found in walked] == [1, 3, 3, 1]
    assert made and max(made) <= 5, made  # never the year's 52
    again.close()


def test_kept_expansions_that_cannot_be_read_are_walked_again(db_path: Path) -> None:
    expansions.forget()  # a new process: nothing another test's diary kept, so this run keeps its own
    diary = Diary.open(db_path, clock=lambda: NOW)
    diary.init("both")
    diary.backup()
    diary.commitments.schedule(
        "dcs-safeguarding-board", "FREQ=WEEKLY;BYDAY=TH", NOW.replace(tzinfo=None, year=2024)
    )
    expected = diary.meetings.agenda(date(2026, 11, 1), date(2026, 11, 30))
    diary.close()
    kept = db_path.parent / "backups" / f".{db_path.name}.expansions.json"
    assert kept.exists()
    written = kept.read_bytes()
    for damage in (
        b"{not json",
        b'{"made_by": [], "blocks": 7}',
        written.replace(b"2026-11-", b"2026-13-"),
        # A start moved a week that still reads as a time: no check of the texts' shape can see it.
        written.replace(b"2026-11-05T", b"2026-11-12T", 1),
        written.replace(b"\n", b" "),  # the header's line break lost
        written + b"\n",
    ):
        assert damage != written
        kept.write_bytes(damage)
        expansions.forget()
        again = Diary.open(db_path, clock=lambda: NOW)
        assert again.meetings.agenda(date(2026, 11, 1), date(2026, 11, 30)) == expected
        again.close()


def test_kept_expansions_in_the_layouts_before_this_one_are_walked_again_and_replaced(
    db_path: Path, walks: list[str]
) -> None:
    """A diary used by an earlier los holds its expansions as one JSON object (before the checksum) or
    as two lines, a header and every series' years (before a line a year): never taken as they are (the
    first has nothing to vouch for its texts; the second's header, though its checksum matches, names no
    layout), walked afresh and kept anew."""
    expansions.forget()
    diary = Diary.open(db_path, clock=lambda: NOW)
    diary.init("both")
    diary.backup()
    diary.commitments.schedule(
        "dcs-safeguarding-board", "FREQ=WEEKLY;BYDAY=TH", NOW.replace(tzinfo=None, year=2024)
    )
    expected = diary.meetings.agenda(date(2026, 11, 1), date(2026, 11, 30))
    diary.close()
    kept = db_path.parent / "backups" / f".{db_path.name}.expansions.json"
    header, checks, *years = kept.read_bytes().split(b"\n")
    made_by = json.loads(header)["made_by"]
    series: dict[tuple[str, ...], list[list[object]]] = {}
    for line in years:
        year, _, entries = line.split(b" ", 2)
        for rule, start, tz, first_day, texts in json.loads(entries):
            series.setdefault((rule, start, tz, first_day), []).append([int(year), texts])
    # As the older los wrote it, with one Thursday moved a week: were it taken, the listing would show it.
    older_series = [[*key, kept_years] for key, kept_years in series.items()]
    body = json.dumps(
        {"series": older_series, "problems": json.loads(checks)}, separators=(",", ":")
    ).replace("2026-11-05T", "2026-11-12T", 1)
    two_lines = json.dumps({"made_by": made_by, "crc32": zlib.crc32(body.encode())}) + "\n" + body
    one_object = json.dumps({"made_by": made_by, **json.loads(body)}, separators=(",", ":"))

    for older in (two_lines, one_object):
        kept.write_text(older)
        walks.clear()
        expansions.forget()  # as a new process starts
        again = Diary.open(db_path, clock=lambda: NOW)
        assert again.meetings.agenda(date(2026, 11, 1), date(2026, 11, 30)) == expected
        again.close()
        assert walks  # walked afresh ...
        header, _, body_now = kept.read_bytes().partition(b"\n")
        stamp = json.loads(header)  # ... and kept in this layout
        assert stamp["layout"] == expansions.LAYOUT and stamp["crc32"] == zlib.crc32(body_now)


def three_years_kept(db_path: Path) -> dict[int, list[Any]]:
    """A diary whose schedules' starts of 2024, 2025 and 2026 are kept (a line a year), and the agenda of
    each November as walked then."""
    expansions.forget()  # a new process: nothing another test's diary kept
    diary = Diary.open(db_path, clock=lambda: NOW)
    diary.init("both")
    if not isinstance(db_path, ServerDiary):
        diary.backup()  # (a diary file's expansions are kept in its backups folder)
    diary.commitments.schedule("dcs-safeguarding-board", "FREQ=WEEKLY;BYDAY=TH", datetime(2024, 1, 4, 10))
    walked = {
        year: diary.meetings.agenda(date(year, 11, 1), date(year, 11, 30)) for year in (2024, 2025, 2026)
    }
    diary.close()
    assert [line[:5] for line in expansions._file(db_path).read_bytes().split(b"\n")[2:]] == [
        b"2024 ",
        b"2025 ",
        b"2026 ",
    ]
    return walked


@pytest.fixture
def walks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each rule walked with dateutil from here on."""
    walked: list[str] = []
    plain_walk = recurrence.rrulestr

    def counted(text: str, **options: object) -> object:
        walked.append(text)
        return plain_walk(text, **options)

    monkeypatch.setattr(recurrence, "rrulestr", counted)
    return walked


@pytest.mark.both_backends
def test_a_later_run_reads_only_the_kept_years_its_windows_ask_for(
    db_path: Path, walks: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A council's kept file holds twenty years of 200 series and a command wants two or three: the
    others stay as the file's text, never parsed."""
    walked = three_years_kept(db_path)
    read: list[bytes] = []
    plain_read = expansions._read_year

    def counted(line: memoryview) -> object:
        read.append(bytes(line[:4]))
        return plain_read(line)

    monkeypatch.setattr(expansions, "_read_year", counted)
    expansions.forget()  # as a new process starts
    walks.clear()
    again = Diary.open(db_path, clock=lambda: NOW)
    assert again.meetings.agenda(date(2026, 11, 1), date(2026, 11, 30)) == walked[2026]
    assert read == [b"2026"] and walks == []
    assert again.meetings.agenda(date(2024, 11, 1), date(2024, 11, 30)) == walked[2024]
    assert read == [b"2026", b"2024"] and walks == []
    again.close()


@pytest.mark.both_backends
def test_years_a_run_never_asked_for_are_kept_again_as_they_were(db_path: Path, walks: list[str]) -> None:
    walked = three_years_kept(db_path)
    kept = expansions._file(db_path)
    before = {line[:4]: line for line in kept.read_bytes().split(b"\n")[2:]}
    expansions.forget()  # as a new process starts
    again = Diary.open(db_path, clock=lambda: NOW)
    # A new series: walked, so the run has something new to keep, in 2026's line only.
    again.commitments.schedule(
        "lmcs-improvement-board", "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2", datetime(2026, 1, 13)
    )
    assert again.meetings.agenda(date(2026, 11, 10), date(2026, 11, 10))
    again.close()
    after = {line[:4]: line for line in kept.read_bytes().split(b"\n")[2:]}
    assert after.keys() == before.keys()
    assert after[b"2024"] == before[b"2024"] and after[b"2025"] == before[b"2025"]
    assert after[b"2026"] != before[b"2026"] and b"FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2" in after[b"2026"]

    expansions.forget()  # as a new process starts
    walks.clear()
    third = Diary.open(db_path, clock=lambda: NOW)
    for year in (2024, 2025):
        assert third.meetings.agenda(date(year, 11, 1), date(year, 11, 30)) == walked[year]
    assert walks == []  # the years kept again as they were are taken back
    third.close()


@pytest.mark.both_backends
def test_a_damaged_year_makes_the_whole_kept_file_ignored_and_walked_again(
    db_path: Path, walks: list[str]
) -> None:
    """Damage in a year the run never asks for is found all the same: the checksum covers every line,
    so no year of a damaged file is taken, and the file is kept anew."""
    walked = three_years_kept(db_path)
    kept = expansions._file(db_path)
    written = kept.read_bytes()
    # 2025's line, a Thursday moved a week that still reads as a time: only the checksum can see it.
    damaged = written.replace(b"2025-11-06T", b"2025-11-13T", 1)
    assert damaged != written
    kept.write_bytes(damaged)
    expansions.forget()  # as a new process starts
    walks.clear()
    again = Diary.open(db_path, clock=lambda: NOW)
    assert again.meetings.agenda(date(2026, 11, 1), date(2026, 11, 30)) == walked[2026]
    assert walks  # 2026's line is as it was written, but the file it is in is not
    assert again.meetings.agenda(date(2025, 11, 1), date(2025, 11, 30)) == walked[2025]
    again.close()
    header, _, body = kept.read_bytes().partition(b"\n")
    assert json.loads(header)["crc32"] == zlib.crc32(body) and b"2025-11-06T" in body


def test_a_review_reads_its_own_logs_and_the_year_before_only_for_periods(
    diary: Diary, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A meeting counts on its day, so a quarter's review reads the quarter's logs; only a commitment
    counted by period (an annual panel) needs the year before, where its period may start. It read the
    council year and a year before that for every commitment: on twenty years of history, 32 months."""
    diary.commitments.schedule(
        "lmcs-improvement-board", "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2", NOW.replace(tzinfo=None, year=2023)
    )
    board = diary.meetings.agenda(date(2023, 1, 1), NOW.date(), slugs=["lmcs-improvement-board"])
    diary.meetings.log_many([replace(o, status=Status.ATTENDED) for o in board if o.end <= NOW])
    panel = datetime.combine(date(2025, 5, 12), time(14), diary.zone)  # in the council year this quarter ends
    diary.meetings.add_adhoc("lmcs-fostering-panel", panel, all_day=False, status=Status.ATTENDED, note="")
    read: list[OccurrenceLog] = []
    plain = reader_module.Reader.logs_in_window

    def counted(self: reader_module.Reader, *args: Any, **kwargs: Any) -> list[OccurrenceLog]:
        found = plain(self, *args, **kwargs)
        read.extend(found)
        return found

    monkeypatch.setattr(reader_module.Reader, "logs_in_window", counted)
    report = diary.review.load(Quarter(2026, 1).period, NOW, (Role.LMCS,))
    assert (
        sorted(log.commitment_slug for log in read)
        == ["lmcs-fostering-panel"] + ["lmcs-improvement-board"] * 3
    )
    rows = {row.commitment.slug: row for row in report.review.rows}
    assert rows["lmcs-improvement-board"].counts.attended == 3  # January's to March's boards
    assert rows["lmcs-fostering-panel"].counts.attended == 1  # its council year's panel, held in May


def test_logs_read_together_are_each_read_as_the_log_alone_is_even_with_a_time_written_with_an_offset(
    diary: Diary, db_path: Path
) -> None:
    """A window's logs of every commitment are read by position in one loop (a council's year holds
    2,500); each must be the log `Reader.log` reads by name, the texts, statuses, moves and all-day entries
    too, and a time another program wrote with its offset is read as it always was."""
    board = "lmcs-improvement-board"
    diary.commitments.schedule(board, "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2", datetime(2026, 1, 13, 10, 0))
    meetings = diary.meetings.agenda(date(2026, 1, 1), date(2026, 6, 30), slugs=[board])
    statuses = [Status.ATTENDED, None, Status.CANCELLED, Status.DELEGATED, Status.MISSED, Status.APOLOGIES]
    diary.meetings.log_many(
        [replace(m, status=statuses[n], note=f"note {n}") for n, m in enumerate(meetings)]
    )
    diary.meetings.move(diary.meetings.reload(meetings[1]), meetings[1].start + timedelta(days=2))
    visits = "lmcs-team-visits"
    diary.meetings.add_adhoc(visits, datetime(2026, 2, 3, 0, 0, tzinfo=NOW.tzinfo), True, Status.ATTENDED)
    diary.meetings.add_adhoc(visits, datetime(2026, 3, 4, 9, 0, tzinfo=NOW.tzinfo), False, None, "visit", 45)
    execute_sql(
        db_path,
        "UPDATE occurrence_logs SET start = ? WHERE start = ?",
        ("2026-03-04 10:00:00+01:00", "2026-03-04 09:00:00.000000"),
    )
    with diary.store.reading() as read:
        together = read.logs_in_window(*window_for_days(date(2026, 1, 1), date(2026, 6, 30), diary.tz))
        assert len(together) == 8
        assert together == [read.log(log.id) for log in together]
        assert {log.start for log in together if log.note == "visit"} == {
            datetime(2026, 3, 4, 10, 0, tzinfo=UTC)
        }


def test_equal_schedule_versions_read_again_are_one_object_and_a_changed_one_is_read_afresh(
    diary: Diary, db_path: Path
) -> None:
    """Every screen reads the commitments for itself, and each read made every schedule version afresh
    (a council's 200 held once a screen, and again by the expansions kept for them): a version read again
    unchanged is the object already held; one changed in the diary, by this program or another, is read as
    it now is."""
    slug = "lmcs-improvement-board"
    diary.commitments.schedule(
        slug, "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2", NOW.replace(tzinfo=None, month=1, day=13)
    )
    first = diary.commitments.get(slug).schedules[0]
    again = diary.commitments.get(slug).schedules[0]
    assert again is first
    execute_sql(
        db_path, "UPDATE schedules SET location = ? WHERE rrule LIKE 'FREQ=MONTHLY;BYDAY=TU%'", ("Room 2",)
    )
    moved = diary.commitments.get(slug).schedules[0]
    assert moved.location == "Room 2"
    assert first.location == "" and moved is not first
    assert replace(moved, location="") == first


def test_schedule_versions_kept_past_their_limit_are_let_go_and_read_again_as_they_are(
    diary: Diary, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The versions kept as one object each are held in a plain dict: past its limit it lets them all go,
    and what is read afterwards is the diary's own versions, each still one object while kept."""
    slugs = ["lmcs-improvement-board", "lmcs-corporate-parenting-panel"]
    for day, slug in enumerate(slugs, start=13):
        diary.commitments.schedule(slug, "FREQ=MONTHLY;BYMONTHDAY=13", NOW.replace(tzinfo=None, day=day))
    monkeypatch.setattr(reader_module, "MOST_SCHEDULES_KEPT", 1)
    reader_module._schedules.clear()
    board = diary.commitments.get(slugs[0]).schedules[0]
    assert diary.commitments.get(slugs[0]).schedules[0] is board  # kept: one object
    panel = diary.commitments.get(slugs[1]).schedules[0]  # the limit reached: the board's let go
    assert len(reader_module._schedules) == 1
    assert (board.start.day, panel.start.day) == (13, 14)
    again = diary.commitments.get(slugs[0]).schedules[0]
    assert again == board and again is not board
    assert len(reader_module._schedules) == 1


def sqlite_memory_used() -> int:
    """Bytes SQLite holds in this process now (sqlite3_status64 of the library Python's sqlite3 uses)."""
    import ctypes
    import ctypes.util

    library = ctypes.CDLL(ctypes.util.find_library("sqlite3") or "libsqlite3.so.0")
    used, highest = ctypes.c_int64(), ctypes.c_int64()
    library.sqlite3_status64(0, ctypes.byref(used), ctypes.byref(highest), 0)  # SQLITE_STATUS_MEMORY_USED
    return used.value


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads SQLite's own count through ctypes")
def test_a_reading_connection_kept_idle_holds_none_of_the_pages_it_read(diary: Diary) -> None:
    """The TUI keeps its reading connection between reads; SQLite's cache of the pages each read went
    through (up to 2 MB a connection, ~0.7 MB after the review of a council's year) stayed with it while
    it sat idle. The pages are let go as the read ends; the next read takes them from the file again."""
    slug = "lmcs-improvement-board"
    diary.commitments.schedule(slug, "FREQ=WEEKLY;BYDAY=TU", datetime(2010, 1, 5, 18, 30))
    meetings = diary.meetings.agenda(date(2010, 1, 1), date(2026, 10, 31), slugs=[slug])
    diary.meetings.log_many([replace(m, status=Status.ATTENDED, note="n" * 400) for m in meetings])
    diary.meetings.agenda(date(2026, 11, 1), date(2026, 11, 30))  # the kept connection, opened and idle
    idle = sqlite_memory_used()
    again = diary.meetings.agenda(date(2010, 1, 1), date(2026, 10, 31), slugs=[slug])
    assert len(again) == len(meetings) > 800 and all(m.note == "n" * 400 for m in again)
    assert sqlite_memory_used() - idle < 64 * 1024
