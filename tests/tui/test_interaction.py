"""The interaction model the README's "Using the app" writes down, driven through the real app by keys:
typed text never runs a command, one key means one thing everywhere, each F-key lands on its own screen,
Esc goes back, and the first-run question can be left without creating anything."""

from __future__ import annotations

import inspect
from datetime import date
from pathlib import Path

import pytest
from diary_testing import NOW
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Input, OptionList, Select, Static, TextArea
from tui_support import (
    BOARD,
    NOVEMBER_BOARD,
    TO_THE_BOARD,
    at_the_november_board,
    diary_with_the_board,
    make_app,
    press_and_settle,
    press_as_a_terminal,
    settle,
    settled,
    stored,
)

from los_tui.app import LineOfSightApp
from los_tui.config import Config
from los_tui.domain.model import Status
from los_tui.screens import (
    actions,
    adhoc,
    agenda,
    assurance,
    commitments,
    dialogs,
    help,
    ical,
    meeting,
    month,
    review,
    schedule_form,
    search,
)
from los_tui.screens.help import HelpScreen
from los_tui.screens.keys import VOCABULARY
from los_tui.screens.meeting import MeetingScreen
from los_tui.screens.month import MonthScreen
from los_tui.services.diary import Diary
from los_tui.widgets.footer import KeyFooter

SCREEN_MODULES = (
    actions,
    adhoc,
    agenda,
    assurance,
    commitments,
    dialogs,
    help,
    ical,
    meeting,
    month,
    review,
    schedule_form,
    search,
)


def every_binding() -> list[tuple[str, Binding]]:
    """(where, binding) for the app's and every screen's own bindings."""
    found: list[tuple[str, Binding]] = [("app", b) for b in LineOfSightApp.BINDINGS if isinstance(b, Binding)]
    for module in SCREEN_MODULES:
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Screen) and cls.__module__ == module.__name__:
                found += [(name, b) for b in cls.__dict__.get("BINDINGS", []) if isinstance(b, Binding)]
    return found


def test_a_key_means_one_thing_on_every_screen() -> None:
    meaning_of_key: dict[str, set[str | None]] = {}
    for _where, binding in every_binding():
        assert binding.id in VOCABULARY, f"{binding.action} has no id from the vocabulary"
        assert binding.key == VOCABULARY[binding.id].keys  # the vocabulary's keys, never a screen's own
        for key in binding.key.split(","):
            meaning_of_key.setdefault(key, set()).add(binding.id)
    twice = {key: ids for key, ids in meaning_of_key.items() if len(ids) > 1}
    assert twice == {}
    # The clash the issue found: m was "missed" in the review and "move" on the meeting screen.
    assert meaning_of_key["m"] == {"meeting.move"} and meaning_of_key["x"] == {"status.missed"}


async def test_typing_after_opening_a_meeting_lands_in_its_note_after_the_text_there(db_path: Path) -> None:
    diary_with_the_board(db_path)
    diary = Diary.open(db_path, clock=lambda: NOW)
    diary.meetings.log(BOARD, NOW.replace(day=10, hour=18, minute=30), False, None, note="Caseloads up.")
    diary.close()
    app = make_app(db_path)
    async with settled(app, (80, 24)) as pilot:
        await press_and_settle(pilot, *TO_THE_BOARD, "enter")
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        # Every letter that is a command elsewhere, and the search key.
        await press_and_settle(pilot, *" Ask: adpxc0 m S n e z / t q")
        assert isinstance(app.screen, MeetingScreen) and app.is_running
        assert screen.query_one("#note", TextArea).text == "Caseloads up. Ask: adpxc0 m S n e z / t q"
        assert "Writing" in str(screen.query_one("#typing-mode", Static).visual)
        await press_and_settle(pilot, "alt+x")  # a status from the note, by a key no text box takes
        await press_and_settle(pilot, "tab", "tab")
        assert "Commands" in str(screen.query_one("#typing-mode", Static).visual)
    [november] = stored(db_path, NOVEMBER_BOARD)
    assert (november.status, november.note) == (Status.MISSED, "Caseloads up. Ask: adpxc0 m S n e z / t q")


