"""Writes the store refused (the diary held by another program past the busy timeout) from a screen that
has since closed: kept and tried again until they land, so no typed note is lost."""

from __future__ import annotations

from collections.abc import Callable
from threading import Lock
from typing import TYPE_CHECKING

from los_tui.db.errors import StoreError

if TYPE_CHECKING:
    from los_tui.services.diary import Diary

Write = Callable[["Diary"], object]


class RefusedWrites:
    def __init__(self) -> None:
        self._waiting: list[Write] = []
        self._lock = Lock()  # kept from a worker, retried from another

    def keep(self, write: Write) -> None:
        with self._lock:
            self._waiting.append(write)

    def retry(self, diary: Diary) -> int:
        """Try each kept write once; those refused again stay kept. Returns how many landed."""
        with self._lock:
            waiting, self._waiting = self._waiting, []
        still = []
        for write in waiting:
            try:
                write(diary)
            except StoreError:
                still.append(write)
        with self._lock:
            self._waiting[:0] = still
        return len(waiting) - len(still)

    def retry_or_raise(self, diary: Diary) -> None:
        """On the way out: every kept write lands, or StoreError says why not (and they stay kept)."""
        with self._lock:
            waiting, self._waiting = self._waiting, []
        for index, write in enumerate(waiting):
            try:
                write(diary)
            except StoreError:
                with self._lock:
                    self._waiting[:0] = waiting[index:]
                raise
