"""The Search page (search-as-you-type, results grouped by kind) and the saved-searches panel.

``SearchPage(journal, signals, errors)`` emits ``open_review(int)`` and
``open_review_highlight(int, list)`` (the query's words, for the editor to highlight),
``open_film(int)`` and ``open_person(int)``. ``page.saved_panel`` is a ``SavedSearchesPanel`` for
the main window's sidebar; activating a saved search runs it on this page (``search_requested``).

Searches run on a worker (``journal.ui.bridge.Worker``) through the page's own read connection
(``SearchReader``), so the field never waits for the database. Each request has a generation:
a result for an older one is dropped, and a search still running for it is stopped. While
typing, two stages: the newest matches first (cheap: FTS5 stops after a page of rows), marked
"refining…", then the ranked answer. Enter and saved searches always use the ranked answer;
``run_now()`` runs the ranked search synchronously (tests).
"""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QHideEvent, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from journal.core.journal import Journal
from journal.core.search import (
    HELP_MARKDOWN,
    SavedSearchService,
    SearchCancelled,
    SearchEngine,
    SearchReader,
    SearchResult,
)
from journal.ui.bridge import CancelToken, JournalSignals, Worker
from journal.ui.errors import ErrorReporter
from journal.ui.icons import themed_icon
from journal.ui.pages.search_models import (
    HtmlDelegate,
    IdRole,
    QueryRole,
    SavedSearchesModel,
    SearchResultsModel,
)

REFRESH_KINDS = {"review", "film", "person", "viewing", "comment", "tag", "trash", "journal"}


