"""Search on a generated journal: engine queries against a raw FTS5 ``MATCH … ORDER BY bm25``.

- rare, common, filtered and phrase queries: ``SearchEngine.search`` (every kind, the snippets
  the Search page shows first included) against the raw ``MATCH … ORDER BY bm25`` over
  ``review_fts`` for the same words, with the same weights and the same number of rows (50), on
  the same file (goal <= 2x and p50 <= 20 ms);
- keystroke-to-results on the Search page, until the visible rows are painted: the first
  results (goal <= 50 ms) and the ranked ones; the longest GUI stall while typing a common word
  (goal: typing never blocked);
- index rebuild time, against a bare FTS5 build of the review bodies alone;
- the index's size as a share of the journal file;
- ``--alternatives``: ideas for ranking a word found in every review faster, measured on the same
  file against the same floor (none is used by the engine; see docs/search.md).

``python benches/bench_search.py [--reviews N] [--full] [--keys | --queries] [--alternatives]``
(``--full``: 100,000 reviews; ``--keys``: the Search page rows only; ``--queries``: the query
rows only).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from common import print_table, row, synthetic_journal

from journal.core.search.sql import SPECS  # noqa: E402 - after common puts the root on sys.path

DEFAULT_REVIEWS = 20_000
SPECS_WEIGHTS = SPECS["review"].weights
QUERIES = {  # name: (engine query, the same words for the raw MATCH)
    "rare": ("zeppelin", '"zeppelin"'),
    "common": ("rain", '"rain"'),  # the worst case: in every review, ~38 times each
    # a realistic common word: a director's name, in about one review in twenty
    "name": ("tarkovsky", '"tarkovsky"'),
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
        matches = db.execute_sql("SELECT count(*) FROM review_fts WHERE review_fts MATCH ?",
                                 [raw]).fetchone()[0]
        rows.append(row(f"search {name} query ({n:,} reviews)", floor_ms, p50,
                        "<= 2x, p50 <= 20 ms", f"p90 {sorted(value)[int(len(value) * .9)]:.1f} ms; "
                        f"{matches:,} reviews match"))
    return rows


def _alternative_rows(journal, n: int) -> list[dict[str, object]]:
    """A word in every review, ranked three other ways, against the same floor (the raw
    ``MATCH … ORDER BY bm25 LIMIT 50``); each note says whether the page is bm25's page.

    - split: the same bm25 (its statistics are the whole table's), over two halves of the rowid
      range on two threads with their own connections, the two pages merged — exact;
    - heads + bm25: a small FTS5 table of the titles, people and tags (built here, in temp) gives
      the reviews with the word in one of those; bm25 over the full index ranks only those — a
      *tiered* ranking (any title/people/tag hit before any other), not bm25's page (with
      fewer than 50 such reviews the page's rest would need the full ranking: not measured);
    - heads only: bm25 over the heads table alone — neither tiered bm25 nor bm25.
    """
    db, word = journal.store.db, '"rain"'
    page = db.execute_sql(FLOOR_SQL, [word]).fetchall()
    floor_ms = statistics.median(_times(lambda: db.execute_sql(FLOOR_SQL, [word]).fetchall()))
    low, high = db.execute_sql("SELECT min(id), max(id) FROM review").fetchone()
    middle = (low + high) // 2
    uri = f"file:{journal.path}?mode=ro"
    halves = [sqlite3.connect(uri, uri=True, check_same_thread=False) for _ in range(2)]
    pool = ThreadPoolExecutor(2)
    weights = ", ".join(map(str, SPECS_WEIGHTS))
    part_sql = (f"SELECT rowid, bm25(review_fts, {weights}) AS rank FROM review_fts "
                "WHERE review_fts MATCH ? AND rowid BETWEEN ? AND ? ORDER BY rank LIMIT 50")

    def split() -> list[tuple[int, float]]:
        spans = ((low, middle), (middle + 1, high))
        parts = [pool.submit(lambda c, s: c.execute(part_sql, [word, *s]).fetchall(), con, span)
                 for con, span in zip(halves, spans, strict=True)]
        return sorted((r for p in parts for r in p.result()), key=lambda r: r[1])[:50]

    with journal.write():
        db.execute_sql("DROP TABLE IF EXISTS temp.bench_heads")
        db.execute_sql("CREATE VIRTUAL TABLE temp.bench_heads USING fts5(title, people, tags, "
                       "tokenize = 'unicode61 remove_diacritics 2')")
        db.execute_sql("INSERT INTO temp.bench_heads(rowid, title, people, tags) "
                       "SELECT id, title, people, tags FROM search_review_src")

    def tiered() -> list[tuple[int, float]]:
        return db.execute_sql(
            f"SELECT rowid, bm25(review_fts, {weights}) AS rank FROM review_fts "
            "WHERE review_fts MATCH ? AND +rowid IN (SELECT rowid FROM temp.bench_heads "
            "WHERE bench_heads MATCH ?) ORDER BY rank LIMIT 50", [word, word]).fetchall()

    def heads() -> list[tuple[int, float]]:
        return db.execute_sql(
            "SELECT rowid, bm25(bench_heads, 10.0, 4.0, 4.0) AS rank FROM temp.bench_heads "
            "WHERE bench_heads MATCH ? ORDER BY rank LIMIT 50", [word]).fetchall()

    def same(found: list[tuple[int, float]]) -> str:
        common = len({r[0] for r in found} & {r[0] for r in page})
        return "bm25's page" if common == len(page) == len(found) else (
            f"{len(page) - common} of bm25's {len(page)} not on it")

    rows = []
    try:
        for label, fn in (("split in 2 on 2 threads (exact)", split),
                          ("heads table, then bm25 (tiered)", tiered),
                          ("heads table alone", heads)):
            times = _times(fn)
            rows.append(row(f"common word, {label} ({n:,} reviews)", floor_ms,
                            statistics.median(times), "p50 <= 20 ms", same(fn())))
    finally:
        pool.shutdown()
        for con in halves:
            con.close()
        with journal.write():
            db.execute_sql("DROP TABLE IF EXISTS temp.bench_heads")
    return rows


class _Typist:
    """Drives a Search page: keys, the results shown after each, a heartbeat for stalls."""

    def __init__(self, page) -> None:
        from PySide6.QtCore import QEventLoop, Qt, QTimer

        self.page, self.loop = page, QEventLoop()
        self.shown: list[tuple[float, str, bool]] = []  # (time, query text, ranked)
        page.searched.connect(self._painted)
        self.beats: list[float] = []
        self.heart = QTimer(timerType=Qt.TimerType.PreciseTimer, interval=1)
        self.heart.timeout.connect(lambda: self.beats.append(time.perf_counter()))
        self._qtimer = QTimer
        self.typing = False

    def _painted(self, result: object) -> None:  # results shown: the visible rows painted
        self.page.tree.viewport().repaint()
        ranked = bool(getattr(result, "ranked", True))
        self.shown.append((time.perf_counter(), result.query.text, ranked))  # type: ignore[attr-defined]
        if ranked and not self.typing and result.query.text == self.page.field.text():  # type: ignore[attr-defined]
            self.loop.quit()

    def wait_ranked(self, timeout_ms: int = 10_000) -> None:
        """Until the ranked answer for the field's text is shown (never processEvents() in a
        loop: PySide6 6.12 leaked a reference to None each call)."""
        text = self.page.field.text()
        if any(r and t == text for _, t, r in self.shown):
            return
        self._qtimer.singleShot(timeout_ms, self.loop.quit)
        self.loop.exec()

    def clear(self) -> None:
        self.page.field.clear()
        self.page.run_now()
        self.shown.clear()

    def key(self, ch: str) -> tuple[float, float]:
        """One key; ms to the first results for the new text, and to the ranked results."""
        from PySide6.QtTest import QTest

        self.shown.clear()
        start = time.perf_counter()
        QTest.keyClick(self.page.field, ch)
        self.wait_ranked()
        text = self.page.field.text()
        first = next((t for t, q, _ in self.shown if q == text), None)
        ranked = next((t for t, q, r in self.shown if q == text and r), None)
        late = 10_000.0
        return ((first - start) * 1000 if first else late, (ranked - start) * 1000 if ranked
                else late)

    def burst(self, widget, text: str, gap_ms: int = 60) -> float:
        """Type ``text`` a key every ``gap_ms``; the longest gap between heartbeats (ms) from
        the first key until the ranked results of the whole word are shown."""
        from PySide6.QtTest import QTest

        keys = list(text)
        self.beats.clear()
        self.shown.clear()

        def press() -> None:
            QTest.keyClick(widget, keys.pop(0))
            if keys:
                self._qtimer.singleShot(gap_ms, press)
                return
            self.typing = False
            if widget is not self.page.field:
                self._qtimer.singleShot(gap_ms, self.loop.quit)
            elif any(r and t == widget.text() for _, t, r in self.shown):
                self.loop.quit()

        self.typing = True
        self.heart.start()
        self._qtimer.singleShot(0, press)
        self._qtimer.singleShot(20_000, self.loop.quit)
        self.loop.exec()
        self.heart.stop()
        gaps = [b - a for a, b in zip(self.beats, self.beats[1:], strict=False)]
        return max(gaps) * 1000 if gaps else 0.0


def _keystroke_rows(journal, n: int) -> list[dict[str, object]]:
    """Typing the letters of a rare and two common words: from each key to the first results
    shown, and to the ranked results shown; then a common word typed fast (a key every 60 ms),
    and the longest time the GUI thread did not answer (its event loop's heartbeat)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
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
    typist = _Typist(page)
    first, ranked, stalls = [], [], []
    for word in ("zeppelin", "montage", "garden"):
        typist.clear()
        for ch in word:
            a, b = typist.key(ch)
            first.append(a)
            ranked.append(b)
    for word in ("garden", "montage", "rain city"):
        typist.clear()
        stalls.append(typist.burst(page.field, word))
    wait_idle = getattr(page, "wait_idle", None)
    if wait_idle is not None:
        wait_idle()
    page.close()
    signals.detach()
    bare = QLineEdit()
    bare.show()
    floor_times = []
    for ch in "zeppelinmontagegarden":
        start = time.perf_counter()
        QTest.keyClick(bare, ch)
        floor_times.append((time.perf_counter() - start) * 1000)
    bare_stall = max(typist.burst(bare, word) for word in ("garden", "montage"))
    bare.close()
    floor = statistics.median(floor_times)
    keys = f"over {len(first)} keys (floor: a bare QLineEdit)"
    return [
        row(f"Search page keystroke to first results ({n:,} reviews)", floor,
            statistics.median(first), "<= 50 ms", f"max {max(first):.0f} ms {keys}"),
        row(f"Search page keystroke to ranked results ({n:,} reviews)", floor,
            statistics.median(ranked), "report", f"max {max(ranked):.0f} ms {keys}"),
        row(f"Search page longest GUI stall typing ({n:,} reviews)", bare_stall, max(stalls),
            "typing never blocked (<= 50 ms)",
            "a key every 60 ms: " + ", ".join(f"{s:.0f}" for s in stalls)
            + " ms (garden, montage, rain city); floor: a bare QLineEdit"),
    ]


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
    size = index.size_bytes(journal)
    pages, free, page = (db.execute_sql(f"PRAGMA {p}").fetchone()[0]
                         for p in ("page_count", "freelist_count", "page_size"))
    total = (pages - free) * page  # the file's pages in use (a migrated file keeps free ones)
    share = row(f"search index size ({n:,} reviews)", total / 1e6, size / 1e6, "<= 0.25x",
                f"{size / total:.0%} of the journal's {total / 1e6:.0f} MB "
                "(ratio: index / journal)")
    share["unit"] = "MB"
    return [row(f"search index rebuild ({n:,} reviews)", floor_ms, value_ms, "report",
                "floor: bare FTS5 build of the bodies alone"), share]


def run(reviews: int = DEFAULT_REVIEWS, keys_only: bool = False, queries_only: bool = False,
        alternatives: bool = False) -> list[dict[str, object]]:
    from journal.core.journal import Journal

    path = synthetic_journal("search", films=max(100, reviews // 5), reviews=reviews,
                             body_bytes=12_000, seed=5)
    with Journal.open(path) as journal:
        _prepare(journal)
        if keys_only:
            return _keystroke_rows(journal, reviews)
        rows = _query_rows(journal, reviews)
        if alternatives:
            rows += _alternative_rows(journal, reviews)
        if not queries_only:
            rows += _keystroke_rows(journal, reviews)
            rows += _rebuild_rows(journal, reviews)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=DEFAULT_REVIEWS)
    parser.add_argument("--full", action="store_true", help="100,000 reviews")
    parser.add_argument("--keys", action="store_true", help="the Search page rows only")
    parser.add_argument("--queries", action="store_true", help="the query rows only")
    parser.add_argument("--alternatives", action="store_true",
                        help="also measure other ways of ranking a word found in every review")
    args = parser.parse_args()
    print_table(run(100_000 if args.full else args.reviews, keys_only=args.keys,
                    queries_only=args.queries, alternatives=args.alternatives))


if __name__ == "__main__":
    sys.exit(main())
