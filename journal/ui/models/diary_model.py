"""The Diary as a lazy tree: year → month → viewings, newest first.

Years come from one GROUP BY; a year's months and a month's viewings are only read when the view
expands them (``canFetchMore``/``fetchMore``), so a diary of 200,000 viewings opens at once.
Viewings dated only to a year sit under "Month unknown"; undated ones under "Undated".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt

from journal.core import diary_query
from journal.core.diary_query import DiaryRow, month_range, year_range
from journal.core.journal import Journal
from journal.core.values import MONTH_NAMES, display_partial, format_score
from journal.store.models import MEDIUM_LABELS
from journal.ui.models.base import ReadOnlyHeaders

Index = QModelIndex | QPersistentModelIndex
HEADERS = ("Film", "Date", "Medium", "Venue", "Rewatch", "Score")
#: Re-exported: the rows and ranges now come from ``journal.core.diary_query``.
__all__ = ["HEADERS", "DiaryModel", "DiaryRow", "FilmIdRole", "Node", "PeriodRole",
           "ViewingIdRole", "month_range", "year_range"]
ViewingIdRole = Qt.ItemDataRole.UserRole + 1
FilmIdRole = Qt.ItemDataRole.UserRole + 2
PeriodRole = Qt.ItemDataRole.UserRole + 3


@dataclass(eq=False)
class Node:
    kind: str                   # "root", "year", "month", "viewing"
    key: str | None             # "2024", "2024-03", "2024-?" (month unknown), None: undated
    label: str = ""
    count: int = 0
    parent: Node | None = None
    children: list[Node] | None = None  # None: not read yet
    row: DiaryRow | None = None
    position: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


class DiaryModel(ReadOnlyHeaders, QAbstractItemModel):
    headers = HEADERS

    def __init__(self, journal: Journal, parent: Any = None) -> None:
        super().__init__(parent)
        self.journal = journal
        self.root = Node("root", None)
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self.root = Node("root", None, children=self._years())
        self.endResetModel()

    def _adopt(self, parent: Node, nodes: list[Node]) -> list[Node]:
        for i, node in enumerate(nodes):
            node.parent, node.position = parent, i
        return nodes

    def _years(self) -> list[Node]:
        rows = diary_query.years(self.journal)
        return self._adopt(self.root, [Node("year", y, y or "Undated", n) for y, n in rows])

    def _months(self, year: Node) -> list[Node]:
        if year.key is None:
            return self._adopt(year, [Node("month", None, "Undated", year.count)])
        rows = diary_query.months(self.journal, year.key)
        nodes = [Node("month", f"{year.key}-{m}" if m else f"{year.key}-?",
                      f"{MONTH_NAMES[int(m)]} {year.key}" if m
                      else f"{year.key}, month unknown", n) for m, n in rows]
        return self._adopt(year, nodes)

    def _viewings(self, month: Node) -> list[Node]:
        if month.key is None:
            rows = diary_query.rows_undated(self.journal)
        elif month.key.endswith("-?"):
            rows = diary_query.rows_on(self.journal, month.key[:4])
        else:
            rows = diary_query.rows_in_month(self.journal, month.key)
        return self._adopt(month, [Node("viewing", r.watched_on, row=r) for r in rows])

    # ------------------------------------------------------------------ helpers
    def node(self, index: Index) -> Node:
        return index.internalPointer() if index.isValid() else self.root  # type: ignore[return-value]

    def index_of(self, node: Node, column: int = 0) -> QModelIndex:
        if node is self.root or node.parent is None:
            return QModelIndex()
        return self.createIndex(node.position, column, node)

    # ------------------------------------------------------------------ Qt API
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        node = self.node(parent)
        if node.children is None or not 0 <= row < len(node.children) \
                or not 0 <= column < len(HEADERS):
            return QModelIndex()
        return self.createIndex(row, column, node.children[row])

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        parent = self.node(index).parent
        return QModelIndex() if parent is None or parent is self.root else self.index_of(parent)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        children = self.node(parent).children
        return len(children) if children is not None else 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(HEADERS)

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return False
        node = self.node(parent)
        return node.kind != "viewing" and (node.children is None or bool(node.children))

    def canFetchMore(self, parent: Index) -> bool:
        if parent.isValid() and parent.column() != 0:
            return False
        node = self.node(parent)
        return node.kind in ("year", "month") and node.children is None

    def fetchMore(self, parent: Index) -> None:
        if not self.canFetchMore(parent):
            return
        node = self.node(parent)
        children = self._months(node) if node.kind == "year" else self._viewings(node)
        if not children:
            node.children = []
            return
        self.beginInsertRows(parent, 0, len(children) - 1)
        node.children = children
        self.endInsertRows()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node = self.node(index)
        if role == PeriodRole:
            return node.key
        if node.row is None:
            if role == Qt.ItemDataRole.DisplayRole and index.column() == 0:
                return f"{node.label} ({node.count})"
            if role == Qt.ItemDataRole.FontRole and index.column() == 0:
                from PySide6.QtGui import QFont

                font = QFont()
                font.setBold(True)
                return font
            return None
        r = node.row
        if role == ViewingIdRole:
            return r.id
        if role == FilmIdRole:
            return r.film_id
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(r, index.column())
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 4 and r.rewatch:
            return "You had seen this film before"
        return None

    @staticmethod
    def _display(r: DiaryRow, col: int) -> str:
        if col == 0:
            return f"{r.film_title} ({r.film_year})" if r.film_year else r.film_title
        if col == 1:
            return display_partial(r.watched_on) or "Undated"
        if col == 2:
            return MEDIUM_LABELS.get(r.medium or "", "")
        if col == 3:
            return r.venue
        if col == 4:
            return "↻ Rewatch" if r.rewatch else ""
        return format_score(r.score)
