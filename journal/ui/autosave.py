"""Never lose a word: save within 2 s of the last keystroke, on focus loss, page switch and
close; Ctrl+S saves at once. Revision snapshots every few minutes of editing and before
destructive actions.

The saves the timers make of a long review run on a worker (one at a time): typing goes on
meanwhile, the review stays "dirty" until the save is done, and every other save (focus
loss, Ctrl+S, a page switch, close, another review opened) first waits for it."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from journal.core.journal import Journal
from journal.errors import EyelightsError

log = logging.getLogger(__name__)

IDLE_SAVE_MS = 1200  # after the last keystroke (goal: saved within 2 s)
#: While typing without a pause: what was typed is saved within 2 s too (a killed app loses
#: at most that). A review so long that a save takes more than a tenth of this (about 1 MB)
#: is saved every ten saves' time instead, so that typing stays smooth.
MAX_UNSAVED_MS = 1800
SAVE_SHARE = 10
SNAPSHOT_INTERVAL_S = 300.0  # a revision every 5 minutes of editing
#: A timed save of a body this long (or of one whose last save took longer than
#: BACKGROUND_SAVE_MS) is written on a worker: a 1 MB review's save takes 70-130 ms (its film
#: links found again, its search index rewritten), the longest stall while typing in it.
BACKGROUND_FROM_CHARS = 64_000
BACKGROUND_SAVE_MS = 16.0

#: collect() -> fields for ``reviews.create/update``: body, film_id, tags, title, score, …
Collect = Callable[[], dict[str, Any]]


class Autosaver(QObject):
    saved = Signal(int)  # review id
    created = Signal(int)  # a new review got its id on its first save
    state_changed = Signal(str)  # a short text for the status bar
    failed = Signal(object)  # the exception

    def __init__(self, journal: Journal, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.journal = journal
        self.review_id: int | None = None
        self.collect: Collect | None = None
        self.dirty = False
        self.snapshot_interval = SNAPSHOT_INTERVAL_S
        self._saved_values: dict[str, Any] = {}
        self._last_snapshot = time.monotonic()
        self._idle = QTimer(self, singleShot=True, interval=IDLE_SAVE_MS)
        self._idle.timeout.connect(self._timed_save)
        self._max = QTimer(self, singleShot=True, interval=MAX_UNSAVED_MS)
        self._max.timeout.connect(self._timed_save)
        self.last_save_ms = 0.0
        self._edits = 0  # edits marked so far (was the text edited while a save ran?)
        self._saving: _Background | None = None  # a save running on a worker

    def attach(self, review_id: int | None, collect: Collect) -> None:
        """Start watching a review (None: a new one, created on its first save)."""
        self._finish_background()
        self.review_id = review_id
        self.collect = collect
        self.dirty = False
        self._idle.stop()
        self._max.stop()
        self._saved_values = collect() if review_id is not None else {}
        self._last_snapshot = time.monotonic()
        self.state_changed.emit("Saved" if review_id is not None else "")

    def detach(self) -> None:
        self.save_now()
        self.review_id = None
        self.collect = None
        self.dirty = False

    def mark_dirty(self) -> None:
        """Call on every edit: a save follows within IDLE_SAVE_MS of the last one."""
        if self.collect is None or self.journal.read_only:
            return
        self.dirty = True
        self._edits += 1
        self._idle.start()
        if not self._max.isActive():
            self._max.start(max(MAX_UNSAVED_MS, round(self.last_save_ms * SAVE_SHARE)))
        self.state_changed.emit("Editing…")

    # ------------------------------------------------------------------ saving
    def save_now(self) -> bool:
        """Write pending changes now. False when they could not be saved (the state says why)."""
        self._idle.stop()
        self._max.stop()
        if not self._finish_background():
            return False
        if not self.dirty or self.collect is None:
            return True
        values = self.collect()
        started = time.perf_counter()
        try:
            if self.review_id is None:
                if not self._create(values):
                    return False
            else:
                self._update(values)
        except EyelightsError as exc:
            self.state_changed.emit(f"Not saved: {exc.message}")
            self.failed.emit(exc)
            return False
        self._saved(values, started)
        return True

    # ------------------------------------------------------------------ saving on a worker
    def _timed_save(self) -> None:
        """The idle or the max-unsaved timer: a long review's save goes to a worker."""
        if self.collect is None or not self.dirty:
            return
        if self._saving is not None:  # one at a time: again when typing next pauses
            self._idle.start()
            return
        values = self.collect()
        body = values.get("body")
        if self.review_id is None or (self.last_save_ms < BACKGROUND_SAVE_MS
                                      and len(body if isinstance(body, str) else "")
                                      < BACKGROUND_FROM_CHARS):
            self.save_now()
            return
        self._idle.stop()
        self._max.stop()
        changed = self._changes(values)
        if changed is None:  # nothing new for the journal
            self._saved(values, time.perf_counter())
            return
        from journal.ui.bridge import Worker

        review_id, journal = self.review_id, self.journal
        background = _Background(values, self._edits, time.perf_counter())

        def work(_token: object) -> None:
            try:
                tags = changed.pop("tags", None)
                journal.reviews.update(review_id, tags=tags, **changed)
            except BaseException as exc:
                background.error = exc
                raise
            finally:
                journal.release_thread_connection()
                background.done.set()

        worker = Worker(work, self)
        worker.finished.connect(lambda _result: self._finish_background(background))
        worker.failed.connect(lambda _exc: self._finish_background(background))
        worker.finished.connect(worker.deleteLater)
        worker.failed.connect(worker.deleteLater)
        self._saving = background
        self.state_changed.emit("Saving…")
        worker.start()

    def _finish_background(self, background: _Background | None = None) -> bool:
        """Wait for the save running on a worker (if it is ``background``, or any when None)
        and take its outcome; False when it failed (the state says why)."""
        running = self._saving
        if running is None or (background is not None and background is not running):
            return True  # (already taken: a save_now waited for it)
        running.done.wait()
        self._saving = None
        if running.error is not None:
            if not isinstance(running.error, EyelightsError):
                raise running.error
            self.dirty = True  # what was typed is still to be saved
            self.state_changed.emit(f"Not saved: {running.error.message}")
            self.failed.emit(running.error)
            return False
        if self._edits == running.edits:
            self._saved(running.values, running.started)
        else:  # typed on meanwhile: saved up to there, the rest by the next save
            self._saved_values = running.values
            self.last_save_ms = (time.perf_counter() - running.started) * 1000
        return True

    def _saved(self, values: dict[str, Any], started: float) -> None:
        self.last_save_ms = (time.perf_counter() - started) * 1000
        self.dirty = False
        self._saved_values = values
        self._maybe_snapshot()
        self.state_changed.emit(f"Saved at {time.strftime('%H:%M:%S')}")
        assert self.review_id is not None
        self.saved.emit(self.review_id)

    def _create(self, values: dict[str, Any]) -> bool:
        """The first save of a new review: with no film chosen yet it is a draft without one
        (the film is set by a later save), so a crash never loses the first words."""
        fields = dict(values)
        film_id = fields.pop("film_id", None)
        body = fields.pop("body", "")
        if film_id is None:
            fields.pop("viewing_id", None)  # a viewing belongs to a film
        review = self.journal.reviews.create(film_id, body, **fields)
        self.review_id = int(review.id)
        self.created.emit(self.review_id)
        return True

    def _changes(self, values: dict[str, Any]) -> dict[str, Any] | None:
        """What differs from what was saved last (None: nothing)."""
        changed = {k: v for k, v in values.items() if self._saved_values.get(k, object()) != v}
        if "film_id" in changed and changed["film_id"] is None:
            del changed["film_id"]  # the film picker is empty while the user types a title
        return changed or None

    def _update(self, values: dict[str, Any]) -> None:
        assert self.review_id is not None
        changed = self._changes(values)
        if changed is None:
            return
        tags = changed.pop("tags", None)
        self.journal.reviews.update(self.review_id, tags=tags, **changed)

    def _maybe_snapshot(self) -> None:
        if time.monotonic() - self._last_snapshot >= self.snapshot_interval:
            self.snapshot("autosave")

    def snapshot(self, reason: str) -> int | None:
        """Save, then keep the current text as a revision (before anything destructive)."""
        self._last_snapshot = time.monotonic()
        if not self.save_now() or self.review_id is None:
            return None
        revision = self.journal.reviews.snapshot(self.review_id, reason)
        return int(revision.id)


class _Background:
    """A save running on a worker: what it writes, and how it ended."""

    def __init__(self, values: dict[str, Any], edits: int, started: float) -> None:
        self.values = values
        self.edits = edits  # the edits it holds
        self.started = started
        self.done = threading.Event()
        self.error: BaseException | None = None
