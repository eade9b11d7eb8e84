"""The preview follows the writer (issue 13, item 7), driven by key presses on the focused editor:
typing at the end of a long review keeps the typed words in view in the preview; a review
opened again shows its header; the app reopens on the review that was open, caret in place."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication

from journal.ui.bridge import JournalSignals
from journal.ui.errors import ErrorReporter
from journal.ui.mainwindow import MainWindow

CTRL = Qt.KeyboardModifier.ControlModifier


def long_body(sections: int = 14) -> str:
    parts = ["> “An opening quote.”", ""]
    for n in range(1, sections + 1):
        parts += [f"## Part {n}", ""]
        for p in range(3):
            parts += [f"Paragraph {n}.{p}: " + "the city hums in warm colours " * 14, ""]
    parts += ["Date of viewing: January 24, 2014"]
    return "\n".join(parts)


def focused():
    return QApplication.focusWidget()


def preview_shows(preview, text: str) -> bool:
    """``text`` is drawn inside the preview's viewport."""
    found = preview.browser.document().find(text, 0, QTextDocument.FindFlag.FindCaseSensitively)
    assert not found.isNull(), text
    rect = preview.browser.cursorRect(found)
    return 0 <= rect.top() and rect.bottom() <= preview.browser.viewport().height()


def wait_rendered(qtbot, preview, text: str) -> None:
    qtbot.waitUntil(lambda: preview.result is not None and text in preview.result.html
                    and not preview.busy, timeout=5000)


@pytest.fixture
def two_reviews(journal):
    her = journal.films.create("Her", 2013, directors=["Spike Jonze"])
    other = journal.films.create("Lost in Translation", 2003)
    first = journal.reviews.create(her.id, long_body(), score="8.5", title="Her")
    second = journal.reviews.create(other.id, long_body(9), score="9")
    return first.id, second.id


def test_typing_at_the_end_of_a_long_review_keeps_it_in_view(qtbot, reviews_page,
                                                             two_reviews):
    page = reviews_page(1200, 700)
    page.open_review(two_reviews[0])
    view = page.editor_view
    wait_rendered(qtbot, view.preview, "Part 14")
    view.editor.setFocus()
    qtbot.waitUntil(lambda: focused() is view.editor)
    qtbot.keyClick(view.editor, Qt.Key.Key_End, CTRL)
    for word in ("Closing", "words", "typed", "here"):
        qtbot.keyClick(view.editor, Qt.Key.Key_Return)
        qtbot.keyClicks(view.editor, word + "Mark")
        wait_rendered(qtbot, view.preview, word + "Mark")
        assert preview_shows(view.preview, word + "Mark"), word
    # typing in the middle after scrolling the preview away: it comes back to the caret
    view.preview.browser.verticalScrollBar().setValue(0)
    qtbot.keyClicks(view.editor, " again")
    wait_rendered(qtbot, view.preview, "hereMark again")
    assert preview_shows(view.preview, "hereMark again")


def test_typing_at_once_after_opening_shows_the_typed_words(qtbot, reviews_page, two_reviews):
    """The words are typed before the review's first rendering arrives: that rendering stands
    where the editor does and then shows the caret's place."""
    page = reviews_page(1200, 700)
    page.open_review(two_reviews[0])
    view = page.editor_view
    view.editor.setFocus()
    qtbot.keyClick(view.editor, Qt.Key.Key_End, CTRL)
    qtbot.keyClick(view.editor, Qt.Key.Key_Return)
    qtbot.keyClicks(view.editor, "QuickFingers")
    assert view.preview.result is None  # nothing rendered yet
    wait_rendered(qtbot, view.preview, "QuickFingers")
    assert preview_shows(view.preview, "QuickFingers")


def test_an_edit_away_from_the_caret_leaves_the_preview_where_it_is(qtbot, reviews_page,
                                                                    two_reviews):
    from PySide6.QtGui import QTextCursor

    page = reviews_page(1200, 700)
    page.open_review(two_reviews[0])
    view = page.editor_view
    wait_rendered(qtbot, view.preview, "Part 14")
    bar = view.preview.browser.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    kept = bar.value()
    cursor = QTextCursor(view.editor.document())  # not the writer's caret (replace all, say)
    cursor.movePosition(QTextCursor.MoveOperation.End)
    cursor.insertText(" appended")
    wait_rendered(qtbot, view.preview, "2014 appended")
    assert abs(bar.value() - kept) <= 2


