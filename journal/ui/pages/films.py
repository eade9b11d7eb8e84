"""The Films page: the catalogue in a lazy, SQL-sorted table with a Tellico-style quick filter."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from journal.core.events import Changes
from journal.core.journal import Journal
from journal.ui.bridge import JournalSignals
from journal.ui.dialogs.film_dialog import FilmDialog
from journal.ui.errors import ErrorReporter
from journal.ui.keys import FilterLeadsToList
from journal.ui.models.films_model import (
    COL_DIRECTOR,
    COL_LAST,
    COL_ORIGINAL,
    COL_SCORE,
    COL_TITLE,
    COL_YEAR,
    FilmIdRole,
    FilmsModel,
)
from journal.ui.widgets import fit_columns, list_table

FILTER_HELP = ("Words match titles and directors. Terms: year=1979, year=1970..1979, "
               "director=tarkovsky, actor=…, title=…, original=…, kind=short, score>=8, "
               "viewings>=2, watched=2023, imdb=tt…")


class FilmsPage(QWidget):
    open_film = Signal(int)

    def __init__(self, journal: Journal, signals: JournalSignals, errors: ErrorReporter,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.journal, self.errors = journal, errors
        self.setObjectName("filmsPage")
        self.setAccessibleName("Films")
        self.model = FilmsModel(journal, self)
        self._build()
        # No waiting for a pause in typing: the query runs on a worker at each keystroke, and
        # one typed during a query replaces any still waiting (FilmsModel).
        self.filter.textChanged.connect(self.apply_filter)
        self.model.filter_problem.connect(self.hint.setText)
        FilterLeadsToList(self.filter, lambda: self.table, self.model.settle)
        self.model.modelReset.connect(self._update_count)
        self.model.settled.connect(self._update_count)  # after a request's rows, all of them
        self.model.modelReset.connect(self._select_again)
        self._reselect: int | None = None
        self._changes = Changes()
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(0)
        self._refresh.timeout.connect(self._apply_changes)
        signals.changed.connect(self._on_changed)
        self._update_count()

    def _build(self) -> None:
        self.filter = QLineEdit(self)
        self.filter.setObjectName("filmsFilter")
        self.filter.setAccessibleName("Filter films")
        self.filter.setPlaceholderText("Filter: words, or year=1979 director=tarkovsky score>=8…")
        self.filter.setToolTip(FILTER_HELP)
        self.filter.setClearButtonEnabled(True)
        self.new_button = QPushButton("New Film…", self)
        self.new_button.setObjectName("newFilmButton")
        self.new_button.setAccessibleName("New film")
        self.new_button.clicked.connect(self.new_film)
        self.complete_button = QPushButton("Complete the Catalogue…", self)
        self.complete_button.setObjectName("completeCatalogueButton")
        self.complete_button.setAccessibleName("Complete the catalogue from Wikidata or TMDb")
        self.complete_button.clicked.connect(self.complete_catalogue)
        self.count = QLabel(self)
        self.count.setObjectName("filmsCount")
        self.hint = QLabel(self)
        self.hint.setObjectName("filmsFilterHint")
        self.hint.setAccessibleName("Filter problem")
        self.table = list_table(self, self.model, "filmsTable", "Films list",
                                sort=(COL_TITLE, Qt.SortOrder.AscendingOrder))
        self.table.verticalHeader().setDefaultSectionSize(
            self.table.fontMetrics().height() + 8)
        # The titles and the director share the width, the title twice as much as each of the
        # others; the others as wide as they need: at 900×600 the list scrolled sideways
        # (fixed widths added up to 970 px), then, in equal thirds, elided most titles.
        fit_columns(self.table, self.table.horizontalHeader(),
                    (COL_TITLE, COL_ORIGINAL, COL_DIRECTOR),
                    {COL_YEAR: "0000", COL_SCORE: "10.0", COL_LAST: "30 September 2014"},
                    weights={COL_TITLE: 2, COL_ORIGINAL: 1, COL_DIRECTOR: 1})
        self.table.activated.connect(self._activated)
        self.table.verticalScrollBar().valueChanged.connect(  # a new query reads these rows
            lambda _v: setattr(self.model, "hint", max(0, self.table.rowAt(0))))
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.new_button)
        top.addWidget(self.complete_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.hint, 1)
        bottom.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

    # ------------------------------------------------------------------ behaviour
    def apply_filter(self) -> None:
        self.model.set_filter(self.filter.text())

    def _update_count(self) -> None:
        if self.model.busy:  # the first rows of a filter, the rest being read: not a count yet
            return
        n = self.model.rowCount()
        self.count.setText(f"{n:,} film{'s' if n != 1 else ''}")

    def _on_changed(self, changes: Changes) -> None:
        if changes.films or changes.people or changes.viewings or changes.reviews \
                or changes.trash:
            self._changes = self._changes | changes
            self._refresh.start()  # the changes a batch sends together: one refresh

    def _apply_changes(self) -> None:
        changes, self._changes = self._changes, Changes()
        if not changes:
            return
        height = self.table.viewport().height()
        visible = (self.table.rowAt(0), self.table.rowAt(max(0, height - 1)))
        self._reselect = self.selected_film_id()  # if the rows are reset, once they are in
        self.model.refresh(changes, visible)

    def _select_again(self) -> None:
        film_id, self._reselect = self._reselect, None
        if film_id is not None:
            self.select_film(film_id)

    def _activated(self, index: QModelIndex) -> None:
        film_id = self.model.data(index, FilmIdRole)
        if film_id is not None:
            self.open_film.emit(int(film_id))

    def selected_film_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.film_id(rows[0].row()) if rows else None

    def select_film(self, film_id: int) -> None:
        row = self.model.row_of(film_id)
        if row is not None:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    def new_film(self) -> FilmDialog:
        dialog = FilmDialog(self.journal, self.errors, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self.open_film)
        dialog.open()
        return dialog

    def complete_catalogue(self) -> QWidget:
        """Films → Complete the Catalogue… (journal.ui.complete_catalogue): one window at a time."""
        from journal.ui.complete_catalogue import CompleteCatalogueDialog

        dialog = getattr(self, "complete_dialog", None)
        if dialog is not None and dialog.isVisible():
            dialog.raise_()
            dialog.activateWindow()
            return dialog
        self.complete_dialog = dialog = CompleteCatalogueDialog(self.journal, self)
        dialog.show()
        return dialog
