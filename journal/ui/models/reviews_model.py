"""The list of reviews as a Qt table model (rows come from the core's ``ReviewService.rows``) and,
while the window opens, the first look's newest rows as a snapshot that Qt holds.

Loaded with the first frame: it names no ``Qt`` enum at import (see :mod:`journal.ui.roles`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from PySide6 import QtCore
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel
from PySide6.QtGui import QStandardItem, QStandardItemModel

from journal.core.review_rows import ReviewRow
from journal.core.values import display_partial, fold, format_tenths
from journal.ui import roles
from journal.ui.models.base import ReadOnlyTableModel

if TYPE_CHECKING:
    from PySide6.QtCore import Qt

    from journal.core.journal import Journal

Index = QModelIndex | QPersistentModelIndex

COL_FILM, COL_YEAR, COL_SCORE, COL_VIEWED, COL_STATUS, COL_EDITED = range(6)
HEADERS = ("Film", "Year", "Score", "Date of viewing", "Status", "Last edited")

ReviewIdRole = roles.USER + 1
SortRole = roles.USER + 2
FilterTextRole = roles.USER + 3
FilmIdRole = roles.USER + 4

SPOILERS_TIP = "This review has spoiler sections"

_ROLES = frozenset({roles.DISPLAY, SortRole, ReviewIdRole, FilmIdRole, FilterTextRole,
                    roles.TEXT_ALIGNMENT, roles.TOOL_TIP})


def _filter_key(r: ReviewRow) -> str:
    """What the quick filter matches: folded film title, year, review title and status."""
    return f"{r.film_title_folded} {r.film_year or ''} {fold(r.title) if r.title else ''} {r.status}"


class ReviewsModel(ReadOnlyTableModel):
    """Rows hold no body; the folded filter text and sort keys are computed once per reload,
    and sorting happens here (a list sort), not in the proxy (which would call ``data`` for
    every comparison)."""

    headers = HEADERS
    #: rows() returns the newest edit first: that is this order, no sort needed to start.
    FIRST_ORDER = (COL_EDITED, True)

    def __init__(self, journal: Journal | None, parent: Any = None) -> None:
        """``journal`` None: no rows until :meth:`attach` gives the journal."""
        super().__init__(parent)
        self.journal = journal
        self._rows: list[ReviewRow] = []
        self._filter_text: dict[int, str] = {}
        self._sort: tuple[int, bool] = self.FIRST_ORDER  # (column, descending)
        self.reload()

    def attach(self, journal: Journal) -> None:
        """The journal is open: list all of its reviews."""
        self.journal = journal
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self._rows = self.journal.reviews.rows() if self.journal is not None else []
        self._filter_text = {r.id: _filter_key(r) for r in self._rows}
        if self._sort != self.FIRST_ORDER:
            self._rows.sort(key=lambda r: self._sort_key(r, self._sort[0]),
                            reverse=self._sort[1])
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder | None = None) -> None:
        """Qt's ``sort``; ``order`` None is ascending."""
        descending = order == QtCore.Qt.SortOrder.DescendingOrder
        if not 0 <= column < len(HEADERS) or (column, descending) == self._sort:
            return
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        ids = [self._rows[i.row()].id for i in before]
        self._sort = (column, descending)
        self._rows.sort(key=lambda r: self._sort_key(r, column), reverse=descending)
        position = {r.id: n for n, r in enumerate(self._rows)}
        self.changePersistentIndexList(
            before, [self.index(position[i], old.column()) for i, old in zip(ids, before,
                                                                              strict=True)])
        self.layoutChanged.emit()

    def refresh(self, ids: Iterable[int] | None = None) -> None:
        """Bring the rows up to date in place: changed rows emit dataChanged, new rows are
        inserted and gone ones removed, so views keep their selection and scroll position.
        With ``ids`` (an autosave, an edit) only those reviews are read again."""
        if self.journal is None:
            return
        if ids is not None:
            self._refresh_some(set(ids))
            return
        fresh = {r.id: r for r in self.journal.reviews.rows()}
        self._filter_text = {r.id: _filter_key(r) for r in fresh.values()}
        for row in range(len(self._rows) - 1, -1, -1):
            if self._rows[row].id not in fresh:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row]
                self.endRemoveRows()
        last = len(HEADERS) - 1
        for row, old in enumerate(self._rows):
            new = fresh.pop(old.id)
            if new != old:
                self._rows[row] = new
                self.dataChanged.emit(self.index(row, 0), self.index(row, last))
        if fresh:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(fresh) - 1)
            self._rows.extend(fresh.values())
            self.endInsertRows()

    def _refresh_some(self, ids: set[int]) -> None:
        assert self.journal is not None
        fresh = {r.id: r for r in self.journal.reviews.rows(ids)}
        last = len(HEADERS) - 1
        for row in range(len(self._rows) - 1, -1, -1):
            old = self._rows[row]
            if old.id not in ids:
                continue
            new = fresh.pop(old.id, None)
            if new is None:  # trashed (or its film was)
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row]
                self.endRemoveRows()
                self._filter_text.pop(old.id, None)
            elif new != old:
                self._rows[row] = new
                self._filter_text[new.id] = _filter_key(new)
                self.dataChanged.emit(self.index(row, 0), self.index(row, last))
        if fresh:  # new reviews
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(fresh) - 1)
            self._rows.extend(fresh.values())
            self._filter_text.update({r.id: _filter_key(r) for r in fresh.values()})
            self.endInsertRows()

    def row_at(self, row: int) -> ReviewRow:
        return self._rows[row]

    def row_of(self, review_id: int) -> int | None:
        for i, r in enumerate(self._rows):
            if r.id == review_id:
                return i
        return None

    # ------------------------------------------------------------------ Qt API
    def data(self, index: Index, role: int = roles.DISPLAY) -> Any:
        if role not in _ROLES or not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None  # the view asks for a dozen roles per cell; most are not served
        r = self._rows[index.row()]
        col = index.column()
        if role == roles.DISPLAY:
            return self._display(r, col)
        if role == SortRole:
            return self._sort_key(r, col)
        if role == ReviewIdRole:
            return r.id
        if role == FilmIdRole:
            return r.film_id
        if role == FilterTextRole:
            return self._filter_text[r.id]
        if role == roles.TEXT_ALIGNMENT and col in (COL_YEAR, COL_SCORE):
            return roles.ALIGN_NUMBER
        if role == roles.TOOL_TIP and col == COL_FILM and r.has_spoilers:
            return SPOILERS_TIP
        return None

    @staticmethod
    def _display(r: ReviewRow, col: int) -> str:
        if col == COL_FILM:
            return r.film_title + (" ⚠" if r.has_spoilers else "")
        if col == COL_YEAR:
            return str(r.film_year or "")
        if col == COL_SCORE:
            return format_tenths(r.score_tenths)
        if col == COL_VIEWED:
            return display_partial(r.viewing_date)
        if col == COL_STATUS:
            return r.status.capitalize()
        if col == COL_EDITED:
            return r.updated_at[:16].replace("T", " ")
        return ""

    @staticmethod
    def _sort_key(r: ReviewRow, col: int) -> Any:
        if col == COL_FILM:
            return r.film_title_folded
        if col == COL_YEAR:
            return r.film_year or 0
        if col == COL_SCORE:
            return -1 if r.score_tenths is None else r.score_tenths
        if col == COL_VIEWED:
            return r.viewing_date or ""
        if col == COL_STATUS:
            return r.status
        return r.updated_at


