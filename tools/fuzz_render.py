"""``make fuzz-render SEEDS=40``: the render-by-pieces property tests with fresh examples.

``make test`` runs ``tests/test_render_incremental.py`` and ``tests/test_preview_patch.py``
with fixed examples (hypothesis ``derandomize``: repeatable CI). This runs them again with
``EYELIGHTS_FUZZ=1`` (``tests/fuzz_helpers.py``: derandomize off, no example database) once
per seed, ``--hypothesis-seed=FIRST … FIRST+SEEDS-1``, each run in a fresh scratch folder, and
prints the seeds whose run failed with hypothesis's shortest failing example (the whole
output in ``build/fuzz-render/seed-N.log``). Pin each case it
finds as an ``@example`` of the test once fixed. Exit 1 when any seed failed.

    python tools/fuzz_render.py --seeds 40 [--first 1] [--scale 1] [--qt]

``--scale`` multiplies each test's number of examples; ``--qt`` adds the preview patch tests
(a QApplication, offscreen: slower).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TESTS = ["tests/test_render_incremental.py"]
QT_TESTS = ["tests/test_preview_patch.py::test_random_edits"]
LOGS = ROOT / "build" / "fuzz-render"  # each failing seed's whole output


def run(seed: int, tests: list[str], scale: float) -> tuple[bool, str]:
    environment = dict(os.environ, EYELIGHTS_FUZZ="1", EYELIGHTS_FUZZ_SCALE=str(scale))
    environment.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="eyelights-fuzz-") as scratch:
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
             f"--rootdir={ROOT}", "-c", str(ROOT / "pyproject.toml"),
             f"--hypothesis-seed={seed}", *(str(ROOT / t) for t in tests)],
            cwd=scratch, env=environment, capture_output=True, text=True)
    return done.returncode == 0, done.stdout + done.stderr


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=40)
    parser.add_argument("--first", type=int, default=1)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--qt", action="store_true")
    args = parser.parse_args(argv)
    tests = TESTS + (QT_TESTS if args.qt else [])
    failed = []
    began = time.monotonic()
    for seed in range(args.first, args.first + args.seeds):
        ok, output = run(seed, tests, args.scale)
        print(f"seed {seed}: {'ok' if ok else 'FAILED'}", flush=True)
        if not ok:
            failed.append(seed)
            LOGS.mkdir(parents=True, exist_ok=True)
            log = LOGS / f"seed-{seed}.log"
            log.write_text(output, encoding="utf-8")
            case = output[output.find("Falsifying example"):] if "Falsifying example" in \
                output else output
            print(case[:3000].rstrip(), f"\n(the whole output: {log})", flush=True)
    minutes = (time.monotonic() - began) / 60
    print(f"{args.seeds - len(failed)} of {args.seeds} seeds clean ({minutes:.1f} min)"
          + (f"; failed: {', '.join(map(str, failed))}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
