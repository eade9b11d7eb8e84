"""The Reviews page: the list of reviews (sortable, quick filter, new/duplicate/delete) and,
as a second view of the same page, the editor with its live preview.

Built in two steps so the window can open at once: the list (from the first look's newest rows, or
from the journal) is made first; :meth:`ReviewsPage.attach` adds the editor, the actions and the
journal's signals once the journal is open (on the next turn of the event loop at start-up).
Until then the list shows a snapshot of the first look's rows, and this module names no ``Qt``
enum on that path (see :mod:`journal.ui.roles`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import QItemSelectionModel, QModelIndex, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from journal.core.review_rows import filter_terms, matches
from journal.errors import EyelightsError
from journal.ui.errors import ErrorReporter
from journal.ui.models.reviews_model import (
    COL_EDITED,
    COL_FILM,
    COL_SCORE,
    COL_STATUS,
    COL_VIEWED,
    COL_YEAR,
    HEADERS,
    FilmIdRole,
    FilterTextRole,
    ReviewIdRole,
    ReviewsModel,
    snapshot_model,
)
from journal.ui.widgets import lay_out_on_reset, list_table, sort_by

if TYPE_CHECKING:
    from PySide6.QtGui import QAction, QHideEvent, QKeySequence

    from journal.core.events import Changes
    from journal.core.first_look import FirstLook
    from journal.core.journal import Journal
    from journal.ui.bridge import JournalSignals
    from journal.ui.editor.view import ReviewEditorView
    from journal.ui.kept_page import StandIn


#: The widest text of each column but the film's (see ``ReviewsPage._size_columns``).
COLUMN_SAMPLES = {COL_YEAR: "2026", COL_SCORE: "10.0", COL_VIEWED: "30 September 2026",
                  COL_STATUS: "Published", COL_EDITED: "2026-12-31 23:59"}


class ReviewsPage(QWidget):
    open_film = Signal(int)
    open_person = Signal(int)
    create_film_requested = Signal(str, int)
    sample_requested = Signal()
    distraction_free_changed = Signal(bool)
    message = Signal(str)  # a short status-bar message ("Moved to the Trash")

    def __init__(self, journal: Journal | None, signals: JournalSignals | None,
                 errors: ErrorReporter, parent: QWidget | None = None, *,
                 first: FirstLook | None = None) -> None:
        """With ``journal`` None, only the list is built, from ``first``; :meth:`attach` follows."""
        super().__init__(parent)
        self.setObjectName("reviewsPage")
        self.setAccessibleName("Reviews")
        self.errors = errors
        self.attached = False  # attach() has run: the journal, the editor and the actions exist
        self.journal: Journal
        self.signals: JournalSignals
        self.editor_view: ReviewEditorView
        self._editor_panel: QWidget
        self._first_empty = first.empty if first is not None else False
        self.model = ReviewsModel(journal, self)
        self._reselect: int | None = None  # the review selected when the rows were reset
        # the first look's rows, shown until the journal is open (then the model takes over)
        self._snapshot = snapshot_model(first.rows, self) if first is not None else None
        self._init_list()
        self.welcome: QWidget | None = None  # built when the journal turns out to be empty
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.list_panel)
        self.standin: StandIn | None = None  # the launch's review, until the editor exists
        if first is not None and first.page is not None:
            self._init_standin(first)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        for signal in (self.model.modelReset, self.model.rowsInserted, self.model.rowsRemoved):
            signal.connect(self.refresh_state)
        self.model.modelAboutToBeReset.connect(self._keep_selection)
        self.model.modelReset.connect(self._select_again)
        self.refresh_state()
        if journal is not None and signals is not None:
            self.attach(journal, signals)

    def attach(self, journal: Journal, signals: JournalSignals) -> None:
        """The journal is open: the editor, the actions, the journal's signals, every row."""
        from journal.ui.editor.view import ReviewEditorView
        from journal.ui.preview import CatalogueResolver

        self.journal, self.signals = journal, signals
        chosen = self.selected_review_id()  # a row picked in the first instant stays picked
        if self._snapshot is not None:
            self._show_model()
        self.resolver = CatalogueResolver(journal)
        from journal.ui.theme import theme_name

        self._theme = theme_name()
        self.editor_view = ReviewEditorView(journal, self.errors, self.resolver, self)
        self.stack.addWidget(self.editor_panel())
        self._init_actions()
        self._refresh_timer = QTimer(self, singleShot=True, interval=50)
        self._refresh_timer.timeout.connect(self._refresh)
        self._pending: Changes | None = None  # merged until the refresh timer fires
        self._wire()
        from journal.ui.keys import FilterLeadsToList  # not on the first frame's path

        # Down, Return: into the list, which then holds what the filter says
        FilterLeadsToList(self.filter, lambda: self.table, self.model.settle)
        self.attached = True
        if self.model.journal is not journal:
            self.model.attach(journal)
            self._select(chosen)
        self.refresh_state()

    def _show_model(self) -> None:
        """The list's model takes the snapshot's place (the filter typed meanwhile applies;
        column widths stay as they are)."""
        old_selection = self.table.selectionModel()
        self.table.setModel(self.model)
        lay_out_on_reset(self.table, self.model)  # as list_table does for the model it is given
        old_selection.deleteLater()  # now, not a turn after the snapshot's deletion
        assert self._snapshot is not None
        self._snapshot.deleteLater()
        self._snapshot = None
        sort_by(self.table, *self._sorted_by())

    @staticmethod
    def _sorted_by() -> tuple[int, QtCore.Qt.SortOrder]:
        """The model's first order (the newest edit first), as the header shows it."""
        column, descending = ReviewsModel.FIRST_ORDER
        order = QtCore.Qt.SortOrder
        return column, order.DescendingOrder if descending else order.AscendingOrder

    def _filter_snapshot(self, text: str) -> None:
        """The quick filter over the snapshot's rows, until the journal's model takes over."""
        if self._snapshot is None:
            return
        terms = filter_terms(text)
        for row in range(self._snapshot.rowCount()):
            key = self._snapshot.index(row, COL_FILM).data(FilterTextRole) or ""
            self.table.setRowHidden(row, not matches(key, terms))

    def _keep_selection(self) -> None:
        """The rows are about to be reset (a new filter, many changes at once): the selected
        review is selected again once they are in (``_select_again``), if it is still listed."""
        if self._snapshot is None:
            self._reselect = self.selected_review_id()

    def _select_again(self) -> None:
        review_id, self._reselect = self._reselect, None
        if review_id is not None:
            self._select(review_id)

    # ------------------------------------------------------------------ construction
    def _button(self, text: str, name: str, parent: QWidget,
                slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text, parent)
        button.setObjectName(name)
        button.setAccessibleName(text)
        button.clicked.connect(self._when_open(slot))
        return button

    def _when_open(self, slot: Callable[..., object]) -> Callable[..., None]:
        """``slot``, run only once the journal is open (a click in the first instant is dropped)."""
        def run(*args: object) -> None:
            if self.attached:
                slot(*args)
        return run

    def _init_list(self) -> None:
        self.list_panel = QWidget(self)
        self.filter = QLineEdit(self.list_panel)
        self.filter.setObjectName("reviewsFilter")
        self.filter.setPlaceholderText("Filter reviews by film, year or status…")
        self.filter.setAccessibleName("Filter reviews")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.model.set_filter)
        self.filter.textChanged.connect(self._filter_snapshot)
        row = QHBoxLayout()
        row.addWidget(self.filter, 1)
        row.addWidget(self._button("New review", "newReviewButton", self.list_panel,
                                   self.new_review))
        row.addWidget(self._button("Open", "openReviewButton", self.list_panel,
                                   self.open_selected))
        row.addWidget(self._button("Duplicate", "duplicateReviewButton", self.list_panel,
                                   self.duplicate))
        row.addWidget(self._button("Delete", "deleteReviewButton", self.list_panel,
                                   self.delete))
        if self._snapshot is not None:  # no Qt enum on the first frame's path: sorted later
            self.table = list_table(self.list_panel, self._snapshot, "reviewsTable",
                                    "Reviews list")
        else:
            self.table = list_table(self.list_panel, self.model, "reviewsTable", "Reviews list",
                                    sort=self._sorted_by())
        self._size_columns()
        self.table.verticalScrollBar().valueChanged.connect(  # a new query reads these rows
            lambda _v: setattr(self.model, "hint", max(0, self.table.rowAt(0))))
        self.table.activated.connect(self._when_open(self._activated))
        layout = QVBoxLayout(self.list_panel)
        layout.addLayout(row)
        layout.addWidget(self.table)

    def _size_columns(self) -> None:
        """Widths from the font for the longest value each column can show (resizable by the
        user); the film takes the rest. Measuring the rows instead (ResizeToContents) asks the
        model for every visible cell at each layout and slowed the window's first paint."""
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_FILM, QHeaderView.ResizeMode.Stretch)
        metrics, margin = self.table.fontMetrics(), 24
        bold = header.fontMetrics()
        for column, sample in COLUMN_SAMPLES.items():
            title = HEADERS[column]
            width = max(metrics.horizontalAdvance(sample), bold.horizontalAdvance(title) + 12)
            header.resizeSection(column, width + margin)

    def _init_standin(self, first: FirstLook) -> None:
        """The kept page of the review the launch opens (``ui/kept_page.py``)."""
        from journal.ui.kept_page import StandIn

        assert first.page is not None
        self.standin = StandIn(first.page, self)
        self.stack.addWidget(self.standin)
        self.stack.setCurrentWidget(self.standin)  # it takes the focus when shown

    def _drop_standin(self) -> None:
        """The editor shows the review now (or it could not be opened): the stand-in goes,
        the keys pressed on it go to the editor."""
        standin, self.standin = self.standin, None
        if standin is None:
            return
        if self.editing():
            standin.hand_over(self.editor_view.editor)
        self.stack.removeWidget(standin)
        standin.deleteLater()

    def _init_welcome(self) -> QWidget:
        self.welcome = QWidget(self)
        self.welcome.setObjectName("welcomePanel")
        text = QLabel(  # centred by its markup: no Qt enum on the first frame's path
            "<h2 align='center'>Welcome to Eyelights</h2>"
            "<p align='center'>This journal is empty. Write your first review, import your blog "
            "or your Letterboxd diary — or look around in a sample journal of silent classics "
            "first.</p>", self.welcome)
        text.setWordWrap(True)
        self.sample_button = self._button("Open sample journal", "openSampleButton",
                                          self.welcome, self.sample_requested.emit)
        write = self._button("Write a review", "firstReviewButton", self.welcome,
                             self.new_review)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(write)
        row.addWidget(self.sample_button)
        row.addStretch(1)
        layout = QVBoxLayout(self.welcome)
        layout.addStretch(1)
        layout.addWidget(text)
        layout.addLayout(row)
        layout.addStretch(2)
        self.stack.addWidget(self.welcome)
        return self.welcome

    def editor_panel(self) -> QWidget:
        panel = QWidget(self)
        panel.setObjectName("editorPanel")
        back = QToolButton(panel)
        back.setObjectName("backToList")
        back.setText("← All reviews")
        back.setAccessibleName("Back to the list of reviews")
        back.clicked.connect(self.show_list)
        self.back_button = back
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(4, 2, 4, 0)
        layout.addWidget(back, 0, QtCore.Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.editor_view, 1)
        self._editor_panel = panel
        return panel

    def _action(self, text: str, name: str, slot: Callable[[], object],
                shortcut: str | QKeySequence.StandardKey | None = None,
                checkable: bool = False) -> QAction:
        from PySide6.QtGui import QAction, QKeySequence  # after the first frame: with attach

        action = QAction(text, self)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setCheckable(checkable)
        if checkable:
            action.toggled.connect(slot)
        else:
            action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _init_actions(self) -> None:
        from PySide6.QtGui import QKeySequence

        view = self.editor_view
        self.act_new = self._action("New Review", "actionNewReview", self.new_review, "Ctrl+N")
        self.act_save = self._action("Save", "actionSave", self.save, "Ctrl+S")
        self.act_find = self._action("Find…", "actionFind", lambda: self._find(False), "Ctrl+F")
        self.act_replace = self._action("Replace…", "actionReplace", lambda: self._find(True),
                                        "Ctrl+H")
        self.act_focus = self._action("Focus Mode", "actionFocusMode", view.set_focus_mode,
                                      "Ctrl+Shift+F", checkable=True)
        self.act_distraction_free = self._action(
            "Distraction-Free Full Screen", "actionDistractionFree", self.set_distraction_free,
            "Ctrl+Shift+Return", checkable=True)
        self.act_zoom_in = self._action("Zoom In", "actionZoomIn", lambda: view.editor.zoom(1),
                                        QKeySequence.StandardKey.ZoomIn)
        self.act_zoom_out = self._action("Zoom Out", "actionZoomOut",
                                         lambda: view.editor.zoom(-1),
                                         QKeySequence.StandardKey.ZoomOut)
        self.act_revisions = self._action("Revisions…", "actionRevisions", view.show_revisions)
        self.act_duplicate = self._action("Duplicate Review", "actionDuplicateReview",
                                          self.duplicate)
        self.act_delete = self._action("Delete Review", "actionDeleteReview", self.delete)
        self.editor_actions = [self.act_save, self.act_find, self.act_replace, self.act_focus,
                               self.act_distraction_free, self.act_zoom_in, self.act_zoom_out,
                               self.act_revisions]
        self._update_actions()

    def menu_actions(self) -> dict[str, list[QAction]]:
        """Where the main window should put this page's actions."""
        return {
            "File": [self.act_new, self.act_save],
            "Edit": [self.act_find, self.act_replace, self.act_revisions, self.act_duplicate,
                     self.act_delete],
            "View": [self.act_focus, self.act_distraction_free, self.act_zoom_in,
                     self.act_zoom_out],
        }

    def _wire(self) -> None:
        self.signals.changed.connect(self._on_changed)
        self.table.selectionModel().selectionChanged.connect(self._update_actions)
        self.editor_view.open_film.connect(self.open_film)
        self.editor_view.create_film_requested.connect(self.create_film_requested)
        self.editor_view.review_created.connect(lambda _id: self._update_actions())

    # ------------------------------------------------------------------ state
    def refresh_state(self) -> None:
        if self.editing() or self.standin is not None:
            return
        empty = self.table.model().rowCount() == 0 and (
            self.journal.is_empty() if self.attached else self._first_empty)
        if empty:
            self.stack.setCurrentWidget(self.welcome or self._init_welcome())
        else:
            self.stack.setCurrentWidget(self.list_panel)
        self._update_actions()

    def editing(self) -> bool:
        return self.attached and self.stack.currentWidget() is self._editor_panel

    def _update_actions(self) -> None:
        if not self.attached:
            return
        editing = self.editing()
        for action in self.editor_actions:
            action.setEnabled(editing)
        has_review = editing and self.editor_view.review_id is not None
        self.act_revisions.setEnabled(has_review)
        selected = has_review or self.selected_review_id() is not None
        self.act_duplicate.setEnabled(selected)
        self.act_delete.setEnabled(selected and not self.journal.read_only)
        self.act_new.setEnabled(not self.journal.read_only)

    def _on_changed(self, changes: Changes) -> None:
        if changes.comments:  # fetched from a blog, replied to: the open review's thread
            self.editor_view.comments.reload()
        if changes.reviews or changes.films or changes.viewings or changes.trash or changes.tags:
            self._pending = changes if self._pending is None else self._pending | changes
            self._refresh_timer.start()

    def _refresh(self) -> None:
        changes, self._pending = self._pending, None
        if changes is None:
            return
        # An autosave names its review: re-read that row, not the whole list.
        only_rows = not (changes.reviews.every or changes.films or changes.viewings
                         or changes.trash or changes.tags)
        self.model.refresh(set(changes.reviews.ids) if only_rows else None)
        if changes.films:
            self.resolver.reload(self.journal)
            if not self.editor_view.form.film_combo.hasFocus():
                self.editor_view.form.reload_films()
            self.editor_view.preview.refresh()
        from journal.ui.theme import theme_name

        if theme_name() != self._theme:
            self._theme = theme_name()
            self.editor_view.set_theme(self._theme)
        self._update_actions()

    # ------------------------------------------------------------------ commands
    def open_review(self, review_id: int) -> None:
        """Open a review in the editor (the main window calls this for other pages)."""
        if self.standin is not None and self.standin.review_id == review_id:
            self.editor_view.keeper.offer(self.standin.page)  # the page on screen: no render
        try:
            self.editor_view.open_review(review_id)
        except EyelightsError as exc:
            self.errors.report(exc, "The review could not be opened")
            self._drop_standin()
            self.refresh_state()
            return
        self._show_editor()

    def reopen_place(self) -> None:
        """At start-up: the review that was open when the app last closed on this journal,
        with the caret where it was (see ``editor/place.py``)."""
        if self.editor_view.reopen_place() is not None:
            self._show_editor()
            self.editor_view.editor.centerCursor()

    def new_review_for_film(self, film_id: int) -> None:
        """Start a review of a given film (from the film page)."""
        self.flush()
        self.editor_view.new_review(film_id)
        self._show_editor()

    def new_review(self) -> None:
        film_id = None
        if not self.editing():
            rows = self.table.selectionModel().selectedRows()
            film_id = self.model.data(rows[0], FilmIdRole) if rows else None
        self.editor_view.new_review(film_id)
        self._show_editor()

    def _show_editor(self) -> None:
        # The focus leaves the page shown first: switching pages would hand it to the first
        # field of the form, the film picker, whose focus loads every film (``film_picker``):
        # ~1.5 MB and 30 ms at 5,000 films, for a focus the editor takes at once.
        focus, shown = QApplication.focusWidget(), self.stack.currentWidget()
        if focus is not None and shown is not None and shown.isAncestorOf(focus):
            self.stack.setFocus()
        self.stack.setCurrentWidget(self._editor_panel)
        self.editor_view.editor.setFocus()
        self._drop_standin()
        self._update_actions()

    def show_list(self) -> None:
        self.flush()
        self.editor_view.remember_place(open_=False)  # closed now: the next start shows the list
        if self.act_distraction_free.isChecked():
            self.act_distraction_free.setChecked(False)
        self.stack.setCurrentWidget(self.list_panel)
        self.refresh_state()
        self._select(self.editor_view.review_id)

    def _select(self, review_id: int | None) -> None:
        row = self.model.row_of(review_id) if review_id is not None else None
        if row is None:  # not listed (filtered out, or gone)
            return
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(  # the keyboard goes on from there
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)

    def flush(self) -> bool:
        """Save the review being written now (before close or page switch), and remember
        where the writer is for the next start."""
        if not self.attached:
            return True
        saved = self.editor_view.flush()
        self.editor_view.remember_place(open_=self.editing())
        return saved

    def save(self) -> None:
        if self.flush():
            self.message.emit("Saved")

    def open_selected(self) -> None:
        review_id = self.selected_review_id()
        if review_id is not None:
            self.open_review(review_id)

    def _current_review(self) -> int | None:
        return self.editor_view.review_id if self.editing() else self.selected_review_id()

    def duplicate(self) -> int | None:
        source = self._current_review()
        if source is None or not self.flush():
            return None
        try:
            copy = self.journal.reviews.duplicate(source)
        except EyelightsError as exc:
            self.errors.report(exc, "The review could not be duplicated")
            return None
        self.open_review(copy.id)
        return int(copy.id)

    def delete(self) -> bool:
        """Move the current review to the Trash (a revision is kept first)."""
        review_id = self._current_review()
        if review_id is None:
            return False
        try:
            if self.editing():
                self.editor_view.autosaver.detach()  # saves; the Trash keeps a revision
            self.journal.reviews.delete(review_id)
        except EyelightsError as exc:
            self.errors.report(exc, "The review could not be deleted")
            return False
        if self.editing():
            self.editor_view.review_id = None
            self.stack.setCurrentWidget(self.list_panel)
        self.model.refresh()
        self.refresh_state()
        self.message.emit("Review moved to the Trash")
        return True

    def _find(self, replace: bool) -> None:
        if self.editing():
            self.editor_view.findbar.open_find(replace)

    def set_distraction_free(self, on: bool) -> None:
        if on and not self.editing():
            self.act_distraction_free.setChecked(False)
            return
        self.back_button.setVisible(not on)
        self.editor_view.set_distraction_free(on)
        window = self.window()
        if window is not self:
            window.showFullScreen() if on else window.showNormal()
        self.distraction_free_changed.emit(on)

    def _activated(self, index: QModelIndex) -> None:
        review_id = self.model.data(index, ReviewIdRole)
        if review_id is not None:
            self.open_review(int(review_id))

    def current_review_id(self) -> int | None:
        """The review in the editor when it is open, else the one selected in the list."""
        if self.editing() and self.editor_view.review_id:
            self.flush()  # print and export what is on screen
            return self.editor_view.review_id
        return self.selected_review_id()

    def selected_review_id(self) -> int | None:
        selection = self.table.selectionModel()  # of the snapshot until the journal is open
        rows = selection.selectedRows() if selection is not None else []
        return int(self.table.model().data(rows[0], ReviewIdRole)) if rows else None

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 (Qt API)
        self.flush()  # page switch
        super().hideEvent(event)
