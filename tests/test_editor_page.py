"""The Reviews page list, find/replace, formatting commands, focus mode, zoom, word count."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QTextCursor


@pytest.fixture
def page(journal, reviews_page):
    films = [journal.films.create(t, y) for t, y in
             (("Metropolis", 1927), ("Nosferatu", 1922), ("Amélie", 2001))]
    ids = [journal.reviews.create(f.id, f"About {f.title}. Cat cat CAT concatenate.",
                                  score=str(s)).id for f, s in zip(films, (9, 7.5, 8), strict=True)]
    page = reviews_page()
    page.ids = ids
    return page


def test_model_is_sound_and_filter_folds_accents(qtmodeltester, qtbot, page):
    qtmodeltester.check(page.model)
    assert page.model.rowCount() == 3
    page.filter.setText("amelie")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=5000)
    assert page.model.row_at(0).film_title == "Amélie"


def test_model_refresh_updates_rows_in_place(qtbot, qtmodeltester, page, journal):
    page.table.selectRow(0)
    selected = page.selected_review_id()
    other = next(i for i in page.ids if i != selected)
    journal.reviews.update(other, status="published")
    qtbot.waitUntil(lambda: any(page.model.row_at(r).status == "published"
                                for r in range(page.model.rowCount())), timeout=2000)
    assert page.selected_review_id() == selected
    journal.reviews.delete(other)
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=2000)
    qtmodeltester.check(page.model)


def test_open_from_list_and_back(qtbot, page):
    page.table.selectRow(0)
    review_id = page.selected_review_id()
    page.open_selected()
    assert page.editing() and page.editor_view.review_id == review_id
    page.back_button.click()
    assert not page.editing() and page.selected_review_id() == review_id


def _open(page):
    page.open_review(page.ids[0])
    return page.editor_view


def test_find_options_and_replace_all_takes_a_snapshot(qtbot, page, journal):
    view = _open(page)
    bar = view.findbar
    page.act_replace.trigger()
    assert bar.isVisible() and bar.replace_edit.isVisible()
    bar.find_edit.setText("cat")
    bar.word_box.setChecked(True)
    bar.case_box.setChecked(True)
    assert bar.find_next() and view.editor.textCursor().selectedText() == "cat"
    bar.case_box.setChecked(False)
    bar.replace_edit.setText("dog")
    assert bar.replace_all() == 3  # Cat, cat, CAT — not concatenate
    assert "dog dog dog concatenate" in view.editor.toPlainText()
    assert [r.reason for r in journal.reviews.revisions(page.ids[0])] == ["before replace all"]
    bar.regex_box.setChecked(True)
    bar.word_box.setChecked(False)
    bar.find_edit.setText(r"con(\w+)")
    bar.replace_edit.setText(r"$1!")
    assert bar.replace_all() == 1 and "catenate!" in view.editor.toPlainText()
    bar.find_edit.setText("([")
    assert bar.replace_all() == 0 and "Invalid" in bar.message.text()


def test_formatting_commands(qtbot, page):
    view = _open(page)
    editor = view.editor
    editor.set_text("word")
    editor.selectAll()
    view.act_bold.trigger()
    assert editor.toPlainText() == "**word**"
    view.act_heading.trigger()
    assert editor.toPlainText() == "## **word**"
    editor.set_text("line one\nline two")
    editor.selectAll()
    view.act_quote.trigger()
    assert editor.toPlainText() == "> line one\n> line two"
    editor.selectAll()
    view.act_spoiler.trigger()
    assert editor.toPlainText().startswith("::: spoiler\n> line one") and \
        editor.toPlainText().endswith("\n:::")
    editor.set_text("")
    view.act_film_link.trigger()
    assert editor.toPlainText() == "[[Film title (Year)]]"
    assert editor.textCursor().selectedText() == "Film title (Year)"
    editor.document().undo()
    assert editor.toPlainText() == ""


def test_focus_mode_dims_all_but_the_current_paragraph(qtbot, page):
    view = _open(page)
    editor = view.editor
    editor.set_text("First para\nstill first\n\nSecond para\n\nThird")
    cursor = editor.textCursor()
    cursor.setPosition(editor.toPlainText().index("Second"))
    editor.setTextCursor(cursor)
    page.act_focus.setChecked(True)
    text = editor.toPlainText()
    start, end = text.index("Second"), text.index("Second") + len("Second para")
    assert editor.dimmed_ranges() == [(0, start), (end, len(text))]
    page.act_focus.setChecked(False)
    assert editor.dimmed_ranges() == []


def test_zoom_stats_and_distraction_free(qtbot, page):
    view = _open(page)
    before = view.editor.font().pointSizeF()
    page.act_zoom_in.trigger()
    assert view.editor.font().pointSizeF() == before + 1
    page.act_zoom_out.trigger()
    assert view.editor.zoom_steps == 0
    view.editor.set_text("one two three")
    assert view.stats_label.text() == "3 words · 13 characters · 1 min read"
    page.act_distraction_free.setChecked(True)
    assert not view.form.isVisible() and not view.preview.isVisible()
    page.act_distraction_free.setChecked(False)
    assert view.form.isVisible() and view.preview.isVisible()


def test_editor_keeps_emoji_rtl_and_combining_text(qtbot, page, journal):
    view = _open(page)
    text = "Émoji 🎬 — עברית — e\u0301 “quoted”"
    view.editor.set_text("")
    view.editor.insertPlainText(text)
    view.editor.moveCursor(QTextCursor.MoveOperation.End)
    page.flush()
    assert journal.reviews.get(page.ids[0]).body == text
