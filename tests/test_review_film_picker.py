"""Opening a review fills the film picker with the review's film alone; the whole catalogue
comes the first time the user reaches for the picker (issue 19: the journal's size must not
delay the preview)."""

from __future__ import annotations

from PySide6.QtCore import Qt


def test_the_picker_lists_every_film_once_reached_for(qtbot, journal, reviews_page):
    with journal.write():
        for n in range(300):
            journal.films.create(f"Padding {n}", 1950 + n % 70)
    stalker = journal.films.create("Stalker", 1979)
    review = journal.reviews.create(stalker.id, "The Zone.")
    page = reviews_page()
    page.open_review(review.id)
    form = page.editor_view.form
    picker = form.film_combo
    assert picker.count() == 1 and picker.currentText() == "Stalker (1979)"
    assert form.film_id() == stalker.id
    qtbot.mouseClick(picker.lineEdit(), Qt.MouseButton.LeftButton)  # the user reaches for it
    qtbot.waitUntil(lambda: picker.count() == 301)
    assert form.film_id() == stalker.id and picker.currentText() == "Stalker (1979)"
    assert journal.reviews.get(review.id).updated_at == review.updated_at  # nothing saved


def test_a_new_review_lists_every_film_at_once(qtbot, journal, reviews_page):
    for title in ("Her", "Stalker", "Alien"):
        journal.films.create(title, 1979)
    page = reviews_page()
    page.editor_view.new_review()
    assert page.editor_view.form.film_combo.count() == 3


def test_a_saved_draft_without_a_film_opens_without_the_catalogue(qtbot, journal, reviews_page):
    with journal.write():
        for n in range(300):
            journal.films.create(f"Padding {n}", 1950 + n % 70)
    draft = journal.reviews.create(None, "Notes before choosing the film.")
    page = reviews_page()
    page.open_review(draft.id)
    form = page.editor_view.form
    picker = form.film_combo
    assert picker.count() == 0 and picker.currentText() == "" and form.film_id() is None
    qtbot.mouseClick(picker.lineEdit(), Qt.MouseButton.LeftButton)  # the user reaches for it
    qtbot.waitUntil(lambda: picker.count() == 300)
    assert form.film_id() is None and picker.currentText() == ""
    assert journal.reviews.get(draft.id).updated_at == draft.updated_at  # nothing saved


def test_opening_a_review_from_the_list_leaves_the_picker_unloaded(qtbot, journal, reviews_page):
    """Return on a row: the editor takes the focus straight from the list. Switching pages used
    to hand it to the form's first field on the way, the picker, which then read every film."""
    with journal.write():
        for n in range(300):
            journal.films.create(f"Padding {n}", 1950 + n % 70)
    stalker = journal.films.create("Stalker", 1979)
    review = journal.reviews.create(stalker.id, "The Zone.")
    page = reviews_page()
    page.table.setFocus()
    qtbot.waitUntil(page.table.hasFocus)
    qtbot.keyClick(page.table, Qt.Key.Key_Home)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.editing() and page.editor_view.review_id == review.id)
    qtbot.waitUntil(page.editor_view.editor.hasFocus)
    assert page.editor_view.form.film_combo.count() == 1  # the review's film alone
