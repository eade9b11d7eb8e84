"""Lists, quotes and the outline in the editor (issue 13, item 11): the rules themselves (no Qt),
then the keys pressed on the focused editor of the Reviews page."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from journal.core.outline import SPOILER_LEVEL, OutlineEntry, outline
from journal.ui.editor import lists

RETURN, TAB, BACKTAB = Qt.Key.Key_Return, Qt.Key.Key_Tab, Qt.Key.Key_Backtab
CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


# ---------------------------------------------------------------------- the rules
@pytest.mark.parametrize(("line", "column", "expected"), [
    ("- eyelights", 11, lists.Return(None, "- ")),
    ("* a", 3, lists.Return(None, "* ")),
    ("  + nested", 10, lists.Return(None, "  + ")),
    ("9. nine", 7, lists.Return(None, "10. ")),
    ("3) three", 8, lists.Return(None, "4) ")),
    ("- [x] done", 10, lists.Return(None, "- [ ] ")),
    ("> “A quote”", 11, lists.Return(None, "> ")),
    (">> deeper", 9, lists.Return(None, ">> ")),
    ("> - item in a quote", 19, lists.Return(None, "> - ")),
    ("- ", 2, lists.Return("", "")),           # an empty item ends the list
    ("12.  ", 5, lists.Return("", "")),
    (">", 1, lists.Return("", "")),            # an empty quote line ends the quote
    ("> - ", 4, lists.Return(">", "> ")),      # the list ends, the quote goes on
    ("- item", 1, None),                       # caret inside the marker
    ("Plain text", 10, None),
    ("-not a list", 11, None),
    ("", 0, None),
])
def test_what_return_does(line, column, expected):
    assert lists.on_return(line, column) == expected


def test_indent_and_outdent():
    assert lists.indent("- a") == "    - a"
    assert lists.indent("> 1. a") == ">     1. a"
    assert lists.outdent("      - a") == "  - a"
    assert lists.outdent("\t- a") == "- a"
    assert lists.outdent("- a") == "- a"
    assert lists.is_item("    - a") and lists.is_item("> 2) b") and not lists.is_item("text")


REVIEW = """> “An opening quote.”

## The first part

Words.

Setext heading
--------------

```
## not a heading: code
```

*MAJOR spoiler alert*

### A detail, inside

*End of spoilers*

::: spoiler The ending
Secret.
:::

