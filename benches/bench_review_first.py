"""Launch to a review's preview drawn, and the peak memory then (issue 19, goals 1 and 2).

``eyelights --open review:ID`` on a journal holding one 12 KB review and on one of 10,000
reviews (5,000 films): from process spawn to the preview's first rendering painted (the app's
``--smoke-test`` reports it, ``journal/ui/timing.py``), against a bare PySide6 window's first
paint in the same run, interleaved. The review's page kept from an earlier opening
(``journal/core/render_cache.py``) is drawn with the first frame; the warm-up launch keeps it,
as a writer's earlier session would have. The miss (no kept page: the first opening after an
import, an edit made outside the app, another theme) is measured twice: on a copy of the 1-review
journal, and on the 10,000-review one opening another 12 KB review; their kept pages are removed
before each launch (the review is then rendered in the first look). Peak memory
(VmHWM) once the editor is built and shows the review (``editor``), against the bare window's.
Offscreen here; ``make bench-peers`` measures the same under Xvfb next to ReText and
ghostwriter.
"""

from __future__ import annotations

import compileall
import os
import statistics
import subprocess
import sys
import time

from common import OUT, ROOT, print_table, row, synthetic_journal

BARE = """
import sys, time
from PySide6.QtCore import QObject, QTimer, QEvent
from PySide6.QtWidgets import QApplication, QMainWindow
def report(what):
    hwm = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM"))
    print(f"{what} {time.time():.6f} {time.process_time() * 1000:.1f} {hwm}", flush=True)
app = QApplication(sys.argv)
w = QMainWindow()
w.resize(1180, 760)
w.show()
class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() in (QEvent.Type.Expose, QEvent.Type.UpdateRequest) and watched.isExposed():
            watched.removeEventFilter(self)
            QTimer.singleShot(0, lambda: (report("painted"), app.quit()))
        return False
spy = FirstPaint()
w.windowHandle().installEventFilter(spy)
app.exec()
"""

GOAL_TIME = 2.5
GOAL_MEMORY = 2.0


def one_review_journal() -> tuple[object, int]:
    """A journal holding one film and its 12 KB review (cached under bench-out/)."""
    from journal.core.journal import Journal
    from journal.core.synthetic import review_body

    path = OUT / "review-first-1.eyelights"
    done = path.with_suffix(".done")
    if not (path.exists() and done.exists()):
        OUT.mkdir(exist_ok=True)
        for stale in OUT.glob(path.name + "*"):
            stale.unlink()
        with Journal.open(path) as journal:
            film = journal.films.create("Her", 2013)
            journal.reviews.create(film.id, review_body(seed=7, approx_bytes=12_000),
                                   title="Her 8.5")
        done.write_text("1 review\n")
    return path, 1


def newest_review(path: object) -> int:
    import sqlite3

    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return int(db.execute("SELECT max(id) FROM review").fetchone()[0])


def _launch(cmd: list[str], env: dict[str, str], moment: str,
            last: str | None = None) -> tuple[float, float, float, float]:
    """(ms from spawn to ``moment``, peak MiB at ``last`` (default: then), ms to ``last``,
    the process's CPU ms at ``moment``: steadier than wall time on a busy machine)."""
    start = time.time()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    seen = {}
    for line in done.stdout.splitlines():
        word, *values = line.split()
        try:
            seen[word] = ((float(values[0]) - start) * 1000, int(values[2]) / 1024,
                          float(values[1]))
        except (IndexError, ValueError):  # not a moment (a message)
            continue
    if moment in seen and (last or moment) in seen:
        return seen[moment][0], seen[last or moment][1], seen[last or moment][0], \
            seen[moment][2]
    raise RuntimeError(f"{cmd[:4]} never reported {moment} (exit {done.returncode}): "
                       f"{done.stderr[-800:]}")


