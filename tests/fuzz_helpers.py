"""Fixed or fresh examples for the render-by-pieces property tests.

``make test`` runs fixed examples (``derandomize``): CI is repeatable and every case once found
is pinned as an ``@example``. ``make fuzz-render SEEDS=40`` (``tools/fuzz_render.py``) sets
``EYELIGHTS_FUZZ=1`` and runs them with ``--hypothesis-seed=N`` for many seeds: fresh examples,
more of them, and no example database (nothing replayed from an earlier run)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

FRESH = os.environ.get("EYELIGHTS_FUZZ") == "1"


def examples(count: int, *, qt: bool = False) -> settings:
    """``count`` fixed examples, or in a fuzz run, ``EYELIGHTS_FUZZ_SCALE`` times as many
    fresh ones."""
    checks = [HealthCheck.too_slow] + ([HealthCheck.function_scoped_fixture] if qt else [])
    if FRESH:
        scale = float(os.environ.get("EYELIGHTS_FUZZ_SCALE", "1"))
        return settings(max_examples=max(int(count * scale), 1), deadline=None,
                        suppress_health_check=checks, derandomize=False, database=None)
    return settings(max_examples=count, deadline=None, suppress_health_check=checks,
                    derandomize=True, database=None)
