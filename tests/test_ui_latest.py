"""ui/latest.LatestOnly: the newest request wins; what an older one returns is never delivered."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject

from journal.ui.latest import LatestOnly


def held(gate: threading.Event, value: object):
    """Work that waits for ``gate`` (10 s at most), then returns ``value``."""
    def work(token):
        gate.wait(10)
        return value
    return work


def test_a_newer_request_makes_the_older_result_stale(qtbot):
    got, settled = [], []
    latest = LatestOnly[str](got.append, on_settled=lambda: settled.append(1))
    gate = threading.Event()
    first = latest.request(held(gate, "old"))
    assert latest.running and latest.busy
    second = latest.request(lambda token: "new")
    assert second == first + 1 and latest.is_current(second) and not latest.is_current(first)
    (worker,) = latest.workers  # one at a time: the new one waits
    assert worker.token.cancelled  # the old one is told to stop
    gate.set()
    qtbot.waitUntil(lambda: not latest.busy, timeout=5000)
    assert got == ["new"] and latest.dropped == 1 and len(settled) == 2
    assert LatestOnly.reported(worker)


def test_only_the_newest_of_many_waiting_requests_runs(qtbot):
    got, ran = [], []
    latest = LatestOnly[int](got.append)
    gate = threading.Event()
    latest.request(held(gate, 0))
    for n in range(1, 6):
        latest.request(lambda token, n=n: ran.append(n) or n)
    gate.set()
    qtbot.waitUntil(lambda: not latest.busy, timeout=5000)
    assert got == [5] and ran == [5] and latest.dropped == 1


def test_concurrent_requests_start_at_once_and_only_the_newest_is_delivered(qtbot):
    got = []
    latest = LatestOnly[str](got.append, one_at_a_time=False)
    gates = [threading.Event(), threading.Event()]
    latest.request(held(gates[0], "old"))
    latest.request(held(gates[1], "new"))
    assert len(latest.workers) == 2
    gates[1].set()
    qtbot.waitUntil(lambda: got == ["new"], timeout=5000)
    gates[0].set()  # the older one ends last: still dropped
    qtbot.waitUntil(lambda: not latest.busy, timeout=5000)
    assert got == ["new"] and latest.dropped == 1


def test_failures_reach_on_failure_unless_stale(qtbot):
    got, failed = [], []
    latest = LatestOnly[int](got.append, on_failure=failed.append)

    def boom(token):
        raise ValueError("current")

    latest.request(boom)
    qtbot.waitUntil(lambda: not latest.busy, timeout=5000)
    assert [str(e) for e in failed] == ["current"] and got == []
    gate = threading.Event()

    def late_boom(token):
        gate.wait(10)
        raise ValueError("stale")

    latest.request(late_boom)
    latest.stale()  # nothing asked now
    gate.set()
    qtbot.waitUntil(lambda: not latest.busy, timeout=5000)
    assert [str(e) for e in failed] == ["current"] and latest.dropped == 1


def test_follow_runs_a_second_stage_of_the_same_request(qtbot):
    got = []
    latest = LatestOnly[str](got.append)

    def first_answer(result: str) -> None:
        got.append(result)
        if result == "first":
            latest.follow(lambda token: "ranked")

    latest._on_result = first_answer  # the page's handler asks for the next stage
    generation = latest.request(lambda token: "first")
    qtbot.waitUntil(lambda: not latest.busy, timeout=5000)
    assert got == ["first", "ranked"]
    assert latest.generation == generation and latest.dropped == 0


def test_a_handler_that_raises_still_lets_the_waiting_work_run(qtbot):
    """A result handler's bug goes to the error reporter; the helper goes on: what waits
    starts and it is not left busy for ever (a Films list stuck "busy" would never settle)."""
    got, settled = [], []

    def handle(result: str) -> None:
        got.append(result)
        if result == "first":
            raise RuntimeError("a bug in the page's handler")

    latest = LatestOnly[str](handle, on_settled=lambda: settled.append(1))
    gate = threading.Event()
    latest.request(held(gate, "first"))
    latest.follow(lambda token: "second")  # waits for the first: one at a time
    with qtbot.capture_exceptions() as raised:
        gate.set()
        qtbot.waitUntil(lambda: not latest.busy, timeout=5000)
    assert [str(e[1]) for e in raised] == ["a bug in the page's handler"]
    assert got == ["first", "second"] and len(settled) == 2


def test_an_owner_closed_mid_work_hears_nothing(qtbot):
    got = []
    owner = QObject()
    latest = LatestOnly[str](got.append, parent=owner)
    gate = threading.Event()
    latest.request(held(gate, "late"))
    (worker,) = latest.workers
    owner.deleteLater()
    qtbot.waitUntil(lambda: not owner_alive(owner), timeout=5000)
    gate.set()
    qtbot.waitUntil(lambda: LatestOnly.reported(worker), timeout=5000)
    assert got == []


def owner_alive(obj: QObject) -> bool:
    import shiboken6

    return shiboken6.isValid(obj)
