"""Preferences → Appearance: system, light or dark, applied at once and at the next start; the
sidebar's icons stay readable on dark."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QImage, QPalette
from PySide6.QtWidgets import QApplication


@pytest.fixture(autouse=True)
def _system_theme_after():
    yield
    from journal.ui import theme

    theme.apply_theme("system")


@pytest.fixture
def window(journal, open_window):
    return open_window(journal)


def _icon_ink(window) -> int:
    """The lightness of the Search row's icon strokes in the sidebar as painted."""
    sidebar = window.sidebar
    rect = sidebar.visualItemRect(sidebar.item(6))
    image: QImage = sidebar.viewport().grab(rect).toImage()
    background = sidebar.palette().color(QPalette.ColorRole.Base).lightness()
    size = sidebar.iconSize().width()
    icon_pixels = [image.pixelColor(x, y).lightness() for x in range(4, 4 + size + 4)
                   for y in range(image.height())]
    # the stroke is the pixel farthest from the background
    return max(icon_pixels, key=lambda v: abs(v - background))


def _focus(qtbot, widget):
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget.window())


def test_dark_is_chosen_from_the_keyboard_applied_at_once_and_kept(window, qtbot, tmp_path):
    from journal.ui import theme

    light_ink = _icon_ink(window)
    assert light_ink < 128  # dark strokes on the light sidebar
    action = window.act_preferences
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Comma,
                   Qt.KeyboardModifier.ControlModifier)  # Edit → Preferences…
    dialog = action.dialog
    qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible())
    _focus(qtbot, dialog)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    assert dialog.tabs.currentWidget().objectName() == "appearanceTab"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
    picker = dialog.theme_picker
    assert QApplication.focusWidget() is picker and picker.currentData() == "system"
    qtbot.keyClick(picker, Qt.Key.Key_End)
    assert picker.currentText() == "Dark"
    qtbot.keyClick(picker, Qt.Key.Key_Return)  # the dialog's default button: OK
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert theme.theme_name() == "dark" and theme.choice() == "dark"
    assert QApplication.palette().color(QPalette.ColorRole.Window).lightness() < 80
    qtbot.waitUntil(lambda: _icon_ink(window) > 150)  # light strokes on the dark sidebar
    from journal.ui.editor.highlighter import PALETTES

    heading = window.reviews_page.editor_view.editor.highlighter.formats["heading"]
    assert heading.foreground().color().name() == PALETTES["dark"]["heading"]
    assert window.settings.value(theme.KEY) == "dark"
    # The next start applies it before the window shows.
    theme.apply_theme("system")
    assert theme.choice() == "system"
    theme.apply_saved(QSettings(window.settings.fileName(), QSettings.Format.IniFormat))
    assert theme.theme_name() == "dark"


def test_light_overrides_a_dark_system_and_system_gives_it_back(qtbot):
    from journal.ui import theme

    app = QApplication.instance()
    original = QPalette(app.palette())
    dark_system = theme.dark_palette()
    try:
        theme._state["system_palette"] = None
        app.setPalette(dark_system)
        assert theme.theme_name() == "dark"
        theme.apply_theme("light")
        assert theme.theme_name() == "light"
        assert app.palette().color(QPalette.ColorRole.Base).lightness() > 200
        theme.apply_theme("system")
        assert app.palette().color(QPalette.ColorRole.Window) == \
            dark_system.color(QPalette.ColorRole.Window)
    finally:
        theme._state["system_palette"] = None
        app.setPalette(original)
