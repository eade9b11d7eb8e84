"""The single-instance server on POSIX: Python's Unix socket in Qt's event loop (no QtNetwork)."""

from __future__ import annotations

import os
import socket
import stat
import sys
import threading

import pytest

from journal.ui.instance_server import InstanceServer
from journal.ui.single_instance import forward

pytestmark = pytest.mark.skipif(os.name != "posix", reason="Unix sockets")


def _ask(name: str, payload: bytes) -> bytes:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(5)
        sock.connect(name)
        sock.sendall(payload)
        reply = b""
        while b"\n" not in reply:
            chunk = sock.recv(100)
            if not chunk:
                break
            reply += chunk
        return reply


def test_socket_is_private_answers_bad_requests_and_goes_away(qtbot, tmp_path):
    server = InstanceServer(tmp_path / "x.eyelights")
    assert server.listen()
    try:
        assert stat.S_IMODE(os.stat(server.name).st_mode) == 0o600
        received = []
        server.message.connect(received.append)
        replies = []
        thread = threading.Thread(target=lambda: replies.extend(
            [_ask(server.name, b"[1, 2]\n"), _ask(server.name, b"not json\n")]))
        thread.start()
        qtbot.waitUntil(lambda: not thread.is_alive(), timeout=5000)
        assert replies == [b'{"ok": false, "error": "bad request"}\n'] * 2
        assert received == []
    finally:
        server.close()
    assert not os.path.exists(server.name)


@pytest.mark.expect_log("single-instance socket unavailable")
def test_a_stale_socket_file_is_replaced_a_live_one_is_not(qtbot, tmp_path):
    path = tmp_path / "y.eyelights"
    first = InstanceServer(path)
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(first.name)  # bound, never listening: what a killed instance leaves
    stale.close()
    assert first.listen()
    try:
        second = InstanceServer(path)
        assert not second.listen()  # the first one answers: its file is not taken
        received = []
        first.message.connect(received.append)
        thread = threading.Thread(target=lambda: forward(path, {"open": "review:2"}))
        thread.start()
        qtbot.waitUntil(lambda: received == [{"open": "review:2"}], timeout=5000)
        thread.join()
    finally:
        first.close()


def test_the_window_does_not_load_qt_network(tmp_path):
    """The opening's listener costs no QtNetwork (about 3 MB and 20 ms)."""
    import subprocess

    code = ("import sys\nfrom pathlib import Path\nfrom PySide6.QtCore import QCoreApplication\n"
            "from journal.ui.instance_server import InstanceServer\n"
            "app = QCoreApplication([])\n"
            "server = InstanceServer(Path(sys.argv[1]))\nassert server.listen()\nserver.close()\n"
            "print('PySide6.QtNetwork' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "z.eyelights")],
                          capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
