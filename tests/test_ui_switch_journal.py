"""Opening another journal while a review is being written: what was typed is saved first, and
the old journal's slow work ends before it closes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from journal.core.journal import Journal


@pytest.fixture
def controller(qtbot):
    from journal.ui.application import AppController

    made = AppController(QApplication.instance())
    made.errors.dialogs_enabled = False
    shown: list[str] = []
    made.errors.shown.connect(lambda *args: shown.append(repr(args)))
    made.shown = shown
    yield made
    made.shutdown()


def test_words_typed_just_before_opening_another_journal_are_kept(controller, qtbot, tmp_path):
    first, second = tmp_path / "first.eyelights", tmp_path / "second.eyelights"
    with Journal.open(first) as journal:
        film = journal.films.create("Sunrise", 1927)
        review_id = journal.reviews.create(film.id, "First words.").id
    Journal.open(second).close()
    assert controller.open_journal(first)
    qtbot.waitUntil(lambda: controller.journal is not None, timeout=5000)
    window = controller.window
    qtbot.addWidget(window)
    window.navigate("review", review_id)
    editor = window.reviews_page.editor_view.editor
    qtbot.waitUntil(lambda: editor.toPlainText() == "First words.", timeout=5000)
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    qtbot.keyClick(editor, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, " Then the second")
    # at once, before any autosave timer: the window moves to another journal
    assert controller.open_journal(second)
    assert controller.journal.path == second.resolve()
    with Journal.open(first, read_only=True) as journal:
        assert journal.reviews.get(review_id).body == "First words. Then the second"
    assert controller.shown == []


def test_the_old_journal_s_slow_work_is_stopped_before_it_closes(controller, qtbot, tmp_path):
    """Slow work of the window's (an import, a catalogue run: a ``Worker`` with a cancel token)
    writing into the first journal when the user opens another: it is cancelled and waited for,
    then the journal closes; it never writes into a closed journal."""
    import time

    from journal.ui.bridge import Worker

    first, second = tmp_path / "first.eyelights", tmp_path / "second.eyelights"
    Journal.open(first).close()
    Journal.open(second).close()
    assert controller.open_journal(first)
    qtbot.waitUntil(lambda: controller.journal is not None, timeout=5000)
    window = controller.window
    qtbot.addWidget(window)
    journal = controller.journal
    ended: list[str] = []

    def work(token):
        written = 0
        try:
            while not token.cancelled:
                journal.films.create(f"Film {written}", 2000)
                written += 1
                time.sleep(0.01)
            ended.append(f"cancelled after {written}")
        except BaseException as exc:
            ended.append(f"failed: {type(exc).__name__}: {exc}")
            raise
        finally:
            journal.release_thread_connection()

    worker = Worker(work, window)
    worker.start()
    qtbot.waitUntil(lambda: journal.films.count() >= 3, timeout=5000)
    assert controller.open_journal(second)
    assert len(ended) == 1 and ended[0].startswith("cancelled after"), ended
    written = int(ended[0].rsplit(" ", 1)[1])
    with Journal.open(first) as reopened:
        assert reopened.films.count() == written
