"""File-menu actions for printing and exporting: Print…, Export PDF/HTML/Markdown/ODT…, Copy for
blog, Booklet…, Export for Letterboxd…, Full backup…

The lead puts ``ExportActions.menu_actions()`` into the File menu (``None`` marks a separator).
Every action reports failures through the ErrorReporter; slow work (booklets) runs on a Worker
with a progress dialog that can cancel it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeData, QObject, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QProgressDialog,
    QWidget,
)

from journal.core.export import (
    blog_fragment,
    export_html,
    export_letterboxd,
    export_markdown,
    live_review_ids,
    safe_filename,
)
from journal.core.export.document import document_for_review
from journal.core.journal import Journal
from journal.printing import PrintSettings, write_booklet, write_odt, write_pdf
from journal.printing.layout import setup_device
from journal.printing.pdf import header_text, paint_review, review_html
from journal.ui.bridge import Worker
from journal.ui.errors import ErrorReporter
from journal.ui.icons import themed_icon

FORMATS = {"pdf": "PDF documents (*.pdf)", "html": "Web pages (*.html)",
           "md": "Markdown with front matter (*.md)", "odt": "OpenDocument text (*.odt)"}


class ExportOptionsDialog(QDialog):
    """Keep or hide spoilers, include comments, light or print theme, page size."""

    def __init__(self, parent: QWidget | None = None, *, with_page: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("exportOptionsDialog")
        self.setWindowTitle("Export options")
        form = QFormLayout(self)
        self.spoilers = QCheckBox("Keep spoiler sections", objectName="exportSpoilers")
        self.spoilers.setChecked(True)
        self.spoilers.setAccessibleName("Keep spoiler sections")
        self.comments = QCheckBox("Include readers’ comments", objectName="exportComments")
        self.comments.setAccessibleName("Include readers’ comments")
        self.theme = QComboBox(objectName="exportTheme")
        self.theme.addItem("Print (black on white)", "print")
        self.theme.addItem("Light", "light")
        self.theme.setAccessibleName("Theme")
        self.page = QComboBox(objectName="exportPageSize")
        self.page.addItems(["A4", "Letter"])
        self.page.setAccessibleName("Page size")
        form.addRow(self.spoilers)
        form.addRow(self.comments)
        form.addRow("&Theme:", self.theme)
        if with_page:
            form.addRow("&Page size:", self.page)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.setObjectName("exportOptionsButtons")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def settings(self) -> PrintSettings:
        return PrintSettings(page_size=self.page.currentText(), spoilers=self.spoilers.isChecked(),
                             comments=self.comments.isChecked(), theme=self.theme.currentData())


class ExportActions(QObject):
    """The actions and what they run. Tests call the ``*_to`` methods with a path directly."""

    exported = Signal(str)  # a one-line message for the status bar

    def __init__(self, journal: Journal, errors: ErrorReporter,
                 current_review_id: Callable[[], int | None], parent_widget: QWidget) -> None:
        super().__init__(parent_widget)
        self.journal, self.errors, self.current = journal, errors, current_review_id
        self.parent_widget = parent_widget
        self.worker: Worker | None = None
        self.progress: QProgressDialog | None = None
        self._preview: tuple[QPrintPreviewDialog, QPrinter] | None = None
        self.print_action = self._action("Print…", "document-print", self.print_review,
                                         QKeySequence.StandardKey.Print, "actionPrint")
        self.export_actions = {
            fmt: self._action(f"Export as {label}…", "document-save",
                              lambda _=False, f=fmt: self.export_dialog(f), None,
                              f"actionExport{fmt.capitalize()}")
            for fmt, label in (("pdf", "PDF"), ("html", "HTML"), ("md", "Markdown"),
                               ("odt", "ODT"))}
        self.copy_blog_action = self._action("Copy for Blog", None, self.copy_for_blog,
                                             None, "actionCopyForBlog")
        self.booklet_action = self._action("Booklet…", None, self.booklet_dialog, None,
                                           "actionBooklet")
        self.letterboxd_action = self._action("Export for Letterboxd…", None,
                                              self.letterboxd_dialog, None, "actionLetterboxd")
        self.backup_action = self._action("Full Backup…", None, self.backup_dialog, None,
                                          "actionFullBackup")
        self.update_enabled()

    def _action(self, text: str, icon: str | None, slot: Callable[..., Any],
                shortcut: QKeySequence.StandardKey | None, name: str) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if icon:
            action.setIcon(themed_icon(icon))
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def menu_actions(self) -> list[QAction | None]:
        """For the File menu, in order; None is a separator."""
        return [self.print_action, *self.export_actions.values(), self.copy_blog_action, None,
                self.booklet_action, self.letterboxd_action, self.backup_action]

    def review_actions(self) -> list[QAction]:
        return [self.print_action, *self.export_actions.values(), self.copy_blog_action]

    def update_enabled(self) -> None:
        """Enable the one-review actions only when a review is current (call on menu show)."""
        has = self.current() is not None
        for action in self.review_actions():
            action.setEnabled(has)

    # ------------------------------------------------------------------ one review
    def _suggested(self, review_id: int, suffix: str) -> str:
        doc = document_for_review(self.journal, review_id)
        return str(Path.home() / safe_filename(header_text(doc) or "review", suffix))

    def export_dialog(self, fmt: str) -> None:
        review_id = self.current()
        if review_id is None:
            return
        options = ExportOptionsDialog(self.parent_widget, with_page=fmt == "pdf")
        if fmt != "md" and not options.exec():
            return
        path, _ = QFileDialog.getSaveFileName(self.parent_widget, "Export review",
                                              self._suggested(review_id, fmt), FORMATS[fmt])
        if path:
            self.export_to(fmt, review_id, path, options.settings())

    def export_to(self, fmt: str, review_id: int, path: str | Path,
                  settings: PrintSettings | None = None) -> Path | None:
        settings = settings or PrintSettings()
        try:
            if fmt == "pdf":
                out = write_pdf(self.journal, review_id, path, settings)
            elif fmt == "odt":
                out = write_odt(self.journal, review_id, path, settings)
            elif fmt == "html":
                out = export_html(self.journal, review_id, path, spoilers=settings.spoilers,
                                  comments=settings.comments, theme=settings.theme)
            else:
                out = export_markdown(self.journal, review_id, path)
        except Exception as exc:  # noqa: BLE001 - the reporter tells known errors from bugs
            self.errors.report(exc, "The review could not be exported")
            return None
        self.exported.emit(f"Exported to {out}")
        return out

    def copy_for_blog(self) -> None:
        review_id = self.current()
        if review_id is None:
            return
        try:
            html, text = blog_fragment(self.journal, review_id)
        except Exception as exc:  # noqa: BLE001
            self.errors.report(exc, "The review could not be copied")
            return
        data = QMimeData()
        data.setHtml(html)
        data.setText(text)
        QGuiApplication.clipboard().setMimeData(data)
        self.exported.emit("Copied the review for a blog post")

    def print_review(self) -> None:
        review_id = self.current()
        if review_id is None:
            return
        options = ExportOptionsDialog(self.parent_widget, with_page=False)
        if not options.exec():
            return
        dialog = self.preview_dialog(review_id, options.settings())
        dialog.exec()

    def preview_dialog(self, review_id: int, settings: PrintSettings) -> QPrintPreviewDialog:
        """A print preview whose pages come from the same layout as the PDF."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        setup_device(printer, settings.page_size, settings.margins_mm)
        doc = document_for_review(self.journal, review_id, settings.comments)
        html = review_html(doc, settings, self.journal.reviews.get(review_id).language)
        printer.setDocName(header_text(doc))
        dialog = QPrintPreviewDialog(printer, self.parent_widget)
        dialog.setObjectName("printPreviewDialog")

        def paint(device: QPrinter) -> None:
            try:
                paint_review(device, html, header_text(doc), settings)
            except Exception as exc:  # noqa: BLE001
                self.errors.report(exc, "The review could not be printed")

        dialog.paintRequested.connect(paint)
        self._preview = (dialog, printer)  # the dialog only borrows the printer: keep it alive
        return dialog

    # ------------------------------------------------------------------ whole journal
    def booklet_dialog(self) -> None:
        options = ExportOptionsDialog(self.parent_widget)
        if not options.exec():
            return
        path, _ = QFileDialog.getSaveFileName(self.parent_widget, "Booklet",
                                              str(Path.home() / "Eyelights booklet.pdf"),
                                              FORMATS["pdf"])
        if path:
            self.start_booklet(path, live_review_ids(self.journal), options.settings())

    def start_booklet(self, path: str | Path, review_ids: list[int],
                      settings: PrintSettings, title: str = "Eyelights") -> Worker:
        """Write the booklet on a worker, with a progress dialog whose Cancel stops it."""
        journal = self.journal

        def work(token: Any) -> Any:
            return write_booklet(journal, review_ids, path, settings, token, title=title)

        self.worker = Worker(work, self)
        self.progress = QProgressDialog("Preparing the booklet…", "Cancel", 0, 0,
                                        self.parent_widget)
        self.progress.setObjectName("bookletProgress")
        self.progress.setWindowTitle("Booklet")
        self.progress.setMinimumDuration(300)
        self.progress.canceled.connect(self.worker.cancel)
        self.worker.progress.connect(self._on_progress)
        self.worker.finished.connect(self._booklet_done)
        self.worker.failed.connect(self._booklet_failed)
        return self.worker.start()

    def _on_progress(self, done: int, total: int, message: str) -> None:
        if self.progress is not None:
            self.progress.setMaximum(total)
            self.progress.setValue(done)
            self.progress.setLabelText(message)

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.reset()
            self.progress.deleteLater()
            self.progress = None

    def _booklet_done(self, result: Any) -> None:
        self._close_progress()
        if result.cancelled:
            self.exported.emit("Booklet cancelled; nothing was written")
        else:
            self.exported.emit(f"Booklet of {result.reviews} reviews ({result.pages} pages) "
                               f"written to {result.path}")

    def _booklet_failed(self, exc: object) -> None:
        self._close_progress()
        self.errors.report(exc if isinstance(exc, BaseException) else RuntimeError(str(exc)),
                           "The booklet could not be written")

    def letterboxd_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.parent_widget,
                                                  "Folder for the Letterboxd files",
                                                  str(Path.home()))
        if folder:
            self.letterboxd_to(folder)

    def letterboxd_to(self, folder: str | Path) -> str | None:
        try:
            summary = export_letterboxd(self.journal, folder)
        except Exception as exc:  # noqa: BLE001
            self.errors.report(exc, "The Letterboxd files could not be written")
            return None
        message = summary.message()
        self.exported.emit(message.splitlines()[0])
        return message

    def backup_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self.parent_widget, "Full backup", str(Path.home() / "eyelights-backup.zip"),
            "Zip with posters (*.zip);;JSON (*.json)")
        if path:
            self.backup_to(path)

    def backup_to(self, path: str | Path) -> Path | None:
        from journal.core.export.fullbackup import dump

        try:
            summary = dump(self.journal, path)
        except Exception as exc:  # noqa: BLE001
            self.errors.report(exc, "The backup could not be written")
            return None
        self.exported.emit(summary.message())
        return summary.path
