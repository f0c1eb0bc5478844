"""The meeting screen briefs the lead member as `los prep` does (last time, what is still open from earlier
meetings of the board and of its joint line, questions worth asking) and keeps the difference the meeting
made as it is typed. Real diary files, the real app driven by Pilot; what was written is read back by a
second diary, as another process would."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from diary_testing import NOW
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static, TextArea
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
from los_tui.config import Config
from los_tui.domain.guidance import guidance
from los_tui.domain.model import Status
from los_tui.domain.parsing import MAX_TEXT
from los_tui.screens.dialogs import AskDialog
from los_tui.screens.keys import VOCABULARY
from los_tui.screens.meeting import SAVE_DELAY_SECONDS, MeetingScreen
from los_tui.services.diary import Diary

DCS_BOARD = "dcs-improvement-board"  # the board's joint line
OCTOBER_NOTE = "Caseloads up in the east team"


def key(binding_id: str) -> str:
    """The first key the vocabulary gives `binding_id` (no remap in these tests)."""
    return VOCABULARY[binding_id].keys.split(",")[0]


def second_diary(db_path: Path) -> Diary:
    return Diary.open(db_path, clock=lambda: NOW, create=False)


def boards_with_history(db_path: Path) -> None:
    """The board and its joint line monthly; October's board attended, with a note, the difference it
    made and an action still open; an action still open from the Director's October board too."""
    diary_with_the_board(db_path)
    diary = second_diary(db_path)
    diary.commitments.schedule(
        DCS_BOARD, "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2", datetime(2026, 1, 13, 18, 30), 120
    )
    october = datetime(2026, 10, 13, tzinfo=NOW.tzinfo)
    logged = diary.meetings.log(
        BOARD, october, False, Status.ATTENDED, note=OCTOBER_NOTE, difference="Agreed a caseload cap"
    ).occurrence
    diary.actions.add(logged, "Send the audit summary", "DCS", date(2026, 12, 1))
    joint = diary.meetings.log(DCS_BOARD, october, False, Status.ATTENDED).occurrence
    diary.actions.add(joint, "Agency staffing plan", "PSW")
    diary.close()


async def at_the_november_board(app: LineOfSightApp, pilot: Pilot[None]) -> MeetingScreen:
    """The board's November meeting opened (the month's day list holds both boards that day)."""
    [november] = stored(app.db_path, NOVEMBER_BOARD)
    app.open_meeting(november)
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, MeetingScreen)
    return screen


def shown(screen: MeetingScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).visual)


def rows(table: DataTable[object]) -> list[str]:
    return [" ".join(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count)]


async def test_the_meeting_shows_last_time_the_open_actions_and_questions_worth_asking(db_path: Path) -> None:
    boards_with_history(db_path)
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        screen = await at_the_november_board(app, pilot)
        last = shown(screen, "#last-time")
        assert "Tue 13 Oct 2026, attended" in last
        assert OCTOBER_NOTE in last and "Agreed a caseload cap" in last
        still_open = rows(screen.query_one("#open-actions", DataTable))
        assert len(still_open) == 2
        assert any("Send the audit summary" in row for row in still_open)
        assert any("Agency staffing plan" in row for row in still_open)  # from the joint line
        suggested = screen.query_one("#suggested", DataTable)
        # The board gives sight of factors 1 and 5: taken in turn, five of them, as `los prep` gives them.
        assert [str(suggested.get_row_at(i)[1]) for i in range(suggested.row_count)] == [
            "1.1",
            "5.1",
            "1.2",
            "5.2",
            "1.3",
        ]


async def test_one_key_marks_an_earlier_meetings_action_done(db_path: Path) -> None:
    boards_with_history(db_path)
    app = make_app(db_path)
    async with settled(app, (80, 24)) as pilot:
        screen = await at_the_november_board(app, pilot)
        table = screen.query_one("#open-actions", DataTable)
        table.focus()
        chosen = screen.query_one("BriefPanel").selected_open_action()  # type: ignore[attr-defined]
        assert chosen is not None
        await press_and_settle(pilot, key("action.done"))
        assert "[x]" in rows(table)[0]
    diary = second_diary(db_path)
    try:
        done = {a.action.text: a.action.done for a in diary.evidence.actions()}
    finally:
        diary.close()
    assert done[chosen.action.text] is True and list(done.values()).count(True) == 1


