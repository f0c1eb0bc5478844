"""What a store keeps open between uses, a diary file's and a server's alike: reading connections to use
again, one connection watching for others' commits, and the engine writes go through; closed together."""

from __future__ import annotations

from collections.abc import Callable
from threading import Lock
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


class Closable(Protocol):
    def close(self) -> None: ...


Connection = TypeVar("Connection", bound=Closable)


class KeptConnections(Generic[Connection]):
    def __init__(self) -> None:
        self._engine: Engine | None = None
        self._engine_lock = Lock()
        self._idle: list[Connection] = []  # reading connections, used again
        self._idle_lock = Lock()
        self._closed = False
        self._watch: Connection | None = None  # opened on first use by the store's data_version
        self._watch_lock = Lock()

    def _engine_made_once(self, make: Callable[[], Engine]) -> Engine:
        with self._engine_lock:
            if self._engine is None:
                self._engine = make()
            return self._engine

    def _reading_connection_kept(self) -> Connection | None:
        with self._idle_lock:
            return self._idle.pop() if self._idle else None

    def _keep_for_reading(self, connection: Connection) -> None:
        """Kept to read again, unless the store was closed meanwhile (then closed too)."""
        with self._idle_lock:
            if not self._closed:
                self._idle.append(connection)
                return
        connection.close()

    def close(self) -> None:
        with self._watch_lock:
            if self._watch is not None:
                self._watch.close()
                self._watch = None
        with self._idle_lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()
        with self._engine_lock:
            if self._engine is not None:
                self._engine.dispose()
