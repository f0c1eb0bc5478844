"""What the app keeps from one showing to the next: the month's first look, read before the diary is open,
and the one meeting screen and one review screen, refilled and shown once filled rather than built anew."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from threading import Event
from typing import Any, Generic, TypeVar

from textual.app import App
from textual.screen import Screen

from los_tui.domain.model import Occurrence

S = TypeVar("S", bound=Screen[Any])

# How long a kept screen waits for its data before it is shown unfilled.
SHOW_UNREAD_AFTER = 0.05


class FirstLook:
    """This month's meetings, read with the standard library before any screen is built, handed once to
    the month screen so it paints once, with its meetings; the diary opens properly after that paint."""

    def __init__(self) -> None:
        self._kept: tuple[date, list[Occurrence]] | None = None
        self._painted = Event()  # set once the first look is on screen (or there is none to show)

    def keep(self, month: date, found: list[Occurrence] | None) -> None:
        if found is not None:
            self._kept = (month, found)

    def take(self, month: date) -> list[Occurrence] | None:
        """`month`'s meetings, once; None if there were none read for it (the diary then opens at once).
        The taker calls `painted` once it has shown them."""
        kept, self._kept = self._kept, None
        if kept is None or kept[0] != month:
            self._painted.set()
            return None
        return kept[1]

    def painted(self, app: App[Any]) -> None:
        app.call_after_refresh(self._painted.set)

    @property
    def is_painted(self) -> bool:
        return self._painted.is_set()

    def wait_until_painted(self, timeout: float) -> None:
        self._painted.wait(timeout=timeout)


def show_once_filled(
    app: App[Any],
    fill: Callable[[Callable[[], None]], None],
    show: Callable[[], None],
    after_its_messages: bool = False,
) -> None:
    """`fill(shown)` puts a kept screen's data on it and calls `shown`; `show` (push it, or switch to its
    mode) runs then, once, so it paints once, filled; a slow or failed read shows it anyway after
    SHOW_UNREAD_AFTER.

    `after_its_messages` shows it only after the messages the fill posted are handled: the meeting
    screen's text areas and table post several, which arriving after the first paint made Textual paint a
    second frame ~20 ms later (measured: 35 ms to 11 ms).
    """
    waiting = True

    def shown() -> None:
        nonlocal waiting
        if waiting:
            waiting = False
            if after_its_messages:
                app.call_later(show)
            else:
                show()

    fill(shown)
    app.set_timer(SHOW_UNREAD_AFTER, shown)


class KeptScreen(Generic[S]):
    """One screen of a kind, built once and refilled for each showing: building a new meeting screen each
    time cost several times more than refilling one. `push` shows it once `fill` has put its data on it, so
    it paints once, filled; a slow or failed read shows it anyway after SHOW_UNREAD_AFTER."""

    def __init__(self, app: App[Any], name: str) -> None:
        self.app = app
        self.name = name
        self.screen: S | None = None
        self._about_to_show = False  # filled, not pushed yet: a second Enter meanwhile opens nothing more

    @property
    def about_to_show(self) -> bool:
        return self._about_to_show

    def keep(self, screen: S) -> None:
        self.screen = screen
        self.app.install_screen(screen, self.name)

    def push_once_filled(
        self, fill: Callable[[Callable[[], None]], None], after_its_messages: bool = False
    ) -> None:
        """Push the kept screen once `fill(shown)` has filled it (see `show_once_filled`)."""
        screen = self.screen
        assert screen is not None
        self._about_to_show = True

        def push() -> None:
            self._about_to_show = False
            self.app.push_screen(screen)

        show_once_filled(self.app, fill, push, after_its_messages)
