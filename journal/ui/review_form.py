"""The fields around the review's text: film, viewing, score, eyelights/eyesores, tags, status,
language. Invalid input is shown inline next to the field and never saved.

The review's film and viewing are values the form holds (``_film``, ``_viewing``), set when a
review is loaded and changed only by the user (choosing, creating, logging); the two pickers
show them. The film picker holds that film alone and asks the catalogue for a few films as the
user types (``ui/film_picker.py``): the catalogue's size never slows opening a review. Redrawing
the pickers (a film changed elsewhere, the form was hidden) shows those values again, so a
refresh never drops what the user did not change."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QObject,
    QStringListModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from journal.core.film_titles import films_matching, split_title_year
from journal.core.journal import Journal
from journal.core.spellcheck import LANGUAGES
from journal.core.values import display_partial, format_score, parse_score
from journal.core.words import medium_name
from journal.errors import EyelightsError, ValidationError
from journal.store.models import REVIEW_STATUSES, Review
from journal.ui.film_picker import FilmCombo, film_label
from journal.ui.keys import ReturnSubmits

NEW_VIEWING = -1
SCORE_STEP = Decimal("0.1")


class ScoreEdit(QLineEdit):
    """Text field for a score; Up/Down step by 0.1; empty means unrated."""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        step = {Qt.Key.Key_Up: SCORE_STEP, Qt.Key.Key_Down: -SCORE_STEP}.get(event.key())
        if step is None:
            super().keyPressEvent(event)
            return
        try:
            current = parse_score(self.text())
        except ValidationError:
            return
        value = min(Decimal(10), max(Decimal(0), (current or Decimal(0)) + step))
        self.setText(format_score(value))
        self.textEdited.emit(self.text())


class TagCompleter(QCompleter):
    """Completes the last tag of a comma-separated list."""

    def pathFromIndex(self, index: Any) -> str:  # noqa: N802 (Qt API)
        edit = self.widget()
        head = edit.text().rsplit(",", 1)[0] + ", " if "," in edit.text() else ""
        return head + str(index.data())

    def splitPath(self, path: str) -> list[str]:  # noqa: N802 (Qt API)
        return [path.rsplit(",", 1)[-1].strip()]


def _label_error(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setStyleSheet("color: #c62828;")
    label.setWordWrap(True)
    label.hide()
    return label


class _FocusIn(QObject):
    """Calls ``callback`` when ``widget`` gets the focus."""

    def __init__(self, widget: QWidget, callback: Any) -> None:
        super().__init__(widget)
        self.callback = callback
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.FocusIn:
            self.callback()
        return False


class ReviewForm(QWidget):
    changed = Signal()  # the user edited a field
    film_changed = Signal(int)

    def __init__(self, journal: Journal, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.journal = journal
        self.setObjectName("reviewForm")
        self.setAccessibleName("Review details")
        self._loading = False
        self._film: int | None = None  # the review's film (None: not chosen yet)
        self._film_stale = False  # the catalogue changed while the form was hidden
        self._viewing: int | None = None  # the viewing it is linked to
        self._build()

    # ------------------------------------------------------------------ construction
    def _edit(self, name: str, accessible: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(name)
        edit.setAccessibleName(accessible)
        edit.setPlaceholderText(placeholder)
        edit.textEdited.connect(self._user_changed)
        return edit

    def _build(self) -> None:
        journal = self.journal

        def find(text: str, _token: object) -> list[tuple[int, str, int | None]]:
            try:
                return films_matching(journal, text)
            finally:
                journal.release_thread_connection()

        self.film_combo = FilmCombo(find, self)  # the review's film; a few more as typed
        self.film_combo.setObjectName("filmPicker")
        self.film_combo.setAccessibleName("Film")
        self.film_combo.chosen = self._choose_film
        self.film_combo.return_unmatched = self._film_typed
        self.new_film_button = QPushButton("New film…", self)
        self.new_film_button.setObjectName("newFilmButton")
        self.new_film_button.setAccessibleName("Create a new film")
        self.new_film_button.clicked.connect(self._toggle_new_film)
        self._build_new_film()
        self.viewing_combo = QComboBox(self)
        self.viewing_combo.setObjectName("viewingPicker")
        self.viewing_combo.setAccessibleName("Viewing")
        self.viewing_combo.activated.connect(self._viewing_activated)
        self.viewing_date = self._edit("newViewingDate", "Date of the new viewing",
                                       "2014-01-24, 2014-01 or 2014")
        self.viewing_date.textEdited.disconnect()
        self.viewing_date.returnPressed.connect(self._date_returned)
        self.log_button = QPushButton("Log viewing", self)
        self.log_button.setObjectName("logViewingButton")
        self.log_button.setAccessibleName("Log the new viewing")
        self.log_button.clicked.connect(self.log_viewing)
        self.viewing_error = _label_error("viewingError")
        self.score_edit = ScoreEdit(self)
        self.score_edit.setObjectName("scoreEdit")
        self.score_edit.setAccessibleName("Score out of 10")
        self.score_edit.setPlaceholderText("unrated")
        self.score_edit.setMaximumWidth(90)
        # Never narrower than "10.0" and its frame: a narrow window used to crush it to "9.".
        self.score_edit.setMinimumWidth(self.score_edit.fontMetrics().horizontalAdvance("10.0")
                                        + 24)
        self.score_edit.textEdited.connect(self._score_edited)
        self.score_error = _label_error("scoreError")
        self.title_edit = self._edit("reviewTitle", "Review title", "Title of the post")
        self.eyelights_edit = self._edit("eyelightsEdit", "Eyelights", "What shone")
        self.eyesores_edit = self._edit("eyesoresEdit", "Eyesores", "What grated")
        self.tags_edit = self._edit("tagsEdit", "Tags", "comma, separated, tags")
        self.tag_model = QStringListModel(self)
        completer = TagCompleter(self.tag_model, self.tags_edit)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.tags_edit.setCompleter(completer)
        _FocusIn(self.tags_edit, self._load_tags)  # the journal's tags, when tags are typed
        self.status_combo = QComboBox(self)
        self.status_combo.setObjectName("statusPicker")
        self.status_combo.setAccessibleName("Status")
        for status in REVIEW_STATUSES:
            self.status_combo.addItem(status.capitalize(), status)
        self.status_combo.activated.connect(self._user_changed)
        self.language_combo = QComboBox(self)
        self.language_combo.setObjectName("languagePicker")
        self.language_combo.setAccessibleName("Language (spell check)")
        for code, name in LANGUAGES.items():
            self.language_combo.addItem(name, code)
        self.language_combo.activated.connect(self._user_changed)
        self._layout()

    def _build_new_film(self) -> None:
        self.new_film_row = QWidget(self)
        self.new_film_title = QLineEdit(self.new_film_row)
        self.new_film_title.setObjectName("newFilmTitle")
        self.new_film_title.setAccessibleName("New film title")
        self.new_film_title.setPlaceholderText("Title")
        self.new_film_year = QSpinBox(self.new_film_row)
        self.new_film_year.setObjectName("newFilmYear")
        self.new_film_year.setAccessibleName("New film year")
        self.new_film_year.setRange(0, 2100)
        self.new_film_year.setSpecialValueText("year?")
        create = QPushButton("Create", self.new_film_row)
        create.setObjectName("createFilmButton")
        create.setAccessibleName("Create the film")
        create.clicked.connect(self.create_film)
        ReturnSubmits(self.create_film, (self.new_film_title, self.new_film_year), self)
        from journal.ui.film_suggest import NewFilmSuggestions  # suggestions as you type

        self.film_suggestions = NewFilmSuggestions(self.journal, self.new_film_title,
                                                   self.new_film_year, self)
        self.film_error = _label_error("filmError")
        row = QHBoxLayout(self.new_film_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.new_film_title, 1)
        row.addWidget(self.new_film_year)
        row.addWidget(create)
        self.new_film_row.hide()

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(buddy)
        return label

    def _layout(self) -> None:
        grid = QGridLayout(self)
        grid.setContentsMargins(4, 4, 4, 4)
        grid.setVerticalSpacing(4)
        film_row = QHBoxLayout()
        film_row.addWidget(self.film_combo, 1)
        film_row.addWidget(self.new_film_button)
        grid.addWidget(self._label("&Film:", self.film_combo), 0, 0)
        grid.addLayout(film_row, 0, 1)
        viewing_row = QHBoxLayout()
        viewing_row.addWidget(self.viewing_combo, 1)
        viewing_row.addWidget(self.viewing_date)
        viewing_row.addWidget(self.log_button)
        grid.addWidget(self._label("&Viewing:", self.viewing_combo), 0, 2)
        grid.addLayout(viewing_row, 0, 3)
        grid.addWidget(self.new_film_row, 1, 1)
        grid.addWidget(self.film_error, 2, 1)
        grid.addWidget(self.viewing_error, 1, 3)
        score_row = QHBoxLayout()
        score_row.addWidget(self.score_edit)
        score_row.addWidget(QLabel("/ 10", self))
        score_row.addSpacing(12)
        score_row.addWidget(self._label("S&tatus:", self.status_combo))
        score_row.addWidget(self.status_combo)
        score_row.addSpacing(12)
        score_row.addWidget(self._label("Lan&guage:", self.language_combo))
        score_row.addWidget(self.language_combo)
        score_row.addStretch(1)
        grid.addWidget(self._label("&Score:", self.score_edit), 3, 0)
        grid.addLayout(score_row, 3, 1)
        grid.addWidget(self._label("Tit&le:", self.title_edit), 3, 2)
        grid.addWidget(self.title_edit, 3, 3)
        grid.addWidget(self.score_error, 4, 1, 1, 3)
        grid.addWidget(self._label("Eyel&ights:", self.eyelights_edit), 5, 0)
        grid.addWidget(self.eyelights_edit, 5, 1)
        grid.addWidget(self._label("Eyes&ores:", self.eyesores_edit), 5, 2)
        grid.addWidget(self.eyesores_edit, 5, 3)
        grid.addWidget(self._label("T&ags:", self.tags_edit), 6, 0)
        grid.addWidget(self.tags_edit, 6, 1, 1, 3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self._show_new_viewing(False)

    # ------------------------------------------------------------------ loading
    def reload_films(self) -> None:
        """The catalogue changed: show the form's film again (renamed, say) — while the form
        is hidden, when it shows; what the picker offered may be stale."""
        self.film_combo.forget_matches()
        self._film_stale = not self.isVisible()
        if self.isVisible():
            self._show_film()

    def _load_tags(self) -> None:
        self.tag_model.setStringList(self.journal.reviews.all_tags())

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        if self._film_stale:
            self._show_film()
        super().showEvent(event)

    def _show_film(self) -> None:
        """Show the film the form holds in the picker (that film alone: ``film_picker``
        module notes), and its viewings."""
        self._film_stale = False
        self.film_combo.clear()
        if self._film is not None:
            film = self.journal.films.get(self._film, include_deleted=True)
            self.film_combo.addItem(film_label(film.title, film.year), int(film.id))
            self.film_combo.setCurrentIndex(0)
        else:
            self.film_combo.setEditText("")
        self._reload_viewings()

    def load(self, review: Review | None, film_id: int | None = None) -> None:
        """Show a review's fields (or empty ones for a new review of ``film_id``)."""
        self._loading = True
        try:
            self._film = review.film_id if review else film_id
            self._viewing = review.viewing_id if review else None
            self._show_film()
            self.score_edit.setText(format_score(review.score) if review else "")
            self._show_score_error("")
            self.title_edit.setText(review.title if review else "")
            self.eyelights_edit.setText(review.eyelights if review else "")
            self.eyesores_edit.setText(review.eyesores if review else "")
            tags = self.journal.reviews.tags(review.id) if review else []
            self.tags_edit.setText(", ".join(tags))
            for edit in (self.title_edit, self.eyelights_edit, self.eyesores_edit, self.tags_edit):
                edit.setCursorPosition(0)  # show a long line from its start, not its end
            status = review.status if review else "draft"
            self.status_combo.setCurrentIndex(self.status_combo.findData(status))
            lang = review.language if review else "en"
            index = self.language_combo.findData(lang)
            self.language_combo.setCurrentIndex(max(0, index))
        finally:
            self._loading = False

    def _reload_viewings(self) -> None:
        """The film's viewings in the picker, the one the form holds selected."""
        self.viewing_combo.clear()
        self.viewing_combo.addItem("No linked viewing", None)
        if self._film is not None:
            for viewing in self.journal.viewings.for_film(self._film):
                when = display_partial(viewing.watched_on) or "date unknown"
                extra = f" · {medium_name(viewing.medium)}" if viewing.medium else ""
                self.viewing_combo.addItem(f"Seen {when}{extra}", viewing.id)
        self.viewing_combo.addItem("Log a new viewing…", NEW_VIEWING)
        index = self.viewing_combo.findData(self._viewing) if self._viewing is not None else 0
        self.viewing_combo.setCurrentIndex(max(0, index))
        self._show_new_viewing(False)

    def _show_new_viewing(self, show: bool) -> None:
        self.viewing_date.setVisible(show)
        self.log_button.setVisible(show)
        if not show:
            self.viewing_error.hide()

    # ------------------------------------------------------------------ values
    def film_id(self) -> int | None:
        """The review's film: as loaded, or as the user last chose or created it."""
        return self._film

    def viewing_id(self) -> int | None:
        """The linked viewing: as loaded, or as the user last chose or logged it."""
        return self._viewing

    def score(self) -> Decimal | None:
        """The score, or raises ValidationError (and shows its message inline)."""
        try:
            value = parse_score(self.score_edit.text())
        except ValidationError as exc:
            self._show_score_error(exc.message)
            raise
        self._show_score_error("")
        return value

    def score_is_valid(self) -> bool:
        try:
            self.score()
        except ValidationError:
            return False
        return True

    def tags(self) -> list[str]:
        return [t.strip() for t in self.tags_edit.text().split(",") if t.strip()]

    def language(self) -> str:
        return str(self.language_combo.currentData() or "en")

    def values(self) -> dict[str, Any]:
        """Fields for ``reviews.update``; an invalid score is left out (its message shows)."""
        values: dict[str, Any] = {
            "title": self.title_edit.text(), "eyelights": self.eyelights_edit.text(),
            "eyesores": self.eyesores_edit.text(), "status": self.status_combo.currentData(),
            "language": self.language(), "viewing_id": self.viewing_id(),
        }
        if self.score_is_valid():
            values["score"] = self.score()
        return values

    def _show_score_error(self, message: str) -> None:
        self.score_error.setText(message)
        self.score_error.setVisible(bool(message))
        self.score_edit.setStyleSheet("border: 1px solid #c62828;" if message else "")

    # ------------------------------------------------------------------ user actions
    def _user_changed(self, *_args: object) -> None:
        if not self._loading:
            self.changed.emit()

    def _score_edited(self, _text: str) -> None:
        self.score_is_valid()
        self._user_changed()

    def _choose_film(self, film_id: int) -> None:
        """The user chose (or created) the review's film; a viewing of another film goes."""
        if film_id != self._film:
            self._film, self._viewing = film_id, None
        self._show_film()
        if not self._loading:
            self.film_changed.emit(film_id)
            self.changed.emit()

    def _viewing_activated(self, _index: int) -> None:
        data = self.viewing_combo.currentData()
        new = data == NEW_VIEWING
        self._show_new_viewing(new)
        if new:  # the linked viewing stays until the new one is logged
            self.viewing_date.setFocus()
            return
        self._viewing = int(data) if data is not None else None
        self._user_changed()

    def _film_typed(self, text: str) -> None:
        """Return on a typed title that is no label of the list: the one live film of that
        title (and year, if typed) is chosen; several: their list pops up; none: the New film
        row opens with the title and year typed, Return there creates it."""
        title, year = split_title_year(text)
        films = self.journal.films.by_title(title, year)
        if len(films) == 1:
            self._choose_film(int(films[0].id))
        elif films:  # the films of that title, to choose from
            self.film_combo.offer([(int(f.id), f.title, f.year) for f in films])
        else:
            self.prefill_new_film(title, year or 0)

    def _toggle_new_film(self) -> None:
        self.new_film_row.setVisible(not self.new_film_row.isVisible())
        if self.new_film_row.isVisible():
            self.new_film_title.setText(self.film_combo.currentText())
            self.new_film_title.setFocus()

    def create_film(self) -> int | None:
        """Create the film typed in the "new film" row and select it."""
        year = self.new_film_year.value() or None
        try:
            film = self.journal.films.create(self.new_film_title.text(), year)
        except EyelightsError as exc:
            self.film_error.setText(exc.message)
            self.film_error.show()
            return None
        self.film_error.hide()
        self.new_film_row.hide()
        self.film_suggestions.film_created(film.id)
        self._choose_film(int(film.id))
        return int(film.id)

    def prefill_new_film(self, title: str, year: int) -> None:
        self.new_film_row.show()
        self.new_film_title.setText(title)
        self.new_film_year.setValue(year)
        self.new_film_title.setFocus()

    def _date_returned(self) -> None:
        """Return in the new viewing's date: logs it; on an empty field it says what to type
        (a stray Return — after choosing "Log a new viewing…" — logged an undated viewing)."""
        if not self.viewing_date.text().strip():
            self.viewing_error.setText("Type the date you saw it: 2014-01-24, 2014-01 or 2014 "
                                       "(Log viewing with no date: a date you don't know).")
            self.viewing_error.show()
            return
        self.log_viewing()

    def log_viewing(self) -> int | None:
        film_id = self.film_id()
        if film_id is None:
            self.viewing_error.setText("Choose the film first.")
            self.viewing_error.show()
            return None
        try:
            viewing = self.journal.viewings.log(film_id, self.viewing_date.text())
        except EyelightsError as exc:
            self.viewing_error.setText(exc.message)
            self.viewing_error.show()
            return None
        self._viewing = int(viewing.id)
        self._reload_viewings()
        self.viewing_date.clear()
        self._user_changed()
        return int(viewing.id)
