"""Qt models for search: results grouped by kind, saved searches with live counts, and the
delegate that draws a hit with its highlighted snippet."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
    QTimer,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QFont,
    QFontMetrics,
    QPalette,
    QTextDocument,
)
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from journal.core.search import KIND_LABELS, KINDS, Hit, SearchResult
from journal.core.search.saved import SavedSearchService
from journal.core.values import display_partial, format_score
from journal.core.words import count as plural_count

Index = QModelIndex | QPersistentModelIndex

HitRole = Qt.ItemDataRole.UserRole + 1
KindRole = Qt.ItemDataRole.UserRole + 2
IdRole = Qt.ItemDataRole.UserRole + 3
HtmlRole = Qt.ItemDataRole.UserRole + 4
QueryRole = Qt.ItemDataRole.UserRole + 5
CountRole = Qt.ItemDataRole.UserRole + 6
SizeTextRole = Qt.ItemDataRole.UserRole + 7  # (heading, snippet or None while pending)
_TEXT_ROLES = {Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole, HtmlRole,
               Qt.ItemDataRole.ToolTipRole}
_GROUP = 0xFFFFFFFF  # internal id of a group row
_MARGIN = 3  # around a hit's text, in pixels


def hit_heading(hit: Hit) -> str:
    """The first line of a hit, plain: film (year) · date of viewing · score."""
    parts = [f"{hit.title} ({hit.year})" if hit.year else hit.title]
    if hit.kind == "review":
        if hit.label:
            parts.append(hit.label)
        parts.append(display_partial(hit.viewing_date) or "date of viewing unknown")
        if hit.score is not None:
            parts.append(f"★ {format_score(hit.score)}")
    elif hit.kind == "viewing":  # a diary entry without a review: its snippet says so
        parts.append(f"seen {display_partial(hit.viewing_date)}" if hit.viewing_date
                     else "date of viewing unknown")
    elif hit.kind == "comment" and hit.label:
        parts.append(f"comment by {hit.label}")
    return " · ".join(parts)


class SearchResultsModel(QAbstractItemModel):
    """Top level: one row per kind that has hits ("Reviews (12)"); children: the hits.

    Hits whose snippet the engine left for later get it when a view first asks for their text,
    ``SNIPPET_BATCH`` at a time; ``dataChanged`` then tells the view (after the current paint).
    """

    SNIPPET_BATCH = 20

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._groups: list[tuple[str, list[Hit]]] = []
        self._result: SearchResult | None = None
        self._changed: list[tuple[int, int, int]] = []  # (group, first row, last row)

    def set_result(self, result: SearchResult | None) -> None:
        self.beginResetModel()
        self._result = result
        self._changed.clear()
        by_kind = result.by_kind() if result is not None else {}
        self._groups = [(k, by_kind[k]) for k in KINDS if by_kind.get(k)]
        self.endResetModel()

    def _complete(self, group: int, row: int) -> Hit:
        """The hit with its snippet, filling the next few pending ones of its group."""
        kind, hits = self._groups[group]
        if not hits[row].snippet_pending or self._result is None:
            return hits[row]
        end = min(len(hits), row + self.SNIPPET_BATCH)
        hits[row:end] = self._result.fill_snippets(hits[row:end])
        if not self._changed:
            QTimer.singleShot(0, self._announce)
        self._changed.append((group, row, end - 1))
        return hits[row]

    def _announce(self) -> None:
        changed, self._changed = self._changed, []
        for group, first, last in changed:
            if group < len(self._groups) and last < len(self._groups[group][1]):
                parent = self.index(group, 0)
                self.dataChanged.emit(self.index(first, 0, parent), self.index(last, 0, parent))

    def hit_count(self) -> int:
        return sum(len(hits) for _, hits in self._groups)

    def first_hit_index(self) -> QModelIndex:
        return self.index(0, 0, self.index(0, 0)) if self._groups else QModelIndex()

    def hit(self, index: Index) -> Hit | None:
        if not index.isValid() or index.internalId() == _GROUP:
            return None
        return self._groups[index.internalId()][1][index.row()]

    # ------------------------------------------------------------------ Qt API
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column != 0 or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, 0, _GROUP) if row < len(self._groups) else QModelIndex()
        if parent.internalId() != _GROUP or parent.row() >= len(self._groups):
            return QModelIndex()
        hits = self._groups[parent.row()][1]
        return self.createIndex(row, 0, parent.row()) if row < len(hits) else QModelIndex()

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == _GROUP:
            return QModelIndex()
        return self.createIndex(int(index.internalId()), 0, _GROUP)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() == _GROUP and parent.column() == 0:
            return len(self._groups[parent.row()][1])
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 1

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if index.internalId() == _GROUP:
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == _GROUP:
            kind, hits = self._groups[index.row()]
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return f"{KIND_LABELS[kind]} ({len(hits)})"
            if role == HtmlRole:
                return f"<b>{KIND_LABELS[kind]}</b> ({len(hits)})"
            if role == KindRole:
                return kind
            return None
        hit = self.hit(index)
        assert hit is not None
        if role == SizeTextRole:  # for the delegate's size hint: never computes a snippet
            return hit_heading(hit), (None if hit.snippet_pending else hit.snippet_text("", ""))
        if role in _TEXT_ROLES:
            hit = self._complete(int(index.internalId()), index.row())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{hit_heading(hit)} — {hit.snippet_text('', '')}"
        if role == HtmlRole:
            return (f"<b>{html.escape(hit_heading(hit))}</b><br>"
                    f"<span>{hit.snippet_html('<b><u>', '</u></b>')}</span>")
        if role == Qt.ItemDataRole.ToolTipRole:
            return hit.snippet_text("«", "»")
        if role == HitRole:
            return hit
        if role == KindRole:
            return hit.kind
        if role == IdRole:
            return hit.id
        return None


class HtmlDelegate(QStyledItemDelegate):
    """Draws an item's ``HtmlRole`` (bold matches) instead of its plain text."""

    def _document(self, option: QStyleOptionViewItem, index: Index,
                  width: int | None = None) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setDocumentMargin(_MARGIN)
        doc.setHtml(index.data(HtmlRole) or "")
        doc.setTextWidth(max(100, width if width is not None else option.rect.width()))
        return doc

    def paint(self, painter: Any, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        doc = self._document(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        ctx = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        group = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        ctx.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(group))
        painter.save()
        painter.translate(opt.rect.topLeft())
        painter.setClipRect(QRectF(0, 0, opt.rect.width(), opt.rect.height()))
        doc.documentLayout().draw(painter, ctx)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        """From font metrics (a layout of every hit's rich text would cost more than the search
        itself); a pending snippet counts as two lines until it is known."""
        opt = option  # not initStyleOption: it asks the model for the text (and the snippet)
        view = opt.widget
        width = view.viewport().width() - 40 if view is not None else 400  # type: ignore[attr-defined]
        width = max(100, width) - 2 * _MARGIN
        texts = index.data(SizeTextRole)
        bold = QFont(opt.font)
        bold.setBold(True)
        if texts is None:  # a group row
            return QSize(width, QFontMetrics(bold).height() + 2 * _MARGIN)
        heading, snippet = texts
        flags = int(Qt.TextFlag.TextWordWrap)
        height = QFontMetrics(bold).boundingRect(0, 0, width, 10_000, flags, heading).height()
        metrics = QFontMetrics(opt.font)
        if snippet is None:
            height += 2 * metrics.lineSpacing()
        elif snippet:
            height += metrics.boundingRect(0, 0, width, 10_000, flags, snippet).height()
        return QSize(width, height + 2 * _MARGIN + 2)


class SavedSearchesModel(QAbstractListModel):
    """Saved searches and their live counts; ``refresh_counts`` after the journal changes."""

    def __init__(self, service: SavedSearchService, parent: Any = None) -> None:
        super().__init__(parent)
        self.service = service
        self._rows: list[tuple[int, str, str, int]] = []
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self._rows = [(s.id, s.name, s.query, self.service.engine.count(s.query))
                      for s in self.service.all()]
        self.endResetModel()

    def refresh_counts(self) -> None:
        for row, (sid, name, query, _count) in enumerate(self._rows):
            count = self.service.engine.count(query)
            if count != self._rows[row][3]:
                self._rows[row] = (sid, name, query, count)
                index = self.index(row, 0)
                self.dataChanged.emit(index, index)

    def id_at(self, row: int) -> int:
        return self._rows[row][0]

    def row_of(self, search_id: int) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r[0] == search_id), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        sid, name, query, count = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{name} ({count})"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{name}, {plural_count(count, 'result')}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return query
        if role == Qt.ItemDataRole.EditRole:
            return name
        if role == IdRole:
            return sid
        if role == QueryRole:
            return query
        if role == CountRole:
            return count
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
