"""The review form's film picker asks the catalogue as the user types, a few films at a time: it
holds the review's film alone, and neither opening a review nor reaching for the picker reads
the whole catalogue (issue 19: the journal's size must not matter)."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from journal.core.film_titles import PICKER_LIMIT

#: the offscreen platform cannot raise the completion popup or let it grab keys
POPUP_LIMITS = ("This plugin does not support raise", "does not support grabbing the keyboard",
                "This plugin does not support propagateSizeHints")
FILM = re.compile(r'\bfilm\b', re.IGNORECASE)


class FilmRowsRead:
    """Counts the film rows each statement on ``journal``'s database returns (any thread)."""

    def __init__(self, journal) -> None:
        self.per_statement: list[int] = []
        self.sql: list[str] = []
        db = journal.store.db
        real = db.execute_sql
        counter = self

        class Counted:
            def __init__(self, cursor, index) -> None:
                self._cursor, self._index = cursor, index

            def _seen(self, rows):
                counter.per_statement[self._index] += len(rows)
                return rows

            def fetchone(self):
                row = self._cursor.fetchone()
                self._seen([row] if row is not None else [])
                return row

            def fetchall(self):
                return self._seen(self._cursor.fetchall())

            def fetchmany(self, *args):
                return self._seen(self._cursor.fetchmany(*args))

            def __iter__(self):
                for row in self._cursor:
                    counter.per_statement[self._index] += 1
                    yield row

            def __getattr__(self, name):
                return getattr(self._cursor, name)

        def execute_sql(sql, params=None, *args, **kwargs):
            cursor = real(sql, params, *args, **kwargs)
            if not FILM.search(sql) or not sql.lstrip().upper().startswith("SELECT"):
                return cursor
            counter.per_statement.append(0)
            counter.sql.append(sql)
            return Counted(cursor, len(counter.per_statement) - 1)

        db.execute_sql = execute_sql

    @property
    def total(self) -> int:
        return sum(self.per_statement)

    @property
    def most(self) -> int:
        return max(self.per_statement, default=0)


@pytest.fixture
def catalogue(journal):
    """300 films and Stalker, Alien, Amélie; film rows read from here on are counted."""
    with journal.write():
        for n in range(300):
            journal.films.create(f"Padding {n:03}", 1950 + n % 70)
    films = {title: journal.films.create(title, year).id
             for title, year in [("Stalker", 1979), ("Alien", 1979), ("Amélie", 2001)]}
    return films


def focused():
    return QApplication.focusWidget()


def press(qtbot, key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    """A key as the user presses it: to the open completion list, else to the focus."""
    target = QApplication.activePopupWidget() or focused()
    assert target is not None
    qtbot.keyClick(target, key, modifiers)


def type_keys(qtbot, text: str) -> None:
    """Typed one key at a time into the focus (a non-ASCII character as its own key event)."""
    for char in text:
        target = QApplication.activePopupWidget() or focused()
        if char.isascii():
            qtbot.keyClick(target, char)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(target, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier,
                                                         char))


def offered(picker) -> list[str]:
    return [picker.matches.item(row).text() for row in range(picker.matches.rowCount())]


def wait_for_answer(qtbot, picker) -> None:
    qtbot.waitUntil(lambda: not picker._lookups.busy)


def open_picker_on(qtbot, page, review_id):
    page.open_review(review_id)
    picker = page.editor_view.form.film_combo
    qtbot.mouseClick(picker.lineEdit(), Qt.MouseButton.LeftButton)  # the user reaches for it
    qtbot.waitUntil(lambda: focused() is picker)
    return picker


@pytest.mark.qt_log_ignore(*POPUP_LIMITS)
def test_reaching_for_the_picker_reads_no_film_and_typing_a_few(qtbot, journal, catalogue,
                                                               reviews_page):
    review = journal.reviews.create(catalogue["Alien"], "In space.")
    page = reviews_page()
    read = FilmRowsRead(journal)
    picker = open_picker_on(qtbot, page, review.id)
    form = page.editor_view.form
    assert picker.count() == 1 and picker.currentText() == "Alien (1979)"
    assert read.most <= 1 and list(picker.asked) == []  # focused, clicked: the review's film alone
    picker.lineEdit().selectAll()
    type_keys(qtbot, "stal")
    wait_for_answer(qtbot, picker)
    assert offered(picker) == ["Stalker (1979)"] and picker.suggestions.popup().isVisible()
    assert list(picker.asked) == ["s", "st", "sta", "stal"]  # one question a key, each with a limit
    assert 0 < read.most <= PICKER_LIMIT < 303
    assert form.film_id() == catalogue["Alien"]  # nothing chosen by typing alone
    press(qtbot, Qt.Key.Key_Down)  # into the list
    press(qtbot, Qt.Key.Key_Return)  # chooses it
    qtbot.waitUntil(lambda: form.film_id() == catalogue["Stalker"])
    assert picker.currentText() == "Stalker (1979)" and picker.count() == 1
    assert not picker.suggestions.popup().isVisible()
    assert page.flush() and journal.reviews.get(review.id).film_id == catalogue["Stalker"]
    assert read.most <= PICKER_LIMIT


