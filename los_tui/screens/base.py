"""What every diary screen shares: database work in thread workers, and errors shown, never raised."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar
from weakref import WeakKeyDictionary

from textual import events
from textual.app import ScreenStackError
from textual.binding import BindingType
from textual.geometry import Region, Size
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget
from textual.worker import Worker, WorkerState

from los_tui.screens.jobs import RunsJobs, run_job
from los_tui.screens.keys import bind
from los_tui.widgets.literal import visible
from los_tui.widgets.textual_internals import (
    drawn_lines,
    drop_copies_of_drawn_lines,
    drop_drawn_lines,
    forget_pending_repaint,
    put_back_drawn_lines,
    repaint_pending,
    skip_restyling,
    styles_key,
)

if TYPE_CHECKING:
    from los_tui.app import LineOfSightApp
    from los_tui.services.diary import Diary

T = TypeVar("T")


def in_background(
    screen: Screen[Any],
    job: Callable[[Diary], T],
    then: Callable[[T], None],
    group: str = "default",
    outlive_screen: bool = False,
    on_failure: Callable[[str], None] | None = None,
    exclusive: bool = False,
) -> Worker[None] | None:
    """Run `job(diary)` off the UI thread (see `run_job`); `then` gets its result on the UI thread.

    `exclusive` cancels the group's older workers (a newer search supersedes an older one).
    `outlive_screen` gives the worker to the app, so a write started as a screen closes is not
    cancelled with it. Returns None (and does nothing) until the diary has been opened.
    """
    app: LineOfSightApp = screen.app  # type: ignore[assignment]
    diary = app.diary
    if diary is None:
        return None
    owner = app if outlive_screen else screen
    return run_job(owner, lambda: job(diary), then, on_failure, group=group, exclusive=exclusive)


def report_failed_worker(screen: Screen[Any], event: Worker.StateChanged) -> None:
    """An unexpected failure in a worker is shown as a notification, so the user is never left guessing."""
    if event.state == WorkerState.ERROR and event.worker.error is not None:
        screen.notify(
            visible(str(event.worker.error)), title="Something went wrong", severity="error", markup=False
        )


# The theme each shown screen was last styled for.
STYLED_FOR: WeakKeyDictionary[Screen[Any], str] = WeakKeyDictionary()


def keep_styles_unless_the_theme_changed(screen: Screen[Any], event: events.ScreenResume) -> None:
    """Spare a screen shown again the restyling of every widget, unless the theme changed meanwhile.

    Textual restyles the whole screen each time it is pushed or its mode is switched to, in case the
    CSS changed while it was hidden; that was most of the cost of showing a kept screen again. Handlers
    run from the most derived class first, so this is seen before Textual's own resume handler.
    """
    theme = screen.app.theme
    if STYLED_FOR.get(screen) == theme:
        skip_restyling(event)
    STYLED_FOR[screen] = theme


def styled_as_mounted(screen: Screen[Any]) -> None:
    """Note that `screen`, just mounted, was styled as its widgets were mounted, for the theme in use: its
    first showing then skips Textual's restyling of every widget too (~15 ms for the month's 97), as a
    later showing does (see keep_styles_unless_the_theme_changed)."""
    STYLED_FOR[screen] = screen.app.theme


class DiaryScreen(RunsJobs, Screen[None]):
    """A full screen over the diary: it paints at once and (re)loads its data whenever it is shown."""

    # Esc, on the screen rather than the app: each screen's footer then shows the same keys however deep
    # the stack is, and is not rebuilt on every opening and closing.
    BINDINGS: ClassVar[list[BindingType]] = [bind("back", "go_back")]

    def action_go_back(self) -> None:
        self.los.action_go_back()

    # Whether this screen lets go of what it drew while another covers it (drawn again from what it holds
    # when shown). The meeting screen does: each opening fills it afresh anyway, and it kept ~1 MB of a
    # council's session (every Strip with seven caches of its own). The month, the agenda and the review
    # keep theirs: drawn afresh, F3 back to the agenda took twice as long and F7 back to the review five
    # times.
    LETS_GO_OF_DRAWN_LINES_WHEN_COVERED = False

    # Whether this screen lets go of the copies Textual made of each line as it painted it (filtered, then
    # cut at other widgets' edges), made again from the lines kept when it is shown. The month keeps its:
    # shown again by every Esc and under every other screen, and shown when a note is saved, it paid
    # ~200 more strips made on every Esc (469 against 266 on a small diary) for nothing off the peak.
    LETS_GO_OF_COPIES_WHEN_COVERED = True

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        keep_styles_unless_the_theme_changed(self, event)
        self.refresh_on_resume()

    def on_screen_suspend(self) -> None:
        # Textual repaints a screen as another is pushed over it and, counting the screen just below the
        # top as showing through, passes that repaint on to the top screen: a second, identical paint of
        # a meeting just opened. Under an opaque screen nothing of this one shows, and shown again it is
        # repainted whole (on_screen_resume), so the repaint is dropped, and so are the copies Textual made
        # of each line as it painted it (two or more strips a line, made again by that repaint from the
        # lines kept: LETS_GO_OF_COPIES_WHEN_COVERED). On a screen that does, the lines drawn go too
        # (LETS_GO_OF_DRAWN_LINES_WHEN_COVERED).
        try:
            top = self.app.screen
        except ScreenStackError:  # the app is closing: nothing is shown
            return
        if top is not self and top.styles.background.a == 1:
            forget_pending_repaint(self)
            if self.LETS_GO_OF_DRAWN_LINES_WHEN_COVERED:
                self._let_go_of_drawn_lines()
            elif self.LETS_GO_OF_COPIES_WHEN_COVERED:
                for widget in self.walk_children(Widget, with_self=True):
                    drop_copies_of_drawn_lines(widget)

    def _let_go_of_drawn_lines(self) -> None:
        """What was drawn, let go of while covered, without drawing again on showing what is the same.

        Each table lets go of its lines (its rows are put in afresh, which draws them again anyway). Every
        other widget, and the screen itself, keeps its lines, which are small, and lets go of the copies
        they made as the screen was painted, which are most of their memory: the screen's background, the
        keys, the header, the labels and the containers' backgrounds are the same from one showing to the
        next, and drawn again they were two thirds of the lines a meeting's opening drew."""
        from textual.widgets import DataTable  # here: not imported for the first screen

        drop_copies_of_drawn_lines(self)
        for widget in self.walk_children(Widget):
            if isinstance(widget, DataTable):
                drop_drawn_lines(widget)
            else:
                drop_copies_of_drawn_lines(widget)

    # What the screen's own lines (its background) were last drawn with: its styles, its size, the theme.
    _own_lines_drawn_with: tuple[int, Size, str] | None = None

    def render_lines(self, crop: Region) -> list[Strip]:
        lines = super().render_lines(crop)
        self._own_lines_drawn_with = (styles_key(self), self.size, self.app.theme)
        return lines

    def _set_dirty(self, *regions: Region) -> None:  # Textual's (textual_internals.SET_DIRTY)
        # Textual marks a screen to be drawn whole again each time it is shown again, its own lines too:
        # 40 lines of a 120x40 screen at every opening of a meeting (half of what an opening drew), every
        # Esc and every F-key. What they show is the screen's background alone (Screen.render: a blank of
        # its colour, the screen being opaque), the same while its styles, size and theme are: then they
        # are kept. Everything on the screen is still drawn again as Textual asks.
        kept = None
        drawn_with = (styles_key(self), self.size, self.app.theme)
        if not regions and self.styles.background.a == 1 and self._own_lines_drawn_with == drawn_with:
            kept = drawn_lines(self)
        super()._set_dirty(*regions)
        if kept:
            put_back_drawn_lines(self, kept)
            # Without the copies the last paints made of them (cut at every widget's edge: ~8 KB a line of
            # a busy screen, and kept across showings they would pile up): this paint makes its own.
            drop_copies_of_drawn_lines(self)

    def _screen_resized(self, size: Size) -> None:  # Textual's (textual_internals.SCREEN_RESIZED)
        # Textual calls this on every switch of mode to the screen, and lays it out whole again even at
        # the size it was laid out at: each table's scroll bar is then redrawn a frame after the screen
        # is shown, a second paint of it. Laid out at this size already, a layout still due (from what
        # changed while it was hidden) is done as the screen is shown; a resize is always laid out.
        if not (getattr(self.app, "switching_mode", False) and size == self.size):
            super()._screen_resized(size)

    def _compositor_refresh(self) -> None:  # Textual's (textual_internals.COMPOSITOR_REFRESH)
        # A layout paints what it moved as it ends. On a screen just shown again, which Textual then paints
        # whole in the same update (its resume asks for that), that first paint would only be drawn over:
        # a whole repaint still due means this one can wait for it.
        if not repaint_pending(self):
            super()._compositor_refresh()

    def refresh_on_resume(self) -> None:
        # A plain method, not a handler: Textual calls every class's on_screen_resume along the MRO.
        self.reload()

    def reload(self) -> None:
        """Fetch this screen's data in a worker; called when shown and when the diary becomes ready."""

    # Whether the app, going back to this main screen, has it read afresh first and shows it once filled
    # (`read_for_showing`), rather than showing it and reloading it as it is shown.
    READ_BEFORE_SHOWN = False

    def read_for_showing(self, shown: Callable[[], None]) -> None:
        """Read this screen's data afresh and show it, then call `shown` (the app shows the screen then);
        its showing then reloads nothing more. Only for a screen that is READ_BEFORE_SHOWN."""
        raise NotImplementedError

    # Whether the app refreshes this screen when another program changes the diary. A meeting being
    # edited is not: reloading it could replace what is being typed.
    REFRESH_ON_OUTSIDE_CHANGE = True

    def leave(self) -> None:
        """About to be taken off the screen stack (Esc, or an F-key going elsewhere): finish up."""

    def write_unsaved(self, diary: Diary) -> None:
        """On quitting, on the UI thread: write anything typed and not yet saved (StoreError if refused)."""

    @property
    def is_loaded(self) -> bool:
        """Whether what is on screen reflects the store (tests and first paint wait on this)."""
        return True

    def reload_saying(self, message: str) -> None:
        """After a change: say what was done (user text, so never markup) and show the new state."""
        self.notify(visible(message), markup=False)
        self.reload()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_failed_worker(self, event)

    @property
    def los(self) -> LineOfSightApp:
        return self.app  # type: ignore[return-value]
