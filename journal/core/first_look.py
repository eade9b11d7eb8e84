"""A first look at a journal, before the store layer (peewee) is imported.

Opening the window on a large journal used to wait for the whole store stack to import and the whole
list of reviews to be read. The first look reads only what the first screen shows — the newest
reviews, the counts for the status bar — through :mod:`sqlite3`, read-only, and takes the journal's
lock, so the window can be on screen at once; the journal is then opened the full way on the next
turn of the event loop (:meth:`journal.core.journal.Journal.open` with ``lock=``).

It only answers for a journal in the expected state: the file exists, its schema is this version's,
the lock is free. Anything else returns ``None`` and the caller opens the journal the full way,
which migrates, creates, or reports the problem in words.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from journal.core.review_rows import ReviewRow, read_counts, read_rows
from journal.errors import EyelightsError
from journal.store.lock import JournalLock
from journal.store.uri import read_only_uri
from journal.store.version import SCHEMA_VERSION

if TYPE_CHECKING:
    from journal.core.render_cache import KeptPage

log = logging.getLogger(__name__)

#: Enough rows to fill a tall window's list; the rest arrive when the journal is fully open.
FIRST_ROWS = 80


class FirstLook:
    """What the first screen shows, and the journal's lock (held until handed on or released)."""

    def __init__(self, path: Path, read_only: bool, rows: list[ReviewRow], films: int,
                 reviews: int, empty: bool, lock: JournalLock | None = None,
                 page: KeptPage | None = None) -> None:
        self.path, self.read_only, self.rows = path, read_only, rows
        self.films, self.reviews = films, reviews
        self.empty = empty  # nothing at all, not even in the Trash: the window offers the sample
        self.lock = lock
        #: The kept page of the review the launch names, when it is that review's page as the
        #: journal is now (``core/render_cache.py``): the window shows it in its first frame,
        #: in front of the list (``rows`` is then empty: nobody could see them).
        self.page = page

    def release(self) -> None:
        """Give the lock back (when the full opening is abandoned)."""
        if self.lock is not None:
            self.lock.release()
            self.lock = None


def first_look(path: Path, *, read_only: bool = False, limit: int = FIRST_ROWS,
               review_id: int | None = None, theme: str = "light") -> FirstLook | None:
    """What the first screen of ``path`` shows, or ``None`` when the full opening must decide.
    ``review_id``: the review the launch opens, whose kept page (in ``theme``) is looked for."""
    path = Path(path).expanduser().resolve()
    if not path.is_file() or not os.access(path, os.R_OK):
        return None
    if not read_only and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
        return None
    lock = None
    if not read_only:
        lock = JournalLock(path)
        try:
            lock.acquire()
        except (EyelightsError, OSError):  # taken, or no lock file possible: the full way says
            lock.release()
            return None
    try:
        look = _read(path, read_only, limit, review_id, theme)
    except sqlite3.Error:
        look = None
    if look is None:
        if lock is not None:
            lock.release()
        return None
    look.lock = lock
    return look


def _read(path: Path, read_only: bool, limit: int, review_id: int | None,
          theme: str) -> FirstLook | None:
    connection = sqlite3.connect(read_only_uri(path), uri=True)
    try:
        if connection.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
            return None  # older (to migrate) or newer (to refuse): the full opening says so
        films, reviews, anything = read_counts(connection.execute)
        page = None
        if review_id is not None:  # imported here: a plain launch does not pay for it
            from journal.core.render_cache import find

            # its kept page, or (a miss) its page rendered now: either is painted at once
            page = find(connection.execute, review_id, theme) \
                or _rendered(connection, review_id, theme)
        # The list is the first screen only when no review's page stands in front of it: under
        # a page its rows would be read and laid out for nothing (~8 ms at 80 rows), and the
        # list's own model replaces them before anyone can see them.
        rows = read_rows(connection.execute, limit=limit) if page is None else []
    finally:
        connection.close()
    return FirstLook(path=path, read_only=read_only, rows=rows, films=films, reviews=reviews,
                     empty=not anything, page=page)


def _rendered(connection: sqlite3.Connection, review_id: int, theme: str) -> KeptPage | None:
    """The launch's review rendered now (``render_cache.render_now``), or None: too long, or
    the renderer failed (the preview renders it again and says why)."""
    from journal.core.render_cache import render_now

    try:
        return render_now(connection.execute, review_id, theme)
    except sqlite3.Error:
        raise
    except Exception:  # noqa: BLE001 - derived data: never in the way of opening the journal
        log.info("The review could not be rendered at once", exc_info=True)
        return None