class SearchPage(QWidget):
    open_review = Signal(int)
    open_review_highlight = Signal(int, list)
    open_film = Signal(int)
    open_person = Signal(int)
    #: Every SearchResult shown: a first answer (``result.ranked`` False) or the ranked one.
    searched = Signal(object)

    #: Delay between a keystroke and the search: none, but the search waits for the key events
    #: already queued, so a burst of typing (or a paste) still runs one query.
    DEBOUNCE_MS = 0
    #: The page's read connection is closed when the page is hidden or idle this long.
    IDLE_CLOSE_MS = 60_000
    #: Workers still running, kept alive until they report (they outlive a closed page).
    _running: ClassVar[set[Worker]] = set()

    def __init__(self, journal: Journal, signals: JournalSignals, errors: ErrorReporter,
                 parent: QWidget | None = None, *, limit: int = 50) -> None:
        super().__init__(parent)
        self.setObjectName("searchPage")
        self.setAccessibleName("Search")
        self.journal, self.errors, self.limit = journal, errors, limit
        self.engine = SearchEngine(journal)  # the GUI thread's: run_now, snippets when scrolling
        self.reader = SearchReader.for_journal(journal)
        self._background = SearchEngine(self.reader)  # the workers'
        self.result: SearchResult | None = None
        self._generation = 0           # bumped by every change of what is asked
        self._shown_generation = -1    # the generation of the result shown
        self._job: Worker | None = None
        self._wanted: tuple[int, str, str] | None = None  # (generation, text, order) to run next
        self._open_when_ranked = False  # Enter was pressed before the ranked answer came
        self.dropped = 0               # stale results dropped (tests, benches)
        self.model = SearchResultsModel(self)
        self.saved = SavedSearchService(journal)
        self.saved_model = SavedSearchesModel(self.saved, self)
        self.saved_panel = SavedSearchesPanel(self.saved_model, errors)
        self.saved_panel.search_requested.connect(self.set_query)
        self._timer = QTimer(self, singleShot=True, interval=self.DEBOUNCE_MS)
        self._timer.timeout.connect(lambda: self._request("recent"))
        self._refresh = QTimer(self, singleShot=True, interval=0)  # after the change is committed
        self._refresh.timeout.connect(lambda: self._request("rank"))
        self._idle = QTimer(self, singleShot=True, interval=self.IDLE_CLOSE_MS)
        self._idle.timeout.connect(self._close_reader)
        self._build()
        signals.changed.connect(self._on_changed)

    # ------------------------------------------------------------------ construction
    def _build(self) -> None:
        self.field = QLineEdit(self)
        self.field.setObjectName("searchField")
        self.field.setAccessibleName("Search query")
        self.field.setPlaceholderText('Search: words, "a phrase", -not, score:>=8, viewed:2014…')
        self.field.setClearButtonEnabled(True)
        self.field.textChanged.connect(self._on_text)
        self.field.installEventFilter(self)
        self.save_button = self._tool("Save Search…", "document-save", "saveSearchButton",
                                      self.ask_save)
        self.help_button = self._tool("Search Help", "help-about", "searchHelpButton",
                                      self.show_help)
        self.message = QLabel(self)
        self.message.setObjectName("searchMessage")
        self.message.setAccessibleName("Search message")
        self.message.setWordWrap(True)
        self.message.hide()
        self.tree = QTreeView(self)
        self.tree.setObjectName("searchResults")
        self.tree.setAccessibleName("Search results")
        self.tree.setModel(self.model)
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(False)
        self.tree.setItemDelegate(HtmlDelegate(self.tree))
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.tree.activated.connect(self.open_index)
        self.tree.installEventFilter(self)
        self.status = QLabel(self)
        self.status.setObjectName("searchStatus")
        self.status.setAccessibleName("Search status")
        row = QHBoxLayout()
        row.addWidget(self.field, 1)
        row.addWidget(self.save_button)
        row.addWidget(self.help_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.status)
        # Reached from Go → Search (Ctrl+7), which focuses the field; Ctrl+F is the editor's Find.
        self.focus_action = QAction("Search Everything", self)
        self.focus_action.setObjectName("actionSearchFocus")
        self.focus_action.triggered.connect(self.focus_field)

    def _tool(self, text: str, icon: str, name: str, slot: object) -> QToolButton:
        button = QToolButton(self)
        button.setObjectName(name)
        button.setText(text)
        button.setToolTip(text)
        button.setAccessibleName(text)
        button.setIcon(themed_icon(icon))
        button.clicked.connect(slot)
        return button

    # ------------------------------------------------------------------ searching
    def set_query(self, text: str) -> None:
        """Show ``text`` in the field and search it, ranked (saved searches, the main window);
        the results come with ``searched``."""
        self.field.setText(text)
        self._request("rank")

    def focus_field(self) -> None:
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def run_now(self) -> None:
        """The ranked search of the field's text, here and now (on the GUI thread)."""
        self._stop_asking()
        text = self.field.text()
        try:
            result = self.engine.search(text, limit=self.limit)
        except Exception as exc:  # a bug: say so, keep the page usable
            self.errors.report(exc, "The search failed")
            return
        self._show(self._generation, result)

    @property
    def busy(self) -> bool:
        """A search is running or about to (tests, benches: wait until False)."""
        return (self._job is not None or self._wanted is not None or self._timer.isActive()
                or self._refresh.isActive())

    @property
    def refining(self) -> bool:
        """The results shown are a first answer; the ranked one is on its way."""
        return self.result is not None and not self.result.ranked

    def _on_text(self, _text: str) -> None:
        self._stop_asking()
        self._timer.start()

    def _stop_asking(self) -> None:
        """What was asked before is stale: drop its results, stop its search."""
        self._timer.stop()
        self._refresh.stop()
        self._generation += 1
        self._wanted = None
        self._open_when_ranked = False
        if self._job is not None:
            self._job.cancel()

    def _request(self, order: str) -> None:
        """Search the field's text on a worker (``order``: "recent" first, or "rank")."""
        keep_open = self._open_when_ranked
        self._stop_asking()
        self._open_when_ranked = keep_open
        self._wanted = (self._generation, self.field.text(), order)
        self._start_next()

    def _start_next(self) -> None:
        if self._job is not None or self._wanted is None:
            return  # the running search's end starts the next one
        generation, text, order = self._wanted
        self._wanted = None
        if not text.strip():  # nothing to ask the database
            self._show(generation, self.engine.search(text))
            return
        reader, engine, limit = self.reader, self._background, self.limit

        def work(token: CancelToken) -> tuple[int, SearchResult]:
            def cancelled() -> bool:
                return token.cancelled

            def search(_reader: SearchReader) -> SearchResult:
                if order == "rank":
                    return engine.search(text, limit=limit, cancelled=cancelled)
                return engine.first_answer(text, limit=limit, cancelled=cancelled)
            return generation, reader.run(search, cancelled)

        job = self._job = Worker(work)
        self._running.add(job)
        job.finished.connect(self._searched)
        job.failed.connect(self._search_failed)
        self._idle.stop()
        job.start()

    def _end_job(self) -> None:
        job, self._job = self._job, None
        if job is not None:
            self._running.discard(job)
            job.deleteLater()
        self._idle.start()

    def _searched(self, payload: object) -> None:
        generation: int = payload[0]  # type: ignore[index]
        result: SearchResult = payload[1]  # type: ignore[index]
        self._end_job()
        if generation != self._generation:
            self.dropped += 1
        else:
            result.loader = self.engine.snippet_loader(result.query)  # this thread's connection
            self._show(generation, result)
            if not result.ranked and self._wanted is None:
                self._wanted = (generation, self.field.text(), "rank")
        self._start_next()

    def _search_failed(self, exc: object) -> None:
        self._end_job()
        if not isinstance(exc, SearchCancelled):
            self.errors.report(exc, "The search failed")  # type: ignore[arg-type]
        self._start_next()

    def _show(self, generation: int, result: SearchResult) -> None:
        self._shown_generation = generation
        self.result = result
        self.model.set_result(result)
        self.tree.expandAll()
        self.message.setText("\n".join(result.messages))
        self.message.setVisible(bool(result.messages))
        count = self.model.hit_count()
        text = self.field.text()
        if not text.strip():
            self.status.setText("")
        elif not result.ranked:
            self.status.setText(f"{count} newest result{'s' if count != 1 else ''} · refining…")
        else:
            self.status.setText("No results" if count == 0 else
                                f"{count} result{'s' if count != 1 else ''}")
        self.save_button.setEnabled(bool(text.strip()))
        self.searched.emit(result)
        if result.ranked and self._open_when_ranked:
            self._open_when_ranked = False
            self.open_index(self.current_or_first())

    def _on_changed(self, kind: str, ids: tuple) -> None:
        if kind in REFRESH_KINDS:
            if self.field.text().strip():
                self._refresh.start()
            self.saved_model.refresh_counts()

    def _close_reader(self) -> None:
        """Stop the running search (its result would be stale) and close the connection."""
        if self._job is not None:
            self._job.cancel()
        self.reader.close()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if (self.field.text().strip() and self._shown_generation != self._generation
                and not self.busy):
            self._request("rank")  # the search was stopped when the page was hidden

    def hideEvent(self, event: QHideEvent) -> None:
        if self._job is not None:
            self._generation += 1
        self._close_reader()
        super().hideEvent(event)

    # ------------------------------------------------------------------ opening
    def open_index(self, index: QModelIndex) -> None:
        hit = self.model.hit(index)
        if hit is None:
            return
        terms = self.result.terms if self.result is not None else []
        if hit.kind in ("review", "comment") and hit.review_id is not None:
            self.open_review.emit(int(hit.review_id))
            self.open_review_highlight.emit(int(hit.review_id), list(terms))
        elif hit.kind == "film":
            self.open_film.emit(hit.id)
        elif hit.kind == "viewing" and hit.film_id is not None:
            self.open_film.emit(int(hit.film_id))  # its film page lists the viewing
        elif hit.kind == "person":
            self.open_person.emit(hit.id)

    def open_best(self) -> None:
        """Enter in the field: open the first hit of the ranked answer (at once when it is
        shown, else when it arrives)."""
        if (self.result is not None and self.result.ranked
                and self._shown_generation == self._generation):
            self.open_index(self.current_or_first())
            return
        self._open_when_ranked = True
        if self._timer.isActive() or not self.busy:
            self._request("rank")  # skip the first answer: Enter wants the ranked one

    def current_or_first(self) -> QModelIndex:
        current = self.tree.currentIndex()
        return current if self.model.hit(current) is not None else self.model.first_hit_index()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        key = event.key()
        if watched is self.field:
            if key in (Qt.Key.Key_Down, Qt.Key.Key_PageDown) and self.model.hit_count():
                self.tree.setCurrentIndex(self.current_or_first())
                self.tree.setFocus(Qt.FocusReason.TabFocusReason)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.open_best()
                return True
        elif watched is self.tree and key == Qt.Key.Key_Escape:
            self.focus_field()
            return True
        return False

    # ------------------------------------------------------------------ saving, help
    def save_current(self, name: str) -> bool:
        """Save the field's query under ``name``; errors are reported, False returned."""
        try:
            self.saved.create(name, self.field.text())
        except Exception as exc:
            self.errors.report(exc, "The search could not be saved")
            return False
        self.saved_model.reload()
        return True

    def ask_save(self) -> None:
        dialog = QInputDialog(self)
        dialog.setObjectName("saveSearchDialog")
        dialog.setWindowTitle("Save Search")
        dialog.setLabelText("Name of this saved search:")
        dialog.setTextValue(self.field.text().strip()[:60])
        dialog.textValueSelected.connect(self.save_current)
        dialog.open()

    def show_help(self) -> QMessageBox:
        box = QMessageBox(QMessageBox.Icon.Information, "Search Help", "",
                          QMessageBox.StandardButton.Close, self)
        box.setObjectName("searchHelpDialog")
        box.setTextFormat(Qt.TextFormat.MarkdownText)
        box.setText(HELP_MARKDOWN)
        box.open()
        return box


