"""What changed in a journal, as typed values, and a tiny Qt-free observer that passes them on.

A service that writes says what its write changed with a :class:`Changes` (after Anki's
``OpChanges``): one field per kind of record, each the :class:`Rows` touched — some ids, or
every row. Listeners read the fields (``changes.reviews``, ``changes.films.ids``); a misspelt
kind is an ``AttributeError`` (and a mypy error), never a silently ignored string. Changes made
inside :meth:`ChangeEvents.batch` (an import, a bulk lookup) are merged with ``|`` and sent once
when the outermost batch ends.

Callbacks run in the thread that made the change; the UI adapter (``ui/bridge.JournalSignals``)
re-emits them as a queued Qt signal, so widgets are only ever touched from the GUI thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from typing import ClassVar

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Rows:
    """The rows of one kind a change touched: ``ids``, or every row (``every``: ids unknown or
    too many to name — a restore, emptying the Trash). False when nothing was touched."""

    ids: frozenset[int] = frozenset()
    every: bool = False

    def __bool__(self) -> bool:
        return self.every or bool(self.ids)

    def __or__(self, other: Rows) -> Rows:
        if self.every or other.every:
            return EVERY
        if not other.ids:
            return self
        if not self.ids:
            return other
        return Rows(self.ids | other.ids)


NONE = Rows()
EVERY = Rows(every=True)
#: How a writer names the rows of a kind it touched: their ids, True (every row), or False.
Touched = Iterable[int] | bool


def _rows(touched: Touched) -> Rows:
    if touched is True:
        return EVERY
    if touched is False:
        return NONE
    return Rows(frozenset(int(i) for i in touched))


@dataclass(frozen=True, slots=True)
class Changes:
    """What one write (or one batch of them) changed. Build it with the keywords of the kinds
    touched, ids or ``True`` for every row: ``Changes.of(reviews=[7])``, ``Changes.of(trash=True)``
    (no ids, or False: that kind is untouched)."""

    films: Rows = NONE
    people: Rows = NONE
    viewings: Rows = NONE
    reviews: Rows = NONE
    watchlist: Rows = NONE
    comments: Rows = NONE
    tags: Rows = NONE
    blogs: Rows = NONE
    trash: Rows = NONE
    #: The whole journal was replaced or refilled (a full-backup restore, a synthetic fill):
    #: every other field is then ``EVERY`` too, so a listener need not look at this one.
    journal: bool = False

    KINDS: ClassVar[tuple[str, ...]] = ("films", "people", "viewings", "reviews", "watchlist",
                                        "comments", "tags", "blogs", "trash")

    @classmethod
    def of(cls, *, films: Touched = False, people: Touched = False, viewings: Touched = False,
           reviews: Touched = False, watchlist: Touched = False, comments: Touched = False,
           tags: Touched = False, blogs: Touched = False, trash: Touched = False) -> Changes:
        """``Changes.of(films=[3, 4], trash=True)``: ids for some rows, True for every row."""
        return cls(films=_rows(films), people=_rows(people), viewings=_rows(viewings),
                   reviews=_rows(reviews), watchlist=_rows(watchlist),
                   comments=_rows(comments), tags=_rows(tags), blogs=_rows(blogs),
                   trash=_rows(trash))

    @classmethod
    def everything(cls) -> Changes:
        """The whole journal changed: every kind, every row."""
        return cls(films=EVERY, people=EVERY, viewings=EVERY, reviews=EVERY, watchlist=EVERY,
                   comments=EVERY, tags=EVERY, blogs=EVERY, trash=EVERY, journal=True)

    def __or__(self, other: Changes) -> Changes:
        return Changes(**{f.name: getattr(self, f.name) | getattr(other, f.name)
                          for f in fields(self)})

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))


Listener = Callable[[Changes], None]


class ChangeEvents:
    def __init__(self) -> None:
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()
        self._suspended = 0
        self._pending = Changes()

    def subscribe(self, callback: Listener) -> None:
        with self._lock:
            self._listeners.append(callback)

    def unsubscribe(self, callback: Listener) -> None:
        with self._lock:
            if callback in self._listeners:
                self._listeners.remove(callback)

    def emit(self, changes: Changes) -> None:
        if not isinstance(changes, Changes):
            raise TypeError(f"emit takes a Changes, not {type(changes).__name__}")
        if not changes:
            return
        with self._lock:
            if self._suspended:
                self._pending = self._pending | changes
                return
            listeners = list(self._listeners)
        for callback in listeners:
            try:
                callback(changes)
            except Exception:  # a listener's bug must not undo a committed write
                log.exception("change listener failed")

    def batch(self) -> _Batch:
        """Collect the changes of a bulk operation (an import) and send them, merged, once at
        the end of the outermost batch — also when the operation fails (what was committed
        before the failure is said; a rolled-back write changes nothing a listener can see
        that a reload would not show)."""
        return _Batch(self)


class _Batch:
    def __init__(self, events: ChangeEvents) -> None:
        self.events = events

    def __enter__(self) -> None:
        with self.events._lock:
            self.events._suspended += 1

    def __exit__(self, *exc: object) -> None:
        events = self.events
        with events._lock:
            events._suspended -= 1
            if events._suspended:
                return
            pending, events._pending = events._pending, Changes()
        events.emit(pending)
