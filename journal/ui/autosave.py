"""Never lose a word: save within 2 s of the last keystroke, on focus loss, page switch and
close; Ctrl+S saves at once. Revision snapshots every few minutes of editing and before
destructive actions."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from journal.core.journal import Journal
from journal.errors import EyelightsError

log = logging.getLogger(__name__)

IDLE_SAVE_MS = 1200  # after the last keystroke (goal: saved within 2 s)
MAX_UNSAVED_MS = 8000  # while typing without a pause
SNAPSHOT_INTERVAL_S = 300.0  # a revision every 5 minutes of editing

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
        self._idle.timeout.connect(self.save_now)
        self._max = QTimer(self, singleShot=True, interval=MAX_UNSAVED_MS)
        self._max.timeout.connect(self.save_now)

    def attach(self, review_id: int | None, collect: Collect) -> None:
        """Start watching a review (None: a new one, created on its first save)."""
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
        self._idle.start()
        if not self._max.isActive():
            self._max.start()
        self.state_changed.emit("Editing…")

    # ------------------------------------------------------------------ saving
    def save_now(self) -> bool:
        """Write pending changes now. False when they could not be saved (the state says why)."""
        self._idle.stop()
        self._max.stop()
        if not self.dirty or self.collect is None:
            return True
        values = self.collect()
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
        self.dirty = False
        self._saved_values = values
        self._maybe_snapshot()
        self.state_changed.emit(f"Saved at {time.strftime('%H:%M:%S')}")
        assert self.review_id is not None
        self.saved.emit(self.review_id)
        return True

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

    def _update(self, values: dict[str, Any]) -> None:
        assert self.review_id is not None
        changed = {k: v for k, v in values.items() if self._saved_values.get(k, object()) != v}
        if "film_id" in changed and changed["film_id"] is None:
            del changed["film_id"]  # the film picker is empty while the user types a title
        if not changed:
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
