"""A film's page: poster, facts, credits (editable), viewings, reviews and “mentioned in”.

Posters: pick a file or drop one on the page. Qt decodes it; images larger than
``posters.MAX_EDGE`` are scaled down and stored as PNG, smaller ones are stored as they are, so
the same file always gives the same bytes — and is stored once (``FilmService.set_poster``).
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from journal.core import posters, rewatch
from journal.core.events import Changes
from journal.core.journal import Journal
from journal.core.values import display_partial, format_score
from journal.errors import EyelightsError
from journal.store.models import MEDIUM_LABELS, ROLES, Poster
from journal.ui.bridge import JournalSignals
from journal.ui.dialogs.film_dialog import FilmChooserDialog, FilmDialog, PersonCompleter
from journal.ui.dialogs.viewing_dialog import ViewingDialog
from journal.ui.errors import ErrorReporter
from journal.ui.flow import flow_row
from journal.ui.keys import ReturnSubmits
from journal.ui.poster_image import png_bytes, scale_poster

IMAGE_FILTER = "Images (*.png *.jpg *.jpeg *.webp *.gif *.bmp)"


def load_poster_file(path: Path) -> tuple[bytes, str, int, int]:
    """Read and (if needed) scale an image file: (bytes, mime, width, height)."""
    posters.check_file(path)
    return scale_poster(path.read_bytes(), f"“{path.name}”")


def store_poster_file(journal: Journal, film_id: int, path: Path) -> Poster:
    data, mime, width, height = load_poster_file(path)
    return journal.films.set_poster(film_id, data, mime, width, height)


def poster_thumbnail(poster: Poster, cache: posters.ThumbnailCache) -> QPixmap:
    """The poster scaled to the thumbnail height, from the disk cache when it is there."""
    cached = cache.get(poster.sha256)
    pixmap = QPixmap()
    if cached and pixmap.loadFromData(cached):
        return pixmap
    image = QImage.fromData(bytes(poster.data))
    if image.isNull():
        return pixmap
    thumb = image.scaledToHeight(posters.THUMBNAIL_HEIGHT,
                                 Qt.TransformationMode.SmoothTransformation)
    cache.put(poster.sha256, png_bytes(thumb))
    return QPixmap.fromImage(thumb)


def _label(name: str, accessible: str, parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setAccessibleName(accessible)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
    return label


class FilmPage(QWidget):
    open_review = Signal(int)
    open_film = Signal(int)
    open_person = Signal(int)
    new_review_for_film = Signal(int)
    deleted = Signal(str)

    def __init__(self, journal: Journal, signals: JournalSignals, errors: ErrorReporter,
                 parent: QWidget | None = None,
                 cache: posters.ThumbnailCache | None = None) -> None:
        super().__init__(parent)
        self.journal, self.errors = journal, errors
        self.cache = cache or posters.ThumbnailCache()
        self.film_id: int | None = None
        self.setObjectName("filmPage")
        self.setAccessibleName("Film")
        self.setAcceptDrops(True)
        self._build()
        signals.changed.connect(self._on_changed)

    # ------------------------------------------------------------------ construction
    def _build(self) -> None:
        body = QWidget(self)
        self.poster = _label("filmPoster", "Poster (drop an image here)", body)
        self.poster.setFixedSize(160, posters.THUMBNAIL_HEIGHT)
        self.poster.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.poster.setStyleSheet("border: 1px dashed palette(mid);")
        self.heading = _label("filmHeading", "Title", body)
        self.facts = _label("filmFacts", "Facts", body)
        self.synopsis = _label("filmSynopsis", "Synopsis", body)
        buttons = []
        for text, name, slot in (
                ("Log a Viewing…", "filmLogViewing", self.log_viewing),
                ("Write a Review", "filmWriteReview", self._write_review),
                ("Add to Watchlist", "filmAddWatchlist", self.add_to_watchlist),
                ("Edit…", "filmEdit", self.edit), ("Poster…", "filmPickPoster", self.pick_poster),
                ("Look Up…", "filmLookUp", self.look_up),
                ("Merge With…", "filmMerge", self.merge_dialog),
                ("Delete", "filmDelete", self.delete)):
            button = QPushButton(text, body)
            button.setObjectName(name)
            button.setAccessibleName(text.rstrip("…"))
            button.clicked.connect(slot)
            buttons.append(button)
        # The buttons wrap onto a second line in a narrow window: the page never scrolls
        # sideways (nor does anything else on it: the credits' editor takes two lines).
        actions = flow_row(body, buttons)
        actions.setObjectName("filmActions")
        head_text = QVBoxLayout()
        head_text.addWidget(self.heading)
        head_text.addWidget(self.facts)
        head_text.addWidget(self.synopsis)
        head_text.addStretch(1)
        head = QHBoxLayout()
        head.addWidget(self.poster)
        head.addLayout(head_text, 1)
        self.credits = QTableWidget(0, 4, body)
        self.credits.setObjectName("filmCredits")
        self.credits.setAccessibleName("Credits")
        self.credits.setHorizontalHeaderLabels(["Role", "Name", "Character", "Order"])
        header = self.credits.horizontalHeader()  # each column as wide as what it holds;
        header.setStretchLastSection(False)       # the characters take what is left
        for column, mode in enumerate((QHeaderView.ResizeMode.ResizeToContents,
                                       QHeaderView.ResizeMode.ResizeToContents,
                                       QHeaderView.ResizeMode.Stretch,
                                       QHeaderView.ResizeMode.ResizeToContents)):
            header.setSectionResizeMode(column, mode)
        self.credits.verticalHeader().hide()
        self.credits.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.credits.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.credits.setMinimumHeight(140)
        self.credits.cellActivated.connect(self._credit_activated)
        self.lists = _label("filmLists", "Viewings, reviews and mentions", body)
        self.lists.linkActivated.connect(self._link)
        self.message = _label("filmMessage", "Problem", body)
        layout = QVBoxLayout(body)
        layout.addLayout(head)
        layout.addWidget(actions)
        layout.addWidget(QLabel("<b>Credits</b>", body))
        layout.addWidget(self.credits)
        layout.addLayout(self._build_credit_editor(body))
        layout.addWidget(self.lists)
        layout.addWidget(self.message)
        layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setObjectName("filmScroll")
        scroll.setAccessibleName("Film")
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        self.scroll = scroll
        QVBoxLayout(self).addWidget(scroll)
        self.layout().setContentsMargins(0, 0, 0, 0)

    def _build_credit_editor(self, parent: QWidget) -> QGridLayout:
        self.credit_role = QComboBox(parent)
        self.credit_role.setObjectName("creditRole")
        self.credit_role.setAccessibleName("Role")
        for role in ROLES:
            self.credit_role.addItem(role.capitalize(), role)
        self.credit_name = QLineEdit(parent)
        self.credit_name.setObjectName("creditName")
        self.credit_name.setAccessibleName("Name")
        self.credit_name.setPlaceholderText("Name")
        PersonCompleter(self.journal, self.credit_name, multiple=False)
        self.credit_character = QLineEdit(parent)
        self.credit_character.setObjectName("creditCharacter")
        self.credit_character.setAccessibleName("Character")
        self.credit_character.setPlaceholderText("Character (cast)")
        self.credit_order = QSpinBox(parent)
        self.credit_order.setObjectName("creditOrder")
        self.credit_order.setAccessibleName("Billing order")
        add = QPushButton("Add Credit", parent)
        add.setObjectName("creditAdd")
        add.setAccessibleName("Add the credit")
        add.clicked.connect(self.add_credit)
        remove = QPushButton("Remove Credit", parent)
        remove.setObjectName("creditRemove")
        remove.setAccessibleName("Remove the selected credit")
        remove.clicked.connect(self.remove_selected_credit)
        ReturnSubmits(self.add_credit, (self.credit_name, self.credit_character,
                                        self.credit_order), self)
        for edit in (self.credit_name, self.credit_character):
            edit.setMinimumWidth(80)
        grid = QGridLayout()  # the fields on one line, the buttons on the next
        for col, widget in enumerate((self.credit_role, self.credit_name, self.credit_character,
                                      self.credit_order)):
            grid.addWidget(widget, 0, col)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        grid.addLayout(row, 1, 0, 1, 4)
        return grid

    # ------------------------------------------------------------------ showing
    def show_film(self, film_id: int) -> None:
        self.film_id = film_id
        self.refresh()

    def _on_changed(self, changes: Changes) -> None:
        if self.film_id is not None and (changes.films or changes.people or changes.viewings
                                         or changes.reviews or changes.watchlist
                                         or changes.trash):
            self.refresh()

    def refresh(self) -> None:
        if self.film_id is None:
            return
        try:
            film = self.journal.films.get(self.film_id)
        except EyelightsError:
            self.heading.setText("<h2>This film is in the Trash.</h2>")
            return
        year = f" ({film.year})" if film.year else ""
        self.heading.setText(f"<h1>{html.escape(film.title)}{year}</h1>")
        facts = [film.kind.capitalize()]
        if film.original_title and film.original_title != film.title:
            facts.insert(0, f"<i>{html.escape(film.original_title)}</i>")
        if film.runtime_minutes:
            facts.append(f"{film.runtime_minutes} min")
        directors = self.journal.films.directors(film.id)
        if directors:
            facts.append("directed by " + html.escape(", ".join(directors)))
        facts += [html.escape(text) for text in (film.countries, film.genres) if text]
        self.facts.setText(" · ".join(facts))
        self.synopsis.setText(html.escape(film.synopsis))
        self._show_poster(film.poster_id)
        self._fill_credits()
        self.lists.setText(self._lists_html())

    def _show_poster(self, poster_id: int | None) -> None:
        poster = self.journal.films.poster(poster_id)
        pixmap = poster_thumbnail(poster, self.cache) if poster else QPixmap()
        if pixmap.isNull():
            self.poster.setPixmap(QPixmap())
            self.poster.setText("Drop a poster\nhere")
        else:
            self.poster.setPixmap(pixmap.scaled(self.poster.size(),
                                                Qt.AspectRatioMode.KeepAspectRatio,
                                                Qt.TransformationMode.SmoothTransformation))

    def _fill_credits(self) -> None:
        assert self.film_id is not None
        credits = self.journal.films.credits(self.film_id)
        credits.sort(key=lambda c: (ROLES.index(c.role) if c.role in ROLES else 99, c.order))
        self.credits.setRowCount(len(credits))
        for row, c in enumerate(credits):
            for col, text in enumerate((c.role.capitalize(), c.person.name, c.character or "",
                                        str(c.order))):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, (c.id, c.person_id))
                self.credits.setItem(row, col, item)

    def _lists_html(self) -> str:
        assert self.film_id is not None
        viewings = self.journal.viewings.for_film(self.film_id)
        again = rewatch.rewatches(viewings)  # the film's live viewings: the rule in one pass
        parts = [f"<h3>Viewings ({len(viewings)})</h3><ul>"]
        for v in reversed(viewings):
            bits = [display_partial(v.watched_on) or "Undated",
                    MEDIUM_LABELS.get(v.medium or "", ""), html.escape(v.venue)]
            mark = " <b>↻ rewatch</b>" if again[v.id] else ""
            parts.append(f"<li>{' · '.join(b for b in bits if b)}{mark}</li>")
        reviews = self.journal.reviews.for_film(self.film_id)
        parts.append(f"</ul><h3>Reviews ({len(reviews)})</h3><ul>")
        for r in reviews:
            excerpt = html.escape(" ".join((r.eyelights or r.body).split())[:140])
            parts.append(f"<li><a href='review:{r.id}'>{format_score(r.score) or 'unscored'}"
                         f"</a> — {excerpt}</li>")
        parts.append("</ul>")
        mentioned = [f"<li><a href='review:{review_id}'>{html.escape(name)}</a></li>"
                     for review_id, name in self.journal.films.mentioned_in(self.film_id)]
        if mentioned:  # no heading over an empty list
            parts.append(f"<h3>Mentioned in</h3><ul>{''.join(mentioned)}</ul>")
        return "".join(parts)

    def _link(self, href: str) -> None:
        kind, _, value = href.partition(":")
        if kind == "review":
            self.open_review.emit(int(value))

    def _credit_activated(self, row: int, col: int) -> None:
        item = self.credits.item(row, 0)
        if item is not None:
            self.open_person.emit(int(item.data(Qt.ItemDataRole.UserRole)[1]))

    # ------------------------------------------------------------------ actions
    def _report(self, exc: Exception, title: str) -> None:
        if isinstance(exc, EyelightsError):
            self.message.setText(exc.message)
        self.errors.report(exc, title)

    def add_credit(self) -> None:
        if self.film_id is None:
            return
        try:
            self.journal.people.add_credit(
                self.film_id, self.credit_name.text(), self.credit_role.currentData(),
                character=self.credit_character.text() or None, order=self.credit_order.value())
        except EyelightsError as exc:
            self.message.setText(exc.message)
            return
        self.credit_name.clear()
        self.credit_character.clear()
        self.credit_name.setFocus()  # ready for the next credit

    def remove_selected_credit(self) -> None:
        row = self.credits.currentRow()
        item = self.credits.item(row, 0) if row >= 0 else None
        if item is not None:
            self.journal.people.remove_credit(int(item.data(Qt.ItemDataRole.UserRole)[0]))

    def set_poster_from(self, path: Path) -> bool:
        if self.film_id is None:
            return False
        try:
            store_poster_file(self.journal, self.film_id, path)
        except EyelightsError as exc:
            self.message.setText(exc.message)
            return False
        return True

    def look_up(self) -> None:
        """Look the film up on Wikidata or TMDb (journal.ui.lookup_dialog)."""
        from journal.ui.lookup_dialog import LookupDialog

        if self.film_id is None:
            return
        self.lookup_dialog = LookupDialog(self.journal, self, film_id=self.film_id)
        self.lookup_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.lookup_dialog.open()

    def pick_poster(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choose a Poster", "", IMAGE_FILTER)
        if path:
            self.set_poster_from(Path(path))

    @staticmethod
    def _dropped_file(mime: QMimeData) -> Path | None:
        urls = [u for u in mime.urls() if u.isLocalFile()] if mime.hasUrls() else []
        return Path(urls[0].toLocalFile()) if urls else None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.film_id is not None and self._dropped_file(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        path = self._dropped_file(event.mimeData())
        if path is not None and self.set_poster_from(path):
            event.acceptProposedAction()

    def log_viewing(self) -> ViewingDialog:
        dialog = ViewingDialog(self.journal, self.errors, self, film_id=self.film_id)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _write_review(self) -> None:
        if self.film_id is not None:
            self.new_review_for_film.emit(self.film_id)

    def add_to_watchlist(self) -> None:
        if self.film_id is not None:
            self.journal.watchlist.add(self.film_id)
            self.message.setText("Added to your watchlist.")

    def edit(self) -> FilmDialog:
        dialog = FilmDialog(self.journal, self.errors, self, film_id=self.film_id)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def merge_into_this(self, other_id: int) -> None:
        """Move the other film's viewings, reviews and credits here; it goes to the Trash."""
        if self.film_id is None:
            return
        try:
            self.journal.films.merge(self.film_id, other_id)
        except EyelightsError as exc:
            self.message.setText(exc.message)

    def merge_dialog(self) -> FilmChooserDialog | None:
        """Pick the film to merge into this one from a searchable list (not this film)."""
        if self.film_id is None:
            return None
        film = self.journal.films.get(self.film_id)
        dialog = FilmChooserDialog(
            self.journal, self, exclude=film.id, title="Merge Films",
            accept_text="Merge Into This Film",
            explanation=f"Choose the film to merge into “{film.title}”: its "
                        "viewings, reviews, credits and watchlist entry move here, and it goes "
                        "to the Trash.")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.chosen.connect(self.merge_into_this)
        dialog.open()
        return dialog

    def delete(self, confirm: bool = True) -> str | None:
        if self.film_id is None:
            return None
        if confirm and QMessageBox.question(
                self, "Delete Film", "Move this film, its viewings and its reviews to the "
                "Trash?") != QMessageBox.StandardButton.Yes:
            return None
        try:
            group = self.journal.films.delete(self.film_id, with_reviews=True)
        except EyelightsError as exc:
            self._report(exc, "The film could not be deleted")
            return None
        self.deleted.emit(group)
        return group
