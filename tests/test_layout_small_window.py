"""At 900×600 nothing is crushed and no page scrolls sideways; list columns are as wide as what
they hold; every focusable widget has a name for assistive tools. Pages are reached with the
keys a user presses."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QCalendarWidget,
    QComboBox,
    QScrollBar,
    QWidget,
)

from journal.core.sample import load_sample


@pytest.fixture
def window(journal, open_window):

    load_sample(journal)
    credits = journal.films.create("Eternal Sunshine of the Spotless Mind", 2004,
                                   directors=["Michel Gondry"])
    for n, (name, character) in enumerate((("Jim Carrey", "Joel Barish"),
                                           ("Kate Winslet", "Clementine Kruczynski"),
                                           ("Kirsten Dunst", "Mary Svevo"))):
        journal.people.add_credit(credits.id, name, "cast", character=character, order=n)
    journal.watchlist.add(credits.id, note="Recommended at the film club, in the rain",
                          recommended_by="Léa Seydoux-Fournier", priority=3)
    win = open_window(journal)
    win.film_id = credits.id
    return win


def _go(qtbot, window, n: int) -> QWidget:
    qtbot.keyClick(QApplication.focusWidget() or window, getattr(Qt.Key, f"Key_{n}"),
                   Qt.KeyboardModifier.ControlModifier)
    return window.stack.currentWidget()


def _no_sideways_scroll(qtbot, area: QAbstractScrollArea) -> None:
    bar = area.horizontalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() == 0 and not bar.isVisible(), timeout=3000)


def test_film_page_at_900_wraps_its_buttons_and_never_scrolls_sideways(window, qtbot):
    films = _go(qtbot, window, 2)
    assert window.current_page_key() == "films"
    table = films.films.table
    table.setFocus()
    row = next(r for r in range(table.model().rowCount())
               if table.model().index(r, 0).data().startswith("Eternal"))
    table.setCurrentIndex(table.model().index(row, 0))
    qtbot.keyClick(table, Qt.Key.Key_Return)  # open the film
    page = films.film
    qtbot.waitUntil(lambda: films.stack.currentWidget() is films.detail)
    assert page.film_id == window.film_id
    qtbot.waitUntil(lambda: page.scroll.widget().width() <= page.scroll.viewport().width())
    _no_sideways_scroll(qtbot, page.scroll)
    actions = page.findChild(QWidget, "filmActions")
    buttons = [b for b in actions.findChildren(QWidget) if b.isVisible()]
    assert len({b.y() for b in buttons}) >= 2  # wrapped onto a second line
    for button in buttons:
        assert button.geometry().right() <= actions.width()
    # Credits: name and order as wide as they need, the characters take the rest.
    credits = page.credits
    header = credits.horizontalHeader()
    for column in (0, 1, 3):
        assert header.sectionSize(column) >= credits.sizeHintForColumn(column)
        assert header.sectionSize(column) >= header.sectionSizeHint(column)
    assert header.sectionSize(3) < 80  # "Order" is not stretched across the table
    assert header.sectionSize(2) > header.sectionSize(1)


def test_statistics_at_900_never_scrolls_sideways(window, qtbot):
    page = _go(qtbot, window, 6)
    assert window.current_page_key() == "statistics"
    qtbot.waitUntil(lambda: not page.busy, timeout=10_000)
    _no_sideways_scroll(qtbot, page.scroll)
    assert page._grid_host.width() <= page.scroll.viewport().width()


def test_watchlist_columns_fit_what_they_hold(window, qtbot):
    page = _go(qtbot, window, 5)
    assert window.current_page_key() == "watchlist"
    table = page.table
    header = table.horizontalHeader()
    for column in range(table.model().columnCount()):
        if column == 4:  # the note takes what is left
            continue
        assert header.sectionSize(column) >= table.sizeHintForColumn(column), column
        assert header.sectionSize(column) >= header.sectionSizeHint(column), column
    _no_sideways_scroll(qtbot, table)


def test_score_box_is_not_crushed_at_900(window, qtbot):
    page = window.reviews_page
    window.navigate("review", 1)
    qtbot.waitUntil(lambda: page.stack.currentWidget() is not page.list_panel)
    score = page.editor_view.form.score_edit
    score.setFocus()
    score.selectAll()
    for key in (Qt.Key.Key_1, Qt.Key.Key_0, Qt.Key.Key_Period, Qt.Key.Key_0):
        qtbot.keyClick(score, key)
    assert score.text() == "10.0"
    room = score.contentsRect().width() - score.textMargins().left() - score.textMargins().right()
    assert score.fontMetrics().horizontalAdvance("10.0") < room - 8


def _internal(widget: QWidget) -> bool:
    """A part of a composite Qt widget that assistive tools reach through its owner (a combo
    box's line edit and popup, a spin box's line edit, a calendar's own controls)."""
    parent = widget.parentWidget()
    if isinstance(parent, (QComboBox, QAbstractSpinBox)) or widget.objectName().startswith("qt_"):
        return True
    while parent is not None:
        if isinstance(parent, QCalendarWidget) or parent.isWindow() and \
                parent.windowType() == Qt.WindowType.Popup:
            return True
        parent = parent.parentWidget()
    return type(widget.parentWidget()).__name__ == "QComboBoxPrivateContainer"


def _unnamed(root: QWidget) -> list[str]:
    missing = []
    for widget in root.findChildren(QWidget):
        if widget.focusPolicy() == Qt.FocusPolicy.NoFocus or isinstance(widget, QScrollBar):
            continue
        if _internal(widget):
            continue
        face = QAccessible.queryAccessibleInterface(widget)
        if face is None or not face.text(QAccessible.Text.Name).strip():
            missing.append(f"{type(widget).__name__} {widget.objectName()!r} in "
                           f"{type(widget.parentWidget()).__name__}")
    return missing


def test_every_focusable_widget_has_an_accessible_name(window, qtbot):
    from journal.ui.help import HelpDialog

    window.build_all_pages()
    window.navigate("film", window.film_id)
    window.navigate("review", 1)
    stats = window.pages["statistics"]
    window.show_page("statistics")
    qtbot.waitUntil(lambda: not stats.busy, timeout=10_000)
    assert _unnamed(window) == []
    help_dialog = HelpDialog(window)
    qtbot.addWidget(help_dialog)
    for topic in ("shortcuts", "files", "cheatsheet"):
        help_dialog.show_topic(topic)
    assert _unnamed(help_dialog) == []


@pytest.mark.parametrize("n", range(1, 9))
def test_no_list_of_any_page_scrolls_sideways_at_900(window, qtbot, n):
    """Every page reached with Ctrl+1…Ctrl+8 at 900×600: none of its lists, trees or tables
    shows a sideways scroll bar (the Diary's fixed column widths added up to more than its
    width)."""
    page = _go(qtbot, window, n)
    qtbot.wait(300)  # lists filled on a worker
    areas = [a for a in page.findChildren(QAbstractScrollArea) if a.isVisible()]
    for area in areas:
        if area.horizontalScrollBar().isVisible():
            pytest.fail(f"{window.current_page_key()}: {area.objectName() or area} "
                        "scrolls sideways")


def _drag_section_border(qtbot, header, column: int, by: int) -> None:
    """The user widens ``column`` by dragging its right border in the header."""
    from PySide6.QtCore import QEvent, QPointF
    from PySide6.QtGui import QMouseEvent

    viewport = header.viewport()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) - 1
    y = header.height() // 2
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    for kind, at, button, buttons in (
            (QEvent.Type.MouseButtonPress, x, left, left),
            (QEvent.Type.MouseMove, x + by // 2, none, left),
            (QEvent.Type.MouseMove, x + by, none, left),
            (QEvent.Type.MouseButtonRelease, x + by, left, none)):
        point = QPointF(at, y)
        QApplication.sendEvent(viewport, QMouseEvent(
            kind, point, viewport.mapToGlobal(point), button, buttons,
            Qt.KeyboardModifier.NoModifier))
    qtbot.wait(50)


def test_films_list_at_900_shows_whole_titles_and_keeps_a_column_widened_by_hand(
        window, qtbot):
    """At 900×600 the title, original title and director shared the width in thirds, and most
    titles were elided ("The Cabinet of D…"); the title now gets twice the others' share."""
    from journal.ui.models.films_model import COL_DIRECTOR, COL_TITLE

    table = _go(qtbot, window, 2).films.table
    qtbot.wait(300)
    header, metrics = table.horizontalHeader(), table.fontMetrics()
    for title in ("The Cabinet of Dr. Caligari", "Battleship Potemkin"):
        assert header.sectionSize(COL_TITLE) >= metrics.horizontalAdvance(title) + 8, title
    assert not table.horizontalScrollBar().isVisible()
    _drag_section_border(qtbot, header, COL_DIRECTOR, 60)
    widened = header.sectionSize(COL_DIRECTOR)
    assert widened >= 150
    window.resize(1100, 650)  # a later resize shares out the rest, leaving that one alone
    qtbot.waitUntil(lambda: table.viewport().width() > 800, timeout=3000)
    assert header.sectionSize(COL_DIRECTOR) == widened
    assert header.sectionSize(COL_TITLE) >= metrics.horizontalAdvance(
        "Eternal Sunshine of the Spotless Mind") + 8
