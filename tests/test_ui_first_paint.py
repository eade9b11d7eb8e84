"""FirstPaint: the second step of start-up waits for the window's first frame, once."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMainWindow

from journal.ui.first_paint import FirstPaint


def test_it_calls_back_once_after_the_window_is_painted(qtbot):
    window = QMainWindow()
    label = QLabel("painted?")
    window.setCentralWidget(label)
    qtbot.addWidget(window)
    painted_before_callback = []
    calls = []
    original = label.paintEvent

    def paint(event):
        painted_before_callback.append(not calls)
        original(event)

    label.paintEvent = paint
    window.show()
    FirstPaint(window, lambda: calls.append("second step"), timeout_ms=5000)
    assert calls == []  # never before the event loop ran
    qtbot.waitUntil(lambda: calls == ["second step"], timeout=3000)
    assert painted_before_callback and painted_before_callback[0]  # the frame came first
    window.update()
    qtbot.wait(50)
    assert calls == ["second step"]  # once


def test_a_window_that_is_never_painted_still_gets_its_second_step(qtbot):
    window = QMainWindow()
    qtbot.addWidget(window)
    calls = []
    FirstPaint(window, lambda: calls.append("late"), timeout_ms=50)  # never shown
    qtbot.waitUntil(lambda: calls == ["late"], timeout=2000)
