"""File-menu actions for printing and exporting: Print…, Export PDF/HTML/Markdown/ODT…, Copy for
blog, Booklet…, Export Reviews to a Folder…, Export for Letterboxd…, Full backup…

The lead puts ``ExportActions.menu_actions()`` into the File menu (``None`` marks a separator).
Every action reports failures through the ErrorReporter; slow work (booklets) runs on a Worker
with a progress dialog that can cancel it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QMimeData, QObject, QSettings, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QProgressDialog,
    QVBoxLayout,
    QWidget,
)

from journal.core.journal import Journal
from journal.core.words import count
from journal.errors import ValidationError
from journal.ui.bridge import Worker
from journal.ui.errors import ErrorReporter
from journal.ui.icons import themed_icon
from journal.ui.widgets import accept_buttons

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

    from journal.core.preferences import PrintPreferences
    from journal.printing import PrintSettings

# The export and printing stacks (python-markdown, QtPrintSupport, ODT, booklets) load when an
# action is first used, not with the window: each method imports what it runs.

FORMATS = {"pdf": "PDF documents (*.pdf)", "html": "Web pages (*.html)",
           "md": "Markdown with front matter (*.md)", "odt": "OpenDocument text (*.odt)"}


class ExportOptionsDialog(QDialog):
    """Keep or hide spoilers, include comments, theme and (``with_page``) page size, margins,
    header and footer; starts from ``defaults`` (the user's preferences). With ``store``, a
    "Use as defaults" box saves the choice back to the preferences."""

    def __init__(self, parent: QWidget | None = None, *, with_page: bool = True,
                 defaults: PrintSettings | None = None, store: QSettings | None = None) -> None:
        from journal.printing import PrintSettings
        from journal.ui.preferences import PrintOptionsBox

        super().__init__(parent)
        self.setObjectName("exportOptionsDialog")
        self.setWindowTitle("Export options")
        self.store = store
        self.base = defaults or PrintSettings()
        self.options = PrintOptionsBox("export", with_page=with_page, parent=self)
        self.options.set_values(self.base.to_preferences())
        self.spoilers, self.comments = self.options.spoilers, self.options.comments
        self.theme, self.page = self.options.theme, self.options.page
        self.remember = QCheckBox("&Use these settings as the defaults", self)
        self.remember.setObjectName("exportRememberDefaults")
        self.remember.setAccessibleName("Use these settings as the defaults")
        buttons = accept_buttons(self)
        buttons.setObjectName("exportOptionsButtons")
        self.options.validity_changed.connect(
            buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled)
        layout = QVBoxLayout(self)
        layout.addWidget(self.options)
        if store is not None:
            layout.addWidget(self.remember)
        else:
            self.remember.hide()
        layout.addWidget(buttons)

    def settings(self) -> PrintSettings:
        """The chosen options (raises ValidationError, shown inline, for a refused margin)."""
        from journal.printing import PrintSettings

        return PrintSettings.from_preferences(self.options.values(), author=self.base.author)

    def accept(self) -> None:
        try:
            chosen = self.settings()
        except ValidationError:
            return  # the message is under the margins; the dialog stays open
        if self.store is not None and self.remember.isChecked():
            from journal.core.preferences import save_print

            save_print(self.store, self.store_values(chosen))
            self.store.sync()
        super().accept()

    def store_values(self, chosen: PrintSettings) -> PrintPreferences:
        """What "Use as defaults" saves: options this dialog does not show keep their value."""
        if self.options.with_page:
            return chosen.to_preferences()
        return replace(self.base.to_preferences(), spoilers=chosen.spoilers,
                       comments=chosen.comments, theme=chosen.theme)


class ExportActions(QObject):
    """The actions and what they run. Tests call the ``*_to`` methods with a path directly."""

    exported = Signal(str)  # a one-line message for the status bar

    def __init__(self, journal: Journal, errors: ErrorReporter,
                 current_review_id: Callable[[], int | None], parent_widget: QWidget,
                 settings: QSettings | None = None) -> None:
        super().__init__(parent_widget)
        self.journal, self.errors, self.current = journal, errors, current_review_id
        self.settings = settings  # the app's QSettings: print defaults from Preferences
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
        self.folder_action = self._action("Export Reviews to a Folder…", None,
                                          self.folder_dialog, None, "actionExportFolder")
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
                self.booklet_action, self.folder_action, self.letterboxd_action,
                self.backup_action]

    def review_actions(self) -> list[QAction]:
        return [self.print_action, *self.export_actions.values(), self.copy_blog_action]

    def update_enabled(self) -> None:
        """Enable the one-review actions only when a review is current (call on menu show)."""
        has = self.current() is not None
        for action in self.review_actions():
            action.setEnabled(has)

    def defaults(self) -> PrintSettings:
        """The print settings chosen in Preferences (built-in ones without settings)."""
        from journal.printing import PrintSettings, saved_print_settings

        if self.settings is None:
            return PrintSettings()
        return saved_print_settings(self.settings)

    def options_dialog(self, with_page: bool = True) -> ExportOptionsDialog:
        return ExportOptionsDialog(self.parent_widget, with_page=with_page,
                                   defaults=self.defaults(), store=self.settings)

    def ask_options(self, with_page: bool = True) -> PrintSettings | None:
        """The options dialog, modal; the chosen settings, or None when cancelled."""
        dialog = self.options_dialog(with_page)
        try:
            return dialog.settings() if dialog.exec() else None
        finally:
            dialog.deleteLater()

    # ------------------------------------------------------------------ one review
    def _suggested(self, review_id: int, suffix: str) -> str:
        from journal.core.export import safe_filename
        from journal.core.export.document import document_for_review
        from journal.printing.pdf import header_text

        doc = document_for_review(self.journal, review_id)
        return str(Path.home() / safe_filename(header_text(doc) or "review", suffix))

    def export_dialog(self, fmt: str) -> None:
        review_id = self.current()
        if review_id is None:
            return
        settings = self.ask_options(with_page=fmt == "pdf") if fmt != "md" else self.defaults()
        if settings is None:
            return
        path, _ = QFileDialog.getSaveFileName(self.parent_widget, "Export review",
                                              self._suggested(review_id, fmt), FORMATS[fmt])
        if path:
            self.export_to(fmt, review_id, path, settings)

    def export_to(self, fmt: str, review_id: int, path: str | Path,
                  settings: PrintSettings | None = None) -> Path | None:
        from journal.core.export import export_html, export_markdown
        from journal.printing import write_odt, write_pdf

        settings = settings or self.defaults()
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
        from journal.core.export import blog_fragment

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
        settings = self.ask_options()
        if settings is None:
            return
        dialog = self.preview_dialog(review_id, settings)
        dialog.exec()

    def preview_dialog(self, review_id: int,
                       settings: PrintSettings | None = None) -> QPrintPreviewDialog:
        """A print preview whose pages come from the same layout as the PDF."""
        from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

        from journal.core.export.document import document_for_review
        from journal.printing.layout import setup_device
        from journal.printing.pdf import header_text, paint_review, review_html

        settings = settings or self.defaults()
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        setup_device(printer, settings.page_size, settings.margins_mm)
        doc = document_for_review(self.journal, review_id, settings.comments)
        html = review_html(doc, settings, self.journal.reviews.get(review_id).language,
                           journal=self.journal)
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
        settings = self.ask_options()
        if settings is None:
            return
        path, _ = QFileDialog.getSaveFileName(self.parent_widget, "Booklet",
                                              str(Path.home() / "Eyelights booklet.pdf"),
                                              FORMATS["pdf"])
        if path:
            from journal.core.export import live_review_ids

            self.start_booklet(path, live_review_ids(self.journal), settings)

    def start_booklet(self, path: str | Path, review_ids: list[int],
                      settings: PrintSettings | None = None, title: str = "Eyelights") -> Worker:
        """Write the booklet on a worker, with a progress dialog whose Cancel stops it."""
        journal = self.journal
        settings = settings or self.defaults()

        def work(token: Any) -> Any:
            from journal.printing import write_booklet

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
            self.exported.emit(f"Booklet of {count(result.reviews, 'review')} "
                               f"({count(result.pages, 'page')}) "
                               f"written to {result.path}")

    def _booklet_failed(self, exc: object) -> None:
        self._close_progress()
        self.errors.report(exc if isinstance(exc, BaseException) else RuntimeError(str(exc)),
                           "The booklet could not be written")

    def folder_dialog(self) -> None:
        from journal.ui.export_folder import ExportFolderDialog

        dialog = ExportFolderDialog(self.parent_widget, Path.home() / "eyelights-reviews")
        try:
            if not dialog.exec():
                return
            folder, fmt, year, search = dialog.choice()
        finally:
            dialog.deleteLater()
        self.start_folder_export(folder, fmt, year=year, search=search)

    def start_folder_export(self, folder: str | Path, fmt: str, *, year: int | None = None,
                            search: str | None = None,
                            settings: PrintSettings | None = None) -> Worker:
        """Choose the reviews and write them, on a worker with a progress dialog (Cancel
        stops it and leaves the folder as it was)."""
        from journal.core.export import export_folder, select_reviews

        journal, chosen = self.journal, settings or self.defaults()
        title = f"Reviews of {year}" if year else "Eyelights"

        def work(token: Any) -> Any:
            try:
                ids = select_reviews(journal, year=year, search=search)
                return export_folder(journal, ids, folder, fmt, spoilers=chosen.spoilers,
                                     comments=chosen.comments, theme="light", title=title,
                                     token=token)
            finally:  # this pool thread's own SQLite connection must not outlive the work
                journal.release_thread_connection()

        return self._run_with_progress(work, "Exporting the reviews…", "Export Reviews",
                                       self._folder_done, "The reviews could not be exported")

    def _run_with_progress(self, work: Callable[[Any], Any], label: str, title: str,
                           done: Callable[[Any], None], failure: str) -> Worker:
        self.worker = Worker(work, self)
        self.progress = QProgressDialog(label, "Cancel", 0, 0, self.parent_widget)
        self.progress.setObjectName("exportProgress")
        self.progress.setWindowTitle(title)
        self.progress.setMinimumDuration(300)
        self.progress.canceled.connect(self.worker.cancel)
        self.worker.progress.connect(self._on_progress)
        self.worker.finished.connect(done)
        self.worker.failed.connect(lambda exc: self._work_failed(exc, failure))
        return self.worker.start()

    def _folder_done(self, summary: Any) -> None:
        self._close_progress()
        self.exported.emit(summary.message())

    def _work_failed(self, exc: object, failure: str) -> None:
        from journal.core.export import ExportCancelled

        self._close_progress()
        if isinstance(exc, ExportCancelled):
            self.exported.emit(exc.message)
            return
        self.errors.report(exc if isinstance(exc, BaseException) else RuntimeError(str(exc)),
                           failure)

    def letterboxd_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.parent_widget,
                                                  "Folder for the Letterboxd files",
                                                  str(Path.home()))
        if folder:
            self.letterboxd_to(folder)

    def letterboxd_to(self, folder: str | Path) -> str | None:
        from journal.core.export import export_letterboxd

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