def forget_kept_pages(path: object, review_id: int | None = None) -> None:
    """The miss: no kept page (as a journal opened for the first time since an import), for
    every review or for ``review_id``."""
    import sqlite3

    with sqlite3.connect(str(path)) as db:
        if review_id is None:
            db.execute("DELETE FROM review_render")
        else:
            db.execute("DELETE FROM review_render WHERE review_id = ?", (review_id,))


def environment() -> dict[str, str]:
    home = ROOT / "bench-out" / "home"
    return {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
            "PYTHONPATH": str(ROOT), "EYELIGHTS_REPORT_SHOWN": "1", "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / "config"), "XDG_DATA_HOME": str(home / "data")}


def miss_journal() -> object:
    """A copy of the 1-review journal whose kept page is removed before each launch."""
    import shutil

    source = one_review_journal()[0]
    path = OUT / "review-first-miss.eyelights"
    if not path.exists():
        shutil.copyfile(source, path)
    return path


def cases() -> list[tuple[str, object, int, bool]]:
    """(label, journal, the review opened, whether its kept page is removed first)."""
    one = one_review_journal()[0]
    large = synthetic_journal("startup", films=5_000, reviews=10_000)
    newest = newest_review(large)
    return [("1 review", one, newest_review(one), False),
            ("10,000 reviews", large, newest, False),
            ("1 review, no kept page", miss_journal(), 1, True),
            ("10,000 reviews, no kept page", large, newest - 1, True)]  # also 12 KB


def run(repeat: int = 7) -> list[dict[str, object]]:
    env = environment()
    compileall.compile_dir(str(ROOT / "journal"), quiet=1)  # as a wheel's installation does
    bare_cmd = [sys.executable, "-c", BARE]
    ours = {label: ([sys.executable, "-m", "journal", "--smoke-test", "--journal", str(path),
                     "--open", f"review:{review}"], path, review, miss)
            for label, path, review, miss in cases()}
    # warm the page cache, make the periodic backup, migrate, keep the review's page
    _launch(bare_cmd, env, "painted")
    for cmd, *_ in ours.values():
        _launch(cmd, env, "preview")
    bare: list[tuple[float, float, float, float]] = []
    seen: dict[str, list[tuple[float, float, float, float]]] = {label: [] for label in ours}
    loads = [os.getloadavg()[0]]
    for _ in range(repeat):  # interleaved: machine noise hits all alike
        loads.append(os.getloadavg()[0])
        bare.append(_launch(bare_cmd, env, "painted"))
        for label, (cmd, path, review, miss) in ours.items():
            if miss:
                forget_kept_pages(path, review)
            seen[label].append(_launch(cmd, env, "preview", "editor"))
    bare_ms = statistics.median(r[0] for r in bare)
    bare_mib = statistics.median(r[1] for r in bare)
    bare_cpu = statistics.median(r[3] for r in bare)
    load = f"load {min(loads):.1f}-{max(loads):.1f}"
    rows = []
    for label, results in seen.items():
        times = sorted(r[0] for r in results)
        cpu = statistics.median(r[3] for r in results)
        rows.append(row(f"launch to a 12 KB review's preview drawn ({label})", bare_ms,
                        statistics.median(times), f"<= {GOAL_TIME}x",
                        f"floor: bare window painted; p90 {times[int(len(times) * 0.9)]:.0f} "
                        f"ms; CPU {cpu:.0f} vs {bare_cpu:.0f} ms = {cpu / bare_cpu:.2f}x; "
                        f"{load}"))
    for label, results in seen.items():
        rows.append(row(f"launch to the editor open on it ({label})", bare_ms,
                        statistics.median(r[2] for r in results), "report",
                        "the editor built, its preview showing the review"))
    for label, results in seen.items():
        peak = row(f"peak memory, the review, its preview and the editor shown ({label})",
                   bare_mib, statistics.median(r[1] for r in results), f"<= {GOAL_MEMORY}x",
                   "MiB (VmHWM) at 'editor'; floor: bare window")
        peak["unit"] = "MiB"
        rows.append(peak)
    return rows


if __name__ == "__main__":
    print_table(run())
