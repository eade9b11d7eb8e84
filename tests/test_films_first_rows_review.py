"""Second read of the Films list's first rows (``WindowedRows._request_ids(first=…)``): what
the user does while only the first screen of a quick filter is in, the rest being read."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from journal.core import catalogue_query as cq
from journal.ui.models.films_model import COL_YEAR
from tests.test_films_first_rows import FILMS, _page, _shown_ids


def _click_row(qtbot, table, row: int) -> None:
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _click_header(qtbot, table, column: int) -> None:
    header = table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))


def test_a_sort_while_the_rest_is_read_keeps_the_row_picked_among_the_first(env, qtbot):
    """The user picks a film among the first rows and sorts by year before the rest is in:
    the sort reads the whole list, which must not lose the pick (a model reset did, where a
    sort of the whole list keeps it by a layout change)."""
    page = _page(env, qtbot)
    model, table = page.model, page.table
    picked = []

    def pick_and_sort() -> None:  # as soon as the first rows of "t" are shown
        if model.busy and model.first_rows_in and not picked:
            _click_row(qtbot, table, 3)
            picked.append(page.selected_film_id())
            _click_header(qtbot, table, COL_YEAR)

    model.modelReset.connect(pick_and_sort)
    qtbot.keyClick(page.filter, "t")
    qtbot.waitUntil(lambda: bool(picked) and not model.busy)
    qtbot.wait(30)  # nothing the moot rest of "t" could still change
    assert picked[0] is not None
    assert _shown_ids(page) == cq.film_ids(page.journal, "t", "year")
    assert model.rowCount() == FILMS
    assert page.selected_film_id() == picked[0]
    assert model.film_id(table.currentIndex().row()) == picked[0]
    assert page.count.text() == f"{FILMS:,} films"


def test_a_new_order_with_rows_added_keeps_every_persistent_index_on_its_id(qtmodeltester):
    """``_reorder`` given more ids than shown (the rest of a filter came with the sort): each
    row held stays on its id, whatever the order and however scattered the new rows."""
    import random

    from PySide6.QtCore import QPersistentModelIndex

    from tests.test_reviews_list_windowed import _Ids

    rng = random.Random(7)
    model = _Ids()
    model._reset(list(range(120)))
    next_id = 120
    for _ in range(30):
        ids = list(model._ids)
        for _ in range(rng.randrange(0, 300)):  # new rows anywhere, often more than MAX_RUNS
            ids.insert(rng.randrange(len(ids) + 1), next_id)
            next_id += 1
        rng.shuffle(ids) if rng.random() < 0.5 else None
        held = {i: QPersistentModelIndex(model.index(r, 0))
                for r, i in enumerate(model._ids) if rng.random() < 0.2}
        model._reorder(model._positions(ids))
        assert model._ids == ids
        for ident, index in held.items():
            assert index.isValid() and index.row() == ids.index(ident), ident
    qtmodeltester.check(model, force_py=True)


def test_the_reviews_list_opened_on_a_first_look_lays_out_at_once_too(journal_path, qtbot):
    """``list_table`` lays a list out in the turn of its model's reset; the Reviews list built
    on the first look's rows, then given the journal's model, must do so for that model too."""
    from journal.core.first_look import first_look
    from journal.core.journal import Journal
    from journal.ui.bridge import JournalSignals
    from journal.ui.errors import ErrorReporter
    from journal.ui.pages.reviews import ReviewsPage

    with Journal.open(journal_path) as journal:
        film = journal.films.create("Stalker", 1979)
        with journal.write():
            for n in range(300):
                journal.reviews.create(film.id, f"Review {n}")
    first = first_look(journal_path)
    assert first is not None and first.rows
    errors = ErrorReporter()
    errors.dialogs_enabled = False
    page = ReviewsPage(None, None, errors, first=first)
    qtbot.addWidget(page)
    page.resize(1000, 600)
    page.show()
    qtbot.waitExposed(page)
    journal = Journal.open(journal_path, lock=first.lock)
    first.lock = None
    signals = JournalSignals(journal)
    try:
        page.attach(journal, signals)
        model, bar = page.model, page.table.verticalScrollBar()
        assert page.table.model() is model
        qtbot.waitUntil(lambda: model.rowCount() == 300 and bar.maximum() > 0)
        before = bar.maximum()
        model._reset(model._ids[:40])
        now = bar.maximum()
        assert 0 < now < before  # laid out for 40 rows already
        qtbot.wait(30)
        assert bar.maximum() == now
    finally:
        page.close()
        signals.detach()
        journal.close()
