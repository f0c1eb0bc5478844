"""The PA on the meeting screen of a shared diary: the server keeps the lead member's notes from their
role, and the screen says so plainly where the note would be (never an empty box that looks like a
meeting with no note), starts on the actions, and the status keys work. A real PostgreSQL server, the
real app driven by Pilot."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from diary_testing import NOW
from pg_server import Server
from pg_testing import engine_for, fresh_database, make_role
from textual.widgets import DataTable, Static, TextArea
from tui_support import BOARD, NOVEMBER_BOARD, diary_with_the_board, press_and_settle, settle, settled

from los_tui.app import LineOfSightApp
from los_tui.config import Config
from los_tui.db.access import Access, grant
from los_tui.db.copy import copy_diary
from los_tui.db.paths import ServerDiary
from los_tui.domain.model import Status
from los_tui.screens.meeting import MeetingScreen
from los_tui.services.diary import Diary

OWNER, PA = "lead_member", "pa_smith"
SECRET = "Child M. said the foster placement"


@pytest.fixture(scope="module")
def server(pg_server: Server) -> Server:
    """The session's server (tests/conftest.py), with the people's login roles."""
    for role in (OWNER, PA):
        make_role(pg_server, role)
    return pg_server


@pytest.fixture
def shared(server: Server, db_path: Path) -> str:
    """The board's November meeting logged with a private note, moved to the server, the PA granted."""
    diary_with_the_board(db_path)
    diary = Diary.open(db_path, clock=lambda: NOW)
    (november,) = diary.meetings.agenda(NOVEMBER_BOARD, NOVEMBER_BOARD, slugs=[BOARD])
    diary.meetings.log(BOARD, november.start, True, Status.ATTENDED, note=SECRET, questions=SECRET)
    diary.close()
    name = fresh_database(server, "meeting_as_pa", owner=OWNER)
    copy_diary(str(db_path), server.url(name, OWNER))
    engine = engine_for(server.url(name, OWNER))
    try:
        with engine.begin() as connection:
            grant(connection, PA, Access.ASSISTANT)
    finally:
        engine.dispose()
    return name


def on_screen(app: LineOfSightApp) -> str:
    return "\n".join(str(widget.render()) for widget in app.screen.query(Static) if widget.display)


async def test_the_pa_sees_plainly_that_notes_are_kept_from_them_and_logs_apologies(
    server: Server, shared: str
) -> None:
    app = LineOfSightApp(db_path=ServerDiary(server.url(shared, PA)), config=Config(), clock=lambda: NOW)
    async with settled(app, (120, 40)) as pilot:
        assert app.diary is not None
        (november,) = app.diary.meetings.agenda(NOVEMBER_BOARD, NOVEMBER_BOARD, slugs=[BOARD])
        app.open_meeting(november)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        for area in screen.query(TextArea):
            assert not area.display and SECRET not in area.text
        said = on_screen(app)
        assert f"you are connected as {PA}, an assistant" in said and "Notes and questions" in said
        assert SECRET not in said
        assert isinstance(app.focused, DataTable)  # Commands: the status keys act at once
        await press_and_settle(pilot, "p")
        assert not [n.message for n in app._notifications if n.severity == "error"]
        await press_and_settle(pilot, "i")  # copy a suggested question into the questions it cannot see
        assert any("private text" in n.message for n in app._notifications)
        assert not [n.message for n in app._notifications if n.severity == "error"]
        await press_and_settle(pilot, "escape")
    owner = Diary.open(ServerDiary(server.url(shared, OWNER)), clock=lambda: NOW, create=False)
    try:
        (kept,) = owner.meetings.agenda(NOVEMBER_BOARD, NOVEMBER_BOARD, slugs=[BOARD])
    finally:
        owner.close()
    assert kept.status is Status.APOLOGIES and kept.note == SECRET and kept.questions == SECRET


async def test_the_pas_brief_says_last_times_note_is_not_shown_never_that_none_was_written(
    server: Server, shared: str
) -> None:
    # It said "Note: none written" of November's board, which has a note: untrue, and of the owner.
    app = LineOfSightApp(db_path=ServerDiary(server.url(shared, PA)), config=Config(), clock=lambda: NOW)
    async with settled(app, (120, 40)) as pilot:
        assert app.diary is not None
        upcoming = app.diary.meetings.agenda(
            NOVEMBER_BOARD, NOVEMBER_BOARD + timedelta(days=40), slugs=[BOARD]
        )
        december = next(o for o in upcoming if o.start.date() > NOVEMBER_BOARD)
        app.open_meeting(december)
        await settle(pilot)
        said = on_screen(app)
        assert "Last time: Tue 10 Nov 2026" in said
        assert "Note: not shown to your role" in said and "none written" not in said
        assert SECRET not in said
