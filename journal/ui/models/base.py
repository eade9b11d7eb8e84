"""What every read-only table model here shares: column headers, flags, row and column counts."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6 import QtCore
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Signal

from journal.ui import roles

if TYPE_CHECKING:
    from PySide6.QtCore import Qt

Index = QModelIndex | QPersistentModelIndex


class ReadOnlyHeaders:
    """Horizontal header titles from ``headers``; items are enabled and selectable, not editable.
    Mix in before a Qt model class."""

    headers: Sequence[str] = ()

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 (Qt API)
                   role: int = roles.DISPLAY) -> Any:
        if orientation == QtCore.Qt.Orientation.Horizontal and role == roles.DISPLAY \
                and 0 <= section < len(self.headers):
            return self.headers[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        # QtCore.Qt, not an imported Qt: the module loads with the first frame (see roles.py)
        flag = QtCore.Qt.ItemFlag
        if not index.isValid():
            return flag.NoItemFlags
        return flag.ItemIsEnabled | flag.ItemIsSelectable


class ReadOnlyTableModel(ReadOnlyHeaders, QAbstractTableModel):
    """A flat table over ``self._rows`` (or whatever ``row_count()`` says); subclasses give
    ``data()``."""

    _rows: Sequence[Any] = ()

    def row_count(self) -> int:
        return len(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        return 0 if parent.isValid() else self.row_count()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        return 0 if parent.isValid() else len(self.headers)


#: Rows read at once around the one a view asks for, and rows kept at most (``WindowedRows``).
WINDOW = 120
CACHE_LIMIT = 4000


class WindowedRows(ReadOnlyTableModel):
    """A lazy list: the ordered ids of every matching row up front (``_ids``, one SQL statement,
    so ``rowCount`` is known at once), the rows themselves read in windows around the one asked
    for (``_fetch_rows``) and the last ``CACHE_LIMIT`` of them kept. Subclasses fill ``_ids``
    and clear ``_cache`` inside a model reset.

    A new filter, sort or reload runs its id query on a worker (``_request_ids``), on the
    list's own read connection: at 100,000 films a sort by director takes SQLite ~300 ms, which
    would freeze the window; the list keeps showing the previous rows meanwhile. Only the newest
    request counts: a query still running when another comes is interrupted (typing "tarko"
    fast never queues five queries). ``settled`` is emitted once the newest request's rows
    are in."""

    settled = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._ids: list[int] = []
        self._cache: OrderedDict[int, Any] = OrderedDict()
        self.fetches = 0  # how many windows were read (for tests and benches)
        self._running: Any = None  # the Worker computing ids
        self._done: Any = None  # the last finished one
        self._pending: Any = None  # (generation, sql, apply, shape) waiting for the worker
        self._generation = 0
        self._read: Any = None
        #: The first row on screen (the view's owner keeps it current): a new query reads the
        #: window around it on its worker, with the ids.
        self.hint = 0

    @property
    def busy(self) -> bool:
        """True while a requested filter, sort or reload has not reached the rows yet."""
        return self._running is not None or self._pending is not None

    def settle(self) -> None:
        """The rows the last request asks for, now, in this thread: the keyboard is going into
        the list (Down or Return in its filter), which must then hold what the filter says. A
        query still on the worker is dropped (its answer is stale once this one is in)."""
        if not self.busy:
            return
        self._generation += 1
        self._pending = None
        self._reset(self._ids_now())
        self.settled.emit()

    def _ids_now(self) -> list[int]:
        """The ids the current filter and order ask for, read here (``settle``)."""
        raise NotImplementedError

    def _reset(self, ids: list[int]) -> None:
        raise NotImplementedError

    def _reader(self) -> Any:
        """This list's own read connection (``SearchReader``: WAL lets it read beside the
        writer; a query no longer wanted is interrupted)."""
        if self._read is None:
            from journal.core.search.reader import SearchReader

            journal: Any = self.journal  # type: ignore[attr-defined]
            # a small page cache: the lists read ids and a screenful of rows, not the texts
            self._read = SearchReader(journal.path, read_only=journal.read_only, cache_kib=8_000)
        return self._read

    def _request_ids(self, sql: tuple[str, list[Any]], apply: Callable[[Any], None],
                     shape: Callable[[list[int]], Any] = lambda ids: ids) -> None:
        """Run the ids query ``sql`` on a worker, then ``apply(shape(ids))`` here — unless a
        newer request came meanwhile: the running query is then interrupted and the newest
        runs instead (``shape`` runs on the worker too)."""
        self._generation += 1
        self._pending = (self._generation, sql, apply, shape)
        if self._running is None:
            self._start_next()

    def _start_next(self) -> None:
        from journal.ui.bridge import Worker

        if self._pending is None:
            return
        generation, (text, params), apply, shape = self._pending
        self._pending = None
        reader = self._reader()

        def stale() -> bool:
            return generation != self._generation

        hint = self.hint

        def query(r: Any) -> tuple[list[int], dict[int, Any]]:
            ids = r.ids(text, params)
            # the rows the view will ask for first, read here too: the window only paints
            return ids, self._fetch_rows(self._window_ids(ids, hint, set()), r)

        def work(_token: object) -> Any:
            ids, rows = reader.run(query, stale)
            return shape(ids), rows

        worker = self._running = Worker(work)
        worker.finished.connect(lambda result: self._finished(generation, apply, result))
        worker.failed.connect(lambda exc: self._failed(generation, exc))
        worker.start()

    def _finished(self, generation: int, apply: Callable[[Any], None], result: Any) -> None:
        self._done, self._running = self._running, None  # kept until the next: see bridge
        if generation == self._generation:  # nothing newer: what the user asked for last
            shaped, rows = result
            apply(shaped)
            self._cache.update(rows)
            self.settled.emit()
        else:
            self._start_next()

    def _failed(self, generation: int, exc: object) -> None:
        from journal.core.search.engine import SearchCancelled

        self._done, self._running = self._running, None
        if generation != self._generation:
            self._start_next()  # interrupted for a newer request: expected
            return
        self.settled.emit()
        if isinstance(exc, BaseException) and not isinstance(exc, SearchCancelled):
            raise exc  # to the application's error reporter, as any bug in a slot

    def close_reader(self) -> None:
        """Close the list's read connection (it opens again when needed)."""
        if self._read is not None:
            self._read.close()

    def _fetch_rows(self, ids: list[int], db: Any = None) -> dict[int, Any]:
        """The rows of ``ids``, keyed by id (ids gone meanwhile are simply absent); ``db``:
        the connection to read through (the journal's when None)."""
        raise NotImplementedError

    @staticmethod
    def _window_ids(ids: list[int], row: int, cached: Any) -> list[int]:
        """The ids of the window read for ``row`` (those not in ``cached``)."""
        start = max(0, row - WINDOW // 4)
        return [i for i in ids[start:start + WINDOW] if i not in cached]

    def row_count(self) -> int:
        return len(self._ids)

    def id_at(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, ident: int) -> int | None:
        try:
            return self._ids.index(ident)
        except ValueError:
            return None

    def row_at(self, row: int) -> Any | None:
        """Row ``row``'s record, read with its window if it is not in the cache."""
        ident = self.id_at(row)
        if ident is None:
            return None
        cached = self._cache.get(ident)
        if cached is None:
            self._load_window(row)
            cached = self._cache.get(ident)
        return cached

    def _load_window(self, row: int) -> None:
        self._cache.update(self._fetch_rows(self._window_ids(self._ids, row, self._cache)))
        self.fetches += 1
        while len(self._cache) > CACHE_LIMIT:
            self._cache.popitem(last=False)
