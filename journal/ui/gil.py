"""The GIL's switch interval of the window's process: one rule for whoever needs it short.

Python hands the GIL to a thread that waits for it only after the running thread has had it for
the switch interval (5 ms by default). The GUI thread calls into Python many times a turn (a
block highlighted, a signal to a slot, the preview's patch, a list painting its cells), and
while a worker runs Python beside it each of those calls may wait that long: sampled at 1 MB,
while a worker rendered a long review (25-50 ms of Python a key), the GUI thread's turns took 2-5
times their CPU time.

``quick_handoff(holder)`` makes it 1 ms for as long as one holder at least asks for it: the
preview while it shows a long review (``preview.py``), a catalogue completion run
(``complete_catalogue.py``). ``let_go(holder)`` ends a holder's claim; when the last one lets
go, the interval is what it was before the first asked (a short interval costs the other
threads some throughput)."""

from __future__ import annotations

import sys

QUICK_SWITCH_INTERVAL = 0.001

_holders: set[object] = set()
_before: list[float] = []  # the interval when the first holder came


def quick_handoff(holder: object) -> None:
    """The GIL changes hands after at most 1 ms until ``holder`` (a hashable key) lets go."""
    if not _holders:
        _before[:] = [sys.getswitchinterval()]
    _holders.add(holder)
    if sys.getswitchinterval() > QUICK_SWITCH_INTERVAL:
        sys.setswitchinterval(QUICK_SWITCH_INTERVAL)


def let_go(holder: object) -> None:
    """``holder`` no longer needs it; the last one gone gives the interval back."""
    if holder not in _holders:
        return
    _holders.discard(holder)
    if not _holders and _before:
        sys.setswitchinterval(_before.pop())


def holders() -> int:
    """How many claims are held (tests)."""
    return len(_holders)
