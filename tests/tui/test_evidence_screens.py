"""The actions screen (F11) and the assurance screen (F12), driven by keys through the real app on a real
diary: what they list and in what order, what their keys write, that the assurance grid says what `los
assurance` says, and that both follow changes made elsewhere."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from diary_testing import NOW, Result
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, Static
from tui_support import (
    BOARD,
    at_the_november_board,
    diary_with_the_board,
    make_app,
    press_and_settle,
    settled,
)

from los_tui.domain.model import Status
from los_tui.screens.actions import ActionsScreen, NewActionDialog
from los_tui.screens.assurance import GAP, AssuranceScreen, MeetingsBehindScreen, WriteStatementDialog
from los_tui.screens.meeting import MeetingScreen
from los_tui.screens.month import MonthScreen
from los_tui.services.diary import Diary
from los_tui.widgets.footer import KeyFooter

OCTOBER_BOARD = NOW.replace(month=10, day=13, hour=18, minute=30)
JULY_BOARD = NOW.replace(month=7, day=14, hour=18, minute=30)
OCTOBER, NOVEMBER = 7, 8  # the grid's columns: the factor's name, then April (1) to March (12)


def followed_up_diary(db_path: Path) -> None:
    """The board scheduled; July's and October's attended; at October's, question 5.9 asked and four
    actions agreed: one overdue (DCS), two open (the Lead Member's, and one nobody owns), one done."""
    diary_with_the_board(db_path)
    diary = Diary.open(db_path, clock=lambda: NOW)
    diary.meetings.log(BOARD, JULY_BOARD, True, Status.ATTENDED)
    october = diary.meetings.log(BOARD, OCTOBER_BOARD, True, Status.ATTENDED, note="Private note").occurrence
    diary.evidence.ask(october, "5.9", "Caseloads are falling")
    diary.actions.add(october, "Invite the CiCC chair", "Lead Member", date(2026, 12, 15))
    diary.actions.add(october, "Ask about agency staff", "", None)
    diary.actions.add(october, "Send the audit summary", "DCS", date(2026, 11, 1))
    _, done = diary.actions.add(october, "Circulate the minutes", "Clerk", date(2026, 10, 20))
    diary.actions.update(done.id, done=True)
    diary.close()


def rows(table: DataTable[object]) -> list[list[str]]:
    return [[str(cell).strip() for cell in table.get_row_at(index)] for index in range(table.row_count)]


def stored_actions(db_path: Path) -> dict[str, tuple[str, date | None, bool]]:
    diary = Diary.open(db_path, clock=lambda: NOW, create=False)
    try:
        return {
            r.action.text: (r.action.owner, r.action.due, r.action.done) for r in diary.evidence.actions()
        }
    finally:
        diary.close()


async def open_screen(pilot: Pilot[None], key: str) -> DataTable[object]:
    await press_and_settle(pilot, key)
    return pilot.app.screen.query_one(DataTable)


# -- the actions screen --------------------------------------------------------------------------------


async def test_f11_lists_the_open_actions_overdue_first_then_by_owner_and_d_shows_the_done_ones(
    db_path: Path,
) -> None:
    followed_up_diary(db_path)
    app = make_app(db_path)
    async with settled(app, (80, 24)) as pilot:
        table = await open_screen(pilot, "f11")
        assert isinstance(app.screen, ActionsScreen)
        listed = rows(table)
        assert [(r[0], r[2], r[3]) for r in listed] == [
            ("! OVERDUE", "DCS", "Send the audit summary"),
            ("○ open", "Lead Member", "Invite the CiCC chair"),
            ("○ open", "", "Ask about agency staff"),  # nobody's: after those with an owner
        ]
        assert all("13 Oct 2026" in r[4] for r in listed)
        assert app.screen.sub_title == "Actions: 3 open, 1 overdue"
        detail = str(app.screen.query_one("#action-detail", Static).render())
        assert "Send the audit summary · DCS · due Sun 01 Nov 2026" in detail
        await press_and_settle(pilot, "D")
        assert [r[3] for r in rows(table)][-1] == "Circulate the minutes" and rows(table)[-1][0] == "✓ done"
        await press_and_settle(pilot, "D")
        assert len(rows(table)) == 3


async def test_f11_and_f12_land_on_their_screens_from_a_meeting_and_the_footer_lists_them(
    db_path: Path,
) -> None:
    async with at_the_november_board(db_path, (80, 24)) as (app, pilot):
        descriptions = [key.description for key in app.screen.query_one(KeyFooter).keys]
        assert {"Actions", "Assurance", "palette"} <= set(descriptions)
        await press_and_settle(pilot, "f11")
        assert isinstance(app.screen, ActionsScreen) and len(app.screen_stack) == 1
        await press_and_settle(pilot, "f12")
        assert isinstance(app.screen, AssuranceScreen)
        await press_and_settle(pilot, "escape")
        assert isinstance(app.screen, MonthScreen)


async def test_the_command_palette_finds_both_screens_by_name(db_path: Path) -> None:
    diary_with_the_board(db_path)
    app = make_app(db_path)
    async with settled(app, (80, 24)):
        commands = [command.title for command in app.get_system_commands(app.screen)]
        assert "Actions" in commands and "Assurance" in commands


async def test_space_marks_the_selected_action_done_and_again_open(db_path: Path) -> None:
    followed_up_diary(db_path)
    app = make_app(db_path)
    async with settled(app, (80, 24)) as pilot:
        table = await open_screen(pilot, "f11")
        await press_and_settle(pilot, "space")  # the overdue one, first
        assert stored_actions(db_path)["Send the audit summary"][2] is True
        assert "Send the audit summary" not in [r[3] for r in rows(table)]
        await press_and_settle(pilot, "D")
        table.move_cursor(row=[r[3] for r in rows(table)].index("Send the audit summary"))
        await press_and_settle(pilot, "space")
        assert stored_actions(db_path)["Send the audit summary"][2] is False


async def test_e_edits_the_selected_action(db_path: Path) -> None:
    followed_up_diary(db_path)
    app = make_app(db_path)
    async with settled(app, (80, 24)) as pilot:
        await open_screen(pilot, "f11")
        await press_and_settle(pilot, "down", "e")  # the Lead Member's
        owner = app.screen.query_one("#action-owner", Input)
        owner.value = "DCS"
        await press_and_settle(pilot, "ctrl+s")
        assert isinstance(app.screen, ActionsScreen)
    assert stored_actions(db_path)["Invite the CiCC chair"] == ("DCS", date(2026, 12, 15), False)


async def test_editing_an_action_types_after_its_text_never_over_it(db_path: Path) -> None:
    followed_up_diary(db_path)
    app = make_app(db_path)
    async with settled(app, (80, 24)) as pilot:
        await open_screen(pilot, "f11")
        await press_and_settle(pilot, "down", "e")  # the Lead Member's
        await press_and_settle(pilot, *" by Friday", "tab", *" and the PA", "tab", "backspace", "6", "ctrl+s")
        assert isinstance(app.screen, ActionsScreen)
    assert stored_actions(db_path)["Invite the CiCC chair by Friday"] == (
        "Lead Member and the PA",
        date(2026, 12, 16),
        False,
    )


async def test_n_adds_an_action_at_the_meeting_chosen_and_a_bad_due_date_is_named(db_path: Path) -> None:
    followed_up_diary(db_path)
    app = make_app(db_path)
    async with settled(app, (80, 24)) as pilot:
        table = await open_screen(pilot, "f11")
        await press_and_settle(pilot, "n")
        dialog = app.screen
        assert isinstance(dialog, NewActionDialog)
        chosen = dialog.meetings[int(str(dialog.query_one(Select).value))]
        assert chosen.start.date() == date(2026, 11, 10)  # the latest meeting begun: November's board
        dialog.query_one(Select).value = [o.start for o in dialog.meetings].index(OCTOBER_BOARD)
        await press_and_settle(pilot, *"Report on caseloads", "tab", *"DCS", "tab", *"2026-13-01", "enter")
        assert app.screen is dialog  # refused, nothing written, and said with the field's name
        [refusal] = [str(n.message) for n in app._notifications if n.severity == "error"]
        assert refusal.startswith("due") and "2026-13-01" in refusal
        assert "Report on caseloads" not in stored_actions(db_path)
        await press_and_settle(pilot, *["backspace"] * 10, *"2026-12-01", "enter")
        assert isinstance(app.screen, ActionsScreen)
        assert "Report on caseloads" in [r[3] for r in rows(table)]
    assert stored_actions(db_path)["Report on caseloads"] == ("DCS", date(2026, 12, 1), False)
    diary = Diary.open(db_path, clock=lambda: NOW, create=False)
    [raised] = [r for r in diary.evidence.actions() if r.action.text == "Report on caseloads"]
    diary.close()
    assert raised.raised_on == OCTOBER_BOARD.date()


async def test_enter_opens_the_meeting_an_action_arose_at(db_path: Path) -> None:
    followed_up_diary(db_path)
    app = make_app(db_path)
    async with settled(app, (80, 24)) as pilot:
        await open_screen(pilot, "f11")
        await press_and_settle(pilot, "enter")
        screen = app.screen
        assert isinstance(screen, MeetingScreen) and screen.occurrence.start == OCTOBER_BOARD
        await press_and_settle(pilot, "escape")
        assert isinstance(app.screen, ActionsScreen)


async def test_an_action_done_elsewhere_leaves_the_list_without_a_restart(db_path: Path) -> None:
    followed_up_diary(db_path)
    app = make_app(db_path)
    async with settled(app, (80, 24)) as pilot:
        table = await open_screen(pilot, "f11")
        other = Diary.open(db_path, clock=lambda: NOW, create=False)
        [overdue] = [r for r in other.evidence.actions() if r.action.text == "Send the audit summary"]
        other.actions.update(overdue.action.id, done=True)  # as `los action done` would
        other.close()
        app.watch_for_changes()
        await press_and_settle(pilot)
        assert [r[3] for r in rows(table)] == ["Invite the CiCC chair", "Ask about agency staff"]


async def test_the_actions_stay_listed_when_the_terminal_is_resized(db_path: Path) -> None:
    # Rebuilding the columns for a new width once dropped the rows it was meant to put back: a PA
    # resizing the terminal was told nothing was open until leaving the screen and coming back.
    followed_up_diary(db_path)
    app = make_app(db_path)
    async with settled(app, (120, 40)) as pilot:
        table = await open_screen(pilot, "f11")
        await press_and_settle(pilot, "down")
        listed = rows(table)
        for size in ((80, 24), (120, 40)):
            await pilot.resize_terminal(*size)
            await press_and_settle(pilot)
            assert app.screen.sub_title == "Actions: 3 open, 1 overdue"
            assert [r[3] for r in rows(table)] == [r[3] for r in listed]
            assert table.cursor_row == 1  # still on the action chosen
            assert sum(column.get_render_width(table) for column in table.columns.values()) <= size[0]


# -- the assurance screen ------------------------------------------------------------------------------


def grid(table: DataTable[object]) -> list[list[str]]:
    return rows(table)


async def test_f12_shows_each_factor_by_month_as_los_assurance_counts_it(
    db_path: Path, los: Callable[..., Result]
) -> None:
    followed_up_diary(db_path)
    statement = json.loads(los("assurance", "--year", "2026/27", "--json").out)
    app = make_app(db_path)
    async with settled(app, (80, 24)) as pilot:
        table = await open_screen(pilot, "f12")
        shown = grid(table)
    assert len(shown) == 7
    for row, factor in zip(shown, statement["factors"], strict=True):
        assert row[0].startswith(str(factor["factor"]))
        for cell, month in zip(row[1:13], factor["by_month"], strict=True):
            if month["month"] > "2026-11":
                assert cell == "·"  # still to come
            elif (month["meetings"], month["questions"]) == (0, 0):
                assert cell == GAP
            else:
                assert cell == f"{month['meetings']}/{month['questions']}"
        assert row[13] == (GAP if factor["gap"] else f"{factor['meetings']}/{factor['questions_asked']}")
    performance = shown[4]  # factor 5: the board gives sight of it, and 5.9 was asked in October
    assert performance[OCTOBER] == "1/1" and performance[NOVEMBER] == GAP


async def test_a_gap_is_a_word_on_the_screen_not_only_a_colour(db_path: Path) -> None:
    followed_up_diary(db_path)
    app = make_app(db_path)
    async with settled(app, (80, 24)) as pilot:
        table = await open_screen(pilot, "f12")
        culture = table.get_row_at(1)  # nothing under culture all year
        assert [cell.plain.strip() for cell in culture[1:9]] == [GAP] * 8  # April to November
        summary = str(app.screen.query_one("#assurance-summary", Static).render())
        assert "No sight all year: 2 Culture" in summary
        assert "Attendance: 2 of 8 meetings due so far (25%)" in summary
        assert "raised 4, done 1, open 3, overdue 1" in summary


async def test_at_80_columns_the_twelve_months_and_the_year_fit(db_path: Path) -> None:
    followed_up_diary(db_path)
    app = make_app(db_path)
    async with settled(app, (80, 24)) as pilot:
        table = await open_screen(pilot, "f12")
        assert table.virtual_size.width <= table.size.width <= 80
        footer = app.screen.query_one(KeyFooter)
        keys = footer.keys
        assert keys and all(
            footer.region_of(key).right <= 80 and footer.region_of(key).bottom <= 24 for key in keys
        )
        assert {"Prev year", "Write statement", "Assurance"} <= {key.description for key in keys}


async def test_enter_on_a_cell_lists_the_meetings_behind_it_and_enter_opens_one(db_path: Path) -> None:
    followed_up_diary(db_path)
    app = make_app(db_path)
    async with settled(app, (80, 24)) as pilot:
        table = await open_screen(pilot, "f12")
        assert table.cursor_coordinate == (0, NOVEMBER)  # this month, first factor
        await press_and_settle(pilot, "left", *["down"] * 4, "enter")  # October, factor 5
        behind = app.screen
        assert isinstance(behind, MeetingsBehindScreen)
        [listed] = rows(behind.query_one(DataTable))
        assert listed[0].startswith("Tue 13 Oct 2026") and listed[2] == "seen; asked 5.9"
        await press_and_settle(pilot, "enter")
        assert isinstance(app.screen, MeetingScreen) and app.screen.occurrence.start == OCTOBER_BOARD
        await press_and_settle(pilot, "escape")
        assert app.screen is behind
        await press_and_settle(pilot, "escape", "right", "enter")  # November: a gap, and why
        heading = str(app.screen.query_one("#behind-heading", Static).render())
        assert "a gap" in heading and "Children's Improvement Board (LMCS)" in heading
        assert app.screen.query_one(DataTable).row_count == 0


async def test_the_period_keys_change_the_council_year(db_path: Path) -> None:
    followed_up_diary(db_path)
    app = make_app(db_path)
    async with settled(app, (80, 24)) as pilot:
        table = await open_screen(pilot, "f12")
        title = app.screen.query_one("#assurance-title", Static)
        await press_and_settle(pilot, "pageup")
        assert "Line of sight 2025/26" in str(title.render())
        assert {row[OCTOBER] for row in grid(table)} == {GAP}  # nothing in the diary then
        await press_and_settle(pilot, "right_square_bracket", "right_square_bracket")
        assert "Line of sight 2027/28" in str(title.render())
        assert {row[OCTOBER] for row in grid(table)} == {"·"}  # a year still to come owes nothing yet


async def test_w_writes_the_statement_and_a_name_it_cannot_write_is_refused_naming_the_field(
    db_path: Path, tmp_path: Path
) -> None:
    followed_up_diary(db_path)
    app = make_app(db_path)
    async with settled(app, (80, 24)) as pilot:
        await open_screen(pilot, "f12")
        await press_and_settle(pilot, "w")
        assert isinstance(app.screen, WriteStatementDialog)
        app.screen.query_one(Input).value = str(tmp_path / "statement.pdf")
        await press_and_settle(pilot, "enter")
        [refusal] = [str(n.message) for n in app._notifications if n.severity == "error"]
        assert refusal.startswith("file name") and "statement.pdf" in refusal
        assert not (tmp_path / "statement.pdf").exists()
        # Refused in the dialog, which stays with the name typed, to be put right (it closed, name lost).
        assert isinstance(app.screen, WriteStatementDialog)
        assert app.screen.query_one(Input).value == str(tmp_path / "statement.pdf")
        app.screen.query_one(Input).value = str(tmp_path / "no-such-folder" / "statement.html")
        await press_and_settle(pilot, "enter")
        assert isinstance(app.screen, WriteStatementDialog)
        app.screen.query_one(Input).value = str(tmp_path / "statement.html")
        await press_and_settle(pilot, "enter")
    written = (tmp_path / "statement.html").read_text()
    assert "Caseloads are falling" not in written and "Private note" not in written
    assert "Performance management and quality assurance" in written


async def test_the_grid_follows_a_meeting_logged_elsewhere(db_path: Path) -> None:
    followed_up_diary(db_path)
    app = make_app(db_path)
    async with settled(app, (80, 24)) as pilot:
        table = await open_screen(pilot, "f12")
        assert grid(table)[0][NOVEMBER] == GAP
        other = Diary.open(db_path, clock=lambda: NOW, create=False)
        other.meetings.log(BOARD, NOW.replace(day=10, hour=18, minute=30), True, Status.ATTENDED)
        other.close()
        app.watch_for_changes()
        await press_and_settle(pilot)
        assert grid(table)[0][NOVEMBER] == "1/0"


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_help_lists_both_screens_and_their_keys(db_path: Path, size: tuple[int, int]) -> None:
    followed_up_diary(db_path)
    app = make_app(db_path)
    async with settled(app, size) as pilot:
        for key, words in (("f11", ("Show done", "Done/undone")), ("f12", ("Prev year", "Write statement"))):
            await press_and_settle(pilot, key, "f1")
            shown = "\n".join(str(s.render()) for s in app.screen.query(Static))
            assert "f11" in shown.lower() and "Actions" in shown and "Assurance" in shown
            assert all(word in shown for word in words)
            await press_and_settle(pilot, "escape")
