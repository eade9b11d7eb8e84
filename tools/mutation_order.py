"""A pytest plugin for ``make mutation`` (``tools/mutation.py`` loads it with ``-p``): each
mutant runs the tests that execute the statement it changes, fastest first.

Fastest first: mutmut runs a mutant's tests with ``-x`` (it stops at the first failure: the
mutant is killed) in no particular order (a set). The verdict does not depend on the order —
killed if any test fails, survived if all pass — but the time does: a killed mutant that met
the store's slowest test first paid for it before a 0.1 s test failed. The order is by the
durations mutmut itself recorded in ``mutants/mutmut-stats.json`` (a test it has no duration for
counts as 0 s), the collection order breaking ties.

Only the tests that execute the changed statement: mutmut picks a mutant's tests by function
(every test that calls the function), so a mutant of an error branch in the journal's opening
runs all ~180 store tests although two of them reach the branch. A mutant behaves exactly as
the original until it executes the statement it changes (the rest of its function is the
same code), so a test that never executes that statement passes with the mutant as it does
without: dropping it cannot turn a kill into a survivor. ``tools/mutation.py`` records, in a
clean run under coverage, which test executes which line (``MUTATION_LINES_OUT``: this plugin
switches coverage's context to each test's node id), and writes ``mutation-tests.json`` beside
``mutmut-stats.json``: for each mutant whose change it could place in one statement, the tests
that execute a line of that statement (the whole statement, and for an ``if``/``while``/
``try`` the whole block: a superset). A mutant it could not place (a changed signature, a
statement it cannot find) is absent and keeps all of mutmut's tests. The file names the hash of
each mutated source it was made from and is ignored for a file that changed since. Calls made
only in a forked child (the SIGKILL test's writers) are seen neither by coverage here nor by
mutmut's own map: such a test is not picked for the lines only its child runs.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

#: Written by ``tools/mutation.py`` (``line_map``) in the mutants folder.
TESTS_FILE = "mutation-tests.json"

_coverage = None


def _durations() -> dict[str, float]:
    try:
        stats = json.loads(Path("mutmut-stats.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    durations = stats.get("duration_by_test") or {}
    return {str(k): float(v) for k, v in durations.items()}


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tests_hash(folder: Path = Path("tests")) -> str:
    """One hash of every file of the tests (a test added or changed makes the map stale)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in
                       p.parts and ".hypothesis" not in p.parts):
        name = path.relative_to(folder.parent).as_posix()  # "tests/…", wherever it is run
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _tests_of(mutant: str) -> set[str] | None:
    """The tests that execute ``mutant``'s changed statement, or None: all of mutmut's."""
    try:
        data = json.loads(Path(TESTS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    entry = data.get("mutants", {}).get(mutant)
    if entry is None:
        return None
    source, tests = entry
    try:
        if file_hash(Path(source)) != data["hashes"][source] or tests_hash() != data["tests"]:
            return None  # the mutants or the tests were made again since: the map is stale
    except (OSError, KeyError):
        return None
    return set(tests)


def pytest_configure(config):
    global _coverage
    out = os.environ.get("MUTATION_LINES_OUT")
    if out and _coverage is None:
        import coverage

        _coverage = coverage.Coverage(data_file=out, config_file=False,
                                      include=[os.environ["MUTATION_LINES_INCLUDE"]])
        _coverage.start()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    if _coverage is not None:
        _coverage.switch_context(item.nodeid)
    yield
    if _coverage is not None:
        _coverage.switch_context("")


def pytest_unconfigure(config):
    global _coverage
    if _coverage is not None:
        _coverage.stop()
        _coverage.save()
        _coverage = None


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    mutant = os.environ.get("MUTANT_UNDER_TEST", "")
    if "__mutmut_" in mutant:
        wanted = _tests_of(mutant)
        if wanted is not None:
            dropped = [item for item in items if item.nodeid not in wanted]
            if dropped:
                config.hook.pytest_deselected(items=dropped)
                items[:] = [item for item in items if item.nodeid in wanted]
    durations = _durations()
    if not durations:
        return
    order = {id(item): n for n, item in enumerate(items)}
    items.sort(key=lambda item: (durations.get(item.nodeid, 0.0), order[id(item)]))
