"""Reliability (issue 15, item 9) in the window: a bad value stored before restores were checked
(``watched_on = 'not-a-date'``, a score that is not a number) breaks no page. The lists read
through their own read connection and the search through its external-content index (schema
9): each page is visited from the keyboard, its list filled, and nothing is reported."""

from __future__ import annotations

import sqlite3

import helpers
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from journal.core.journal import Journal
from journal.ui.errors import ErrorReporter

CTRL = Qt.KeyboardModifier.ControlModifier
PAGES = [(Qt.Key.Key_1, "reviews"), (Qt.Key.Key_2, "films"), (Qt.Key.Key_3, "people"),
         (Qt.Key.Key_4, "diary"), (Qt.Key.Key_5, "watchlist"), (Qt.Key.Key_7, "search")]


def test_every_page_opens_over_a_bad_row(tmp_path, qtbot, open_window):
    path = tmp_path / "bad.eyelights"
    with Journal.open(path) as journal:
        helpers.rich_journal(journal)
    con = sqlite3.connect(path)
    con.execute("PRAGMA ignore_check_constraints = ON")  # as a restore before checks could
    con.execute("UPDATE viewing SET watched_on = 'not-a-date' WHERE id = "
                "(SELECT max(id) FROM viewing)")
    con.execute("UPDATE review SET score_tenths = 'abc' WHERE id = (SELECT min(id) FROM review)")
    con.commit()
    con.close()

    errors = ErrorReporter()
    errors.dialogs_enabled = False
    shown: list[str] = []
    errors.shown.connect(lambda *args: shown.append(repr(args)))
    with Journal.open(path) as journal:
        win = open_window(journal, (1200, 800), errors=errors)
        for key, page in PAGES:
            qtbot.keyClick(QApplication.focusWidget() or win, key, CTRL)
            qtbot.waitUntil(lambda page=page: win.current_page_key() == page)
        diary = win.diary_page
        qtbot.keyClick(QApplication.focusWidget() or win, Qt.Key.Key_4, CTRL)
        qtbot.waitUntil(lambda: diary.model.rowCount() > 0 if hasattr(diary, "model")
                        else True)
        qtbot.keyClick(QApplication.focusWidget() or win, Qt.Key.Key_7, CTRL)
        field = QApplication.focusWidget()
        assert field is not None and field.objectName() == "searchField"
        qtbot.keyClicks(field, "viewed:2014")
        qtbot.keyClick(field, Qt.Key.Key_Return)
        qtbot.wait(500)
        win.reviews_page.flush()
        assert not shown, shown
