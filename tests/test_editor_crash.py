"""Crash recovery: the real editor, offscreen in a subprocess, SIGKILLed while typing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

SCRIPT = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QTextCursor
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    from journal.core.journal import Journal
    from journal.ui.bridge import JournalSignals
    from journal.ui.errors import ErrorReporter
    from journal.ui.pages.reviews import ReviewsPage

    journal = Journal.open(sys.argv[1])
    errors = ErrorReporter()
    errors.dialogs_enabled = False
    page = ReviewsPage(journal, JournalSignals(journal), errors)
    page.show()
    page.open_review(int(sys.argv[2]))
    editor = page.editor_view.editor
    editor.setFocus()
    editor.moveCursor(QTextCursor.MoveOperation.End)
    state = {"saves": 0}

    def saved(_review_id):
        state["saves"] += 1
        if state["saves"] == 1:
            print("SAVED", flush=True)
            QTest.keyClicks(editor, " UNSAVED")  # typed, never saved: killed next
            print("TYPED", flush=True)

    page.editor_view.autosaver.saved.connect(saved)
    QTest.keyClicks(editor, " Autosaved words")
    app.exec()
""")


@pytest.mark.slow
def test_sigkill_while_typing_keeps_text_up_to_last_autosave(journal_path, tmp_path):
    from journal.core.journal import Journal

    with Journal.open(journal_path) as journal:
        film = journal.films.create("L'Atalante", 1934)
        review_id = journal.reviews.create(film.id, "Opening.").id
    script = tmp_path / "editor_child.py"
    script.write_text(SCRIPT, encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    child = subprocess.Popen([sys.executable, str(script), str(journal_path), str(review_id)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                             cwd=os.getcwd())
    try:
        lines = []
        for line in child.stdout:  # type: ignore[union-attr]
            lines.append(line.strip())
            if line.strip() == "TYPED":
                break
        assert lines[-2:] == ["SAVED", "TYPED"], child.stderr.read()  # type: ignore[union-attr]
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=10) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
    with Journal.open(journal_path) as journal:  # the lock died with the process
        body = journal.reviews.get(review_id).body
        assert body == "Opening. Autosaved words"
        assert journal.check()[0]


NEW_REVIEW_SCRIPT = textwrap.dedent("""
    import sys
    import time
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    from journal.core.journal import Journal
    from journal.ui.bridge import JournalSignals
    from journal.ui.errors import ErrorReporter
    from journal.ui.pages.reviews import ReviewsPage

    journal = Journal.open(sys.argv[1])
    errors = ErrorReporter()
    errors.dialogs_enabled = False
    page = ReviewsPage(journal, JournalSignals(journal), errors)
    page.show()
    page.activateWindow()
    assert QTest.qWaitForWindowActive(page)
    page.table.setFocus()
    QTest.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # New Review
    editor = page.editor_view.editor
    assert page.editing() and app.focusWidget() is editor, app.focusWidget()
    state = {"saves": 0}

    def saved(_review_id):
        state["saves"] += 1
        if state["saves"] == 1:
            after = time.monotonic() - state["last_key"]
            print("SAVED", page.editor_view.review_id, f"{after:.3f}", flush=True)
            QTest.keyClicks(editor, " UNSAVED")
            print("TYPED", flush=True)

    page.editor_view.autosaver.saved.connect(saved)
    QTimer.singleShot(15000, lambda: (print("NOT SAVED", flush=True), app.exit(1)))
    QTest.keyClick(editor, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(editor, "First words, no film chosen")
    state["last_key"] = time.monotonic()
    app.exec()
""")


@pytest.mark.slow
def test_sigkill_while_writing_a_new_review_without_a_film_keeps_its_words(journal_path,
                                                                          tmp_path):
    """A new review is saved from its first keystroke, as a draft with no film yet: killed
    after the autosave (≤ 2 s after the last key), its words are in the journal."""
    from journal.core.journal import Journal

    with Journal.open(journal_path) as journal:
        journal.films.create("Her", 2013)  # a journal with a film: the list, not the welcome
    script = tmp_path / "new_review_child.py"
    script.write_text(NEW_REVIEW_SCRIPT, encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    child = subprocess.Popen([sys.executable, str(script), str(journal_path)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                             cwd=os.getcwd())
    try:
        lines = []
        for line in child.stdout:  # type: ignore[union-attr]
            lines.append(line.strip())
            if line.strip() in ("TYPED", "NOT SAVED"):
                break
        assert lines[-1:] == ["TYPED"], (lines, child.stderr.read())  # type: ignore[union-attr]
        _, review_id_text, seconds = lines[-2].split()
        review_id = int(review_id_text)
        assert float(seconds) < 2.0  # saved within two seconds of the last keystroke
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=10) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
    with Journal.open(journal_path) as journal:
        review = journal.reviews.get(review_id)
        assert review.film_id is None and review.status == "draft"
        assert review.body.endswith("First words, no film chosen")
        assert "UNSAVED" not in review.body
        assert journal.check()[0]
