"""A quick filter in the Films list shows its first screen of rows as soon as SQLite has found
them (walking the title index), then appends the rest of the list below them: the count, the
selection and the scroll position never show or lose anything in between, and a newer key or
the keyboard going into the list makes the older rest moot."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QEvent, QObject, Qt

from journal.core import catalogue_query as cq
from journal.core.search.reader import SearchReader
from journal.core.synthetic import populate
from journal.ui.models.base import WINDOW

FILMS = 1_500  # "the …" in every title: a key such as "t" matches far more than a screenful


# ---------------------------------------------------------------------- core (no Qt)
@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("text", ["t", "the bold", "1", "14", "zzz-nothing", "title=b",
                                  "title!=bold 1", "kind=f", "original=x", "kind!=short t"])
def test_the_first_ids_are_the_head_of_the_whole_list(journal, text, descending):
    populate(journal, films=600, reviews=10, viewings=10, body_bytes=100, seed=5)
    query = cq.parse_query(text)
    whole = cq.film_ids(journal, query, "title", descending)
    first = cq.build_first_ids_sql(query, "title", descending, 50)
    assert first is not None
    sql, params = first
    ids = [row[0] for row in journal.store.db.execute_sql(sql, params).fetchall()]
    assert ids == whole[:50]


def test_the_first_ids_walk_the_title_index_without_sorting(journal):
    populate(journal, films=50, reviews=5, viewings=5, body_bytes=100, seed=5)
    for text in ("bold 1", "title=b", "original=x y", "kind=short", "title!=z kind!=f"):
        for descending in (False, True):
            sql, params = cq.build_first_ids_sql(cq.parse_query(text), "title", descending,
                                                 120)
            plan = " ".join(str(r[-1]) for r in journal.store.db.execute_sql(
                f"EXPLAIN QUERY PLAN {sql}", params).fetchall())
            assert "film_filter" in plan and "TEMP B-TREE" not in plan, (text, plan)


@pytest.mark.parametrize("text, sort", [("year=1979", "title"), ("director=tarr", "title"),
                                        ("title=b person=wong", "title"),
                                        ("watched=2020", "title"), ("score>=8", "title"),
                                        ("bold", "director"), ("bold", "score"),
                                        ("", "viewings")])
def test_no_first_ids_when_a_term_or_the_order_needs_every_row(text, sort):
    assert cq.build_first_ids_sql(cq.parse_query(text), sort, False, 120) is None


# ---------------------------------------------------------------------- the Films page
def _page(env, qtbot):
    from journal.ui.pages.films import FilmsPage

    j, signals, errors = env
    populate(j, films=FILMS, reviews=30, viewings=60, body_bytes=100, seed=9)
    page = FilmsPage(j, signals, errors)
    qtbot.addWidget(page)
    page.resize(1000, 600)
    page.show()
    qtbot.waitExposed(page)
    page.filter.setFocus()
    return page


def _shown_ids(page):
    return [page.model.film_id(r) for r in range(page.model.rowCount())]


def test_a_key_shows_the_first_rows_then_the_rest_below_them(env, qtbot):
    page = _page(env, qtbot)
    model = page.model
    seen = []  # what the page showed at each reset: (busy, rows, the count's text)
    model.modelReset.connect(lambda: seen.append((model.busy, model.rowCount(),
                                                  page.count.text())))
    inserted = []
    model.rowsInserted.connect(lambda _p, first, last: inserted.append((first, last)))
    qtbot.keyClick(page.filter, "t")
    qtbot.waitUntil(lambda: not model.busy)
    whole = cq.film_ids(page.journal, "t")
    assert len(whole) == FILMS
    # one reset with the first screen, while the rest was still being read; the count kept
    # saying what it said (never "120 films")
    assert seen == [(True, WINDOW, f"{FILMS:,} films")]
    assert inserted == [(WINDOW, FILMS - 1)]  # the rest, appended below
    assert _shown_ids(page) == whole
    assert page.count.text() == f"{FILMS:,} films"
    assert model.data(model.index(0, 0)) == page.journal.films.get(whole[0]).title


def test_a_filter_with_fewer_matches_than_a_screen_is_read_once(env, qtbot):
    page = _page(env, qtbot)
    model = page.model
    seen = []
    model.modelReset.connect(lambda: seen.append((model.busy, model.rowCount())))
    inserted = []
    model.rowsInserted.connect(lambda *_a: inserted.append(1))
    for char in "144":  # "1", "14", then "144": fewer than a screenful of the 1,500 films
        qtbot.keyClick(page.filter, char)
    qtbot.waitUntil(lambda: not model.busy)
    whole = cq.film_ids(page.journal, "144")
    assert 0 < len(whole) < WINDOW
    assert seen[-1] == (False, len(whole)) and not inserted
    assert _shown_ids(page) == whole
    assert page.count.text() == f"{len(whole):,} films"


def test_the_rest_keeps_the_row_chosen_among_the_first(env, qtbot):
    page = _page(env, qtbot)
    model = page.model
    chosen = []

    def choose() -> None:  # the user picks a row as soon as the first ones are shown
        if model.busy and not chosen:
            page.table.selectRow(3)
            chosen.append(page.selected_film_id())

    model.modelReset.connect(choose)
    qtbot.keyClick(page.filter, "b")
    qtbot.waitUntil(lambda: not model.busy)
    assert chosen and chosen[0] is not None
    assert model.rowCount() == len(cq.film_ids(page.journal, "b")) > WINDOW
    assert page.selected_film_id() == chosen[0]
    assert page.table.selectionModel().selectedRows()[0].row() == 3
    assert page.count.text() == f"{model.rowCount():,} films"  # counted once all were in


class _Log(QObject):
    """The viewport's paints and the list's id queries, in the order they happened."""

    def __init__(self, page, monkeypatch):
        super().__init__()
        self.events: list[tuple[str, object]] = []
        self.lock = threading.Lock()
        page.table.viewport().installEventFilter(self)
        ids = SearchReader.ids

        def logged(reader, sql, params=()):
            with self.lock:
                self.events.append(("first" if "LIMIT" in sql else "whole", list(params)))
            return ids(reader, sql, params)

        monkeypatch.setattr(SearchReader, "ids", logged)

    def eventFilter(self, watched, event):  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.Paint:
            with self.lock:
                self.events.append(("paint", None))
        return False

    def kinds(self):
        with self.lock:
            return [kind for kind, _params in self.events]


def test_the_rest_is_read_once_the_first_rows_are_painted(env, qtbot, monkeypatch):
    page = _page(env, qtbot)
    log = _Log(page, monkeypatch)
    qtbot.keyClick(page.filter, "t")
    qtbot.waitUntil(lambda: not page.model.busy)
    kinds = log.kinds()
    assert kinds.count("first") == 1 and kinds.count("whole") == 1
    # a paint between the two reads: the first rows were on screen before the rest was read
    # (read beside the paint, it would share Python's lock with it)
    assert "paint" in kinds[kinds.index("first"):kinds.index("whole")]


def test_far_down_the_list_a_key_reads_the_whole_list_once(env, qtbot, monkeypatch):
    """Scrolled past ten windows, reading the ids down to the screen costs about what reading
    all of them does: one query, not the first ids and then all again."""
    from journal.ui.models.base import FIRST_IDS_AT_MOST

    page = _page(env, qtbot)
    page.table.verticalScrollBar().setValue(FIRST_IDS_AT_MOST + 10)
    assert page.model.hint == FIRST_IDS_AT_MOST + 10
    log = _Log(page, monkeypatch)
    qtbot.keyClick(page.filter, "t")
    qtbot.waitUntil(lambda: not page.model.busy)
    assert [k for k in log.kinds() if k != "paint"] == ["whole"]
    assert _shown_ids(page) == cq.film_ids(page.journal, "t")
    page.table.verticalScrollBar().setValue(FIRST_IDS_AT_MOST - WINDOW - 10)  # within ten
    qtbot.keyClick(page.filter, "h")
    qtbot.waitUntil(lambda: not page.model.busy)
    assert [k for k in log.kinds() if k != "paint"] == ["whole", "first", "whole"]


def test_a_newer_key_makes_the_older_rest_moot(env, qtbot, monkeypatch):
    page = _page(env, qtbot)
    model = page.model
    log = _Log(page, monkeypatch)
    typed = []

    def type_more() -> None:  # the next key comes as the first rows of "t" are shown
        if not typed:
            typed.append(1)
            qtbot.keyClick(page.filter, "h")

    model.modelReset.connect(type_more)
    qtbot.keyClick(page.filter, "t")
    qtbot.waitUntil(lambda: not model.busy and page.filter.text() == "th")
    qtbot.wait(30)  # a stale rest would come about now
    assert ("whole", ["t"]) not in log.events  # the rest of "t" was never read
    assert ("whole", ["th"]) in log.events
    assert _shown_ids(page) == cq.film_ids(page.journal, "th")
    assert page.count.text() == f"{model.rowCount():,} films"


def test_going_into_the_list_while_the_rest_is_read_brings_the_whole_list(env, qtbot):
    page = _page(env, qtbot)
    model = page.model
    moved = []

    def go_down() -> None:  # Down from the filter as the first rows come
        if not moved:
            moved.append(1)
            qtbot.keyClick(page.filter, Qt.Key.Key_Down)

    model.modelReset.connect(go_down)
    qtbot.keyClick(page.filter, "t")
    qtbot.waitUntil(lambda: bool(moved))
    whole = cq.film_ids(page.journal, "t")
    assert not model.busy and _shown_ids(page) == whole  # at once, in this thread
    assert page.table.hasFocus() and page.table.currentIndex().row() == 0
    qtbot.wait(50)  # nothing the moot rest could still change
    assert _shown_ids(page) == whole
    assert page.count.text() == f"{FILMS:,} films"


def test_down_right_after_a_key_brings_the_whole_list_at_once(env, qtbot):
    page = _page(env, qtbot)
    model = page.model
    qtbot.keyClick(page.filter, "b")
    qtbot.keyClick(page.filter, Qt.Key.Key_Down)  # before the worker has answered
    whole = cq.film_ids(page.journal, "b")
    assert not model.busy and model.first_rows_in and _shown_ids(page) == whole
    assert page.count.text() == f"{len(whole):,} films"
    qtbot.wait(50)
    assert _shown_ids(page) == whole


def test_a_rest_whose_first_rows_changed_meanwhile_replaces_the_list(env, qtbot):
    page = _page(env, qtbot)
    model = page.model
    whole = cq.film_ids(page.journal, "")
    model._reset(whole[:WINDOW])
    resets = []
    model.modelReset.connect(lambda: resets.append(model.rowCount()))
    changed = [whole[1], whole[0], *whole[2:]]  # the journal changed between the two reads
    model._append_rest(model._reset, changed)
    assert resets == [FILMS] and _shown_ids(page) == changed


def test_a_reset_lays_the_list_out_at_once(env, qtbot):
    """The view's layout follows a reset in the same turn of the event loop (painted once,
    not once with the old layout and again with the new)."""
    page = _page(env, qtbot)
    model, bar = page.model, page.table.verticalScrollBar()
    whole = cq.film_ids(page.journal, "")
    before = bar.maximum()
    model._reset(whole[:WINDOW])
    now = bar.maximum()
    assert 0 < now < before  # already the length of 120 rows
    qtbot.wait(30)
    assert bar.maximum() == now  # what the next turns of the event loop would have made it
