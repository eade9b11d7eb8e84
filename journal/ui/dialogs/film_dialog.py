"""The film dialog: create or edit a film, with inline validation and duplicate detection.

Same IMDb/TMDb id: it *is* that film, nothing is created. Same title and year (case and accents
folded): the user is asked before a second one is created (``confirm_duplicate``).
``FilmChooserDialog`` picks one film of the catalogue from a searchable list (for "Merge With…").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QStringListModel, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from journal.core import catalogue_query as cq
from journal.core.catalogue import DuplicateFilm
from journal.core.journal import Journal
from journal.errors import EyelightsError, ValidationError
from journal.store.models import FILM_KINDS, Film
from journal.ui.errors import ErrorReporter
from journal.ui.widgets import accept_buttons


class PersonCompleter(QCompleter):
    """Completes the last comma-separated name of a line edit from ``journal.people.complete``."""

    def __init__(self, journal: Journal, edit: QLineEdit, multiple: bool = True) -> None:
        self._model = QStringListModel()
        super().__init__(self._model, edit)
        self._model.setParent(self)
        self.journal, self.edit, self.multiple = journal, edit, multiple
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setWidget(edit)
        edit.textEdited.connect(self._update)
        self.activated[str].connect(self._insert)

    def _last(self, text: str) -> str:
        return text.rsplit(",", 1)[-1].strip() if self.multiple else text.strip()

    def _update(self, text: str) -> None:
        prefix = self._last(text)
        names = self.journal.people.complete(prefix) if len(prefix) >= 2 else []
        self._model.setStringList(names)
        if names:
            self.setCompletionPrefix(prefix)
            self.complete()

    def _insert(self, name: str) -> None:
        head = self.edit.text().rsplit(",", 1)[0] + ", " if (
            self.multiple and "," in self.edit.text()) else ""
        self.edit.setText(head + name)


class FilmDialog(QDialog):
    saved = Signal(int)

    def __init__(self, journal: Journal, errors: ErrorReporter, parent: QWidget | None = None,
                 *, film_id: int | None = None) -> None:
        super().__init__(parent)
        self.journal, self.errors, self.film_id = journal, errors, film_id
        self.duplicate_of: int | None = None
        #: Asked when a film with the same title and year exists; tests replace it.
        self.confirm_duplicate: Callable[[Film], bool] = self._ask_duplicate
        self.setObjectName("filmDialog")
        self.setWindowTitle("Edit Film" if film_id else "New Film")
        self.setAccessibleName(self.windowTitle())
        self._build()
        if film_id is not None:
            self._load(journal.films.get(film_id))

    def _edit(self, name: str, label: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(name)
        edit.setAccessibleName(label)
        return edit

    def _build(self) -> None:
        self.title = self._edit("filmTitle", "Title")
        self.original = self._edit("filmOriginalTitle", "Original title")
        self.year = self._edit("filmYear", "Year")
        self.year.setPlaceholderText("1979")
        self.kind = QComboBox(self)
        self.kind.setObjectName("filmKind")
        self.kind.setAccessibleName("Kind")
        for kind in FILM_KINDS:
            self.kind.addItem(kind.capitalize(), kind)
        self.runtime = self._edit("filmRuntime", "Runtime in minutes")
        self.runtime.setPlaceholderText("minutes")
        self.directors = self._edit("filmDirectors", "Directors")
        self.directors.setPlaceholderText("Names, separated by commas")
        PersonCompleter(self.journal, self.directors)
        self.imdb = self._edit("filmImdb", "IMDb id")
        self.imdb.setPlaceholderText("tt0079944")
        self.tmdb = self._edit("filmTmdb", "TMDb id")
        self.synopsis = QPlainTextEdit(self)
        self.synopsis.setObjectName("filmSynopsis")
        self.synopsis.setAccessibleName("Synopsis")
        self.synopsis.setTabChangesFocus(True)
        self.message = QLabel(self)
        self.message.setObjectName("filmMessage")
        self.message.setAccessibleName("Problem")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: palette(link-visited);")
        form = QFormLayout()
        rows: list[tuple[str, QWidget]] = [
            ("&Title:", self.title), ("&Original title:", self.original), ("&Year:", self.year),
            ("&Kind:", self.kind), ("&Runtime:", self.runtime)]
        if self.film_id is None:  # credits of an existing film are edited on its page
            rows.append(("&Directors:", self.directors))
        rows += [("IMDb:", self.imdb), ("TMDb:", self.tmdb), ("&Synopsis:", self.synopsis)]
        for text, widget in rows:
            form.addRow(text, widget)
        buttons = accept_buttons(self, save=True)
        from journal.ui.film_form_lookup import FormLookup  # Look Up… (Wikidata, TMDb)

        self.lookup = FormLookup(self)
        form.addRow("", self.lookup.button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def _load(self, film: Film) -> None:
        self.title.setText(film.title)
        self.original.setText(film.original_title or "")
        self.year.setText(str(film.year or ""))
        self.kind.setCurrentIndex(max(0, self.kind.findData(film.kind)))
        self.runtime.setText(str(film.runtime_minutes or ""))
        self.imdb.setText(film.imdb_id or "")
        self.tmdb.setText(film.tmdb_id or "")
        self.synopsis.setPlainText(film.synopsis)

    @staticmethod
    def _int(edit: QLineEdit, what: str, field: str) -> int | None:
        text = edit.text().strip()
        if not text:
            return None
        if not text.isdigit():
            raise ValidationError(f"The {what} is a number, not “{text}”.", field)
        return int(text)

    def values(self) -> dict[str, Any]:
        return {"title": self.title.text(), "original_title": self.original.text() or None,
                "year": self._int(self.year, "year", "year"), "kind": self.kind.currentData(),
                "runtime_minutes": self._int(self.runtime, "runtime", "runtime"),
                "imdb_id": self.imdb.text() or None, "tmdb_id": self.tmdb.text() or None,
                "synopsis": self.synopsis.toPlainText()}

    def save(self) -> int | None:
        """Create or update; returns the film id, or None with an inline message."""
        self.message.clear()
        self.duplicate_of = None
        try:
            values = self.values()
            if self.film_id is not None:
                film = self.journal.films.update(self.film_id, **values)
            else:
                film = self._create(values)
                if film is None:
                    return None
        except ValidationError as exc:
            self._show_problem(exc)
            return None
        except EyelightsError as exc:
            self.errors.report(exc, "The film could not be saved")
            return None
        self.film_id = film.id
        self.lookup.after_save(film.id)
        self.saved.emit(film.id)
        return film.id

    def _create(self, values: dict[str, Any]) -> Film | None:
        directors = [n.strip() for n in self.directors.text().split(",") if n.strip()]
        title, year = values.pop("title"), values.pop("year")
        try:
            return self.journal.films.create(title, year, directors=directors, **values)
        except DuplicateFilm as dup:
            self.duplicate_of = dup.existing.id
            if dup.same_id or not self.confirm_duplicate(dup.existing):
                self.message.setText(dup.message + (" It is the same film." if dup.same_id
                                                    else ""))
                return None
        return self.journal.films.create(title, year, directors=directors,
                                         allow_duplicate=True, **values)

    def _show_problem(self, exc: ValidationError) -> None:
        self.message.setText(exc.message)
        target = {"title": self.title, "year": self.year, "runtime": self.runtime,
                  "kind": self.kind}.get(exc.field or "")
        if target is not None:
            target.setFocus()

    def _ask_duplicate(self, existing: Film) -> bool:
        year = f" ({existing.year})" if existing.year else ""
        answer = QMessageBox.question(
            self, "Film already in the catalogue",
            f"“{existing.title}”{year} is already in the catalogue. Add a second film with the "
            "same title and year (a remake, a namesake)?")
        return answer == QMessageBox.StandardButton.Yes

    def accept(self) -> None:
        if self.save() is not None:
            super().accept()


class FilmChooserDialog(QDialog):
    """A searchable list of the catalogue's films (minus ``exclude``); emits ``chosen(id)``.

    The search box takes what the Films page's filter takes (words, ``year=1979``…); Down moves
    to the list, Return chooses. At most ``LIMIT`` films are listed: type more to narrow."""

    chosen = Signal(int)
    LIMIT = 200

    def __init__(self, journal: Journal, parent: QWidget | None = None, *,
                 exclude: int | None = None, title: str = "Choose a Film",
                 explanation: str = "", accept_text: str = "Choose") -> None:
        super().__init__(parent)
        self.journal, self.exclude = journal, exclude
        self.setObjectName("filmChooser")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.search = QLineEdit(self)
        self.search.setObjectName("filmChooserSearch")
        self.search.setAccessibleName("Search films")
        self.search.setPlaceholderText("Title, director, or year=1979…")
        self.search.setClearButtonEnabled(True)
        self.search.installEventFilter(self)
        self.list = QListWidget(self)
        self.list.setObjectName("filmChooserList")
        self.list.setAccessibleName("Films")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.itemActivated.connect(lambda _item: self.accept())
        self.list.currentItemChanged.connect(lambda *_: self._update_ok())
        self.status = QLabel(self)
        self.status.setObjectName("filmChooserStatus")
        self.status.setAccessibleName("How many films are listed")
        self.buttons = accept_buttons(self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(accept_text)
        self.ok_button.setObjectName("filmChooserOk")
        layout = QVBoxLayout(self)
        if explanation:
            note = QLabel(explanation, self)
            note.setObjectName("filmChooserExplanation")
            note.setTextFormat(Qt.TextFormat.PlainText)
            note.setWordWrap(True)
            layout.addWidget(note)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.resize(480, 420)
        self.search.textChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        """List the films matching the search text (the previous list stays on a bad term)."""
        try:
            ids = cq.film_ids(self.journal, self.search.text())
        except EyelightsError as exc:
            self.status.setText(exc.message)
            return
        ids = [i for i in ids if i != self.exclude]
        shown = ids[:self.LIMIT]
        rows = cq.film_rows(self.journal, shown)
        self.list.clear()
        for film_id in shown:
            r = rows[film_id]
            label = f"{r.title} ({r.year})" if r.year else r.title
            if r.directors:
                label += f" — {r.directors}"
            item = QListWidgetItem(label, self.list)
            item.setData(Qt.ItemDataRole.UserRole, film_id)
        if shown:
            self.list.setCurrentRow(0)
        more = f" (the first {len(shown)}: type more to narrow)" if len(ids) > len(shown) else ""
        self.status.setText(f"{len(ids):,} film{'s' if len(ids) != 1 else ''}{more}")
        self._update_ok()

    def chosen_id(self) -> int | None:
        item = self.list.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def _update_ok(self) -> None:
        self.ok_button.setEnabled(self.chosen_id() is not None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search and event.type() == QEvent.Type.KeyPress and isinstance(
                event, QKeyEvent) and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_PageDown) \
                and self.list.count():
            self.list.setFocus()
            return True
        return super().eventFilter(watched, event)

    def accept(self) -> None:
        film_id = self.chosen_id()
        if film_id is None:
            return
        super().accept()
        self.chosen.emit(film_id)
