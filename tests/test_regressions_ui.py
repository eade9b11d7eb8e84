"""Regressions the suite once let through (issue 16: of 8 bugs injected by hand, 2 were caught).
Each test here fails with its bug put back (docs/testing.md lists how each was checked):

* a refreshed row that does not emit ``dataChanged`` (views and proxies never hear of it);
* the Reviews quick filter's AND turned into OR;
* the 8 s maximum-unsaved timer of the autosave removed (typing without a pause never saves);
* batched change events never delivered (an open window never hears of an import);
* stale preview renders shown instead of dropped;
* tag de-duplication removed (tests/test_rules_once.py, the core's side) — here through the form.
"""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QPushButton

from journal.core.importers.run import import_files
from journal.core.sample import load_sample
from journal.ui.bridge import Worker
from journal.ui.models.reviews_model import COL_SCORE, HEADERS, ReviewIdRole


def rows_shown(page, qtbot) -> list[str]:
    """The films of the rows listed once the quick filter's query is in (it runs on a worker)."""
    model = page.table.model()
    qtbot.waitUntil(lambda: not model.busy, timeout=5000)
    return sorted(model.index(r, 0).data().rstrip(" ⚠") for r in range(model.rowCount()))


# ---------------------------------------------------------------------- the Reviews list
def test_an_edited_review_repaints_its_row(journal, reviews_page, qtbot):
    load_sample(journal)
    page = reviews_page()
    model = page.model
    review_id = model.row_at(0).id
    with qtbot.waitSignal(model.dataChanged, timeout=3000) as changed:
        journal.reviews.update(review_id, score="3.5")  # as an autosave does
    top, bottom = changed.args[0], changed.args[1]
    row = model.row_of(review_id)
    assert (top.row(), bottom.row(), top.column(), bottom.column()) == (
        row, row, 0, len(HEADERS) - 1)
    assert model.index(row, COL_SCORE).data() == "3.5"


def test_a_renamed_film_repaints_the_rows_of_its_reviews(journal, reviews_page, qtbot):
    load_sample(journal)
    page = reviews_page()
    model = page.model
    row = model.row_at(0)
    with qtbot.waitSignal(model.dataChanged, timeout=3000) as changed:
        journal.films.update(row.film_id, title="Renamed")  # the whole list is read again
    assert changed.args[0].row() <= model.row_of(row.id) <= changed.args[1].row()
    assert model.index(model.row_of(row.id), 0).data().startswith("Renamed")


def test_the_quick_filter_wants_every_word(journal, reviews_page, qtbot):
    load_sample(journal)
    page = reviews_page()
    page.filter.setFocus()
    qtbot.keyClicks(page.filter, "cabinet 1920")
    assert rows_shown(page, qtbot) == ["The Cabinet of Dr. Caligari"]
    page.filter.clear()
    qtbot.keyClicks(page.filter, "nosferatu 1920")  # each word matches a film; none both
    assert rows_shown(page, qtbot) == []
    page.filter.clear()
    assert len(rows_shown(page, qtbot)) == 5


def test_the_duplicate_button_makes_the_services_duplicate(journal, reviews_page, qtbot):
    from journal.core.reviews import COPIED_FIELDS

    load_sample(journal)
    page = reviews_page()
    page.table.selectRow(0)
    source = page.table.model().index(0, 0).data(ReviewIdRole)
    journal.reviews.update(source, tags=["silent", "Silent", "#silent"])
    qtbot.mouseClick(page.findChild(QPushButton, "duplicateReviewButton"),
                     Qt.MouseButton.LeftButton)
    made = page.editor_view.review_id
    assert made not in (None, source)
    expected = journal.reviews.duplicate(source)
    got = journal.reviews.get(made)
    for name in (*COPIED_FIELDS, "title", "status", "viewing_id"):
        assert getattr(got, name) == getattr(expected, name), name
    assert journal.reviews.tags(made) == journal.reviews.tags(expected.id) == ["silent"]


