"""Run something once a window has painted its first frame.

The second step of start-up (opening the journal the full way) must wait for the first frame, or
the user would look at nothing until it is done: a zero-delay timer fires before Qt paints a window
it has just shown.

Only the window's native window is watched (an expose or update request is where Qt paints it):
an application-wide event filter would hand every event of the start-up to Python, and wrapping
each kind of event costs PySide6 ~25 ms the first time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from PySide6.QtCore import QEvent


class FirstPaint(QObject):
    """Calls ``callback`` once, on the turn of the event loop after the shown ``window`` was
    first painted, or after ``timeout_ms`` if it never is (a window shown minimised)."""

    def __init__(self, window: QWidget, callback: Callable[[], None],
                 timeout_ms: int = 300) -> None:
        from PySide6.QtCore import QEvent

        super().__init__(window)
        self._painting = (QEvent.Type.Expose, QEvent.Type.UpdateRequest)
        self._callback: Callable[[], None] | None = callback
        self._handle = window.windowHandle()
        if self._handle is not None:
            self._handle.installEventFilter(self)
        self._timeout = QTimer(self, singleShot=True, interval=timeout_ms)
        self._timeout.timeout.connect(self._fire)
        self._timeout.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() in self._painting and self._handle is not None \
                and self._handle.isExposed():
            self._handle.removeEventFilter(self)
            QTimer.singleShot(0, self, self._fire)  # after Qt has painted, in this event
        return False

    def _fire(self) -> None:
        callback, self._callback = self._callback, None
        if callback is None:
            return
        if self._handle is not None:
            self._handle.removeEventFilter(self)
        self._timeout.stop()
        callback()
