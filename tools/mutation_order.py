"""A pytest plugin for ``make mutation`` (``tools/mutation.py`` loads it with ``-p``): each
mutant's tests run fastest first.

mutmut runs a mutant's tests with ``-x`` (it stops at the first failure: the mutant is killed)
in no particular order (a set). The verdict does not depend on the order — killed if any test
fails, survived if all pass — but the time does: a killed mutant that met the store's slowest
test first (16 s of the store's 36 s) paid for it before a 0.1 s test failed. Fastest first,
by the durations mutmut itself recorded in ``mutants/mutmut-stats.json`` (a test it has no
duration for counts as 0 s), with the collection order as the tie-breaker.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest


def _durations() -> dict[str, float]:
    try:
        stats = json.loads(Path("mutmut-stats.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    durations = stats.get("duration_by_test") or {}
    return {str(k): float(v) for k, v in durations.items()}


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    durations = _durations()
    if not durations:
        return
    order = {id(item): n for n, item in enumerate(items)}
    items.sort(key=lambda item: (durations.get(item.nodeid, 0.0), order[id(item)]))
