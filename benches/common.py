"""Shared bench helpers: timing, medians, the results table, cached synthetic journals."""

from __future__ import annotations

import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench-out"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def median_ms(fn: Callable[[], object], repeat: int = 5, warmup: int = 1) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def sql_ms(path: Path, sql: str, params: list[object], repeat: int = 3,
           functions: dict[str, Callable[..., object]] | None = None) -> float:
    """Median ms of ``sql`` alone on a fresh read-only connection to ``path`` (a list's floor),
    with ``functions`` (name → deterministic one-argument function) registered first."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    for name, fn in (functions or {}).items():
        con.create_function(name, 1, fn, deterministic=True)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        con.execute(sql, params).fetchall()
        times.append((time.perf_counter() - start) * 1000)
    con.close()
    return statistics.median(times)


def row(bench: str, floor_ms: float | None, value_ms: float, goal: str,
        note: str = "") -> dict[str, object]:
    ratio = value_ms / floor_ms if floor_ms else None
    return {"bench": bench, "floor_ms": floor_ms, "value_ms": value_ms, "ratio": ratio,
            "goal": goal, "note": note}


def print_table(rows: list[dict[str, object]]) -> None:
    head = ("bench", "floor ms", "value", "ratio", "goal", "note")
    lines = [head]
    for r in rows:
        floor = r.get("floor_ms")
        ratio = r.get("ratio")
        value = r.get("value_ms")
        unit = str(r.get("unit", "ms"))
        lines.append((str(r["bench"]), "" if floor is None else f"{floor:.1f}",
                      "" if value is None else f"{value:.1f} {unit}",
                      "" if ratio is None else f"{ratio:.2f}x", str(r.get("goal", "")),
                      str(r.get("note", ""))))
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    for n, line in enumerate(lines):
        print("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))


def synthetic_journal(name: str, **params: int) -> Path:
    """A cached generated journal under bench-out/ (built once per parameter set)."""
    from journal.core.journal import Journal
    from journal.core.synthetic import populate

    OUT.mkdir(exist_ok=True)
    key = "-".join(f"{k}{v}" for k, v in sorted(params.items()))
    path = OUT / f"{name}-{key}.eyelights"
    done = path.with_suffix(".done")
    if path.exists() and done.exists():
        Journal.open(path).close()  # brings a journal cached by an older version up to date
        return path
    for stale in OUT.glob(path.name + "*"):
        stale.unlink()
    start = time.perf_counter()
    with Journal.open(path) as journal:
        populate(journal, **params)
    done.write_text(f"{time.perf_counter() - start:.1f}s\n")
    return path
