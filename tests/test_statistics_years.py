"""Statistics of a journal whose viewings are years old: the years that hold viewings, newest
first, one picked from the keyboard; every chart also as a table; no sideways scrolling.

(The figures themselves: test_catalogue_core.py; the worker and the charts:
test_catalogue_statistics.py.)
"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

TODAY = dt.date(2026, 3, 1)


@pytest.fixture
def older(env):
    """Viewings in 2012, 2013 (twice) and 2014 only; nothing in 2025 or 2026."""
    j, _, _ = env
    her = j.films.create("Her", 2013, directors=["Spike Jonze"], runtime_minutes=126)
    heat = j.films.create("Heat", 1995, directors=["Michael Mann"])
    j.viewings.log(heat.id, "2012-07-04")
    j.viewings.log(her.id, "2013-12-20")
    j.viewings.log(heat.id, "2013-03")
    j.viewings.log(her.id, "2014-01-24")
    j.reviews.create(her.id, "x", score="8.5")
    return her.id, heat.id


def test_the_newest_year_with_viewings_is_summarised_not_the_calendar_year(journal):
    from journal.core import stats

    her = journal.films.create("Her", 2013, runtime_minutes=126)
    for day in ("2012-07-04", "2013-12-20", "2014-01-24", "2014-02"):
        journal.viewings.log(her.id, day)
    s = stats.compute(journal, today=TODAY)
    assert s.years == [2014, 2013, 2012]
    assert (s.current.year, s.current.viewings, s.current.minutes) == (2014, 2, 252)
    assert (s.previous.year, s.previous.viewings) == (2013, 1)
    assert s.per_month[2014] == [1, 1] + [0] * 10
    # A year asked for: that year against the one before it.
    s = stats.compute(journal, today=TODAY, year=2013)
    assert (s.current.year, s.current.viewings, s.previous.year, s.previous.viewings) == (
        2013, 1, 2012, 1)
    assert s.per_month[2013][11] == 1 and s.per_month[2012][6] == 1
    # A year without viewings falls back to the newest that has some.
    assert stats.compute(journal, today=TODAY, year=1999).current.year == 2014


def test_an_empty_journal_summarises_this_year(journal):
    from journal.core import stats

    s = stats.compute(journal, today=TODAY)
    assert s.years == [] and s.current.year == 2026 and s.previous.year == 2025


def _page(env, qtbot, size=(1000, 1100)):
    from journal.ui.pages.statistics import StatisticsPage

    j, signals, errors = env
    page = StatisticsPage(j, signals, errors, today=TODAY)
    qtbot.addWidget(page)
    page.resize(*size)
    page.show()
    qtbot.waitExposed(page)
    qtbot.waitUntil(lambda: not page.busy, timeout=10_000)
    return page


def _summary_columns(page) -> list[str]:
    text = page.summary.text()
    head = text[text.index("<th></th>"):text.index("</tr>")]
    return [cell.split("</th>")[0] for cell in head.split("<th>")[1:] if cell.split("</th>")[0]]


def test_a_journal_of_older_viewings_shows_them_and_a_year_is_picked_by_keyboard(env, older,
                                                                                 qtbot):
    page = _page(env, qtbot)
    picker = page.year_picker
    assert [picker.itemText(i) for i in range(picker.count())] == ["2014", "2013", "2012"]
    assert picker.currentText() == "2014" and picker.isEnabled()
    assert _summary_columns(page) == ["2014", "2013"]
    assert "<b>1</b>" in page.summary.text()  # 2014: one viewing, not the zeros of 2026
    months = page.charts["per_month"]
    assert [name for name, _ in months.series] == ["2014", "2013"]
    # The picker is the first stop of the page's tab chain; Down picks the year before.
    page.activateWindow()
    page.setFocus()
    qtbot.keyClick(page, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is picker
    with qtbot.waitSignal(page.figures_shown, timeout=10_000):
        qtbot.keyClick(picker, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: not page.busy, timeout=10_000)
    assert page.stats.current.year == 2013 and picker.currentText() == "2013"
    assert _summary_columns(page) == ["2013", "2012"]
    assert [name for name, _ in page.charts["per_month"].series] == ["2013", "2012"]
    assert page.charts["per_month"].series[0][1][2] == 1.0  # "2013-03"
    # The choice stays when the journal changes.
    j, _, _ = env
    with qtbot.waitSignal(page.figures_shown, timeout=10_000):
        j.viewings.log(older[1], "2013-05-05")
    qtbot.waitUntil(lambda: not page.busy, timeout=10_000)
    assert page.stats.current.year == 2013 and page.stats.current.viewings == 3


def test_every_chart_shows_as_a_table_from_the_keyboard(env, older, qtbot):
    j, _, _ = env
    page = _page(env, qtbot)
    panel = page.panels["per_year"]
    chart = page.charts["per_year"]
    chart.setFocus()
    qtbot.waitUntil(chart.hasFocus)
    qtbot.keyClick(chart, Qt.Key.Key_Tab)  # the chart's own button follows it
    assert QApplication.focusWidget() is panel.toggle
    assert panel.toggle.accessibleName() == "Show “Viewings per year” as a table"
    qtbot.keyClick(panel.toggle, Qt.Key.Key_Space)
    assert panel.stack.currentWidget() is panel.table
    table = panel.table
    rows = [[table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())]
    assert rows == [["2012", "1"], ["2013", "2"], ["2014", "1"]]
    assert table.horizontalHeaderItem(0).text() == "Year"
    assert table.accessibleName() == "Viewings per year, as a table"
    qtbot.keyClick(panel.toggle, Qt.Key.Key_Space)
    assert panel.stack.currentWidget() is chart
    # Each chart has its table; a person's row opens them with Return.
    for key, other in page.panels.items():
        assert other.chart is page.charts[key] and other.toggle.accessibleName()
    people = page.panels["directors"]
    qtbot.mouseClick(people.toggle, Qt.MouseButton.LeftButton)
    assert people.table.item(0, 0).text() == "Michael Mann"  # two viewings of Heat
    people.table.setFocus()
    people.table.setCurrentCell(1, 0)
    with qtbot.waitSignal(page.open_person, timeout=2000) as blocker:
        qtbot.keyClick(people.table, Qt.Key.Key_Return)
    assert blocker.args == [j.people.find("Spike Jonze").id]
    # The table follows new figures.
    with qtbot.waitSignal(page.figures_shown, timeout=10_000):
        j.viewings.log(older[0], "2014-06-01")
    qtbot.waitUntil(lambda: not page.busy, timeout=10_000)
    assert table.item(2, 1).text() == "2"


@pytest.mark.parametrize("width, columns", [(600, 1), (1000, 2)])
def test_the_charts_reflow_and_never_scroll_sideways(env, older, qtbot, width, columns):
    page = _page(env, qtbot, size=(width, 600))
    qtbot.waitUntil(lambda: page._columns == columns)
    scroll = page.scroll
    assert not scroll.horizontalScrollBar().isVisible()
    assert page._grid_host.width() <= scroll.viewport().width()
    for panel in page.panels.values():
        assert panel.geometry().right() <= page._grid_host.width()
