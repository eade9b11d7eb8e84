"""The Help menu: the user guide (docs/ rendered in the app), the Markdown and spoilers cheat
sheet, keyboard shortcuts read from the real actions, and where the files are."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices, QKeySequence
from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def window(journal, open_window):
    win = open_window(journal)
    yield win
    if win.help.dialog is not None:
        win.help.dialog.close()


def _press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def test_help_menu_lists_its_topics(window):
    texts = [a.text() for a in window.help_menu.actions() if not a.isSeparator()]
    assert texts == ["User Guide", "Markdown and Spoilers Cheat Sheet", "Keyboard Shortcuts",
                     "Where Your Files Are", "About Eyelights"]


def test_f1_opens_the_user_guide_rendered_from_docs(window, qtbot):
    _press(qtbot, Qt.Key.Key_F1)
    dialog = window.help.dialog
    qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible())
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    assert dialog.current_topic() == "guide:editor.md"
    docs = (ROOT / "docs" / "editor.md").read_text(encoding="utf-8")
    first_heading = docs.splitlines()[0].lstrip("# ")
    assert dialog.browser.toPlainText().startswith(first_heading)
    # Down the topic list to the search page; a link to another page opens it here.
    topics = dialog.topics
    assert QApplication.focusWidget() is topics
    while dialog.current_topic() != "guide:search.md":
        _press(qtbot, Qt.Key.Key_Down)
    assert "Searching your journal" in dialog.browser.toPlainText()
    assert "rating:>8" in dialog.browser.toPlainText()  # the page as it is in docs/ today
    dialog._link(QUrlLike("catalogue.md"))
    assert dialog.current_topic() == "guide:catalogue.md"
    # Its screenshot is loaded from the guide's folder, nothing else is.
    image = dialog.browser.loadResource(2, QUrlLike("screenshot-films.png"))
    assert image is not None and not image.isNull()
    assert dialog.browser.loadResource(2, QUrlLike("../pyproject.toml")) is None


def test_the_guide_shows_its_screenshots_and_a_review_still_shows_none(window, qtbot, journal):
    """F1: the editor page's screenshots are pictures in the window (they had become
    "[image: …]" text when the renderer learned to never load a local file); the same Markdown
    image in a review stays text."""
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QTextDocument

    from journal.core.render import RenderOptions
    from journal.core.render.document import render_markdown

    _press(qtbot, Qt.Key.Key_F1)
    dialog = window.help.dialog
    qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible())
    assert dialog.current_topic() == "guide:editor.md"
    assert "[image:" not in dialog.browser.toPlainText()
    assert '<img src="screenshot-main.png"' in dialog.browser.html
    qtbot.waitUntil(lambda: dialog.browser.document().resource(
        QTextDocument.ResourceType.ImageResource, QUrl("screenshot-main.png")) is not None)
    review = render_markdown("![The editor](screenshot-main.png)",
                             RenderOptions(standalone=False)).html
    assert "<img" not in review and "[image: The editor]" in review


def QUrlLike(text):  # noqa: N802 - stands for the QUrl a click gives
    from PySide6.QtCore import QUrl

    return QUrl(text)


def test_the_guide_is_read_from_the_package_when_built(tmp_path, monkeypatch):
    """A build carries journal/guide (setup.py copies docs/ there); it is read first."""
    import journal
    from journal.core import guide

    package = tmp_path / "journal"
    (package / "guide").mkdir(parents=True)
    for name in guide.GUIDE_PAGES:
        (package / "guide" / name).write_text(f"# Built {name}\n", encoding="utf-8")
    monkeypatch.setattr(guide, "files", lambda _name: package)
    assert guide.page_text("search.md") == "# Built search.md\n"
    assert [p.title for p in guide.guide_pages()][0] == "Built editor.md"
    monkeypatch.undo()
    assert guide.guide_files() == ROOT / "docs"  # a checkout: docs/ itself
    assert Path(journal.__file__).resolve().parent.parent == ROOT


#: what the offscreen platform says when a menu pops up (it cannot raise it or grab keys)
MENU_LIMITS = ("This plugin does not support propagateSizeHints", "does not support raise",
               "does not support grabbing the keyboard")


def _choose_in_the_help_menu(window, qtbot, text):
    """Alt+H opens the Help menu; Down to the item; Return chooses it — as the user does."""
    _press(qtbot, Qt.Key.Key_H, Qt.KeyboardModifier.AltModifier)
    menu = window.help_menu
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is menu)
    for _ in range(len(menu.actions())):
        if menu.activeAction() is not None and menu.activeAction().text() == text:
            break
        qtbot.keyClick(menu, Qt.Key.Key_Down)
    assert menu.activeAction().text() == text
    qtbot.keyClick(menu, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not menu.isVisible())


@pytest.mark.qt_log_ignore(*MENU_LIMITS)
def test_cheat_sheet_is_rendered_by_the_renderer(window, qtbot):
    _choose_in_the_help_menu(window, qtbot, "Markdown and Spoilers Cheat Sheet")
    dialog = window.help.dialog
    qtbot.waitUntil(dialog.isVisible)
    text = dialog.browser.toPlainText()
    assert "::: spoiler The ending" in text and "Spoilers: The ending" in text
    assert "“Her” – 2013 — a film" in text  # smarty, through the one renderer
    assert "*MAJOR spoiler alert*" in text


def test_shortcuts_are_read_from_the_actions(window, qtbot):
    _press(qtbot, Qt.Key.Key_Slash, Qt.KeyboardModifier.ControlModifier)
    dialog = window.help.dialog
    qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible())
    assert dialog.current_topic() == "shortcuts"
    tree = dialog.shortcuts
    groups = {tree.topLevelItem(i).text(0): tree.topLevelItem(i)
              for i in range(tree.topLevelItemCount())}
    assert list(groups)[:5] == ["File menu", "Edit menu", "View menu", "Go menu", "Help menu"]
    rows = {(g, item.child(r).text(0)): item.child(r).text(1)
            for g, item in groups.items() for r in range(item.childCount())}
    native = QKeySequence.SequenceFormat.NativeText
    assert rows[("File menu", "New Film")] == QKeySequence("Ctrl+Shift+N").toString(native)
    assert rows[("Go menu", "Trash")] == QKeySequence("Ctrl+8").toString(native)
    assert rows[("Help menu", "User Guide")] == QKeySequence("F1").toString(native)
    assert rows[("Editor", "Bold")] == QKeySequence("Ctrl+B").toString(native)
    assert rows[("Diary page", "Delete Viewing")]  # a page built for the list
    # A new shortcut shows up with no other change: the list is the actions themselves.
    window.act_backup.setShortcut(QKeySequence("Ctrl+Alt+B"))
    dialog.show_topic("files")
    dialog.show_topic("shortcuts")
    assert any(tree.topLevelItem(0).child(r).text(0) == "Back Up Now"
               for r in range(tree.topLevelItem(0).childCount()))


@pytest.mark.qt_log_ignore(*MENU_LIMITS)
def test_where_files_are_with_open_folder(window, qtbot, monkeypatch):
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(
        lambda url: opened.append(url.toLocalFile()) or True))
    window.journal.backup("manual")
    _choose_in_the_help_menu(window, qtbot, "Where Your Files Are")
    dialog = window.help.dialog
    qtbot.waitUntil(dialog.isVisible)
    panel = dialog.files
    assert dialog.stack.currentWidget() is panel
    journal_path = window.journal.path
    fields = {what: shown for what, shown, _ in panel.rows}
    assert fields["Journal"] == journal_path
    assert fields["Backups"].name == journal_path.stem + "-backups"
    button = panel.buttons["Backups"]
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)
    assert opened == [str(fields["Backups"])]
    panel.buttons["Journal"].setFocus()
    qtbot.keyClick(panel.buttons["Journal"], Qt.Key.Key_Space)
    assert opened[-1] == str(journal_path.parent)


def test_every_image_the_readme_and_the_guide_show_is_there():
    import re

    for page in [ROOT / "README.md", *(ROOT / "docs").glob("*.md")]:
        for target in re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", page.read_text(encoding="utf-8")):
            assert (page.parent / target).is_file(), f"{page.name} shows {target}"


def test_the_guides_screenshots_fit_the_help_window_without_sideways_scrolling(window, qtbot):
    """F1 at 900×600: the editor page's screenshots are scaled to the page, with room for the
    vertical scroll bar the long page gets (a small sideways scroll bar showed beside them)."""
    _press(qtbot, Qt.Key.Key_F1)
    dialog = window.help.dialog
    qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible())
    browser = dialog.browser
    qtbot.waitUntil(lambda: browser.document().size().height() > browser.viewport().height())
    qtbot.wait(50)  # the layout of the scaled images settles
    assert browser.verticalScrollBar().maximum() > 0  # a long page
    assert browser.horizontalScrollBar().maximum() == 0, browser.horizontalScrollBar().maximum()
