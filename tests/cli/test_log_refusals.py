"""`los log` records only what the user said: a date a schedule does not meet is refused (unless it is an
extra meeting), a meeting not yet started cannot be attended or missed, a re-log says what it replaced,
and a note with a damaged byte is read, never quoted in an error. Real diary files throughout."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from diary_testing import Result, diary_digest

pytestmark = pytest.mark.both_backends  # a diary file, then a database on the server

BOARD = "lmcs-improvement-board"
SCHEDULE = [
    "schedule",
    BOARD,
    "--rrule",
    "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2",
    "--start",
    "2026-01-13T18:30",
    "--duration",
    "120",
]
SECRET = "Child K. told the visiting social worker about"


digest = diary_digest


@pytest.fixture
def board(seeded: Callable[..., Result]) -> Callable[..., Result]:
    assert seeded(*SCHEDULE).code == 0
    return seeded


def agenda(los: Callable[..., Result], first: str, last: str) -> list[dict[str, object]]:
    found: list[dict[str, object]] = json.loads(
        los("agenda", "--from", first, "--to", last, "--json", "--include-notes").out
    )
    return found


# -- 15: a day the schedule does not meet --------------------------------------------------------------
def test_logging_a_scheduled_commitment_on_a_day_it_does_not_meet_is_refused_naming_the_nearest(
    board: Callable[..., Result], db_path: Path
) -> None:
    before = digest(db_path)
    refused = board("log", BOARD, "--on", "2026-11-11", "--status", "attended")
    assert refused.code == 2 and refused.err.count("\n") == 1, refused.err
    assert "'2026-11-11'" in refused.err
    assert "nearest meetings are Tue 10 Nov 2026 and Tue 8 Dec 2026" in refused.err
    assert "to record an extra meeting use --extra" in refused.err
    assert digest(db_path) == before  # nothing written, no ad hoc entry


def test_a_time_that_is_not_the_meetings_time_is_refused_naming_it(
    board: Callable[..., Result], db_path: Path
) -> None:
    before = digest(db_path)
    refused = board("log", BOARD, "--on", "2026-11-10T18:00", "--status", "attended")
    assert refused.code == 2 and "meets at 18:30 that day" in refused.err, refused.err
    assert digest(db_path) == before


def test_an_extra_meeting_is_recorded_with_extra(board: Callable[..., Result]) -> None:
    done = board("log", BOARD, "--on", "2026-11-11T09:00", "--status", "attended", "--extra")
    assert done.code == 0, done.err
    assert "Recorded ad hoc entry" in done.out
    found = agenda(board, "2026-11-10", "2026-11-11")
    assert [(o["start"], o["adhoc"], o["status"]) for o in found] == [
        ("2026-11-10T18:30+00:00", False, "scheduled"),  # the real meeting is untouched
        ("2026-11-11T09:00+00:00", True, "attended"),
    ]


def test_unscheduled_commitments_still_record_an_ad_hoc_entry_without_extra(
    board: Callable[..., Result],
) -> None:
    assert board("log", "lmcs-team-visits", "--on", "2026-10-02T14:00", "--status", "attended").code == 0
    # and a scheduled one on a day before its first schedule was in force
    early = board("log", BOARD, "--on", "2025-06-03", "--status", "attended")
    assert early.code == 0 and "Recorded ad hoc entry" in early.out, early.err


# -- 16: not started yet --------------------------------------------------------------------------------
@pytest.mark.parametrize("status", ["attended", "missed"])
def test_attended_or_missed_before_the_meeting_starts_is_refused(
    board: Callable[..., Result], db_path: Path, status: str
) -> None:
    before = digest(db_path)
    for args in (
        [BOARD, "--on", "2026-12-08"],  # the December board, still to come (now is 26 November)
        ["lmcs-team-visits", "--on", "2026-11-26T15:00"],  # later today: an ad hoc entry
        [BOARD, "--on", "2026-12-09T10:00", "--extra"],
    ):
        refused = board("log", *args, "--status", status)
        assert refused.code == 2 and refused.err.count("\n") == 1, (args, refused.err)
        assert f"status '{status}'" in refused.err and "has not started yet" in refused.err
    assert digest(db_path) == before


@pytest.mark.parametrize("status", ["apologies", "delegated", "cancelled"])
def test_apologies_delegated_and_cancelled_may_be_logged_ahead(
    board: Callable[..., Result], status: str
) -> None:
    assert board("log", BOARD, "--on", "2026-12-08", "--status", status).code == 0
    assert agenda(board, "2026-12-08", "2026-12-08")[0]["status"] == status


def test_a_meeting_that_has_started_today_can_be_attended(board: Callable[..., Result]) -> None:
    done = board("log", "lmcs-team-visits", "--on", "2026-11-26T09:30", "--status", "attended")
    assert done.code == 0, done.err


# -- 17: a re-log says what it replaced -----------------------------------------------------------------
def test_relogging_a_meeting_says_what_it_replaced(board: Callable[..., Result]) -> None:
    first = board("log", BOARD, "--on", "2026-11-10", "--status", "apologies")
    assert first.code == 0 and "was " not in first.out
    again = board("log", BOARD, "--on", "2026-11-10", "--status", "attended")
    assert again.code == 0 and "(was apologies, now attended)" in again.out, again.out
    same = board("log", BOARD, "--on", "2026-11-10", "--status", "attended")
    assert "was " not in same.out
    as_json = json.loads(board("log", BOARD, "--on", "2026-11-10", "--status", "missed", "--json").out)
    assert as_json["status"] == "missed" and as_json["replaced"] == "attended"


def test_relogging_a_meeting_says_which_texts_it_replaced(board: Callable[..., Result]) -> None:
    # A note can run to pages: replacing or clearing it was as silent as writing the same words again.
    log = ("log", BOARD, "--on", "2026-11-10", "--status", "attended")
    assert "replaced" not in board(*log, "--note", "Two pages of what the frontline said").out
    same = board(*log, "--note", "Two pages of what the frontline said", "--questions", "Agency staff?")
    assert same.code == 0 and "replaced" not in same.out and "cleared" not in same.out
    replaced = board(*log, "--note", "A line", "--questions", "Caseloads?")
    assert "(note replaced; questions replaced)" in replaced.out, replaced.out
    missed = ("log", BOARD, "--on", "2026-11-10", "--status", "missed")
    cleared = json.loads(board(*missed, "--note", "", "--json").out)
    assert cleared["texts_replaced"] == ["note cleared"] and cleared["replaced"] == "attended"
    assert json.loads(board(*missed, "--json").out)["texts_replaced"] == []  # no text given, none replaced


@pytest.mark.parametrize("onto", ["scheduled", "moved"])
def test_a_meeting_is_not_moved_onto_another_of_its_commitment(
    board: Callable[..., Result], db_path: Path, onto: str
) -> None:
    # Two meetings at one moment could no longer be told apart: neither could be logged by naming it.
    if onto == "moved":  # October's board moved to 10 November 10:00 first
        assert board("move", BOARD, "--on", "2026-10-13", "--to", "2026-11-10T10:00").code == 0
    target = "2026-11-10T18:30" if onto == "scheduled" else "2026-11-10T10:00"
    before = digest(db_path)
    refused = board("move", BOARD, "--on", "2026-12-08", "--to", target)
    assert refused.code == 2 and refused.err.count("\n") == 1, refused.err
    assert f"--to '{target}'" in refused.err and "already meets at Tue 10 Nov 2026" in refused.err
    assert ("(a meeting moved there)" in refused.err) == (onto == "moved")
    assert digest(db_path) == before
    assert board("log", BOARD, "--on", target, "--status", "attended").code == 0  # still one meeting there


def test_a_meeting_logged_before_its_schedule_changed_keeps_its_length_and_place(
    board: Callable[..., Result],
) -> None:
    assert board("log", BOARD, "--on", "2026-11-10", "--status", "attended").code == 0
    new_rule = ["--rrule", "FREQ=MONTHLY;BYDAY=3WE", "--start", "2026-11-18T10:00", "--location", "Room 2"]
    assert board("schedule", BOARD, *new_rule, "--from", "2026-11-01").code == 0
    # Held 18:30-20:30 under the old rule: it took the new version's hour and place before.
    (held,) = [o for o in agenda(board, "2026-11-10", "2026-11-10") if o["commitment"] == BOARD]
    assert (held["start"], held["end"], held["location"], held["status"]) == (
        "2026-11-10T18:30+00:00",
        "2026-11-10T20:30+00:00",
        "",
        "attended",
    )
    (new,) = [o for o in agenda(board, "2026-11-18", "2026-11-18") if o["commitment"] == BOARD]
    assert (new["end"], new["location"]) == ("2026-11-18T11:00+00:00", "Room 2")


def test_an_extra_meeting_is_not_logged_at_the_moment_of_one_of_its_commitment(
    board: Callable[..., Result], db_path: Path
) -> None:
    # It is that meeting; two there could no longer be told apart by their time (a later log asked for
    # "the time too" though it was given).
    before = digest(db_path)
    refused = board("log", BOARD, "--on", "2026-11-10T18:30", "--extra", "--status", "attended")
    assert refused.code == 2 and refused.err.count("\n") == 1, refused.err
    assert "--on '2026-11-10T18:30'" in refused.err and "already meets at Tue 10 Nov 2026" in refused.err
    assert digest(db_path) == before
    assert board("log", BOARD, "--on", "2026-11-10T19:00", "--extra", "--status", "attended").code == 0
    assert board("log", BOARD, "--on", "2026-11-10T18:30", "--status", "attended").code == 0


# -- 7: one damaged byte in a note ----------------------------------------------------------------------
def damage_the_note(db: Path) -> None:
    """Put an invalid UTF-8 byte in the middle of the stored note, as a bad disk or another tool might."""
    with sqlite3.connect(db) as connection:
        (note,) = connection.execute("SELECT note FROM occurrence_logs").fetchone()
        raw = note.encode()
        damaged = raw[:10] + b"\xff" + raw[11:]
        connection.execute("UPDATE occurrence_logs SET note = CAST(? AS TEXT)", (damaged,))
        (stored,) = connection.execute("SELECT CAST(note AS BLOB) FROM occurrence_logs").fetchone()
        assert b"\xff" in stored


def test_a_damaged_byte_in_a_note_fails_no_command_and_is_never_quoted(
    board: Callable[..., Result], db_path: Path, backend: str
) -> None:
    if backend == "postgresql":
        pytest.skip("a server refuses text that is not UTF-8 as it is written: no damaged byte can be stored")
    assert board("log", BOARD, "--on", "2026-11-10", "--status", "attended", "--note", SECRET).code == 0
    sound = Path(board("backup").out.split("Backed up to ", 1)[1].strip())
    damage_the_note(db_path)
    damaged_copy = Path(
        board("backup", "-o", str(db_path.parent / "backups" / "diary-99999999-copy.sqlite3"))
        .out.split("Backed up to ", 1)[1]
        .strip()
    )
    assert damaged_copy.exists()  # a later backup holds the damage too: it is not a sound one

    shown = agenda(board, "2026-11-10", "2026-11-10")
    assert shown[0]["note"] == SECRET[:10] + "\ufffd" + SECRET[11:]  # read, with a replacement character
    for args in (
        ["agenda", "--from", "2026-11-01", "--to", "2026-11-30"],
        ["review", "--quarter", "2026-Q4", "--include-notes"],
        ["review", "--quarter", "2026-Q4"],  # reads no note at all: nothing damaged to warn of
        ["log", BOARD, "--on", "2026-11-10", "--status", "delegated"],
        ["export", "ics", "--include-notes"],
        ["export", "ics"],  # as the review without notes
    ):
        result = board(*args)
        assert result.code == 0, (args, result.err)
        assert SECRET[11:] not in result.err and SECRET[:10] not in result.err
        if args not in (["export", "ics"], ["review", "--quarter", "2026-Q4"]):
            assert "damaged" in result.err and str(sound) in result.err, (args, result.err)
        assert str(damaged_copy) not in result.err


def test_an_internal_error_never_prints_the_note_it_was_writing(
    board: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    from los_tui.services.meetings import Meetings

    def broken(self: Meetings, *args: object, **kwargs: object) -> None:
        raise RuntimeError(f"could not write {kwargs.get('note') or args[-1]}")

    monkeypatch.setattr(Meetings, "log", broken)
    failed = board("log", BOARD, "--on", "2026-11-10", "--status", "attended", "--note", SECRET)
    assert failed.code == 1 and "internal error: RuntimeError" in failed.err
    assert SECRET not in failed.err and SECRET not in failed.out
