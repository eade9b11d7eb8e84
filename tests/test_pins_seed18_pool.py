"""The ordered pool's serving loop, run in the test's own process over a real pipe: the seed-18
mutation sample found it reached only in pool processes, which a mutation run cannot see
(docs/testing.md, "Mutation testing"). Each test failed with its mutant switched on."""

from __future__ import annotations

import multiprocessing
import threading

from journal.core.importers.ordered_pool import _serve


def _double(batch):
    if batch == "bad":
        raise ValueError("not a number: bad")
    return [n * 2 for n in batch]


def test_a_pool_process_answers_each_batch_in_order_and_carries_errors_back():
    parent, child = multiprocessing.Pipe()
    server = threading.Thread(target=_serve, args=(child, _double, None, ()), daemon=True)
    server.start()
    for batch in ([1, 2], "bad", [3]):
        parent.send(batch)
    replies = []
    for _ in range(3):
        assert parent.poll(10), "no answer from the serving loop"
        replies.append(parent.recv())
    assert replies[0] == (True, [2, 4]) and replies[2] == (True, [6])
    ok, error = replies[1]
    assert not ok and isinstance(error, ValueError) and str(error) == "not a number: bad"
    parent.close()  # end of input: the loop ends
    server.join(10)
    assert not server.is_alive()
