"""The review form's film picker: a combo box that lists the whole catalogue only once the user
reaches for it.

Opening a review needs one film, the review's: filling the picker with every film (a query, a
model of 5,000 or 100,000 rows, its completer) would delay the preview for nothing. The form
shows the review's film alone, and ``needs_films`` (the form's loader) runs the first time the
picker gets the focus, its list is opened or a key is typed into it.

Return on a title that is none of the list's (no completion chosen) is handed to
``return_unmatched`` (the form chooses the one film of that title, or offers to create it)
instead of doing nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QComboBox, QWidget


class LazyFilmCombo(QComboBox):
    """An editable combo box sized by length (never by scanning its items)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.needs_films: Callable[[], None] = lambda: None
        #: called with the typed text when Return names no film of the list
        self.return_unmatched: Callable[[str], None] = lambda _text: None
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        # Sized by a length, not by its items: laying out a combo of 5,000 films asked each
        # one its text (~25,000 calls, 100-280 ms when a review opened).
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(24)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt API)
        self.needs_films()
        super().focusInEvent(event)

    def showPopup(self) -> None:  # noqa: N802 (Qt API)
        self.needs_films()
        super().showPopup()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        self.needs_films()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            text = self.currentText().strip()
            if text and self.findText(text, Qt.MatchFlag.MatchFixedString) < 0:
                event.accept()
                self.return_unmatched(text)
                return
        super().keyPressEvent(event)
