"""The Search page, the saved-searches panel and the Ctrl+E palette, offscreen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from journal.core.sample import load_sample
from journal.ui.bridge import JournalSignals
from journal.ui.errors import ErrorReporter
from journal.ui.pages.search import SearchPage
from journal.ui.pages.search_models import CountRole, HtmlRole, SearchResultsModel
from journal.ui.palette import QuickOpenPalette


@pytest.fixture
def env(journal):
    load_sample(journal)
    errors = ErrorReporter()
    errors.dialogs_enabled = False
    signals = JournalSignals(journal)
    yield journal, signals, errors
    signals.detach()


@pytest.fixture
def page(env, qtbot):
    journal, signals, errors = env
    page = SearchPage(journal, signals, errors)
    qtbot.addWidget(page)
    qtbot.addWidget(page.saved_panel)
    page.resize(800, 600)
    page.show()
    qtbot.waitExposed(page)
    yield page
    qtbot.waitUntil(lambda: not page.busy, timeout=3000)


def search(qtbot, page, text):
    """Run ``text`` as a saved search would (on the worker, ranked) and wait for the results."""
    page.set_query(text)
    qtbot.waitUntil(lambda: not page.busy, timeout=3000)
    assert page.result is not None and page.result.ranked


def type_text(qtbot, widget, text):
    for ch in text:  # ASCII only: see docs on qtbot.keyClicks
        qtbot.keyClick(widget, ch)


def test_results_model_passes_the_model_tester(page, qtbot, qtmodeltester):
    search(qtbot, page, "keaton")
    assert page.model.hit_count() >= 3
    qtmodeltester.check(page.model)
    qtmodeltester.check(page.saved_model)
    qtmodeltester.check(SearchResultsModel())


def test_typing_searches_and_groups_results_by_kind(page, qtbot):
    with qtbot.waitSignal(page.searched, timeout=2000):
        type_text(qtbot, page.field, "keat")
    model = page.model
    groups = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert groups == ["Reviews (2)", "Films (2)", "People (1)"]
    first = model.index(0, 0, model.index(0, 0))
    text = first.data()
    assert "★" in text and "(192" in text  # film with year, and the score
    assert "<b><u>Keaton</u></b>" in first.data(HtmlRole)
    assert page.status.text() == "5 results"


def test_enter_opens_the_first_review_with_the_terms(page, qtbot):
    search(qtbot, page, "lovely throat")
    opened, highlighted = [], []
    page.open_review.connect(opened.append)
    page.open_review_highlight.connect(lambda rid, terms: highlighted.append((rid, terms)))
    qtbot.keyClick(page.field, Qt.Key.Key_Return)
    review_id, terms = highlighted[0]
    assert opened == [review_id]
    assert page.journal.reviews.get(review_id).film.title == "Nosferatu"
    assert terms == ["lovely", "throat"]


def test_keyboard_moves_into_the_results_and_opens_a_film(page, qtbot):
    search(qtbot, page, "metropolis")
    qtbot.keyClick(page.field, Qt.Key.Key_Down)
    assert page.tree.hasFocus()
    hit = page.model.hit(page.tree.currentIndex())
    assert hit.kind == "film"
    with qtbot.waitSignal(page.open_film, timeout=1000) as blocker:
        qtbot.keyClick(page.tree, Qt.Key.Key_Return)
    assert blocker.args == [hit.id]
    qtbot.keyClick(page.tree, Qt.Key.Key_Escape)
    assert page.field.hasFocus()


def test_an_invalid_filter_shows_a_message_and_still_searches(page, qtbot):
    search(qtbot, page, "score:abc keaton")
    assert page.message.isVisible() and "score:abc" in page.message.text()
    assert page.model.hit_count() > 0


def test_results_refresh_when_the_journal_changes(page, qtbot, env):
    journal = env[0]
    search(qtbot, page, "zeppelin")
    assert page.model.hit_count() == 0
    film = journal.films.live().first()
    with qtbot.waitSignal(page.searched, timeout=2000):
        journal.reviews.create(film.id, "A zeppelin over the city.")
    assert page.model.hit_count() == 1


@pytest.mark.expect_log("already a saved search called “keaton”")
def test_saved_searches_save_count_rename_delete_and_run(page, qtbot, env):
    journal = env[0]
    search(qtbot, page, "keaton")
    assert page.save_current("Keaton")
    model = page.saved_model
    assert model.rowCount() == 1 and model.index(0, 0).data() == "Keaton (5)"
    film = journal.films.by_title("Sherlock Jr.")[0]
    journal.reviews.delete(journal.reviews.for_film(film.id)[0].id)
    qtbot.waitUntil(lambda: model.index(0, 0).data(CountRole) == 4, timeout=2000)
    assert not page.save_current("keaton")  # same name, case aside
    panel = page.saved_panel
    assert panel.rename(model.id_at(0), "Buster")
    assert model.index(0, 0).data() == "Buster (4)"
    page.field.clear()
    panel.view.setCurrentIndex(model.index(0, 0))
    with qtbot.waitSignal(page.searched, timeout=1000):
        panel.view.activated.emit(model.index(0, 0))
    assert page.field.text() == "keaton" and page.model.hit_count() == 4
    panel.delete_selected()
    assert model.rowCount() == 0


def test_help_popup_shows_the_query_language(page):
    box = page.show_help()
    assert "score:" in box.text() and "viewed:" in box.text()
    box.close()


def test_every_control_has_a_name(page):
    from PySide6.QtWidgets import QLineEdit, QToolButton, QTreeView

    found = [w for kind in (QLineEdit, QToolButton, QTreeView) for w in page.findChildren(kind)]
    found += [w for kind in (QToolButton,) for w in page.saved_panel.findChildren(kind)]
    mine = [w for w in found if not isinstance(w.parent(), QLineEdit)]  # not Qt's clear button
    assert len(mine) >= 4
    for widget in mine:
        assert widget.objectName() and widget.accessibleName(), widget


@pytest.fixture
def palette(env, qtbot):
    journal, signals, errors = env
    palette = QuickOpenPalette(journal, signals, errors)
    qtbot.addWidget(palette)
    return palette


def test_the_palette_opens_the_chosen_film(palette, qtbot, env):
    palette.action.trigger()
    qtbot.waitExposed(palette)
    type_text(qtbot, palette.field, "metro")
    labels = [palette.model.index(r, 0).data() for r in range(palette.model.rowCount())]
    assert labels[0] == "Metropolis (1927)"
    with qtbot.waitSignal(palette.open_film, timeout=1000) as blocker:
        qtbot.keyClick(palette.field, Qt.Key.Key_Return)
    assert env[0].films.get(blocker.args[0]).title == "Metropolis"
    assert not palette.isVisible()


def test_the_palette_opens_a_review_and_a_person(palette, qtbot, env):
    journal = env[0]
    palette.popup()
    type_text(qtbot, palette.field, "sherl")
    items = [palette.model.index(r, 0).data() for r in range(palette.model.rowCount())]
    assert items[0] == "Sherlock Jr. (1924)" and items[1].startswith("Review of Sherlock Jr.")
    qtbot.keyClick(palette.field, Qt.Key.Key_Down)
    with qtbot.waitSignal(palette.open_review, timeout=1000) as blocker:
        qtbot.keyClick(palette.field, Qt.Key.Key_Return)
    assert journal.reviews.get(blocker.args[0]).film.title == "Sherlock Jr."
    palette.popup()
    type_text(qtbot, palette.field, "buster k")
    kinds = [palette.model.items[r].kind for r in range(palette.model.rowCount())]
    assert kinds[-1] == "person"
    person_row = kinds.index("person")
    with qtbot.waitSignal(palette.open_person, timeout=1000) as blocker:
        palette.list.activated.emit(palette.model.index(person_row, 0))
    assert journal.people.get(blocker.args[0]).name == "Buster Keaton"


def test_look_of_the_page(page, qtbot):
    search(qtbot, page, "keaton")
    assert page.grab().save("/tmp/search-page.png")