def test_a_review_opened_again_shows_its_header(qtbot, reviews_page, two_reviews):
    page = reviews_page(1200, 700)
    first, second = two_reviews
    view = page.editor_view
    for review_id in (first, second, first):
        page.open_review(review_id)
        wait_rendered(qtbot, view.preview, "Date of viewing")
        assert view.preview.browser.verticalScrollBar().value() == 0
        assert preview_shows(view.preview, "8.5" if review_id == first else "9.0")
        view.editor.setFocus()
        qtbot.waitUntil(lambda: focused() is view.editor)
        qtbot.keyClick(view.editor, Qt.Key.Key_End, CTRL)  # read to the end, then leave
        qtbot.waitUntil(lambda: view.preview.browser.verticalScrollBar().value() > 0)
        qtbot.mouseClick(page.back_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not page.editing())


# ---------------------------------------------------------------------- reopening the app
def make_window(journal, settings, qtbot):
    errors = ErrorReporter()
    errors.dialogs_enabled = False
    signals = JournalSignals(journal)
    win = MainWindow(journal, signals, settings, errors, lambda parent: None)
    qtbot.addWidget(win)
    win.resize(1200, 760)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    win.test_signals = signals
    return win


def close(win, qtbot):
    win.close()
    qtbot.waitUntil(lambda: not win.isVisible())
    win.test_signals.detach()


def test_the_app_reopens_on_the_review_that_was_open_caret_in_place(qtbot, journal,
                                                                    two_reviews, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    first, second = two_reviews
    win = make_window(journal, settings, qtbot)
    page = win.reviews_page
    qtbot.waitUntil(lambda: page.model.row_of(second) is not None)
    page.table.setFocus()
    qtbot.waitUntil(lambda: focused() is page.table)
    row = page.model.row_of(second)
    qtbot.keyClick(page.table, Qt.Key.Key_Home)
    for _ in range(row):
        qtbot.keyClick(page.table, Qt.Key.Key_Down)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.editing() and page.editor_view.review_id == second)
    editor = page.editor_view.editor
    qtbot.waitUntil(lambda: focused() is editor)
    qtbot.keyClick(editor, Qt.Key.Key_End, CTRL)
    for _ in range(7):
        qtbot.keyClick(editor, Qt.Key.Key_Up)
    qtbot.keyClick(editor, Qt.Key.Key_Right)
    caret = editor.textCursor().position()
    assert 0 < caret < len(editor.toPlainText()) - 50
    close(win, qtbot)

    again = make_window(journal, settings, qtbot)
    view = again.reviews_page.editor_view
    assert again.reviews_page.editing() and view.review_id == second
    assert view.editor.textCursor().position() == caret
    qtbot.waitUntil(lambda: focused() is view.editor)
    top, bottom = view.editor.visible_blocks()
    assert top <= view.editor.textCursor().blockNumber() <= bottom  # the caret is in view
    # back to the list, closed there: the next start is on the list
    qtbot.mouseClick(again.reviews_page.back_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not again.reviews_page.editing())
    close(again, qtbot)
    third = make_window(journal, settings, qtbot)
    assert not third.reviews_page.editing()
    close(third, qtbot)


def test_the_place_is_kept_per_journal(qtbot, journal, two_reviews, tmp_path):
    from journal.core.journal import Journal

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = make_window(journal, settings, qtbot)
    win.reviews_page.open_review(two_reviews[0])
    close(win, qtbot)
    with Journal.open(tmp_path / "other.eyelights") as other:
        film = other.films.create("Stalker", 1979)
        other.reviews.create(film.id, "The Zone.")
        win = make_window(other, settings, qtbot)
        assert not win.reviews_page.editing()  # review #1 of the other journal is not opened
        close(win, qtbot)
    win = make_window(journal, settings, qtbot)
    assert win.reviews_page.editor_view.review_id == two_reviews[0]
    close(win, qtbot)


