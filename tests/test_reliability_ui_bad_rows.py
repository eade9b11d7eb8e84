"""Reliability (issue 15, item 9) in the window: a bad value stored before restores were checked
(``watched_on = 'not-a-date'``, a score that is not a number) breaks no page. The lists read
through their own read connection and the search through its external-content index (schema
9): each page is visited from the keyboard, its list filled, and nothing is reported."""

from __future__ import annotations

import sqlite3

import export_helpers as helpers
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from journal.core.journal import Journal
from journal.ui.errors import ErrorReporter

CTRL = Qt.KeyboardModifier.ControlModifier
PAGES = [(Qt.Key.Key_1, "reviews"), (Qt.Key.Key_2, "films"), (Qt.Key.Key_3, "people"),
         (Qt.Key.Key_4, "diary"), (Qt.Key.Key_5, "watchlist"), (Qt.Key.Key_7, "search")]


def test_every_page_opens_over_a_bad_row(tmp_path, qtbot, open_window):
    path = helpers.journal_with_bad_rows(tmp_path / "bad.eyelights")

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


def test_the_diary_shows_a_bad_date_with_the_undated_viewings(tmp_path):
    from journal.core import diary_query

    path = tmp_path / "bad.eyelights"
    with Journal.open(path) as journal:
        helpers.rich_journal(journal)
        dated = sum(n for year, n in diary_query.years(journal) if year is not None)
    con = sqlite3.connect(path)
    con.execute("PRAGMA ignore_check_constraints = ON")
    (bad,) = con.execute("SELECT max(id) FROM viewing").fetchone()
    con.execute("UPDATE viewing SET watched_on = 'not-a-date' WHERE id = ?", (bad,))
    con.execute("INSERT INTO viewing (film_id, watched_on, venue, companions, note, "
                "rewatch_flag, created_at) SELECT film_id, '2014-xx-01', '', '', '', 0, "
                "created_at FROM viewing WHERE id = ?", (bad,))
    con.commit()
    con.close()
    with Journal.open(path) as journal:
        years = diary_query.years(journal)
        assert all(year is None or year.isdigit() for year, _n in years)
        for year, _n in years:
            if year is not None:
                diary_query.months(journal, year)  # "not-" was taken for a year here
        undated = {row.watched_on for row in diary_query.rows_undated(journal)}
        assert {"not-a-date", "2014-xx-01"} <= undated  # shown, as written
        assert sum(n for year, n in years if year is not None) == dated - 1