# ---------------------------------------------------------------------- the autosave
@pytest.fixture
def writing(journal, reviews_page):
    film = journal.films.create("Sunrise", 1927)
    review = journal.reviews.create(film.id, "First words.", score="9")
    page = reviews_page()
    page.open_review(review.id)
    return page, review.id


def test_typing_without_a_pause_is_saved_by_the_maximum_unsaved_timer(journal, writing, qtbot):
    page, review_id = writing
    saver = page.editor_view.autosaver
    saver._idle.setInterval(60_000)  # the pause never comes: only the maximum may save
    saver._max.setInterval(700)
    editor = page.editor_view.editor
    editor.setFocus()
    editor.moveCursor(QTextCursor.MoveOperation.End)
    saved_while_typing = False
    for _ in range(30):  # a key every 100 ms for 3 s: never a 700 ms pause
        qtbot.keyClick(editor, Qt.Key.Key_A)
        qtbot.wait(100)
        if journal.reviews.get(review_id).body != "First words.":
            saved_while_typing = True
            break
    assert saved_while_typing


# ---------------------------------------------------------------------- change events
def test_an_open_window_hears_of_an_import_made_on_a_worker(journal, qtbot, tmp_path):
    from journal.ui.bridge import JournalSignals
    from journal.ui.errors import ErrorReporter
    from journal.ui.mainwindow import MainWindow

    load_sample(journal)
    errors = ErrorReporter()
    errors.dialogs_enabled = False
    signals = JournalSignals(journal)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(journal, signals, settings, errors, lambda parent: None)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.show_page("films")
    films = window.films_area.films
    assert "5 reviews" in window.status_counts.text()
    before_films = films.model.rowCount()
    folder = tmp_path / "posts"
    folder.mkdir()
    for n, title in enumerate(("Her (2013)", "Drive (2011)")):
        (folder / f"{n}.md").write_text(f"---\ntitle: {title}\n---\nBody {n}.\n", encoding="utf-8")
    done = []
    worker = Worker(lambda token: import_files(journal, "markdown", [folder], token=token))
    worker.finished.connect(done.append)
    worker.start()
    qtbot.waitUntil(lambda: bool(done), timeout=20_000)
    qtbot.waitUntil(lambda: window.reviews_page.model.rowCount() == 7, timeout=5000)
    qtbot.waitUntil(lambda: films.model.rowCount() == before_films + 2, timeout=5000)
    assert "7 reviews" in window.status_counts.text()
    signals.detach()


# ---------------------------------------------------------------------- the preview
def test_a_stale_render_is_never_shown(journal, reviews_page, qtbot):
    film = journal.films.create("Her", 2013)
    review = journal.reviews.create(film.id, "Opening.")
    page = reviews_page()
    page.open_review(review.id)
    preview = page.editor_view.preview
    qtbot.waitUntil(lambda: preview.result is not None and not preview.busy, timeout=5000)
    started, release = threading.Event(), threading.Event()
    real = preview.resolver

    def slow_first(title, year):
        if title == "Slow" and not started.is_set():
            started.set()
            release.wait(10)  # the first render is held until the text has changed again
        return real(title, year)

    preview.resolver = slow_first
    shown = []
    preview.updated.connect(lambda: shown.append(preview.browser.toPlainText()))
    editor = page.editor_view.editor
    editor.setFocus()
    editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(editor, " [[Slow]]")
    qtbot.waitUntil(started.is_set, timeout=5000)
    qtbot.keyClicks(editor, " Zebra")
    qtbot.wait(200)  # the newer text is asked for while the old render still runs
    release.set()
    qtbot.waitUntil(lambda: not preview.busy and any("Zebra" in t for t in shown), timeout=5000)
    assert all("Zebra" in t for t in shown), shown  # the render of " [[Slow]]" was dropped
    assert preview.dropped >= 1
