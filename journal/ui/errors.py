"""Errors by signal: known problems are shown plainly, bugs go to the log with a traceback."""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from journal.errors import EyelightsError
from journal.logsetup import log_file

log = logging.getLogger(__name__)


class ErrorReporter(QObject):
    """Turns exceptions into messages. ``shown`` carries (title, text) for tests and the status
    bar; the dialog is window-modal and non-blocking (``open``), so no event loop is nested."""

    shown = Signal(str, str)

    def __init__(self, parent_widget: QWidget | None = None) -> None:
        super().__init__()
        self.parent_widget = parent_widget
        self.dialogs_enabled = True

    def report(self, exc: BaseException, title: str = "Something went wrong") -> None:
        if isinstance(exc, EyelightsError):
            text = exc.message
            log.warning("shown: %s: %s", title, text)  # a problem the user is told of
        else:
            log.error("%s", title, exc_info=(type(exc), exc, exc.__traceback__))
            text = (f"An unexpected error happened ({type(exc).__name__}: {exc}). Nothing you "
                    f"saved was lost. Details are in the log file {log_file()}.")
        self.shown.emit(title, text)
        if self.dialogs_enabled:
            from PySide6.QtWidgets import QMessageBox

            box = QMessageBox(QMessageBox.Icon.Warning, title, text,
                              QMessageBox.StandardButton.Ok, self.parent_widget)
            box.setObjectName("errorDialog")
            box.open()

    def install_excepthook(self) -> None:
        def hook(kind: type[BaseException], exc: BaseException,
                 tb: TracebackType | None) -> None:
            if issubclass(kind, KeyboardInterrupt):
                sys.__excepthook__(kind, exc, tb)
                return
            log.error("uncaught: %s", "".join(traceback.format_exception(kind, exc, tb)))
            self.report(exc)

        sys.excepthook = hook
