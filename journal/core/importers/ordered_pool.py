"""A small pool of spawned processes that maps a function over batches, results in their order.

Why not ``concurrent.futures.ProcessPoolExecutor``: its processes share one result pipe whose
writing end the parent also holds. A process killed while it writes a large result (SIGKILL, the
out-of-memory killer) leaves half a message in that pipe, and the executor's manager thread
waits for the rest for ever; the parent's ``shutdown`` then waits for that thread, and the
import hangs (seen here: 1 run in 1, Python 3.11.7, batches of ~640 KB). Here each process has
a pipe of its own whose other end only it holds, so its death is an end of file where the
parent reads and a broken pipe where it writes: :class:`PoolBroken`, never a wait.

Each process is given at most ``DEPTH`` batches at a time, so that it finds the next one
waiting when it finishes one; a thread in it reads its pipe as batches come, so the parent's
write never waits on a process busy writing its own result (each would wait for the other), and
another writes its results, so that it converts its next batch while the parent, busy handing
records on, has not read the last one yet. The
parent keeps the processes fed between the records it hands on (:meth:`OrderedPool.service`)
and never holds more than ``ahead`` batches sent or done and not yet taken.
"""

from __future__ import annotations

import pickle
import traceback
from collections import deque
from collections.abc import Callable
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, TypeVar

B = TypeVar("B")
R = TypeVar("R")

#: Batches a process holds at a time: one it works on, the next waiting.
DEPTH = 2
#: Seconds a process is given to end by itself once its pipe is closed, before it is killed.
END_GRACE = 2.0


class PoolBroken(Exception):
    """A process of the pool ended before giving back its batch's result."""


def _serve(conn: Connection, func: Callable[[Any], Any],
           start: Callable[..., None] | None, start_args: tuple[Any, ...]) -> None:
    """A pool process: batches in, their results (or the errors they raised) out, in order,
    until end of file."""
    import queue
    import threading

    if start is not None:
        start(*start_args)
    batches: queue.SimpleQueue[tuple[bool, Any]] = queue.SimpleQueue()
    replies: queue.SimpleQueue[tuple[bool, Any] | None] = queue.SimpleQueue()

    def read() -> None:  # the pipe drained as batches come (at most ``DEPTH`` at a time)
        while True:
            try:
                batches.put((True, conn.recv()))
            except (EOFError, OSError):
                batches.put((False, None))
                return

    def write() -> None:  # results sent while the next batch is converted: a parent busy
        # handing records on (or writing another process its batch) reads a large result only
        # when it comes back to the pool, and this process would wait for it doing nothing
        while (reply := replies.get()) is not None:
            try:
                conn.send(reply)
            except (BrokenPipeError, OSError):
                return
            except Exception as exc:  # noqa: BLE001 - a result that cannot be pickled: nothing
                # was written (``send`` pickles first), so its batch is answered by the error,
                # raised in the parent, instead of leaving the parent waiting for ever
                conn.send((False, RuntimeError("a batch's result could not be sent back:\n"
                                               + "".join(traceback.format_exception(exc)))))

    threading.Thread(target=read, name="batches-in", daemon=True).start()
    writer = threading.Thread(target=write, name="results-out", daemon=True)
    writer.start()
    try:
        _convert_batches(batches, replies, func)
    finally:
        replies.put(None)
        writer.join()


def _convert_batches(batches: Any, replies: Any, func: Callable[[Any], Any]) -> None:
    while True:
        more, batch = batches.get()
        if not more:
            return
        try:
            reply: tuple[bool, Any] = (True, func(batch))
        except Exception as exc:  # noqa: BLE001 - carried to the parent, raised there
            try:
                pickle.dumps(exc)
                reply = (False, exc)
            except Exception:  # noqa: BLE001 - an exception that cannot cross processes
                reply = (False, RuntimeError("".join(traceback.format_exception(exc))))
        replies.put(reply)
        del reply, batch