async def test_a_suggested_question_is_copied_into_questions_to_raise_and_saved(db_path: Path) -> None:
    boards_with_history(db_path)
    app = make_app(db_path)
    first = guidance().question("1.1").text
    async with settled(app, (80, 24)) as pilot:
        screen = await at_the_november_board(app, pilot)
        screen.query_one("#suggested", DataTable).focus()
        await press_and_settle(pilot, key("question.raise"))
        await pilot.pause(SAVE_DELAY_SECONDS + 0.2)
        await settle(pilot)
        assert screen.query_one("#questions", TextArea).text == first + "\n"
        await press_and_settle(pilot, key("question.raise"))  # twice: not copied again
        assert screen.query_one("#questions", TextArea).text == first + "\n"
    assert stored(db_path, NOVEMBER_BOARD)[0].questions == first + "\n"


async def test_a_question_marked_asked_keeps_the_answer_as_los_ask_does(db_path: Path) -> None:
    boards_with_history(db_path)
    app = make_app(db_path)
    async with settled(app, (80, 24)) as pilot:
        screen = await at_the_november_board(app, pilot)
        suggested = screen.query_one("#suggested", DataTable)
        suggested.focus()
        await press_and_settle(pilot, "down", key("question.asked"))  # 5.1
        assert isinstance(app.screen, AskDialog)
        await press_and_settle(pilot, *"Audits monthly", "enter")
        assert app.screen is screen
        assert suggested.get_row_at(1)[0].plain == "yes"
        assert "Audits monthly" in str(suggested.get_row_at(1)[2])
    diary = second_diary(db_path)
    try:
        [november] = diary.meetings.agenda(NOVEMBER_BOARD, NOVEMBER_BOARD, slugs=[BOARD])
        asked = diary.evidence.asked_at(november)
    finally:
        diary.close()
    assert [(q.question_id, q.answer) for q in asked] == [("5.1", "Audits monthly")]
    # Open again: the question asked here is shown as asked, with its answer, and not suggested twice.
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        screen = await at_the_november_board(app, pilot)
        suggested = screen.query_one("#suggested", DataTable)
        ids = [str(suggested.get_row_at(i)[1]) for i in range(suggested.row_count)]
        assert ids[0] == "5.1" and ids.count("5.1") == 1
        assert suggested.get_row_at(0)[0].plain == "yes"


async def test_an_answer_too_long_is_refused_naming_the_field_never_quoting_it(db_path: Path) -> None:
    boards_with_history(db_path)
    app = make_app(db_path)
    async with settled(app, (80, 24)) as pilot:
        screen = await at_the_november_board(app, pilot)
        screen.query_one("#suggested", DataTable).focus()
        await press_and_settle(pilot, key("question.asked"))
        dialog = app.screen
        assert isinstance(dialog, AskDialog)
        dialog.query_one("#answer", Input).value = "Child M. " * 1200
        await press_and_settle(pilot, "enter")
        assert app.screen is dialog  # kept open: nothing typed is lost
        error = str(dialog.query_one("#form-error", Static).visual)
        assert "Answer" in error and "Child M." not in error
        await press_and_settle(pilot, "escape")
        assert app.screen is screen
    diary = second_diary(db_path)
    try:
        [november] = diary.meetings.agenda(NOVEMBER_BOARD, NOVEMBER_BOARD, slugs=[BOARD])
        assert diary.evidence.asked_at(november) == []
    finally:
        diary.close()


async def test_the_difference_made_is_saved_as_it_is_typed_and_says_it_goes_into_reports(
    db_path: Path,
) -> None:
    boards_with_history(db_path)
    app = make_app(db_path)
    async with settled(app, (80, 24)) as pilot:
        screen = await at_the_november_board(app, pilot)
        label = str(screen.query_one("#difference-label", Static).visual)
        assert "Difference made" in label and "reports" in label
        area = screen.query_one("#difference", TextArea)
        area.focus()
        await pilot.press(*"Cap agreed")
        await pilot.pause(SAVE_DELAY_SECONDS + 0.2)
        await settle(pilot)
        assert stored(db_path, NOVEMBER_BOARD)[0].difference == "Cap agreed"
        await pilot.press(*" for the east")  # typed, then quit before the save delay is up
        await pilot.press("ctrl+q")
        await settle(pilot)
    assert stored(db_path, NOVEMBER_BOARD)[0].difference == "Cap agreed for the east"