@pytest.mark.qt_log_ignore(*POPUP_LIMITS)
def test_down_shows_the_first_films_and_the_choice_is_by_keyboard(qtbot, journal, catalogue,
                                                                 reviews_page):
    review = journal.reviews.create(catalogue["Stalker"], "The Zone.")
    page = reviews_page()
    read = FilmRowsRead(journal)
    picker = open_picker_on(qtbot, page, review.id)
    press(qtbot, Qt.Key.Key_Down)  # the field shows the review's film: the first films by title
    wait_for_answer(qtbot, picker)
    assert offered(picker)[:3] == ["Alien (1979)", "Amélie (2001)", "Padding 000 (1950)"]
    assert len(offered(picker)) == PICKER_LIMIT and read.most <= PICKER_LIMIT
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.editor_view.form.film_id() == catalogue["Amélie"])
    assert picker.currentText() == "Amélie (2001)"


@pytest.mark.qt_log_ignore(*POPUP_LIMITS)
def test_accents_and_case_are_folded_both_ways(qtbot, journal, catalogue, reviews_page):
    journal.films.create("Amelie", 1950)
    review = journal.reviews.create(catalogue["Alien"], "In space.")
    page = reviews_page()
    picker = open_picker_on(qtbot, page, review.id)
    picker.lineEdit().selectAll()
    type_keys(qtbot, "AMEL")
    wait_for_answer(qtbot, picker)
    assert offered(picker) == ["Amélie (2001)", "Amelie (1950)"]  # same folded title: as made
    picker.lineEdit().selectAll()
    type_keys(qtbot, "élie")
    wait_for_answer(qtbot, picker)
    assert picker.currentText() == "élie"
    assert offered(picker) == ["Amélie (2001)", "Amelie (1950)"]  # same folded title: as made


def test_a_new_review_opens_without_the_catalogue(qtbot, journal, catalogue, reviews_page):
    page = reviews_page()
    read = FilmRowsRead(journal)
    page.editor_view.new_review()
    picker = page.editor_view.form.film_combo
    assert picker.count() == 0 and picker.currentText() == "" and read.total == 0


@pytest.mark.qt_log_ignore(*POPUP_LIMITS)
def test_a_saved_draft_without_a_film_chooses_one_as_typed(qtbot, journal, catalogue,
                                                          reviews_page):
    draft = journal.reviews.create(None, "Notes before choosing the film.")
    page = reviews_page()
    read = FilmRowsRead(journal)
    picker = open_picker_on(qtbot, page, draft.id)
    form = page.editor_view.form
    assert picker.count() == 0 and picker.currentText() == "" and form.film_id() is None
    assert read.total == 0
    type_keys(qtbot, "alien (1979)")
    wait_for_answer(qtbot, picker)
    assert offered(picker) == ["Alien (1979)"]
    press(qtbot, Qt.Key.Key_Return)  # nothing highlighted: the title typed names one film
    qtbot.waitUntil(lambda: form.film_id() == catalogue["Alien"])
    assert picker.currentText() == "Alien (1979)" and read.most <= PICKER_LIMIT


def test_opening_a_review_from_the_list_leaves_the_picker_unasked(qtbot, journal, reviews_page):
    """Return on a row: the editor takes the focus straight from the list. Switching pages used
    to hand it to the form's first field on the way, the picker, which then read every film."""
    with journal.write():
        for n in range(300):
            journal.films.create(f"Padding {n}", 1950 + n % 70)
    stalker = journal.films.create("Stalker", 1979)
    review = journal.reviews.create(stalker.id, "The Zone.")
    page = reviews_page()
    page.table.setFocus()
    qtbot.waitUntil(page.table.hasFocus)
    qtbot.keyClick(page.table, Qt.Key.Key_Home)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.editing() and page.editor_view.review_id == review.id)
    qtbot.waitUntil(page.editor_view.editor.hasFocus)
    picker = page.editor_view.form.film_combo
    assert picker.count() == 1 and list(picker.asked) == []  # the review's film alone


@pytest.mark.qt_log_ignore(*POPUP_LIMITS)
def test_the_tags_field_completes_from_the_journals_tags_once_reached_for(qtbot, journal,
                                                                          reviews_page):
    """The tags came with the whole film list; they now come when the tags field gets the
    focus (and again each time: a tag added on another review is offered too)."""
    film = journal.films.create("Her", 2013)
    journal.reviews.create(film.id, "Letters.", tags=["romance", "SF"])
    review = journal.reviews.create(film.id, "Again.")
    page = reviews_page()
    page.open_review(review.id)
    form = page.editor_view.form
    form.tags_edit.setFocus()
    qtbot.waitUntil(form.tags_edit.hasFocus)
    assert form.tag_model.stringList() == ["romance", "SF"]
    type_keys(qtbot, "ro")
    popup = form.tags_edit.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    assert popup.model().index(0, 0).data() == "romance"
