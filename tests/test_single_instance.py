"""A second launch on the same journal talks to the first instead of failing on the lock."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from journal.core.journal import Journal
from journal.core.sample import load_sample
from journal.ui.instance_server import InstanceServer
from journal.ui.single_instance import forward, server_name

ROOT = Path(__file__).resolve().parent.parent


def _env(tmp_path):
    return {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen",
            "HOME": str(tmp_path / "home"), "XDG_CONFIG_HOME": str(tmp_path / "home" / ".config")}


@pytest.fixture
def sample(tmp_path):
    path = tmp_path / "j.eyelights"
    with Journal.open(path) as journal:
        load_sample(journal)
    return path


def _start_first(sample, tmp_path):
    first = subprocess.Popen([sys.executable, "-m", "journal", "--journal", str(sample)],
                             env=_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if first.poll() is not None:
            pytest.fail(f"first instance exited: {first.communicate()}")
        probe = subprocess.run([sys.executable, "-c", PROBE, str(sample)], env=_env(tmp_path),
                               capture_output=True, text=True)
        if probe.stdout.strip() == "listening":
            return first
        time.sleep(0.2)
    first.kill()
    pytest.fail("first instance never listened")


PROBE = """
import sys
from pathlib import Path
from PySide6.QtCore import QCoreApplication
from PySide6.QtNetwork import QLocalSocket
from journal.ui.single_instance import server_name
app = QCoreApplication([])
s = QLocalSocket()
s.connectToServer(server_name(Path(sys.argv[1])))
print("listening" if s.waitForConnected(300) else "no")
"""


@pytest.mark.slow
def test_second_launch_brings_the_first_to_front_and_exits_zero(sample, tmp_path):
    first = _start_first(sample, tmp_path)
    try:
        second = subprocess.run([sys.executable, "-m", "journal", "--journal", str(sample),
                                 "--open", "film:1"], env=_env(tmp_path), capture_output=True,
                                text=True, timeout=60)
        assert second.returncode == 0, second.stderr
        assert "already running" in second.stdout
        assert first.poll() is None  # the first keeps running
    finally:
        first.send_signal(signal.SIGTERM)
        first.wait(timeout=30)


@pytest.mark.slow
def test_a_stale_socket_from_a_killed_instance_does_not_block_the_next(sample, tmp_path):
    first = _start_first(sample, tmp_path)
    first.kill()
    first.wait()
    again = subprocess.run([sys.executable, "-m", "journal", "--journal", str(sample),
                            "--smoke-test"], env=_env(tmp_path), capture_output=True, text=True,
                           timeout=60)
    assert again.returncode == 0, again.stderr
    assert "already running" not in again.stdout


def test_server_receives_messages_in_process(qtbot, tmp_path):
    path = tmp_path / "x.eyelights"
    server = InstanceServer(path)
    assert server.listen()
    try:
        received = []
        server.message.connect(received.append)
        # The client blocks; run it on a thread so the server's event loop can answer.
        import threading

        replies = []
        thread = threading.Thread(target=lambda: replies.append(forward(path, {"open": "film:3"})))
        thread.start()
        qtbot.waitUntil(lambda: bool(received) and not thread.is_alive(), timeout=5000)
        assert received == [{"open": "film:3"}] and replies == [{"ok": True}]
    finally:
        server.close()
    assert forward(path, {"activate": True}) is None  # nobody listening any more
    assert server_name(path) != server_name(tmp_path / "other.eyelights")


def test_a_lock_held_by_someone_who_never_listens_stops_the_waiting(tmp_path):
    """A command-line import holds the lock and listens to nobody: the launch asks again for a
    while, then goes on (to be told the journal is busy and offered read-only)."""
    import time

    from journal.store.lock import JournalLock
    from journal.ui.application import forward_patiently

    path = tmp_path / "busy.eyelights"
    path.touch()
    holder = JournalLock(path)
    holder.acquire()
    try:
        assert JournalLock(path).held_elsewhere()
        start = time.monotonic()
        assert forward_patiently(path, {"activate": True}, seconds=0.3) is None
        assert 0.3 <= time.monotonic() - start < 3
    finally:
        holder.release()
    assert not JournalLock(path).held_elsewhere()
    start = time.monotonic()
    assert forward_patiently(path, {"activate": True}, seconds=5) is None  # free: no waiting
    assert time.monotonic() - start < 1
