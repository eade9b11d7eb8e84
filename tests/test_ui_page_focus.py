"""Going to a page from the keyboard puts the keyboard somewhere useful (issue 13: every user
path works from the keyboard): Ctrl+2…Ctrl+7 from the review being written land on the page's
filter field or list, never on a side control — on the Watchlist the keyboard landed on the
sort box, and a title typed next changed the sort order instead."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from journal.ui.errors import ErrorReporter

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier


@pytest.fixture
def window(journal, open_window):
    errors = ErrorReporter()
    errors.dialogs_enabled = False
    shown: list[str] = []
    errors.shown.connect(lambda *args: shown.append(repr(args)))
    film = journal.films.create("Her", 2013)
    journal.reviews.create(film.id, "Theodore writes letters.")
    win = open_window(journal, (1200, 800), errors=errors)
    yield win
    win.reviews_page.flush()
    assert not shown, shown


def focused():
    return QApplication.focusWidget()


def press(qtbot, key, modifiers=Qt.KeyboardModifier.NoModifier):
    widget = focused()
    assert widget is not None
    qtbot.keyClick(widget, key, modifiers)


def open_the_review(window, qtbot):
    page = window.reviews_page
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    page.table.setFocus()
    qtbot.waitUntil(lambda: focused() is page.table)
    press(qtbot, Qt.Key.Key_Home)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.editing() and focused() is page.editor_view.editor)


@pytest.mark.parametrize(("key", "page", "where"), [
    (Qt.Key.Key_2, "films", "filmsFilter"), (Qt.Key.Key_3, "people", "peopleFilter"),
    (Qt.Key.Key_4, "diary", "diaryTree"), (Qt.Key.Key_5, "watchlist", "watchlistTable"),
    (Qt.Key.Key_7, "search", "searchField")])
def test_ctrl_digit_from_the_editor_lands_on_the_pages_list_or_filter(window, qtbot, key, page,
                                                                     where):
    open_the_review(window, qtbot)
    press(qtbot, key, CTRL)
    qtbot.waitUntil(lambda: window.current_page_key() == page)
    qtbot.waitUntil(lambda: focused() is not None and focused().objectName() == where)


def test_the_watchlist_from_the_keyboard_alt_a_adds_a_title(window, journal, qtbot):
    open_the_review(window, qtbot)
    press(qtbot, Qt.Key.Key_5, CTRL)
    qtbot.waitUntil(lambda: focused() is window.watchlist_page.table)
    press(qtbot, Qt.Key.Key_A, ALT)  # &Add…
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QDialog))
    dialog = QApplication.activeModalWidget()
    qtbot.waitUntil(lambda: focused() is dialog.film)
    qtbot.keyClicks(focused(), "Marie Antoinette (2006)")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: window.watchlist_page.model.rowCount() == 1)
    assert journal.films.by_title("Marie Antoinette", 2006)
    assert window.watchlist_page.order.currentData() == "priority"  # the sort was left alone
