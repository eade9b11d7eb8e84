"""The first instance's side of ``journal.ui.single_instance``: it listens for later launches.

Started once the journal is open (it loads Qt's network module, not start-up work).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from journal.ui.single_instance import server_name

log = logging.getLogger(__name__)


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
            self.server.removeServer(self.name)  # left behind by an instance that crashed
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
