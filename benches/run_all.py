"""Run every bench and print one table (``make bench``). ``--only NAME`` runs one."""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import print_table  # noqa: E402

BENCHES = ["bench_startup", "bench_review_first", "bench_render", "bench_editor", "bench_search",
           "bench_catalogue", "bench_films_list", "bench_reviews_list", "bench_export",
           "bench_import", "bench_metadata", "bench_limits"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", action="append", help="run only these benches")
    args = parser.parse_args()
    rows = []
    loads: list[str] = []  # the 1-minute load average as each bench starts: the machine is shared
    for name in args.only or BENCHES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                print(f"(skipped {name}: not written yet)", file=sys.stderr)
                continue
            raise
        start = time.perf_counter()
        load = os.getloadavg()[0]
        loads.append(f"{name.removeprefix('bench_')} {load:.1f}")
        print(f"running {name}… (load {load:.2f} at {time.strftime('%H:%M:%S')})",
              file=sys.stderr, flush=True)
        rows.extend(module.run())
        print(f"  {name} took {time.perf_counter() - start:.0f}s", file=sys.stderr, flush=True)
    print(f"\nMachine: {platform.machine()}, {platform.processor() or 'cpu'}, "
          f"Python {platform.python_version()}, {platform.system()} {platform.release()}, "
          f"{time.strftime('%Y-%m-%d')}")
    print("Load average (1 min) at each bench's start: " + ", ".join(loads))
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