class ReviewsProxy(QSortFilterProxyModel):
    """The quick filter over folded film title, year and status. Sorting is delegated to the
    source model, which sorts its list once instead of comparing through ``data``."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SortRole)
        self.setDynamicSortFilter(False)
        self._terms: list[str] = []

    def sort(self, column: int, order: Qt.SortOrder | None = None) -> None:
        source = self.sourceModel()
        if isinstance(source, ReviewsModel):
            source.sort(column, order)
        else:
            super().sort(column, QtCore.Qt.SortOrder.AscendingOrder if order is None else order)

    def set_quick_filter(self, text: str) -> None:
        self.beginFilterChange()
        self._terms = fold(text).split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not self._terms:
            return True
        index = self.sourceModel().index(source_row, 0, source_parent)
        haystack = self.sourceModel().data(index, FilterTextRole) or ""
        return all(term in haystack for term in self._terms)


def snapshot_model(rows: list[ReviewRow], parent: Any = None) -> QStandardItemModel:
    """The first look's rows as a model whose cells Qt itself holds: the first frame paints them
    without a call into Python (a Python ``headerData`` alone would make PySide6 build the ``Qt``
    namespace, see :mod:`journal.ui.roles`). The same texts, alignment, tool tip, ids and filter
    text as :class:`ReviewsModel`, which takes its place once the journal is open."""
    model = QStandardItemModel(0, len(HEADERS), parent)
    model.setHorizontalHeaderLabels(list(HEADERS))
    for r in rows:
        cells = []
        for col in range(len(HEADERS)):
            item = QStandardItem(ReviewsModel._display(r, col))
            item.setEditable(False)
            if col in (COL_YEAR, COL_SCORE):
                item.setData(roles.ALIGN_NUMBER, roles.TEXT_ALIGNMENT)
            cells.append(item)
        cells[COL_FILM].setData(r.id, ReviewIdRole)
        cells[COL_FILM].setData(r.film_id, FilmIdRole)
        cells[COL_FILM].setData(_filter_key(r), FilterTextRole)
        if r.has_spoilers:
            cells[COL_FILM].setToolTip(SPOILERS_TIP)
        model.appendRow(cells)
    return model