async def test_alt_keys_as_a_terminal_sends_them_act_from_every_text_box_and_type_nothing(
    db_path: Path,
) -> None:
    async with at_the_november_board(db_path, (80, 24)) as (app, pilot):
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        await press_as_a_terminal(pilot, "alt+a")  # from the note it opens in
        assert stored(db_path, NOVEMBER_BOARD)[0].status == Status.ATTENDED
        screen.query_one("#questions", TextArea).focus()
        await press_as_a_terminal(pilot, "alt+x")
        assert stored(db_path, NOVEMBER_BOARD)[0].status == Status.MISSED
        screen.query_one("#difference", TextArea).focus()
        await press_as_a_terminal(pilot, "alt+0")
        assert stored(db_path, NOVEMBER_BOARD)[0].status is None
        assert [
            screen.query_one(f"#{name}", TextArea).text for name in ("note", "questions", "difference")
        ] == [
            "",
            "",
            "",
        ]
        await press_as_a_terminal(pilot, "alt+n")
        assert isinstance(app.screen, dialogs.ActionDialog)
        await press_as_a_terminal(pilot, "alt+a", "alt+x")  # a dialog's Input types none either
        assert app.screen.query_one("#action-text", Input).value == ""


async def test_f6_and_f7_from_a_note_do_their_job_and_never_select_what_was_written(db_path: Path) -> None:
    # TextArea's own f6 (select the line) and f7 (select all) kept the keys from the app, and the next key
    # typed replaced the note, saved as typed.
    async with at_the_november_board(db_path, (80, 24)) as (app, pilot):
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        await press_and_settle(pilot, *"Caseloads up")
        await press_and_settle(pilot, "f7")
        assert type(app.screen).__name__ == "ReviewScreen"
        await press_and_settle(pilot, "x")  # typed on the review: never into the note
        await press_and_settle(pilot, "escape")
        assert stored(db_path, NOVEMBER_BOARD)[0].note == "Caseloads up"
        assert screen.query_one("#note", TextArea).selected_text == ""
    async with at_the_november_board(db_path, (80, 24)) as (app, pilot):
        await press_and_settle(pilot, "end", *" in the north")
        await press_and_settle(pilot, "f6")
        assert isinstance(app.screen, adhoc.AdhocEntry)
        await press_and_settle(pilot, "escape")
        assert stored(db_path, NOVEMBER_BOARD)[0].note == "Caseloads up in the north"


async def test_help_the_footer_and_the_labels_show_the_keys_as_the_user_remapped_them(db_path: Path) -> None:
    diary_with_the_board(db_path)
    keys = {"status.attended": "1,alt+1", "screen.month": "f12", "meeting.move": "alt+v"}
    app = LineOfSightApp(db_path, Config(keys=keys), clock=lambda: NOW)
    async with settled(app, (120, 40)) as pilot:
        await press_and_settle(pilot, *TO_THE_BOARD, "enter")
        assert "Writing  alt+ 1 attended, d delegated" in str(
            app.screen.query_one("#typing-mode", Static).visual
        )
        footer = app.screen.query_one(KeyFooter)
        shown_keys, _width = footer._keys_to_show()  # one key per action: the first the user gave it
        attended = [key for key, description, *_ in shown_keys if description == "Attended"]
        assert attended and set(attended) <= {"1", "alt+1"}
        await press_and_settle(pilot, "f1")
        assert isinstance(app.screen, HelpScreen)
        shown = "\n".join(str(s.visual) for s in app.screen.query(Static))
        assert "alt+1 attended" in shown and "alt+v moves this one meeting" in shown
        assert "f12" in shown.lower() and "F2 " not in shown and "alt+a" not in shown
        await press_and_settle(pilot, "escape", "alt+1")
    assert stored(db_path, NOVEMBER_BOARD)[0].status == Status.ATTENDED


async def test_each_f_key_lands_on_its_own_screen_from_anywhere(db_path: Path) -> None:
    async with at_the_november_board(db_path, (120, 40)) as (app, pilot):
        await press_and_settle(pilot, "f7", "f2")  # from a meeting: the review, then the month itself
        assert isinstance(app.screen, MonthScreen)
        await press_and_settle(pilot, "f4", "f7", "f2", "f4")
        assert type(app.screen).__name__ == "CommitmentsScreen"
        await press_and_settle(pilot, "f2", *TO_THE_BOARD, "enter", "f2")
        assert isinstance(app.screen, MonthScreen) and len(app.screen_stack) == 1


async def test_esc_goes_back_one_step_and_from_a_main_screen_to_the_month(db_path: Path) -> None:
    async with at_the_november_board(db_path, (120, 40)) as (app, pilot):
        await press_and_settle(pilot, "escape")
        assert isinstance(app.screen, MonthScreen)
        await press_and_settle(pilot, "f5")
        assert type(app.screen).__name__ == "SearchScreen"
        footer = app.screen.query_one(KeyFooter)
        assert "Back" in [description for _key, description, *_ in footer._keys_to_show()[0]]
        await press_and_settle(pilot, *"board", "escape")  # typed into the search box, then back
        assert isinstance(app.screen, MonthScreen)
        await press_and_settle(pilot, "f7", "escape")
        assert isinstance(app.screen, MonthScreen)


