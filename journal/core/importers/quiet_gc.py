"""Fewer passes of Python's garbage collector while an import plans or writes.

Planning or writing a large import allocates objects in bursts (a batch of records read back
from the spool or from the pool's processes) that live until their batch is done, and Python's
collector, run every 700 net allocations, went over them and over everything alive before the
import again and again: 0.4–0.6 s of the ~2.3 s a 10,000-post plan took in the importing
process, 0.1–0.2 s of its apply, for next to nothing collected (records hold no cycles; the
HTML trees that did are no longer built: ``fast_html`` converts without one).

``quiet_gc()`` raises the first generation's threshold to ``THRESHOLD`` (a pass every ~20,000
net allocations: a few MB at most waits, so memory stays bounded) and freezes what was alive
before the import (``gc.freeze``: not looked at again until the import ends, then unfrozen).
Thresholds are the process's: nested or concurrent imports share one quiet period, restored
when the last one ends.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

#: Net allocations between two passes over the youngest generation while an import runs.
THRESHOLD = 20_000

_lock = threading.Lock()
_depth = 0
_saved: tuple[int, int, int] = (700, 10, 10)


@contextmanager
def quiet_gc() -> Iterator[None]:
    global _depth, _saved
    with _lock:
        if _depth == 0:
            _saved = gc.get_threshold()
            if gc.isenabled():
                gc.freeze()
            gc.set_threshold(max(THRESHOLD, _saved[0]), _saved[1], _saved[2])
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                gc.set_threshold(*_saved)
                gc.unfreeze()