class _Worker:
    def __init__(self, context: Any, func: Callable[[Any], Any],
                 start: Callable[..., None] | None, start_args: tuple[Any, ...]) -> None:
        self.conn, child = context.Pipe(duplex=True)
        self.process = context.Process(target=_serve, args=(child, func, start, start_args),
                                       daemon=True, name="eyelights-converter")
        self.process.start()
        child.close()  # only the process holds its end: its death is an end of file here
        self.given: deque[int] = deque()  # the batches it holds, in the order it answers


class OrderedPool(Generic[B, R]):
    """``workers`` processes running ``func`` on batches; results come back in order.

    Use as a context manager: leaving it ends every process (they are killed if they do not
    end within ``END_GRACE``), whatever happened."""

    def __init__(self, func: Callable[[B], R], workers: int, *, ahead: int,
                 start: Callable[..., None] | None = None,
                 start_args: tuple[Any, ...] = ()) -> None:
        import multiprocessing

        self._context = multiprocessing.get_context("spawn")
        self._func, self._start, self._start_args = func, start, start_args
        self._size, self._ahead = max(1, workers), max(workers, ahead)
        self._workers: list[_Worker] = []
        self._waiting: list[tuple[int, B]] = []  # read, not yet sent
        self._done: dict[int, R] = {}
        self._sent = 0  # batches numbered so far
        self._taken = 0  # batches handed back

    def __enter__(self) -> OrderedPool[B, R]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def room(self) -> int:
        """How many more batches may be given (``put``) before the next is taken."""
        return self._ahead - (self._sent - self._taken)

    @property
    def pending(self) -> int:
        return self._sent - self._taken

    def put(self, batch: B) -> None:
        """Queue a batch; it goes to the first process free."""
        if self.room <= 0:
            raise RuntimeError("the pool is full: take a result first")
        self._waiting.append((self._sent, batch))
        self._sent += 1
        self.service()

    def service(self, block: bool = False) -> None:
        """Collect finished results and hand waiting batches to free processes (``block``:
        wait until at least one busy process answers)."""
        self._feed()
        busy = [w for w in self._workers if w.given]
        if not busy:
            return
        ready = wait([w.conn for w in busy], None if block else 0)
        for worker in busy:
            if worker.conn in ready:
                self._collect(worker)
        self._feed()

    def take(self) -> R:
        """The next result in order, waiting for it if need be."""
        if self._taken >= self._sent:
            raise RuntimeError("nothing was given to the pool")
        while self._taken not in self._done:
            self.service(block=True)
        result = self._done.pop(self._taken)
        self._taken += 1
        self.service()
        return result

    def _feed(self) -> None:
        if self._waiting and not self._workers:  # all at once: they import side by side
            self._workers = [_Worker(self._context, self._func, self._start, self._start_args)
                             for _ in range(self._size)]
        while self._waiting:
            worker = min(self._workers, key=lambda w: len(w.given))
            if len(worker.given) >= DEPTH:
                return
            seq, batch = self._waiting.pop(0)
            try:
                worker.conn.send(batch)
            except OSError as exc:  # broken pipe: the process is gone
                raise PoolBroken(f"a pool process ended (exit code "
                                 f"{worker.process.exitcode})") from exc
            worker.given.append(seq)

    def _collect(self, worker: _Worker) -> None:
        try:
            ok, value = worker.conn.recv()
        except (EOFError, OSError) as exc:
            worker.process.join(0.5)
            raise PoolBroken(f"a pool process ended (exit code "
                             f"{worker.process.exitcode})") from exc
        seq = worker.given.popleft()
        if not ok:
            raise value
        self._done[seq] = value

    def close(self) -> None:
        """End every process and drop what was read ahead."""
        self._waiting.clear()
        self._done.clear()
        workers, self._workers = self._workers, []
        for worker in workers:
            worker.conn.close()  # an idle process reads an end of file and returns
            if worker.given:
                worker.process.kill()  # a busy one would finish batches no one wants
        for worker in workers:
            worker.process.join(END_GRACE)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.process.close()


__all__ = ["DEPTH", "END_GRACE", "OrderedPool", "PoolBroken"]
