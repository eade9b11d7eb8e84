"""The review form's film picker: an editable combo box that asks the catalogue, as the user
types, for the few films whose title holds what is typed.

Opening a review needs one film, the review's: the combo holds that film alone (its label, its
id). Nothing is read when the picker gets the focus. Each edit asks the core
(``film_titles.films_matching``: folded, a LIMIT, an index) on a worker, through the
latest-request-wins helper (a title typed over makes its question stale: cancelled, its answer
dropped); the answer pops up as a completion list, and choosing one of its films (Return, a
click) hands its id to ``chosen``. Down or the arrow shows the films for what is in the field
(the first films by title when it shows the review's film). The journal's size changes nothing
but the time of a question that matches little (~25-35 ms on the worker at 100,000 films).

Return on a title that is no choice (no completion highlighted) is handed to
``return_unmatched`` (the form chooses the one film of that title, or offers to create it).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from journal.ui.bridge import CancelToken
from journal.ui.latest import LatestOnly

#: (id, title, year) rows, as ``film_titles.films_matching`` returns them
FilmRows = list[tuple[int, str, "int | None"]]
FILM_ID_ROLE = int(Qt.ItemDataRole.UserRole)


def film_label(title: str, year: int | None) -> str:
    return f"{title} ({year})" if year else title


class FilmCombo(QComboBox):
    """An editable combo box holding the chosen film, completing from the catalogue as typed."""

    def __init__(self, find: Callable[[str, CancelToken], FilmRows],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        #: asks the catalogue for what is typed (run on a worker)
        self.find = find
        #: called with a film's id when the user chooses it in the completion list
        self.chosen: Callable[[int], None] = lambda _film_id: None
        #: called with the typed text when Return names no film of the list
        self.return_unmatched: Callable[[str], None] = lambda _text: None
        #: the last texts asked for, newest last (bounded: a session types thousands)
        self.asked: deque[str] = deque(maxlen=32)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        # Sized by a length, not by its items (platform notes: a combo of 5,000 films asked
        # each one its text when laid out).
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(24)
        self.setCompleter(None)  # Qt's own would complete from the one film the combo holds
        self.matches = QStandardItemModel(self)
        self.suggestions = QCompleter(self.matches, self)
        self.suggestions.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.suggestions.setWidget(self)
        self.suggestions.activated[QModelIndex].connect(self._picked)
        popup = self.suggestions.popup()
        popup.setObjectName("filmMatches")
        popup.setAccessibleName("Films whose title holds what is typed")
        self._lookups = LatestOnly[FilmRows](self.offer, parent=self)
        self.lineEdit().textEdited.connect(self.ask)

    # ------------------------------------------------------------------ asking
    def ask(self, text: str) -> None:
        """Ask the catalogue for the films ``text`` names; they pop up when they come."""
        self.asked.append(text)
        find = self.find
        self._lookups.request(lambda token: find(text, token))

    def offer(self, rows: FilmRows) -> None:
        """Show ``rows`` as the completion list (the field keeps what is typed)."""
        self.matches.clear()
        for film_id, title, year in rows:
            item = QStandardItem(film_label(title, year))
            item.setData(film_id, FILM_ID_ROLE)
            item.setEditable(False)
            self.matches.appendRow(item)
        popup = self.suggestions.popup()
        if rows and self.hasFocus():
            self.suggestions.complete()
            popup.setCurrentIndex(QModelIndex())  # nothing chosen until the user moves
        else:
            popup.hide()

    def forget_matches(self) -> None:
        """The catalogue changed: what was offered may be stale."""
        self._lookups.stale()
        self.matches.clear()
        self.suggestions.popup().hide()

    def _picked(self, index: QModelIndex) -> None:
        film_id = index.data(FILM_ID_ROLE)
        if film_id is not None:
            self.chosen(int(film_id))

    # ------------------------------------------------------------------ Qt
    def showPopup(self) -> None:  # noqa: N802 (Qt API)
        """The arrow, Alt+Down, F4, Down: the films for what is in the field, or (the field
        showing the chosen film) the first films by title."""
        text = self.currentText()
        self.ask("" if self.currentIndex() >= 0 and text == self.itemText(self.currentIndex())
                 else text)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        key = event.key()
        popup = self.suggestions.popup()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if popup.isVisible():
                if popup.currentIndex().isValid():
                    event.ignore()  # the completer chooses the highlighted film
                    return
                popup.hide()  # nothing highlighted: Return is about the typed title
            text = self.currentText().strip()
            if text and self.findText(text, Qt.MatchFlag.MatchFixedString) < 0:
                event.accept()
                self.return_unmatched(text)
                return
        elif key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and not popup.isVisible() and \
                not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            event.accept()
            self.showPopup()
            return
        super().keyPressEvent(event)
