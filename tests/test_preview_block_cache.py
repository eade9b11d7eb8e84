"""The preview's renders go through one renderer, whichever pool thread runs them, so a
keystroke re-renders the block it changed and takes the others from the block cache (issue 19:
keystroke → preview at 100 KB). A thread's own renderer did not do: Python forgets a Qt pool
thread's ``threading.local`` between two runs, and every render started from an empty cache."""

from __future__ import annotations

from PySide6.QtGui import QTextCursor


def test_a_keystroke_re_renders_only_its_block(qtbot, journal, reviews_page):
    film = journal.films.create("Her", 2013)
    body = "\n\n".join(f"Paragraph {n}: the light, the sound, the city." for n in range(60))
    review = journal.reviews.create(film.id, body)
    page = reviews_page()
    page.open_review(review.id)
    preview = page.editor_view.preview
    qtbot.waitUntil(lambda: preview.result is not None and not preview.busy)
    editor = page.editor_view.editor
    editor.setFocus()
    editor.moveCursor(QTextCursor.MoveOperation.End)
    for char in "xyz":  # each render on whichever pool thread is free
        with qtbot.waitSignal(preview.updated, timeout=10_000):
            qtbot.keyClick(editor, char)
        qtbot.waitUntil(lambda: not preview.busy)
        blocks = preview.renderer.blocks
        assert (blocks.misses, blocks.hits) == (1, 59)  # the last paragraph only
    assert "the city.xyz" in preview.browser.toPlainText()
