"""``ordered_pool.OrderedPool``: the import's converting processes. Results in order, a dead
process said (never waited for), an error carried back, nothing left running."""

from __future__ import annotations

import multiprocessing
import time

import pytest
from pool_helpers import (
    dies_while_answering,
    large_and_marked,
    refuses,
    twice_slowly,
    unpicklable_second,
)

from journal.core.importers.ordered_pool import OrderedPool, PoolBroken


def _wait_until_no_child(limit: float = 20.0) -> None:
    end = time.monotonic() + limit
    while multiprocessing.active_children() and time.monotonic() < end:
        time.sleep(0.05)


def test_results_come_back_in_the_order_given_whatever_order_they_finish():
    with OrderedPool(twice_slowly, 2, ahead=4) as pool:
        for n in range(4):
            pool.put(n)
        assert pool.room == 0
        with pytest.raises(RuntimeError):
            pool.put(9)  # never more than ``ahead`` batches read ahead
        got = [pool.take()]
        pool.put(4)
        got += [pool.take() for _ in range(4)]
    assert got == [0, 2, 4, 6, 8]
    assert multiprocessing.active_children() == []


def test_a_process_killed_while_writing_its_result_is_said_not_waited_for():
    """``concurrent.futures``' pool waited for ever for the rest of such a message."""
    with OrderedPool(dies_while_answering, 1, ahead=2) as pool:
        pool.put("die")
        _wait_until_no_child()  # killed with 64 KB of 20 MB in the pipe
        assert multiprocessing.active_children() == []
        started = time.monotonic()
        with pytest.raises(PoolBroken, match="ended"):
            pool.take()
        assert time.monotonic() - started < 5
    assert multiprocessing.active_children() == []


def test_an_error_in_the_function_is_raised_here_and_the_processes_end():
    with pytest.raises(ValueError, match="batch 3 refused"):
        with OrderedPool(refuses, 2, ahead=3) as pool:
            pool.put(3)
            pool.take()
    assert multiprocessing.active_children() == []


@pytest.mark.timeout(30)  # (the bug it is about waits for ever)
def test_a_result_that_cannot_be_sent_back_is_raised_here_not_waited_for():
    """Its process sends its results from a thread of their own: a result pickle refuses
    ended only that thread, and the parent waited for ever (a second read of the pool)."""
    started = time.monotonic()
    with pytest.raises(RuntimeError, match="a batch's result could not be sent back"):
        with OrderedPool(unpicklable_second, 1, ahead=3) as pool:
            for n in (1, 2, 3):
                pool.put(n)
            assert pool.take() == 1
            pool.take()
    assert time.monotonic() - started < 10
    assert multiprocessing.active_children() == []


def test_leaving_with_batches_in_flight_ends_every_process_at_once():
    started = time.monotonic()
    with OrderedPool(twice_slowly, 2, ahead=6) as pool:
        for n in range(6):
            pool.put(n)
    assert multiprocessing.active_children() == []
    assert time.monotonic() - started < 5


def test_a_process_goes_on_to_its_next_batch_while_its_last_result_waits_to_be_read(tmp_path):
    """A parent busy elsewhere (handing records on, writing another process its batch) reads a
    result only when it comes back to the pool: meanwhile the process converts its next batch
    instead of waiting, its result half-written, for the parent to read it."""
    with OrderedPool(large_and_marked, 1, ahead=2) as pool:
        pool.put((str(tmp_path), 1))
        pool.put((str(tmp_path), 2))
        end = time.monotonic() + 20
        while not (tmp_path / "started-2").exists() and time.monotonic() < end:
            time.sleep(0.05)  # the parent does not read: busy with other work
        assert (tmp_path / "started-2").exists()
        assert len(pool.take()) == 20_000_000
        assert len(pool.take()) == 20_000_000
    _wait_until_no_child()
    assert not multiprocessing.active_children()
