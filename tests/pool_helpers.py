"""Functions for ``ordered_pool`` tests: a spawned process imports them by name."""

from __future__ import annotations

import os
import signal
import threading
import time


def twice_slowly(n: int) -> int:
    """Later batches answer sooner, so results arrive out of order."""
    time.sleep(max(0.0, 0.3 - 0.05 * n))
    return n * 2


def dies_while_answering(what: str) -> str:
    """A result far larger than a pipe holds; the process is killed while it writes it (the
    parent does not read yet), leaving half a message in the pipe."""
    if what == "die":
        threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGKILL)).start()
        return "x" * 20_000_000
    return what


def refuses(n: int) -> int:
    raise ValueError(f"batch {n} refused")


def large_and_marked(job: tuple[str, int]) -> str:
    """A result far larger than a pipe holds, after a moment; the batch leaves a file behind
    when it starts, so that a test sees which batches a process has begun."""
    folder, n = job
    with open(os.path.join(folder, f"started-{n}"), "w"):
        pass
    time.sleep(0.3)  # the parent has given every batch and gone on to other work by now
    return "x" * 20_000_000


def unpicklable_second(n: int) -> object:
    """The second batch's result cannot cross to the parent (a lock)."""
    return threading.Lock() if n == 2 else n
