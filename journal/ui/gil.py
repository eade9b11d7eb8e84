"""The GIL's switch interval of the window's process.

Python hands the GIL to a thread that waits for it only after the running thread has had it for
the switch interval (5 ms by default). The GUI thread calls into Python many times a turn (a
block highlighted, a signal to a slot, the preview's patch), and while a worker renders a long
review (25-50 ms of Python a key) each of those calls may wait that long: sampled at 1 MB, the
GUI thread's turns took 2-5 times their CPU time. ``quick_handoff`` makes it 1 ms (as a
catalogue completion run does, ``complete_catalogue.py``)."""

from __future__ import annotations

import sys

QUICK_SWITCH_INTERVAL = 0.001


def quick_handoff() -> None:
    """The GIL changes hands after at most 1 ms from now on (never longer than it was)."""
    if sys.getswitchinterval() > QUICK_SWITCH_INTERVAL:
        sys.setswitchinterval(QUICK_SWITCH_INTERVAL)
