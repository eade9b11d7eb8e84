"""The review form's film picker: a combo box that lists the whole catalogue only once the user
reaches for it.

Opening a review needs one film, the review's: filling the picker with every film (a query, a
model of 5,000 or 100,000 rows, its completer) would delay the preview for nothing. The form
shows the review's film alone, and ``needs_films`` (the form's loader) runs the first time the
picker gets the focus, its list is opened or a key is typed into it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QComboBox, QWidget


class FilmPicker(QComboBox):
    """An editable combo box sized by length (never by scanning its items)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.needs_films: Callable[[], None] = lambda: None
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
        super().keyPressEvent(event)
