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
