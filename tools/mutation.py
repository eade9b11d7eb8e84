"""``make mutation``: mutation testing of journal/core and journal/store with mutmut 3.

One package at a time (``python tools/mutation.py store core``; both by default), each in its own
work folder under ``build/mutation/<package>/`` so that the runs never mix and each one resumes
where it stopped (mutmut re-tests only the functions changed since). Every mutant runs only the
tests that call the function it changes (mutmut records them in a first run of the package's
tests, ``PACKAGES``), and only Qt-free ones (``-m "not qt …"``): the core and the store are
tested without a QApplication. The folder holds links to ``journal``, ``tests``, ``docs`` and
``../shared`` and a ``pyproject.toml`` made of the project's own plus a ``[tool.mutmut]``
section for the package.

At the end it prints, per package, the mutants killed, survived, without tests and timed out,
the score (killed and timed out over all mutants tried), the surviving mutants, and exits 1
when a package scores under ``THRESHOLD``. ``--report`` prints the last results without running.
Not part of ``make test``: a whole run takes hours on two shared cores (docs/testing.md).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "build" / "mutation"
#: package: (the files mutated, the tests that judge them). The store is judged by its own tests
#: (every other test opens journals through it: a surviving mutant of ``open_store`` would run
#: a thousand tests); the core by every Qt-free test.
PACKAGES = {
    "store": ("journal/store/*", ["tests/test_store_*.py", "tests/test_catalogue_schema.py",
                                  "tests/test_export_backup.py", "tests/test_core_first_look.py"]),
    "core": ("journal/core/*", ["tests"]),
}
THRESHOLD = 0.85
#: Tests that never run under mutmut: those that need Qt (the core and the store do not), the
#: slow packaging and subprocess ones, the real-WordPress ones.
SELECT = "not qt and not slow and not wordpress"
#: Tests of the source tree itself (layering read with ast, file sizes, the objects doc, the
#: packaging files) and of the test WordPress server, which mutmut's rewritten copy of the
#: package cannot pass or no behaviour of the core and the store can fail.
IGNORE = ["--ignore=tests/test_architecture.py", "--ignore=tests/test_docs_objects.py",
          "--ignore-glob=tests/test_packaging_*", "--ignore=tests/test_wordpress_test_server.py"]
#: mutmut's exit codes, grouped as the score counts them.
STATUS = {1: "killed", 3: "killed", 0: "survived", 5: "no tests", 33: "no tests", 34: "skipped",
          36: "timeout", 24: "timeout", -24: "timeout", 152: "timeout", 255: "timeout",
          37: "killed"}


def _toml_list(values: list[str]) -> str:
    return "[" + ", ".join(json.dumps(v) for v in values) + "]"


def _tests(package: str) -> list[str]:
    """The package's test files (globs expanded: pytest takes paths)."""
    out: list[str] = []
    for pattern in PACKAGES[package][1]:
        out += sorted(str(p.relative_to(ROOT)) for p in ROOT.glob(pattern)) or [pattern]
    return out


def prepare(package: str) -> Path:
    work = WORK / package
    work.mkdir(parents=True, exist_ok=True)
    for name, target in (("journal", ROOT / "journal"), ("tests", ROOT / "tests"),
                         ("docs", ROOT / "docs"), ("README.md", ROOT / "README.md"),
                         ("shared", ROOT.parent / "shared")):
        link = work / name
        if not link.is_symlink() and target.exists():
            link.symlink_to(target)
    section = "\n".join([
        "", "[tool.mutmut]",
        'source_paths = ["journal"]',
        f"only_mutate = {_toml_list([PACKAGES[package][0]])}",
        # the frozen DDL of the migrations is data, not behaviour
        'do_not_mutate = ["journal/store/migrations/v0*"]',
        f'pytest_add_cli_args = {_toml_list(["-p", "no:cacheprovider", "-m", SELECT, *IGNORE])}',
        f"pytest_add_cli_args_test_selection = {_toml_list(_tests(package))}",
        'also_copy = ["docs", "README.md"]',  # the user guide: docs/ in a checkout
        # a fork server that has only imported the tests: no Qt thread or open journal is
        # ever inherited by a mutant's run
        'process_isolation = "forkserver"',
        "use_git_change_detection = false",
        f"debug = {'true' if os.environ.get('MUTMUT_DEBUG') else 'false'}",
        "",
    ])
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8") + section
    config = work / "pyproject.toml"
    if not config.exists() or config.read_text(encoding="utf-8") != text:
        config.write_text(text, encoding="utf-8")
    return work


def run(package: str, children: int) -> float:
    work = prepare(package)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONDONTWRITEBYTECODE": "1"}
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "mutmut", "run", "--max-children", str(children)],
                   cwd=work, env=env, check=False)
    return time.monotonic() - started


def results(package: str) -> tuple[Counter[str], list[str]]:
    counts: Counter[str] = Counter()
    survivors: list[str] = []
    mutants = WORK / package / "mutants"
    prefix = PACKAGES[package][0].rstrip("*")
    for meta in sorted(mutants.rglob("*.py.meta")):
        source = meta.relative_to(mutants).as_posix()[:-len(".meta")]
        if not source.startswith(prefix):
            continue
        data = json.loads(meta.read_text(encoding="utf-8"))
        for name, code in sorted(data["exit_code_by_key"].items()):
            status = STATUS.get(code, "not checked" if code is None else "suspicious")
            counts[status] += 1
            if status in ("survived", "no tests", "suspicious"):
                survivors.append(f"{status:9} {name}")
    return counts, survivors


def score(counts: Counter[str]) -> float:
    tried = sum(n for status, n in counts.items() if status not in ("skipped", "not checked"))
    return (counts["killed"] + counts["timeout"]) / tried if tried else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("packages", nargs="*", help=f"of {', '.join(PACKAGES)} (default: all)")
    parser.add_argument("--children", type=int, default=2, help="mutants tested at once")
    parser.add_argument("--report", action="store_true", help="only print the last results")
    args = parser.parse_args()
    unknown = set(args.packages) - set(PACKAGES)
    if unknown:
        parser.error(f"no package {', '.join(sorted(unknown))}: choose from {', '.join(PACKAGES)}")
    failed = False
    for package in args.packages or list(PACKAGES):
        if not args.report:
            seconds = run(package, args.children)
            print(f"\n{package}: mutmut ran for {seconds / 60:.1f} min")
        counts, survivors = results(package)
        print(f"\njournal/{package}: " + ", ".join(f"{n} {s}" for s, n in counts.most_common())
              + f"; score {score(counts):.1%} (goal {THRESHOLD:.0%})")
        for line in survivors:
            print("   ", line)
        failed |= score(counts) < THRESHOLD
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
