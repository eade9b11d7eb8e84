"""Search on a generated journal: engine queries against a raw FTS5 ``MATCH … ORDER BY bm25``.

- rare, common, filtered and phrase queries: ``SearchEngine.search`` (every kind, the snippets
  the Search page shows first included) against the raw ``MATCH … ORDER BY bm25`` over
  ``review_fts`` for the same words, with the same weights and the same number of rows (50), on
  the same file (goal <= 2x and p50 <= 20 ms);
- keystroke-to-results on the Search page, until the visible rows are painted (goal <= 50 ms);
- index rebuild time, against a bare FTS5 build of the review bodies alone;
- the index's size as a share of the journal file.

``python benches/bench_search.py [--reviews N] [--full]`` (``--full``: 100,000 reviews).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

from common import print_table, row, synthetic_journal

from journal.core.search.sql import SPECS  # noqa: E402 - after common puts the root on sys.path

DEFAULT_REVIEWS = 20_000
SPECS_WEIGHTS = SPECS["review"].weights
QUERIES = {  # name: (engine query, the same words for the raw MATCH)
    "rare": ("zeppelin", '"zeppelin"'),
    "common": ("rain", '"rain"'),
    "filtered": ("rain score:>=8 viewed:2014", '"rain"'),
    "phrase": ('"quiet city"', '"quiet city"'),
}


#: The floor: the same words, the same weights and the same number of rows, nothing else.
FLOOR_SQL = (f"SELECT rowid, bm25(review_fts, {', '.join(map(str, SPECS_WEIGHTS))}) AS rank "
             "FROM review_fts WHERE review_fts MATCH ? ORDER BY rank LIMIT 50")


def _times(fn, repeat: int = 15) -> list[float]:
    fn()
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def _prepare(journal) -> None:
    """A few reviews with a rare word (once per journal file)."""
    from journal.core.search import SearchEngine

    if SearchEngine(journal).count("zeppelin"):
        return
    film = journal.films.live().first()
    for n in range(3):
        journal.reviews.create(film.id, f"A zeppelin crosses the frame, number {n}.")


def _query_rows(journal, n: int) -> list[dict[str, object]]:
    from journal.core.search import SearchEngine

    engine, db = SearchEngine(journal), journal.store.db
    rows = []
    for name, (query, raw) in QUERIES.items():
        def floor(raw: str = raw) -> None:
            db.execute_sql(FLOOR_SQL, [raw]).fetchall()

        def ours(query: str = query) -> None:
            engine.search(query, limit=50, prefix_last=False)

        floor_ms = statistics.median(_times(floor))
        value = _times(ours)
        p50 = statistics.median(value)
        rows.append(row(f"search {name} query ({n:,} reviews)", floor_ms, p50,
                        "<= 2x, p50 <= 20 ms", f"p90 {sorted(value)[int(len(value) * .9)]:.1f} ms"))
    return rows


def _keystroke_row(journal, n: int) -> dict[str, object]:
    """Typing the letters of a rare and a common word; time from each key to results shown."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QLineEdit

    from journal.ui.bridge import JournalSignals
    from journal.ui.errors import ErrorReporter
    from journal.ui.pages.search import SearchPage

    app = QApplication.instance() or QApplication([])  # noqa: F841 - keeps Qt alive
    errors = ErrorReporter()
    errors.dialogs_enabled = False
    signals = JournalSignals(journal)
    page = SearchPage(journal, signals, errors)
    page.resize(900, 700)
    page.show()
    shown: list[float] = []

    def painted(_result: object) -> None:  # results shown: the visible rows painted
        page.tree.viewport().repaint()
        shown.append(time.perf_counter())

    page.searched.connect(painted)
    times = []
    loop = QEventLoop()
    page.searched.connect(loop.quit)
    for word in ("zeppelin", "montage", "garden"):
        page.field.clear()
        page.run_now()
        for ch in word:
            shown.clear()
            start = time.perf_counter()
            QTest.keyClick(page.field, ch)
            if not shown:  # wait for the debounced search (never processEvents() in a loop:
                QTimer.singleShot(5000, loop.quit)  # PySide6 6.12 leaks a ref to None each call)
                loop.exec()
            times.append((shown[0] - start) * 1000 if shown else 5000.0)
    page.close()
    signals.detach()
    bare = QLineEdit()
    bare.show()
    changed: list[float] = []
    bare.textChanged.connect(lambda _t: changed.append(time.perf_counter()))
    floor_times = []
    for ch in "zeppelinmontagegarden":
        start = time.perf_counter()
        QTest.keyClick(bare, ch)
        floor_times.append((time.perf_counter() - start) * 1000)
    bare.close()
    return row(f"Search page keystroke to results ({n:,} reviews)",
               statistics.median(floor_times), statistics.median(times), "<= 50 ms",
               f"max {max(times):.0f} ms over {len(times)} keys (floor: a bare QLineEdit)")


def _rebuild_rows(journal, n: int) -> list[dict[str, object]]:
    from journal.core.search import index

    db = journal.store.db

    def floor() -> None:
        with journal.write():
            db.execute_sql("CREATE VIRTUAL TABLE temp.bench_fts USING fts5(body, "
                           "tokenize = 'unicode61 remove_diacritics 2')")
            db.execute_sql("INSERT INTO temp.bench_fts(rowid, body) SELECT id, body FROM review")
            db.execute_sql("DROP TABLE temp.bench_fts")

    start = time.perf_counter()
    floor()
    floor_ms = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    index.rebuild(journal)
    value_ms = (time.perf_counter() - start) * 1000
    db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    size, total = index.size_bytes(journal), journal.file_size()
    share = row(f"search index size ({n:,} reviews)", None, size / 1e6, "report",
                f"{size / total:.0%} of a {total / 1e6:.0f} MB journal")
    share["unit"] = "MB"
    return [row(f"search index rebuild ({n:,} reviews)", floor_ms, value_ms, "report",
                "floor: bare FTS5 build of the bodies alone"), share]


def run(reviews: int = DEFAULT_REVIEWS) -> list[dict[str, object]]:
    from journal.core.journal import Journal

    path = synthetic_journal("search", films=max(100, reviews // 5), reviews=reviews,
                             body_bytes=12_000, seed=5)
    with Journal.open(path) as journal:
        _prepare(journal)
        rows = _query_rows(journal, reviews)
        rows.append(_keystroke_row(journal, reviews))
        rows += _rebuild_rows(journal, reviews)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=DEFAULT_REVIEWS)
    parser.add_argument("--full", action="store_true", help="100,000 reviews")
    args = parser.parse_args()
    print_table(run(100_000 if args.full else args.reviews))


if __name__ == "__main__":
    sys.exit(main())
