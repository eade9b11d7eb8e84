"""Look Up…: find a film on Wikidata or TMDb, pick it, see field by field what would change.

Opened from a film's page (``film_id``: applying writes the ticked fields, poster and credits
in one transaction) or from the film dialog (``current``: the form's values; ``chosen`` hands
the record and the ticked fields back to the form). Searching, the thumbnails, the details and
applying all run on workers; the window never waits for the network.

Keys: type the title and press Return to search; Down moves to the candidates; Return on a
candidate moves to its changes; Space ticks a field; Ctrl+Return applies.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from journal.core.journal import Journal
from journal.core.metadata import apply as applying
from journal.core.metadata.errors import LookupCancelled
from journal.core.metadata.record import Candidate, FilmRecord, Source
from journal.errors import EyelightsError
from journal.ui import metadata_support as support
from journal.ui.bridge import CancelToken, Worker
from journal.ui.poster_image import scale_poster

ROLE_INDEX = int(Qt.ItemDataRole.UserRole)


class LookupDialog(QDialog):
    #: (FilmRecord, ticked field names) — for the film dialog's form.
    chosen = Signal(object, list)
    #: The film was updated (film-page mode).
    applied = Signal(int)

    def __init__(self, journal: Journal, parent: QWidget | None = None, *,
                 film_id: int | None = None, title: str = "", year: int | None = None,
                 current: dict[str, str] | None = None, source: str | None = None) -> None:
        super().__init__(parent)
        self.journal, self.film_id = journal, film_id
        self._current = current
        self.candidates: list[Candidate] = []
        self.record: FilmRecord | None = None
        self.workers: list[Worker] = []
        self._search_worker: Worker | None = None
        self._generation = 0
        self.setObjectName("lookupDialog")
        self.setWindowTitle("Look Up a Film")
        self.setAccessibleName("Look up a film on Wikidata or TMDb")
        self._build(source or support.default_source_name())
        if film_id is not None and not title:
            film = journal.films.get(film_id)
            title, year = film.title, film.year
        self.title.setText(title)
        self.year.setText(str(year or ""))
        self.resize(860, 560)
        if title:
            self.search()

    # ------------------------------------------------------------------ building
    def _build(self, source: str) -> None:
        self.title = QLineEdit(self)
        self.title.setObjectName("lookupTitle")
        self.title.setAccessibleName("Title to look up")
        self.title.setPlaceholderText("Title")
        self.year = QLineEdit(self)
        self.year.setObjectName("lookupYear")
        self.year.setAccessibleName("Year")
        self.year.setPlaceholderText("year")
        self.year.setMaximumWidth(70)
        self.source = QComboBox(self)
        self.source.setObjectName("lookupSource")
        self.source.setAccessibleName("Source")
        for key, label in support.source_items():
            self.source.addItem(label, key)
        self.source.setCurrentIndex(max(0, self.source.findData(source)))
        self.search_button = QPushButton("&Search", self)
        self.search_button.setObjectName("lookupSearch")
        self.search_button.setAutoDefault(False)
        self.search_button.clicked.connect(self.search)
        for edit in (self.title, self.year):
            edit.installEventFilter(self)
        self.status = QLabel(self)
        self.status.setObjectName("lookupStatus")
        self.status.setAccessibleName("Lookup status")
        self.status.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setObjectName("lookupCandidates")
        self.list.setAccessibleName("Candidates")
        self.list.setIconSize(QSize(48, support.THUMB_HEIGHT))
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.currentRowChanged.connect(self._candidate_changed)
        self.list.installEventFilter(self)
        self.table = QTableWidget(0, 3, self)
        self.table.setObjectName("lookupChanges")
        self.table.setAccessibleName("What would change: tick a field to take the new value")
        self.table.setHorizontalHeaderLabels(["Field", "Now", "New"])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.installEventFilter(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Apply
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.apply_button = self.buttons.button(QDialogButtonBox.StandardButton.Apply)
        self.apply_button.setObjectName("lookupApply")
        self.apply_button.setText("&Apply Ticked Fields")
        self.apply_button.setEnabled(False)
        self.apply_button.setAutoDefault(False)
        self.apply_button.clicked.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.apply)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.year)
        top.addWidget(self.source)
        top.addWidget(self.search_button)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.list)
        split.addWidget(self.table)
        split.setSizes([320, 540])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(split, 1)
        layout.addWidget(self.buttons)

    # ------------------------------------------------------------------ keys
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        key = event.key()
        enter = key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if watched in (self.title, self.year):
            if enter and not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                self.search()
                return True
            if key == Qt.Key.Key_Down and self.list.count():
                self.list.setFocus()
                return True
        if watched is self.list and enter and not event.modifiers():
            if self.table.rowCount():
                self.table.setFocus()
                self.table.setCurrentCell(0, 0)
            return True
        if watched is self.table and key == Qt.Key.Key_Space:
            row = self.table.currentRow()
            item = self.table.item(row, 0) if row >= 0 else None
            if item is not None:
                item.setCheckState(Qt.CheckState.Unchecked if item.checkState()
                                   == Qt.CheckState.Checked else Qt.CheckState.Checked)
            return True
        return super().eventFilter(watched, event)

    # ------------------------------------------------------------------ work
    def _run(self, fn: Any, done: Any, busy: str) -> Worker:
        worker = Worker(fn, self)
        worker.finished.connect(done)
        worker.failed.connect(self._failed)
        worker.finished.connect(lambda _r, w=worker: self._forget(w))
        worker.failed.connect(lambda _e, w=worker: self._forget(w))
        self.workers.append(worker)
        self.status.setText(busy)
        return worker.start()

    def _forget(self, worker: Worker) -> None:
        if worker in self.workers:
            self.workers.remove(worker)
            worker.deleteLater()

    def _failed(self, exc: object) -> None:
        if isinstance(exc, LookupCancelled):
            return
        if isinstance(exc, EyelightsError):
            self.status.setText(exc.message)
        else:
            self.status.setText(f"The lookup failed ({type(exc).__name__}: {exc}).")
            raise exc if isinstance(exc, BaseException) else RuntimeError(str(exc))

    def source_name(self) -> str:
        return str(self.source.currentData())

    def search(self) -> None:
        title = self.title.text().strip()
        if not title:
            self.status.setText("Type a title to look up.")
            return
        year_text = self.year.text().strip()
        if year_text and not year_text.isdigit():
            self.status.setText(f"The year is a number, not “{year_text}”.")
            return
        year = int(year_text) if year_text else None
        name = self.source_name()
        if self._search_worker is not None:
            self._search_worker.cancel()
        self._generation += 1
        generation = self._generation

        def work(token: CancelToken) -> tuple[int, list[Candidate], dict[int, bytes]]:
            source = support.open_source(name, cancel=token)
            try:
                hits = source.search(title, year)
                return generation, hits, support.fetch_thumbnails(source, hits)
            finally:
                source.close()

        label = self.source.currentText()
        self._search_worker = self._run(work, self._found, f"Searching {label} for “{title}”…")

    def _found(self, result: tuple[int, list[Candidate], dict[int, bytes]]) -> None:
        generation, hits, thumbs = result
        if generation != self._generation:
            return
        self.candidates = hits
        self.list.clear()
        self.table.setRowCount(0)
        self.record = None
        self.apply_button.setEnabled(False)
        for index, candidate in enumerate(hits):
            text = candidate.label()
            if candidate.description:
                text += "\n" + candidate.description[:90]
            item = QListWidgetItem(text, self.list)
            item.setData(ROLE_INDEX, index)
            item.setToolTip(candidate.description)
            if index in thumbs:
                item.setIcon(support.icon_from(thumbs[index]))
        label = self.source.currentText()
        if hits:
            self.status.setText(f"{len(hits)} film{'s' if len(hits) != 1 else ''} on {label}: "
                                "pick one to see what would change.")
            self.list.setCurrentRow(0)
        else:
            self.status.setText(f"Nothing on {label} for “{self.title.text().strip()}”.")

    def _candidate_changed(self, row: int) -> None:
        if not 0 <= row < len(self.candidates):
            return
        candidate = self.candidates[row]
        if candidate.record is not None:
            self._show_record(row, candidate.record)
            return
        name = self.source_name()

        def work(token: CancelToken) -> tuple[int, FilmRecord | None]:
            source = support.open_source(name, cancel=token)
            try:
                return row, source.details(candidate.key)
            finally:
                source.close()

        self._run(work, lambda r: self._show_record(*r), f"Reading “{candidate.title}”…")

    def current_values(self) -> dict[str, str]:
        if self._current is not None:
            return dict(self._current)
        if self.film_id is not None:
            return applying.current_values(self.journal, self.film_id)
        return {}

    def _show_record(self, row: int, record: FilmRecord | None) -> None:
        if row != self.list.currentRow():
            return
        self.record = record
        self.table.setRowCount(0)
        if record is None:
            self.status.setText("This film is no longer there; pick another.")
            self.apply_button.setEnabled(False)
            return
        if row < len(self.candidates):
            self.candidates[row].record = record
        changes = applying.changes(self.current_values(), record)
        self.table.setRowCount(len(changes))
        for r, change in enumerate(changes):
            field = QTableWidgetItem(change.label)
            field.setData(ROLE_INDEX, change.name)
            field.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                           | Qt.ItemFlag.ItemIsUserCheckable)
            field.setCheckState(Qt.CheckState.Checked if change.tick else Qt.CheckState.Unchecked)
            self.table.setItem(r, 0, field)
            for column, text in ((1, change.current or "—"), (2, change.proposed)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(r, column, item)
        self.table.resizeColumnToContents(0)
        self.table.setColumnWidth(1, 200)
        kept = sum(1 for c in changes if not c.tick)
        self.status.setText(
            (f"{len(changes)} field{'s' if len(changes) != 1 else ''} would change"
             + (f"; {kept} you filled in stay as they are unless you tick them."
                if kept else ".")) if changes else "Nothing to change: it is all there.")
        self.apply_button.setEnabled(bool(changes))

    def ticked(self) -> list[str]:
        out = []
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.checkState() == Qt.CheckState.Checked:
                out.append(str(item.data(ROLE_INDEX)))
        return out

    def apply(self) -> None:
        if self.record is None or not self.apply_button.isEnabled():
            return
        fields, record = self.ticked(), self.record
        if not fields:
            self.status.setText("Tick the fields to take first.")
            return
        if self.film_id is None:
            self.chosen.emit(record, fields)
            self.accept()
            return
        film_id, name = self.film_id, self.source_name()

        def work(token: CancelToken) -> list[str]:
            source: Source = support.open_source(name, cancel=token)
            try:
                poster, why = (applying.fetch_poster(source, record, scale_poster)
                               if "poster" in fields else (None, ""))
            finally:
                source.close()
            notes = applying.apply_record(self.journal, film_id, record, fields, poster=poster,
                                          state=f"{name}:matched")
            return ([why] if why else []) + notes

        self.apply_button.setEnabled(False)
        self._run(work, self._applied, "Saving…")

    def _applied(self, notes: list[str]) -> None:
        assert self.film_id is not None
        self.applied.emit(self.film_id)
        if notes:
            self.status.setText("Saved; " + "; ".join(notes) + ".")
            return
        self.accept()

    def done(self, result: int) -> None:
        for worker in list(self.workers):
            worker.cancel()
        super().done(result)
