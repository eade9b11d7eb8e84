"""The first instance's side of ``journal.ui.single_instance``: it listens for later launches.

On POSIX it is Python's own Unix socket watched by ``QSocketNotifier`` (QtCore): Qt's network
module (``QLocalServer``) would add ~3 MB to the process and ~20 ms to the opening for one JSON
line now and then. Elsewhere it is ``QLocalServer``. The socket file is the user's alone
(mode 0600, set before anyone can connect); a stale one left by a crashed instance is removed.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import socket
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSocketNotifier, Signal

from journal.ui.single_instance import server_name

log = logging.getLogger(__name__)

MAX_REQUEST = 64 * 1024  # one JSON line; anything longer is not a launch talking


def _reply(request_line: bytes) -> tuple[bytes, dict[str, Any] | None]:
    """The answer to one request line, and the request when it is a valid one."""
    try:
        request = json.loads(request_line.decode())
        if not isinstance(request, dict):
            raise ValueError("not an object")
    except ValueError:
        return b'{"ok": false, "error": "bad request"}\n', None
    return b'{"ok": true}\n', request


class _Connection:
    def __init__(self, owner: InstanceServer, sock: socket.socket) -> None:
        self.owner, self.sock, self.data = owner, sock, b""
        sock.setblocking(False)
        self.notifier = QSocketNotifier(sock.fileno(), QSocketNotifier.Type.Read, owner)
        self.notifier.activated.connect(self.read)

    def read(self) -> None:
        try:
            chunk = self.sock.recv(4096)
        except BlockingIOError:
            return
        except OSError:
            chunk = b""
        self.data += chunk
        if b"\n" not in self.data and chunk and len(self.data) < MAX_REQUEST:
            return
        answer, request = _reply(self.data.split(b"\n", 1)[0])
        try:
            self.sock.send(answer)  # a few bytes: the socket's buffer takes them at once
        except OSError:
            pass  # the launch gave up waiting: it still asked
        self.close()
        if request is not None:
            self.owner.message.emit(request)

    def close(self) -> None:
        self.notifier.setEnabled(False)
        self.notifier.deleteLater()
        self.sock.close()
        self.owner._connections.discard(self)


class InstanceServer(QObject):
    """Listens for later launches; ``message(dict)`` is emitted in the GUI thread."""

    message = Signal(dict)

    def __init__(self, journal_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = server_name(journal_path)
        self._sock: socket.socket | None = None
        self._notifier: QSocketNotifier | None = None
        self._connections: set[_Connection] = set()
        self._qt: Any = None  # QLocalServer where there are no Unix sockets

    def listen(self) -> bool:
        if os.name != "posix":  # pragma: no cover - Windows: a named pipe
            return self._listen_qt()
        try:
            sock = self._bind()
        except OSError as exc:
            log.warning("single-instance socket unavailable: %s", exc)
            return False
        sock.setblocking(False)
        self._sock = sock
        self._notifier = QSocketNotifier(sock.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._accept)
        return True

    def _bind(self) -> socket.socket:
        for attempt in (1, 2):
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                sock.bind(self.name)
            except OSError as exc:
                sock.close()
                if exc.errno != errno.EADDRINUSE or attempt == 2 or self._answered():
                    raise
                os.unlink(self.name)  # left behind by an instance that crashed
                continue
            os.chmod(self.name, 0o600)  # before listen(): nobody else can have connected
            sock.listen(8)
            return sock
        raise OSError(errno.EADDRINUSE, "address in use")  # pragma: no cover

    def _answered(self) -> bool:
        """True when something is really listening on our name (not a stale file)."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            try:
                probe.connect(self.name)
            except OSError:
                return False
        return True

    def close(self) -> None:
        if self._qt is not None:  # pragma: no cover - Windows
            self._qt.close()
        for connection in list(self._connections):
            connection.close()
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier = None
        if self._sock is not None:
            self._sock.close()
            self._sock = None
            try:
                os.unlink(self.name)
            except OSError:
                pass

    def _accept(self) -> None:
        while self._sock is not None:
            try:
                conn, _ = self._sock.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:
                log.warning("single-instance socket: %s", exc)
                return
            self._connections.add(_Connection(self, conn))

    # ------------------------------------------------------------------ Windows
    def _listen_qt(self) -> bool:  # pragma: no cover - Windows
        from PySide6.QtNetwork import QLocalServer

        server = self._qt = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        server.newConnection.connect(self._on_qt_connection)
        if not server.listen(self.name):
            server.removeServer(self.name)
            if not server.listen(self.name):
                log.warning("single-instance socket unavailable: %s", server.errorString())
                return False
        return True

    def _on_qt_connection(self) -> None:  # pragma: no cover - Windows
        while self._qt.hasPendingConnections():
            conn = self._qt.nextPendingConnection()
            conn.readyRead.connect(lambda c=conn: self._read_qt(c))

    def _read_qt(self, conn: Any) -> None:  # pragma: no cover - Windows
        data = bytes(conn.peek(MAX_REQUEST).data())
        if b"\n" not in data and len(data) < MAX_REQUEST:
            return
        answer, request = _reply(bytes(conn.readAll().data()).split(b"\n", 1)[0])
        conn.write(answer)
        conn.flush()
        conn.disconnectFromServer()
        if request is not None:
            self.message.emit(request)
