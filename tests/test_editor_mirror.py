"""The editor's text kept edit by edit (``ui/editor/mirror.py``) is always ``toPlainText()``:
typed keys, emoji (two of Qt's positions, one of Python's), no-break spaces and line
separators (which ``toPlainText`` rewrites), pastes with CR LF, undo and redo, a whole new
text; a change Qt does not report is caught at the next read."""

from __future__ import annotations

from fuzz_helpers import examples  # (tests/ is on sys.path: conftest.py)
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import QApplication

from journal.ui.editor import utf16

ALPHABET = st.sampled_from(list("ab é\n") + ["\r\n", "\r", "😀", "🎬", "\u00a0", "\u2028",
                                              "\u2029", "—", "**", "> ", "\t"])
TEXT = st.lists(ALPHABET, max_size=40).map("".join)


def make_editor(qtbot):
    from journal.ui.editor.widget import MarkdownEditor

    editor = MarkdownEditor()
    qtbot.addWidget(editor)
    editor.resize(500, 300)
    editor.show()
    return editor


def qt_position(editor, fraction: float) -> int:
    """A position between two characters (never inside an emoji's pair of units)."""
    text = editor.toPlainText()
    index = int(fraction * len(text))
    table = utf16.offsets(text)
    return table[index] if table else index


EDIT = st.one_of(
    st.tuples(st.just("insert"), st.floats(0, 1), TEXT),
    st.tuples(st.just("delete"), st.floats(0, 1), st.floats(0, 1)),
    st.tuples(st.just("replace"), st.floats(0, 1), st.floats(0, 1), TEXT),
    st.tuples(st.just("undo")), st.tuples(st.just("redo")),
    st.tuples(st.just("set_text"), TEXT),
)


@examples(60, qt=True)
@given(start=TEXT, edits=st.lists(EDIT, max_size=10))
def test_the_mirror_is_the_plain_text_after_any_edits(qtbot, start, edits):
    editor = make_editor(qtbot)
    editor.set_text(start)
    assert editor.text() == editor.toPlainText()
    for edit in edits:
        cursor = editor.textCursor()
        if edit[0] == "insert":
            cursor.setPosition(qt_position(editor, edit[1]))
            cursor.insertText(edit[2])
        elif edit[0] in ("delete", "replace"):
            cursor.setPosition(qt_position(editor, edit[1]))
            cursor.setPosition(qt_position(editor, edit[2]), QTextCursor.MoveMode.KeepAnchor)
            if edit[0] == "delete":
                cursor.removeSelectedText()
            else:
                cursor.insertText(edit[3])
        elif edit[0] == "undo":
            editor.undo()
        elif edit[0] == "redo":
            editor.redo()
        else:
            editor.set_text(edit[1])
        assert editor.text() == editor.toPlainText(), edit
    assert editor.mirror.resyncs == 0  # every change was followed, none taken whole


def test_typing_keys_emoji_and_returns_keeps_the_text(qtbot):
    editor = make_editor(qtbot)
    editor.set_text("A line with 🎬 an emoji\u00a0and a no-break space\n\nSecond 😀 paragraph")
    editor.setFocus()
    editor.moveCursor(QTextCursor.MoveOperation.End)
    for key in (Qt.Key.Key_Left, Qt.Key.Key_Left, Qt.Key.Key_Backspace, Qt.Key.Key_X,
                Qt.Key.Key_Return, Qt.Key.Key_Y):
        qtbot.keyClick(editor, key)
        assert editor.text() == editor.toPlainText()
    for text in ("🍿", "é"):  # one QKeyEvent each (pytest-qt's keyClicks: ASCII only)
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(editor, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier,
                                                     text))
        assert editor.text() == editor.toPlainText()
    editor.moveCursor(QTextCursor.MoveOperation.Start)
    for _ in range(13):
        qtbot.keyClick(editor, Qt.Key.Key_Right)
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)  # the first emoji, from after it
    assert "🎬" not in editor.text()
    assert editor.text() == editor.toPlainText()
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undone
    assert "🎬" in editor.text()
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    assert editor.text() == editor.toPlainText()
    assert "\u00a0" not in editor.text()  # rewritten as toPlainText rewrites it
    assert editor.mirror.resyncs == 0


def test_a_change_qt_does_not_report_is_caught_at_the_next_read(qtbot):
    editor = make_editor(qtbot)
    editor.set_text("one two")
    assert editor.text() == "one two"  # (a new text is copied whole at its first read)
    document = editor.document()
    inserted = []

    def insert_inside(_position: int, _removed: int, _added: int) -> None:
        if not inserted:  # Qt reports no change made while it reports one
            inserted.append(True)
            QTextCursor(document).insertText("zero ")

    document.contentsChange.connect(insert_inside)
    editor.moveCursor(QTextCursor.MoveOperation.End)
    editor.insertPlainText(" three")
    assert editor.toPlainText() == "zero one two three"
    assert editor.text() == "zero one two three"
    assert editor.mirror.resyncs == 1


def test_a_save_stores_the_document_s_text_even_when_the_copy_went_wrong(qtbot, journal,
                                                                        reviews_page,
                                                                        expect_log):
    """The copy serves the preview; a save stores Qt's own text. A change of the same length
    made unreported (here from inside a change's report, as a buggy handler would) escapes
    the copy's length check: the save still stores what is on screen, says so in the log,
    and mends the copy."""
    film = journal.films.create("Her", 2013)
    review = journal.reviews.create(film.id, "A warm film.")
    page = reviews_page()
    page.open_review(review.id)
    editor = page.editor_view.editor
    assert editor.text() == "A warm film."
    document = editor.document()
    done = []

    def same_length_swap(_position: int, _removed: int, _added: int) -> None:
        if not done:  # Qt reports no change made while it reports one
            done.append(True)
            cursor = QTextCursor(document)
            cursor.setPosition(2)
            cursor.setPosition(6, QTextCursor.MoveMode.KeepAnchor)
            cursor.insertText("cool")

    document.contentsChange.connect(same_length_swap)
    editor.setFocus()
    editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClick(editor, Qt.Key.Key_Exclam)
    assert editor.toPlainText() == "A cool film.!"
    assert editor.text() == "A warm film.!"  # the copy went wrong, unseen by its length
    expect_log("the editor's copy of the text differed from the document at character 2 "
               "of 13; the document's was saved")
    assert page.flush()
    assert journal.reviews.get(review.id).body == "A cool film.!"
    assert editor.text() == "A cool film.!"  # mended
    # and the preview, drawn from the copy, follows without waiting for the next key
    browser = page.editor_view.preview.browser
    qtbot.waitUntil(lambda: "A cool film.!" in browser.toPlainText(), timeout=5000)
