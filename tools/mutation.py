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

``--sample N --seed S`` tests a uniformly random sample of N of the package's mutants instead
(the same N and S always pick the same mutants; a run resumes), and prints the estimated score
with its 95% confidence interval (Wilson) and the time a mutant took: the way to judge
the core (~20,000 mutants) in an hour rather than a day.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
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
#: Not mutated: the migrations' frozen DDL (data, not behaviour) and the generators of synthetic
#: journals and exports that the benches and volume tests use as input (the app never imports
#: them: ``tests/test_architecture.py``); a mutant there changes a test's input, not the code
#: under test (docs/testing.md).
DO_NOT_MUTATE = ["journal/store/migrations/v0*", "journal/core/synthetic.py",
                 "journal/core/importers/synthetic.py"]
#: Tests that never run under mutmut: those that need Qt (the core and the store do not), the
#: slow packaging and subprocess ones, the real-WordPress ones.
SELECT = "not qt and not slow and not wordpress"
#: Tests of the source tree itself (layering read with ast, file sizes, the objects doc, the
#: packaging files) and of the test WordPress server, which mutmut's rewritten copy of the
#: package cannot pass or no behaviour of the core and the store can fail.
IGNORE = ["--ignore=tests/test_architecture.py", "--ignore=tests/test_docs_objects.py",
          "--ignore-glob=tests/test_packaging_*", "--ignore=tests/test_wordpress_test_server.py"]
#: Per package, tests left out as well, which mutmut's rewritten modules (every mutant of a
#: function beside it, and its trampolines' imports) fail whatever the mutant: the memory bounds
#: of a child process (125 MB for 110) and the lists of modules a first render or a first
#: opening may import (the trampolines import ``importlib.metadata``).
PACKAGE_IGNORE = {"core": ["--ignore=tests/test_reliability_limits.py",
                           "--ignore=tests/test_render_light_imports.py",
                           "--ignore=tests/test_ui_light_opening.py"]}
#: mutmut's exit codes, grouped as the score counts them.
STATUS = {1: "killed", 3: "killed", 0: "survived", 5: "no tests", 33: "no tests", 34: "skipped",
          36: "timeout", 24: "timeout", -24: "timeout", 152: "timeout", 255: "timeout",
          37: "killed",
          # the test process hung up (SIGHUP) by the mutant itself: pid_alive's os.kill(pid, 1)
          # on the test's own pid, a failed run like any other
          -1: "killed"}


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
        # the frozen DDL of the migrations is data, not behaviour; the benches' generators of
        # synthetic journals and exports make test input, and the app never runs them
        "do_not_mutate = " + _toml_list(DO_NOT_MUTATE),
        "pytest_add_cli_args = " + _toml_list(["-p", "no:cacheprovider", "-p", "mutation_order",
                                               "-m", SELECT, *IGNORE,
                                               *PACKAGE_IGNORE.get(package, [])]),
        f"pytest_add_cli_args_test_selection = {_toml_list(_tests(package))}",
        'also_copy = ["docs", "README.md"]',  # the user guide: docs/ in a checkout
        # a fork server that has only imported the tests: no Qt thread or open journal is
        # ever inherited by a mutant's run
        'process_isolation = "forkserver"',
        "use_git_change_detection = false",
        f"debug = {'true' if os.environ.get('MUTMUT_DEBUG') else 'false'}",
        "",
    ])
    _refresh_copies(work, package)
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8") + section
    config = work / "pyproject.toml"
    if not config.exists() or config.read_text(encoding="utf-8") != text:
        config.write_text(text, encoding="utf-8")
    return work


def _refresh_copies(work: Path, package: str) -> None:
    """mutmut copies the source tree into ``mutants/`` once and, of the files it does not
    mutate (the other package, the UI, the assets), never copies a newer version: refresh
    those that changed since, or the tests would run against stale code."""
    mutants, mutated = work / "mutants", ROOT / PACKAGES[package][0].rstrip("*")
    if not mutants.is_dir():
        return
    for source in (ROOT / "journal").rglob("*"):
        if (not source.is_file() or "__pycache__" in source.parts
                or source.is_relative_to(mutated)):
            continue
        copy = mutants / source.relative_to(ROOT)
        if copy.exists() and copy.stat().st_mtime != source.stat().st_mtime:
            shutil.copy2(source, copy)


def run(package: str, children: int) -> float:
    work = prepare(package)
    started = time.monotonic()
    _generate(package, children)
    line_map(package)
    subprocess.run([sys.executable, "-m", "mutmut", "run", "--max-children", str(children)],
                   cwd=work, env=_env(), check=False)
    return time.monotonic() - started


