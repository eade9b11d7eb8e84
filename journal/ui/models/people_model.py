"""People as a table model: name and number of films, filtered in SQL by folded name."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from journal.core.journal import Journal
from journal.core.values import fold
from journal.ui.models.base import ReadOnlyTableModel

Index = QModelIndex | QPersistentModelIndex
HEADERS = ("Name", "Films")
PersonIdRole = Qt.ItemDataRole.UserRole + 1
LIMIT = 5000  # a filter narrows larger casts; the count says so


class PeopleModel(ReadOnlyTableModel):
    headers = HEADERS

    def __init__(self, journal: Journal, parent: Any = None) -> None:
        super().__init__(parent)
        self.journal = journal
        self.text = ""
        self.total = 0
        self._rows: list[tuple[int, str, int]] = []
        self.reload()

    def set_filter(self, text: str) -> None:
        self.text = text
        self.reload()

    def reload(self) -> None:
        key = fold(self.text)
        where, params = "p.deleted_at IS NULL", []
        if key:
            where += " AND (p.name_folded LIKE ? OR p.name_folded LIKE ?)"
            params = [key + "%", "% " + key + "%"]
        db = self.journal.store.db
        self.total = db.execute_sql(f"SELECT COUNT(*) FROM person p WHERE {where}",
                                    params).fetchone()[0]
        rows = db.execute_sql(
            "SELECT p.id, p.name, (SELECT COUNT(DISTINCT c.film_id) FROM credit c "
            f"WHERE c.person_id = p.id) FROM person p WHERE {where} "
            f"ORDER BY p.name_folded LIMIT {LIMIT}", params).fetchall()
        self.beginResetModel()
        self._rows = [(r[0], r[1], r[2]) for r in rows]
        self.endResetModel()

    def person_id(self, row: int) -> int | None:
        return self._rows[row][0] if 0 <= row < len(self._rows) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        person_id, name, films = self._rows[index.row()]
        if role == PersonIdRole:
            return person_id
        if role == Qt.ItemDataRole.DisplayRole:
            return name if index.column() == 0 else str(films)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
