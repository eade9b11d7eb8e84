"""The quick-open palette (Ctrl+E): a few letters of a film, a review's film or a person, Enter.

``QuickOpenPalette(journal, signals, errors, parent)`` is a small dialog; ``palette.action`` is a
``QAction`` with the Ctrl+E shortcut (for the Go menu) that pops it up. Not Ctrl+K: that is the
editor's Link, as in every word processor and in WordPress; Ctrl+E is "go to" in VS Code and
JetBrains IDEs and the browsers' search field, and free here (Ctrl+P prints, Ctrl+G finds
next). Choosing an item emits ``open_film(int)``, ``open_review(int)`` or ``open_person(int)``
and closes the palette.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QListView, QVBoxLayout, QWidget

from journal.core.journal import Journal
from journal.core.search.quick import QuickItem, quick_open
from journal.ui.bridge import JournalSignals
from journal.ui.errors import ErrorReporter

Index = QModelIndex | QPersistentModelIndex
ItemRole = Qt.ItemDataRole.UserRole + 1
KIND_PREFIX = {"film": "Film", "review": "Review", "person": "Person"}
QUICK_OPEN_SHORTCUT = "Ctrl+E"


class QuickOpenModel(QAbstractListModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.items: list[QuickItem] = []

    def set_items(self, items: list[QuickItem]) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        item = self.items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return item.label
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{KIND_PREFIX[item.kind]}: {item.label}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return KIND_PREFIX[item.kind]
        if role == ItemRole:
            return item
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class QuickOpenPalette(QDialog):
    open_film = Signal(int)
    open_review = Signal(int)
    open_person = Signal(int)

    def __init__(self, journal: Journal, signals: JournalSignals, errors: ErrorReporter,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.journal, self.errors = journal, errors
        self.setObjectName("quickOpenPalette")
        self.setAccessibleName("Quick open")
        self.setWindowTitle("Quick Open")
        self.setModal(True)
        self.resize(520, 360)
        self.model = QuickOpenModel(self)
        self.field = QLineEdit(self)
        self.field.setObjectName("quickOpenField")
        self.field.setAccessibleName("Film, review or person to open")
        self.field.setPlaceholderText("Type a few letters of a film or a person…")
        self.field.textChanged.connect(self.refresh)
        self.field.installEventFilter(self)
        self.list = QListView(self)
        self.list.setObjectName("quickOpenList")
        self.list.setAccessibleName("Matches")
        self.list.setModel(self.model)
        self.list.activated.connect(self.choose)
        self.hint = QLabel("↑↓ to move · Enter to open · Esc to close", self)
        self.hint.setObjectName("quickOpenHint")
        layout = QVBoxLayout(self)
        layout.addWidget(self.field)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.hint)
        self.action = QAction("Quick Open…", parent or self)
        self.action.setObjectName("actionQuickOpen")
        self.action.setShortcut(QKeySequence(QUICK_OPEN_SHORTCUT))
        self.action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.action.triggered.connect(self.popup)
        signals.changed.connect(lambda *_: self.isVisible() and self.refresh())

    def popup(self) -> None:
        self.field.clear()
        self.model.set_items([])
        self.open()
        self.field.setFocus(Qt.FocusReason.PopupFocusReason)

    def refresh(self) -> None:
        try:
            items = quick_open(self.journal, self.field.text())
        except Exception as exc:
            self.errors.report(exc, "Quick open failed")
            items = []
        self.model.set_items(items)
        if items:
            self.list.setCurrentIndex(self.model.index(0, 0))

    def choose(self, index: QModelIndex | None = None) -> None:
        index = index if index is not None and index.isValid() else self.list.currentIndex()
        item = index.data(ItemRole) if index.isValid() else None
        if item is None:
            return
        self.accept()
        {"film": self.open_film, "review": self.open_review,
         "person": self.open_person}[item.kind].emit(item.id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.field and event.type() == QEvent.Type.KeyPress \
                and isinstance(event, QKeyEvent):
            key, rows = event.key(), self.model.rowCount()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.choose()
                return True
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and rows:
                current = self.list.currentIndex()
                if not current.isValid():
                    row = 0 if key == Qt.Key.Key_Down else rows - 1
                else:
                    row = current.row() + (1 if key == Qt.Key.Key_Down else -1)
                self.list.setCurrentIndex(self.model.index(max(0, min(rows - 1, row)), 0))
                return True
        return False
