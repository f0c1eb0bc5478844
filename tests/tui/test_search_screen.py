"""The search screen (F5 or /): results from the full-text index a page at a time, newest first, read off
the UI thread, a newer search replacing an older one, and any text typed searched as words."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from diary_testing import LONDON, NOW
from textual.widgets import DataTable, Input, Static
from tui_support import make_app, press_and_settle, settle, settled

from los_tui.domain.model import Status
from los_tui.screens.meeting import MeetingScreen
from los_tui.screens.search import MORE_ROW, SEARCHING_ROW, SearchScreen
from los_tui.services.diary import Diary
from los_tui.widgets.footer import KeyFooter

VISITS = "lmcs-team-visits"


def diary_with_visits(db_path: Path, notes: list[str]) -> list[datetime]:
    """Ad hoc team visits, one every other day going back from yesterday, each with its note."""
    diary = Diary.open(db_path, clock=lambda: NOW)
    diary.init("both")
    days = [NOW - timedelta(days=1 + 2 * n) for n in range(len(notes))]
    for day, note in zip(days, notes, strict=True):
        diary.meetings.log(VISITS, day.replace(hour=10, minute=0), True, Status.ATTENDED, note=note)
    diary.close()
    return days


def hold_searches(monkeypatch: pytest.MonkeyPatch, meetings: Any, holding: str = "") -> threading.Event:
    """Searches for words holding `holding` (any, by default) wait until the event returned is set."""
    real_search = meetings.search
    gate = threading.Event()

    def held(text: str, *args: Any, **kwargs: Any) -> Any:
        if holding in text:
            gate.wait(30)
        return real_search(text, *args, **kwargs)

    monkeypatch.setattr(meetings, "search", held)
    return gate


async def search_for(pilot: Any, words: str) -> SearchScreen:
    await press_and_settle(pilot, "f5")
    screen = pilot.app.screen
    assert isinstance(screen, SearchScreen)
    await press_and_settle(pilot, *words, "enter")
    return screen


async def test_results_come_a_page_at_a_time_newest_first_the_rest_as_the_cursor_reaches_them(
    db_path: Path,
) -> None:
    days = diary_with_visits(db_path, [f"Supervision visit {n}" for n in range(130)])
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        screen = await search_for(pilot, "supervis")
        table = screen.query_one(DataTable)
        assert len(screen.found) == 50 and table.row_count == 51  # a page, and the row that brings more
        assert [o.start.astimezone(LONDON).date() for o in screen.found] == [d.date() for d in days[:50]]
        assert "Supervision" in str(table.get_row_at(0)[3])
        await press_and_settle(pilot, "ctrl+end")  # the cursor reaches the More row: the next page
        assert len(screen.found) == 100 and table.row_count == 101
        assert table.cursor_row == 50  # where the More row was: the first of the new page
        for _ in range(3):  # PageDown, a screenful at a time, reaches the next More row
            await press_and_settle(pilot, "pagedown")
        assert len(screen.found) == 130 and table.row_count == 130  # all found: no More row
        assert MORE_ROW not in table.rows
        starts = [o.start for o in screen.found]
        assert starts == sorted(starts, reverse=True) and len(set(starts)) == 130
        await press_and_settle(pilot, "ctrl+home", "enter")
        assert isinstance(app.screen, MeetingScreen)
        assert app.screen.occurrence.note == "Supervision visit 0"


async def test_enter_on_the_more_row_brings_the_next_page(db_path: Path) -> None:
    diary_with_visits(db_path, [f"Audit {n}" for n in range(60)])
    app = make_app(db_path)
    async with settled(app, (80, 24)) as pilot:
        screen = await search_for(pilot, "audit")
        table = screen.query_one(DataTable)
        table.move_cursor(row=10)
        await settle(pilot)
        assert len(screen.found) == 50
        table.post_message(DataTable.RowSelected(table, 50, table.coordinate_to_cell_key((50, 0)).row_key))
        await settle(pilot)
        assert len(screen.found) == 60 and table.row_count == 60


async def test_a_newer_search_replaces_an_older_one_still_running_and_the_screen_keeps_working(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    diary_with_visits(db_path, ["alpha one", "beta two"])
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        assert app.diary is not None
        # A search for "alpha" still running when the next is asked for.
        gate = hold_searches(monkeypatch, app.diary.meetings, holding="alpha")
        await press_and_settle(pilot, "f5")
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await pilot.press(*"alpha", "enter")
        # The alpha search is held in its worker; the screen still takes keys: the words are typed.
        words = screen.query_one(Input)
        words.focus()
        await pilot.press(*["backspace"] * 5, *"beta")
        assert words.value == "beta"
        await pilot.press("enter")
        for _ in range(500):
            await pilot.pause(0.01)
            if screen.found:
                break
        assert [o.note for o in screen.found] == ["beta two"]
        gate.set()  # the older search ends now, too late: what it found is dropped
        await settle(pilot)
        await pilot.pause(0.1)
        assert [o.note for o in screen.found] == ["beta two"]
        assert screen.query_one(DataTable).row_count == 1


async def test_enter_on_new_words_takes_the_last_results_away_at_once(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the new words are searched, Enter in the table cannot open a meeting they did not find."""
    diary_with_visits(db_path, ["alpha one", "beta two"])
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        assert app.diary is not None
        screen = await search_for(pilot, "alpha")
        assert [o.note for o in screen.found] == ["alpha one"]
        gate = hold_searches(monkeypatch, app.diary.meetings)
        words = screen.query_one(Input)
        words.focus()
        await pilot.press(*["backspace"] * 5, *"beta", "enter", "enter")
        table = screen.query_one(DataTable)
        assert screen.found == [] and app.screen is screen  # nothing opened
        assert list(table.rows) == [SEARCHING_ROW]  # the last results gone: only the words being searched
        gate.set()
        for _ in range(500):
            await pilot.pause(0.01)
            if screen.found:
                break
        assert [o.note for o in screen.found] == ["beta two"]


