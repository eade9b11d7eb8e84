"""From a list's filter field the keyboard goes on into the list: Down moves into it (on the
first match), Return opens the first match — on the Films, People and Reviews pages, as on the
Search page. Typed fast, before the filter's debounce: the row is one of what the field says."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

CTRL = Qt.KeyboardModifier.ControlModifier


def focused():
    return QApplication.focusWidget()


def press(qtbot, key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(focused(), key, modifiers)


@pytest.fixture
def window(journal, open_window):

    her = journal.films.create("Her", 2013, directors=["Spike Jonze"])
    lost = journal.films.create("Lost in Translation", 2003, directors=["Sofia Coppola"])
    journal.films.create("Heat", 1995, directors=["Michael Mann"])
    journal.reviews.create(her.id, "Theodore writes letters.", title="Her")
    journal.reviews.create(lost.id, "Tokyo at night.")
    win = open_window(journal, (1100, 700))
    win.lost = lost.id
    yield win
    win.reviews_page.flush()


def test_return_in_the_films_filter_opens_the_first_match(window, qtbot):
    press(qtbot, Qt.Key.Key_2, CTRL)
    films = window.films_area
    qtbot.waitUntil(lambda: focused() is films.films.filter)
    qtbot.keyClicks(focused(), "lost")  # at once: the debounce has not run yet
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: films.stack.currentWidget() is films.detail)
    assert films.film.film_id == window.lost


def test_down_in_the_films_filter_goes_into_the_list(window, qtbot):
    press(qtbot, Qt.Key.Key_2, CTRL)
    films = window.films_area.films
    qtbot.waitUntil(lambda: focused() is films.filter)
    qtbot.keyClicks(focused(), "he")
    press(qtbot, Qt.Key.Key_Down)
    assert focused() is films.table
    assert films.selected_film_id() is not None
    assert films.table.currentIndex().data() in ("Heat", "Her")
    press(qtbot, Qt.Key.Key_Return)  # and Return there opens it, as before
    qtbot.waitUntil(lambda: window.films_area.stack.currentWidget() is window.films_area.detail)


def test_down_in_the_people_filter_goes_into_the_list(window, qtbot):
    press(qtbot, Qt.Key.Key_3, CTRL)
    page = window.pages["people"]
    page.filter.setFocus()
    qtbot.waitUntil(lambda: focused() is page.filter)
    qtbot.keyClicks(focused(), "coppola")
    press(qtbot, Qt.Key.Key_Down)
    assert focused() is page.table
    assert page.table.currentIndex().data() == "Sofia Coppola"


def test_return_in_the_reviews_filter_opens_the_review(window, qtbot):
    page = window.reviews_page
    page.filter.setFocus()
    qtbot.waitUntil(lambda: focused() is page.filter)
    qtbot.keyClicks(focused(), "lost")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(page.editing)
    assert page.editor_view.form.film_id() == window.lost
