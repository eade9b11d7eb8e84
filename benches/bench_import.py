"""Benchmark: imports of generated exports (plan + apply into a fresh journal).

Rows: a 10,000-post WordPress export (goal ≤ 5 s; its HTML converted by a process pool) against
a floor of streaming-parsing the same file; a 10,000-row Letterboxd diary (goal ≤ 3 s) against
reading and merging the CSV; and
a large WXR whose planning must keep memory flat: Python peak memory (tracemalloc) while
planning it must stay under a quarter of the file's size; the ratio column compares the peak
with that of a file four times smaller (what grows is one small record per distinct film, not
the posts' text; the conversion pool's read-ahead is bounded by bytes in flight,
``convert_pool.AHEAD_BYTES``, and what it holds for a post is its results, not its HTML).
``run()`` uses a 20 MB file; ``--full`` uses 100 MB.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# Eyelights' modules are imported in the functions, not here: the conversion pool's processes
# are spawned, and a spawned process runs its parent's main script's imports again (~0.13 s
# of CPU each for these, which the app's own two-line entry script does not cost).


def _ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 1)


def _rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _import_row(folder: Path, name: str, source: str, path: Path, floor_ms: float,
                goal_ms: float) -> dict[str, object]:
    from journal.core.importers.run import import_files
    from journal.core.journal import Journal

    with Journal.open(folder / f"{name}.eyelights") as journal:
        start = time.perf_counter()
        plan, result = import_files(journal, source, [path])
        value_ms = _ms(start)
    return {"bench": name, "floor_ms": floor_ms, "value_ms": value_ms,
            "ratio": round(value_ms / floor_ms, 2), "goal": f"<= {goal_ms:.0f} ms",
            "ok": value_ms <= goal_ms, "peak_rss_mb": _rss_mb(),
            "records": result.counts["reviews"] + result.counts["viewings"]}


def _wxr_row(folder: Path, posts: int) -> dict[str, object]:
    from journal.core.importers.synthetic import generate_wxr
    from journal.core.importers.wxr import iter_wxr

    path = folder / "blog.xml"
    generate_wxr(path, posts)
    start = time.perf_counter()
    for _ in iter_wxr(path):
        pass
    return _import_row(folder, f"WXR {posts} posts", "wxr", path, _ms(start), 5_000)


def _letterboxd_row(folder: Path, rows: int) -> dict[str, object]:
    from journal.core.importers.letterboxd import load_letterboxd
    from journal.core.importers.letterboxd_merge import merge_letterboxd
    from journal.core.importers.synthetic import generate_letterboxd_diary

    path = folder / "diary.csv"
    generate_letterboxd_diary(path, rows)
    start = time.perf_counter()
    merge_letterboxd(load_letterboxd(path))
    return _import_row(folder, f"Letterboxd diary {rows} rows", "letterboxd", path,
                       _ms(start), 3_000)


def _plan_peak(folder: Path, megabytes: int) -> tuple[float, float]:
    from journal.core.importers.run import plan_import
    from journal.core.importers.synthetic import generate_wxr
    from journal.core.journal import Journal

    path = folder / f"large-{megabytes}.xml"
    generate_wxr(path, target_bytes=megabytes * 1_000_000, body_bytes=3_000)
    with Journal.open(folder / f"large-{megabytes}.eyelights") as journal:
        tracemalloc.start()
        start = time.perf_counter()
        plan = plan_import(journal, "wxr", [path])
        elapsed = _ms(start)
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        plan.discard()
    path.unlink()
    return elapsed, peak


def _large_row(folder: Path, megabytes: int) -> dict[str, object]:
    small_ms, small_peak = _plan_peak(folder, max(1, megabytes // 4))
    big_ms, big_peak = _plan_peak(folder, megabytes)
    ratio = round(big_peak / small_peak, 2)
    return {"bench": f"WXR {megabytes} MB plan, peak memory vs {megabytes // 4} MB",
            "floor_ms": small_ms, "value_ms": big_ms, "ratio": ratio,
            "goal": "peak <= 25% of file size", "ok": big_peak <= megabytes * 0.25,
            "note": f"planning time in ms; peak {big_peak:.1f} MB vs {small_peak:.1f} MB "
                    f"({big_peak / megabytes:.0%} of the file)",
            "peak_mb": round(big_peak, 1), "floor_peak_mb": round(small_peak, 1)}


def run(full: bool = False, posts: int = 10_000, rows: int = 10_000) -> list[dict[str, object]]:
    with tempfile.TemporaryDirectory(prefix="eyelights-bench-import-") as tmp:
        folder = Path(tmp)
        return [_wxr_row(folder, posts), _letterboxd_row(folder, rows),
                _large_row(folder, 100 if full else 20)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="use a 100 MB WXR file")
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    print(f"{'bench':<44} {'floor ms':>9} {'ours ms':>9} {'ratio':>6}  goal  extra")
    for row in run(args.full, args.posts, args.rows):
        extra = {k: v for k, v in row.items()
                 if k not in ("bench", "floor_ms", "value_ms", "ratio", "goal")}
        print(f"{row['bench']:<44} {row['floor_ms']:>9} {row['value_ms']:>9} "
              f"{row['ratio']:>6}  {row['goal']}  {extra}")


if __name__ == "__main__":
    main()