class SavedSearchesPanel(QWidget):
    """The saved searches with live counts, for the sidebar: activate to run, rename, delete."""

    search_requested = Signal(str)

    def __init__(self, model: SavedSearchesModel, errors: ErrorReporter,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("savedSearchesPanel")
        self.setAccessibleName("Saved searches")
        self.model, self.errors = model, errors
        self.view = QListView(self)
        self.view.setObjectName("savedSearchesList")
        self.view.setAccessibleName("Saved searches")
        self.view.setModel(model)
        self.view.activated.connect(self._activated)
        self.rename_button = QToolButton(self)
        self.delete_button = QToolButton(self)
        for button, text, name, icon, slot in (
                (self.rename_button, "Rename Saved Search…", "renameSavedSearchButton", "",
                 self.ask_rename),
                (self.delete_button, "Delete Saved Search", "deleteSavedSearchButton",
                 "edit-delete", self.delete_selected)):
            button.setText(text.split()[0])
            button.setToolTip(text)
            button.setAccessibleName(text)
            button.setObjectName(name)
            if icon:
                button.setIcon(themed_icon(icon))
            button.clicked.connect(slot)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.rename_button)
        buttons.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)

    def selected_id(self) -> int | None:
        index = self.view.currentIndex()
        return int(index.data(IdRole)) if index.isValid() else None

    def _activated(self, index: QModelIndex) -> None:
        self.search_requested.emit(str(index.data(QueryRole)))

    def rename(self, search_id: int, name: str) -> bool:
        try:
            self.model.service.rename(search_id, name)
        except Exception as exc:
            self.errors.report(exc, "The saved search could not be renamed")
            return False
        self.model.reload()
        return True

    def delete(self, search_id: int) -> bool:
        try:
            self.model.service.delete(search_id)
        except Exception as exc:
            self.errors.report(exc, "The saved search could not be deleted")
            return False
        self.model.reload()
        return True

    def ask_rename(self) -> None:
        search_id = self.selected_id()
        if search_id is None:
            return
        dialog = QInputDialog(self)
        dialog.setObjectName("renameSavedSearchDialog")
        dialog.setWindowTitle("Rename Saved Search")
        dialog.setLabelText("New name:")
        dialog.setTextValue(str(self.view.currentIndex().data(Qt.ItemDataRole.EditRole)))
        dialog.textValueSelected.connect(lambda name: self.rename(search_id, name))
        dialog.open()

    def delete_selected(self) -> None:
        search_id = self.selected_id()
        if search_id is not None:
            self.delete(search_id)
