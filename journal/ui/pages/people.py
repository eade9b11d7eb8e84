"""The People page: everyone in the catalogue, and a person's filmography beside the list."""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from journal.core import catalogue_query as cq
from journal.core.events import Changes
from journal.core.journal import Journal
from journal.core.values import format_score
from journal.core.words import count
from journal.errors import EyelightsError
from journal.store.models import ROLES
from journal.ui.bridge import JournalSignals
from journal.ui.errors import ErrorReporter
from journal.ui.keys import FilterLeadsToList
from journal.ui.models.people_model import PeopleModel, PersonIdRole
from journal.ui.widgets import list_table

ROLE_TITLES = {"director": "Director", "writer": "Writer", "cast": "Actor",
               "composer": "Composer", "cinematographer": "Cinematographer",
               "editor": "Editor", "producer": "Producer"}


class PersonPanel(QScrollArea):
    """One person: filmography grouped by role with years, my average score, viewings."""

    open_film = Signal(int)

    def __init__(self, journal: Journal, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.journal = journal
        self.person_id: int | None = None
        self.setObjectName("personPanel")
        self.setAccessibleName("Person")
        self.setWidgetResizable(True)
        self.text = QLabel(self)
        self.text.setObjectName("personText")
        self.text.setAccessibleName("Filmography")
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.text.linkActivated.connect(lambda href: self.open_film.emit(int(href[5:])))
        self.text.setMargin(12)
        self.setWidget(self.text)

    def show_person(self, person_id: int | None) -> None:
        self.person_id = person_id
        self.refresh()

    def refresh(self) -> None:
        if self.person_id is None:
            self.text.setText("<p>Choose a person.</p>")
            return
        try:
            person = self.journal.people.get(self.person_id)
        except EyelightsError as exc:
            self.text.setText(f"<p>{html.escape(exc.message)}</p>")
            return
        f = cq.filmography(self.journal, person.id)
        score = format_score(f.average_score) or "–"
        parts = [f"<h2>{html.escape(person.name)}</h2>",
                 f"<p>My average score for their films: <b>{score}</b> "
                 f"({count(f.scored_reviews, 'scored review')}) · "
                 f"{count(f.viewings, 'viewing')}</p>"]
        for role in sorted(f.by_role, key=lambda r: ROLES.index(r) if r in ROLES else 99):
            parts.append(f"<h3>{ROLE_TITLES.get(role, role.capitalize())}</h3><ul>")
            for film_id, title, year, character in f.by_role[role]:
                as_ = f" — as {html.escape(character)}" if character else ""
                parts.append(f"<li>{year or '—'} <a href='film:{film_id}'>"
                             f"{html.escape(title)}</a>{as_}</li>")
            parts.append("</ul>")
        self.text.setText("".join(parts))


class PeoplePage(QWidget):
    open_film = Signal(int)
    open_person = Signal(int)

    def __init__(self, journal: Journal, signals: JournalSignals, errors: ErrorReporter,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.journal, self.errors = journal, errors
        self.setObjectName("peoplePage")
        self.setAccessibleName("People")
        self.model = PeopleModel(journal, self)
        self.filter = QLineEdit(self)
        self.filter.setObjectName("peopleFilter")
        self.filter.setAccessibleName("Filter people")
        self.filter.setPlaceholderText("Filter people by name…")
        self.filter.setClearButtonEnabled(True)
        # at each keystroke, on a worker (PeopleModel): no waiting for a pause in typing
        self.filter.textChanged.connect(lambda text: self.model.set_filter(text))
        self.table = list_table(self, self.model, "peopleTable", "People list")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # the count needs a few digits: the names get the rest of the width
        header.resizeSection(1, max(self.table.fontMetrics().horizontalAdvance("99999"),
                                    header.fontMetrics().horizontalAdvance("Films") + 12) + 24)
        self.table.selectionModel().currentRowChanged.connect(self._current)
        self.table.verticalScrollBar().valueChanged.connect(  # a new query reads these rows
            lambda _v: setattr(self.model, "hint", max(0, self.table.rowAt(0))))
        self.table.activated.connect(self._activated)
        FilterLeadsToList(self.filter, lambda: self.table, self._flush_filter)
        self.panel = PersonPanel(journal, self)
        self.panel.open_film.connect(self.open_film)
        left = QWidget(self)
        left.setMinimumWidth(260)  # room for a name beside its count
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.filter)
        left_layout.addWidget(self.table)
        splitter = QSplitter(self)
        splitter.addWidget(left)
        splitter.addWidget(self.panel)
        splitter.setSizes([320, 600])
        QVBoxLayout(self).addWidget(splitter)
        signals.changed.connect(self._on_changed)
        self.panel.show_person(None)

    def _flush_filter(self) -> None:
        self.model.settle()

    def _current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.panel.show_person(self.model.person_id(current.row()))

    def _activated(self, index: QModelIndex) -> None:
        person_id = self.model.data(index, PersonIdRole)
        if person_id is not None:
            self.open_person.emit(int(person_id))

    def show_person(self, person_id: int) -> None:
        """Select ``person_id`` (from a film page's credits) and show their filmography."""
        row = self.model.row_of(person_id)  # a lookup in the ids: no row is loaded
        if row is not None:
            self.table.selectRow(row)
        self.panel.show_person(person_id)

    def _on_changed(self, changes: Changes) -> None:
        if changes.people or changes.films or changes.viewings or changes.reviews \
                or changes.trash:
            self.model.reload()
            self.panel.refresh()