async def test_a_difference_written_elsewhere_meanwhile_is_kept_beside_what_is_typed(db_path: Path) -> None:
    boards_with_history(db_path)
    app = make_app(db_path)
    async with settled(app, (80, 24)) as pilot:
        screen = await at_the_november_board(app, pilot)
        other = second_diary(db_path)
        try:
            november = datetime(2026, 11, 10, tzinfo=NOW.tzinfo)
            other.meetings.log(BOARD, november, False, None, difference="From the minutes")
        finally:
            other.close()
        area = screen.query_one("#difference", TextArea)
        area.focus()
        await pilot.press(*"Mine")
        await pilot.pause(SAVE_DELAY_SECONDS + 0.2)
        await settle(pilot)
        kept = stored(db_path, NOVEMBER_BOARD)[0].difference
        assert "From the minutes" in kept and kept.endswith("Mine")
        assert area.text == kept


def test_the_brief_fits_an_80_by_24_terminal(snap_compare: Callable[..., bool], db_path: Path) -> None:
    """Tab from the note to the questions worth asking: the brief scrolls into view, nothing cut off."""
    boards_with_history(db_path)

    async def to_the_questions(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, LineOfSightApp)
        await at_the_november_board(app, pilot)
        await press_and_settle(pilot, *["tab"] * 5)
        assert app.screen.focused is not None and app.screen.focused.id == "suggested"

    assert snap_compare(make_app(db_path), terminal_size=(80, 24), run_before=to_the_questions)


async def test_a_difference_too_long_is_kept_named_and_never_quoted(db_path: Path) -> None:
    boards_with_history(db_path)
    app = make_app(db_path)
    big = "Child M. said " + "x" * MAX_TEXT
    async with settled(app, (80, 24)) as pilot:
        screen = await at_the_november_board(app, pilot)
        area = screen.query_one("#difference", TextArea)
        area.focus()
        area.insert(big)  # as a paste lands
        await pilot.pause(SAVE_DELAY_SECONDS + 0.2)
        await settle(pilot)
        assert "too long to save" in str(screen.query_one("#difference-length", Static).visual)
        await app.run_action("quit")
        await pilot.pause()
        assert app.is_running and area.text == big  # stays open: nothing typed is lost
        said = [n.message for n in app._notifications]
        assert any("difference made is too long" in m for m in said)
        assert all("Child M." not in m for m in said)
    assert stored(db_path, NOVEMBER_BOARD)[0].difference == ""


