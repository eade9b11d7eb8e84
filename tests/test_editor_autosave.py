"""Autosave (idle, focus loss, Ctrl+S), invalid scores, new reviews, revisions and restore."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from PySide6.QtGui import QTextCursor


@pytest.fixture
def page(journal, reviews_page):
    film = journal.films.create("Sunrise", 1927)
    review = journal.reviews.create(film.id, "First words.", score="9")
    page = reviews_page()
    page.open_review(review.id)
    page.film_id, page.review_id = film.id, review.id
    return page


def stored(journal, review_id):
    return journal.reviews.get(review_id)


def type_at_end(qtbot, editor, text: str) -> None:
    editor.setFocus()
    editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(editor, text)


def test_autosave_writes_within_two_seconds_of_the_last_keystroke(qtbot, page, journal):
    type_at_end(qtbot, page.editor_view.editor, " More")
    last_key = time.monotonic()
    qtbot.waitUntil(lambda: stored(journal, page.review_id).body == "First words. More",
                    timeout=2000)
    assert time.monotonic() - last_key < 2.0
    assert page.editor_view.save_label.text().startswith("Saved")


def test_typing_without_a_pause_is_saved_within_two_seconds(qtbot, page, journal):
    """A writer who never pauses for the idle delay: what was typed is still saved every
    ≤ 2 s (it used to wait 8 s — a paragraph lost to a crash)."""
    from PySide6.QtCore import Qt

    view = page.editor_view
    editor = view.editor
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    qtbot.keyClick(editor, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    saved_while_typing = []
    started = time.monotonic()
    for char in " Typed on and on without pausing once":
        qtbot.keyClick(editor, char)
        qtbot.wait(90)  # well under the idle delay: never a pause
        if not saved_while_typing and "Typed" in stored(journal, page.review_id).body:
            saved_while_typing.append(time.monotonic() - started)
    typing = time.monotonic() - started
    assert saved_while_typing, f"nothing saved in {typing:.1f} s of typing"


def test_focus_loss_saves_at_once(qtbot, page, journal):
    view = page.editor_view
    view.autosaver._idle.setInterval(60_000)  # only the focus change may save here
    view.autosaver._max.setInterval(60_000)
    type_at_end(qtbot, view.editor, " Gone")
    assert stored(journal, page.review_id).body == "First words."
    view.form.title_edit.setFocus()
    qtbot.waitUntil(lambda: not view.editor.hasFocus(), timeout=1000)
    assert stored(journal, page.review_id).body == "First words. Gone"


def test_ctrl_s_and_flush_save_immediately(qtbot, page, journal):
    view = page.editor_view
    view.autosaver._idle.setInterval(60_000)
    view.editor.insertPlainText("X")
    page.act_save.trigger()
    assert stored(journal, page.review_id).body.startswith("X")
    view.editor.insertPlainText("Y")
    assert page.flush()
    assert stored(journal, page.review_id).body.startswith("XY")


def test_invalid_score_shows_inline_message_and_is_not_saved(qtbot, page, journal):
    form = page.editor_view.form
    form.score_edit.setFocus()
    form.score_edit.selectAll()
    qtbot.keyClicks(form.score_edit, "11")
    assert form.score_error.isVisible()
    assert "0 to 10" in form.score_error.text()
    page.editor_view.editor.insertPlainText("Still saved. ")
    assert page.flush()
    review = stored(journal, page.review_id)
    assert review.score == Decimal("9.0") and review.body.startswith("Still saved.")
    form.score_edit.selectAll()
    qtbot.keyClicks(form.score_edit, "7.5")
    assert not form.score_error.isVisible()
    page.flush()
    assert stored(journal, page.review_id).score == Decimal("7.5")


def test_score_steps_by_a_tenth_with_arrow_keys(qtbot, page):
    from PySide6.QtCore import Qt

    form = page.editor_view.form
    qtbot.keyClick(form.score_edit, Qt.Key.Key_Up)
    assert form.score_edit.text() == "9.1"
    form.score_edit.setText("")
    qtbot.keyClick(form.score_edit, Qt.Key.Key_Down)
    assert form.score_edit.text() == "0.0"


def test_restoring_a_revision_keeps_the_current_text(qtbot, page, journal):
    view = page.editor_view
    first = view.autosaver.snapshot("manual")
    assert first is not None
    view.editor.insertPlainText("Current draft. ")
    dialog = view.show_revisions()  # saves the current text first
    assert dialog is not None and dialog.list.count() == 1
    assert "Current draft." in dialog.diff.toPlainText()
    assert dialog.restore_selected()
    assert view.editor.toPlainText() == "First words."
    bodies = [r.body for r in journal.reviews.revisions(page.review_id)]
    assert "Current draft. First words." in bodies  # kept as a revision before restoring
    assert stored(journal, page.review_id).body == "First words."


def test_periodic_snapshots_while_editing(qtbot, page, journal):
    view = page.editor_view
    view.autosaver.snapshot_interval = 0.0
    view.editor.insertPlainText("A")
    page.flush()
    revisions = journal.reviews.revisions(page.review_id)
    assert [r.reason for r in revisions] == ["autosave"]
    assert revisions[0].body == "AFirst words."


def test_log_a_new_viewing_from_the_form(qtbot, page, journal):
    form = page.editor_view.form
    form.viewing_combo.setCurrentIndex(form.viewing_combo.count() - 1)
    form.viewing_combo.activated.emit(form.viewing_combo.count() - 1)
    assert form.viewing_date.isVisible()
    form.viewing_date.setText("2013-31-01")
    assert form.log_viewing() is None and form.viewing_error.isVisible()
    form.viewing_date.setText("2014-01-24")
    viewing_id = form.log_viewing()
    assert viewing_id is not None
    page.flush()
    assert stored(journal, page.review_id).viewing_id == viewing_id


def test_duplicate_and_delete_to_trash(qtbot, page, journal):
    copy_id = page.duplicate()
    assert copy_id is not None and copy_id != page.review_id
    assert stored(journal, copy_id).body == "First words."
    assert page.editor_view.review_id == copy_id
    assert page.delete()
    assert not page.editing()
    assert copy_id not in [r.id for r in journal.reviews.rows()]
    assert journal.trash.groups()


@pytest.fixture
def long_page(journal, reviews_page):
    """A long review (its save takes long enough to be done on a worker)."""
    from journal.core.synthetic import review_body

    film = journal.films.create("Greed", 1924)
    body = review_body(seed=3, approx_bytes=120_000)
    review = journal.reviews.create(film.id, body)
    page = reviews_page()
    page.open_review(review.id)
    page.review_id, page.body = review.id, body
    return page


def _record_update_threads(monkeypatch, journal, pause: float = 0.0) -> list[bool]:
    """Wrap ``journal.reviews.update``: the list says, per call, whether it ran on the GUI
    thread; ``pause`` makes each call on a worker last that much longer."""
    import threading

    threads: list[bool] = []
    update = journal.reviews.update

    def recorded(*args, **kwargs):
        threads.append(threading.current_thread() is threading.main_thread())
        if not threads[-1]:
            time.sleep(pause)
        return update(*args, **kwargs)

    monkeypatch.setattr(journal.reviews, "update", recorded)
    return threads


def test_a_long_review_is_saved_on_a_worker_while_typing(qtbot, long_page, journal,
                                                         monkeypatch):
    """A 1 MB review's save took 70-130 ms on the GUI thread, the longest stall while typing
    in it: the timers' saves of a long review run on a worker, and say so when done."""
    view = long_page.editor_view
    threads = _record_update_threads(monkeypatch, journal)
    saved = []
    view.autosaver.saved.connect(saved.append)
    type_at_end(qtbot, view.editor, " Typed")
    assert view.autosaver.dirty
    qtbot.waitUntil(lambda: bool(saved), timeout=5000)
    assert threads == [False]
    assert stored(journal, long_page.review_id).body == long_page.body + " Typed"
    assert not view.autosaver.dirty
    assert view.save_label.text().startswith("Saved")


def test_closing_waits_for_a_save_on_a_worker_and_saves_what_came_after(qtbot, long_page,
                                                                        journal, monkeypatch):
    """Text typed while a worker saves is saved by the next save: a flush (close, page
    switch) waits for the worker, then writes the rest — in that order, never the older text
    last."""
    view = long_page.editor_view
    threads = _record_update_threads(monkeypatch, journal, pause=0.4)
    type_at_end(qtbot, view.editor, " One")
    view.autosaver._idle.setInterval(10)
    qtbot.waitUntil(lambda: bool(threads), timeout=5000)  # the worker's save has begun
    qtbot.keyClicks(view.editor, " Two")
    assert view.autosaver.dirty
    assert long_page.flush()
    assert threads == [False, True]
    assert stored(journal, long_page.review_id).body == long_page.body + " One Two"
    assert not view.autosaver.dirty
    qtbot.wait(800)  # (a worker's save still running would be done by now)
    assert stored(journal, long_page.review_id).body == long_page.body + " One Two"
