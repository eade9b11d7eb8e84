"""The Search page searches on a worker: typing never waits for the database, stale results are
dropped, a first answer is refined by the ranked one, Enter opens the ranked best hit."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from journal.core.sample import load_sample
from journal.core.search import SearchEngine
from journal.ui.bridge import JournalSignals
from journal.ui.errors import ErrorReporter
from journal.ui.pages.search import SearchPage


def make_page(journal, qtbot, limit=50):
    errors = ErrorReporter()
    errors.dialogs_enabled = False
    shown_errors: list[tuple[str, str]] = []
    errors.shown.connect(lambda title, text: shown_errors.append((title, text)))
    signals = JournalSignals(journal)
    page = SearchPage(journal, signals, errors, limit=limit)
    qtbot.addWidget(page)
    page.resize(800, 600)
    page.show()
    qtbot.waitExposed(page)
    seen: list[tuple[str, bool, str]] = []  # (query text, ranked, status) of each result shown
    page.searched.connect(lambda r: seen.append((r.query.text, r.ranked, page.status.text())))
    return page, signals, seen, shown_errors


@pytest.fixture
def sample(journal):
    load_sample(journal)
    return journal


@pytest.fixture
def small(sample, qtbot):
    """A page showing one hit of each kind: "keat" has more matches than that."""
    page, signals, seen, shown_errors = make_page(sample, qtbot, limit=1)
    yield page, seen
    qtbot.waitUntil(lambda: not page.busy, timeout=3000)
    assert shown_errors == []
    signals.detach()


@pytest.fixture
def full(sample, qtbot):
    page, signals, seen, shown_errors = make_page(sample, qtbot)
    yield page, seen
    qtbot.waitUntil(lambda: not page.busy, timeout=3000)
    assert shown_errors == []
    signals.detach()


def type_text(qtbot, widget, text):
    for ch in text:  # ASCII only (see the platform notes on keyClicks)
        qtbot.keyClick(widget, ch)


def idle(qtbot, page):
    qtbot.waitUntil(lambda: not page.busy, timeout=3000)


def test_typing_shows_the_newest_matches_then_the_ranked_answer(small, qtbot):
    page, seen = small
    type_text(qtbot, page.field, "keat")
    idle(qtbot, page)
    assert [(text, ranked) for text, ranked, _ in seen] == [("keat", False), ("keat", True)]
    assert "refining" in seen[0][2] and "refining" not in seen[1][2]
    assert not page.refining and page.status.text() == "3 results"
    ranked = SearchEngine(page.journal).search("keat", limit=1)
    assert page.result.hits == ranked.hits


def test_the_query_runs_on_the_worker_and_never_holds_up_the_field(full, qtbot):
    page, seen = full
    with page.reader._lock:  # the database is "slow": the search cannot finish meanwhile
        type_text(qtbot, page.field, "keat")
        qtbot.wait(50)
        assert page.field.text() == "keat" and page.busy and seen == []
    with qtbot.waitSignal(page.searched, timeout=3000):
        pass
    idle(qtbot, page)
    assert seen[-1][:2] == ("keat", True) and page.model.hit_count() == 5
    assert page.reader.opened == 1


def test_results_for_an_older_text_are_never_shown(full, qtbot):
    page, seen = full
    page.field.setText("nosferatu")
    page._request("recent")  # a search for the old text is running on the worker …
    page.field.setText("metropolis")  # … when the text changes
    idle(qtbot, page)
    assert seen and {text for text, _, _ in seen} == {"metropolis"}
    assert page.model.hit(page.model.first_hit_index()).title == "Metropolis"


def test_set_query_goes_straight_to_the_ranked_answer(small, qtbot):
    page, seen = small
    with qtbot.waitSignal(page.searched, timeout=3000):
        page.set_query("keaton")
    idle(qtbot, page)
    assert [(text, ranked) for text, ranked, _ in seen] == [("keaton", True)]


def test_enter_before_the_ranked_answer_opens_its_best_hit(small, qtbot):
    page, _seen = small
    best = SearchEngine(page.journal).search("keat", limit=1).by_kind()["review"][0]
    opened = []
    page.open_review.connect(opened.append)
    type_text(qtbot, page.field, "keat")
    qtbot.keyClick(page.field, Qt.Key.Key_Return)
    assert opened == []  # not the first answer's hit: the ranked one is on its way
    qtbot.waitUntil(lambda: opened != [], timeout=3000)
    assert opened == [best.review_id]


def test_a_change_in_the_journal_searches_again_with_the_committed_row(full, qtbot):
    page, seen = full
    page.set_query("zeppelin")
    idle(qtbot, page)
    assert page.model.hit_count() == 0
    film = page.journal.films.live().first()
    page.journal.reviews.create(film.id, "A zeppelin over the city.")
    qtbot.waitUntil(lambda: page.model.hit_count() == 1, timeout=3000)
    assert seen[-1][:2] == ("zeppelin", True)


def test_hiding_the_page_closes_its_connection_and_showing_it_catches_up(full, qtbot):
    page, seen = full
    page.set_query("keaton")
    idle(qtbot, page)
    assert page.reader.is_open
    page.field.setText("metropolis")
    page._request("rank")  # running on the worker …
    page.hide()  # … when the page is hidden: stopped, its result dropped, the connection closed
    idle(qtbot, page)
    assert not page.reader.is_open
    assert [text for text, _, _ in seen] == ["keaton"]
    page.show()
    idle(qtbot, page)
    assert seen[-1][:2] == ("metropolis", True)


def test_clearing_the_field_clears_the_results_without_a_query(full, qtbot):
    page, _seen = full
    page.set_query("keaton")
    idle(qtbot, page)
    opened = page.reader.opened
    page.field.clear()
    idle(qtbot, page)
    assert page.model.hit_count() == 0 and page.status.text() == ""
    assert page.reader.opened == opened
