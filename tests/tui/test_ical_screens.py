"""The export and import dialogs, driven with Pilot on a minimal app: the user picks what to export and
sees where it went, and previews an Outlook file before confirming that its meetings are logged."""

from __future__ import annotations

import stat
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import icalendar
import pytest
from diary_testing import NOW
from ical_diary import MONTHLY, build_fixed_diary
from textual.app import App
from textual.screen import Screen
from textual.widgets import DataTable, Input, ProgressBar, Select, SelectionList, Static
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


def _busy_year(path: Path, meetings: int) -> Path:
    """An Outlook-like save: `meetings` single meetings of a team visit over the year before NOW."""
    first = datetime(2025, 12, 1, 9, tzinfo=UTC)
    events = "".join(
        f"BEGIN:VEVENT\r\nUID:busy-{n}\r\nDTSTAMP:20260101T000000Z\r\n"
        f"DTSTART:{first + timedelta(minutes=195 * n):%Y%m%dT%H%M%SZ}\r\n"
        "SUMMARY:Visit to a team\r\nEND:VEVENT\r\n"
        for n in range(meetings)
    )
    path.write_bytes(
        f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{events}END:VCALENDAR\r\n".encode()
    )
    return path


async def test_a_long_import_shows_its_progress(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Shown for work over half a second; here from the first report, so the test does not depend on speed.
    monkeypatch.setattr(ImportCalendarScreen, "PROGRESS_AFTER", 0.0)
    diary = Diary.open(db_path, clock=lambda: NOW)
    diary.init("lmcs")
    dialog = ImportCalendarScreen(diary, clock=lambda: NOW)
    app = Host(dialog)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        assert not dialog.query_one("#progress-row").display  # nothing to show before any work
        dialog.query_one("#path", Input).value = str(_busy_year(tmp_path / "year.ics", 600))
        await pilot.click("#preview")
        await settle(pilot)
        assert dialog.query_one("#progress-row").display
        bar = dialog.query_one("#progress", ProgressBar)
        assert bar.total == 600 and bar.progress == 600
        assert str(dialog.query_one("#stage", Static).render()) == "Matching meetings to commitments"
        assert dialog.query_one(DataTable).row_count == 600
        await pilot.click("#apply")
        await settle(pilot)
    assert app.returned == [600]
    diary.close()


async def test_one_meeting_imported_is_counted_as_one_meeting(db_path: Path, tmp_path: Path) -> None:
    diary = Diary.open(db_path, clock=lambda: NOW)
    diary.init("lmcs")
    dialog = ImportCalendarScreen(diary, clock=lambda: NOW)
    app = Host(dialog)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        dialog.query_one("#path", Input).value = str(_busy_year(tmp_path / "one.ics", 1))
        await pilot.click("#preview")
        await settle(pilot)
        assert str(dialog.query_one("#result", Static).render()).startswith("1 meeting; 1 to log as attended")
        await pilot.click("#apply")
        await settle(pilot)
        assert [str(note.message) for note in app._notifications] == ["Logged 1 meeting as attended"]
    assert app.returned == [1]
    diary.close()


async def test_a_progress_report_never_waits_for_the_screen(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The import's worker reports through a message and goes on: a report waiting for the UI thread
    (as `call_from_thread` does) would hold the import up whenever the screen is busy."""
    monkeypatch.setattr(ImportCalendarScreen, "PROGRESS_AFTER", 0.0)
    diary = Diary.open(db_path, clock=lambda: NOW)
    diary.init("lmcs")
    dialog = ImportCalendarScreen(diary, clock=lambda: NOW)
    app = Host(dialog)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        report = dialog._progress()
        worker = threading.Thread(target=report, args=("Logging meetings", 400, 1000))
        worker.start()
        worker.join(timeout=10)  # the UI thread is this one, busy here: it handles nothing meanwhile
        finished = not worker.is_alive()
        await settle(pilot)  # the screen handles the report now
        worker.join()
        assert finished
        bar = dialog.query_one("#progress", ProgressBar)
        assert (bar.progress, bar.total) == (400, 1000)
        assert str(dialog.query_one("#stage", Static).render()) == "Logging meetings"
    diary.close()


async def test_a_quick_import_shows_no_progress_bar(db_path: Path) -> None:
    diary = Diary.open(db_path, clock=lambda: NOW)
    diary.init("lmcs")
    dialog = ImportCalendarScreen(diary, clock=lambda: NOW)
    dialog.PROGRESS_AFTER = 3600.0  # however slow the machine, this import is "quick"
    app = Host(dialog)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        dialog.query_one("#path", Input).value = str(OUTLOOK_QUARTER)
        await pilot.click("#preview")
        await settle(pilot)
        assert dialog.query_one(DataTable).row_count == 7
        assert not dialog.query_one("#progress-row").display
    diary.close()


async def test_a_hostile_file_cannot_reach_the_terminal_from_the_dialog(
    db_path: Path, tmp_path: Path
) -> None:
    diary = Diary.open(db_path, clock=lambda: NOW)
    diary.init("lmcs")
    hostile = tmp_path / "cal\x1b]0;owned\x07.ics"
    escapes = "\x1b[2J\x1b]52;c;cm0gLXJmIH4=\x07\x9b31m\u202e"
    hostile.write_bytes(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:u"
        + escapes.encode()
        + b"\r\nDTSTART:20260801T090000Z\r\nSUMMARY:Board"
        + escapes.encode()
        + b"\r\nRRULE:FREQ=DAILY;INTERVAL=0"
        + escapes.encode()
        + b"\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    dialog = ImportCalendarScreen(diary, clock=lambda: NOW)
    app = Host(dialog)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        dialog.query_one("#path", Input).value = str(hostile)
        await pilot.click("#preview")
        await settle(pilot)
        result = dialog.query_one("#result", Static)
        shown = str(result.render()) + "".join(str(n.message) for n in app._notifications)
        assert result.has_class("error") and "Board" in shown and "cal" in shown
        for char in "\x1b\x07\x9b\u202e":
            assert char not in shown
    diary.close()
