"""The watchlist as a table model (a watchlist is short: rows are read at once)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from journal.core.journal import Journal
from journal.store.models import WatchlistEntry
from journal.ui.models.base import ReadOnlyTableModel

Index = QModelIndex | QPersistentModelIndex
HEADERS = ("Film", "Year", "Priority", "Recommended by", "Note", "Added")
EntryIdRole = Qt.ItemDataRole.UserRole + 1
FilmIdRole = Qt.ItemDataRole.UserRole + 2
ORDERS = ("priority", "added")


class WatchlistModel(ReadOnlyTableModel):
    headers = HEADERS

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
