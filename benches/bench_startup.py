"""Cold start to main window shown, on a 10,000-review journal, against a bare PySide6 window.

Both are measured from process spawn to the first event-loop turn after the window is shown
(interpreter start, imports, journal open, first paint), in the same run; the ratio is what
counts (goal <= 1.5x). Also the resident memory of each.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

from common import ROOT, print_table, row, synthetic_journal

BARE = """
import sys
import time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
w = QMainWindow()
w.resize(1180, 760)
w.show()
def done():
    print(f"shown {time.time():.6f}", flush=True)
    app.quit()
QTimer.singleShot(0, done)
app.exec()
"""

MEASURE = """
import resource, subprocess, sys, time
start = time.time()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
shown = [float(line.split()[1]) for line in done.stdout.splitlines() if line.startswith("shown ")]
elapsed = (shown[0] - start) * 1000 if shown else -1
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(f"{elapsed:.3f} {rss:.1f} {done.returncode}")
"""


def _measure(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    out = subprocess.run([sys.executable, "-c", MEASURE, *cmd], env=env, capture_output=True,
                         text=True, check=True).stdout.split()
    if out[2] != "0" or float(out[0]) < 0:
        raise RuntimeError(f"{cmd} exited with {out[2]}")
    return float(out[0]), float(out[1])


def run(reviews: int = 10_000, repeat: int = 5) -> list[dict[str, object]]:
    build = time.perf_counter()
    path = synthetic_journal("startup", films=reviews // 2, reviews=reviews)
    build_s = time.perf_counter() - build
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT),
           "EYELIGHTS_REPORT_SHOWN": "1",
           "HOME": str(ROOT / "bench-out" / "home"), "XDG_CONFIG_HOME": str(ROOT / "bench-out" /
                                                                             "home" / "config")}
    ours_cmd = [sys.executable, "-m", "journal", "--smoke-test", "--journal", str(path)]
    bare_cmd = [sys.executable, "-c", BARE]
    _measure(ours_cmd, env)  # warm the page cache and make the periodic backup once
    _measure(bare_cmd, env)
    bare, ours = [], []
    for _ in range(repeat):  # interleaved so that machine noise hits both alike
        bare.append(_measure(bare_cmd, env))
        ours.append(_measure(ours_cmd, env))
    bare_ms = statistics.median(t for t, _ in bare)
    ours_ms = statistics.median(t for t, _ in ours)
    size_mb = path.stat().st_size / 1e6
    rows = [
        row(f"cold start, {reviews:,} reviews ({size_mb:.0f} MB)", bare_ms, ours_ms, "<= 1.5x",
            f"journal built in {build_s:.0f}s" if build_s > 1 else "cached journal"),
    ]
    rss = row("resident memory after opening", statistics.median(m for _, m in bare),
              statistics.median(m for _, m in ours), "report", "MB; floor = bare window")
    rss["unit"] = "MB"
    rows.append(rss)
    return rows


if __name__ == "__main__":
    print_table(run())
