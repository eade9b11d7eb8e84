"""A tiny Qt-free observer, so the core can say "films changed" without knowing who listens.

Callbacks run in the thread that made the change; the UI adapter re-emits them as queued Qt
signals so widgets are only ever touched from the GUI thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)

#: Kinds of record a change can be about.
KINDS = ("film", "person", "viewing", "review", "watchlist", "comment", "tag", "trash", "journal",
         "blog")


class ChangeEvents:
    def __init__(self) -> None:
        self._listeners: list[Callable[[str, tuple[int, ...]], None]] = []
        self._lock = threading.Lock()
        self._suspended = 0
        self._pending: dict[str, set[int]] = {}

    def subscribe(self, callback: Callable[[str, tuple[int, ...]], None]) -> None:
        with self._lock:
            self._listeners.append(callback)

    def unsubscribe(self, callback: Callable[[str, tuple[int, ...]], None]) -> None:
        with self._lock:
            if callback in self._listeners:
                self._listeners.remove(callback)

    def emit(self, kind: str, *ids: int) -> None:
        assert kind in KINDS, kind
        with self._lock:
            if self._suspended:
                self._pending.setdefault(kind, set()).update(ids)
                return
            listeners = list(self._listeners)
        for callback in listeners:
            try:
                callback(kind, tuple(ids))
            except Exception:  # a listener's bug must not undo a committed write
                log.exception("change listener failed")

    def batch(self) -> _Batch:
        """Collect events during a bulk operation (an import) and send each kind once at the end."""
        return _Batch(self)


class _Batch:
    def __init__(self, events: ChangeEvents) -> None:
        self.events = events

    def __enter__(self) -> None:
        with self.events._lock:
            self.events._suspended += 1

    def __exit__(self, *exc: object) -> None:
        with self.events._lock:
            self.events._suspended -= 1
            pending = self.events._pending if not self.events._suspended else {}
            if not self.events._suspended:
                self.events._pending = {}
        for kind, ids in pending.items():
            self.events.emit(kind, *sorted(ids))
