"""The Reviews list holds ids, not rows (issue 19, goal 2): it reads a screenful at a time,
sorts and filters in SQL on its worker, and a refresh moves rows in place so the selection,
the current row and the scroll position stay where the user left them."""

from __future__ import annotations

import random

import pytest
from PySide6.QtCore import QPersistentModelIndex, QPoint, Qt

from journal.core.synthetic import populate
from journal.ui.models.base import WINDOW, WindowedRows
from journal.ui.models.reviews_model import COL_FILM, COL_SCORE


@pytest.fixture
def long_journal(journal):
    populate(journal, films=300, reviews=1_500, body_bytes=200, seed=11)
    return journal


def test_a_long_list_reads_only_the_rows_it_shows(long_journal, reviews_page, qtbot):
    journal = long_journal
    page = reviews_page(1000, 600)
    model = page.model
    table = page.table
    qtbot.waitExposed(table)
    assert model.rowCount() == 1_500
    qtbot.waitUntil(lambda: len(model._cache) > 0)  # painted
    assert len(model._cache) <= WINDOW  # the rows painted, no more
    every = journal.reviews.rows()  # newest edit first: the list's first order
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    qtbot.keyClick(table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert table.currentIndex().row() == 1_499
    assert table.currentIndex().siblingAtColumn(COL_FILM).data() == every[-1].film_title + (
        " ⚠" if every[-1].has_spoilers else "")
    qtbot.keyClick(table, Qt.Key.Key_Up)
    assert page.selected_review_id() == every[-2].id
    qtbot.keyClick(table, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    assert page.selected_review_id() == every[0].id
    assert len(model._cache) <= 3 * WINDOW  # the top and the end, each a window


def test_sorting_runs_on_the_worker_and_keeps_the_selection(long_journal, reviews_page, qtbot):
    page = reviews_page()
    model, table = page.model, page.table
    table.selectRow(7)
    chosen = page.selected_review_id()
    first = model.id_at(0)
    header = table.horizontalHeader()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(header.sectionViewportPosition(COL_SCORE) + 5, 5))
    assert model.busy and model.id_at(0) == first  # the window went on; the rows stay a while
    qtbot.waitUntil(lambda: not model.busy, timeout=5000)
    scores = [model.row_at(r).score_tenths for r in range(model.rowCount())]
    assert scores == sorted(scores, key=lambda s: -1 if s is None else s)
    assert page.selected_review_id() == chosen  # the same review, wherever it went
    assert table.currentIndex().row() == model.row_of(chosen)


def test_a_refresh_moves_rows_in_place(long_journal, reviews_page, qtbot):
    """An autosave moves its review to the top (newest edit first), an import adds rows, a
    deletion removes one: the selected review stays selected and current, and the list does
    not jump (a reset would put it back at the top)."""
    journal = long_journal
    page = reviews_page(1000, 500)
    model, table = page.model, page.table
    qtbot.waitExposed(table)
    table.verticalScrollBar().setValue(600)
    qtbot.waitUntil(lambda: table.rowAt(0) >= 590)
    top = table.rowAt(0)
    table.selectRow(top + 3)
    chosen = page.selected_review_id()
    resets = []
    model.modelReset.connect(lambda: resets.append(1))
    far = model.id_at(1_400)
    qtbot.waitUntil(lambda: model.id_at(table.rowAt(0)) in model._cache)  # painted there
    fetches = model.fetches  # windows read on this thread
    film = journal.films.create("Her", 2013)
    with qtbot.waitSignal(model.rowsInserted, timeout=5000):
        journal.reviews.update(far, body="Edited again.")  # to the top
        new = journal.reviews.create(film.id, "New.")  # at the top, above it
        journal.reviews.delete(model.id_at(10))
    qtbot.waitUntil(lambda: not model.busy and model.id_at(0) == new.id, timeout=5000)
    assert model.rowCount() == 1_500 and resets == []
    assert model._ids[:2] == [new.id, far]
    assert page.selected_review_id() == chosen
    assert table.currentIndex().row() == model.row_of(chosen)
    assert abs(table.rowAt(0) - top) <= 2  # the view stayed where it was
    table.viewport().repaint()
    assert model.fetches == fetches  # the rows on screen came with the ids, from the worker


class _Ids(WindowedRows):
    """A windowed list of bare ids, to try ``_move_to`` on any change."""

    headers = ("Id",)

    def _fetch_rows(self, ids, db=None):
        return {i: i for i in ids}

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and index.isValid():
            return str(self.id_at(index.row()))
        return None


def test_moving_in_place_keeps_every_persistent_index_on_its_id(qtmodeltester):
    rng = random.Random(5)
    model = _Ids()
    model._reset(list(range(200)))
    next_id = 200
    for _ in range(60):
        ids = list(model._ids)
        rng.shuffle(ids) if rng.random() < 0.3 else None
        for _ in range(rng.randrange(4)):  # a few removed here and there
            if ids:
                ids.pop(rng.randrange(len(ids)))
        for _ in range(rng.randrange(4)):  # a few added anywhere
            ids.insert(rng.randrange(len(ids) + 1), next_id)
            next_id += 1
        if rng.random() < 0.3 and len(ids) > 1:  # one moved
            ids.insert(rng.randrange(len(ids)), ids.pop(rng.randrange(len(ids))))
        held = {i: QPersistentModelIndex(model.index(r, 0))
                for r, i in enumerate(model._ids) if rng.random() < 0.2}
        in_place = model._move_to(ids)
        assert model._ids == ids
        for ident, index in held.items():
            if not in_place:
                assert not index.isValid()
            elif ident in ids:
                assert index.isValid() and index.row() == ids.index(ident), ident
            else:
                assert not index.isValid()
    qtmodeltester.check(model, force_py=True)


def test_the_quick_filter_never_waits_for_the_query(long_journal, reviews_page, qtbot):
    page = reviews_page()
    model = page.model
    page.filter.setFocus()
    qtbot.keyClicks(page.filter, "zzz")
    assert model.rowCount() == 1_500 or model.busy  # the field answered before the rows
    qtbot.waitUntil(lambda: not model.busy, timeout=5000)
    assert model.rowCount() == 0
    page.filter.clear()
    qtbot.keyClicks(page.filter, "cafe")
    qtbot.keyClick(page.filter, Qt.Key.Key_Down)  # into the list: it holds what the filter says
    assert not model.busy and page.table.hasFocus()
    assert 0 < model.rowCount() < 1_500
    assert all("Café" in model.index(r, COL_FILM).data() for r in range(model.rowCount()))