async def test_the_rows_are_read_and_made_off_the_ui_thread(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The UI thread only adds the rows: the query and each row's cells (the snippets marked) are made
    in the search's worker, so a large diary's first page costs the screen as little as a small one's."""
    from los_tui.screens import search

    diary_with_visits(db_path, [f"Supervision visit {n}" for n in range(60)])
    made_on: set[str] = set()
    real_cells = search.result_cells

    def cells_noting_the_thread(*args: Any) -> Any:
        made_on.add(threading.current_thread().name)
        return real_cells(*args)

    monkeypatch.setattr(search, "result_cells", cells_noting_the_thread)
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        screen = await search_for(pilot, "supervision")
        await press_and_settle(pilot, "ctrl+end")  # the next page too
        assert len(screen.found) == 60 and screen.query_one(DataTable).row_count == 60
        assert made_on and threading.main_thread().name not in made_on
        assert "«" not in str(screen.query_one(DataTable).get_row_at(0)[3])  # marked by style, not text


@pytest.mark.parametrize("typed", ['"', "* ( )"])
async def test_text_with_no_words_is_refused_with_a_message(db_path: Path, typed: str) -> None:
    diary_with_visits(db_path, ["Audit"])
    app = make_app(db_path)
    async with settled(app, (80, 24)) as pilot:
        screen = await search_for(pilot, typed)
        assert screen.found == []
        assert any("Words" in n.message and "no words" in n.message for n in app._notifications)
        # The cursor is back in the words: what is typed next is words, never a command (q quit).
        assert isinstance(app.focused, Input)
        await press_and_settle(pilot, "ctrl+u", *"quarterly")
        assert app.is_running and screen.query_one(Input).value == "quarterly"


async def test_query_syntax_typed_is_searched_as_words(db_path: Path) -> None:
    diary_with_visits(db_path, ["Supervision and audit", "Supervision only"])
    app = make_app(db_path)
    async with settled(app, (80, 24)) as pilot:
        screen = await search_for(pilot, 'supervision AND "audit')
        assert [o.note for o in screen.found] == ["Supervision and audit"]


async def test_while_the_words_are_searched_they_and_the_keys_stay_on_screen(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The screen is not covered while a page is read (Textual's loading indicator over the whole screen
    hid the words typed, the header and the keys): only the table says the words are being searched."""
    diary_with_visits(db_path, ["alpha one"])
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        assert app.diary is not None
        gate = hold_searches(monkeypatch, app.diary.meetings)
        await press_and_settle(pilot, "f5")
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await pilot.press(*"alpha", "enter")
        await pilot.pause(0.1)
        words, table = screen.query_one(Input), screen.query_one(DataTable)
        for widget in (words, table, screen.query_one(KeyFooter)):
            shown, _ = screen.get_widget_at(*widget.region.offset)
            assert shown is widget or widget in shown.ancestors
        assert [str(cell) for cell in table.get_row_at(0)] == ["…", "", "Searching", ""]
        assert screen.found == [] and not screen.is_loaded
        gate.set()
        for _ in range(500):
            await pilot.pause(0.01)
            if screen.found:
                break
        assert [o.note for o in screen.found] == ["alpha one"] and table.row_count == 1


async def test_a_page_of_results_fits_the_table_and_the_screen_itself_never_scrolls(db_path: Path) -> None:
    """Sized by its rows, a page of 50 ran the table past the footer: the screen scrolled, took a scroll
    bar of its own and was laid out again, narrower. The table keeps to the room left and scrolls itself."""
    diary_with_visits(db_path, [f"Supervision visit {n}" for n in range(60)])
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        screen = await search_for(pilot, "supervision")
        table = screen.query_one(DataTable)
        assert table.row_count == 51
        assert screen.max_scroll_y == 0 and screen.size.width == 120
        footer = screen.query_one(KeyFooter)
        assert table.region.bottom <= footer.region.y  # the table ends above the keys
        assert table.max_scroll_y > 0  # the rest of the page is reached by scrolling the table


async def test_at_80_columns_the_found_column_is_in_sight_and_the_rows_found_text_is_whole_under_it(
    db_path: Path,
) -> None:
    """A long title gives way to the Found column at 80 columns (cut with an ellipsis), the row the
    cursor is on says in full where the words were found, and a wider terminal lays the columns out again."""
    diary = Diary.open(db_path, clock=lambda: NOW)
    diary.init("both")
    for days_back, topic in ((1, "caseloads"), (3, "agency staff")):
        diary.meetings.log(
            "lmcs-psw-practice-audit",
            (NOW - timedelta(days=days_back)).replace(hour=10, minute=0),
            True,
            Status.ATTENDED,
            note=f"Audit findings on supervision; the next quarter's figures on {topic}, as asked",
        )
    diary.close()
    app = make_app(db_path)
    async with settled(app, (80, 24)) as pilot:
        screen = await search_for(pilot, "supervision")
        table = screen.query_one(DataTable)
        columns = list(table.columns.values())
        found_at = sum(column.get_render_width(table) for column in columns[:3])
        assert found_at + len(" note:") <= table.size.width  # the place found is in sight
        title = table.get_row_at(0)[2]
        assert str(title).startswith("Practice issues") and columns[2].width < len(str(title))
        found = screen.query_one("#search-found", Static)
        assert "Found in note:" in str(found.render()) and "caseloads" in str(found.render())
        await press_and_settle(pilot, "down")
        assert "agency staff" in str(found.render())
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        columns = list(table.columns.values())
        assert columns[2].width == len(str(table.get_row_at(0)[2]))  # the whole title at 120 columns
        assert table.cursor_row == 1
