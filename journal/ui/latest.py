"""Background work where only the latest request counts (after Anki's ``QueryOp``).

The preview, the Search and Statistics pages and the film look-ups each ask a worker for
something that a newer request makes useless: the text changed, the journal changed, the title
was typed over. :class:`LatestOnly` holds that rule once:

* every :meth:`~LatestOnly.request` makes the earlier ones *stale*: their work is cancelled
  (``CancelToken.cancelled``) and whatever they return — result or error — is dropped
  (``dropped`` counts them), never shown;
* ``one_at_a_time`` (the default): a request made while work runs waits, and only the newest
  waiting one starts when the running work ends (a database connection, a render worker);
  otherwise each request starts at once (network look-ups, cancelled as they go);
* the result comes to ``on_result`` typed as the work returned it, on the GUI thread; a failure
  to ``on_failure``; ``on_settled`` after every end, stale or not.

Workers are kept alive until they report, so the owner may be closed while one runs: its
result is then dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import ClassVar, Generic, TypeVar, cast
from weakref import ref

import shiboken6
from PySide6.QtCore import QObject

from journal.ui.bridge import CancelToken, Worker

T = TypeVar("T")
Work = Callable[[CancelToken], T]


class LatestOnly(QObject, Generic[T]):
    _alive: ClassVar[set[Worker]] = set()  # workers not yet reported, whoever asked for them

    def __init__(self, on_result: Callable[[T], None], *,
                 on_failure: Callable[[BaseException], None] | None = None,
                 on_settled: Callable[[], None] | None = None, one_at_a_time: bool = True,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._on_result, self._on_failure, self._on_settled = on_result, on_failure, on_settled
        self.one_at_a_time = one_at_a_time
        self._generation = 0
        self._running: dict[Worker, int] = {}  # worker → the generation it works for
        self._waiting: tuple[int, Work[T]] | None = None
        self.dropped = 0  # stale results and errors dropped (tests, benches)

    # ------------------------------------------------------------------ asking
    @property
    def generation(self) -> int:
        """Grows with every request (and :meth:`stale`): what is current is of this one."""
        return self._generation

    @property
    def running(self) -> bool:
        return bool(self._running)

    @property
    def workers(self) -> tuple[Worker, ...]:
        """The workers running for this owner (tests)."""
        return tuple(self._running)

    @staticmethod
    def reported(worker: Worker) -> bool:
        """Whether ``worker`` has reported (and been let go), whoever asked for it."""
        return worker not in LatestOnly._alive

    @property
    def busy(self) -> bool:
        """Work runs or waits."""
        return bool(self._running) or self._waiting is not None

    def request(self, work: Work[T]) -> int:
        """Run ``work(token)`` on a worker; everything asked before is stale. Returns the
        request's generation."""
        self.stale()
        self.follow(work)
        return self._generation

    def follow(self, work: Work[T]) -> None:
        """Run ``work`` next as part of the current request (not making what runs stale): a
        second stage, such as the ranked search after the first answer."""
        self._waiting = (self._generation, work)
        self._start_waiting()

    def stale(self) -> None:
        """What was asked no longer counts: cancel the running work, forget the waiting one,
        drop what they return."""
        self._generation += 1
        self._waiting = None
        for worker in self._running:
            worker.cancel()

    def is_current(self, generation: int) -> bool:
        return generation == self._generation

    # ------------------------------------------------------------------ running
    def _start_waiting(self) -> None:
        if self._waiting is None or (self.one_at_a_time and self._running):
            return  # the running work's end starts the waiting one
        generation, work = self._waiting
        self._waiting = None
        worker = Worker(work)
        self._running[worker] = generation
        LatestOnly._alive.add(worker)
        owner = ref(self)
        worker.finished.connect(partial(_ended, owner, worker, True))
        worker.failed.connect(partial(_ended, owner, worker, False))
        worker.start()

    def _ended(self, worker: Worker, ok: bool, value: object) -> None:
        generation = self._running.pop(worker, None)
        try:
            if generation is None or generation != self._generation:
                self.dropped += 1
            elif ok:
                self._on_result(cast(T, value))
            elif self._on_failure is not None:
                self._on_failure(value if isinstance(value, BaseException)
                                 else RuntimeError(str(value)))
        finally:  # a slot that raises (to the error reporter) still lets the next one start
            if self._on_settled is not None:
                self._on_settled()
            self._start_waiting()


def _ended(owner: ref[LatestOnly[T]], worker: Worker, ok: bool, value: object) -> None:
    """A worker reported: let it go; tell its owner if the owner is still there."""
    LatestOnly._alive.discard(worker)
    worker.deleteLater()
    latest = owner()
    if latest is not None and shiboken6.isValid(latest):
        latest._ended(worker, ok, value)