def _her_review_at_its_end(qtbot, reviews_page, journal):
    """The reference review opened at 1030×700, rendered, the caret moved to its end with
    Ctrl+End in the focused editor."""
    from pathlib import Path

    body = (Path(__file__).parent / "data" / "her-review.md").read_text(encoding="utf-8")
    review = journal.reviews.create(None, body)
    page = reviews_page(1030, 700)
    page.open_review(review.id)
    view = page.editor_view
    wait_rendered(qtbot, view.preview, "Date of viewing")
    view.editor.setFocus()
    qtbot.waitUntil(lambda: focused() is view.editor)
    qtbot.keyClick(view.editor, Qt.Key.Key_End, CTRL)
    return view


def test_typing_below_the_last_paragraph_of_a_real_review_shows_it(qtbot, reviews_page,
                                                                   journal):
    """The reference review (quotes, sections, a spoiler section, the date line last), typed at
    its very end: Qt lays the new rendering out lazily and widened the scroll bar only after the
    preview had scrolled, so the typed words stayed just below the preview's bottom edge."""
    view = _her_review_at_its_end(qtbot, reviews_page, journal)
    qtbot.keyClicks(view.editor, "Seen at the Cinema du Parc")
    wait_rendered(qtbot, view.preview, "Cinema du Parc")
    assert preview_shows(view.preview, "Cinema du Parc")


def test_ctrl_end_in_the_editor_shows_the_end_of_the_preview(qtbot, reviews_page, journal):
    """The two panes are lined up by their top lines; the rendering is taller than the text, so
    with the editor at its end the review's last lines stayed below the preview."""
    view = _her_review_at_its_end(qtbot, reviews_page, journal)
    qtbot.waitUntil(lambda: preview_shows(view.preview, "Date of viewing: January 24"))
    qtbot.keyClick(view.editor, Qt.Key.Key_Home, CTRL)  # and back: the header again
    qtbot.waitUntil(lambda: view.preview.browser.verticalScrollBar().value() == 0)


def test_after_a_crash_the_app_reopens_where_the_writer_was_typing(qtbot, journal, two_reviews,
                                                                   tmp_path):
    """Killed while writing: no close, no page switch. The place reached the settings file with
    the autosave, so the next start puts the caret where the words were being typed (it used to
    go back to where the review had been opened)."""
    import re

    from journal.ui.editor.place import load_place

    ini = tmp_path / "settings.ini"
    settings = QSettings(str(ini), QSettings.Format.IniFormat)
    win = make_window(journal, settings, qtbot)
    page = win.reviews_page
    page.open_review(two_reviews[0])
    editor = page.editor_view.editor
    editor.setFocus()
    qtbot.waitUntil(lambda: focused() is editor)
    qtbot.keyClick(editor, Qt.Key.Key_End, CTRL)
    for _ in range(30):
        qtbot.keyClick(editor, Qt.Key.Key_Up)
    qtbot.keyClicks(editor, " typed here")
    caret = editor.textCursor().position()
    qtbot.waitUntil(lambda: " typed here" in journal.reviews.get(two_reviews[0]).body,
                    timeout=4000)
    assert load_place(settings, journal.path).caret == caret
    qtbot.waitUntil(lambda: f"caret={caret}" in re.sub(r"\s", "", ini.read_text()),
                    timeout=3000)  # on disk, without the window being closed
    win.test_signals.detach()


def test_reopened_at_the_end_of_a_review_with_an_emoji_the_caret_is_at_its_end(
        qtbot, journal, tmp_path):
    """The caret is kept in Qt's units (an emoji counts two); it was clamped to the text's
    length in Python's (one), so a caret at the very end came back one character short and the
    next word went in before the last letter."""
    film = journal.films.create("Her", 2013)
    review = journal.reviews.create(film.id, "Bring someone you miss. \U0001F494\n\nThe end")
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = make_window(journal, settings, qtbot)
    win.reviews_page.open_review(review.id)
    editor = win.reviews_page.editor_view.editor
    editor.setFocus()
    qtbot.waitUntil(lambda: focused() is editor)
    qtbot.keyClick(editor, Qt.Key.Key_End, CTRL)
    close(win, qtbot)

    again = make_window(journal, settings, qtbot)
    editor = again.reviews_page.editor_view.editor
    qtbot.waitUntil(lambda: focused() is editor)
    qtbot.keyClicks(editor, "ing")
    assert editor.toPlainText().endswith("The ending")
    close(again, qtbot)
