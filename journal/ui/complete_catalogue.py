"""Films → Complete the Catalogue…: every film missing credits or a poster, from Wikidata or TMDb.

The run (``core.metadata.bulk.CatalogueCompleter``) goes on a worker: a verified backup first,
then one film after another, one transaction each; confident matches are applied as they come.
Uncertain ones gather in "To confirm", where the film and its candidates sit side by side:
**Use This Match** (Return) applies the chosen candidate, **Skip** (Delete) leaves the film as it
is and never asks again. Cancel stops after the film in hand; running it again goes on from
there. Closing the window cancels too. The summary says what was done.
"""

from __future__ import annotations

import gc
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from journal.core.journal import Journal
from journal.core.metadata.bulk import (
    CatalogueCompleter,
    FilmOutcome,
    RunSummary,
    count_to_complete,
)
from journal.errors import EyelightsError
from journal.ui import gil
from journal.ui import metadata_support as support
from journal.ui.bridge import CancelToken, Worker
from journal.ui.poster_image import scale_poster

ROLE = int(Qt.ItemDataRole.UserRole)


def _hold_collector() -> None:
    """For the length of a run, two settings of the interpreter (restored after it):

    * what the window holds when the run starts is left out of the cyclic garbage collector's
      full passes (``gc.freeze``). A run writes for minutes and each write allocates; every so
      often that made a full pass over the window's ~100,000 objects, on whichever thread
      allocated, holding the GIL 60–270 ms: a stall of the window;
    * the GIL changes hands after 1 ms instead of 5 (``gil.py``): the run's writer is the one
      thread that competes with the window's for it, and painting a list calls into Python
      hundreds of times, each of which may wait for the writer to hand the GIL back."""
    gc.freeze()
    gil.quick_handoff(_RUN)


def _release_collector() -> None:
    gil.let_go(_RUN)
    gc.unfreeze()


_RUN = "catalogue completion run"


def _button(text: str, name: str, parent: QWidget) -> QPushButton:
    button = QPushButton(text, parent)
    button.setObjectName(name)
    button.setAccessibleName(text.replace("&", "").rstrip("…"))
    button.setAutoDefault(False)
    return button


