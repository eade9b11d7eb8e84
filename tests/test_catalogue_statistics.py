"""The Statistics page and its pyqtgraph charts (pytest-qt, offscreen).

The figures themselves are checked against hand counts in test_catalogue_core.py; here: the
figures read through a reader of their own (one snapshot, cancellable), computed on a worker
while the page says "Computing…", stale results dropped, the computation stopped when the page
closes or hides; what the charts draw, light and dark, PNG export, people charts opening a
person (mouse and keyboard), and pyqtgraph staying out of the application until the page is
built.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QContextMenuEvent, QImage, QPalette
from PySide6.QtWidgets import QApplication, QFileDialog, QMenu

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2025, 6, 1)


@pytest.fixture
def filled(env):
    """Stalker (Tarkovsky; seen 2021, 2024, 2025 twice) and Alien (Scott; seen 2025)."""
    j, _, _ = env
    stalker = j.films.create("Stalker", 1979, directors=["Andrei Tarkovsky"])
    alien = j.films.create("Alien", 1979, directors=["Ridley Scott"])
    j.people.add_credit(alien.id, "Sigourney Weaver", "cast")
    for day in ("2021-03-02", "2024-05-01", "2025-05-01", "2025-05-20"):
        j.viewings.log(stalker.id, day)
    j.viewings.log(alien.id, "2025-02-14")
    j.reviews.create(stalker.id, "x", score="8.5")
    j.reviews.create(alien.id, "y", score="6.0")
    return stalker.id, alien.id


def _page(env, qtbot, size=(1000, 1100)):
    from journal.ui.pages.statistics import StatisticsPage

    j, signals, errors = env
    page = StatisticsPage(j, signals, errors, today=TODAY)
    qtbot.addWidget(page)
    page.resize(*size)
    page.show()
    qtbot.waitExposed(page)
    qtbot.waitUntil(lambda: not page.busy)  # the figures are computed on a worker
    return page


def _bars(chart):
    import pyqtgraph as pg

    return [item for item in chart.getPlotItem().items if isinstance(item, pg.BarGraphItem)]


def _count_color(image: QImage, color: QColor) -> int:
    rgb = color.rgb()
    return sum(1 for y in range(0, image.height(), 2) for x in range(0, image.width(), 2)
               if image.pixel(x, y) == rgb)


# ---------------------------------------------------------------------- off the GUI thread
def test_figures_read_through_a_reader_of_their_own(env, filled):
    from journal.core import stats
    from journal.core.search import SearchReader

    j, _, _ = env
    reader = SearchReader(j.path)
    assert stats.compute_on_reader(reader, TODAY) == stats.compute(j, TODAY)
    assert reader.is_open and reader.opened == 1
    with pytest.raises(stats.StatisticsCancelled):  # not wanted before it starts
        stats.compute_on_reader(reader, TODAY, cancelled=lambda: True)
    reader.close()


def test_a_computation_no_longer_wanted_stops_mid_statement(journal):
    from journal.core import stats
    from journal.core.search import SearchReader
    from journal.core.synthetic import populate

    populate(journal, films=300, reviews=50, viewings=4000, body_bytes=50, seed=2)
    asked = []

    def cancelled() -> bool:  # wanted when it starts, not any more at SQLite's first check
        asked.append(1)
        return len(asked) > 1

    reader = SearchReader(journal.path)
    with pytest.raises(stats.StatisticsCancelled):
        stats.compute_on_reader(reader, TODAY, cancelled=cancelled)
    # Asked when it started, then by SQLite inside the first statement (which stopped it),
    # then once more to tell "not wanted" from a real failure: it never reached a second.
    assert len(asked) == 3
    # The connection is usable again, outside any transaction: the next figures are right.
    assert stats.compute_on_reader(reader, TODAY) == stats.compute(journal, TODAY)
    reader.close()


def _spy(monkeypatch, gate_first=None):
    """Record the thread each computation runs on (the real one runs); ``gate_first`` wraps the
    first call."""
    from journal.core import stats

    real, threads = stats.compute_on_reader, []

    def spy(reader, today=None, top=10, cancelled=None, year=None):
        threads.append(threading.get_ident())
        if gate_first is not None and len(threads) == 1:
            return gate_first(real, reader, today, top, cancelled)
        return real(reader, today, top, cancelled, year)

    monkeypatch.setattr(stats, "compute_on_reader", spy)
    return threads


def test_figures_are_computed_on_a_worker_while_the_page_says_computing(env, filled, qtbot,
                                                                        monkeypatch):
    from journal.core import stats
    from journal.ui.pages.statistics import StatisticsPage

    j, signals, errors = env
    threads, on_gui, shown = _spy(monkeypatch), [], []
    monkeypatch.setattr(stats, "compute", _recording(on_gui, stats.compute))
    page = StatisticsPage(j, signals, errors, today=TODAY)
    qtbot.addWidget(page)
    page.figures_shown.connect(shown.append)
    assert page.busy and page.status.text() == "Computing…"
    assert page.charts == {}  # built one per turn of the event loop, none in the constructor
    page._step()  # that first turn
    assert page.charts["per_year"].empty_text == "Computing…"  # not "Nothing to show yet"
    page.show()
    qtbot.waitUntil(lambda: not page.busy, timeout=10_000)
    assert len(shown) == 1 and shown[0] is page.stats and page.stats.total_viewings == 5
    assert page.status.text() == ""
    assert page.charts["per_year"].labels == ["2021", "2022", "2023", "2024", "2025"]
    assert threads and threading.get_ident() not in threads
    assert on_gui and threading.get_ident() not in on_gui  # compute() itself, in the worker
    assert page.reader.is_open and page.reader.opened == 1
    # The synchronous path (tests): on the GUI thread, drawn at once.
    j.viewings.log(filled[1], "2024-07-01")
    page.refresh_now()
    assert page.charts["per_year"].series[0][1] == [1.0, 0.0, 0.0, 2.0, 3.0]
    assert threading.get_ident() in on_gui


def _recording(threads, fn):
    def recorded(*args, **kwargs):
        threads.append(threading.get_ident())
        return fn(*args, **kwargs)
    return recorded


def test_a_change_mid_way_drops_the_stale_figures(env, filled, qtbot, monkeypatch):
    from journal.ui.pages.statistics import StatisticsPage

    j, signals, errors = env
    computed, release = threading.Event(), threading.Event()

    def stale(real, reader, today, top, cancelled):
        figures = real(reader, today, top)  # deaf to cancelling: its result comes back anyway
        computed.set()
        release.wait(10)
        return figures

    threads = _spy(monkeypatch, stale)
    page = StatisticsPage(j, signals, errors, today=TODAY)
    qtbot.addWidget(page)
    page.show()
    shown = []
    page.figures_shown.connect(shown.append)
    qtbot.waitUntil(computed.is_set)  # figures for the journal before the change, held back
    j.viewings.log(filled[1], "2025-03-03")  # Alien again
    assert page.busy and page.status.text() == "Computing…"
    release.set()
    qtbot.waitUntil(lambda: not page.busy, timeout=10_000)
    assert page.dropped == 1 and len(threads) == 2
    assert [s.total_viewings for s in shown] == [6]  # the stale five were never shown
    assert page.charts["per_year"].series[0][1][-1] == 4.0
    assert page.charts["per_month"].series[0][1][2] == 1.0


def test_closing_the_page_stops_its_computation(env, filled, qtbot, monkeypatch):
    from journal.ui.pages.statistics import StatisticsPage

    j, signals, errors = env
    started, release = threading.Event(), threading.Event()

    def held(real, reader, today, top, cancelled):
        started.set()
        release.wait(10)
        return real(reader, today, top, cancelled)

    _spy(monkeypatch, held)
    reported, shown = [], []
    errors.shown.connect(lambda title, text: reported.append(title))
    page = StatisticsPage(j, signals, errors, today=TODAY)
    qtbot.addWidget(page)
    page.figures_shown.connect(shown.append)
    page.show()
    qtbot.waitUntil(started.is_set)
    job = page._job
    page.close()
    assert job.token.cancelled
    release.set()
    qtbot.waitUntil(lambda: job not in StatisticsPage._running)
    assert page._job is None and not page.reader.is_open
    assert shown == [] and reported == []  # stopped quietly: nothing shown, nothing reported


def test_a_hidden_page_computes_when_shown_again(env, filled, qtbot, monkeypatch):
    j, _, _ = env
    page = _page(env, qtbot)
    threads = _spy(monkeypatch)
    page.hide()
    assert not page.reader.is_open
    j.viewings.log(filled[1], "2025-03-03")
    qtbot.wait(50)
    assert threads == [] and not page.busy  # nothing computed for a page nobody sees
    assert page.charts["per_year"].series[0][1][-1] == 3.0
    with qtbot.waitSignal(page.figures_shown, timeout=10_000):
        page.show()
    assert len(threads) == 1 and page.charts["per_year"].series[0][1][-1] == 4.0


# ---------------------------------------------------------------------- the charts
def test_charts_draw_the_figures(env, filled, qtbot):
    page = _page(env, qtbot)
    per_year = page.charts["per_year"]
    # Every year from the first viewing to the last, a year without any at zero.
    assert per_year.labels == ["2021", "2022", "2023", "2024", "2025"]
    assert per_year.series[0][1] == [1.0, 0.0, 0.0, 1.0, 3.0]
    (bars,) = _bars(per_year)
    assert list(bars.opts["height"]) == [1.0, 0.0, 0.0, 1.0, 3.0]
    months = page.charts["per_month"]
    assert [name for name, _ in months.series] == ["2025", "2024"]
    assert len(_bars(months)) == 2 and months.series[0][1][4] == 2.0  # May 2025: twice
    assert months.series[0][1][1] == 1.0 and months.series[1][1][4] == 1.0
    scores = page.charts["scores"].series[0][1]
    assert scores[8] == 1.0 and scores[6] == 1.0 and sum(scores) == 2.0
    assert page.charts["decades"].labels == ["1970s"]
    assert page.charts["decades"].series[0][1] == [pytest.approx(7.3)]
    directors = page.directors
    assert directors.labels == ["Andrei Tarkovsky", "Ridley Scott"]
    assert directors.series[0][1] == [4.0, 1.0]
    assert page.actors.labels == ["Sigourney Weaver"]
    assert "2021: 1; 2022: 0" in per_year.accessibleDescription()
    assert "60%" in page.summary.text()  # Stalker seen four times: three rewatches of five
    # Value labels are shown where the bars leave room for them.
    assert any(t.isVisible() for t in per_year._value_texts)


def test_every_chart_is_named_and_reachable(env, filled, qtbot):
    page = _page(env, qtbot)
    names = {chart.objectName() for chart in page.charts.values()}
    assert names == {"chartPerYear", "chartPerMonth", "chartScores", "chartDecades",
                     "chartDirectors", "chartActors"}
    for chart in page.charts.values():
        assert chart.accessibleName() and chart.focusPolicy() & Qt.FocusPolicy.TabFocus
        assert chart.getPlotItem().getViewBox().menuEnabled() is False


def test_save_as_png_draws_bars_in_the_accent(env, filled, qtbot, tmp_path, monkeypatch):
    page = _page(env, qtbot)
    chart = page.charts["per_year"]
    out = tmp_path / "chart.png"
    assert chart.save_png(out)
    image = QImage(str(out))
    assert (image.width(), image.height()) == (chart.width(), chart.height())
    accent = chart.palette().color(QPalette.ColorRole.Highlight)
    assert _count_color(image, accent) > 200
    picked = tmp_path / "picked.png"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(picked), "PNG image (*.png)")))
    chart.save_dialog()
    assert QImage(str(picked)).width() == chart.width()
    # The Menu key (a keyboard context-menu event) offers the same command.
    shown = []
    monkeypatch.setattr(QMenu, "popup", lambda menu, *a: shown.append(menu))  # no real popup
    QApplication.sendEvent(chart, QContextMenuEvent(QContextMenuEvent.Reason.Keyboard,
                                                    QPoint(10, 10), chart.mapToGlobal(QPoint(10, 10))))
    assert [[a.text() for a in menu.actions()] for menu in shown] == [
        ["Show as Table", "Save Chart as PNG…"]]


def test_charts_follow_light_and_dark(env, filled, qtbot):
    app = QApplication.instance()
    original = app.palette()
    page = _page(env, qtbot)
    chart = page.charts["scores"]
    light_bg = chart.grab().toImage().pixelColor(4, 4)
    assert light_bg.lightness() > 128
    dark = QPalette(original)
    for role, color in ((QPalette.ColorRole.Window, "#2b2b2b"),
                        (QPalette.ColorRole.Base, "#1e1e1e"),
                        (QPalette.ColorRole.Text, "#e6e6e6"),
                        (QPalette.ColorRole.WindowText, "#e6e6e6")):
        dark.setColor(role, QColor(color))
    try:
        app.setPalette(dark)
        qtbot.waitUntil(lambda: chart._theme == "dark")
        image = chart.grab().toImage()
        assert image.pixelColor(4, 4) == QColor("#1e1e1e")
        assert chart.getPlotItem().getAxis("left").textPen().color() == QColor("#e6e6e6")
    finally:
        app.setPalette(original)
    qtbot.waitUntil(lambda: chart._theme == "light")
    assert chart.grab().toImage().pixelColor(4, 4) == light_bg


def test_clicking_a_person_opens_them(env, filled, qtbot):
    j, _, _ = env
    page = _page(env, qtbot)
    chart = page.directors
    scott = j.people.find("Ridley Scott").id
    box = chart.getPlotItem().getViewBox()
    on_bar = chart.mapFromScene(box.mapViewToScene(QPointF(0.5, 1.0)))
    with qtbot.waitSignal(page.open_person, timeout=2000) as blocker:
        qtbot.mouseClick(chart.viewport(), Qt.MouseButton.LeftButton, pos=on_bar)
    assert blocker.args == [scott]
    # Below the last row: nothing.
    below = chart.mapFromScene(box.mapViewToScene(QPointF(0.5, 1.55)))
    with qtbot.assertNotEmitted(page.open_person, wait=100):
        qtbot.mouseClick(chart.viewport(), Qt.MouseButton.LeftButton, pos=below)


def test_keyboard_moves_through_people_and_opens_one(env, filled, qtbot):
    j, _, _ = env
    page = _page(env, qtbot)
    chart = page.directors
    chart.setFocus()
    qtbot.waitUntil(chart.hasFocus)
    assert chart.current == 0
    (bars,) = _bars(chart)
    assert bars.opts["brushes"][0] != bars.opts["brushes"][1]  # the current bar stands out
    qtbot.keyClick(chart, Qt.Key.Key_Down)
    qtbot.keyClick(chart, Qt.Key.Key_Down)  # stays on the last
    with qtbot.waitSignal(page.open_person, timeout=2000) as blocker:
        qtbot.keyClick(chart, Qt.Key.Key_Return)
    assert blocker.args == [j.people.find("Ridley Scott").id]
    qtbot.keyClick(chart, Qt.Key.Key_Home)
    with qtbot.waitSignal(page.open_person, timeout=2000) as blocker:
        qtbot.keyClick(chart, Qt.Key.Key_Space)
    assert blocker.args == [j.people.find("Andrei Tarkovsky").id]


def test_empty_journal_and_live_refresh(env, qtbot):
    j, _, _ = env
    page = _page(env, qtbot)
    for chart in page.charts.values():
        assert chart.is_empty() and chart.accessibleDescription() == "No data yet"
        assert not _bars(chart)
    film = j.films.create("Mirror", 1975, directors=["Andrei Tarkovsky"])
    with qtbot.waitSignal(page.figures_shown, timeout=10_000):  # computed on a worker
        j.viewings.log(film.id, "2025-01-10")
    assert page.charts["per_year"].labels == ["2025"]
    assert page.directors.ids == [j.people.find("Andrei Tarkovsky").id]
    assert len(_bars(page.charts["per_month"])) == 2


def test_nice_step():
    from journal.ui.pages.statistics_charts import nice_step

    assert [nice_step(t) for t in (0, 3, 10, 37, 82, 450, 10_000)] == \
        [1.0, 1.0, 2.0, 10.0, 20.0, 100.0, 2000.0]


def test_pyqtgraph_loads_only_with_the_statistics_page():
    """The main window and everything it imports at start-up stay free of pyqtgraph and numpy;
    the Statistics page module brings them in. Only its chart module names pyqtgraph."""
    code = ("import sys; import journal.ui.application, journal.ui.mainwindow, journal.app; "
            "before = sorted(m for m in ('pyqtgraph', 'numpy') if m in sys.modules); "
            "import journal.ui.pages.statistics; "
            "print(before, 'pyqtgraph' in sys.modules, 'numpy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, timeout=60, check=True,
                         env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})
    assert out.stdout.split() == ["[]", "True", "True"]
    naming = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "journal").rglob("*.py")
                    if "import pyqtgraph" in p.read_text(encoding="utf-8"))
    assert naming == ["journal/ui/pages/statistics_charts.py"]


def test_main_window_builds_the_page_when_shown_and_routes_people(env, filled, qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    from journal.ui.mainwindow import MainWindow
    from journal.ui.pages.statistics import StatisticsPage

    j, signals, errors = env
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(j, signals, settings, errors, lambda parent: None)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert not isinstance(window.pages["statistics"], StatisticsPage)
    window.show_page("statistics")
    page = window.pages["statistics"]
    assert isinstance(page, StatisticsPage) and window.stack.currentWidget() is page
    qtbot.waitUntil(lambda: not page.busy)  # charts built, figures computed on a worker
    page.directors.person_activated.emit(j.people.find("Ridley Scott").id)
    assert window.current_page_key() == "people"


def test_a_page_deleted_mid_computation_closes_its_connection(env, qtbot, monkeypatch):
    """A journal switch or a closed window while the figures compute: the page goes before its
    worker reports; its read connection must go with it (else the old journal's WAL stays)."""
    from PySide6.QtCore import QCoreApplication, QEvent

    from journal.core import stats
    from journal.ui.pages.statistics import StatisticsPage

    j, signals, errors = env
    film = j.films.create("Stalker", 1979, directors=["Andrei Tarkovsky"])
    j.viewings.log(film.id, "2021-03-02")
    started, release = threading.Event(), threading.Event()
    real = stats._viewings_pass

    def held(db, figures, *args):
        started.set()
        release.wait(10)
        return real(db, figures, *args)

    monkeypatch.setattr(stats, "_viewings_pass", held)
    page = StatisticsPage(j, signals, errors, today=TODAY)
    page.show()
    qtbot.waitUntil(started.is_set, timeout=10_000)
    reader, job = page.reader, page._job
    assert reader.is_open and job is not None
    page.hide()  # what closing the window does, then deleteLater
    page.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    release.set()
    qtbot.waitUntil(lambda: job not in StatisticsPage._running, timeout=10_000)
    assert not reader.is_open