def _generate(package: str, children: int) -> None:
    """Make the mutants and mutmut's map of which tests call which function, testing none."""
    work = WORK / package
    with open(work / "generate.log", "wb") as log:  # mutmut's spinner: kept out of sight
        subprocess.run([sys.executable, "-m", "mutmut", "run", "--max-children", str(children),
                        NO_MUTANT], cwd=work, env=_env(), check=False, stdout=log,
                       stderr=subprocess.STDOUT)
    if not (work / "mutants" / "mutmut-stats.json").exists():
        raise SystemExit(f"mutmut could not map the tests of {package}: see {work}/generate.log")


def _changed_statements(source: str) -> dict[str, set[int] | None]:
    """For each mutant function in a mutmut-made file, the lines of the original's statement
    its change is in (the whole statement; for a block, the whole block), or None where the
    change cannot be placed in one statement (its signature, or no line found)."""
    import ast
    import difflib

    lines = source.splitlines()
    functions = {node.name: node for node in ast.walk(ast.parse(source))
                 if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
                 and "__mutmut_" in node.name}
    out: dict[str, set[int] | None] = {}
    for name, node in functions.items():
        base, _, number = name.rpartition("__mutmut_")
        orig = functions.get(f"{base}__mutmut_orig")
        if number == "orig" or orig is None or not node.body or not orig.body:
            continue
        head = [line.replace(name, "") for line in lines[node.lineno - 1:node.body[0].lineno - 1]]
        orig_head = [line.replace(orig.name, "")
                     for line in lines[orig.lineno - 1:orig.body[0].lineno - 1]]
        body = lines[node.body[0].lineno - 1:node.end_lineno]
        orig_first = orig.body[0].lineno
        orig_body = lines[orig_first - 1:orig.end_lineno]
        if head != orig_head or node.decorator_list or orig.decorator_list:
            out[name] = None
            continue
        changed: set[int] = set()
        for tag, i1, i2, _j1, _j2 in difflib.SequenceMatcher(
                None, orig_body, body, autojunk=False).get_opcodes():
            if tag in ("replace", "delete"):
                changed |= {orig_first + i for i in range(i1, i2)}
            elif tag == "insert":
                changed |= {orig_first + max(i1 - 1, 0), orig_first + min(i1, len(orig_body) - 1)}
        statements = [n for n in ast.walk(orig) if isinstance(n, ast.stmt) and n is not orig]
        needed: set[int] = set()
        placed = bool(changed)
        for line in changed:
            around = [n for n in statements if n.lineno <= line <= (n.end_lineno or n.lineno)]
            if not around:
                placed = False
                break
            inner = min(around, key=lambda n: (n.end_lineno or n.lineno) - n.lineno)
            needed |= set(range(inner.lineno, (inner.end_lineno or inner.lineno) + 1))
        out[name] = needed if placed else None
    return out


def line_map(package: str) -> None:
    """Record which test executes which line of the package (one clean run under coverage)
    and write, for each mutant placed in one statement, the tests that execute it
    (``mutants/mutation-tests.json``, read by ``tools/mutation_order.py``)."""
    from mutation_order import TESTS_FILE, file_hash, tests_hash

    mutants = WORK / package / "mutants"
    prefix = PACKAGES[package][0].rstrip("*")
    sources = sorted(p for p in (mutants / prefix).rglob("*.py") if "__mutmut_" in p.read_text(
        encoding="utf-8", errors="replace"))
    hashes = {p.relative_to(mutants).as_posix(): file_hash(p) for p in sources}
    tests = tests_hash(mutants / "tests")
    target = mutants / TESTS_FILE
    if target.exists():
        try:
            made = json.loads(target.read_text(encoding="utf-8"))
            if made.get("hashes") == hashes and made.get("tests") == tests:
                return  # made from these very mutants and tests
        except ValueError:
            pass
    target.unlink(missing_ok=True)
    data_file = mutants / ".mutation-coverage"
    data_file.unlink(missing_ok=True)
    env = {k: v for k, v in _env().items() if k != "MUTANT_UNDER_TEST"}
    env.update(MUTATION_LINES_OUT=str(data_file),
               MUTATION_LINES_INCLUDE=str(mutants / prefix) + "/*")
    started = time.monotonic()
    config = (WORK / package / "pyproject.toml").read_text(encoding="utf-8")
    import tomllib

    mutmut_config = tomllib.loads(config)["tool"]["mutmut"]
    with open(WORK / package / "lines.log", "wb") as log:
        done = subprocess.run([sys.executable, "-m", "pytest", "--rootdir=.", "-q",
                               *mutmut_config["pytest_add_cli_args"],
                               *mutmut_config["pytest_add_cli_args_test_selection"]],
                              cwd=mutants, env=env, check=False, stdout=log,
                              stderr=subprocess.STDOUT)
    if done.returncode != 0 or not data_file.exists():
        print(f"{package}: the clean run under coverage failed (lines.log): every mutant keeps "
              "all the tests of its function")
        return
    from coverage import CoverageData

    data = CoverageData(basename=str(data_file))
    data.read()
    by_mutant: dict[str, list] = {}
    placed = unplaced = 0
    for path in sources:
        relative = path.relative_to(mutants).as_posix()
        module = relative.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
        contexts = data.contexts_by_lineno(str(path)) or {}
        for name, needed in _changed_statements(path.read_text(encoding="utf-8")).items():
            if needed is None:
                unplaced += 1
                continue
            runs = sorted({c for line in needed for c in contexts.get(line, ()) if c})
            by_mutant[f"{module}.{name}"] = [relative, runs]
            placed += 1
    target.write_text(json.dumps({"hashes": hashes, "tests": tests, "mutants": by_mutant}),
                      encoding="utf-8")
    print(f"{package}: which test runs which line, in {time.monotonic() - started:.0f} s: "
          f"{placed} mutants placed in a statement, {unplaced} keep all their function's tests")


