"""The Textual application: routes keys to screens, one screen stack (mode) per F-key, and opens the diary
off the UI thread; what each screen does lives in los_tui/screens."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from functools import partial
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from zoneinfo import ZoneInfo

from rich.segment import Segments
from textual import events
from textual.app import App, ScreenStackError, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widget import AwaitMount

from los_tui.config import Config
from los_tui.db.errors import StoreError
from los_tui.domain.model import Commitment, Occurrence
from los_tui.domain.parsing import InputError
from los_tui.exit_status import EXIT_INPUT
from los_tui.screens.base import DiaryScreen, in_background
from los_tui.screens.collecting import SETTLED_FOR, QuietCollector
from los_tui.screens.errors import in_words
from los_tui.screens.jobs import REFUSALS, RunsJobs, run_job
from los_tui.screens.keys import as_command_only, bind, keys_for
from los_tui.screens.month import MonthScreen
from los_tui.screens.refused_writes import RefusedWrites
from los_tui.screens.showing import FirstLook, KeptScreen, show_once_filled
from los_tui.services.first_look import peek_agenda
from los_tui.widgets.literal import visible
from los_tui.widgets.month_grid import WEEKS, first_visible_day
from los_tui.widgets.textual_internals import forget_closed_watchers, screen_is_painted

if TYPE_CHECKING:
    from los_tui.db.paths import DiaryLocation
    from los_tui.screens.meeting import MeetingScreen
    from los_tui.screens.review import ReviewScreen
    from los_tui.services.diary import Clock, Diary

# The longest the full open waits for the first look to reach the screen.
FIRST_PAINT_WAIT = 1.0

# How often the app asks SQLite whether another program (another `los`, another TUI) changed the diary.
WATCH_SECONDS = 2.0

# The longest the cyclic garbage collector stays off after the first frame (see los_tui.main.open_app),
# should the diary not be open by then (the first start's question, a slow server).
COLLECTOR_OFF_AT_MOST = 3.0


def _screen(module: str, name: str) -> Screen[None]:
    """A main screen, its module loaded when the user first goes there (start-up loads only the month)."""
    screen: Screen[None] = getattr(import_module(f"los_tui.screens.{module}"), name)()
    return screen


class LineOfSightApp(RunsJobs, App[None]):
    TITLE = "Line of sight"
    CSS_PATH = "app.tcss"
    # One stack per main screen: an F-key lands on its screen from anywhere, and Esc goes back within it.
    # The review (F7) is opened over whichever of them is showing, after what was on it is closed, so it
    # too lands from anywhere; Esc goes back to the screen it was opened from. (Kept and pushed, it is
    # shown without the full re-layout Textual gives a screen on every switch of mode.)
    MODES: ClassVar[dict[str, str | Callable[[], Screen[None]]]] = {
        "month": MonthScreen,
        "agenda": lambda: _screen("agenda", "AgendaScreen"),
        "commitments": lambda: _screen("commitments", "CommitmentsScreen"),
        "search": lambda: _screen("search", "SearchScreen"),
        "actions": lambda: _screen("actions", "ActionsScreen"),
        "assurance": lambda: _screen("assurance", "AssuranceScreen"),
    }
    DEFAULT_MODE = "month"
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("quit", "quit"),
        bind("quit.anywhere", "quit", show=False, priority=True),  # Textual's own ctrl+q, with an id
        bind("help", "help"),
        bind("screen.month", "go('month')"),
        bind("screen.agenda", "go('agenda')"),
        bind("screen.commitments", "go('commitments')"),
        bind("screen.search", "go('search')"),
        bind("new_entry", "new_entry", show=False),
        bind("screen.review", "go('review')"),
        bind("calendar.export", "export_calendar", show=False),
        bind("calendar.import", "import_calendar", show=False),
        bind("screen.actions", "go('actions')"),
        bind("screen.assurance", "go('assurance')"),
    ]

    def __init__(self, db_path: DiaryLocation, config: Config, clock: Clock) -> None:
        super().__init__()
        self.db_path = db_path
        self.config = config
        self.clock = clock
        self.tz = config.tz
        self.diary: Diary | None = None
        self._seen_version: int | None = None
        self._watching = False  # a look for changes made elsewhere is under way
        self.refused_writes = RefusedWrites()  # retried on every watch tick until they land
        self.collector = QuietCollector()  # full collections wait until a key's screen is painted
        self._collection_waits = False
        self.first_look_kept = FirstLook()
        self.meetings: KeptScreen[MeetingScreen] = KeptScreen(self, "meeting")
        self.review: KeptScreen[ReviewScreen] = KeptScreen(self, "review")
        self.main_screens: dict[str, Screen[Any]] = {}  # each mode's own screen, once it has been shown
        self._switching_mode = False
        self._mode_to_show: str | None = None  # a main screen read afresh, to be shown once filled
        # Before any screen is composed, so the first screen's footer shows the user's keys at once.
        self.set_keymap(config.keys)

    def now(self) -> datetime:
        return self.clock().astimezone(ZoneInfo(self.tz))

    def today(self) -> date:
        return self.now().date()

    # -- opening the diary ----------------------------------------------------------------------------
    def on_load(self) -> None:
        # This month first, read with the standard library in a few milliseconds (a lock held elsewhere
        # waits at most 0.2 s), before any screen is built: the month screen then paints once, with its
        # meetings. Read in a worker instead, it arrived only after several frames.
        month = self.today().replace(day=1)
        first = first_visible_day(month)
        found = None  # a diary on a server is first seen once open: its connection is the slow part
        if isinstance(self.db_path, Path):
            found = peek_agenda(self.db_path, first, first + timedelta(days=7 * WEEKS - 1), self.tz)
        self.first_look_kept.keep(month, found)

    def on_mount(self) -> None:
        self.set_timer(COLLECTOR_OFF_AT_MOST, self.collect_after_start)
        self.collector.start()
        if not isinstance(self.db_path, Path) or self.db_path.exists():
            self.open_diary(after_the_first_frame=not self.first_look_kept.is_painted)
        else:
            # The very first start: ask whose diary this is before anything is written; q quits.
            self.ask_whose_diary(then_open=True)

    def first_look(self, month: date) -> list[Occurrence] | None:
        """`month`'s meetings as read before the diary was open, once (the month screen asks on mount).
        The caller that gets them calls `first_look_painted` once they are shown."""
        return self.first_look_kept.take(month)

    def first_look_painted(self) -> None:
        self.first_look_kept.painted(self)

    def ask_whose_diary(self, then_open: bool) -> None:
        from los_tui.screens.dialogs import RoleQuestion  # only on the very first start

        def answered(choice: str | None) -> None:
            if choice is None:
                self.exit()  # q or Esc: nothing has been created
            elif then_open:
                self.open_diary(role=choice)
            else:
                self.seed(choice)

        self.push_screen(RoleQuestion(), answered)

    def open_diary(self, after_the_first_frame: bool = False, role: str | None = None) -> None:
        """Open the diary (checks, migrations, the daily backup) off the UI thread, once the first look
        is on screen so its work does not slow the first frame; with `role`, set it up for that role."""

        def open_it() -> tuple[Diary, int, bool]:
            if after_the_first_frame:
                self.first_look_kept.wait_until_painted(FIRST_PAINT_WAIT)
            from los_tui.services.diary import Diary

            # A damaged diary still opens, read-only, so the user can see what is there and where the
            # latest backup is; every write is then refused with that message.
            try:
                diary = Diary.open(self.db_path, clock=self.clock, tz=self.tz, allow_damaged=True)
                if role is not None:
                    diary.init(role)
                # Here rather than on the UI thread: on a server the first look for changes opens the
                # watching connection (a round trip to connect, one to LISTEN), then the role is a read.
                seen = diary.data_version()  # changes from here on are someone else's, or ours
                set_up = diary.role_choice() is not None
            except REFUSALS:
                raise
            except Exception as exc:  # shown, not raised: the user sees a message, never a traceback
                raise StoreError(str(exc)) from exc
            return diary, seen, set_up

        run_job(self, open_it, self._opened, self._cannot_open, group="open", exclusive=True)

    def _cannot_open(self, reason: str) -> None:
        self.exit(None, EXIT_INPUT, f"los: error: {reason}")

    def _opened(self, opened: tuple[Diary, int, bool]) -> None:
        self.diary, self._seen_version, set_up = opened
        if not set_up:
            self.ask_whose_diary(then_open=False)  # a diary made elsewhere and never set up
        else:
            self._diary_ready()

    def seed(self, choice: str) -> None:
        diary = self.diary
        assert diary is not None
        run_job(self, lambda: diary.init(choice), lambda _count: self._diary_ready(), group="open")

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
        self.collect_after_start()

    @staticmethod
    def collect_after_start() -> None:
        """Turn the cyclic garbage collector back on, after one collection of what the start left, if
        `los` turned it off while the app started (los_tui.main.open_app); otherwise nothing."""
        if not gc.isenabled():
            gc.collect()
            gc.enable()

    # -- changes made elsewhere, and writes to try again -----------------------------------------------
    def watch_for_changes(self) -> None:
        """Refresh what is shown when the diary changed under us (the CLI, a second TUI)."""
        diary = self.diary
        if diary is None:
            return

        if self._watching:
            return  # the last look is still going (a busy store): no second one alongside
        self._watching = True

        def look() -> tuple[int, bool, str | None]:
            saved = self.refused_writes.retry(diary)
            version = diary.data_version()
            changed, self._seen_version = version != self._seen_version, version
            return saved, changed, diary.damaged_text_notice()

        # A look that fails (the diary busy or closing) is simply tried again on the next tick.
        run_job(self, look, self._looked, self._look_failed, group="watch")

    def _look_failed(self, _reason: str) -> None:
        self._watching = False  # tried again on the next tick

    def _looked(self, found: tuple[int, bool, str | None]) -> None:
        self._watching = False
        saved, changed, damaged_text = found
        if saved:
            self.notify("Saved what could not be written earlier.")
        if damaged_text:
            self.notify(damaged_text, title="Damaged text", severity="warning", timeout=30, markup=False)
        if changed:
            self._refresh_shown()

    def retry_later(self, write: Callable[[Diary], object]) -> None:
        """Keep a refused write and try it again on the next watch tick (called from any thread)."""
        self.refused_writes.keep(write)

    def _refresh_shown(self) -> None:
        try:
            screen = self.screen
        except ScreenStackError:  # a look that ends as the app closes: nothing is shown to refresh
            return
        if isinstance(screen, DiaryScreen) and screen.REFRESH_ON_OUTSIDE_CHANGE:
            screen.reload()

    def push_screen(self, *args: Any, **kwargs: Any) -> Any:
        # Each screen opened leaves its Header and text areas watching the app until the app's theme or
        # title next changes (Textualize/textual#6666): let the closed ones go before the next opens.
        forget_closed_watchers(self)
        return super().push_screen(*args, **kwargs)

    # -- where the keys go ------------------------------------------------------------------------------
    def action_go(self, mode: str) -> None:
        """Land on a main screen from anywhere: what was opened on top of the one being left is closed
        (a meeting saves its note as it goes), so each F-key always shows its own screen."""
        if mode == self._mode_to_show:
            return  # being read to be shown: pressing its key again shows nothing more
        self._mode_to_show = None  # another key since: the screen being read is not shown after all
        if mode == "review" and self.diary is None:
            return  # the review is built over the open diary: a moment after start
        if mode == "review":
            self._open_the_review()
            return
        self._back_to_the_bottom()
        if mode == self.current_mode:
            return
        shown_before = self.main_screens.get(mode)
        if isinstance(shown_before, DiaryScreen) and shown_before.READ_BEFORE_SHOWN:
            # Read afresh and filled first, then shown: painted once, with what the diary holds now.
            self._mode_to_show = mode
            show_once_filled(self, shown_before.read_for_showing, lambda: self._show_mode(mode))
        else:
            self.switch_mode(mode)

    def _show_mode(self, mode: str) -> None:
        if self._mode_to_show == mode:  # unless another key went elsewhere meanwhile
            self._mode_to_show = None
            if mode != self.current_mode:
                self.switch_mode(mode)

    def switch_mode(self, mode: str) -> AwaitMount:
        # Textual holds every repaint for 50 ms after a switch of mode (`delay_update`), to hide a screen
        # drawn in stages; ours are shown filled (or, the first time, built and drawn in one frame), so
        # the screen switched to is painted at the next frame.
        self._switching_mode = True
        try:
            shown = super().switch_mode(mode)
        finally:
            self._switching_mode = False
        self.main_screens.setdefault(mode, self.screen_stack[0])
        return shown

    @property
    def switching_mode(self) -> bool:
        """Whether a switch of mode is under way (a screen shown again, not a resize)."""
        return self._switching_mode

    def delay_update(self, delay: float = 0.05) -> None:
        if not self._switching_mode:  # still held for the command palette's closing
            super().delay_update(delay)

    def _open_the_review(self) -> None:
        from los_tui.screens.review import ReviewScreen

        if isinstance(self.screen, ReviewScreen) or self.review.about_to_show:
            return
        self._back_to_the_bottom()
        assert self.diary is not None
        kept = self.review.screen
        if kept is None:
            self.review.keep(ReviewScreen(self.diary, self.clock))
            self.push_screen(self.review.screen)
        else:
            # Counted afresh first (unless nothing has changed since), then shown, so it paints once,
            # with this quarter's counts, rather than last time's and then these.
            self.review.push_once_filled(kept.count_this_quarter)

    def _leave_top(self) -> bool:
        """Close the top screen, unless what is typed there cannot be kept yet (then say why and stay)."""
        screen = self.screen
        if isinstance(screen, DiaryScreen):
            why = self._cannot_leave(screen)
            if why is not None:  # stay, rather than drop what is typed
                self.notify(why, severity="error", markup=False)
                return False
            screen.leave()
        self.pop_screen()
        return True

    def _back_to_the_bottom(self) -> None:
        while len(self.screen_stack) > 1:
            if not self._leave_top():
                return

    def action_go_back(self) -> None:
        """Esc: back one step within this screen's stack; from a main screen, back to the month."""
        self._mode_to_show = None
        if len(self.screen_stack) > 1:
            self._leave_top()
        elif self.current_mode != "month":
            self.switch_mode("month")

    # -- things any screen can ask for -------------------------------------------------------------
    def open_meeting(self, occurrence: Occurrence) -> None:
        from los_tui.screens.meeting import MeetingScreen

        kept = self.meetings.screen
        if self.meetings.about_to_show:
            return  # the kept screen is about to be shown: a second Enter opens nothing more
        if kept is not None and not kept.in_use:
            kept.in_use = True
            self.meetings.push_once_filled(
                lambda shown: kept.show(occurrence, shown), after_its_messages=True
            )
            return
        screen = MeetingScreen(occurrence)
        if kept is None:
            self.meetings.keep(screen)
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

        def read(diary: Diary) -> tuple[list[Commitment], dict[str, dict[datetime, datetime]]]:
            commitments = diary.commitments.list()
            return commitments, diary.meetings.moves([c.slug for c in commitments])

        def ask(found: tuple[list[Commitment], dict[str, dict[datetime, datetime]]]) -> None:
            commitments, moves = found
            self.push_screen(AdhocEntry(commitments, on, self.tz, self.now(), moves), chosen)

        in_background(screen, read, ask)

    def action_new_entry(self) -> None:
        self.new_entry()

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

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_glossary(self) -> None:
        """Help, opened at the box that looks up an abbreviation."""
        from los_tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen, look_up=True))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand(
            "Look up an abbreviation", "The glossary: PSW, LADO, MASH and the rest", self.action_glossary
        )
        for binding in self.BINDINGS:
            assert isinstance(binding, Binding)
            if binding.action != "quit" and binding.id is not None:
                yield SystemCommand(
                    binding.description,
                    f"key: {keys_for(self, binding.id)}",
                    partial(self.run_action, binding.action),
                )
        for active in screen.active_bindings.values():
            if active.node is screen:
                binding = active.binding
                yield SystemCommand(
                    f"{binding.description}",
                    f"{type(screen).__name__.removesuffix('Screen')} screen, "
                    f"key: {self.get_key_display(binding)}",
                    partial(screen.run_action, binding.action),
                )

    async def action_quit(self) -> None:
        # Written here, on the way out, rather than in a worker: a worker could be cut off by the exit.
        # Every quit (q, ctrl+q, the command palette) comes here; nothing here may raise, and what it
        # says never quotes what was typed.
        if self.diary is not None:
            try:
                for screen in self.screen_stack:
                    if isinstance(screen, DiaryScreen):
                        why = self._cannot_leave(screen)
                        if why is not None:
                            self._stay_open(why)
                            return
                        screen.write_unsaved(self.diary)
                self.refused_writes.retry_or_raise(self.diary)
            except (StoreError, InputError) as exc:
                # Quitting now would lose what was typed: stay open, say why, let the user try again.
                self._stay_open(f"{in_words(exc)}. Press {keys_for(self, 'quit', True)} again in a moment")
                return
            except Exception as exc:  # an internal error: named by its kind only (its message may quote)
                self._stay_open(f"What was typed could not be saved (internal error: {type(exc).__name__})")
                return
        self.exit()

    @staticmethod
    def _cannot_leave(screen: Screen[Any]) -> str | None:
        """Why leaving `screen` now would drop what is typed there (a note too long to save), if so."""
        check = getattr(screen, "cannot_leave", None)
        found = check() if callable(check) else None
        return found if isinstance(found, str) else None

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

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent | events.Paste):
            self.collector.input_seen()  # the user is at the keys: no full collection for now
        if isinstance(event, events.Key):
            as_command_only(event)
        await super().on_event(event)

    def on_idle(self) -> None:
        if not self._collection_waits and self.collector.due():
            self._collection_waits = True
            self.set_timer(SETTLED_FOR, self._collect_once_settled)

    def _collect_once_settled(self) -> None:
        """The full collection due, once the key's screen is painted and nothing runs; looked at again
        a moment later until then."""
        if self.collector.collect_if_settled(self._settled) is False:
            self.set_timer(SETTLED_FOR, self._collect_once_settled)
        else:
            self._collection_waits = False

    def _settled(self) -> bool:
        try:
            screen = self.screen
        except ScreenStackError:  # starting or closing: no screen yet, or none left
            return False
        return not any(worker.is_running for worker in self.workers) and screen_is_painted(screen)

    def on_unmount(self) -> None:
        self.collector.stop()
        if self.diary is not None:
            self.diary.close()
