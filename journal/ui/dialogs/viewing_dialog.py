"""“Log a viewing” (Ctrl+L from anywhere), editing and deleting a viewing, with undo.

Also home of ``FilmPicker`` (a title field completing from the catalogue, or naming a new film)
and ``UndoLog`` (the small undo history the Diary and this dialog share).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QStringListModel, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from journal.core.diary import is_rewatch
from journal.core.journal import Journal
from journal.core.values import PartialDate, display_partial, fold
from journal.core.words import times
from journal.errors import EyelightsError, ValidationError
from journal.store.models import MEDIA, MEDIUM_LABELS, Film, Viewing
from journal.ui.errors import ErrorReporter
from journal.ui.widgets import accept_buttons

_TITLE_YEAR = re.compile(r"^(?P<title>.+?)\s*\((?P<year>\d{4})\)\s*$")


def film_label(film: Film) -> str:
    return f"{film.title} ({film.year})" if film.year else film.title


class FilmPicker(QLineEdit):
    """Type a title: completes from the catalogue; an unknown title names a new film."""

    def __init__(self, journal: Journal, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.journal = journal
        self.setObjectName("filmPicker")
        self.setAccessibleName("Film")
        self.setPlaceholderText("Film title, e.g. Stalker (1979)")
        self._labels: dict[str, int] = {}
        self._model = QStringListModel(self)
        completer = QCompleter(self._model, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCompleter(completer)
        self.textEdited.connect(self._complete)

    def _complete(self, text: str) -> None:
        key = fold(text)
        if len(key) < 2:
            return
        films = self.journal.films.title_matches(key, 30)
        self._labels = {film_label(f): f.id for f in films}
        self._model.setStringList(list(self._labels))

    def set_film(self, film_id: int) -> None:
        film = self.journal.films.get(film_id)
        self._labels[film_label(film)] = film.id
        self.setText(film_label(film))

    def film_id(self) -> int | None:
        """The catalogue film the text names (exactly one), else None (a new film)."""
        text = self.text().strip()
        if text in self._labels:
            return self._labels[text]
        title, year = self.title_and_year()
        found = self.journal.films.by_title(title, year) if title else []
        return found[0].id if len(found) == 1 else None

    def title_and_year(self) -> tuple[str, int | None]:
        text = self.text().strip()
        m = _TITLE_YEAR.match(text)
        return (m.group("title").strip(), int(m.group("year"))) if m else (text, None)

    def resolve_or_create(self) -> int:
        """The named film, created when it is not in the catalogue yet."""
        film_id = self.film_id()
        if film_id is not None:
            return film_id
        title, year = self.title_and_year()
        if not title:
            raise ValidationError("Choose a film, or type the title of a new one.", "film")
        return self.journal.films.create(title, year).id


class UndoLog(QObject):
    """The last few undoable changes; ``action`` is an “Undo …” QAction (Ctrl+Z)."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None, limit: int = 20) -> None:
        super().__init__(parent)
        self._steps: list[tuple[str, Callable[[], object]]] = []
        self.limit = limit
        self.action = QAction("Undo", self)
        self.action.setObjectName("actionUndoViewing")
        self.action.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        self.action.triggered.connect(self.undo)
        self.changed.connect(self._update_action)
        self._update_action()

    def push(self, label: str, undo: Callable[[], object]) -> None:
        self._steps = (self._steps + [(label, undo)])[-self.limit:]
        self.changed.emit()

    def can_undo(self) -> bool:
        return bool(self._steps)

    def label(self) -> str:
        return self._steps[-1][0] if self._steps else ""

    def undo(self) -> None:
        if self._steps:
            _, step = self._steps.pop()
            step()
            self.changed.emit()

    def _update_action(self) -> None:
        self.action.setEnabled(self.can_undo())
        self.action.setText(f"Undo {self.label()}" if self.can_undo() else "Undo")


