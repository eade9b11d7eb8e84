"""The Films list at 100,000 films (issue 19, goals 6 and 7): a click on a column header sorts
without blocking the window, and a quick-filter keystroke shows its rows fast, no debounce.

On the cached 100,000-film journal of ``bench_catalogue.py --full`` (200,000 viewings; built
once, ~3 min):

- **sort**: a real mouse click on the Director, My score and Viewings headers (then back to
  Title); the longest stall of the GUI thread meanwhile (a 5 ms timer's widest gap; goal
  <= 50 ms), and the time until the sorted rows are in (floor: the same SQL alone);
- **quick filter**: "tarko" typed into the filter one key at a time (real key events); from
  each key to its rows shown, painting included (goal <= 50 ms; floor: the same SQL alone).
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

from bench_catalogue import FULL, StallMeter, _journal  # noqa: E402
from common import print_table, row, sql_ms  # noqa: E402

KEYS = "tarko"
SORTS = (("director", 3), ("score", 4), ("viewings", 5), ("title", 0))



def run() -> list[dict[str, object]]:
    from PySide6.QtCore import QCoreApplication, QEventLoop, QPoint, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from journal.core import catalogue_query as cq
    from journal.ui.bridge import JournalSignals
    from journal.ui.errors import ErrorReporter
    from journal.ui.pages.films import FilmsPage

    app = QApplication.instance() or QApplication([])
    films, viewings = FULL
    j = _journal(films, viewings)
    signals, errors = JournalSignals(j), ErrorReporter()
    errors.dialogs_enabled = False
    page = FilmsPage(j, signals, errors)
    page.resize(1100, 700)
    page.show()
    QTest.qWaitForWindowExposed(page)
    model, header = page.model, page.table.horizontalHeader()
    meter = StallMeter()
    rows: list[dict[str, object]] = []
    stalls, waits = [], []
    for key, column in SORTS:
        x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
        sql, params = cq.build_ids_sql(cq.FilmQuery(), key, False)
        floor = sql_ms(j.path, sql, params)
        wait, stall = meter.measure(
            lambda x=x: QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                                         Qt.KeyboardModifier.NoModifier,
                                         QPoint(x, header.height() // 2)),
            lambda key=key: not model.busy and model._sort == key)
        stalls.append(stall)
        waits.append((key, floor, wait))
    rows.append(row(f"Films list sort by director, score, viewings, title ({films:,} films): "
                    "longest GUI stall", 0.0, max(stalls), "<= 50 ms",
                    "per click: " + ", ".join(f"{s:.0f}" for s in stalls) + " ms"))
    for key, floor, wait in waits:
        rows.append(row(f"Films list sorted by {key} ({films:,} films): click to rows in",
                        floor, wait, "report", "floor: the same SQL alone; the window stays "
                        "responsive meanwhile"))
    # ------------------------------------------------------------------ quick filter
    page.filter.setFocus()
    loop = QCoreApplication.instance()
    assert loop is not None
    keys, floors, key_stalls = [], [], []
    for n, char in enumerate(KEYS, start=1):
        sql, params = cq.build_ids_sql(cq.parse_query(KEYS[:n]), "title", False)
        floors.append(sql_ms(j.path, sql, params))

        def settled(n: int = n) -> bool:
            return not model.busy and page.filter.text() == KEYS[:n]

        def typed(char: str = char) -> None:
            QTest.keyClick(page.filter, char)

        wait, stall = meter.measure(typed, settled, settle_ms=60)
        # the rows are in: what remains is their painting, in the next turns of the loop
        start = time.perf_counter()
        page.table.viewport().repaint()
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)
        keys.append(wait + (time.perf_counter() - start) * 1000)
        key_stalls.append(stall)
    rows.append(row(f"Films quick filter: keystroke to rows shown, median t…tarko "
                    f"({films:,} films)", statistics.median(floors), statistics.median(keys),
                    "<= 50 ms", "no debounce; floor: the filter's SQL alone; per key: "
                    + ", ".join(f"{k:.0f}" for k in keys) + " ms"))
    rows.append(row(f"Films quick filter: keystroke to rows shown, worst ({films:,} films)",
                    max(floors), max(keys), "report",
                    "longest GUI stall while typing: " + f"{max(key_stalls):.0f} ms"))
    page.close()
    model.close_reader()
    signals.detach()
    j.close()  # type: ignore[attr-defined]
    return rows


if __name__ == "__main__":
    print_table(run())
