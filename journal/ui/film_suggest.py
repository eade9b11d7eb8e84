"""The review form's inline New film row suggests films as you type (Wikidata or TMDb).

Typing in the title restarts a 400 ms timer; when it fires, the search runs on a worker (the
window never waits for the network) and a stale answer — for a title typed over since — is
dropped. Picking a suggestion fills the title and the year; once the film is created, what the
source knows (directors, cast, poster, ids…) is filled in on a worker too, by the default rule
(the film is new: every empty field).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QLineEdit, QSpinBox

from journal.core.journal import Journal
from journal.errors import EyelightsError
from journal.ui.bridge import CancelToken, Worker
from journal.ui.latest import LatestOnly

if TYPE_CHECKING:
    from journal.core.metadata.record import Candidate

# The catalogue sources, their cache and the poster scaling load when a suggestion is first
# looked for (the review form, built with the window, holds this helper).

TITLE_ROLE = int(Qt.ItemDataRole.UserRole) + 1
INDEX_ROLE = int(Qt.ItemDataRole.UserRole) + 2
DEBOUNCE_MS = 400
MIN_CHARS = 3


class _Found(NamedTuple):
    source_name: str
    hits: list[Candidate]


class NewFilmSuggestions(QObject):
    def __init__(self, journal: Journal, title: QLineEdit, year: QSpinBox,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.journal, self.title, self.year = journal, title, year
        self.candidates: list[Candidate] = []
        self.chosen: Candidate | None = None
        self.source_name = ""
        self.searches = 0          # how many searches were started (tests, debounce)
        # a title typed over makes its search stale: cancelled, its answer dropped
        self._lookups = LatestOnly[_Found](self._found, on_failure=self._failed,
                                           one_at_a_time=False, parent=self)
        self.model = QStandardItemModel(self)
        self.completer = QCompleter(self.model, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setCompletionRole(TITLE_ROLE)
        self.completer.setWidget(title)
        self.completer.activated[QModelIndex].connect(self._picked)
        # Return on a suggestion picks it (title and year) and stops there: the row's own
        # Return (create the film) is the next key, so a film is never made half-filled.
        self.completer.popup().installEventFilter(self)
        self.completer.popup().setObjectName("newFilmSuggestions")
        self.completer.popup().setAccessibleName("Films that match the title")
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.search)
        title.textEdited.connect(self._edited)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        popup = self.completer.popup()
        if watched is popup and event.type() == QEvent.Type.KeyPress and isinstance(
                event, QKeyEvent) and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            index = popup.currentIndex()
            popup.hide()
            if index.isValid():
                self._picked(index)
            return True
        return super().eventFilter(watched, event)

    def _edited(self, _text: str) -> None:
        self.chosen = None
        from journal.ui import metadata_support as support  # with the first title typed

        if support.current_settings().suggest:  # off in Preferences → Catalogue: nothing sent
            self.timer.start()

    def search(self) -> None:
        text = " ".join(self.title.text().split())
        if len(text) < MIN_CHARS:
            return
        self.searches += 1
        year = self.year.value() or None
        from journal.ui import metadata_support as support  # here, in the GUI thread

        def work(token: CancelToken) -> _Found:
            source = support.open_source(cancel=token)
            try:
                return _Found(source.name, source.search(text, year, limit=6, details=3))
            finally:
                source.close()

        self._lookups.request(work)

    def _failed(self, exc: object) -> None:
        from journal.core.metadata.errors import LookupCancelled

        if isinstance(exc, LookupCancelled):
            return
        message = exc.message if isinstance(exc, EyelightsError) else str(exc)
        self.title.setToolTip(f"No suggestions: {message}")

    def _found(self, found: _Found) -> None:
        source_name, hits = found
        self.title.setToolTip("")
        self.candidates, self.source_name = hits, source_name
        self.model.clear()
        for index, candidate in enumerate(hits):
            item = QStandardItem(candidate.label())
            item.setData(candidate.title, TITLE_ROLE)
            item.setData(index, INDEX_ROLE)
            item.setToolTip(candidate.description)
            self.model.appendRow(item)
        if hits and self.title.hasFocus():
            self.completer.setCompletionPrefix("")
            self.completer.complete()

    def _picked(self, index: QModelIndex) -> None:
        row = index.data(INDEX_ROLE)
        if row is None or not 0 <= int(row) < len(self.candidates):
            return
        self.chosen = self.candidates[int(row)]
        self.title.setText(self.chosen.title)
        if self.chosen.year:
            self.year.setValue(self.chosen.year)

    def film_created(self, film_id: int) -> Worker | None:
        """The row created a film: fill it from the suggestion it was made from, if any."""
        chosen, name = self.chosen, self.source_name
        self.chosen = None
        if chosen is None:
            return None
        journal = self.journal
        from journal.core.metadata import apply as applying
        from journal.ui import metadata_support as support
        from journal.ui.poster_image import scale_poster

        def work(token: CancelToken) -> Any:
            source = support.open_source(name, cancel=token)
            try:
                record = chosen.record or source.details(chosen.key)
                if record is None:
                    return None
                fields = applying.default_fields(journal, film_id, record)
                poster, _why = (applying.fetch_poster(source, record, scale_poster)
                                if "poster" in fields else (None, ""))
            finally:
                source.close()
            return applying.apply_record(journal, film_id, record, fields, poster=poster,
                                         state=f"{name}:matched")

        worker = Worker(work, self)
        worker.failed.connect(self._failed)
        return worker.start()
