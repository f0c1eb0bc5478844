"""The Textual application: opens on this month's agenda; database work runs in thread workers."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import ClassVar
from zoneinfo import ZoneInfo

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Footer, Header, Label

from los_tui.cli.context import EXIT_INPUT
from los_tui.config import Config
from los_tui.domain.model import Occurrence
from los_tui.services.diary import Clock, Diary


class RoleQuestion(ModalScreen[str]):
    """Asked once, on the very first start: which role is this diary for?"""

    def compose(self) -> ComposeResult:
        with Vertical(id="role-question"):
            yield Label("Who is this diary for?")
            with Horizontal():
                yield Button("Lead Member (LMCS)", id="lmcs")
                yield Button("Director (DCS)", id="dcs")
                yield Button("Both", id="both", variant="primary")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or "both")


class LineOfSightApp(App[None]):
    TITLE = "Line of sight"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("t", "today", "Today", id="today"),
    ]

    def __init__(self, db_path: Path, config: Config, clock: Clock) -> None:
        super().__init__()
        self.db_path = db_path
        self.config = config
        self.clock = clock
        self.diary: Diary | None = None
        self.month = clock().date().replace(day=1)

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="agenda", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("When", "Status", "Role", "Commitment")
        self.open_diary()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def open_diary(self) -> None:
        try:
            diary = Diary.open(self.db_path, clock=self.clock, tz=self.config.tz)
        except Exception as exc:  # shown, not raised: the user sees a message, never a traceback
            self.call_from_thread(self.exit, None, EXIT_INPUT, f"los: error: {exc}")
            return
        self.diary = diary
        if diary.role_choice() is None:
            self.call_from_thread(self.push_screen, RoleQuestion(), self._initialise)
        else:
            self.load_month()

    def _initialise(self, choice: str | None) -> None:
        self.seed(choice or "both")

    @work(thread=True, exclusive=True, exit_on_error=False)
    def seed(self, choice: str) -> None:
        assert self.diary is not None
        self.diary.init(choice)
        self.load_month()

    @work(thread=True, group="load", exclusive=True, exit_on_error=False)
    def load_month(self) -> None:
        assert self.diary is not None
        first = self.month
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        occurrences = self.diary.agenda(first, last)
        self.call_from_thread(self._show, first, occurrences)

    def _show(self, first: date, occurrences: list[Occurrence]) -> None:
        self.sub_title = f"{first:%B %Y}"
        table = self.query_one(DataTable)
        table.clear()
        for occurrence in occurrences:
            start = occurrence.start.astimezone(ZoneInfo(self.config.tz))
            # Text, not str: a DataTable reads a str as markup, and titles are the user's own words.
            table.add_row(
                f"{start:%a %d %b %H:%M}",
                occurrence.status_label,
                occurrence.role.value.upper(),
                Text(occurrence.title),
            )

    def action_today(self) -> None:
        self.month = self.clock().date().replace(day=1)
        self.load_month()

    def on_unmount(self) -> None:
        if self.diary is not None:
            self.diary.close()
