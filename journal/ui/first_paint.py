"""Run something once a window has painted its first frame.

The second step of start-up (opening the journal the full way) must wait for the first frame, or
the user would look at nothing until it is done: a zero-delay timer fires before Qt paints a window
it has just shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QTimer
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from PySide6.QtCore import QEvent


class FirstPaint(QObject):
    """Calls ``callback`` once, on the turn of the event loop after ``window`` (or a widget in it)
    was first painted, or after ``timeout_ms`` if it never is (a window shown minimised)."""

    def __init__(self, window: QWidget, callback: Callable[[], None],
                 timeout_ms: int = 300) -> None:
        from PySide6.QtCore import QEvent  # its ~170 event types cost ~2 ms to wrap: after show()

        super().__init__(window)
        self._paint = QEvent.Type.Paint
        self._window = window
        self._callback: Callable[[], None] | None = callback
        self._app = QCoreApplication.instance()
        self._app.installEventFilter(self)
        self._timeout = QTimer(self, singleShot=True, interval=timeout_ms)
        self._timeout.timeout.connect(self._fire)
        self._timeout.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == self._paint and isinstance(watched, QWidget) \
                and watched.window() is self._window:
            self._app.removeEventFilter(self)
            QTimer.singleShot(0, self, self._fire)  # once this frame is painted whole
        return False

    def _fire(self) -> None:
        callback, self._callback = self._callback, None
        if callback is None:
            return
        self._app.removeEventFilter(self)
        self._timeout.stop()
        callback()
