"""Return submits a small form: the fields of an inline row (Add credit, New film, a new
viewing's date) act on Return the way a dialog's fields press its default button."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QWidget

_SUBMIT_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_ALLOWED = (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)


class ReturnSubmits(QObject):
    """``ReturnSubmits(slot, fields)``: Return (or keypad Enter) in any of ``fields`` calls
    ``slot``, unless a completion popup is open on the field (then Return picks the completion
    first, as the user expects)."""

    def __init__(self, slot: Callable[[], object], fields: Iterable[QWidget],
                 parent: QObject | None = None) -> None:
        fields = list(fields)
        super().__init__(parent or fields[0])
        self.slot = slot
        for field in fields:
            field.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() in _SUBMIT_KEYS and event.modifiers() in _ALLOWED:
            completer = getattr(watched, "completer", lambda: None)()
            if completer is not None and completer.popup().isVisible():
                return False
            self.slot()
            return True
        return super().eventFilter(watched, event)
