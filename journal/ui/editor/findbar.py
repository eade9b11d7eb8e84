"""Find and replace under the editor: match case, whole words, regular expressions."""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QKeyEvent, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

Flag = QTextDocument.FindFlag


class FindBar(QWidget):
    """Hidden until Ctrl+F (find) or Ctrl+H (find and replace). Escape closes it."""

    closed = Signal()

    def __init__(self, editor: QPlainTextEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.setObjectName("findBar")
        self.setAccessibleName("Find and replace")
        #: Called once before a "replace all" (the editor view takes a revision snapshot).
        self.before_replace_all: Callable[[], None] | None = None
        self.find_edit = self._line("findText", "Find", "Find…")
        self.replace_edit = self._line("replaceText", "Replace with", "Replace with…")
        self.case_box = self._check("matchCase", "Match case")
        self.word_box = self._check("wholeWords", "Whole words")
        self.regex_box = self._check("useRegex", "Regular expression")
        self.message = QLabel(self)
        self.message.setObjectName("findMessage")
        self.next_button = self._button("findNext", "Next", lambda: self.find_next())
        self.prev_button = self._button("findPrevious", "Previous",
                                        lambda: self.find_next(backward=True))
        self.replace_button = self._button("replaceOne", "Replace", self.replace_one)
        self.replace_all_button = self._button("replaceAll", "Replace all", self.replace_all)
        self.close_button = self._button("findClose", "Close", self.close_bar)
        self._layout()
        self.find_edit.returnPressed.connect(self.find_next)
        self.replace_edit.returnPressed.connect(self.replace_one)
        self.hide()

    def _line(self, name: str, accessible: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(name)
        edit.setAccessibleName(accessible)
        edit.setPlaceholderText(placeholder)
        edit.setClearButtonEnabled(True)
        return edit

    def _check(self, name: str, text: str) -> QCheckBox:
        box = QCheckBox(text, self)
        box.setObjectName(name)
        box.setAccessibleName(text)
        return box

    def _button(self, name: str, text: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAccessibleName(text)
        button.clicked.connect(slot)
        return button

    def _layout(self) -> None:
        grid = QGridLayout(self)
        grid.setContentsMargins(4, 2, 4, 2)
        grid.addWidget(self.find_edit, 0, 0)
        grid.addWidget(self.prev_button, 0, 1)
        grid.addWidget(self.next_button, 0, 2)
        grid.addWidget(self.case_box, 0, 3)
        grid.addWidget(self.word_box, 0, 4)
        grid.addWidget(self.regex_box, 0, 5)
        grid.addWidget(self.close_button, 0, 6)
        grid.addWidget(self.replace_edit, 1, 0)
        grid.addWidget(self.replace_button, 1, 1)
        grid.addWidget(self.replace_all_button, 1, 2)
        grid.addWidget(self.message, 1, 3, 1, 4)
        grid.setColumnStretch(0, 1)

    # ------------------------------------------------------------------ showing
    def open_find(self, replace: bool = False) -> None:
        for widget in (self.replace_edit, self.replace_button, self.replace_all_button):
            widget.setVisible(replace)
        selected = self.editor.textCursor().selectedText()
        if selected and "\u2029" not in selected:
            self.find_edit.setText(selected)
        self.show()
        self.find_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.find_edit.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)
        self.closed.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        if event.key() == Qt.Key.Key_Escape:
            self.close_bar()
            return
        super().keyPressEvent(event)

    # ------------------------------------------------------------------ searching
    def pattern(self) -> re.Pattern[str] | None:
        """The search as a Python regex (None when empty or invalid; the message says why)."""
        text = self.find_edit.text()
        if not text:
            return None
        source = text if self.regex_box.isChecked() else re.escape(text)
        if self.word_box.isChecked():
            source = rf"\b(?:{source})\b"
        try:
            return re.compile(source, 0 if self.case_box.isChecked() else re.IGNORECASE)
        except re.error as exc:
            self.message.setText(f"Invalid expression: {exc.msg}")
            return None

    def _qt_regex(self, pattern: re.Pattern[str]) -> QRegularExpression:
        options = QRegularExpression.PatternOption.UseUnicodePropertiesOption
        if pattern.flags & re.IGNORECASE:
            options |= QRegularExpression.PatternOption.CaseInsensitiveOption
        return QRegularExpression(pattern.pattern, options)

    def find_next(self, backward: bool = False) -> bool:
        pattern = self.pattern()
        if pattern is None:
            return False
        flags = Flag.FindBackward if backward else Flag(0)
        if self.case_box.isChecked():
            flags |= Flag.FindCaseSensitively
        regex = self._qt_regex(pattern)
        doc = self.editor.document()
        found = doc.find(regex, self.editor.textCursor(), flags)
        if found.isNull():  # wrap around
            start = QTextCursor(doc)
            if backward:
                start.movePosition(QTextCursor.MoveOperation.End)
            found = doc.find(regex, start, flags)
        if found.isNull():
            self.message.setText("Not found")
            return False
        self.message.setText("")
        self.editor.setTextCursor(found)
        return True

    def _selection_matches(self, pattern: re.Pattern[str]) -> bool:
        selected = self.editor.textCursor().selectedText()
        return bool(selected) and pattern.fullmatch(selected) is not None

    def _expand(self, pattern: re.Pattern[str], matched: str) -> str:
        replacement = self.replace_edit.text()
        if not self.regex_box.isChecked():
            return replacement
        m = pattern.fullmatch(matched)
        return m.expand(replacement.replace("$", "\\")) if m else replacement

    def replace_one(self) -> None:
        pattern = self.pattern()
        if pattern is None:
            return
        if self._selection_matches(pattern):
            cursor = self.editor.textCursor()
            cursor.insertText(self._expand(pattern, cursor.selectedText()))
        self.find_next()

    def replace_all(self) -> int:
        """Replace every match as one undo step; returns how many were replaced."""
        pattern = self.pattern()
        if pattern is None:
            return 0
        text = self.editor.toPlainText()
        expand = self._expand_fn(pattern)
        new, count = pattern.subn(expand, text)
        if count:
            if self.before_replace_all is not None:
                self.before_replace_all()
            cursor = QTextCursor(self.editor.document())
            cursor.beginEditBlock()
            cursor.select(QTextCursor.SelectionType.Document)
            cursor.insertText(new)
            cursor.endEditBlock()
        self.message.setText(f"{count} replaced" if count else "Not found")
        return count

    def _expand_fn(self, pattern: re.Pattern[str]) -> Callable[[re.Match[str]], str]:
        replacement = self.replace_edit.text()
        if not self.regex_box.isChecked():
            return lambda _m: replacement
        template = replacement.replace("$", "\\")
        return lambda m: m.expand(template)
