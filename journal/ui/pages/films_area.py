"""The Films sidebar entry: the list of films and, on top of it, one film's page."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton, QStackedWidget, QVBoxLayout, QWidget

from journal.core.journal import Journal
from journal.ui.bridge import JournalSignals
from journal.ui.errors import ErrorReporter
from journal.ui.pages.film_detail import FilmPage
from journal.ui.pages.films import FilmsPage


class FilmsArea(QWidget):
    """``films`` lists; ``film`` shows one. ``show_film(id)`` is what navigation calls."""

    def __init__(self, journal: Journal, signals: JournalSignals, errors: ErrorReporter,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filmsPage")
        self.setAccessibleName("Films")
        self.films = FilmsPage(journal, signals, errors, self)
        self.film = FilmPage(journal, signals, errors, self)
        self.back = QPushButton("← All films", self)
        self.back.setObjectName("filmsBackButton")
        self.back.setAccessibleName("Back to all films")
        self.back.clicked.connect(self.show_list)
        detail = QWidget(self)
        layout = QVBoxLayout(detail)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.back, 0)
        layout.addWidget(self.film, 1)
        self.detail = detail
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.films)
        self.stack.addWidget(detail)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)
        self.films.open_film.connect(self.show_film)
        self.film.open_film.connect(self.show_film)
        self.film.deleted.connect(lambda _group: self.show_list())

    def show_film(self, film_id: int) -> None:
        self.film.show_film(film_id)
        self.stack.setCurrentWidget(self.detail)

    def show_list(self) -> None:
        self.stack.setCurrentWidget(self.films)
