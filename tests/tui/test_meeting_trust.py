"""The meeting screen keeps what is typed and says what happened: a note changed by another program while
it is open is kept beside what is typed here, a note too long to save is never dropped and no way out of
the app raises or shows it, and statuses follow the same rules as `los log`. Real diary files, the real
app driven by Pilot, and a real second writer (the `los` command in a child process, or a second diary)."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest
from diary_testing import NOW, run_los_process
from textual.pilot import Pilot
from textual.widgets import Checkbox, DataTable, Input, Select, Static, TextArea
from tui_support import (
    BOARD,
    NOVEMBER_BOARD,
    diary_with_the_board,
    make_app,
    press_and_settle,
    settle,
    settled,
    stored,
)

from los_tui.app import LineOfSightApp
from los_tui.domain.model import Occurrence, Status
from los_tui.domain.parsing import MAX_TEXT, InputError
from los_tui.domain.recording import KEPT_BOTH_MARK
from los_tui.screens.adhoc import AdhocEntry
from los_tui.screens.meeting import SAVE_DELAY_SECONDS, MeetingScreen
from los_tui.services.diary import Diary
from los_tui.services.meetings import Meetings

pytestmark = pytest.mark.both_backends  # a diary file, then a database on the server

DECEMBER_BOARD = date(2026, 12, 8)
SECRET = "Child M. said the foster placement"


def messages(app: LineOfSightApp) -> list[str]:
    return [notification.message for notification in app._notifications]


async def open_meeting(app: LineOfSightApp, pilot: Pilot[None], day: date) -> MeetingScreen:
    (occurrence,) = stored(app.db_path, day)
    app.open_meeting(occurrence)
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, MeetingScreen)
    return screen


async def type_into(pilot: Pilot[None], area: TextArea, text: str) -> None:
    """Type at the end of `area`, then let the save-as-you-type timer fire and its write land."""
    area.focus()
    area.move_cursor(area.document.end)
    await pilot.press(*text)
    await pilot.pause(SAVE_DELAY_SECONDS + 0.2)
    await settle(pilot)


def second_diary(db_path: Path) -> Diary:
    return Diary.open(db_path, clock=lambda: NOW, create=False)


# -- 4: two edits of one note ---------------------------------------------------------------------------
async def test_a_note_changed_by_the_command_line_while_open_is_kept_beside_what_is_typed(
    db_path: Path,
) -> None:
    diary_with_the_board(db_path)
    logged = run_los_process(
        "--db",
        str(db_path),
        "log",
        BOARD,
        "--on",
        "2026-11-10",
        "--status",
        "attended",
        "--note",
        "Agenda read.",
    )
    assert logged.returncode == 0, logged.stderr
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        screen = await open_meeting(app, pilot, NOVEMBER_BOARD)
        note = screen.query_one("#note", TextArea)
        assert note.text == "Agenda read."
        # Meanwhile the PA logs the same meeting from another terminal.
        theirs = run_los_process(
            "--db",
            str(db_path),
            "log",
            BOARD,
            "--on",
            "2026-11-10",
            "--status",
            "attended",
            "--note",
            "PA: minutes to follow.",
        )
        assert theirs.returncode == 0, theirs.stderr
        await type_into(pilot, note, " Mine.")
        both = f"PA: minutes to follow.\n{KEPT_BOTH_MARK}\nAgenda read. Mine."
        assert stored(db_path, NOVEMBER_BOARD)[0].note == both
        assert note.text == both  # the screen shows what is kept, both texts
        assert any("changed elsewhere" in m and "both are kept" in m for m in messages(app))
        await type_into(pilot, note, " More.")  # typing on saves plainly over the kept text
        assert stored(db_path, NOVEMBER_BOARD)[0].note == both + " More."
        await press_and_settle(pilot, "escape")
    assert stored(db_path, NOVEMBER_BOARD)[0].note.count(KEPT_BOTH_MARK) == 1


async def test_questions_changed_by_a_second_diary_while_open_are_kept_too(db_path: Path) -> None:
    diary_with_the_board(db_path)
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        screen = await open_meeting(app, pilot, NOVEMBER_BOARD)
        other = second_diary(db_path)
        other.meetings.save_questions(stored(db_path, NOVEMBER_BOARD)[0], "Theirs?")
        other.close()
        questions = screen.query_one("#questions", TextArea)
        await type_into(pilot, questions, "Mine?")
        assert stored(db_path, NOVEMBER_BOARD)[0].questions == f"Theirs?\n{KEPT_BOTH_MARK}\nMine?"
        assert questions.text == f"Theirs?\n{KEPT_BOTH_MARK}\nMine?"


async def test_an_action_edited_elsewhere_while_open_keeps_both_texts(db_path: Path) -> None:
    diary_with_the_board(db_path)
    first = second_diary(db_path)
    _, action = first.actions.add(stored(db_path, NOVEMBER_BOARD)[0], "Ask for the audit", "Ann")
    first.close()
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        screen = await open_meeting(app, pilot, NOVEMBER_BOARD)
        other = second_diary(db_path)
        other.actions.update(action.id, text="Ask for the audit by Friday")
        other.close()
        screen.query_one("#actions", DataTable).focus()
        await press_and_settle(pilot, "e")
        app.screen.query_one("#action-text", Input).value = "Ask for the audit and the plan"
        await press_and_settle(pilot, "ctrl+s")
        (kept,) = second_diary(db_path).actions.list(stored(db_path, NOVEMBER_BOARD)[0])
        assert kept.text == "Ask for the audit by Friday / Ask for the audit and the plan"
        assert any("changed elsewhere" in m for m in messages(app))


async def test_a_due_date_changed_elsewhere_is_kept_when_the_action_is_edited_here(db_path: Path) -> None:
    # Found on a shared diary: the PA moved the due date while the Lead Member edited the text; saving
    # the text put the old due date back.
    diary_with_the_board(db_path)
    first = second_diary(db_path)
    _, action = first.actions.add(stored(db_path, NOVEMBER_BOARD)[0], "Chase", "Ann", date(2026, 12, 1))
    first.close()
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        screen = await open_meeting(app, pilot, NOVEMBER_BOARD)
        screen.query_one("#actions", DataTable).focus()
        await press_and_settle(pilot, "e")
        other = second_diary(db_path)
        other.actions.update(action.id, due=date(2027, 2, 1))
        other.close()
        app.screen.query_one("#action-text", Input).value = "Chase report"
        await press_and_settle(pilot, "ctrl+s")
        (kept,) = second_diary(db_path).actions.list(stored(db_path, NOVEMBER_BOARD)[0])
        assert (kept.text, kept.due) == ("Chase report", date(2027, 2, 1))


# -- 5: a note over the limit ---------------------------------------------------------------------------
async def test_a_note_over_the_limit_is_shown_as_such_and_never_dropped_nor_leaked(db_path: Path) -> None:
    diary_with_the_board(db_path)
    app = make_app(db_path)
    big = SECRET + " " + "x" * MAX_TEXT
    async with settled(app, (120, 40)) as pilot:
        screen = await open_meeting(app, pilot, NOVEMBER_BOARD)
        note = screen.query_one("#note", TextArea)
        note.focus()
        note.insert(big)  # as a paste lands
        await pilot.pause(SAVE_DELAY_SECONDS + 0.2)
        await settle(pilot)
        length = str(screen.query_one("#note-length", Static).visual)
        assert f"{len(big):,} of {MAX_TEXT:,} characters" in length and "too long to save" in length
        await press_and_settle(pilot, "escape")
        assert app.screen is screen and note.text == big  # not left, nothing dropped
        await app.run_action("quit")
        await pilot.pause()
        assert app.is_running and app.screen is screen and note.text == big
        assert all(SECRET not in m for m in messages(app))
        assert any("too long" in m for m in messages(app))
        note.delete((0, MAX_TEXT - 100), note.document.end)
        await pilot.pause(SAVE_DELAY_SECONDS + 0.2)
        await settle(pilot)
        assert "too long" not in str(screen.query_one("#note-length", Static).visual)
        await press_and_settle(pilot, "escape")
        assert app.screen is not screen
        await app.run_action("quit")
    assert stored(db_path, NOVEMBER_BOARD)[0].note == big[: MAX_TEXT - 100]


async def test_a_crash_never_prints_what_was_typed_not_even_in_the_tracebacks_locals(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    diary_with_the_board(db_path)
    app = make_app(db_path)

    def broken(self: MeetingScreen, event: TextArea.Changed) -> None:
        typed = event.text_area.text  # a local holding the note, as rich's traceback would show
        raise RuntimeError(f"could not handle {typed}")

    with pytest.raises(RuntimeError):
        async with settled(app, (120, 40)) as pilot:
            screen = await open_meeting(app, pilot, NOVEMBER_BOARD)
            monkeypatch.setattr(MeetingScreen, "on_text_area_changed", broken)
            screen.query_one("#note", TextArea).insert(SECRET)
            await pilot.pause()
            await settle(pilot)
    printed = capsys.readouterr().err
    assert "RuntimeError" in printed and "broken" in printed  # where it failed, for a bug report
    assert SECRET not in printed and "Child M." not in printed


async def test_quitting_when_a_save_fails_unexpectedly_stays_open_and_says_nothing_of_the_note(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    diary_with_the_board(db_path)
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        screen = await open_meeting(app, pilot, NOVEMBER_BOARD)
        note = screen.query_one("#note", TextArea)
        note.focus()

        def fails(
            self: Diary, occurrence: Occurrence, text: str, *args: object, **kwargs: object
        ) -> Occurrence:
            raise RuntimeError(f"failed on {text}")

        monkeypatch.setattr(Meetings, "save_note", fails)
        await pilot.press(*"Child M.")
        await app.run_action("quit")
        await pilot.pause()
        assert app.is_running and note.text == "Child M."
        assert any("Not quitting" in m for m in messages(app))
        assert all("Child M." not in m for m in messages(app))
        monkeypatch.undo()
        await app.run_action("quit")
    assert stored(db_path, NOVEMBER_BOARD)[0].note == "Child M."


# -- 16 and 17: statuses on screen ----------------------------------------------------------------------
async def test_a_meeting_still_to_come_cannot_be_marked_attended_but_apologies_can(db_path: Path) -> None:
    diary_with_the_board(db_path)
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        screen = await open_meeting(app, pilot, DECEMBER_BOARD)
        screen.query_one("#actions", DataTable).focus()
        await press_and_settle(pilot, "a")
        assert any("has not started yet" in m for m in messages(app))
        assert stored(db_path, DECEMBER_BOARD)[0].status is None
        await press_and_settle(pilot, "p")
        assert stored(db_path, DECEMBER_BOARD)[0].status == Status.APOLOGIES


async def test_marking_a_meeting_again_says_what_it_replaced(db_path: Path) -> None:
    diary_with_the_board(db_path)
    assert (
        run_los_process(
            "--db", str(db_path), "log", BOARD, "--on", "2026-11-10", "--status", "apologies"
        ).returncode
        == 0
    )
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        screen = await open_meeting(app, pilot, NOVEMBER_BOARD)
        screen.query_one("#actions", DataTable).focus()
        await press_and_settle(pilot, "a")
        assert "Marked attended (was apologies, now attended)." in messages(app)
        assert stored(db_path, NOVEMBER_BOARD)[0].status == Status.ATTENDED


# -- 15: an entry on screen against a scheduled commitment -------------------------------------------------
async def entry_for_the_board(pilot: Pilot[None], app: LineOfSightApp, when: str, note: str) -> AdhocEntry:
    """F6, the board, `when` and `note` typed into the entry dialog and Ctrl+S pressed: the dialog."""
    await press_and_settle(pilot, "f6")
    dialog = app.screen
    assert isinstance(dialog, AdhocEntry)
    dialog.query_one("#adhoc-commitment", Select).value = BOARD
    dialog.query_one("#adhoc-when", Input).value = when
    dialog.query_one("#adhoc-note", TextArea).insert(note)
    await press_and_settle(pilot, "ctrl+s")
    return dialog


async def test_an_entry_for_a_scheduled_commitment_on_screen_needs_extra_ticked(db_path: Path) -> None:
    diary_with_the_board(db_path)
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        dialog = await entry_for_the_board(pilot, app, "2026-11-11 09:00", "An extra session on recruitment")
        assert app.screen is dialog  # refused in the dialog: nothing typed is lost
        error = str(dialog.query_one("#form-error", Static).visual)
        assert "nearest meetings are Tue 10 Nov 2026 and Tue 8 Dec 2026" in error
        assert "tick" in error and "extra meeting" in error
        dialog.query_one("#adhoc-extra", Checkbox).value = True
        await press_and_settle(pilot, "ctrl+s")
        assert app.screen is not dialog
    found = stored(db_path, date(2026, 11, 11))
    assert [(o.is_adhoc, o.start, o.note) for o in found] == [
        (True, datetime(2026, 11, 11, 9, 0, tzinfo=NOW.tzinfo), "An extra session on recruitment")
    ]


async def test_the_entry_dialog_names_a_meeting_where_it_was_moved_as_the_store_would(db_path: Path) -> None:
    """The dialog checks an entry before it closes (so a refusal keeps the note), and names the board's
    November meeting where it is now, Thursday the 12th, as `add_adhoc` does; not on its old Tuesday."""
    diary_with_the_board(db_path)
    diary = Diary.open(db_path, clock=lambda: NOW)
    [november] = diary.meetings.agenda(date(2026, 11, 10), date(2026, 11, 10), slugs=[BOARD])
    diary.meetings.move(november, datetime(2026, 11, 12, 18, 30, tzinfo=NOW.tzinfo))
    with pytest.raises(InputError) as by_the_store:
        diary.meetings.add_adhoc(BOARD, datetime(2026, 11, 12, 9, 0, tzinfo=NOW.tzinfo), False, None)
    diary.close()
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        dialog = await entry_for_the_board(pilot, app, "2026-11-12 09:00", "Kept while refused")
        assert app.screen is dialog
        error = str(dialog.query_one("#form-error", Static).visual)
        assert "meets at 18:30 that day" in error, error
        assert by_the_store.value.reason in error
        dialog.query_one("#adhoc-when", Input).value = "2026-11-10 09:00"
        await press_and_settle(pilot, "ctrl+s")
        error = str(dialog.query_one("#form-error", Static).visual)
        assert "does not meet that day" in error and "Thu 12 Nov 2026" in error, error
    assert [o.is_adhoc for o in stored(db_path, date(2026, 11, 12))] == [False]  # the moved meeting alone


# -- 7: damaged text on screen --------------------------------------------------------------------------
async def test_a_note_with_a_damaged_byte_opens_and_the_app_says_so_without_quoting_it(
    db_path: Path, backend: str
) -> None:
    if backend == "postgresql":
        pytest.skip("a server refuses text that is not UTF-8 as it is written: no damaged byte can be stored")
    diary_with_the_board(db_path)
    logged = run_los_process(
        "--db", str(db_path), "log", BOARD, "--on", "2026-11-10", "--status", "attended", "--note", SECRET
    )
    assert logged.returncode == 0, logged.stderr
    with sqlite3.connect(db_path) as connection:
        damaged = SECRET.encode()[:5] + b"\xff" + SECRET.encode()[6:]
        connection.execute("UPDATE occurrence_logs SET note = CAST(? AS TEXT)", (damaged,))
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        screen = await open_meeting(app, pilot, NOVEMBER_BOARD)
        assert screen.query_one("#note", TextArea).text == SECRET[:5] + "\ufffd" + SECRET[6:]
        for _ in range(60):  # the watch tick (every 2 s) reports it
            if any("damaged bytes" in m for m in messages(app)):
                break
            await pilot.pause(0.1)
        assert any("damaged bytes" in m for m in messages(app))
        assert all(SECRET[6:] not in m for m in messages(app))
