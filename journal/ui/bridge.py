"""Adapters between the Qt-free core and Qt: change events as signals, slow work on workers."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from journal.core.events import Changes
from journal.core.journal import Journal

log = logging.getLogger(__name__)


class JournalSignals(QObject):
    """Re-emits the journal's change events as a Qt signal, always delivered in the GUI thread.

    ``changed`` carries one :class:`~journal.core.events.Changes`: a page connects a slot
    ``(changes: Changes) -> None`` and reads the kinds it shows (``changes.reviews``, …)."""

    changed = Signal(object)

    def __init__(self, journal: Journal, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.journal = journal
        journal.events.subscribe(self._on_change)

    def _on_change(self, changes: Changes) -> None:
        # Emitting from any thread is safe: connections to GUI objects are queued across threads.
        self.changed.emit(changes)

    def detach(self) -> None:
        self.journal.events.unsubscribe(self._on_change)


class CancelToken:
    """Passed to slow work; the work checks ``cancelled`` between steps and reports progress."""

    def __init__(self, report: Callable[[int, int, str], None]) -> None:
        self._event = threading.Event()
        self._report = report

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def progress(self, done: int, total: int, message: str = "") -> None:
        self._report(done, total, message)


class _TaskSignals(QObject):
    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[CancelToken], Any], signals: _TaskSignals,
                 token: CancelToken) -> None:
        super().__init__()
        self.fn, self.signals, self.token = fn, signals, token

    def run(self) -> None:
        try:
            result = self.fn(self.token)
        except BaseException as exc:  # delivered to the GUI thread, which decides what to show
            self._deliver(self.signals.failed, exc)
        else:
            self._deliver(self.signals.finished, result)

    @staticmethod
    def _deliver(signal: Any, value: object) -> None:
        try:
            signal.emit(value)
        except RuntimeError:  # the receiver was destroyed (the app is quitting): nobody to tell
            log.debug("worker result dropped: receiver gone")


class Worker(QObject):
    """Runs ``fn(token)`` on the thread pool; results and errors come back as signals.

    Never touch widgets inside ``fn``: it runs on another thread.
    """

    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, fn: Callable[[CancelToken], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._signals = _TaskSignals()
        self._signals.progress.connect(self.progress)
        self._signals.finished.connect(self._done)
        self._signals.failed.connect(self._fail)
        self.token = CancelToken(self._signals.progress.emit)
        self._task = _Task(fn, self._signals, self.token)
        self._task.setAutoDelete(False)
        self.running = False

    def start(self) -> Worker:
        self.running = True
        QThreadPool.globalInstance().start(self._task)
        return self

    def cancel(self) -> None:
        self.token.cancel()

    @Slot(object)
    def _done(self, result: object) -> None:
        self.running = False
        self.finished.emit(result)

    @Slot(object)
    def _fail(self, exc: object) -> None:
        self.running = False
        self.failed.emit(exc)
