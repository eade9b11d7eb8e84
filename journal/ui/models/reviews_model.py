"""The list of reviews as a lazy Qt table model and, while the window opens, the first look's
newest rows as a snapshot that Qt holds.

Like the Films list (``WindowedRows``): the ordered ids of the reviews the quick filter matches
come up front (one SQL statement, ``journal.core.review_rows.build_ids_sql``: sorting and the
filter run in SQL, on the list's worker), and only the rows on screen are read, a window at a
time. At 10,000 reviews the list held every row as Python objects (~5.4 MiB, ~8 MB of memory at
the peak of opening); now it holds 10,000 ids and a screenful of rows.

Loaded with the first frame: it names no ``Qt`` enum at import (see :mod:`journal.ui.roles`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from PySide6 import QtCore
from PySide6.QtCore import QModelIndex, QPersistentModelIndex
from PySide6.QtGui import QStandardItem, QStandardItemModel

from journal.core import review_rows as rr
from journal.core.review_rows import ReviewRow
from journal.core.values import display_partial, format_tenths
from journal.ui import roles
from journal.ui.models.base import WindowedRows, runs

if TYPE_CHECKING:
    from PySide6.QtCore import Qt

    from journal.core.journal import Journal

Index = QModelIndex | QPersistentModelIndex

COL_FILM, COL_YEAR, COL_SCORE, COL_VIEWED, COL_STATUS, COL_EDITED = range(6)
HEADERS = ("Film", "Year", "Score", "Date of viewing", "Status", "Last edited")
#: Each column's sort key in ``review_rows.SORT_SQL``.
SORT_KEYS = ("film", "year", "score", "viewed", "status", "edited")

ReviewIdRole = roles.USER + 1
FilterTextRole = roles.USER + 3
FilmIdRole = roles.USER + 4

SPOILERS_TIP = "This review has spoiler sections"

_ROLES = frozenset({roles.DISPLAY, ReviewIdRole, FilmIdRole, FilterTextRole,
                    roles.TEXT_ALIGNMENT, roles.TOOL_TIP})


class ReviewsModel(WindowedRows):
    """The quick filter (``set_filter``), sorting (``sort``) and refreshes after changes
    (``refresh``) ask for new ids on the list's worker; the rows shown stay until they are in
    (``settled``). A refresh moves, removes and inserts rows in place, and repaints the rows
    that may show something new: views keep their selection and scroll position."""

    headers = HEADERS
    #: The newest edit first: the order the list opens in.
    FIRST_ORDER = (COL_EDITED, True)

    def __init__(self, journal: Journal | None, parent: Any = None) -> None:
        """``journal`` None: no rows until :meth:`attach` gives the journal."""
        super().__init__(parent)
        self.journal = journal
        self._terms: list[str] = []
        self._sort: tuple[int, bool] = self.FIRST_ORDER  # (column, descending)
        #: Reviews to repaint once the refresh on the worker is in (None: every row read).
        self._unapplied: set[int] | None = set()
        if journal is not None:
            self._load()

    def attach(self, journal: Journal) -> None:
        """The journal is open: list its reviews."""
        if self._read is not None and journal is not self.journal:
            self._read.close()  # the list's own connection was to another journal
            self._read = None
        self.journal = journal
        self._load()

    def _load(self) -> None:
        """The ids, read here: the list opens with its rows (~5 ms at 10,000 reviews), through
        the journal's connection — unless a filter was typed before the journal was open, which
        needs the list's own (``fold``)."""
        text, params = self._ids_sql()
        if params:
            ids = self._reader().run(lambda r: r.ids(text, params))
        else:
            assert self.journal is not None
            ids = rr.review_ids(self.journal, text, params)
        self._reset(ids)

    def _ids_sql(self) -> tuple[str, list[Any]]:
        column, descending = self._sort
        return rr.build_ids_sql(self._terms, SORT_KEYS[column], descending)

    def _fetch_rows(self, ids: list[int], db: Any = None) -> dict[int, ReviewRow]:
        assert self.journal is not None
        return rr.rows_by_id(self.journal, ids, db)

    # ------------------------------------------------------------------ state
    def reload(self) -> None:
        """Read the ids again and drop the rows read (on the worker)."""
        if self.journal is not None:
            self._request_ids(self._ids_sql(), self._reset)

    def set_filter(self, text: str) -> None:
        """The quick filter: the reviews whose film title, year, title or status hold every
        word (``review_rows.matches``), on the worker."""
        terms = rr.filter_terms(text)
        if terms == self._terms:
            return
        self._terms = terms
        self.reload()

    def sort(self, column: int, order: Qt.SortOrder | None = None) -> None:
        """Qt's ``sort``; ``order`` None is ascending. The rows are reordered in SQL, on the
        worker; selections stay on the same reviews."""
        descending = order == QtCore.Qt.SortOrder.DescendingOrder
        if not 0 <= column < len(HEADERS) or (column, descending) == self._sort:
            return  # the view asks again when sorting is enabled: no second query
        self._sort = (column, descending)
        if self.journal is not None:
            self._request_ids(self._ids_sql(), self._reorder, self._positions)

    def refresh(self, ids: Iterable[int] | None = None) -> None:
        """Bring the rows up to date after changes: rows gone are removed, new ones inserted
        and moved ones moved (views keep their selection and scroll position), and a refreshed
        row emits ``dataChanged``. With ``ids`` (an autosave, an edit) only those reviews are
        repainted; without, every row read so far."""
        if self.journal is None:
            return
        if ids is None or self._unapplied is None:
            self._unapplied = None
        else:
            self._unapplied |= set(ids)

        def apply(new_ids: list[int]) -> None:
            names, self._unapplied = self._unapplied, set()
            self._refreshed(new_ids, names)

        self._request_ids(self._ids_sql(), apply)

    def _refreshed(self, ids: list[int], names: set[int] | None) -> None:
        stale = set(self._cache) if names is None else names
        if not self._move_to(ids):
            return  # reset: every row is read again
        if not stale:
            return
        where = {ident: row for row, ident in enumerate(self._ids)} if len(stale) > 8 else None
        rows = sorted(r for r in ((where.get(i) if where is not None else self.row_of(i))
                                  for i in stale) if r is not None)
        for ident in stale:
            self._cache.pop(ident, None)
        last = len(HEADERS) - 1
        if names is None:  # every row read so far: one span (a view repaints what it shows)
            spans = [(rows[0], rows[-1])] if rows else []
        else:
            spans = runs(rows)
        for start, end in spans:
            self.dataChanged.emit(self.index(start, 0), self.index(end, last))

    # ------------------------------------------------------------------ Qt API
    def data(self, index: Index, role: int = roles.DISPLAY) -> Any:
        if role not in _ROLES or not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None  # the view asks for a dozen roles per cell; most are not served
        if role == ReviewIdRole:
            return self._ids[index.row()]
        col = index.column()
        if role == roles.TEXT_ALIGNMENT:
            return roles.ALIGN_NUMBER if col in (COL_YEAR, COL_SCORE) else None
        if role == roles.TOOL_TIP and col != COL_FILM:
            return None
        r = self.row_at(index.row())
        if r is None:
            return None
        if role == roles.DISPLAY:
            return self._display(r, col)
        if role == FilmIdRole:
            return r.film_id
        if role == FilterTextRole:
            return rr.filter_key(r)
        if role == roles.TOOL_TIP and r.has_spoilers:
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
        cells[COL_FILM].setData(rr.filter_key(r), FilterTextRole)
        if r.has_spoilers:
            cells[COL_FILM].setToolTip(SPOILERS_TIP)
        model.appendRow(cells)
    return model