class ViewingDialog(QDialog):
    """Log (``viewing_id`` None) or edit a viewing. Problems show inline, under the field."""

    saved = Signal(int)
    deleted = Signal(str)

    def __init__(self, journal: Journal, errors: ErrorReporter, parent: QWidget | None = None,
                 *, viewing_id: int | None = None, film_id: int | None = None,
                 undo: UndoLog | None = None, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.journal, self.errors, self.undo_log = journal, errors, undo
        self.viewing_id, self.today = viewing_id, today
        self.setObjectName("viewingDialog")
        self.setWindowTitle("Edit Viewing" if viewing_id else "Log a Viewing")
        self.setAccessibleName(self.windowTitle())
        self._build()
        if viewing_id is not None:
            self._load(journal.viewings.get(viewing_id))
        elif film_id is not None:
            self.film.set_film(film_id)
        self._check_date()
        self._update_rewatch()

    def _field(self, widget: QWidget, name: str, label: str) -> QWidget:
        widget.setObjectName(name)
        widget.setAccessibleName(label)
        return widget

    def _build(self) -> None:
        self.film = FilmPicker(self.journal, self)
        self.date = self._field(QLineEdit((self.today or dt.date.today()).isoformat(), self),
                                "viewingDate", "Date of viewing")
        self.date.setPlaceholderText("2014-01-24, 2014-01 or 2014")
        self.date.setToolTip("A full date, a month (2014-01) or just a year (2014)")
        self.date_message = self._field(QLabel(self), "viewingDateMessage", "Date message")
        self.medium = self._field(QComboBox(self), "viewingMedium", "Medium")
        self.medium.addItem("—", "")
        for key in MEDIA:
            self.medium.addItem(MEDIUM_LABELS[key], key)
        self.venue = self._field(QLineEdit(self), "viewingVenue", "Venue")
        self.companions = self._field(QLineEdit(self), "viewingCompanions", "Companions")
        self.note = self._field(QPlainTextEdit(self), "viewingNote", "Note")
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(70)
        self.rewatch = self._field(QCheckBox("I had seen it before", self), "viewingRewatch",
                                   "Rewatch")
        self.rewatch_info = self._field(QLabel(self), "viewingRewatchInfo", "Earlier viewings")
        self.message = self._field(QLabel(self), "viewingMessage", "Problem")
        for label in (self.date_message, self.message):
            label.setWordWrap(True)
            label.setStyleSheet("color: palette(link-visited);")
        form = QFormLayout()
        for text, widget in (("&Film:", self.film), ("&Date:", self.date),
                             ("", self.date_message), ("&Medium:", self.medium),
                             ("&Venue:", self.venue), ("With:", self.companions),
                             ("&Note:", self.note), ("", self.rewatch),
                             ("", self.rewatch_info)):
            form.addRow(text, widget)
        buttons = accept_buttons(self, save=True)
        self.delete_button = QPushButton("Delete", self)
        self.delete_button.setObjectName("viewingDelete")
        self.delete_button.setAccessibleName("Delete viewing")
        self.delete_button.setVisible(self.viewing_id is not None)
        self.delete_button.clicked.connect(self.delete)
        buttons.addButton(self.delete_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.date.textChanged.connect(self._check_date)
        self.film.textChanged.connect(self._update_rewatch)

    def _load(self, v: Viewing) -> None:
        self.film.set_film(v.film_id)
        self.date.setText(v.watched_on or "")
        self.medium.setCurrentIndex(max(0, self.medium.findData(v.medium or "")))
        self.venue.setText(v.venue)
        self.companions.setText(v.companions)
        self.note.setPlainText(v.note)
        self.rewatch.setChecked(bool(v.rewatch_flag))

    # ------------------------------------------------------------------ live feedback
    def _check_date(self) -> bool:
        try:
            date = PartialDate.parse(self.date.text(), today=self.today)
        except ValidationError as exc:
            self.date_message.setText(exc.message)
            return False
        self.date_message.setText(date.display() if date else "Date unknown: “seen it”.")
        return True

    def _update_rewatch(self) -> None:
        film_id = self.film.film_id()
        earlier = [v for v in self.journal.viewings.for_film(film_id)
                   if v.id != self.viewing_id] if film_id else []
        if earlier:
            dates = ", ".join(display_partial(v.watched_on) or "undated" for v in earlier[-3:])
            self.rewatch_info.setText(f"Rewatch: seen {times(len(earlier))} before ({dates}).")
        else:
            self.rewatch_info.setText("First time in your diary." if film_id else "")

    # ------------------------------------------------------------------ actions
    def values(self) -> dict[str, Any]:
        return {"watched_on": self.date.text(), "medium": self.medium.currentData() or None,
                "venue": self.venue.text(), "companions": self.companions.text(),
                "note": self.note.toPlainText(), "rewatch": self.rewatch.isChecked()}

    def save(self) -> int | None:
        """Write the viewing; returns its id, or None (with an inline message) when refused."""
        self.message.clear()
        if not self._check_date():
            self.date.setFocus()
            return None
        try:
            with self.journal.write():
                film_id = self.film.resolve_or_create()
                if self.viewing_id is None:
                    viewing = self.journal.viewings.log(film_id, today=self.today,
                                                        **self.values())
                    self._push_undo("log", viewing.id)
                else:
                    before = self.journal.viewings.get(self.viewing_id)
                    viewing = self.journal.viewings.update(self.viewing_id, film_id=film_id,
                                                           today=self.today, **self.values())
                    self._push_undo("edit", viewing.id, before)
        except ValidationError as exc:
            self.message.setText(exc.message)
            return None
        except EyelightsError as exc:
            self.errors.report(exc, "The viewing could not be saved")
            return None
        self.viewing_id = viewing.id
        self.saved.emit(viewing.id)
        return viewing.id

    def _push_undo(self, kind: str, viewing_id: int, before: Viewing | None = None) -> None:
        if self.undo_log is None:
            return
        viewings = self.journal.viewings
        if kind == "log":
            self.undo_log.push("Log Viewing", lambda: viewings.delete(viewing_id))
            return
        assert before is not None
        old = {"film_id": before.film_id, "watched_on": before.watched_on,
               "medium": before.medium, "venue": before.venue,
               "companions": before.companions, "note": before.note,
               "rewatch": before.rewatch_flag}
        self.undo_log.push("Edit Viewing",
                           lambda: viewings.update(viewing_id, today=dt.date.max, **old))

    def accept(self) -> None:
        if self.save() is not None:
            super().accept()

    def delete(self) -> str | None:
        if self.viewing_id is None:
            return None
        try:
            group = self.journal.viewings.delete(self.viewing_id)
        except EyelightsError as exc:
            self.errors.report(exc, "The viewing could not be deleted")
            return None
        if self.undo_log is not None:
            self.undo_log.push("Delete Viewing", lambda: self.journal.trash.restore(group))
        self.deleted.emit(group)
        super().reject()
        return group


def log_viewing_action(window: QWidget, journal: Journal, errors: ErrorReporter,
                       undo: UndoLog | None = None,
                       current_film: Callable[[], int | None] | None = None) -> QAction:
    """“Log a Viewing…” (Ctrl+L, application-wide): for the lead's Diary/Film menu."""
    action = QAction("Log a Viewing…", window)
    action.setObjectName("actionLogViewing")
    action.setShortcut(QKeySequence("Ctrl+L"))
    action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)

    def open_dialog() -> None:
        dialog = ViewingDialog(journal, errors, window, undo=undo,
                               film_id=current_film() if current_film else None)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    action.triggered.connect(open_dialog)
    return action


__all__ = ["FilmPicker", "UndoLog", "ViewingDialog", "film_label", "is_rewatch",
           "log_viewing_action"]
