"""The Search page is built when first shown — unless saved searches are waiting in the sidebar,
whose panel is the page's: then it is there from the start, with them."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from journal.core.sample import load_sample
from journal.core.search import SavedSearchService
from journal.ui.mainwindow import PAGES

SEARCH_ROW = [p.key for p in PAGES].index("search")


@pytest.fixture
def make_window(open_window):
    return open_window


def test_without_saved_searches_the_page_waits_for_its_first_showing(make_window, journal, qtbot):
    load_sample(journal)
    window = make_window(journal)
    assert not hasattr(window, "search_page")
    assert window.pages["search"].objectName() == "searchPlaceholder"  # stands for it
    assert not window.saved_label.isVisible()
    row = window.sidebar.visualItemRect(window.sidebar.item(SEARCH_ROW))
    qtbot.mouseClick(window.sidebar.viewport(), Qt.MouseButton.LeftButton, pos=row.center())
    page = window.search_page
    assert window.stack.currentWidget() is page
    qtbot.keyClicks(page.field, "caligari")
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=5000)
    page.saved.create("Expressionism", "caligari")  # as Save Search… does
    page.saved_model.reload()
    qtbot.waitUntil(window.saved_label.isVisible, timeout=2000)
    assert page.saved_panel.isVisible()


def test_saved_searches_are_in_the_sidebar_from_the_start(make_window, journal):
    load_sample(journal)
    SavedSearchService(journal).create("Expressionism", "caligari")
    window = make_window(journal)
    assert window.search_page.saved_panel.isVisible() and window.saved_label.isVisible()
    assert window.search_page.saved_model.rowCount() == 1
