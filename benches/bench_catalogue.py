"""Benchmark: Films, People, Diary and Statistics pages on a generated journal.

``python benches/bench_catalogue.py`` uses 20,000 films, 40,000 viewings and 10,000 people;
``--full`` uses the issue's 100,000 films, 200,000 viewings and 50,000 people. Both journals are
generated once and cached in bench-out/ (about 10 s and 1 min). ``--statistics`` runs only the
Statistics rows.
``run(full=False)`` returns rows for ``benches/run_all.py``. Each row compares our figure with a
floor measured in the same run (the irreducible part: a bare widget painted, a bare SQL scan).
The memory row gives megabytes (resident set) in the *_ms columns.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SMALL = (20_000, 40_000)
FULL = (100_000, 200_000)


def _ms(func: Callable[[], object], repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1_048_576


FILMS_PAGE_MEMORY = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtWidgets import QApplication
from journal.core.journal import Journal
from journal.ui.bridge import JournalSignals
from journal.ui.errors import ErrorReporter
from journal.ui.pages.films import FilmsPage
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1_048_576
app = QApplication([])
j = Journal.open(sys.argv[1], read_only=True)
signals, errors = JournalSignals(j), ErrorReporter()
before = rss()
page = FilmsPage(j, signals, errors)
page.resize(1100, 700)
page.grab()
page.table.scrollToBottom()
page.grab()
print(before, rss() - before)
"""


