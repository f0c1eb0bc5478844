"""What every diary screen shares: database work in thread workers, and errors shown, never raised."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar
from weakref import WeakKeyDictionary

from textual import events
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from los_tui.domain.errors import LosError
from los_tui.screens.errors import in_words
from los_tui.widgets.literal import visible

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
) -> Worker[None] | None:
    """Run `job(diary)` in a thread worker and hand its result to `then` on the UI thread.

    The UI never waits on SQLite; a LosError becomes an error notification.
    `outlive_screen` gives the worker to the app, so a write started as a screen closes is not
    cancelled with it. Returns None (and does nothing) until the diary has been opened.
    """
    app: LineOfSightApp = screen.app  # type: ignore[assignment]
    diary = app.diary
    if diary is None:
        return None

    def run() -> None:
        try:
            result = job(diary)
        except LosError as exc:
            app.call_from_thread(app.notify, in_words(exc), title="Not done", severity="error", markup=False)
            return
        app.call_from_thread(then, result)

    owner = app if outlive_screen else screen
    return owner.run_worker(run, thread=True, exit_on_error=False, group=group)


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
        event.refresh_styles = False
    STYLED_FOR[screen] = theme


class DiaryScreen(Screen[None]):
    """A full screen over the diary: it paints at once and (re)loads its data whenever it is shown."""

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        keep_styles_unless_the_theme_changed(self, event)
        self.refresh_on_resume()

    def refresh_on_resume(self) -> None:
        # A plain method, not a handler: Textual calls every class's on_screen_resume along the MRO.
        self.reload()

    def reload(self) -> None:
        """Fetch this screen's data in a worker; called when shown and when the diary becomes ready."""

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
