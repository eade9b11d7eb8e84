"""A read-only connection of its own, for searches run off the GUI thread.

The journal's own connection belongs to the thread that writes; a search run on a worker reads
through a ``SearchReader`` instead: its own SQLite connection on the same file (WAL lets it read
beside the writer, and it sees what was committed), opened on first use, used by one search at a
time, and stopped early when the search it runs is no longer wanted (``run(..., cancelled=)``).
``SearchEngine(reader)`` runs queries on it like on the journal's database.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from journal.core.search.engine import SearchCancelled
from journal.core.values import fold
from journal.store.uri import read_only_uri

T = TypeVar("T")

#: SQLite calls the cancellation check every this many virtual-machine steps (about every half
#: millisecond of a ranked query): a stale search stops within a millisecond or so.
CHECK_EVERY = 10_000


class SearchReader:
    """One connection for one searcher (the Search page); thread-safe, one search at a time."""

    def __init__(self, path: Path | str, *, read_only: bool = False,
                 cache_kib: int = 32_000) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self.cache_kib = cache_kib
        self._lock = threading.Lock()
        self._con: sqlite3.Connection | None = None
        self._stop = threading.Event()  # set by close(): the running statement gives up
        self._cancelled: Callable[[], bool] | None = None
        self.opened = 0  # how many times a connection was opened (tests, benches)

    @classmethod
    def for_journal(cls, journal: Any) -> SearchReader:
        return cls(journal.path, read_only=journal.read_only)

    # ------------------------------------------------------------------ running
    def run(self, fn: Callable[[SearchReader], T],
            cancelled: Callable[[], bool] | None = None) -> T:
        """``fn(self)`` with the connection to itself; a statement running when ``cancelled()``
        turns true (or ``close()`` is called) fails with ``sqlite3.OperationalError``
        ("interrupted"). A search cancelled before it starts raises ``SearchCancelled`` (and
        opens nothing)."""
        with self._lock:
            if cancelled is not None and cancelled():
                raise SearchCancelled()
            con = self._connection()
            self._cancelled = cancelled
            con.set_progress_handler(self._should_stop, CHECK_EVERY)
            try:
                return fn(self)
            finally:
                con.set_progress_handler(None, 0)
                self._cancelled = None

    def execute_sql(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        """Like peewee's ``execute_sql``; only inside ``run`` (it holds the connection)."""
        if self._con is None:
            raise sqlite3.ProgrammingError("SearchReader.execute_sql outside run()")
        return self._con.execute(sql, tuple(params))

    def ids(self, sql: str, params: Sequence[Any] = ()) -> list[int]:
        """The first column of each row of ``sql`` (an ordered id query: the lists'); only
        inside ``run``."""
        return [row[0] for row in self.execute_sql(sql, params)]

    def _should_stop(self) -> int:
        cancelled = self._cancelled
        return 1 if self._stop.is_set() or (cancelled is not None and cancelled()) else 0

    def _connection(self) -> sqlite3.Connection:
        if self._con is None:
            if self.read_only:
                con = sqlite3.connect(read_only_uri(self.path), uri=True,
                                      check_same_thread=False, isolation_level=None)
            else:
                con = sqlite3.connect(str(self.path), check_same_thread=False,
                                      isolation_level=None)
                con.execute("PRAGMA query_only = 1")
            con.execute("PRAGMA busy_timeout = 5000")
            con.execute(f"PRAGMA cache_size = -{int(self.cache_kib)}")
            # the lists' quick filters fold text as Python does (``review_rows.build_ids_sql``)
            con.create_function("fold", 1, fold, deterministic=True)
            self._con = con
            self.opened += 1
        return self._con

    # ------------------------------------------------------------------ closing
    @property
    def is_open(self) -> bool:
        return self._con is not None

    def close(self) -> None:
        """Close the connection (a running search is stopped first); the next ``run`` opens a
        new one. Safe from any thread."""
        self._stop.set()
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None
            self._stop.clear()
