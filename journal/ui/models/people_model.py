"""The People list as a lazy table model: every matching person's id up front, rows on demand.

Like the Films list: ``rowCount`` is known at once (the ordered ids, one SQL statement in
``journal.core.people_query``); ``data`` reads a window of rows around the one asked for, and a
bounded cache keeps the rows seen last, so a journal of 50,000 people lists all of them while
only what is on screen is ever loaded.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from journal.core import people_query as pq
from journal.core.journal import Journal
from journal.ui.models.base import WindowedRows

Index = QModelIndex | QPersistentModelIndex
HEADERS = ("Name", "Films")
COL_NAME, COL_FILMS = range(2)
PersonIdRole = Qt.ItemDataRole.UserRole + 1


class PeopleModel(WindowedRows):
    headers = HEADERS

    def __init__(self, journal: Journal, parent: Any = None) -> None:
        super().__init__(parent)
        self.journal = journal
        self.text = ""
        self._reset(self._ids_now())  # the page opens with its rows

    def _fetch_rows(self, ids: list[int], db: Any = None) -> dict[int, pq.PersonRow]:
        return pq.person_rows(self.journal, ids, db)

    @property
    def total(self) -> int:
        """How many people match the filter (all of them are listed)."""
        return len(self._ids)

    # ------------------------------------------------------------------ state
    def set_filter(self, text: str) -> None:
        self.text = text
        self.reload()

    def reload(self) -> None:
        """Run the query again (after a change or a new filter) and drop cached rows, on a
        worker (``WindowedRows._request_ids``); ``settled`` says when the new rows are in."""
        self._request_ids(pq.build_ids_sql(self.text), self._reset)

    def _ids_now(self) -> list[int]:
        return pq.person_ids(self.journal, self.text)

    def person_id(self, row: int) -> int | None:
        return self.id_at(row)

    # ------------------------------------------------------------------ Qt API
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        if role == PersonIdRole:
            return self._ids[index.row()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == COL_FILMS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        person = self.row_at(index.row())
        if person is None:
            return None
        return person.name if index.column() == COL_NAME else str(person.films)
