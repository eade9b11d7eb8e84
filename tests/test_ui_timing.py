"""ui/timing: a call waiting for a widget's next paint dies with the widget."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

from journal.ui.timing import after_next_paint


def test_the_call_after_a_paint_comes(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.resize(80, 40)
    widget.show()
    qtbot.waitExposed(widget)
    calls: list[int] = []
    after_next_paint(widget, lambda: calls.append(1))
    qtbot.waitUntil(lambda: calls == [1], timeout=2000)


class _DeleteOnPaint(QObject):
    """Deletes its widget (later: at the event loop's next turn, before any timer) when the
    widget paints: a view closed between its paint and what waits for it."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__()
        self.widget, self.painted = widget, False
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.Paint and not self.painted:
            self.painted = True
            self.widget.deleteLater()
        return False


def test_a_widget_deleted_after_its_paint_drops_the_call(qtbot):
    """The dictionary's load waits for the first preview's paint; a view closed just after
    that paint once had the call reach its deleted form. The call must die with the widget."""
    widget = QWidget()
    widget.resize(80, 40)
    widget.show()
    qtbot.waitExposed(widget)
    calls: list[int] = []
    after_next_paint(widget, lambda: calls.append(1))
    closer = _DeleteOnPaint(widget)
    qtbot.waitUntil(lambda: closer.painted, timeout=2000)
    qtbot.wait(100)
    assert calls == []
