"""Keys of small forms and filter fields: Return submits a small form (the fields of an inline
row — Add credit, New film, a new viewing's date — act on Return the way a dialog's fields press
its default button); Down and Return lead from a list's filter field into the list."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QWidget

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


class FilterLeadsToList(QObject):
    """A list's quick-filter field, from the keyboard: Down (or Page Down) goes into the list,
    on its current row or else the first; Return opens that row, as Return in the list does.
    ``view`` returns the list (a page may rebuild it); ``flush`` applies a filter still waiting
    for its debounce, so that the row is one of what the field says."""

    def __init__(self, field: QWidget, view: Callable[[], QAbstractItemView],
                 flush: Callable[[], object] | None = None) -> None:
        super().__init__(field)
        self.view, self.flush = view, flush
        field.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent) \
                or event.modifiers() not in _ALLOWED:
            return super().eventFilter(watched, event)
        key = event.key()
        opens = key in _SUBMIT_KEYS
        if not opens and key not in (Qt.Key.Key_Down, Qt.Key.Key_PageDown):
            return super().eventFilter(watched, event)
        if self.flush is not None:
            self.flush()
        view = self.view()
        model = view.model()
        if model is None or model.rowCount() == 0:
            return False
        index = view.currentIndex()
        if not index.isValid():
            index = model.index(0, 0)
        view.setCurrentIndex(index)
        view.scrollTo(index)
        view.setFocus(Qt.FocusReason.TabFocusReason)
        if opens:
            view.activated.emit(index)
        return True
