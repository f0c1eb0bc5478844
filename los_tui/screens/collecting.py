"""When the app's cyclic garbage collector does its full collections: once a key's screen is painted and
the app is settled, never inside a key."""

from __future__ import annotations

import gc
from collections.abc import Callable
from time import monotonic

# Python's own rate: a full (oldest-generation) collection is due after ten of the middle generation.
FULL_DUE_AFTER = 10
# The bound, should the app never settle: Python then collects in full by itself after ten times as many,
# so cyclic garbage cannot pile up without end.
FULL_AT_MOST_AFTER = 100
# Settled: no key, click, mouse move or paste, no worker running and the screen painted, at two looks
# this far apart (the first is often the moment the key's last paint lands).
SETTLED_FOR = 0.02


class QuietCollector:
    """A full collection traverses every object the app keeps (~130,000 once its screens are built):
    57-172 ms that, left to Python, landed at whatever allocation tripped its threshold, inside a key (F3,
    opening a meeting, the review) several times a session. Here Python's younger generations collect as
    before (cheap, and where most cyclic garbage dies); a full collection due is held back to the bound
    and done once the app has settled after the key instead: the user is then reading the screen."""

    def __init__(self, clock: Callable[[], float] = monotonic) -> None:
        self.clock = clock
        self.last_input = clock()
        self.full_collections = 0  # done here, once settled
        self.collecting = False  # one of those is under way
        self._settled_since: float | None = None
        self._thresholds: tuple[int, int, int] | None = None

    def start(self) -> None:
        if self._thresholds is None:
            self._thresholds = gc.get_threshold()
            gc.set_threshold(self._thresholds[0], self._thresholds[1], FULL_AT_MOST_AFTER)

    def stop(self) -> None:
        """Python's thresholds as they were (tests run many apps in one process)."""
        if self._thresholds is not None:
            gc.set_threshold(*self._thresholds)
            self._thresholds = None

    def input_seen(self) -> None:
        self.last_input = self.clock()
        self._settled_since = None

    @staticmethod
    def due() -> bool:
        return gc.isenabled() and gc.get_count()[2] >= FULL_DUE_AFTER

    def collect_if_settled(self, settled: Callable[[], bool]) -> bool | None:
        """A full collection if one is due and the app has settled (`settled()`: no worker running, the
        screen painted); True if it ran, None if none is due, False if it must wait."""
        if not self.due():
            self._settled_since = None
            return None
        now = self.clock()
        if not settled():
            self._settled_since = None
            return False
        if self._settled_since is None:
            self._settled_since = now
        if now - self._settled_since < SETTLED_FOR or now - self.last_input < SETTLED_FOR:
            return False
        self._settled_since = None
        self.collecting = True
        try:
            gc.collect()
        finally:
            self.collecting = False
        self.full_collections += 1
        return True
