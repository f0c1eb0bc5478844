"""The Textual application: opens on today's month; every database call runs in a thread worker."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from functools import partial
from importlib import import_module
from pathlib import Path
from threading import Event, Lock
from typing import TYPE_CHECKING, Any, ClassVar
from zoneinfo import ZoneInfo

from rich.segment import Segments
from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from los_tui.cli.context import EXIT_INPUT
from los_tui.config import Config
from los_tui.db.errors import StoreError
from los_tui.domain.model import Commitment, Occurrence
from los_tui.domain.parsing import InputError
from los_tui.screens.base import DiaryScreen, in_background
from los_tui.screens.month import MonthScreen
from los_tui.services.first_look import peek_agenda
from los_tui.widgets.footer import forget_closed_watchers
from los_tui.widgets.literal import visible
from los_tui.widgets.month_grid import WEEKS, first_visible_day

if TYPE_CHECKING:
    from los_tui.screens.occurrence import OccurrenceScreen
    from los_tui.screens.review import ReviewScreen
    from los_tui.services.diary import Clock, Diary

# What each screen is for, shown at the top of its help.
ABOUT = {  # by class name: most screens are loaded on first use
    "MonthScreen": "Month: move with the arrows or h/j/k/l, Enter opens the day's meeting, "
    "click a day to select it.",
    "AgendaScreen": "Agenda: meetings over a range; Enter opens one.",
    "OccurrenceScreen": "One meeting: set its status with a single key (after Tab out of the note), "
    "write notes and questions (saved as you type), add actions, move this one meeting with m, "
    "or change the whole series with S.",
    "CommitmentsScreen": "Commitments: everything you have committed to, grouped by role. "
    "e schedules the selected one (or changes its series from a date on).",
    "SearchScreen": "Search: type words and press Enter; Enter on a result opens it.",
    "ReviewScreen": "Review: what each commitment owed this quarter and what happened; [ and ] change "
    "quarter, Enter lists a commitment's meetings, where a, d, p, m or c log one; e exports the report.",
}

# The longest the full open waits for the first look to reach the screen.
FIRST_PAINT_WAIT = 1.0

# How long a kept meeting or review screen waits for its data before it is shown unfilled.
SHOW_UNREAD_AFTER = 0.05

# How often the app asks SQLite whether another program (another `los`, another TUI) changed the diary.
WATCH_SECONDS = 2.0


def _screen(module: str, name: str) -> Screen[None]:
    """A main screen, its module loaded when the user first goes there (start-up loads only the month)."""
    screen: Screen[None] = getattr(import_module(f"los_tui.screens.{module}"), name)()
    return screen


def is_meeting_screen(screen: Screen[Any]) -> bool:
    """The one-meeting screen, named without loading its module (it is loaded once a meeting opens)."""
    module = sys.modules.get("los_tui.screens.occurrence")
    return module is not None and isinstance(screen, module.OccurrenceScreen)


class LineOfSightApp(App[None]):
    TITLE = "Line of sight"
    CSS_PATH = "app.tcss"
    # One stack per mode, so each main screen keeps its place. The review and the calendar-file dialogs
    # open on top of whichever screen is showing (bindings below), and Esc comes back to it.
    MODES: ClassVar[dict[str, str | Callable[[], Screen[None]]]] = {
        "month": MonthScreen,
        "agenda": lambda: _screen("agenda", "AgendaScreen"),
        "commitments": lambda: _screen("commitments", "CommitmentsScreen"),
        "search": lambda: _screen("search", "SearchScreen"),
    }
    DEFAULT_MODE = "month"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("question_mark,f1", "help", "Help", id="help"),
        Binding("f2", "switch_mode('month')", "Month", id="screen.month"),
        Binding("f3", "switch_mode('agenda')", "Agenda", id="screen.agenda"),
        Binding("f4", "switch_mode('commitments')", "Commitments", id="screen.commitments"),
        Binding("f5,slash", "switch_mode('search')", "Search", id="screen.search"),
        Binding("f6", "new_entry", "Ad hoc entry", show=False, id="new_entry"),
        Binding("f7", "review", "Review", id="screen.review"),
        Binding("f8", "export_calendar", "Export .ics", show=False, id="calendar.export"),
        Binding("f9", "import_calendar", "Import .ics", show=False, id="calendar.import"),
    ]

    def __init__(self, db_path: Path, config: Config, clock: Clock) -> None:
        super().__init__()
        self.db_path = db_path
        self.config = config
        self.clock = clock
        self.tz = config.tz
        self.diary: Diary | None = None
        self._seen_version: int | None = None
        # Writes the store refused (held by another program past the busy timeout) from a screen that
        # has since closed: retried on every watch tick until they land, so no typed note is lost.
        self._retries: list[Callable[[Diary], object]] = []
        self._retries_lock = Lock()
        # The meeting and review screens are kept and refilled; while one waits for its data it is here.
        self._meeting_screen: OccurrenceScreen | None = None
        self._review_screen: ReviewScreen | None = None
        self._about_to_show: set[Screen[Any]] = set()
        self._first_look: tuple[date, list[Occurrence]] | None = None
        self._first_frame = Event()  # set once the first look has been painted

    def now(self) -> datetime:
        return self.clock().astimezone(ZoneInfo(self.tz))

    def today(self) -> date:
        return self.now().date()

    def on_load(self) -> None:
        # This month first, read with the standard library in a few milliseconds (a lock held elsewhere
        # waits at most 0.2 s), before any screen is built: the month screen then paints once, with its
        # meetings. Read in a worker instead, it arrived only after several frames (the worker waits on
        # the interpreter while they are drawn), and the month was drawn twice.
        month = self.today().replace(day=1)
        first = first_visible_day(month)
        found = peek_agenda(self.db_path, first, first + timedelta(days=7 * WEEKS - 1), self.tz)
        if found is not None:
            self._first_look = (month, found)

    def on_mount(self) -> None:
        self.set_keymap(self.config.keys)
        self.open_diary(after_the_first_frame=not self._first_frame.is_set())

    def first_look(self, month: date) -> list[Occurrence] | None:
        """`month`'s meetings as read before the diary was open, once (the month screen asks on mount).
        The caller that gets them calls `first_look_painted` once they are shown."""
        kept, self._first_look = self._first_look, None
        if kept is None or kept[0] != month:
            self._first_frame.set()  # nothing to paint first: open the diary at once
            return None
        return kept[1]

    def first_look_painted(self) -> None:
        self.call_after_refresh(self._first_frame.set)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def open_diary(self, after_the_first_frame: bool = False) -> None:
        # The diary opens properly (checks, migrations, the daily backup) once the first look is on
        # screen, so its work does not slow the first frame; then the screen reloads through it.
        if after_the_first_frame:
            self._first_frame.wait(timeout=FIRST_PAINT_WAIT)
        from los_tui.services.diary import Diary

        try:
            # A damaged diary still opens, read-only, so the user can see what is there and where the
            # latest backup is; every write is then refused with that message.
            diary = Diary.open(self.db_path, clock=self.clock, tz=self.tz, allow_damaged=True)
        except Exception as exc:  # shown, not raised: the user sees a message, never a traceback
            self.call_from_thread(self.exit, None, EXIT_INPUT, f"los: error: {exc}")
            return
        self.diary = diary
        self._seen_version = diary.data_version()  # changes from here on are someone else's, or ours
        if diary.role_choice() is None:
            from los_tui.screens.dialogs import RoleQuestion  # only on the very first start

            self.call_from_thread(self.push_screen, RoleQuestion(), self._initialise)
        else:
            self.call_from_thread(self._diary_ready)

    def _initialise(self, choice: str | None) -> None:
        self.seed(choice or "both")

    @work(thread=True, exclusive=True, exit_on_error=False)
    def seed(self, choice: str) -> None:
        assert self.diary is not None
        self.diary.init(choice)
        self.call_from_thread(self._diary_ready)

    def _diary_ready(self) -> None:
        assert self.diary is not None
        if self.diary.health.damage:
            self.notify(
                self.diary.health.damage, title="Read-only", severity="error", timeout=30, markup=False
            )
        for notice in self.diary.health.notices:
            self.notify(notice, severity="warning", timeout=15, markup=False)
        if isinstance(self.screen, DiaryScreen):
            self.screen.reload()
        self.set_interval(WATCH_SECONDS, self.watch_for_changes)

    @work(thread=True, exclusive=True, group="watch", exit_on_error=False)
    def watch_for_changes(self) -> None:
        """Refresh what is shown when the diary changed under us (the CLI, a second TUI)."""
        if self.diary is None:
            return
        self._retry_refused_writes(self.diary)
        notice = self.diary.damaged_text_notice()
        if notice:
            self.call_from_thread(
                self.notify, notice, title="Damaged text", severity="warning", timeout=30, markup=False
            )
        version = self.diary.data_version()
        if version != self._seen_version:
            self._seen_version = version
            self.call_from_thread(self._refresh_shown)

    def retry_later(self, write: Callable[[Diary], object]) -> None:
        """Keep a refused write and try it again on the next watch tick (called from any thread)."""
        with self._retries_lock:
            self._retries.append(write)

    def _retry_refused_writes(self, diary: Diary) -> None:
        with self._retries_lock:
            waiting, self._retries = self._retries, []
        still = []
        for write in waiting:
            try:
                write(diary)
            except StoreError:
                still.append(write)
            else:
                self.call_from_thread(self.notify, "Saved what could not be written earlier.")
        with self._retries_lock:
            self._retries[:0] = still

    def _refresh_shown(self) -> None:
        screen = self.screen
        # A meeting being edited is left alone: reloading it could replace what is being typed.
        if not is_meeting_screen(screen):
            reload = getattr(screen, "reload", None)  # the main screens and the review have one
            if callable(reload):
                reload()

    def push_screen(self, *args: Any, **kwargs: Any) -> Any:
        # Each screen opened leaves its Header and text areas watching the app until the app's theme or
        # title next changes (Textualize/textual#6666): let the closed ones go before the next opens.
        forget_closed_watchers(self)
        return super().push_screen(*args, **kwargs)

    def _show_once_filled(
        self,
        screen: Screen[Any],
        fill: Callable[[Callable[[], None]], None],
        after_its_messages: bool = False,
    ) -> None:
        """Push a kept screen once `fill(shown)` has put its data on it and called `shown`, so it paints
        once, filled; a slow or failed read shows it anyway after SHOW_UNREAD_AFTER.

        `after_its_messages` pushes it only after the messages the fill posted are handled: the meeting
        screen's text areas and table post several, which arriving after the first paint made Textual
        paint a second frame ~20 ms later (measured: 35 ms to 11 ms). The review is faster pushed at once.
        """
        self._about_to_show.add(screen)
        waiting = True  # this opening's screen is not pushed yet (`shown` comes from the fill or the timer)

        def push() -> None:
            self._about_to_show.discard(screen)  # only now: a second Enter until then opens nothing more
            self.push_screen(screen)

        def shown() -> None:
            nonlocal waiting
            if waiting:
                waiting = False
                if after_its_messages:
                    self.call_later(push)
                else:
                    push()

        fill(shown)
        self.set_timer(SHOW_UNREAD_AFTER, shown)

    # -- things any screen can ask for -------------------------------------------------------------
    def open_occurrence(self, occurrence: Occurrence) -> None:
        from los_tui.screens.occurrence import OccurrenceScreen

        # One meeting screen is kept and refilled: building a new one each time cost several times more.
        # Another is made only while the kept one is open (in another mode's stack).
        kept = self._meeting_screen
        if kept is not None and kept in self._about_to_show:
            return  # the kept screen is about to be shown: a second Enter opens nothing more
        if kept is not None and not kept.in_use:
            kept.in_use = True
            kept.show(occurrence)
            self._show_once_filled(kept, lambda shown: kept.reload(then=shown), after_its_messages=True)
            return
        screen = OccurrenceScreen(occurrence)
        if kept is None:
            self._meeting_screen = screen
            self.install_screen(screen, "meeting")
        screen.in_use = True
        self.push_screen(screen)

    def edit_schedule(self, slug: str) -> None:
        if isinstance(self.screen, DiaryScreen):
            from los_tui.screens.commitments import schedule_commitment

            schedule_commitment(self.screen, slug)

    def new_entry(self, day: date | None = None) -> None:
        from los_tui.screens.adhoc import AdhocDraft, AdhocEntry

        screen = self.screen
        if not isinstance(screen, DiaryScreen):
            return
        on = day or self.today()

        def chosen(draft: object) -> None:
            if isinstance(draft, AdhocDraft):
                in_background(
                    screen,
                    lambda diary: diary.meetings.add_adhoc(
                        draft.slug, draft.start, draft.all_day, draft.status, draft.note, extra=draft.extra
                    ),
                    lambda added: screen.reload_saying(f"Recorded {added.title}."),
                )

        def ask(commitments: list[Commitment]) -> None:
            self.push_screen(AdhocEntry(commitments, on, self.tz, self.now()), chosen)

        in_background(screen, lambda diary: diary.commitments.list(), ask)

    def action_new_entry(self) -> None:
        self.new_entry()

    def action_review(self) -> None:
        from los_tui.domain.periods import Quarter
        from los_tui.screens.review import ReviewScreen

        if self.diary is None or isinstance(self.screen, ReviewScreen):
            return
        # Kept once built, like the meeting screen: shown again, it is refilled for this quarter.
        kept = self._review_screen
        if kept is None:
            screen = self._review_screen = ReviewScreen(self.diary, self.clock)
            self.install_screen(screen, "review")
        elif kept in self._about_to_show:
            return
        elif kept.in_use:  # open in another mode's stack
            screen = ReviewScreen(self.diary, self.clock)
        else:
            kept.in_use = True
            quarter = Quarter.containing(self.today())
            if kept.reuse_if_still_true(quarter):
                self.push_screen(kept)  # nothing has changed since it was counted: shown as it is
            else:
                self._show_once_filled(kept, lambda shown: kept.show_quarter(quarter, then=shown))
            return
        screen.in_use = True
        self.push_screen(screen)

    def action_export_calendar(self) -> None:
        from los_tui.screens.ical import ExportCalendarScreen

        if self.diary is not None:
            self.push_screen(ExportCalendarScreen(self.diary, self.clock))

    def action_import_calendar(self) -> None:
        from los_tui.screens.ical import ImportCalendarScreen

        if self.diary is not None:
            self.push_screen(ImportCalendarScreen(self.diary, self.clock), self._after_import)

    def _after_import(self, written: int | None) -> None:
        if written and isinstance(self.screen, DiaryScreen):
            self.screen.reload()

    def action_help(self) -> None:
        from los_tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        about = ABOUT.get(type(self.screen).__name__, "")
        self.push_screen(HelpScreen(self.screen, about))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for binding in self.BINDINGS:
            assert isinstance(binding, Binding)
            if binding.action != "quit":
                yield SystemCommand(
                    binding.description, f"key: {binding.key}", partial(self.run_action, binding.action)
                )
        for active in screen.active_bindings.values():
            if active.node is screen:
                binding = active.binding
                yield SystemCommand(
                    f"{binding.description}",
                    f"{type(screen).__name__.removesuffix('Screen')} screen, key: {binding.key}",
                    partial(screen.run_action, binding.action),
                )

    async def action_quit(self) -> None:
        # Written here, on the way out, rather than in a worker: a worker could be cut off by the exit.
        # Every quit (q, ctrl+q, the command palette) comes here; nothing here may raise, and what it
        # says never quotes what was typed.
        if self.diary is not None:
            try:
                for screen in self.screen_stack:
                    if is_meeting_screen(screen) and screen.unsaved:  # type: ignore[attr-defined]
                        problem = screen.draft.problem()  # type: ignore[attr-defined]
                        if problem is not None:
                            self._stay_open(f"{problem}. Change it first")
                            return
                        screen.write_texts(self.diary)  # type: ignore[attr-defined]
                self._retry_refused_writes_now(self.diary)
            except (StoreError, InputError) as exc:
                # Quitting now would lose what was typed: stay open, say why, let the user try again.
                self._stay_open(f"{exc}. Press q again in a moment")
                return
            except Exception as exc:  # an internal error: named by its kind only (its message may quote)
                self._stay_open(f"What was typed could not be saved (internal error: {type(exc).__name__})")
                return
        self.exit()

    def _stay_open(self, why: str) -> None:
        self.notify(
            f"{visible(why)}. Not quitting, so nothing typed is lost.",
            title="Still open",
            severity="error",
            timeout=15,
            markup=False,
        )

    def _fatal_error(self) -> None:
        """An unexpected error ends the app: say where, never what. Textual's own report is a traceback
        with each frame's locals, and its message, either of which can hold a note being typed; this
        one keeps the frames (file, line, code) and leaves out the locals and the message."""
        from rich.traceback import Traceback

        self.bell()
        report = Traceback(show_locals=False, width=None)
        for stack in report.trace.stacks:
            stack.exc_value = "(the message is left out: it may quote what was typed)"
            stack.syntax_error = None
        self._exit_renderables.append(Segments(self.console.render(report, self.console.options)))
        self._close_messages_no_wait()

    def _retry_refused_writes_now(self, diary: Diary) -> None:
        """On the way out: every kept write lands, or StoreError says why not (and keeps it)."""
        with self._retries_lock:
            waiting, self._retries = self._retries, []
        for index, write in enumerate(waiting):
            try:
                write(diary)
            except StoreError:
                with self._retries_lock:
                    self._retries[:0] = waiting[index:]
                raise

    def on_unmount(self) -> None:
        if self.diary is not None:
            self.diary.close()
