"""What every read-only table model here shares: column headers, flags, row and column counts."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6 import QtCore
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex

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
    and clear ``_cache`` inside a model reset."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._ids: list[int] = []
        self._cache: OrderedDict[int, Any] = OrderedDict()
        self.fetches = 0  # how many windows were read (for tests and benches)

    def _fetch_rows(self, ids: list[int]) -> dict[int, Any]:
        """The rows of ``ids``, keyed by id (ids gone meanwhile are simply absent)."""
        raise NotImplementedError

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
        start = max(0, row - WINDOW // 4)
        wanted = [i for i in self._ids[start:start + WINDOW] if i not in self._cache]
        self._cache.update(self._fetch_rows(wanted))
        self.fetches += 1
        while len(self._cache) > CACHE_LIMIT:
            self._cache.popitem(last=False)