#: A mutant name no mutant has: ``mutmut run`` with it generates the mutants and records which
#: tests call each function, then stops (``--sample`` picks among the mutants so made).
NO_MUTANT = "no.such.module.x_none__mutmut_0"


def _metas(package: str) -> dict[str, dict]:
    """mutmut's record of each mutated file of the package (the mutants, their exit codes)."""
    mutants = WORK / package / "mutants"
    prefix = PACKAGES[package][0].rstrip("*")
    out = {}
    for meta in sorted(mutants.rglob("*.py.meta")):
        source = meta.relative_to(mutants).as_posix()[:-len(".meta")]
        if source.startswith(prefix) and meta.stat().st_size:
            out[source] = json.loads(meta.read_text(encoding="utf-8"))
    return out


def _sample_file(package: str, n: int, seed: int) -> Path:
    return WORK / package / f"sample-{n}-seed{seed}.json"


def _env() -> dict[str, str]:
    """mutmut's environment: ``tools/`` on the path for the ``mutation_order`` plugin."""
    path = os.pathsep.join(p for p in (str(ROOT / "tools"), os.environ.get("PYTHONPATH")) if p)
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONPATH": path}


def run_sample(package: str, n: int, seed: int, children: int) -> float:
    """Test ``n`` mutants of ``package`` drawn uniformly at random with ``seed``."""
    work = prepare(package)
    started = time.monotonic()
    chosen_file = _sample_file(package, n, seed)
    if not chosen_file.exists():
        with open(work / "generate.log", "wb") as log:  # mutmut's spinner: kept out of sight
            subprocess.run([sys.executable, "-m", "mutmut", "run", "--max-children",
                            str(children), NO_MUTANT], cwd=work, env=_env(), check=False,
                           stdout=log, stderr=subprocess.STDOUT)
        if not (work / "mutants" / "mutmut-stats.json").exists():
            raise SystemExit(f"mutmut could not map the tests of {package}: see {work}/generate.log")
        names = sorted(name for data in _metas(package).values()
                       for name in data["exit_code_by_key"])
        if not names:
            raise SystemExit(f"mutmut made no mutants of {package}: run it with MUTMUT_DEBUG=1")
        picked = random.Random(seed).sample(names, min(n, len(names)))
        chosen_file.write_text(json.dumps(sorted(picked), indent=0), encoding="utf-8")
    chosen = set(json.loads(chosen_file.read_text(encoding="utf-8")))
    stats = json.loads((work / "mutants" / "mutmut-stats.json").read_text(encoding="utf-8"))
    tested = stats["tests_by_mangled_function_name"]
    # those with no result yet and some test that calls their function (mutmut needs one)
    todo = sorted(name for data in _metas(package).values()
                  for name, code in data["exit_code_by_key"].items()
                  if name in chosen and code is None and tested.get(name.partition("__mutmut_")[0]))
    if todo:
        subprocess.run([sys.executable, "-m", "mutmut", "run", "--max-children", str(children),
                        *todo], cwd=work, env=_env(), check=False)
    return time.monotonic() - started


def run_again(package: str, patterns: list[str], children: int) -> float:
    """Test again, by name, the mutants matching one of ``patterns`` (fnmatch) that the last runs left
    survived or without tests: mutmut keeps a result once it has one, so a survivor is judged
    by the tests written since only when it is named (the tests new since are mapped first)."""
    import fnmatch

    work = prepare(package)
    names = sorted(name for data in _metas(package).values()
                   for name, code in data["exit_code_by_key"].items()
                   if STATUS.get(code) in ("survived", "no tests")
                   and any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns))
    started = time.monotonic()
    if names:
        print(f"{package}: testing again {len(names)} mutants matching {' or '.join(patterns)}")
        subprocess.run([sys.executable, "-m", "mutmut", "run", "--max-children", str(children),
                        *names], cwd=work, env=_env(), check=False)
    return time.monotonic() - started