async def test_a_question_the_diary_refuses_to_record_is_said_in_a_line_never_quoting_the_answer(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    boards_with_history(db_path)
    monkeypatch.setattr("los_tui.db.engine.BUSY_TIMEOUT_MS", 200)
    app = make_app(db_path)
    async with settled(app, (80, 24)) as pilot:
        screen = await at_the_november_board(app, pilot)
        screen.query_one("#suggested", DataTable).focus()
        await press_and_settle(pilot, key("question.asked"))
        holder = sqlite3.connect(db_path, isolation_level=None)
        try:
            holder.execute("BEGIN EXCLUSIVE")  # another program is writing, and goes on writing
            await press_and_settle(pilot, *"Child M. is safe", "enter")
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert app.screen is screen and app.is_running
        refused = [n for n in app._notifications if n.severity == "error"]
        assert [n.message for n in refused] == [
            "the diary could not be written (database is locked); nothing was changed"
        ]
        assert screen.query_one("#suggested", DataTable).get_row_at(0)[0].plain == ""  # not marked asked


async def test_the_meeting_screen_kept_for_the_next_meeting_shows_that_meetings_brief(db_path: Path) -> None:
    boards_with_history(db_path)
    app = make_app(db_path)
    async with settled(app, (80, 24)) as pilot:
        screen = await at_the_november_board(app, pilot)
        assert "Tue 13 Oct 2026, attended" in shown(screen, "#last-time")
        await press_and_settle(pilot, "escape")
        [october] = stored(db_path, date(2026, 10, 13))
        app.open_meeting(october)
        await settle(pilot)
        assert app.screen is screen  # the same screen, refilled
        assert "no earlier meeting" in shown(screen, "#last-time")
        [only] = rows(screen.query_one("#open-actions", DataTable))
        assert "None: nothing is left open from earlier meetings" in only


async def test_the_brief_s_keys_are_shown_and_work_as_the_user_remapped_them(db_path: Path) -> None:
    boards_with_history(db_path)
    keys = {"question.raise": "ctrl+b", "question.asked": "ctrl+y"}
    app = LineOfSightApp(db_path, Config(keys=keys), clock=lambda: NOW)
    async with settled(app, (120, 40)) as pilot:
        screen = await at_the_november_board(app, pilot)
        label = shown(screen, "#suggested-label")
        assert "^b copies" in label and "^y marks asked" in label
        screen.query_one("#suggested", DataTable).focus()
        await press_and_settle(pilot, "i", "ctrl+b")
        assert screen.query_one("#questions", TextArea).text == guidance().question("1.1").text + "\n"


async def test_a_long_earlier_action_is_read_in_full_at_80_columns(db_path: Path) -> None:
    boards_with_history(db_path)
    diary = second_diary(db_path)
    [october] = diary.meetings.agenda(date(2026, 10, 13), date(2026, 10, 13), slugs=[BOARD])
    long_action = "Write to every foster carer in the east locality about the new respite offer"
    diary.actions.add(october, long_action, "PSW")
    diary.close()
    app = make_app(db_path)
    async with settled(app, (80, 24)) as pilot:
        screen = await at_the_november_board(app, pilot)
        table = screen.query_one("#open-actions", DataTable)
        drawn = ["".join(segment.text for segment in table.render_line(y)) for y in range(table.size.height)]
        words = " ".join(" ".join(drawn).split())
        # Wrapped within its column (other columns beside its first line), never cut off at the edge.
        assert "Write to every foster carer" in words
        assert "in the east locality about the new respite offer" in words


async def test_the_next_meeting_s_texts_are_each_loaded_once_into_the_kept_screen(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The kept screen is refilled while hidden: each box is loaded with the next meeting's text once, not
    emptied first and then loaded (each load is a redraw of the box)."""
    boards_with_history(db_path)
    diary = second_diary(db_path)
    [november] = diary.meetings.agenda(NOVEMBER_BOARD, NOVEMBER_BOARD, slugs=[BOARD])
    diary.meetings.save_note(november, "Sent apologies; read the papers")
    diary.close()
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        screen = await at_the_november_board(app, pilot)
        await press_and_settle(pilot, "escape")
        loaded: list[tuple[str | None, str]] = []
        load_text = TextArea.load_text

        def counted(area: TextArea, text: str) -> None:
            loaded.append((area.id, text))
            load_text(area, text)

        monkeypatch.setattr(TextArea, "load_text", counted)
        [october] = stored(db_path, date(2026, 10, 13))
        app.open_meeting(october)
        await settle(pilot)
        assert app.screen is screen
        assert loaded == [("note", OCTOBER_NOTE), ("difference", "Agreed a caseload cap")]


async def test_a_kept_screen_shown_before_its_meeting_is_read_shows_nothing_of_the_last_one(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    boards_with_history(db_path)
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        [october] = stored(db_path, date(2026, 10, 13))
        app.open_meeting(october)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        assert screen.query_one("#note", TextArea).text == OCTOBER_NOTE
        await press_and_settle(pilot, "escape")
        assert app.diary is not None
        meetings = app.diary.meetings
        view = meetings.view

        def slow_view(*args: Any, **kwargs: Any) -> Any:
            import time

            time.sleep(0.5)  # a store held by another program: the screen is shown before the read lands
            return view(*args, **kwargs)

        monkeypatch.setattr(meetings, "view", slow_view)
        [november] = stored(app.db_path, NOVEMBER_BOARD)
        app.open_meeting(november)
        while app.screen is not screen:
            await pilot.pause(0.01)
        assert not screen.is_loaded
        assert screen.query_one("#note", TextArea).text == ""
        assert OCTOBER_NOTE not in app.export_screenshot()
        assert "Agreed a caseload cap" not in app.export_screenshot()
        await settle(pilot)
        assert "Tue 13 Oct 2026, attended" in shown(screen, "#last-time")
