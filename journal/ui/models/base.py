"""What every read-only table model here shares: column headers, flags, row and column counts."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, NamedTuple

from PySide6 import QtCore
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Signal

from journal.ui import roles

if TYPE_CHECKING:
    from PySide6.QtCore import Qt

Index = QModelIndex | QPersistentModelIndex


class _Answer(NamedTuple):
    """What a list's id query brings back: how to apply it, the shaped ids, the first rows
    read, and — when these are only the first ids — the work that reads the rest."""

    apply: Callable[[Any], object]
    value: Any
    rows: dict[int, Any]
    rest: Callable[[Any], _Answer] | None = None


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
#: The most ids a list reads first when it can show them before the rest (``_request_ids``):
#: scrolled further down, reading up to the screen costs about what reading all does, and the
#: whole list is read at once instead of twice.
FIRST_IDS_AT_MOST = 10 * WINDOW


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
    are in.

    A reload whose first ids are cheap to read (``_request_ids(first=…)``: a quick filter on a
    list in index order) shows them first — the screen's rows, read while SQLite walks the
    index — and appends the rest below when the whole query is done: at 100,000 films a key
    that matches most of them shows its rows in a few milliseconds instead of 20–45.
    ``first_rows_in`` says the screen is filled; ``busy`` that the list is not complete yet."""

    settled = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._ids: list[int] = []
        self._cache: OrderedDict[int, Any] = OrderedDict()
        self.fetches = 0  # how many windows were read (for tests and benches)
        #: The id queries' worker: only the newest request counts (``ui/latest.LatestOnly``),
        #: made at the first request (the lists are built before anything runs).
        self._latest: Any = None
        self._read: Any = None
        self._making_reader = threading.Lock()
        #: The first row on screen (the view's owner keeps it current): a new query reads the
        #: window around it on its worker, with the ids.
        self.hint = 0
        #: The newest request, until answered (``settle`` applies it at once).
        self._asked: tuple[tuple[str, list[Any]], Callable[[Any], object],
                           Callable[[list[int]], Any]] | None = None
        self._first_in = True

    @property
    def busy(self) -> bool:
        """True while a requested filter, sort or reload has not reached the rows yet (all of
        them: the first screen may already be shown, see ``first_rows_in``)."""
        return self._asked is not None

    @property
    def first_rows_in(self) -> bool:
        """True once the newest request's rows fill the screen, the rest perhaps still being
        read (``busy``)."""
        return self._first_in

    def settle(self) -> None:
        """The rows the last request asks for, now, in this thread: the keyboard is going into
        the list (Down or Return in its filter), which must then hold what the filter says. A
        query still on the worker is interrupted and its answer dropped; the newest request's
        ids are read here and applied as its answer would have been."""
        if not self.busy or self._asked is None:
            return
        self._latest.stale()
        (text, params), apply, shape = self._asked
        self._asked, self._first_in = None, True
        apply(shape(self._reader().run(lambda r: r.ids(text, params))))
        self.settled.emit()

    def _reset(self, ids: list[int]) -> None:
        """The list now holds ``ids``: a model reset, the cached rows dropped."""
        self.beginResetModel()
        self._ids = ids
        self._cache.clear()
        self.endResetModel()

    def _reader(self) -> Any:
        """This list's own read connection (``SearchReader``: WAL lets it read beside the
        writer; a query no longer wanted is interrupted)."""
        with self._making_reader:  # the worker makes it (see ``_request_ids``); ``settle`` too
            if self._read is None:
                from journal.core.search.reader import SearchReader

                journal: Any = self.journal  # type: ignore[attr-defined]
                # a small page cache: the lists read ids and a screenful of rows, not the texts
                self._read = SearchReader(journal.path, read_only=journal.read_only,
                                          cache_kib=8_000)
            return self._read

    def _request_ids(self, sql: tuple[str, list[Any]], apply: Callable[[Any], object],
                     shape: Callable[[list[int]], Any] = lambda ids: ids,
                     first: Callable[[int], tuple[str, list[Any]] | None] | None = None,
                     ) -> None:
        """Run the ids query ``sql`` on a worker, then ``apply(shape(ids))`` here — unless a
        newer request came meanwhile: the running query is then interrupted and the newest
        runs instead (``shape`` runs on the worker too).

        ``first(limit)``: the SQL of ``sql``'s first ``limit`` ids when these cost less to
        read than all of them (else None). The first ones are then applied as soon as they
        are read, and the rest appended when read (``_append_rest``); for a reset only
        (``apply`` given the ids as read, ``shape`` left alone)."""
        if self._latest is None:
            from journal.ui.latest import LatestOnly

            self._latest = LatestOnly[_Answer](self._answered, on_failure=self._failed,
                                               parent=self)
        self._asked, self._first_in = (sql, apply, shape), False
        text, params = sql
        limit = self.hint + WINDOW  # enough for the window around the first row on screen
        first_sql = first(limit) if first is not None and limit <= FIRST_IDS_AT_MOST else None

        def query(r: Any, text: str, params: list[Any]) -> tuple[list[int], dict[int, Any]]:
            ids = r.ids(text, params)
            # the rows the view will ask for first (around the first row on screen when the
            # query starts), read here too: the window only paints
            return ids, self._fetch_rows(self._window_ids(ids, self.hint, set()), r)

        def rest(token: Any) -> _Answer:
            ids = self._reader().run(lambda r: r.ids(text, params), lambda: token.cancelled)
            return _Answer(partial(self._append_rest, apply), ids, {})

        def work(token: Any) -> _Answer:
            # made here, not on the GUI thread: the first one imports the search package
            # (~55 ms, which the first sort or filter held the window for)
            if first_sql is not None:
                ids, rows = self._reader().run(lambda r: query(r, *first_sql),
                                               lambda: token.cancelled)
                # fewer than asked for: every match is in, and that is the whole answer
                return _Answer(apply, ids, rows, rest if len(ids) >= limit else None)
            ids, rows = self._reader().run(lambda r: query(r, text, params),
                                           lambda: token.cancelled)
            return _Answer(apply, shape(ids), rows)

        self._latest.request(work)

    def _answered(self, answer: _Answer) -> None:
        """The newest request's ids and first rows (``LatestOnly`` drops the older ones); when
        they are only the first ids, the rest is read next, for the same request."""
        generation = self._latest.generation  # before ``apply``, whose slots may ask anew
        if answer.rest is None:
            self._asked = None
        self._first_in = True
        answer.apply(answer.value)
        self._cache.update(answer.rows)
        if answer.rest is not None:
            self._read_rest_after_paint(answer.rest, generation)
            return
        self.settled.emit()

    def _read_rest_after_paint(self, rest: Callable[[Any], _Answer], generation: int) -> None:
        """Read the rest of the ids two turns of the event loop from now, for request
        ``generation``: the first turn lays the view out, the second paints the first rows.
        Read at once, the rest shared Python's lock with that paint, which took 8 → 13 ms at
        100,000 films (and the rows shown 14 → 22 ms after the key). A newer request, or
        ``settle``, makes it moot."""

        def read() -> None:
            if self._latest.is_current(generation):
                self._latest.follow(rest)

        QtCore.QTimer.singleShot(0, self, lambda: QtCore.QTimer.singleShot(0, self, read))

    def _append_rest(self, apply: Callable[[Any], object], ids: list[int]) -> None:
        """The whole list ``ids`` of a request whose first rows are shown: the others are
        inserted below them, so the view keeps its scroll position, selection and current row.
        Should the first rows differ (the journal changed between the two reads), ``apply``
        takes the whole list instead."""
        shown = len(self._ids)
        if ids[:shown] != self._ids:
            apply(ids)
        elif len(ids) > shown:
            self.beginInsertRows(QModelIndex(), shown, len(ids) - 1)
            self._ids = ids
            self.endInsertRows()

    def _failed(self, exc: BaseException) -> None:
        from journal.core.search.engine import SearchCancelled

        self._asked, self._first_in = None, True
        self.settled.emit()
        if not isinstance(exc, SearchCancelled):
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

    # ------------------------------------------------------------------ a new order, new ids
    @staticmethod
    def _positions(ids: list[int]) -> tuple[list[int], dict[int, int]]:
        """``shape`` for a sort: the ids and each id's row (on the worker: O(n))."""
        return ids, {ident: row for row, ident in enumerate(ids)}

    def _reorder(self, result: tuple[list[int], dict[int, int]]) -> None:
        """The same rows in a new order (a sort): a layout change, selections and the current
        row kept on the same records. Rows gone meanwhile: ``_move_to``. Rows added only (a
        sort while only the first rows of a filter are in, ``_request_ids(first=…)``): they
        are appended in one go, then take their places with the others (``_move_to`` would
        reset the list for that many scattered rows, losing the row the user picked)."""
        ids, where = result
        if any(ident not in where for ident in self._ids):
            self._move_to(ids)
            return
        if len(ids) != len(self._ids):
            known = set(self._ids)
            added = [ident for ident in ids if ident not in known]
            self.beginInsertRows(QModelIndex(), len(self._ids), len(ids) - 1)
            self._ids = [*self._ids, *added]
            self.endInsertRows()
        self.layoutAboutToBeChanged.emit()
        old_ids = self._ids
        self._ids = ids
        persistent = self.persistentIndexList()
        if persistent:
            moved = [self.index(where.get(old_ids[i.row()], -1), i.column())
                     if i.row() < len(old_ids) else QModelIndex() for i in persistent]
            self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    #: More runs of rows removed or added than this: a reset is cheaper than the signals.
    MAX_RUNS = 64

    def _move_to(self, ids: list[int]) -> bool:
        """Bring the list to ``ids`` in place — rows gone removed, the rest reordered, new rows
        inserted — so that views keep their selection, current row and scroll position (a
        reset loses them). Returns False when it reset instead (too many scattered changes)."""
        old = self._ids
        if ids == old:
            return True
        wanted = set(ids)
        gone = [row for row, ident in enumerate(old) if ident not in wanted]
        kept = [ident for ident in old if ident in wanted]
        known = set(kept)
        added = [row for row, ident in enumerate(ids) if ident not in known]
        gone_runs, added_runs = runs(gone), runs(added)
        if len(gone_runs) + len(added_runs) > self.MAX_RUNS:
            self._reset(ids)
            return False
        self._ids = list(old)
        for start, end in reversed(gone_runs):
            self.beginRemoveRows(QModelIndex(), start, end)
            for ident in self._ids[start:end + 1]:
                self._cache.pop(ident, None)
            del self._ids[start:end + 1]
            self.endRemoveRows()
        order = [ident for ident in ids if ident in known]
        if order != self._ids:
            self._reorder(self._positions(order))
        for start, end in added_runs:
            self.beginInsertRows(QModelIndex(), start, end)
            self._ids[start:start] = ids[start:end + 1]
            self.endInsertRows()
        return True


def runs(rows: list[int]) -> list[tuple[int, int]]:
    """Sorted rows as (first, last) runs of consecutive rows."""
    found: list[tuple[int, int]] = []
    for row in rows:
        if found and row == found[-1][1] + 1:
            found[-1] = (found[-1][0], row)
        else:
            found.append((row, row))
    return found
