"""The export and import dialogs, driven with Pilot on a minimal app: the user picks what to export and
sees where it went, and previews an Outlook file before confirming that its meetings are logged."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import icalendar
import pytest
from diary_testing import NOW
from ical_diary import MONTHLY, build_fixed_diary
from textual.app import App
from textual.screen import Screen
from textual.widgets import DataTable, Input, Select, SelectionList, Static
from tui_support import settle

from los_tui.domain.model import Status
from los_tui.screens.ical import ExportCalendarScreen, ImportCalendarScreen
from los_tui.services.diary import Diary

OUTLOOK_QUARTER = Path(__file__).resolve().parents[1] / "fixtures" / "outlook_quarter.ics"


class Host(App[None]):
    """Just enough app to show one dialog and remember what it returned."""

    def __init__(self, dialog: Screen[Any]) -> None:
        super().__init__()
        self.dialog = dialog
        self.returned: list[object] = []

    def on_mount(self) -> None:
        self.push_screen(self.dialog, self.returned.append)


@pytest.fixture
def fixed_diary(tmp_path: Path) -> Iterator[Diary]:
    diary = build_fixed_diary(tmp_path / "fixed.sqlite3")
    yield diary
    diary.close()


async def test_exporting_the_lead_members_lines_writes_a_private_file_and_says_so(
    fixed_diary: Diary, tmp_path: Path
) -> None:
    target = tmp_path / "lmcs.ics"
    dialog = ExportCalendarScreen(fixed_diary, clock=lambda: NOW)
    app = Host(dialog)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        assert len(dialog.query_one("#commitments", SelectionList).options) == 5
        dialog.query_one("#role", Select).value = "lmcs"
        await pilot.pause()
        assert len(dialog.query_one("#commitments", SelectionList).options) == 4
        dialog.query_one("#path", Input).value = str(target)
        dialog.query_one("#alarm", Input).value = "30"
        await pilot.click("#export")
        await settle(pilot)
        shown = str(dialog.query_one("#result", Static).render())
        assert f"Wrote {target}" in shown
        assert "4 series, 1 cancelled" in shown
        await pilot.click("#close")
        await pilot.pause()
    assert app.returned == [target]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    calendar = icalendar.Calendar.from_ical(target.read_bytes())
    masters = [e for e in calendar.walk("VEVENT") if "RRULE" in e]
    assert len(masters) == 4 and "Foster carers" not in target.read_text()
    assert all(len(e.walk("VALARM")) == 1 for e in calendar.walk("VEVENT"))


async def test_a_folder_that_does_not_exist_is_reported_and_nothing_written(
    fixed_diary: Diary, tmp_path: Path
) -> None:
    dialog = ExportCalendarScreen(fixed_diary, clock=lambda: NOW)
    app = Host(dialog)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        dialog.query_one("#path", Input).value = str(tmp_path / "missing" / "x.ics")
        await pilot.click("#export")
        await settle(pilot)
        result = dialog.query_one("#result", Static)
        assert "does not exist" in str(result.render())
        assert result.has_class("error")
    assert not (tmp_path / "missing").exists()


async def test_importing_outlooks_quarter_previews_then_logs_on_confirmation(db_path: Path) -> None:
    diary = Diary.open(db_path, clock=lambda: NOW)
    diary.init("lmcs")
    diary.commitments.schedule(MONTHLY.slug, MONTHLY.rrule, MONTHLY.start, MONTHLY.duration)
    dialog = ImportCalendarScreen(diary, clock=lambda: NOW)
    app = Host(dialog)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        dialog.query_one("#path", Input).value = str(OUTLOOK_QUARTER)
        await pilot.click("#preview")
        await settle(pilot)
        assert dialog.query_one(DataTable).row_count == 7
        assert "unmatched" in str(dialog.query_one("#result", Static).render())
        assert [o.status for o in diary.meetings.agenda(date(2026, 7, 1), date(2026, 7, 31))] == [
            None
        ]  # not yet
        await pilot.click("#apply")
        await settle(pilot)
    assert app.returned == [5]
    july = diary.meetings.agenda(date(2026, 7, 1), date(2026, 7, 31))
    assert [(o.title, o.status, o.is_adhoc) for o in july] == [
        ("Children's Improvement Board", Status.ATTENDED, False),
        ("Visit to a team", Status.ATTENDED, True),
    ]
    diary.close()


async def test_a_broken_file_is_refused_in_the_dialog(db_path: Path, tmp_path: Path) -> None:
    diary = Diary.open(db_path, clock=lambda: NOW)
    diary.init("lmcs")
    broken = tmp_path / "broken.ics"
    broken.write_bytes(b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:nonsense\r\n")
    dialog = ImportCalendarScreen(diary, clock=lambda: NOW)
    app = Host(dialog)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        dialog.query_one("#path", Input).value = str(broken)
        await pilot.click("#preview")
        await settle(pilot)
        result = dialog.query_one("#result", Static)
        assert "broken.ics" in str(result.render()) and result.has_class("error")
        assert dialog.query_one("#apply").disabled
    diary.close()
