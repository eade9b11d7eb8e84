"""Moments a bench reads from a launched process (``--smoke-test`` with
``EYELIGHTS_REPORT_SHOWN=1``): each is a line ``<moment> <wall time> <CPU ms> <VmHWM KiB>`` on
stdout. ``benches/bench_startup.py`` and ``benches/bench_review_first.py`` parse them.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


def peak_kib() -> int:
    """The process's peak resident memory so far (VmHWM), in KiB; 0 where /proc is missing."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def report(what: str) -> None:
    if what == "preview":
        _reported_preview.append(what)
    print(f"{what} {time.time():.6f} {time.process_time() * 1000:.1f} {peak_kib()}", flush=True)


class _Painted(QObject):
    def __init__(self, widget: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self.widget = widget
        self.callback = callback
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.Paint:
            self.widget.removeEventFilter(self)
            # after this paint has been done; the widget as the timer's context: a widget
            # deleted before it fires takes the call with it (a view closed meanwhile)
            QTimer.singleShot(0, self.widget, self.callback)
            self.deleteLater()
        return False


class PaintSeen(QObject):
    """Whether ``widget`` has painted since this was made (``seen``)."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.widget, self.seen = widget, False
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.Paint:
            self.seen = True
            self.widget.removeEventFilter(self)
        return False


def after_next_paint(widget: QWidget, callback: Callable[[], None]) -> None:
    """Call ``callback`` once ``widget`` has painted again (and make sure it will)."""
    _Painted(widget, callback)
    widget.update()


def watch_preview(window: object, done: Callable[[], None]) -> None:
    """Report ``preview`` once the review editor's preview shows its first rendering, painted
    (unless the review's kept page was drawn first and reported it: ``ui/kept_page.py``), then
    ``editor`` (the editor built, its preview showing the review); then ``done()``."""
    preview = window.reviews_page.editor_view.preview  # type: ignore[attr-defined]
    viewport = preview.browser.viewport()

    def painted() -> None:
        if not _reported_preview:
            report("preview")
        report("editor")
        done()

    def updated() -> None:
        preview.updated.disconnect(updated)
        after_next_paint(viewport, painted)

    if preview.result is not None:
        after_next_paint(viewport, painted)
    else:
        preview.updated.connect(updated)


_reported_preview: list[str] = []
