"""The Trash page: what was deleted, grouped as it was deleted together; restore a group, empty
the Trash.

Each top-level row is one delete (a film with its reviews and viewings, a review, a viewing, a
person): what it was, how much it held, when. Its children are the records. Restore brings the
selected row's whole group back (a film comes back with what was deleted with it, never
without). Empty Trash deletes everything for good, after a confirmation whose default answer is
No. All of it from the keyboard: the list takes the arrows, Return restores the group under the
cursor, Alt+R restores, Alt+E empties.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from journal.core.journal import Journal
from journal.core.trash import TrashGroup
from journal.core.words import count, join_words
from journal.errors import EyelightsError
from journal.ui.bridge import JournalSignals
from journal.ui.errors import ErrorReporter

#: Changes that can move what the Trash holds.
RELOAD_KINDS = {"trash", "film", "review", "viewing", "person", "comment", "journal"}
GROUP_ROLE = Qt.ItemDataRole.UserRole + 1
EMPTY_TEXT = "The Trash is empty. What you delete comes here first, and can be restored."
INTRO = ("What you deleted, grouped as it was deleted together (a film with its reviews and "
         "viewings). Restore brings a whole group back; Empty Trash deletes everything here "
         "for good.")


def when(group: TrashGroup) -> str:
    return f"{group.deleted_at.day} {group.deleted_at:%B %Y, %H:%M}"


class TrashTree(QTreeWidget):
    """The groups and their records; Return restores the group under the cursor."""

    restore_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentItem():
            self.restore_requested.emit()
            return
        super().keyPressEvent(event)


class TrashPage(QWidget):
    #: A short message for the status bar ("Restored “Her (2013)”").
    message = Signal(str)

    def __init__(self, journal: Journal, signals: JournalSignals, errors: ErrorReporter,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.journal, self.errors = journal, errors
        self.groups: list[TrashGroup] = []
        self.confirm_box: QMessageBox | None = None
        self.setObjectName("trashPage")
        self.setAccessibleName("Trash")
        self.intro = QLabel(INTRO, self)
        self.intro.setObjectName("trashIntro")
        self.intro.setWordWrap(True)
        self.tree = TrashTree(self)
        self.tree.setObjectName("trashList")
        self.tree.setAccessibleName("Deleted items, grouped as deleted together")
        self.tree.setHeaderLabels(["Deleted", "Holds", "When"])
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.restore_requested.connect(self.restore_current)
        self.tree.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.empty_label = QLabel(EMPTY_TEXT, self)
        self.empty_label.setObjectName("trashEmptyNote")
        self.empty_label.setWordWrap(True)
        self.restore_button = QPushButton("&Restore", self)
        self.restore_button.setObjectName("trashRestore")
        self.restore_button.setAccessibleName("Restore the selected group")
        self.restore_button.setToolTip("Bring back everything deleted with the selected item "
                                       "(Return)")
        self.restore_button.clicked.connect(self.restore_current)
        self.empty_button = QPushButton("&Empty Trash…", self)
        self.empty_button.setObjectName("trashEmpty")
        self.empty_button.setAccessibleName("Empty the Trash")
        self.empty_button.setToolTip("Delete everything in the Trash for good")
        self.empty_button.clicked.connect(self.ask_empty)
        buttons = QHBoxLayout()
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        buttons.addWidget(self.empty_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(buttons)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty_label)
        self._reload_timer = QTimer(self, singleShot=True, interval=50)
        self._reload_timer.timeout.connect(self.reload)
        signals.changed.connect(self._on_changed)
        self.reload()

    # ------------------------------------------------------------------ contents
    def _on_changed(self, kind: str, ids: tuple) -> None:
        if kind in RELOAD_KINDS:
            self._reload_timer.start()

    def reload(self) -> None:
        """Read the Trash again, keeping the group under the cursor when it is still there."""
        current = self.current_group()
        try:
            self.groups = self.journal.trash.groups()
        except EyelightsError as exc:
            self.errors.report(exc, "The Trash could not be read")
            return
        self.tree.clear()
        keep = None
        for group in self.groups:
            top = QTreeWidgetItem([group.label, group.summary(), when(group)])
            top.setData(0, GROUP_ROLE, group.group)
            top.setData(0, Qt.ItemDataRole.AccessibleTextRole,
                        f"{group.label}: {group.summary()}, deleted {when(group)}")
            for item in group.items:
                child = QTreeWidgetItem([item.label, item.kind.capitalize(), ""])
                child.setData(0, GROUP_ROLE, group.group)
                top.addChild(child)
            self.tree.addTopLevelItem(top)
            if group.group == current:
                keep = top
        if keep is None and self.tree.topLevelItemCount():
            keep = self.tree.topLevelItem(0)
        if keep is not None:
            self.tree.setCurrentItem(keep)
            keep.setExpanded(True)  # what the group under the cursor holds, at a glance
        has = bool(self.groups)
        self.tree.setVisible(has)
        self.empty_label.setVisible(not has)
        self._update_buttons()

    def current_group(self) -> str | None:
        item = self.tree.currentItem()
        return str(item.data(0, GROUP_ROLE)) if item is not None else None

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.current_group() is not None and
                                       not self.journal.read_only)
        self.empty_button.setEnabled(bool(self.groups) and not self.journal.read_only)

    # ------------------------------------------------------------------ commands
    def restore_current(self) -> None:
        group = self.current_group()
        if group is None or self.journal.read_only:
            return
        try:
            restored = self.journal.trash.restore(group)
        except EyelightsError as exc:
            self.errors.report(exc, "The group could not be restored")
            return
        label = restored.group.label if restored.group is not None else "the group"
        text = f"Restored “{label}”"
        if restored.films:
            text += f", and {join_words(restored.films)} it belongs to"
        self.reload()
        self.message.emit(text)
        self.tree.setFocus()

    def ask_empty(self) -> QMessageBox | None:
        """Ask before deleting for good (No is the default: Return keeps everything)."""
        if not self.groups or self.journal.read_only:
            return None
        records = sum(sum(g.counts.values()) for g in self.groups)
        box = QMessageBox(QMessageBox.Icon.Warning, "Empty Trash",
                          f"Delete the {count(records, 'item')} in the Trash for good? "
                          "This cannot be undone.",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setObjectName("trashEmptyConfirm")
        box.button(QMessageBox.StandardButton.Yes).setText("&Delete for Good")
        box.button(QMessageBox.StandardButton.No).setText("&Keep")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.finished.connect(lambda _result: self._emptied(box))
        self.confirm_box = box
        box.open()
        return box

    def _emptied(self, box: QMessageBox) -> None:
        yes = box.clickedButton() is box.button(QMessageBox.StandardButton.Yes)
        self.confirm_box = None
        box.deleteLater()
        if not yes:
            return
        try:
            removed = self.journal.trash.empty()
        except EyelightsError as exc:
            self.errors.report(exc, "The Trash could not be emptied")
            return
        self.reload()
        self.message.emit(f"Deleted {count(removed, 'item')} for good")