class CompleteCatalogueDialog(QDialog):
    outcome_arrived = Signal(object)   # from the worker thread, delivered in the GUI thread
    finished_run = Signal(object)      # RunSummary

    def __init__(self, journal: Journal, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.journal = journal
        self.worker: Worker | None = None
        self.summary: RunSummary | None = None
        self.pending: dict[int, FilmOutcome] = {}
        self._side_workers: list[Worker] = []
        #: At most this many films per run (None: all); the benches set it.
        self.limit: int | None = None
        self.setObjectName("completeCatalogue")
        self.setWindowTitle("Complete the Catalogue")
        self.setAccessibleName("Complete the catalogue")
        self.outcome_arrived.connect(self._outcome)
        self._build()
        self.resize(900, 560)
        self._count()

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        self.source = QComboBox(self)
        self.source.setObjectName("completeSource")
        self.source.setAccessibleName("Source")
        for key, label in support.source_items():
            self.source.addItem(label, key)
        self.source.setCurrentIndex(max(0, self.source.findData(support.default_source_name())))
        self.source.currentIndexChanged.connect(self._count)
        source_label = QLabel("S&ource:", self)
        source_label.setBuddy(self.source)
        self.intro = QLabel(self)
        self.intro.setObjectName("completeIntro")
        self.intro.setWordWrap(True)
        self.start_button = _button("&Start", "completeStart", self)
        self.start_button.clicked.connect(self.start)
        self.cancel_button = _button("&Cancel Run", "completeCancel", self)
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("completeProgress")
        self.progress.setAccessibleName("Progress")
        self.status = QLabel(self)
        self.status.setObjectName("completeStatus")
        self.status.setAccessibleName("Status")
        self.status.setWordWrap(True)
        self.films = QListWidget(self)
        self.films.setObjectName("completeUncertain")
        self.films.setAccessibleName("Films to confirm")
        self.films.currentRowChanged.connect(self._film_changed)
        self.films.installEventFilter(self)
        self.mine = QLabel(self)
        self.mine.setObjectName("completeMine")
        self.mine.setAccessibleName("Your film")
        self.mine.setWordWrap(True)
        self.candidates = QListWidget(self)
        self.candidates.setObjectName("completeCandidates")
        self.candidates.setAccessibleName("Candidates")
        self.candidates.setIconSize(QSize(48, support.THUMB_HEIGHT))
        self.candidates.setWordWrap(True)
        self.candidates.installEventFilter(self)
        self.use_button = _button("&Use This Match", "completeUse", self)
        self.use_button.clicked.connect(self.use_match)
        self.skip_button = _button("S&kip", "completeSkip", self)
        self.skip_button.clicked.connect(self.skip)
        self.close_button = _button("Close", "completeClose", self)
        self.close_button.clicked.connect(self.close)
        self._layout(source_label)
        self._update_buttons()

    def _layout(self, source_label: QLabel) -> None:
        top = QHBoxLayout()
        top.addWidget(source_label)
        top.addWidget(self.source)
        top.addWidget(self.start_button)
        top.addWidget(self.cancel_button)
        top.addStretch(1)
        right = QWidget(self)
        box = QVBoxLayout(right)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(QLabel("<b>Your film</b>", right))
        box.addWidget(self.mine)
        box.addWidget(QLabel("<b>Candidates</b>", right))
        box.addWidget(self.candidates, 1)
        row = QHBoxLayout()
        row.addWidget(self.use_button)
        row.addWidget(self.skip_button)
        row.addStretch(1)
        box.addLayout(row)
        left = QWidget(self)
        lbox = QVBoxLayout(left)
        lbox.setContentsMargins(0, 0, 0, 0)
        lbox.addWidget(QLabel("<b>To confirm</b>", left))
        lbox.addWidget(self.films, 1)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([320, 580])
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.intro)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(split, 1)
        layout.addLayout(bottom)

    # ------------------------------------------------------------------ state
    def source_name(self) -> str:
        return str(self.source.currentData())

    def _count(self) -> None:
        n = count_to_complete(self.journal, self.source_name())
        label = self.source.currentText()
        extra = ("" if self.source_name() == "tmdb" else
                 " Wikidata has no synopses and few posters; TMDb (your own key, Preferences → "
                 "Catalogue) has both.")
        if n == 0:
            self.intro.setText(f"Nothing left to look up on {label}: every film has directors, "
                               f"cast and a poster, or was completed, not found or skipped "
                               f"there already.{extra}")
        else:
            self.intro.setText(
                f"{n:,} film{'s miss' if n != 1 else ' misses'} directors, cast or a poster "
                f"and {'are' if n != 1 else 'is'} still to look up on {label} (never looked up, "
                f"or waiting for you to confirm). Confident matches are filled in (empty "
                f"fields only: nothing you typed is replaced); uncertain ones wait below for "
                f"you. A verified backup is made first.{extra}")
        self.start_button.setEnabled(n > 0 and self.worker is None)
        if self.worker is None and self.summary is None:
            self.progress.setRange(0, max(1, n))
            self.progress.setValue(0)

    def _update_buttons(self) -> None:
        has = self.films.currentItem() is not None
        self.use_button.setEnabled(has and self.candidates.currentItem() is not None)
        self.skip_button.setEnabled(has)

    # ------------------------------------------------------------------ the run
    def start(self) -> None:
        if self.worker is not None:
            return
        name = self.source_name()
        emit = self.outcome_arrived.emit

        def work(token: CancelToken) -> RunSummary:
            # The lookups run in a child process: their Python never holds this process's GIL
            # while the window wants it (core/metadata/lookup_process.py). Only the writing,
            # one transaction per film, happens here.
            lookups = support.child_lookups(name, cancel=token)
            try:
                return CatalogueCompleter(self.journal, lookups=lookups,
                                          progress=token.progress, on_outcome=emit,
                                          cancel=token).run(limit=self.limit)
            finally:
                lookups.close()

        self.worker = Worker(work, self)
        _hold_collector()
        self.worker.progress.connect(self._progress)
        self.worker.finished.connect(self._finished)
        self.worker.failed.connect(self._failed)
        self.start_button.setEnabled(False)
        self.source.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.status.setText("Making a backup of the journal…")
        self.worker.start()

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.status.setText("Cancelling after the film in hand…")

    def _progress(self, done: int, total: int, label: str) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)
        if label:
            self.status.setText(f"{done:,} of {total:,} looked up — last: {label}")

    def _outcome(self, outcome: FilmOutcome) -> None:
        if outcome.outcome != "uncertain" or not outcome.candidates:
            return
        known = outcome.film_id in self.pending   # still to confirm from an earlier run
        self.pending[outcome.film_id] = outcome
        if known:
            return
        item = QListWidgetItem(outcome.label(), self.films)
        item.setData(ROLE, outcome.film_id)
        if self.films.currentItem() is None:
            self.films.setCurrentItem(item)

    def _end(self) -> None:
        _release_collector()
        self.worker = None
        self.cancel_button.setEnabled(False)
        self.source.setEnabled(True)
        self._count()

    def _finished(self, summary: RunSummary) -> None:
        self.summary = summary
        self.progress.setRange(0, max(1, summary.total))
        self.progress.setValue(len(summary.outcomes))
        self._end()
        self.status.setText(summary.message())
        self.finished_run.emit(summary)

    def _failed(self, exc: object) -> None:
        self._end()
        if isinstance(exc, EyelightsError):
            self.status.setText(exc.message)
        else:
            self.status.setText(f"The run stopped on a bug ({type(exc).__name__}: {exc}); "
                                "what was done is kept.")
            raise exc if isinstance(exc, BaseException) else RuntimeError(str(exc))

    # ------------------------------------------------------------------ to confirm
    def _film_changed(self, _row: int) -> None:
        self.candidates.clear()
        item = self.films.currentItem()
        outcome = self.pending.get(int(item.data(ROLE))) if item is not None else None
        if outcome is None:
            self.mine.setText("")
            self._update_buttons()
            return
        directors = ", ".join(self.journal.films.directors(outcome.film_id))
        self.mine.setText(outcome.label() + (f" — {directors}" if directors else ""))
        for index, candidate in enumerate(outcome.candidates):
            record = candidate.record
            text = candidate.label()
            if record is not None and record.cast:
                text += "\nwith " + ", ".join(c.name for c in record.cast[:3])
            if candidate.description:
                text += "\n" + candidate.description[:100]
            row = QListWidgetItem(text, self.candidates)
            row.setData(ROLE, index)
        self.candidates.setCurrentRow(0)
        self._update_buttons()
        self._thumbnails(outcome)

    def _thumbnails(self, outcome: FilmOutcome) -> None:
        name, film_id = self.source_name(), outcome.film_id

        def work(token: CancelToken) -> tuple[int, dict[int, bytes]]:
            source = support.open_source(name, cancel=token)
            try:
                return film_id, support.fetch_thumbnails(source, outcome.candidates)
            finally:
                source.close()

        self._side(work, self._show_thumbnails)

    def _show_thumbnails(self, result: tuple[int, dict[int, bytes]]) -> None:
        film_id, thumbs = result
        item = self.films.currentItem()
        if item is None or int(item.data(ROLE)) != film_id:
            return
        for index, data in thumbs.items():
            row = self.candidates.item(index)
            if row is not None:
                row.setIcon(support.icon_from(data))

    def _side(self, fn: Any, done: Any) -> None:
        worker = Worker(fn, self)
        worker.finished.connect(done)
        worker.failed.connect(self._side_failed)
        for signal in (worker.finished, worker.failed):
            signal.connect(lambda _r, w=worker: self._side_workers.remove(w)
                           if w in self._side_workers else None)
        self._side_workers.append(worker)
        worker.start()

    def _side_failed(self, exc: object) -> None:
        if isinstance(exc, EyelightsError):
            self.status.setText(exc.message)
        else:
            raise exc if isinstance(exc, BaseException) else RuntimeError(str(exc))

    def _take(self) -> FilmOutcome | None:
        item = self.films.currentItem()
        if item is None:
            return None
        outcome = self.pending.pop(int(item.data(ROLE)), None)
        self.films.takeItem(self.films.row(item))
        return outcome

    def use_match(self) -> None:
        row = self.candidates.currentRow()
        item = self.films.currentItem()
        if item is None or row < 0:
            return
        outcome = self.pending.get(int(item.data(ROLE)))
        if outcome is None:
            return
        candidate = outcome.candidates[row]
        self._take()
        name = self.source_name()

        def work(token: CancelToken) -> FilmOutcome:
            source = support.open_source(name, cancel=token)
            try:
                return CatalogueCompleter(self.journal, source, scaler=scale_poster,
                                          cancel=token).confirm(outcome.film_id, candidate)
            finally:
                source.close()

        self._side(work, self._confirmed)

    def _confirmed(self, done: FilmOutcome) -> None:
        self.status.setText(f"{done.label()}: completed from {self.source.currentText()}.")
        self._count()

    def skip(self) -> None:
        outcome = self._take()
        if outcome is None:
            return
        self.journal_skip(outcome.film_id)
        self.status.setText(f"{outcome.label()}: skipped (not asked again).")
        self._count()

    def journal_skip(self, film_id: int) -> None:
        from journal.core.metadata import apply as applying

        applying.set_state(self.journal, film_id, f"{self.source_name()}:skipped")

    # ------------------------------------------------------------------ keys and closing
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if watched is self.films and key == Qt.Key.Key_Right and self.candidates.count():
                self.candidates.setFocus()
                return True
            if watched is self.candidates and key == Qt.Key.Key_Left:
                self.films.setFocus()
                return True
            if watched in (self.films, self.candidates) and key in (Qt.Key.Key_Return,
                                                                    Qt.Key.Key_Enter):
                self.use_match()
                self.films.setFocus()
                return True
            if watched in (self.films, self.candidates) and key == Qt.Key.Key_Delete:
                self.skip()
                self.films.setFocus()
                return True
        return super().eventFilter(watched, event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.cancel()
        for worker in self._side_workers:
            worker.cancel()
        super().closeEvent(event)
