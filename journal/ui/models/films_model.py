"""The Films list as a lazy table model: ordered ids up front, the columns of a row on demand.

``rowCount`` is known at once (the ids of every matching film, one SQL statement); ``data``
fetches a window of rows around the one asked for, so only what is on screen is ever loaded.
Sorting and filtering happen in SQL (``journal.core.catalogue_query``), not in a proxy, on a
worker (``WindowedRows._request_ids``): the window never waits for them.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal

from journal.core import catalogue_query as cq
from journal.core.events import Changes
from journal.core.journal import Journal
from journal.core.values import display_partial, format_score
from journal.errors import ValidationError
from journal.ui.models.base import WindowedRows, runs

Index = QModelIndex | QPersistentModelIndex

COLUMNS = (("title", "Title"), ("original", "Original title"), ("year", "Year"),
           ("director", "Director"), ("score", "My score"), ("viewings", "Viewings"),
           ("last_viewed", "Last viewed"))
COL_TITLE, COL_ORIGINAL, COL_YEAR, COL_DIRECTOR, COL_SCORE, COL_VIEWINGS, COL_LAST = range(7)
FilmIdRole = Qt.ItemDataRole.UserRole + 1


class FilmsModel(WindowedRows):
    """Emits ``filter_problem(text)`` when the quick filter cannot be used ("" when it can)."""

    filter_problem = Signal(str)

    headers = tuple(title for _key, title in COLUMNS)

    def __init__(self, journal: Journal, parent: Any = None) -> None:
        super().__init__(parent)
        self.journal = journal
        self._query = cq.FilmQuery()
        #: Changes whose refresh is still on the worker: a newer refresh replaces the request
        #: (the latest wins) but must not forget what the older one was told.
        self._unapplied = Changes()
        self._sort, self._descending = "title", False
        self._reset(self._ids_now())  # the page opens with its rows (by title: index order)

    def _fetch_rows(self, ids: list[int], db: Any = None) -> dict[int, cq.FilmRow]:
        return cq.film_rows(self.journal, ids, db)

    def _ids_now(self) -> list[int]:
        return cq.film_ids(self.journal, self._query, self._sort, self._descending)

    def _ids_sql(self) -> tuple[str, list[Any]]:
        """The id query for the current filter and order (run on a worker)."""
        return cq.build_ids_sql(self._query, self._sort, self._descending)

    # ------------------------------------------------------------------ state
    def reload(self) -> None:
        """Run the query again (after a change or a new filter) and drop cached rows; the rows
        shown until then stay (``settled`` says when the new ones are in). In title order a
        filter of words shows its first rows as soon as SQLite has found them, the rest
        following (``WindowedRows._request_ids``)."""
        self._request_ids(self._ids_sql(), self._reset, first=self._first_ids_sql)

    def _first_ids_sql(self, limit: int) -> tuple[str, list[Any]] | None:
        return cq.build_first_ids_sql(self._query, self._sort, self._descending, limit)

    def refresh(self, changes: Changes, visible: tuple[int, int] | None = None) -> None:
        """After journal changes: the ids are read again on the worker (``_request_ids``), then
        ``_refreshed`` repaints what may show something new."""
        self._unapplied = self._unapplied | changes

        def apply(ids: list[int]) -> None:
            pending, self._unapplied = self._unapplied, Changes()
            self._refreshed(ids, pending, visible)

        self._request_ids(self._ids_sql(), apply)

    def _refreshed(self, ids: list[int], changes: Changes,
                   visible: tuple[int, int] | None) -> None:
        """When the same films are listed in the same order — the usual case while Complete the
        Catalogue fills in credits — only what may show something new is read again and
        repainted (the rows of the films changed, the Director column after people changed,
        the viewing columns after viewings or reviews). Otherwise, or after the Trash or
        another journal, the model is reset. ``visible`` (first, last row on screen) bounds the
        repaint of a column: a view repaints all it shows for a change that spans every row.

        A reset repaints every visible cell: ~1,500 calls into Python, 15–40 ms here, once a
        second while a bulk run sends its changes."""
        if ids != self._ids or changes.trash or changes.journal:
            self._reset(ids)
            return
        if not ids:
            return
        columns = set()
        if changes.people:
            columns.add(COL_DIRECTOR)
        if changes.viewings or changes.reviews:
            columns |= {COL_SCORE, COL_VIEWINGS, COL_LAST}
        if columns:
            self._cache.clear()
            first, last = visible if visible is not None else (0, len(ids) - 1)
            first, last = max(0, first), min(len(ids) - 1, last if last >= 0 else len(ids) - 1)
            if first <= last:
                self.dataChanged.emit(self.index(first, min(columns)),
                                      self.index(last, max(columns)))
        films = set(changes.films.ids) if not changes.films.every else set(ids)
        if films:
            where = {film_id: row for row, film_id in enumerate(ids)} if len(films) > 8 else None
            rows = sorted(r for r in ((where.get(f) if where is not None else self.row_of(f))
                                      for f in films) if r is not None)
            for film_id in films:
                self._cache.pop(film_id, None)
            for start, end in runs(rows):
                self.dataChanged.emit(self.index(start, 0), self.index(end, len(COLUMNS) - 1))

    def set_filter(self, text: str) -> bool:
        """Apply quick-filter text; on a bad term keep the rows and report it. True if applied."""
        query = cq.parse_query(text)
        try:
            cq.build_ids_sql(query, self._sort, self._descending)
        except ValidationError as exc:
            self.filter_problem.emit(exc.message)
            return False
        self._query = query
        self.reload()
        unknown = ", ".join(sorted(set(query.unknown)))
        self.filter_problem.emit(f"No field called {unknown}: searched as words." if unknown
                                 else "")
        return True

    def film_id(self, row: int) -> int | None:
        return self.id_at(row)

    # ------------------------------------------------------------------ Qt API
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        if role == FilmIdRole:
            return self._ids[index.row()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (
                COL_YEAR, COL_SCORE, COL_VIEWINGS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        row = self.row_at(index.row())
        if row is None:
            return None
        return self._display(row, index.column())

    @staticmethod
    def _display(r: cq.FilmRow, col: int) -> str:
        values = {COL_TITLE: r.title, COL_ORIGINAL: r.original_title if
                  r.original_title != r.title else "", COL_YEAR: str(r.year or ""),
                  COL_DIRECTOR: r.directors, COL_SCORE: format_score(r.score),
                  COL_VIEWINGS: str(r.viewings) if r.viewings else "",
                  COL_LAST: display_partial(r.last_viewed)}
        return values.get(col, "")

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        key, descending = COLUMNS[column][0], order == Qt.SortOrder.DescendingOrder
        if (key, descending) == (self._sort, self._descending):
            return  # the view asks again when sorting is enabled: no second query
        self._sort, self._descending = key, descending
        self._request_ids(self._ids_sql(), self._reorder, self._positions)
