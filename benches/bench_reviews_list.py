"""The Reviews list at 10,000 reviews (issue 19, goals 2, 6 and 7 for this list): a click on a
column header sorts without blocking the window, and a quick-filter keystroke shows its rows
fast. The list holds ids and reads a screenful of rows (goal 2: memory), so sorting and the
filter run in SQL on the list's worker (``journal.core.review_rows.build_ids_sql``).

On the 10,000-review journal of ``bench_review_first.py`` (5,000 films):

- **sort**: a real mouse click on each column's header in turn; the longest stall of the GUI
  thread meanwhile (a 5 ms timer's widest gap; goal <= 50 ms), and the time until the sorted
  rows are in (floor: the same SQL alone, on a fresh connection);
- **quick filter**: "bright 19" typed one key at a time (real key events); from each key to its
  rows shown, painting included (goal <= 50 ms; floor: the filter's SQL alone).

It drives the page only through what the user touches, so the same file measures an older
checkout of the list (run it with that checkout first on ``PYTHONPATH``).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench_catalogue import StallMeter  # noqa: E402
from common import print_table, row, sql_ms, synthetic_journal  # noqa: E402

KEYS = "bright 19"
COLUMNS = ("film", "year", "score", "viewed", "status", "edited")



def _floor(path: Path, terms: list[str], sort: str, descending: bool) -> float | None:
    """The ids query alone; None for a checkout that has no ids query (a proxy list)."""
    from journal.core import review_rows as rr
    from journal.core.values import fold

    build = getattr(rr, "build_ids_sql", None)
    if build is None:
        return None
    sql, params = build(terms, sort, descending)
    return sql_ms(path, sql, params, functions={"fold": fold})


def run() -> list[dict[str, object]]:
    from PySide6.QtCore import QCoreApplication, QEventLoop, QPoint, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from journal.core.journal import Journal
    from journal.core.values import fold
    from journal.ui.bridge import JournalSignals
    from journal.ui.errors import ErrorReporter
    from journal.ui.pages.reviews import ReviewsPage

    app = QApplication.instance() or QApplication([])
    path = synthetic_journal("startup", films=5_000, reviews=10_000)
    j = Journal.open(path)
    signals, errors = JournalSignals(j), ErrorReporter()
    errors.dialogs_enabled = False
    page = ReviewsPage(j, signals, errors)
    page.resize(1100, 700)
    page.show()
    QTest.qWaitForWindowExposed(page)
    model, header = page.model, page.table.horizontalHeader()
    total = model.rowCount()
    busy = lambda: bool(getattr(model, "busy", False))  # noqa: E731 (older checkouts: never)
    meter = StallMeter()
    rows: list[dict[str, object]] = []
    stalls, waits = [], []
    for column, key in enumerate(COLUMNS):
        x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
        wait, stall = meter.measure(
            lambda x=x: QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                                         Qt.KeyboardModifier.NoModifier,
                                         QPoint(x, header.height() // 2)),
            lambda column=column: not busy() and model._sort[0] == column)
        stalls.append(stall)
        waits.append((key, _floor(path, [], key, model._sort[1]), wait))
    rows.append(row(f"Reviews list sort by each column ({total:,} reviews): longest GUI stall",
                    0.0, max(stalls), "<= 50 ms",
                    "per click: " + ", ".join(f"{s:.0f}" for s in stalls) + " ms"))
    for key, floor, wait in waits:
        rows.append(row(f"Reviews list sorted by {key} ({total:,} reviews): click to rows in",
                        floor, wait, "report", "floor: the same SQL alone"))
    # ------------------------------------------------------------------ quick filter
    page.filter.setFocus()
    loop = QCoreApplication.instance()
    assert loop is not None
    keys, floors, key_stalls = [], [], []
    for n, char in enumerate(KEYS, start=1):
        floors.append(_floor(path, fold(KEYS[:n]).split(), COLUMNS[model._sort[0]],
                             model._sort[1]))

        def settled(n: int = n) -> bool:
            return not busy() and page.filter.text() == KEYS[:n]

        def typed(char: str = char) -> None:
            QTest.keyClick(page.filter, char)

        wait, stall = meter.measure(typed, settled, settle_ms=60)
        start = time.perf_counter()  # the rows are in: their painting remains
        page.table.viewport().repaint()
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)
        keys.append(wait + (time.perf_counter() - start) * 1000)
        key_stalls.append(stall)
    shown = model.rowCount()
    known = [f for f in floors if f is not None]
    rows.append(row(f"Reviews quick filter: keystroke to rows shown, median of "
                    f"'{KEYS}' ({total:,} reviews)", statistics.median(known) if known else None,
                    statistics.median(keys), "<= 50 ms",
                    "floor: the filter's SQL alone; per key: "
                    + ", ".join(f"{k:.0f}" for k in keys) + f" ms; {shown} rows at the end"))
    rows.append(row(f"Reviews quick filter: keystroke to rows shown, worst ({total:,} reviews)",
                    max(known) if known else None, max(keys), "report",
                    "longest GUI stall while typing: " + f"{max(key_stalls):.0f} ms"))
    page.close()
    if hasattr(model, "close_reader"):
        model.close_reader()
    signals.detach()
    j.close()
    return rows


if __name__ == "__main__":
    print_table(run())
