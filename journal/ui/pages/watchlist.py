"""The Watchlist page: films to see, with note, “recommended by” and priority; “Watched it”."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from journal.core.events import Changes
from journal.core.journal import Journal
from journal.core.values import PartialDate
from journal.errors import EyelightsError, ValidationError
from journal.ui.bridge import JournalSignals
from journal.ui.dialogs.film_dialog import PersonCompleter
from journal.ui.dialogs.viewing_dialog import FilmPicker
from journal.ui.errors import ErrorReporter
from journal.ui.models.watchlist_model import (
    HEADERS,
    EntryIdRole,
    FilmIdRole,
    WatchlistModel,
)
from journal.ui.widgets import accept_buttons, list_table


def _named(widget: QWidget, name: str, label: str) -> QWidget:
    widget.setObjectName(name)
    widget.setAccessibleName(label)
    return widget


class AddToWatchlistDialog(QDialog):
    def __init__(self, journal: Journal, errors: ErrorReporter, parent: QWidget | None = None,
                 film_id: int | None = None) -> None:
        super().__init__(parent)
        self.journal, self.errors = journal, errors
        self.setObjectName("watchlistAddDialog")
        self.setWindowTitle("Add to Watchlist")
        self.film = FilmPicker(journal, self)
        # wide enough for its hint and a long title (a form gives a line edit ~20 characters)
        self.film.setMinimumWidth(self.film.fontMetrics().horizontalAdvance(
            self.film.placeholderText() + " " * 12))
        if film_id is not None:
            self.film.set_film(film_id)
        self.note = _named(QLineEdit(self), "watchlistNote", "Note")
        self.recommended = _named(QLineEdit(self), "watchlistRecommendedBy", "Recommended by")
        PersonCompleter(journal, self.recommended, multiple=False)
        self.priority = _named(QSpinBox(self), "watchlistPriority", "Priority")
        self.priority.setRange(0, 5)
        self.priority.setSuffix(" ★")
        self.message = _named(QLabel(self), "watchlistMessage", "Problem")
        form = QFormLayout()
        for text, widget in (("&Film:", self.film), ("&Note:", self.note),
                             ("&Recommended by:", self.recommended),
                             ("&Priority:", self.priority), ("", self.message)):
            form.addRow(text, widget)
        buttons = accept_buttons(self)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def save(self) -> int | None:
        try:
            with self.journal.write():
                film_id = self.film.resolve_or_create()
                entry = self.journal.watchlist.add(
                    film_id, note=self.note.text(), recommended_by=self.recommended.text(),
                    priority=self.priority.value())
        except ValidationError as exc:
            self.message.setText(exc.message)
            return None
        except EyelightsError as exc:
            self.errors.report(exc, "The film could not be added to the watchlist")
            return None
        return entry.id

    def accept(self) -> None:
        if self.save() is not None:
            super().accept()


NOTE_COLUMN = HEADERS.index("Note")


class WatchlistPage(QWidget):
    open_film = Signal(int)

    def __init__(self, journal: Journal, signals: JournalSignals, errors: ErrorReporter,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.journal, self.errors = journal, errors
        self.setObjectName("watchlistPage")
        self.setAccessibleName("Watchlist")
        self.model = WatchlistModel(journal, self)
        self.table = list_table(self, self.model, "watchlistTable", "Watchlist")
        # Each column as wide as what it holds; the note takes what is left (and is elided,
        # whole in its tooltip).
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(NOTE_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.table.activated.connect(self._activated)
        # Made after the list: the list comes first in the focus chain, so that Ctrl+5 from
        # another page puts the keyboard on the list (it landed on this sort box, and the
        # title the user typed next went into it).
        self.order = _named(QComboBox(self), "watchlistOrder", "Sort watchlist by")
        self.order.addItem("By priority", "priority")
        self.order.addItem("By date added", "added")
        self.order.currentIndexChanged.connect(
            lambda _: self.model.set_order(self.order.currentData()))
        self.watched_date = _named(QLineEdit(dt.date.today().isoformat(), self),
                                   "watchlistWatchedDate", "Date watched")
        self.watched_date.setMaximumWidth(120)
        self.message = _named(QLabel(self), "watchlistPageMessage", "Problem")
        buttons = QHBoxLayout()
        for text, name, slot in (("&Add…", "watchlistAdd", self.add),  # Alt+A, W, R
                                 ("&Watched It", "watchlistWatched", self.watched_selected),
                                 ("&Remove", "watchlistRemove", self.remove_selected)):
            button = _named(QPushButton(text, self), name, text.replace("&", "").rstrip("…"))
            button.clicked.connect(slot)
            buttons.addWidget(button)
            if name == "watchlistWatched":
                buttons.addWidget(QLabel("on", self))
                buttons.addWidget(self.watched_date)
        buttons.addStretch(1)
        buttons.addWidget(self.order)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        signals.changed.connect(self._on_changed)

    def _on_changed(self, changes: Changes) -> None:
        if changes.watchlist or changes.films or changes.trash:
            self.model.reload()

    def _activated(self, index: QModelIndex) -> None:
        self.open_film.emit(int(self.model.data(index, FilmIdRole)))

    def selected_entry_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return int(self.model.data(rows[0], EntryIdRole)) if rows else None

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)

    def add(self, film_id: int | None = None) -> AddToWatchlistDialog:
        dialog = AddToWatchlistDialog(self.journal, self.errors, self, film_id or None)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def watched_selected(self) -> int | None:
        """Log a viewing on the date in the field (today unless edited), drop the entry."""
        entry_id = self.selected_entry_id()
        if entry_id is None:
            return None
        self.message.clear()
        try:
            date = PartialDate.parse(self.watched_date.text())
            viewing = self.journal.watchlist.watched(entry_id, date.iso() if date else None)
        except ValidationError as exc:
            self.message.setText(exc.message)
            return None
        except EyelightsError as exc:
            self.errors.report(exc, "The viewing could not be logged")
            return None
        self.message.setText("Logged in your diary and taken off the watchlist.")
        return viewing.id

    def remove_selected(self) -> None:
        entry_id = self.selected_entry_id()
        if entry_id is not None:
            self.journal.watchlist.remove(entry_id)
