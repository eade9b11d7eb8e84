"""The revision browser: a review's snapshots, a diff against the current text, and restore
(which keeps the current text as a revision too, so restoring is never destructive)."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from journal.core.journal import Journal
from journal.errors import EyelightsError

REASONS = {"autosave": "Autosave", "before delete": "Before delete",
           "before restore": "Before restore", "before replace all": "Before replace all",
           "manual": "Saved by you"}


def diff_html(old: str, new: str, context: int = 3) -> str:
    """A unified diff of two texts as HTML (removed lines red, added lines green)."""
    lines = difflib.unified_diff(old.splitlines(), new.splitlines(), "revision", "current",
                                 n=context, lineterm="")
    out = []
    for line in lines:
        css = ("color:#2e7d32" if line.startswith("+") else
               "color:#c62828" if line.startswith("-") else
               "color:#777777" if line.startswith("@@") else "")
        out.append(f'<span style="{css}">{escape(line) or "&nbsp;"}</span>')
    if not out:
        return "<p>This revision is the same as the current text.</p>"
    return "<pre>" + "\n".join(out) + "</pre>"


class RevisionsDialog(QDialog):
    """``current_text()`` gives the editor's text (the diff's right side)."""

    restored = Signal(int)  # review id

    def __init__(self, journal: Journal, review_id: int, current_text: Callable[[], str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.journal, self.review_id, self.current_text = journal, review_id, current_text
        self.setObjectName("revisionsDialog")
        self.setWindowTitle("Revisions")
        self.setAccessibleName("Revisions of this review")
        self.resize(900, 600)
        self.list = QListWidget(self)
        self.list.setObjectName("revisionsList")
        self.list.setAccessibleName("Revisions")
        self.list.currentRowChanged.connect(self._show_diff)
        self.diff = QTextBrowser(self)
        self.diff.setObjectName("revisionDiff")
        self.diff.setAccessibleName("Differences from the current text")
        self.message = QLabel(self)
        self.message.setObjectName("revisionsMessage")
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.list)
        splitter.addWidget(self.diff)
        splitter.setSizes([260, 640])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.restore_button = QPushButton("Restore this revision", self)
        self.restore_button.setObjectName("restoreRevision")
        self.restore_button.setAccessibleName("Restore this revision")
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.restore_button.clicked.connect(self.restore_selected)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        self.list.clear()
        for revision in self.journal.reviews.revisions(self.review_id):
            when = revision.created_at.strftime("%Y-%m-%d %H:%M:%S")
            item = QListWidgetItem(f"{when} — {REASONS.get(revision.reason, revision.reason)}")
            item.setData(Qt.ItemDataRole.UserRole, revision.id)
            item.setData(Qt.ItemDataRole.UserRole + 1, revision.body)
            self.list.addItem(item)
        empty = self.list.count() == 0
        self.restore_button.setEnabled(not empty)
        if empty:
            self.diff.setHtml("<p>No revisions yet: they are taken every few minutes while "
                              "you write and before anything destructive.</p>")
        else:
            self.list.setCurrentRow(0)

    def _show_diff(self, row: int) -> None:
        item = self.list.item(row)
        if item is not None:
            self.diff.setHtml(diff_html(item.data(Qt.ItemDataRole.UserRole + 1),
                                        self.current_text()))

    def selected_revision(self) -> int | None:
        item = self.list.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def restore_selected(self) -> bool:
        revision_id = self.selected_revision()
        if revision_id is None:
            return False
        try:
            self.journal.reviews.restore_revision(revision_id)
        except EyelightsError as exc:
            self.message.setText(exc.message)
            return False
        self.restored.emit(self.review_id)
        self.accept()
        return True
