"""Benchmark: Films, Diary and Statistics pages on a generated journal.

``python benches/bench_catalogue.py`` uses 20,000 films and 40,000 viewings (about 10 s to
generate); ``--full`` uses the issue's 100,000 films and 200,000 viewings (about 30 s more).
``run(full=False)`` returns rows for ``benches/run_all.py``. Each row compares our figure with a
floor measured in the same run (the irreducible part: a bare widget painted, a bare SQL scan).
The memory row gives megabytes (resident set) in the *_ms columns.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SMALL = (20_000, 40_000)
FULL = (100_000, 200_000)
KEYSTROKES = ("t", "ta", "tar", "tark", "tarko")


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


def _row(bench: str, floor: float, value: float, goal: str) -> dict[str, object]:
    return {"bench": bench, "floor_ms": round(floor, 1), "value_ms": round(value, 1),
            "ratio": round(value / floor, 2) if floor else 0.0, "goal": goal}


def _journal(films: int, viewings: int, folder: Path) -> object:
    from journal.core.journal import Journal
    from journal.core.synthetic import populate

    j = Journal.open(folder / "bench.eyelights")
    populate(j, films=films, reviews=films // 5, viewings=viewings, body_bytes=200, seed=3)
    return j


# Run in a fresh interpreter (an import is paid once per process): a bare QWidget page shown
# (the floor), then the Statistics page's first open on the sample journal, import included.
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


def run(full: bool = False) -> list[dict[str, object]]:
    from PySide6.QtWidgets import QApplication, QTableView, QTreeView, QWidget

    app = QApplication.instance() or QApplication([])
    from journal.core import stats
    from journal.ui.bridge import JournalSignals
    from journal.ui.errors import ErrorReporter
    from journal.ui.pages.diary import DiaryPage
    from journal.ui.pages.films import FilmsPage

    films, viewings = FULL if full else SMALL
    with tempfile.TemporaryDirectory() as tmp:
        j = _journal(films, viewings, Path(tmp))
        signals, errors = JournalSignals(j), ErrorReporter()
        errors.dialogs_enabled = False
        size = f"{films // 1000}k films/{viewings // 1000}k viewings"

        def shown(factory: Callable[[], object]) -> Callable[[], None]:
            def go() -> None:
                widget = factory()
                widget.resize(1100, 700)  # type: ignore[attr-defined]
                widget.grab()  # type: ignore[attr-defined]  # laid out and painted
                widget.deleteLater()  # type: ignore[attr-defined]
                app.processEvents()
            return go

        rows = []
        before = _rss_mb()  # first, before any page: Python seldom gives memory back
        page = FilmsPage(j, signals, errors)
        page.resize(1100, 700)
        page.grab()
        page.table.scrollToBottom()
        page.grab()
        memory = _rss_mb() - before
        bare_table = _ms(shown(QTableView))
        rows.append(_row(f"Films page open ({size})", bare_table,
                         _ms(shown(lambda: FilmsPage(j, signals, errors))), "<= 300 ms"))
        floor = _ms(lambda: j.store.db.execute_sql("SELECT id FROM film").fetchall())
        times = []
        for _ in range(3):
            for text in KEYSTROKES:
                start = time.perf_counter()
                page.model.set_filter(text)
                page.model.data(page.model.index(0, 0))
                times.append((time.perf_counter() - start) * 1000)
            page.model.set_filter("")
        rows.append(_row("Quick filter keystroke (median t…tarko)", floor,
                         statistics.median(times), "<= 50 ms"))
        rows.append(_row("Quick filter keystroke (worst, 't')", floor, max(times), "-"))
        rows.append(_row(f"Diary page open ({size})", _ms(shown(QTreeView)),
                         _ms(shown(lambda: DiaryPage(j, signals, errors))), "-"))
        floor = _ms(lambda: j.store.db.execute_sql(
            "SELECT COUNT(*), MAX(watched_on) FROM viewing").fetchone(), 3)
        rows.append(_row("Statistics computed", floor, _ms(lambda: stats.compute(j), 3),
                         "<= 500 ms"))
        from journal.ui.pages.statistics import StatisticsPage

        rows.append(_row(f"Statistics page open again ({size}; floor: bare QWidget)",
                         _ms(shown(QWidget)),
                         _ms(shown(lambda: StatisticsPage(j, signals, errors)), 3), "-"))
        memory_row = _row("Memory added by the Films page (floor: the process before)", before,
                          memory, "report")
        memory_row.update(unit="MB", ratio=None, note=f"+{memory:.1f} MB over {before:.0f} MB")
        memory_row["floor_ms"], memory_row["value_ms"] = None, memory
        rows.append(memory_row)
        signals.detach()
        j.close()  # type: ignore[attr-defined]
    return library_rows() + rows


def main() -> None:
    full = "--full" in sys.argv
    print(f"{'bench':<84} {'floor':>8} {'ours':>8} {'ratio':>6}  goal")
    for row in run(full):
        print(f"{row['bench']:<84} {row['floor_ms']:>8} {row['value_ms']:>8} "
              f"{row['ratio']:>6}  {row['goal']}")


if __name__ == "__main__":
    main()
