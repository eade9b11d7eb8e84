"""File → Import… (Ctrl+Shift+I). The wizard and the importers load when it is first used."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from journal.core.journal import Journal
    from journal.ui.bridge import JournalSignals
    from journal.ui.errors import ErrorReporter


def make_import_action(journal: Journal, signals: JournalSignals | None, errors: ErrorReporter,
                       parent: QWidget) -> QAction:
    """File → Import… (Ctrl+Shift+I): opens the wizard, window-modal."""
    action = QAction("&Import…", parent)
    action.setObjectName("actionImport")
    action.setShortcut(QKeySequence("Ctrl+Shift+I"))
    action.setStatusTip("Import reviews from WordPress, Letterboxd or Markdown files, or restore "
                        "an Eyelights backup")

    def open_wizard() -> None:
        from PySide6.QtCore import Qt

        from journal.ui.import_wizard import ImportWizard

        wizard = ImportWizard(journal, signals, errors, parent)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.setWindowModality(Qt.WindowModality.WindowModal)
        wizard.show()

    action.triggered.connect(open_wizard)
    return action
