"""The Films and People lists sort and filter on a worker: a click on a header or a key in the
quick filter returns at once (the rows shown stay until the new ones are in), there is no pause
before a filter runs, and only the newest request reaches the rows."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from journal.core.synthetic import populate


def _page(env, qtbot):
    from journal.ui.pages.films import FilmsPage

    j, signals, errors = env
    populate(j, films=600, reviews=300, viewings=900, body_bytes=100, seed=9)
    page = FilmsPage(j, signals, errors)
    qtbot.addWidget(page)
    page.resize(1000, 600)
    page.show()
    qtbot.waitExposed(page)
    return page


def _titles(page, n=20):
    return [page.model.data(page.model.index(r, 0)) for r in range(n)]


def test_a_header_click_sorts_on_a_worker_keeping_the_rows_meanwhile(env, qtbot):
    from journal.ui.models.films_model import COL_DIRECTOR, COL_VIEWINGS

    page = _page(env, qtbot)
    header = page.table.horizontalHeader()
    before = _titles(page)
    page.table.selectRow(3)
    chosen = page.selected_film_id()
    for column in (COL_DIRECTOR, COL_VIEWINGS):
        x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                         pos=QPoint(x, header.height() // 2))
        assert page.model.busy and _titles(page) == before  # the click did not wait
        qtbot.waitUntil(lambda: not page.model.busy)
        before = _titles(page)
    views = [int(page.model.data(page.model.index(r, COL_VIEWINGS)) or 0) for r in range(600)]
    assert views == sorted(views)
    assert page.selected_film_id() == chosen  # the selection followed its film


def test_each_key_filters_at_once_and_only_the_last_text_counts(env, qtbot):
    page = _page(env, qtbot)
    page.filter.setFocus()
    settled = []
    page.model.settled.connect(lambda: settled.append(page.filter.text()))
    qtbot.keyClick(page.filter, "q")
    assert page.model.busy  # no pause in typing is waited for
    for char in "uiet":
        qtbot.keyClick(page.filter, char)
    qtbot.waitUntil(lambda: not page.model.busy)
    assert settled == ["quiet"]  # the earlier texts were dropped or interrupted
    titles = [t for t in _titles(page, page.model.rowCount())]
    assert titles and all("quiet" in t.lower() for t in titles)
    assert page.count.text() == f"{len(titles):,} film{'s' if len(titles) != 1 else ''}"


def test_people_filter_runs_without_waiting(env, qtbot):
    from journal.ui.pages.people import PeoplePage

    j, signals, errors = env
    populate(j, films=200, reviews=10, viewings=20, people=400, body_bytes=100, seed=4)
    page = PeoplePage(j, signals, errors)
    qtbot.addWidget(page)
    page.show()
    page.filter.setFocus()
    qtbot.keyClick(page.filter, "z")
    assert page.model.busy
    qtbot.waitUntil(lambda: not page.model.busy)
    names = [page.model.data(page.model.index(r, 0)) for r in range(page.model.rowCount())]
    assert names and all("z" in n.lower() for n in names)


def test_a_result_that_arrives_after_a_newer_request_is_dropped(env, qtbot):
    """A query finished (so not interruptible) while a newer one was asked for: its rows are
    never shown, and ``settled`` comes once, with the newest rows."""
    import threading

    from journal.ui.models.people_model import PeopleModel

    j, _, _ = env
    populate(j, films=50, reviews=5, viewings=5, people=80, body_bytes=100, seed=4)
    model = PeopleModel(j)
    applied, asked, queried = [], threading.Event(), threading.Event()
    settled = []
    model.settled.connect(lambda: settled.append(list(applied)))

    def slow_shape(ids):  # runs on the worker after the query: a newer request comes now
        queried.set()
        asked.wait(5)
        return ids

    model._request_ids(("SELECT id FROM person ORDER BY id LIMIT 3", []),
                       lambda ids: applied.append(("first", ids)), slow_shape)
    assert queried.wait(5)
    model._request_ids(("SELECT id FROM person ORDER BY id DESC LIMIT 2", []),
                       lambda ids: applied.append(("second", ids)))
    asked.set()
    qtbot.waitUntil(lambda: not model.busy)
    assert [name for name, _ids in applied] == ["second"] and len(settled) == 1