def results(package: str, only: set[str] | None = None,
            tested: dict[str, list[str]] | None = None) -> tuple[Counter[str], list[str]]:
    """Counts by status and the mutants not killed; ``only``: those mutants (a sample), where
    one whose function no test calls counts as "no tests" (``tested``: mutmut's record)."""
    counts: Counter[str] = Counter()
    survivors: list[str] = []
    for data in _metas(package).values():
        for name, code in sorted(data["exit_code_by_key"].items()):
            if only is not None and name not in only:
                continue
            if code is None and tested is not None and not tested.get(
                    name.partition("__mutmut_")[0]):
                code = 33
            status = STATUS.get(code, "not checked" if code is None else "suspicious")
            counts[status] += 1
            if status in ("survived", "no tests", "suspicious"):
                survivors.append(f"{status:9} {name}")
    return counts, survivors


def wilson(killed: int, tried: int, z: float = 1.96) -> tuple[float, float]:
    """The 95% confidence interval of a proportion (Wilson score interval)."""
    if not tried:
        return 0.0, 1.0
    p = killed / tried
    centre = (p + z * z / (2 * tried)) / (1 + z * z / tried)
    half = z * math.sqrt(p * (1 - p) / tried + z * z / (4 * tried * tried)) / (1 + z * z / tried)
    return centre - half, centre + half


def score(counts: Counter[str]) -> float:
    tried = sum(n for status, n in counts.items() if status not in ("skipped", "not checked"))
    return (counts["killed"] + counts["timeout"]) / tried if tried else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("packages", nargs="*", help=f"of {', '.join(PACKAGES)} (default: all)")
    parser.add_argument("--children", type=int, default=2, help="mutants tested at once")
    parser.add_argument("--report", action="store_true", help="only print the last results")
    parser.add_argument("--sample", type=int, metavar="N",
                        help="test N mutants drawn at random and estimate the score")
    parser.add_argument("--seed", type=int, default=16, help="of the random sample (default 16)")
    parser.add_argument("--again", metavar="GLOB", action="append",
                        help="test again the survivors and the mutants without tests whose name "
                        "matches GLOB ('*': all of them; repeat for more)")
    args = parser.parse_args()
    seconds, ran = 0.0, 0
    unknown = set(args.packages) - set(PACKAGES)
    if unknown:
        parser.error(f"no package {', '.join(sorted(unknown))}: choose from {', '.join(PACKAGES)}")
    failed = False
    for package in args.packages or list(PACKAGES):
        if not args.report:
            before = results(package)[0]["not checked"]
            if args.again:
                seconds = run_again(package, args.again, args.children)
            elif args.sample:
                seconds = run_sample(package, args.sample, args.seed, args.children)
            else:
                seconds = run(package, args.children)
            ran = before - results(package)[0]["not checked"]
            print(f"\n{package}: mutmut ran for {seconds / 60:.1f} min")
        only = tested = None
        if args.sample:
            chosen = _sample_file(package, args.sample, args.seed)
            if not chosen.exists():
                parser.error(f"no sample of {args.sample} with seed {args.seed} of {package} yet")
            only = set(json.loads(chosen.read_text(encoding="utf-8")))
            stats = WORK / package / "mutants" / "mutmut-stats.json"
            tested = json.loads(stats.read_text(encoding="utf-8"))["tests_by_mangled_function_name"]
        counts, survivors = results(package, only, tested)
        print(f"\njournal/{package}: " + ", ".join(f"{n} {s}" for s, n in counts.most_common())
              + f"; score {score(counts):.1%} (goal {THRESHOLD:.0%})")
        if only is not None:
            tried = sum(n for status, n in counts.items() if status not in ("skipped",
                                                                          "not checked"))
            low, high = wilson(counts["killed"] + counts["timeout"], tried)
            print(f"    a random sample of {len(only)} of "
                  f"{sum(len(d['exit_code_by_key']) for d in _metas(package).values())} mutants "
                  f"(seed {args.seed}), {tried} tried: 95% confidence interval "
                  f"{low:.1%} to {high:.1%}")
        if not args.report and ran:
            print(f"    {seconds / ran:.2f} s per mutant tested (wall clock, all steps included)")
        for line in survivors:
            print("   ", line)
        untried = Counter(name.partition("__mutmut_")[0] for data in _metas(package).values()
                          for name, code in data["exit_code_by_key"].items()
                          if code is None and (only is None or name in only))
        if untried:
            print(f"    not tried yet: {sum(untried.values())} (by function: "
                  + ", ".join(f"{f} {n}" for f, n in untried.most_common()) + ")")
        failed |= score(counts) < THRESHOLD
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