# Closing ###
"""


def test_outline_lists_headings_and_spoiler_sections_with_their_lines():
    assert outline(REVIEW) == [
        OutlineEntry(3, 2, "The first part"),
        OutlineEntry(7, 2, "Setext heading"),
        OutlineEntry(14, SPOILER_LEVEL, "MAJOR spoiler alert"),
        OutlineEntry(16, 3, "A detail, inside"),
        OutlineEntry(18, SPOILER_LEVEL, "End of spoilers"),
        OutlineEntry(20, SPOILER_LEVEL, "Spoilers: The ending"),
        OutlineEntry(24, 1, "Closing"),
    ]
    assert outline("No headings at all.\n\n- a list\n---\n") == []


# ---------------------------------------------------------------------- the keys
@pytest.fixture
def editor(journal, reviews_page, qtbot):
    film = journal.films.create("Her", 2013)
    review = journal.reviews.create(film.id, "")
    page = reviews_page(1100, 700)
    page.open_review(review.id)
    page.activateWindow()
    editor = page.editor_view.editor
    editor.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is editor)
    editor.page = page
    return editor


def type_lines(qtbot, editor, *parts):
    """Each part is typed; a None between parts is a press of Return."""
    for part in parts:
        if part is None:
            qtbot.keyClick(editor, RETURN)
        else:
            qtbot.keyClicks(editor, part)


def test_return_continues_a_bulleted_list_and_a_second_return_ends_it(qtbot, editor):
    type_lines(qtbot, editor, "Eyelights:", None, "- the score", None, "the city", None, None,
               "After the list.")
    assert editor.toPlainText() == "Eyelights:\n- the score\n- the city\n\nAfter the list."


def test_numbered_lists_count_on_and_tasks_start_unticked(qtbot, editor):
    type_lines(qtbot, editor, "1. Her", None, "Lost in Translation", None, "Adaptation", None,
               None, "- [x] seen", None, "to see")
    assert editor.toPlainText() == ("1. Her\n2. Lost in Translation\n3. Adaptation\n\n"
                                    "- [x] seen\n- [ ] to see")


def test_return_continues_a_quote_and_ends_it(qtbot, editor):
    type_lines(qtbot, editor, "> You are a letter writer.", None, "Samantha", None, None, "Body.")
    assert editor.toPlainText() == "> You are a letter writer.\n> Samantha\n\nBody."


def test_return_in_the_middle_of_an_item_splits_it(qtbot, editor):
    type_lines(qtbot, editor, "- first second")
    for _ in range(len("second")):
        qtbot.keyClick(editor, Qt.Key.Key_Left)
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    qtbot.keyClick(editor, RETURN)
    assert editor.toPlainText() == "- first\n- second"


def test_shift_return_and_code_blocks_are_plain(qtbot, editor):
    type_lines(qtbot, editor, "- item")
    qtbot.keyClick(editor, RETURN, SHIFT)  # a line break inside the item, no new marker
    qtbot.keyClicks(editor, "more")
    assert "- item" in editor.toPlainText() and "- more" not in editor.toPlainText()
    editor.clear()
    type_lines(qtbot, editor, "```", None, "- in code", None, "x")
    assert editor.toPlainText() == "```\n- in code\nx"


def test_tab_and_shift_tab_indent_list_items_and_ctrl_z_undoes(qtbot, editor):
    type_lines(qtbot, editor, "- film", None, "director")
    qtbot.keyClick(editor, TAB)
    assert editor.toPlainText() == "- film\n    - director"
    assert editor.textCursor().positionInBlock() == len("    - director")
    type_lines(qtbot, editor, None, "writer")
    assert editor.toPlainText().endswith("\n    - writer")
    qtbot.keyClick(editor, BACKTAB, SHIFT)
    assert editor.toPlainText() == "- film\n    - director\n- writer"
    qtbot.keyClick(editor, Qt.Key.Key_Z, CTRL)  # one step back: the outdent
    assert editor.toPlainText() == "- film\n    - director\n    - writer"
    # several selected items at once
    editor.selectAll()
    qtbot.keyClick(editor, TAB)
    assert editor.toPlainText() == "    - film\n        - director\n        - writer"
    assert editor.textCursor().selectedText().replace("\u2029", "\n") == editor.toPlainText()


def test_tab_outside_a_list_types_a_tab(qtbot, editor):
    type_lines(qtbot, editor, "Plain")
    qtbot.keyClick(editor, TAB)
    assert editor.toPlainText() == "Plain\t"


@pytest.mark.qt_log_ignore("This plugin does not support grabbing the keyboard",
                           "This plugin does not support raise")
def test_the_outline_jumps_to_a_section(qtbot, editor):
    view = editor.page.editor_view
    body = "\n\n".join(["## Opening"] + ["Filler paragraph words. " * 12] * 30
                       + ["## The ending"] + ["Last words. " * 12] * 30)
    editor.setPlainText(body)
    editor.moveCursor(editor.textCursor().MoveOperation.Start)
    preview = view.preview
    qtbot.waitUntil(lambda: preview.result is not None and "The ending" in preview.result.html
                    and not preview.busy, timeout=5000)
    qtbot.keyClick(editor, Qt.Key.Key_O, CTRL | SHIFT)
    qtbot.waitUntil(lambda: view.outline_menu.isVisible())
    texts = [a.text() for a in view.outline_menu.actions()]
    assert texts == ["Opening", "The ending"]
    assert view.outline_menu.activeAction().text() == "Opening"  # where the caret is
    qtbot.keyClick(view.outline_menu, Qt.Key.Key_Down)
    qtbot.keyClick(view.outline_menu, RETURN)
    qtbot.waitUntil(lambda: not view.outline_menu.isVisible())
    ending = editor.toPlainText().split("\n").index("## The ending") + 1
    assert ending == 63
    assert editor.textCursor().blockNumber() + 1 == ending
    assert editor.top_line() == ending
    assert preview.top_line() == ending
    qtbot.waitUntil(lambda: QApplication.focusWidget() is editor)
