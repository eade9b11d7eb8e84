"""One window per journal: a second launch hands its request to the first and exits.

The first instance listens on a local socket named after the user and the journal's path (on POSIX
a socket file in ``$XDG_RUNTIME_DIR``, else the temporary folder). A new launch connects, sends one
JSON line (``{"activate": true, "open": "film:12"}``) and gets one back; the running window comes to
the front and opens what was asked. A stale socket left by a crashed instance is removed before
listening (``journal.ui.instance_server``). The launching side talks through Python's own socket
on POSIX, so that asking costs no Qt at start-up.
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path
from typing import Any

TIMEOUT_MS = 2000
_MAX_SOCKET_PATH = 100  # sockaddr_un holds ~108 bytes


def _user() -> str:
    if hasattr(os, "getuid"):
        return str(os.getuid())
    import getpass  # pragma: no cover - Windows

    return getpass.getuser()  # pragma: no cover


def server_name(journal_path: Path) -> str:
    """The server's name: a socket file's full path on POSIX, a plain name elsewhere."""
    where = str(journal_path.resolve()).encode()
    name = f"eyelights-{_user()}-{zlib.crc32(where):08x}{len(where):04x}"
    if os.name != "posix":  # pragma: no cover - Windows: a named pipe
        return name
    folder = os.environ.get("XDG_RUNTIME_DIR") or ""
    if not (folder and os.path.isdir(folder) and os.access(folder, os.W_OK)):
        folder = os.environ.get("TMPDIR") or "/tmp"
    path = os.path.join(folder, name + ".sock")
    return path if len(path.encode()) <= _MAX_SOCKET_PATH else os.path.join("/tmp", name + ".sock")


def forward(journal_path: Path, message: dict[str, Any]) -> dict[str, Any] | None:
    """Send ``message`` to a running instance; its reply, or None when none is running."""
    name = server_name(journal_path)
    if os.name == "posix" and not os.path.exists(name):  # nobody listens: the common case
        return None
    import json

    payload = json.dumps(message).encode() + b"\n"
    reply = _exchange_posix(name, payload) if os.name == "posix" else _exchange_qt(name, payload)
    if reply is None:
        return None
    try:
        return json.loads(reply.decode() or "null") or {"ok": True}
    except ValueError:
        return {"ok": True}


def _exchange_posix(path: str, payload: bytes) -> bytes | None:
    import socket

    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(TIMEOUT_MS / 1000)
        try:
            sock.connect(path)
        except OSError:  # refused (a stale socket), or gone
            return None
        reply = b""
        try:
            sock.sendall(payload)
            while b"\n" not in reply:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                reply += chunk
        except OSError:  # the running instance answered nothing in time: it got the request
            pass
        return reply


def _exchange_qt(name: str, payload: bytes) -> bytes | None:  # pragma: no cover - Windows
    from PySide6.QtNetwork import QLocalSocket

    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(TIMEOUT_MS):
        return None
    socket.write(payload)
    socket.flush()
    reply = b""
    while b"\n" not in reply and socket.waitForReadyRead(TIMEOUT_MS):
        reply += bytes(socket.readAll().data())
    socket.disconnectFromServer()
    return reply
