"""Emoji in the editor: Qt counts them as two positions, Python as one. The reference review
(tests/data/her-review.md) ends its verdict with one; what follows it on its line used to be
highlighted two characters off, Bold re-selected one character short, and a misspelt word after
it underlined and replaced in the wrong place. Driven by keys on the focused editor."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QTextCursor, QTextDocument
from PySide6.QtWidgets import QApplication

from journal.core import spellcheck
from journal.ui.editor.highlighter import is_misspelt_format

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
HEART = "\U0001F494"


@pytest.fixture
def editor(qtbot, journal, reviews_page):
    film = journal.films.create("Her", 2013)
    review = journal.reviews.create(film.id, f"Bring someone you miss. {HEART}{HEART}")
    page = reviews_page(1000, 600)
    page.open_review(review.id)
    editor = page.editor_view.editor
    qtbot.waitExposed(editor)
    editor.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is editor)
    qtbot.keyClick(editor, Qt.Key.Key_End, CTRL)
    return editor


def span_of(editor, text: str) -> tuple[int, int]:
    found = editor.document().find(text, 0, QTextDocument.FindFlag.FindCaseSensitively)
    assert not found.isNull(), text
    return found.selectionStart() - found.block().position(), found.selectionEnd() - \
        found.block().position()


def ranges(editor, test) -> list[tuple[int, int]]:
    block = editor.document().lastBlock()
    return [(r.start, r.start + r.length) for r in block.layout().formats() if test(r.format)]


def test_emphasis_typed_after_an_emoji_is_highlighted_where_it_is(qtbot, editor):
    qtbot.keyClicks(editor, " and *more* and **bold**")
    assert span_of(editor, "*more*") in ranges(
        editor, lambda f: f.fontItalic() and f.fontWeight() != QFont.Weight.Bold)
    assert span_of(editor, "**bold**") in ranges(
        editor, lambda f: f.fontWeight() == QFont.Weight.Bold)


def test_bold_keeps_a_selection_that_ends_with_an_emoji_selected(qtbot, editor):
    for _ in range(len("miss. ") + 2):  # two emoji: Shift+Left steps over each as one
        qtbot.keyClick(editor, Qt.Key.Key_Left, SHIFT)
    assert editor.textCursor().selectedText() == f"miss. {HEART}{HEART}"
    qtbot.keyClick(editor, Qt.Key.Key_B, CTRL)
    assert editor.toPlainText() == f"Bring someone you **miss. {HEART}{HEART}**"
    assert editor.textCursor().selectedText() == f"miss. {HEART}{HEART}"


def test_a_misspelt_word_after_an_emoji_is_underlined_and_replaced_in_place(qtbot, editor):
    qtbot.waitUntil(lambda: editor.highlighter.language == "en"
                    and spellcheck.is_loaded("en"), timeout=5000)  # the review's language
    qtbot.keyClicks(editor, " a wonderfull film")
    assert ranges(editor, is_misspelt_format) == [span_of(editor, "wonderfull")]
    start, _end = span_of(editor, "wonderfull")
    cursor = editor.misspelt_word_at(editor.document().lastBlock().position() + start + 2)
    assert cursor is not None and cursor.selectedText() == "wonderfull"
    cursor.insertText("wonderful")  # what the context menu's suggestion does with it
    assert editor.toPlainText().endswith(f"{HEART}{HEART} a wonderful film")


def test_tab_on_a_list_item_with_an_emoji_keeps_the_whole_lines_selected(qtbot, editor):
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, "- first")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    editor.insertPlainText(f"second {HEART}")  # an emoji cannot be typed by keyClicks here
    qtbot.keyClick(editor, Qt.Key.Key_Up, SHIFT)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.toPlainText().endswith(f"\n    - first\n    - second {HEART}")
    assert editor.textCursor().selectedText() == f"    - first\u2029    - second {HEART}"
    cursor = editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    assert editor.textCursor().selectionEnd() == cursor.position()
