"""Benchmark: "Complete the catalogue" for the Letterboxd export in ../shared/testdata
(patrickmjones: 3,387 films) against the local TMDb stand-in (tests/metadata_helpers.py).

Rows:
* **throughput**: films completed per second by the core run (search, details, poster, one
  transaction per film), against a floor of the same HTTP requests sent and read with nothing
  else done (the ratio is what matching, posters and writing cost on top of the network). Real
  services bound this far lower: TMDb allows ~40 requests a second, Wikidata asks for serial use.
* **memory**: the process's resident memory after a quarter of the films and at the end; flat
  means the ratio stays near 1 (what grows is SQLite's page cache and the journal's posters, not
  a list of every record).
* **GUI stalls**: the same run started from the Complete the Catalogue window, with the Films and
  People pages and the Statistics page shown (all of them reload on the run's changes); a precise
  5 ms timer measures the longest time the event loop went without turning (goal ≤ 50 ms). Floor:
  the same window idle for the same time.

``--films N`` limits the run (default: all).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import OUT, ROOT, print_table, row  # noqa: E402

EXPORT = ROOT.parent / "shared" / "testdata" / "letterboxd" / "patrickmjones-letterboxd-data"
KEY = "test-key-0123456789abcdef"


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def imported_journal() -> Path:
    """The Letterboxd export imported once into bench-out/ (a fresh copy per run)."""
    from journal.core.importers.run import import_files
    from journal.core.journal import Journal

    OUT.mkdir(exist_ok=True)
    cached = OUT / "letterboxd-patrickmjones.eyelights"
    if not cached.exists():
        tmp = cached.with_suffix(".part")
        tmp.unlink(missing_ok=True)
        with Journal.open(tmp) as journal:
            import_files(journal, "letterboxd", [EXPORT])
        tmp.rename(cached)
    return cached


def _copy(folder: Path) -> Path:
    target = folder / "journal.eyelights"
    shutil.copyfile(imported_journal(), target)
    return target


def _floor_seconds(server, films: list[tuple[str, int | None]]) -> float:
    """The requests a completion sends (search, details, poster), sent and read, nothing else."""
    import httpx

    with httpx.Client(timeout=10) as client:
        started = time.perf_counter()
        for title, year in films:
            params = {"query": title, "include_adult": "false", "language": "en", "page": 1,
                      "api_key": KEY, **({"year": year} if year else {})}
            found = client.get(f"{server.base}/3/search/movie", params=params).json()
            for hit in found["results"][:1]:
                client.get(f"{server.base}/3/movie/{hit['id']}", params={
                    "append_to_response": "credits,external_ids", "language": "en",
                    "api_key": KEY}).json()
                _poster = client.get(f"{server.base}/t/p/w500{hit['poster_path']}").content
        return time.perf_counter() - started


def core_run(server, limit: int | None) -> list[dict[str, object]]:
    from journal.core.journal import Journal
    from journal.core.metadata import make_source
    from journal.core.metadata.bulk import CatalogueCompleter, films_to_complete
    from journal.core.metadata.cache import ResponseCache
    from journal.ui.poster_image import scale_poster

    with tempfile.TemporaryDirectory(prefix="bench-metadata-") as folder:
        path = _copy(Path(folder))
        with Journal.open(path) as journal:
            ids = films_to_complete(journal, "tmdb")[:limit]
            m = journal.models
            films = [(f.title, f.year) for f in m.Film.select(m.Film.title, m.Film.year)
                     .where(m.Film.id.in_(ids)).order_by(m.Film.id)]
            floor = _floor_seconds(server, films)
            cache = ResponseCache(Path(folder) / "cache.sqlite")
            source = make_source("tmdb", key=KEY, cache=cache)
            memory: dict[str, float] = {}
            quarter = max(1, len(ids) // 4)

            def progress(done: int, total: int, _label: str) -> None:
                if done == quarter:
                    memory["quarter"] = _rss_mb()

            started = time.perf_counter()
            summary = CatalogueCompleter(journal, source, scaler=scale_poster,
                                         progress=progress).run(film_ids=ids)
            took = time.perf_counter() - started
            memory["end"] = _rss_mb()
            source.close()
            cache.close()
            applied = summary.count("applied")
            posters = m.Poster.select().count()
    n = len(ids)
    rate, floor_rate = n / took, n / floor
    throughput = row(f"Complete the catalogue, {n:,} films (floor: the same requests only)",
                     floor * 1000, took * 1000, "—",
                     f"{rate:.0f} films/s (floor {floor_rate:.0f}/s); {applied:,} applied, "
                     f"{posters:,} posters, {summary.requests:,} requests")
    mem = row("Memory (RSS) at the end vs after a quarter of the films", memory["quarter"],
              memory["end"], "flat (≈1x)", "MB")
    mem["unit"] = "MB"
    return [throughput, mem]


def gui_run(server, limit: int | None) -> list[dict[str, object]]:
    from bench_catalogue import StallMeter
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from journal.core.journal import Journal
    from journal.ui.bridge import JournalSignals
    from journal.ui.complete_catalogue import CompleteCatalogueDialog
    from journal.ui.errors import ErrorReporter
    from journal.ui.mainwindow import MainWindow

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory(prefix="bench-metadata-ui-") as folder:
        path = _copy(Path(folder))
        os.environ["XDG_CACHE_HOME"] = str(Path(folder) / "cache")
        settings = QSettings(str(Path(folder) / "settings.ini"), QSettings.Format.IniFormat)
        settings.setValue("catalogue/source", "tmdb")
        journal = Journal.open(path)
        signals = JournalSignals(journal)
        errors = ErrorReporter()
        errors.dialogs_enabled = False
        window = MainWindow(journal, signals, settings, errors, lambda _w: None)
        window.resize(1280, 800)
        window.show()
        for key in ("statistics", "people", "films"):  # built and shown: they follow changes
            window.show_page(key)
            app.processEvents()
        meter = StallMeter()
        meter.measure(lambda: None, lambda: True, settle_ms=3000)  # pages settle (Statistics)
        idle_ms = meter.measure(lambda: None, lambda: True, settle_ms=2000)[1]
        dialog = CompleteCatalogueDialog(journal, window)
        dialog.source.setCurrentIndex(dialog.source.findData("tmdb"))
        dialog.show()
        dialog.limit = limit
        finished: list[object] = []
        dialog.finished_run.connect(finished.append)
        took, stall = meter.measure(dialog.start, lambda: bool(finished), timeout_s=3600)
        summary = finished[0]
        dialog.close()
        window.close()
        signals.detach()
        journal.close()
    n = len(summary.outcomes)  # type: ignore[attr-defined]
    note = f"{n:,} films in {took / 1000:.0f} s, window open on Films, People, Statistics"
    return [row("Complete the catalogue from the window: longest GUI stall (floor: idle)",
                idle_ms, stall, "<= 50 ms", note)]


class ServerProcess:
    """The stand-in in a process of its own: its threads must not compete with the app's for
    the GIL (the real services are on other machines)."""

    def __init__(self) -> None:
        import json
        import subprocess

        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "tests" / "metadata_helpers.py"), "--synthetic"],
            stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        self.env = json.loads(self.process.stdout.readline())
        self.base = self.env["EYELIGHTS_TMDB_API"].rsplit("/3", 1)[0]
        self.data = None

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()


def run(limit: int | None = None, gui: bool = True) -> list[dict[str, object]]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["EYELIGHTS_TMDB_KEY"] = KEY
    rows: list[dict[str, object]] = []
    for step in [core_run] + ([gui_run] if gui else []):
        server = ServerProcess()  # a fresh one (nothing remembered) for each run
        os.environ.update(server.env)
        try:
            rows += step(server, limit)
        finally:
            server.stop()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--films", type=int, help="at most N films (default: all)")
    parser.add_argument("--no-gui", action="store_true", help="only the core rows")
    args = parser.parse_args()
    print_table(run(args.films, gui=not args.no_gui))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
