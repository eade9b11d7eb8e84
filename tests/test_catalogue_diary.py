"""The Diary page driven as a user would: the month calendar and the keyboard."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QTabBar, QTableView

from journal.ui.bridge import JournalSignals
from journal.ui.errors import ErrorReporter
from journal.ui.models.diary_model import FilmIdRole
from journal.ui.pages.diary import DiaryPage


@pytest.fixture
def page(journal, qtbot):
    """A diary of March 2024: two days, one month-only viewing, one year-only, one undated."""
    j = journal
    stalker = j.films.create("Stalker", 1979).id
    alien = j.films.create("Alien", 1979).id
    mirror = j.films.create("Mirror", 1975).id
    for film, date in ((stalker, "2024-03-17"), (alien, "2024-03-17"), (mirror, "2024-03-20"),
                       (alien, "2024-03"), (mirror, "2024"), (stalker, None),
                       (mirror, "2024-04-18")):
        j.viewings.log(film, date)
    signals, errors = JournalSignals(j), ErrorReporter()
    errors.dialogs_enabled = False
    widget = DiaryPage(j, signals, errors)
    qtbot.addWidget(widget)
    widget.resize(1000, 640)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    yield widget
    signals.detach()


def show_month(page, year, month):
    page.tabs.setCurrentWidget(page.calendar_panel)
    page.calendar.setCurrentPage(year, month)


def day_cell(calendar, day):
    """The calendar's own view and the index of ``day`` (15–22: no other month shows them).
    Row 0 holds the weekday names; the columns before the last seven, week numbers."""
    view = calendar.findChild(QTableView)
    model = view.model()
    for row in range(1, model.rowCount()):
        for col in range(model.columnCount() - 7, model.columnCount()):
            index = model.index(row, col)
            if str(model.data(index)) == str(day):
                return view, index
    raise AssertionError(f"day {day} is not shown")


def marked(calendar, year, month, day):
    return calendar.dateTextFormat(QDate(year, month, day)).fontWeight() == 700


def test_calendar_marks_days_and_lists_a_clicked_day(page, qtbot):
    show_month(page, 2024, 3)
    cal = page.calendar
    assert marked(cal, 2024, 3, 17) and marked(cal, 2024, 3, 20)
    assert not marked(cal, 2024, 3, 18) and not marked(cal, 2024, 3, 1)
    tip = cal.dateTextFormat(QDate(2024, 3, 17)).toolTip()
    assert set(tip.split("\n")) == {"Stalker", "Alien"}
    # The month-only viewing has no day: it is named under the calendar, not on the 1st.
    assert page.month_note.text() == "March 2024, day not recorded: Alien"
    view, index = day_cell(cal, 17)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.visualRect(index).center())
    assert cal.selectedDate() == QDate(2024, 3, 17)
    titles = sorted(page.day_list.item(i).text() for i in range(page.day_list.count()))
    assert titles == ["Alien ↻", "Stalker ↻"]          # each film was seen before
    assert page.day_label.text() == "17 March 2024: 2 viewings"
    view, index = day_cell(cal, 18)                       # a day without viewings
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.visualRect(index).center())
    assert page.day_list.count() == 0 and "0 viewings" in page.day_label.text()
    show_month(page, 2024, 4)                            # marks move with the month shown
    assert marked(cal, 2024, 4, 18) and not marked(cal, 2024, 3, 17)
    assert page.month_note.text() == ""
    page.journal.viewings.log(page.journal.films.by_title("Alien")[0].id, "2024-04-16")
    qtbot.waitUntil(lambda: marked(cal, 2024, 4, 16))    # a change elsewhere marks the day


def focused():
    return QApplication.focusWidget()


def tab_until(qtbot, predicate, limit=40, back=False):
    """Press Tab (or Shift+Tab) until ``predicate(focus widget)``; the widgets passed."""
    seen = []
    for _ in range(limit):
        widget = focused()
        if predicate(widget):
            return seen
        seen.append(widget.objectName() or type(widget).__name__)
        qtbot.keyClick(widget, Qt.Key.Key_Backtab if back else Qt.Key.Key_Tab,
                       Qt.KeyboardModifier.ShiftModifier if back else
                       Qt.KeyboardModifier.NoModifier)
    raise AssertionError(f"not reached by Tab; went through {seen}")


def test_diary_keyboard_walkthrough(page, qtbot):
    # List: from the first button, Tab reaches the tree; arrows walk into a month.
    m = page.journal.models
    page.log_button.setFocus()
    qtbot.waitUntil(lambda: focused() is page.log_button)
    assert not page.edit_button.isEnabled()               # nothing chosen yet: skipped by Tab
    tab_until(qtbot, lambda w: w is page.tree)
    key = page.tree
    qtbot.keyClick(key, Qt.Key.Key_Home)
    assert page.model.data(page.tree.currentIndex()) == "2024 (6)"
    for _ in range(2):                                    # April (expanded), its viewing
        qtbot.keyClick(key, Qt.Key.Key_Down)
    assert page.selected_viewing_id() is not None
    assert page.edit_button.isEnabled() and page.delete_button.isEnabled()
    tab_until(qtbot, lambda w: w is page.delete_button, back=True)
    viewing = page.selected_viewing_id()
    qtbot.keyClick(page.delete_button, Qt.Key.Key_Space)  # delete by keyboard…
    assert not page.journal.viewings.live().where(m.Viewing.id == viewing).exists()
    qtbot.waitUntil(lambda: page.undo_button.isEnabled())
    tab_until(qtbot, lambda w: w is page.undo_button)
    qtbot.keyClick(page.undo_button, Qt.Key.Key_Space)    # …and take it back
    assert page.journal.viewings.get(viewing)
    # Calendar: Tab reaches the tab bar; Right switches to the calendar, whose days take the
    # arrow keys; Tab goes on to the day's list, where Return opens the film.
    tab_until(qtbot, lambda w: isinstance(w, QTabBar))
    qtbot.keyClick(focused(), Qt.Key.Key_Right)
    assert page.tabs.currentWidget() is page.calendar_panel
    page.calendar.setSelectedDate(QDate(2024, 3, 16))
    calendar_view = page.calendar.findChild(QTableView)
    tab_until(qtbot, lambda w: w is calendar_view)
    qtbot.keyClick(calendar_view, Qt.Key.Key_Right)      # 16 → 17 March
    assert page.calendar.selectedDate() == QDate(2024, 3, 17)
    assert page.day_list.count() == 2
    tab_until(qtbot, lambda w: w is page.day_list)
    qtbot.keyClick(page.day_list, Qt.Key.Key_Down)
    qtbot.keyClick(page.day_list, Qt.Key.Key_Home)
    with qtbot.waitSignal(page.open_film) as blocker:
        qtbot.keyClick(page.day_list, Qt.Key.Key_Return)
    assert blocker.args == [page.day_list.item(0).data(FilmIdRole)]
