"""One window per journal: a second launch hands its request to the first and exits.

The first instance listens on a local socket named after the user and the journal's path. A new
launch connects, sends one JSON line (``{"activate": true, "open": "film:12"}``) and gets one back;
the running window comes to the front and opens what was asked. A stale socket left by a crashed
instance is removed before listening.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

TIMEOUT_MS = 2000


def server_name(journal_path: Path) -> str:
    digest = hashlib.sha1(str(journal_path.resolve()).encode()).hexdigest()[:16]
    return f"eyelights-{getpass.getuser()}-{digest}"


def forward(journal_path: Path, message: dict[str, Any]) -> dict[str, Any] | None:
    """Send ``message`` to a running instance; its reply, or None when none is running."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(journal_path))
    if not socket.waitForConnected(TIMEOUT_MS):
        return None
    socket.write(json.dumps(message).encode() + b"\n")
    socket.flush()
    reply = b""
    while b"\n" not in reply and socket.waitForReadyRead(TIMEOUT_MS):
        reply += bytes(socket.readAll().data())
    socket.disconnectFromServer()
    try:
        return json.loads(reply.decode() or "null") or {"ok": True}
    except ValueError:
        return {"ok": True}


class InstanceServer(QObject):
    """Listens for later launches; ``message(dict)`` is emitted in the GUI thread."""

    message = Signal(dict)

    def __init__(self, journal_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = server_name(journal_path)
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._on_connection)
        self._buffers: dict[QLocalSocket, bytes] = {}

    def listen(self) -> bool:
        if not self.server.listen(self.name):
            QLocalServer.removeServer(self.name)  # left behind by an instance that crashed
            if not self.server.listen(self.name):
                log.warning("single-instance socket unavailable: %s", self.server.errorString())
                return False
        return True

    def close(self) -> None:
        self.server.close()

    def _on_connection(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            self._buffers[socket] = b""
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(lambda s=socket: self._buffers.pop(s, None))

    def _read(self, socket: QLocalSocket) -> None:
        data = self._buffers.get(socket, b"") + bytes(socket.readAll().data())
        if b"\n" not in data:
            self._buffers[socket] = data
            return
        line = data.split(b"\n", 1)[0]
        try:
            request = json.loads(line.decode())
            if not isinstance(request, dict):
                raise ValueError("not an object")
        except ValueError:
            socket.write(b'{"ok": false, "error": "bad request"}\n')
            socket.flush()
            return
        socket.write(b'{"ok": true}\n')
        socket.flush()
        self.message.emit(request)
