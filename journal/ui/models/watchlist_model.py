"""The watchlist as a table model (a watchlist is short: rows are read at once)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from journal.core.journal import Journal
from journal.store.models import WatchlistEntry

Index = QModelIndex | QPersistentModelIndex
HEADERS = ("Film", "Year", "Priority", "Recommended by", "Note", "Added")
EntryIdRole = Qt.ItemDataRole.UserRole + 1
FilmIdRole = Qt.ItemDataRole.UserRole + 2
ORDERS = ("priority", "added")


class WatchlistModel(QAbstractTableModel):
    def __init__(self, journal: Journal, parent: Any = None) -> None:
        super().__init__(parent)
        self.journal = journal
        self.order = "priority"
        self._rows: list[WatchlistEntry] = []
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self._rows = self.journal.watchlist.entries(self.order)
        self.endResetModel()

    def set_order(self, order: str) -> None:
        if order not in ORDERS:
            raise ValueError(order)
        self.order = order
        self.reload()

    def entry(self, row: int) -> WatchlistEntry | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(HEADERS):
            return HEADERS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        e = self._rows[index.row()]
        if role == EntryIdRole:
            return e.id
        if role == FilmIdRole:
            return e.film_id
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 4:
            return e.note or None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return (e.film.title, str(e.film.year or ""), "★" * max(0, min(5, e.priority)) or "—",
                e.recommended_by, " ".join(e.note.split()),
                e.added_at.strftime("%Y-%m-%d") if e.added_at else "")[index.column()]