def _films_page_memory(path: Path) -> tuple[float, float]:
    """(RSS before, RSS added) by the Films page, in a process of its own: in this one, memory
    freed by earlier benches is reused and the page would seem to cost nothing."""
    done = subprocess.run([sys.executable, "-c", FILMS_PAGE_MEMORY, str(path)], check=True,
                          capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
    before, added = (float(x) for x in done.stdout.split())
    return before, added


def _row(bench: str, floor: float, value: float, goal: str,
         note: str = "") -> dict[str, object]:
    return {"bench": bench, "floor_ms": round(floor, 1), "value_ms": round(value, 1),
            "ratio": round(value / floor, 2) if floor else 0.0, "goal": goal, "note": note}


def _journal(films: int, viewings: int) -> object:
    """The generated journal, cached in bench-out/ (built once: ~10 s small, ~1 min full).
    Nothing here writes to it: the Statistics refresh is driven by a change event."""
    from common import synthetic_journal

    from journal.core.journal import Journal

    return Journal.open(synthetic_journal("catalogue", films=films, reviews=films // 5,
                                          viewings=viewings, body_bytes=200, seed=3))


class StallMeter:
    """The longest time the GUI thread went without running its event loop: a precise 5 ms
    timer ticks, and the widest gap between two ticks (less the 5 ms) is the worst stall."""

    TICK_MS = 5

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(self.TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.last = self.worst = 0.0

    def _tick(self) -> None:
        now = time.perf_counter()
        self.worst = max(self.worst, now - self.last)
        self.last = now

    def measure(self, start: Callable[[], object], done: Callable[[], bool],
                settle_ms: int = 150, timeout_s: float = 60) -> tuple[float, float]:
        """Run ``start`` from the event loop, then the loop until ``done()`` and ``settle_ms``
        more (the paints that follow). Returns (ms until done, longest stall in ms)."""
        from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

        app = QCoreApplication.instance()
        assert app is not None
        self.worst, self.last = 0.0, time.perf_counter()
        began = self.last
        self.timer.start()
        QTimer.singleShot(0, start)
        ready = None
        while time.perf_counter() - began < timeout_s:
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
            if ready is None and done():
                ready = time.perf_counter()
            if ready is not None and time.perf_counter() - ready > settle_ms / 1000:
                break
        self._tick()
        self.timer.stop()
        if ready is None:
            raise TimeoutError("the page never finished")
        return (ready - began) * 1000, max(0.0, self.worst * 1000 - self.TICK_MS)


def statistics_rows(j: object, signals: object, errors: object, size: str,
                    repeats: int = 5) -> list[dict[str, object]]:
    """The Statistics page opened (built, shown, figures drawn) and refreshed after a change,
    as the GUI thread lives it: time until the figures are shown, and the longest stall of
    the event loop meanwhile (the median over ``repeats`` opens of each one's longest stall:
    this 2-core VM has neighbours; the worst is in the note). Floor: a bare QWidget shown in
    the same harness. pyqtgraph is imported before (the first open's import is
    ``library_rows``)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication, QWidget

    from journal.core.events import Changes
    from journal.ui.pages.statistics import StatisticsPage

    meter = StallMeter()
    held: list[QWidget] = []

    def show(factory: Callable[[], QWidget]) -> Callable[[], None]:
        def go() -> None:
            widget = factory()
            widget.resize(1100, 700)
            widget.show()
            held.append(widget)
        return go

    def idle() -> bool:  # the figures are on screen (no busy attribute: computed at once)
        return bool(held) and not getattr(held[-1], "busy", False)

    def closed() -> None:
        for widget in held:
            widget.close()
            widget.deleteLater()
        held.clear()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    floors, opens, stalls, refreshes, refresh_stalls = [], [], [], [], []
    for _ in range(repeats):
        floors.append(meter.measure(show(QWidget), idle)[1])
        closed()
        took, stall = meter.measure(show(lambda: StatisticsPage(j, signals, errors)), idle)
        opens.append(took)
        stalls.append(stall)
        page = held[-1]
        took, stall = meter.measure(lambda: j.events.emit(Changes.of(viewings=True)),  # type: ignore[attr-defined]
                                    lambda page=page: not getattr(page, "busy", False))
        refreshes.append(took)
        refresh_stalls.append(stall)
        closed()
    floor = statistics.median(floors)

    def stall_row(bench: str, stalls: list[float]) -> dict[str, object]:
        row = _row(bench, floor, statistics.median(stalls), "<= 50 ms")
        row["note"] = f"median of {len(stalls)}; worst {max(stalls):.0f} ms"
        return row

    return [
        _row(f"Statistics page open to figures shown ({size}; floor: bare QWidget)",
             floor, statistics.median(opens), "-"),
        stall_row("Statistics page open: longest GUI stall (floor: bare QWidget)", stalls),
        _row("Statistics refresh after a change: to figures shown", floor,
             statistics.median(refreshes), "-"),
        stall_row("Statistics refresh after a change: longest GUI stall", refresh_stalls),
    ]


# Run in a fresh interpreter (an import is paid once per process): a bare QWidget page shown
# (the floor), then the Statistics page's first open on the sample journal, import included,
# until its figures are drawn.
_FIRST_OPEN = """
import os, sys, tempfile, time
from pathlib import Path
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtWidgets import QApplication, QWidget
from journal.core.journal import Journal
from journal.core.sample import load_sample
from journal.ui.bridge import JournalSignals
from journal.ui.errors import ErrorReporter
app = QApplication([])
folder = tempfile.mkdtemp()
j = Journal.open(Path(folder) / "s.eyelights")
load_sample(j)
signals, errors = JournalSignals(j), ErrorReporter()
def shown(make):
    start = time.perf_counter()
    widget = make()
    widget.resize(1100, 700)
    widget.show()
    while getattr(widget, "busy", False):  # charts built and figures drawn, chart by chart
        app.processEvents()
    widget.grab()
    return (time.perf_counter() - start) * 1000
floor = shown(QWidget)
def page():
    from journal.ui.pages.statistics import StatisticsPage
    return StatisticsPage(j, signals, errors)
print(floor, shown(page))
signals.detach()
j.close()
"""
_IMPORT = """
import time
start = time.perf_counter()
import PySide6.QtWidgets
middle = time.perf_counter()
import pyqtgraph
print((middle - start) * 1000, (time.perf_counter() - middle) * 1000)
"""


def _fresh(code: str, repeats: int = 3) -> tuple[float, float]:
    """Medians of the two figures a fresh interpreter prints for ``code``."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYQTGRAPH_QT_LIB="PySide6")
    pairs = []
    for _ in range(repeats):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True, cwd=Path(__file__).resolve().parent.parent, env=env)
        first, second = out.stdout.split()[-2:]
        pairs.append((float(first), float(second)))
    return statistics.median(a for a, _ in pairs), statistics.median(b for _, b in pairs)


def library_rows() -> list[dict[str, object]]:
    """What the chart library costs: its bare import, and the page's first open with it."""
    floor, value = _fresh(_IMPORT)
    rows = [_row("import pyqtgraph (floor: import PySide6.QtWidgets)", floor, value, "report")]
    floor, value = _fresh(_FIRST_OPEN)
    rows.append(_row("Statistics page first open, incl. pyqtgraph import (sample; "
                     "floor: bare QWidget page)", floor, value, "report"))
    return rows


def run(full: bool = False, only_statistics: bool = False) -> list[dict[str, object]]:
    from PySide6.QtWidgets import QApplication

    QApplication.instance() or QApplication([])
    from journal.core import stats
    from journal.ui.bridge import JournalSignals
    from journal.ui.errors import ErrorReporter

    films, viewings = FULL if full else SMALL
    j = _journal(films, viewings)
    signals, errors = JournalSignals(j), ErrorReporter()
    errors.dialogs_enabled = False
    size = f"{films // 1000}k films/{viewings // 1000}k viewings"
    rows = [] if only_statistics else _page_rows(j, signals, errors, size) + picker_rows(j)
    signals.detach()  # the pages above (and their reactions to changes) are gone
    signals = JournalSignals(j)
    floor = _ms(lambda: j.store.db.execute_sql(  # type: ignore[attr-defined]
        "SELECT COUNT(*), MAX(watched_on) FROM viewing").fetchone(), 3)
    rows.append(_row("Statistics computed", floor, _ms(lambda: stats.compute(j), 3),  # type: ignore[arg-type]
                     "<= 500 ms"))
    rows.extend(statistics_rows(j, signals, errors, size))
    signals.detach()
    j.close()  # type: ignore[attr-defined]
    return rows if only_statistics else library_rows() + rows


def _filter_rows(page: Any, j: Any, size: str) -> list[dict[str, object]]:
    """"tarko" typed into the Films page's filter one real key at a time, as
    ``bench_films_list.py`` does at 100,000 films: from each key to its first rows painted."""
    from bench_films_list import type_into_filter
    from PySide6.QtTest import QTest

    page.resize(1100, 700)
    page.show()
    QTest.qWaitForWindowExposed(page)
    page.filter.setFocus()
    keys = type_into_filter(page, StallMeter(), j.path, "tarko")
    shown = [k[2] for k in keys]
    return [_row(f"Films quick filter: keystroke to rows shown, median t…tarko ({size})",
                 statistics.median(k[1] for k in keys), statistics.median(shown), "<= 50 ms",
                 "floor: the filter's SQL alone; per key: "
                 + ", ".join(f"{v:.0f}" for v in shown) + " ms"),
            _row(f"Films quick filter: keystroke to rows shown, worst ({size})",
                 max(k[1] for k in keys), max(shown), "report",
                 f"longest GUI stall while typing: {max(k[4] for k in keys):.0f} ms")]


PICKER_KEYS = ("b", "bo", "bol", "bold", "bold a", "the bold actor 1")


def picker_rows(j: object) -> list[dict[str, object]]:
    """The review form's film picker: one question a key typed (``films_matching``, what its
    worker runs), against reading every film's id (what reaching for it used to read, sorted)."""
    from journal.core.film_titles import films_matching

    floor = _ms(lambda: j.store.db.execute_sql("SELECT id FROM film").fetchall())  # type: ignore[attr-defined]
    typed = [_ms(lambda text=text: films_matching(j, text), 3)  # type: ignore[misc]
             for text in PICKER_KEYS]
    rows = [_row("Film picker: a key typed, films asked (median b…the bold actor 1)", floor,
                 statistics.median(typed), "<= 50 ms"),
            _row("Film picker: a text no film holds (the whole index scanned)", floor,
                 _ms(lambda: films_matching(j, "zzzz"), 3), "report")]  # type: ignore[arg-type]
    for r in rows:
        r["note"] = "on the picker's worker; floor: every film's id read"
    return rows


def _page_rows(j: object, signals: object, errors: object,
               size: str) -> list[dict[str, object]]:
    """Films, People and Diary pages, the quick filter, the Films page's memory."""
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication, QTableView, QTreeView

    from journal.ui.pages.diary import DiaryPage
    from journal.ui.pages.films import FilmsPage
    from journal.ui.pages.people import PeoplePage

    def shown(factory: Callable[[], object]) -> Callable[[], None]:
        def go() -> None:
            widget = factory()
            widget.resize(1100, 700)  # type: ignore[attr-defined]
            widget.grab()  # type: ignore[attr-defined]  # laid out and painted
            widget.deleteLater()  # type: ignore[attr-defined]
            QApplication.processEvents()
        return go

    rows = []
    before, memory = _films_page_memory(j.path)  # type: ignore[attr-defined]
    page = FilmsPage(j, signals, errors)
    bare_table = _ms(shown(QTableView))
    rows.append(_row(f"Films page open ({size})", bare_table,
                     _ms(shown(lambda: FilmsPage(j, signals, errors))), "<= 300 ms"))
    people = j.store.db.execute_sql(  # type: ignore[attr-defined]
        "SELECT COUNT(*) FROM person WHERE deleted_at IS NULL").fetchone()[0]
    rows.append(_row(f"People page open ({people:,} people)", bare_table,
                     _ms(shown(lambda: PeoplePage(j, signals, errors))), "<= 300 ms"))
    if "100k" not in size:  # at 100,000 films: bench_films_list.py, the same measure
        rows.extend(_filter_rows(page, j, size))
    rows.append(_row(f"Diary page open ({size})", _ms(shown(QTreeView)),
                     _ms(shown(lambda: DiaryPage(j, signals, errors))), "-"))
    page.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    memory_row = _row("Memory added by the Films page (floor: the process before)", before,
                      memory, "report")
    memory_row.update(unit="MB", ratio=None, note=f"+{memory:.1f} MB over {before:.0f} MB")
    memory_row["floor_ms"], memory_row["value_ms"] = None, memory
    rows.append(memory_row)
    return rows


def main() -> None:
    from common import print_table

    print_table(run("--full" in sys.argv, only_statistics="--statistics" in sys.argv))


if __name__ == "__main__":
    main()
