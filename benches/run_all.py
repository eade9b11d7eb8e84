"""Run every bench and print one table (``make bench``). ``--only NAME`` runs one; ``--full``
(``make bench BENCH_ARGS=--full``) runs the search at 100,000 reviews and the catalogue at
100,000 films (issue 19's sizes; the Films list bench always uses them), so that one run gives
every goal its figure and floor.

Each bench runs in a Python process of its own, as the app would: a bench's figures must not
depend on what ran before it in the process -- its heap, its journals' caches, its widgets, and
process-wide settings such as the GIL's switch interval (``journal/ui/gil.py``: 1 ms while a
long review is previewed, which before the seventh wave stayed set for every bench after the
editor's). For the same
reason the disk is synced before each bench: the exports write tens of MB that the kernel
would otherwise flush while the import after them runs (``BENCH_NO_SYNC=1`` leaves it)."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import print_table  # noqa: E402

BENCHES = ["bench_startup", "bench_review_first", "bench_render", "bench_editor", "bench_search",
           "bench_catalogue", "bench_films_list", "bench_reviews_list", "bench_export",
           "bench_import", "bench_metadata", "bench_limits"]


#: What ``--full`` passes to a bench's ``run``.
FULL_SIZES: dict[str, dict[str, object]] = {"bench_search": {"reviews": 100_000},
                                            "bench_catalogue": {"full": True}}


def run_one(name: str, rows_file: str, full: bool = False) -> int:
    """In the child process: run bench ``name`` (at the issue's sizes with ``full``) and write
    its rows to ``rows_file`` (JSON)."""
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name == name:
            print(f"(skipped {name}: not written yet)", file=sys.stderr)
            return 0
        raise
    rows = module.run(**(FULL_SIZES.get(name, {}) if full else {}))
    Path(rows_file).write_text(json.dumps(rows, default=str), encoding="utf-8")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", action="append", help="run only these benches")
    parser.add_argument("--full", action="store_true",
                        help="search at 100,000 reviews, the catalogue at 100,000 films")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # the child: a bench, its rows' file
    parser.add_argument("--rows", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        return run_one(args.one, args.rows, args.full)
    rows: list[dict[str, object]] = []
    loads: list[str] = []  # the 1-minute load average as each bench starts: the machine is shared
    failed: list[str] = []
    for name in args.only or BENCHES:
        if hasattr(os, "sync") and not os.environ.get("BENCH_NO_SYNC"):
            os.sync()  # what the benches before wrote is on disk: not flushed during this one
        start = time.perf_counter()
        load = os.getloadavg()[0]
        loads.append(f"{name.removeprefix('bench_')} {load:.1f}")
        print(f"running {name}… (load {load:.2f} at {time.strftime('%H:%M:%S')})",
              file=sys.stderr, flush=True)
        with tempfile.TemporaryDirectory() as folder:
            rows_file = Path(folder) / "rows.json"
            done = subprocess.run([sys.executable, __file__, "--one", name,
                                   "--rows", str(rows_file), *(["--full"] if args.full else [])],
                                  check=False)
            if done.returncode != 0:  # said in the table too, not only on stderr
                failed.append(name)
                rows.append({"bench": f"{name}: FAILED (exit code {done.returncode})",
                             "floor_ms": None, "value_ms": None, "ratio": None,
                             "goal": "", "note": "its rows are missing: see its output above"})
            elif rows_file.exists():
                rows.extend(json.loads(rows_file.read_text(encoding="utf-8")))
        print(f"  {name} took {time.perf_counter() - start:.0f}s", file=sys.stderr, flush=True)
    print(f"\nMachine: {platform.machine()}, {platform.processor() or 'cpu'}, "
          f"Python {platform.python_version()}, {platform.system()} {platform.release()}, "
          f"{time.strftime('%Y-%m-%d')}")
    print("Load average (1 min) at each bench's start: " + ", ".join(loads))
    print("Each bench ran in a process of its own"
          + (", search and catalogue at 100,000 reviews and films." if args.full else "."))
    print_table(rows)
    if failed:
        print("failed: " + ", ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