@pytest.mark.parametrize("key", ["q", "escape"])
async def test_the_first_run_question_quits_on_q_or_esc_and_creates_nothing(db_path: Path, key: str) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert type(app.screen).__name__ == "RoleQuestion"
        assert "quits without creating anything" in str(app.screen.query(Static)[-1].visual)
        await pilot.press(key)
        await pilot.pause()
        assert not app.is_running
    assert not db_path.exists() and not db_path.parent.exists()


async def test_the_first_run_question_answered_creates_the_diary_for_that_role(db_path: Path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not db_path.exists()  # asked before anything is written
        await press_and_settle(pilot, "shift+tab", "enter")  # from "Both" back to "Director (DCS)"
        assert isinstance(app.screen, MonthScreen)
    diary = Diary.open(db_path, clock=lambda: NOW, create=False)
    try:
        assert diary.role_choice() == "dcs"
    finally:
        diary.close()


async def test_a_commitment_just_added_is_highlighted_at_once(db_path: Path) -> None:
    diary_with_the_board(db_path)
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        await press_and_settle(pilot, "f4", "n")
        await pilot.press(*"Youth council", "tab")
        app.screen.query_one("#role", Select).value = "dcs"
        await press_and_settle(pilot, "ctrl+s")
        table = app.screen.query_one(DataTable)
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        assert table.get_row(key or "")[0].plain.startswith("Youth council")
        await press_and_settle(pilot, "e")  # the toast's advice works on it straight away
        assert "Youth council" in str(app.screen.query(Static)[0].visual)


async def test_a_day_with_several_meetings_opens_with_enter_twice(db_path: Path) -> None:
    diary_with_the_board(db_path)
    diary = Diary.open(db_path, clock=lambda: NOW)
    diary.meetings.add_adhoc("lmcs-team-visits", NOW.replace(day=10, hour=9), False, None, "")
    diary.close()
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        await press_and_settle(pilot, *TO_THE_BOARD, "enter")
        assert isinstance(app.screen, MonthScreen)
        hint = list(app._notifications)[-1].message
        assert "2 meetings on 10 November: the arrows choose, ⏎ opens one" in hint
        await press_and_settle(pilot, "enter")
        assert isinstance(app.screen, MeetingScreen) and app.screen.occurrence.title == "Visit to a team"
        await press_and_settle(pilot, "escape", "down", "enter")  # back on the day's list, the next one
        assert app.screen.occurrence.title == "Children's Improvement Board"
        await press_and_settle(pilot, "escape", "escape")  # Esc leaves the day's list for the days
        month = app.screen
        assert isinstance(month, MonthScreen) and not isinstance(month.focused, OptionList)
        await press_and_settle(pilot, "right")
        assert month.selected == date(2026, 11, 11)


async def test_f8_writes_the_ics_on_enter_in_its_path_to_the_documents_folder(db_path: Path) -> None:
    documents = Path.home() / "Documents"
    documents.mkdir()
    diary_with_the_board(db_path)
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        await press_and_settle(pilot, "f8")
        path = app.screen.query_one("#path", Input)
        assert Path(path.value).parent == documents
        path.focus()
        await press_and_settle(pilot, "enter")
        assert "Wrote" in str(app.screen.query_one("#result", Static).visual)
    [written] = documents.glob("line-of-sight-*.ics")
    assert "BEGIN:VCALENDAR" in written.read_text(encoding="utf-8")


@pytest.mark.parametrize("status_first", [False, True])
async def test_the_readmes_count_open_mark_the_board_attended_with_a_note_and_quit(
    db_path: Path, status_first: bool
) -> None:
    """README: "open, mark last Tuesday's board attended with a one-line note, quit": 7 keys plus the note,
    the note and alt+a in either order."""
    diary_with_the_board(db_path)
    app = make_app(db_path)
    note = [*"Went well; agency staffing discussed."]
    keys = ["up", "up", "left", "left", "enter"]
    keys += ["alt+a", *note] if status_first else [*note, "alt+a"]
    keys += ["ctrl+q"]
    assert len(keys) - len(note) == 7
    async with settled(app, (80, 24)) as pilot:
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        await settle(pilot)
        assert not app.is_running
    [board] = stored(db_path, NOVEMBER_BOARD)
    assert (board.status, board.note) == (Status.ATTENDED, "Went well; agency staffing discussed.")
