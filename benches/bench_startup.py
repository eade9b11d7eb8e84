"""Cold start on a 10,000-review journal, against a bare PySide6 window, in the same run.

Both processes report three moments, measured from process spawn (interpreter start, imports,
journal, window):

- **shown**: the first turn of the event loop after ``show()`` — the issue's figure (goal <= 1.5x);
- **painted**: the first frame painted (the bare window paints no text, ours the list of reviews:
  Qt's font set-up alone costs a window with any text ~30 ms);
- **ready**: the journal fully open and every page built (only ours).

Wall-clock medians over interleaved runs, so machine noise hits both alike; the CPU time of the
process at "shown" is printed too — on a busy machine it is the steadier figure. Also the
resident memory of each.

The package is byte-compiled first, as installing a wheel does: with PYTHONDONTWRITEBYTECODE set
(it is on some machines) an editable checkout would otherwise compile every module it imports on
each start — 15-25 ms more, which is not what a user's installed Eyelights pays.
"""

from __future__ import annotations

import compileall
import os
import statistics
import subprocess
import sys
import time

from common import ROOT, print_table, row, synthetic_journal

BARE = """
import sys, time
from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
def report(what):
    print(f"{what} {time.time():.6f} {time.process_time() * 1000:.1f}", flush=True)
app = QApplication(sys.argv)
w = QMainWindow()
w.resize(1180, 760)
w.show()
QTimer.singleShot(0, lambda: report("shown"))
class FirstPaint(QObject):  # as journal.ui.first_paint: the native window's paint events
    def eventFilter(self, watched, event):
        from PySide6.QtCore import QEvent
        if event.type() in (QEvent.Type.Expose, QEvent.Type.UpdateRequest) and watched.isExposed():
            watched.removeEventFilter(self)
            QTimer.singleShot(0, lambda: (report("painted"), app.quit()))
        return False
spy = FirstPaint()
w.windowHandle().installEventFilter(spy)
app.exec()
"""

#: The same frame as ours (sidebar, filter row, a table of 80 rows, menus, status bar) in plain
#: PySide6: no journal, no app code. Ours against it is what the app itself adds.
BARE_LIST = """
import sys, time
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (QApplication, QHBoxLayout, QLabel, QLineEdit, QListWidget,
    QMainWindow, QPushButton, QSplitter, QTableView, QVBoxLayout, QWidget)
def report(what):
    print(f"{what} {time.time():.6f} {time.process_time() * 1000:.1f}", flush=True)
app = QApplication(sys.argv)
w = QMainWindow()
for title in ("&File", "&Edit", "&View", "&Go", "&Help"):
    w.menuBar().addMenu(title)
side = QListWidget()
side.addItems(["Reviews", "Films", "People", "Diary", "Watchlist", "Statistics", "Search"])
page = QWidget()
row = QHBoxLayout()
row.addWidget(QLineEdit(), 1)
for text in ("New review", "Open", "Duplicate", "Delete"):
    row.addWidget(QPushButton(text))
model = QStandardItemModel(0, 6)
model.setHorizontalHeaderLabels(["Film", "Year", "Score", "Date of viewing", "Status", "Last edited"])
for n in range(80):
    model.appendRow([QStandardItem(t) for t in (f"Film {n}", "1979", "8.5", "24 January 2014",
                                                "Published", "2026-11-25 12:00")])
table = QTableView()
table.setModel(model)
table.verticalHeader().hide()
layout = QVBoxLayout(page)
layout.addLayout(row)
layout.addWidget(table)
split = QSplitter()
split.addWidget(side)
split.addWidget(page)
w.setCentralWidget(split)
w.statusBar().addWidget(QLabel("journal.eyelights"), 1)
w.statusBar().addPermanentWidget(QLabel("5000 films · 10000 reviews"))
w.resize(1180, 760)
w.show()
QTimer.singleShot(0, lambda: (report("shown"), app.quit()))
app.exec()
"""

MEASURE = """
import resource, subprocess, sys, time
start = time.time()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
moments = {}
for line in done.stdout.splitlines():
    word, *values = line.split()
    if word in ("shown", "painted", "ready") and word not in moments:
        moments[word] = ((float(values[0]) - start) * 1000, float(values[1]))
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(repr({"moments": moments, "rss": rss, "code": done.returncode}))
"""

MOMENTS = ("shown", "painted", "ready")


def _measure(cmd: list[str], env: dict[str, str]) -> dict:
    out = subprocess.run([sys.executable, "-c", MEASURE, *cmd], env=env, capture_output=True,
                         text=True, check=True).stdout
    result = eval(out)  # our own repr() from MEASURE above
    if result["code"] != 0 or "shown" not in result["moments"]:
        raise RuntimeError(f"{cmd} exited with {result['code']}: {result['moments']}")
    return result


def run(reviews: int = 10_000, repeat: int = 11) -> list[dict[str, object]]:
    build = time.perf_counter()
    path = synthetic_journal("startup", films=reviews // 2, reviews=reviews)
    build_s = time.perf_counter() - build
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT),
           "EYELIGHTS_REPORT_SHOWN": "1",
           "HOME": str(ROOT / "bench-out" / "home"), "XDG_CONFIG_HOME": str(ROOT / "bench-out" /
                                                                             "home" / "config")}
    compileall.compile_dir(str(ROOT / "journal"), quiet=1)  # as a wheel's installation does
    ours_cmd = [sys.executable, "-m", "journal", "--smoke-test", "--journal", str(path)]
    bare_cmd = [sys.executable, "-c", BARE]
    frame_cmd = [sys.executable, "-c", BARE_LIST]
    _measure(ours_cmd, env)  # warm the page cache and make the periodic backup once
    _measure(bare_cmd, env)
    _measure(frame_cmd, env)
    bare, ours, frame = [], [], []
    for _ in range(repeat):  # interleaved so that machine noise hits both alike
        bare.append(_measure(bare_cmd, env))
        ours.append(_measure(ours_cmd, env))
        frame.append(_measure(frame_cmd, env))

    def median(results: list[dict], moment: str, index: int = 0) -> float:
        return statistics.median(r["moments"][moment][index] for r in results)

    size_mb = path.stat().st_size / 1e6
    journal = f"{reviews:,} reviews ({size_mb:.0f} MB)"
    cpu_bare, cpu_ours = median(bare, "shown", 1), median(ours, "shown", 1)
    rows = [
        row(f"cold start to window shown, {journal}", median(bare, "shown"),
            median(ours, "shown"), "<= 1.5x",
            f"CPU {cpu_ours:.0f} vs {cpu_bare:.0f} ms = {cpu_ours / cpu_bare:.2f}x; " +
            (f"journal built in {build_s:.0f}s" if build_s > 1 else "cached journal")),
        row("cold start to window shown, against the same widgets in plain PySide6",
            median(frame, "shown"), median(ours, "shown"), "report",
            "floor: sidebar, filter row, 80-row table, menus, status bar; no journal"),
        row("cold start to first frame painted", median(bare, "painted"),
            median(ours, "painted"), "report", "the bare window paints no text"),
        row("cold start to journal fully open (editor, menus, all rows)", median(bare, "painted"),
            median(ours, "ready"), "report", "floor: bare window painted"),
    ]
    rss = row("resident memory after opening", statistics.median(r["rss"] for r in bare),
              statistics.median(r["rss"] for r in ours), "report", "MB; floor = bare window")
    rss["unit"] = "MB"
    rows.append(rss)
    return rows


if __name__ == "__main__":
    print_table(run())
