"""File → Import…: choose the source and files, see the preview, confirm, watch it import.

Reading the files (the plan) and writing (apply) both run on a ``Worker``: the window stays
responsive and both can be cancelled; a cancelled or failed import leaves the journal as it was.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from journal.core.importers.plan import ImportCancelled, ImportOptions, ImportPlan, ImportResult
from journal.core.importers.restore import (
    MODE_LABELS,
    RestorePlan,
    apply_restore,
    plan_restore,
)
from journal.core.journal import Journal
from journal.ui.bridge import CancelToken, JournalSignals, Worker
from journal.ui.errors import ErrorReporter
from journal.ui.import_action import make_import_action  # noqa: F401 - its old home

SOURCES = (("wxr", "WordPress export (.xml)"), ("letterboxd", "Letterboxd export (ZIP or CSV)"),
           ("markdown", "Markdown files or folder"),
           ("backup", "Eyelights backup (.json/.zip)"))
_FILTERS = {"wxr": "WordPress export (*.xml);;All files (*)",
            "letterboxd": "Letterboxd export (*.zip *.csv);;All files (*)",
            "markdown": "Markdown (*.md *.markdown);;All files (*)",
            "backup": "Eyelights backup (*.json *.zip);;All files (*)"}
_DRAFT_SOURCES = ("wxr", "markdown")
PAGE_SOURCE, PAGE_PREVIEW, PAGE_DONE = range(3)


def _button(text: str, name: str, accessible: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setAccessibleName(accessible)
    return button


class ImportWizard(QDialog):
    """Self-contained import dialog; ``imported(ImportResult)`` after a successful import."""

    imported = Signal(object)

    def __init__(self, journal: Journal, signals: JournalSignals | None,
                 errors: ErrorReporter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.journal, self.signals, self.errors = journal, signals, errors
        self.plan: ImportPlan | RestorePlan | None = None
        self.import_result: ImportResult | None = None
        self.worker: Worker | None = None
        self._close_when_done = False
        self.setObjectName("importWizard")
        self.setWindowTitle("Import")
        self.setAccessibleName("Import reviews")
        self.resize(640, 520)
        self.stack = QStackedWidget()
        self.stack.addWidget(self._source_page())
        self.stack.addWidget(self._preview_page())
        self.stack.addWidget(self._done_page())
        self.progress = QProgressBar()
        self.progress.setObjectName("importProgress")
        self.progress.setAccessibleName("Import progress")
        self.status = QLabel()
        self.status.setObjectName("importStatus")
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.progress)
        layout.addLayout(self._buttons())
        self._set_busy(False)
        self._show_page(PAGE_SOURCE)

    # ------------------------------------------------------------------ pages
    def _source_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.source = QComboBox()
        self.source.setObjectName("importSource")
        self.source.setAccessibleName("Import from")
        for key, label in SOURCES:
            self.source.addItem(label, key)
        self.paths = QLineEdit()
        self.paths.setObjectName("importPaths")
        self.paths.setAccessibleName("Files to import (separate several with ;)")
        self.paths.setPlaceholderText("Choose a file or folder…")
        self.browse = _button("Browse…", "importBrowse", "Choose files to import")
        self.browse.clicked.connect(self._choose_files)
        row = QHBoxLayout()
        row.addWidget(self.paths, 1)
        row.addWidget(self.browse)
        self.drafts = QCheckBox("Also import drafts, private and scheduled posts (as drafts)")
        self.drafts.setObjectName("importDrafts")
        self.drafts.setAccessibleName("Include drafts")
        self.mode = QComboBox()
        self.mode.setObjectName("importMode")
        self.mode.setAccessibleName("How to restore the backup")
        for key in ("merge", "empty"):
            self.mode.addItem(MODE_LABELS[key][0].upper() + MODE_LABELS[key][1:], key)
        self.mode_label = QLabel("&Restore:")
        self.mode_label.setBuddy(self.mode)
        form.addRow("&Import from:", self.source)
        files_label = QLabel("&Files:")
        files_label.setBuddy(self.paths)
        form.addRow(files_label, row)
        form.addRow("", self.drafts)
        form.addRow(self.mode_label, self.mode)
        self.source.currentIndexChanged.connect(self._source_changed)
        self._source_changed()
        note = QLabel("Nothing is written before you have seen the preview and confirmed it.")
        note.setWordWrap(True)
        form.addRow(note)
        return page

    def _preview_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.counts = QLabel()
        self.counts.setObjectName("importCounts")
        self.counts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QPlainTextEdit()
        self.details.setObjectName("importDetails")
        self.details.setAccessibleName("What will be imported, matched and skipped")
        self.details.setReadOnly(True)
        layout.addWidget(self.counts)
        layout.addWidget(self.details, 1)
        return page

    def _done_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.outcome = QLabel()
        self.outcome.setObjectName("importOutcome")
        self.outcome.setWordWrap(True)
        layout.addWidget(self.outcome)
        layout.addStretch(1)
        return page

    def _buttons(self) -> QHBoxLayout:
        self.back = _button("< &Back", "importBack", "Back to the choice of files")
        self.next = _button("&Preview", "importPreview", "Preview the import")
        self.confirm = _button("&Import", "importConfirm", "Import now")
        self.stop = _button("&Stop", "importStop", "Stop the import")
        self.close_button = _button("&Close", "importClose", "Close")
        self.back.clicked.connect(lambda: self._show_page(PAGE_SOURCE))
        self.next.clicked.connect(self.start_preview)
        self.confirm.clicked.connect(self.start_import)
        self.stop.clicked.connect(self.cancel_work)
        self.close_button.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addStretch(1)
        for button in (self.back, self.next, self.confirm, self.stop, self.close_button):
            row.addWidget(button)
        self.next.setDefault(True)
        return row

    def _show_page(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        self.back.setVisible(index == PAGE_PREVIEW)
        self.next.setVisible(index == PAGE_SOURCE)
        self.confirm.setVisible(index == PAGE_PREVIEW)
        self.confirm.setEnabled(bool(self.plan and self.plan.writes_anything))
        self.close_button.setText("&Close" if index == PAGE_DONE else "&Cancel")
        (self.confirm if index == PAGE_PREVIEW else self.next).setDefault(True)

    def _set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.stop.setVisible(busy)
        for widget in (self.stack, self.back, self.next, self.confirm):
            widget.setEnabled(not busy)
        if busy:
            self.progress.setRange(0, 0)
        elif self.plan is not None and self.stack.currentIndex() == PAGE_PREVIEW:
            self.confirm.setEnabled(self.plan.writes_anything)

    def _source_changed(self) -> None:
        source = self.source.currentData()
        self.drafts.setVisible(source in _DRAFT_SOURCES)
        self.mode.setVisible(source == "backup")
        self.mode_label.setVisible(source == "backup")
        if source == "backup":  # an empty journal: restore as it was; else merge
            empty = self.journal.films.count() == 0 and self.journal.reviews.count() == 0
            self.mode.setCurrentIndex(self.mode.findData("empty" if empty else "merge"))

    # ------------------------------------------------------------------ actions
    def _choose_files(self) -> None:
        source = self.source.currentData()
        if source == "markdown":
            folder = QFileDialog.getExistingDirectory(self, "Folder of Markdown files")
            chosen = [folder] if folder else []
        else:
            chosen, _ = QFileDialog.getOpenFileNames(self, "Files to import", "",
                                                     _FILTERS[source])
        if chosen:
            self.paths.setText("; ".join(chosen))

    def chosen_paths(self) -> list[Path]:
        return [Path(p.strip()).expanduser() for p in self.paths.text().split(";") if p.strip()]

    def start_preview(self) -> None:
        paths, source = self.chosen_paths(), self.source.currentData()
        missing = [str(p) for p in paths if not p.exists()]
        if not paths or missing:
            self.status.setText("Choose a file to import." if not paths
                                else f"Not found: {', '.join(missing)}")
            return
        self._discard_plan()
        self.status.setText("Reading the files…")
        if source == "backup":
            if len(paths) != 1:
                self.status.setText("Choose one backup file to restore.")
                return
            mode = self.mode.currentData()
            self._run(lambda _token: plan_restore(self.journal, paths[0], mode),
                      self._preview_ready)
            return
        from journal.core.importers.run import plan_import  # heavy: loaded when first used

        options = ImportOptions(drafts=self.drafts.isChecked())
        self._run(lambda token: plan_import(self.journal, source, paths, options, token),
                  self._preview_ready)

    def _preview_ready(self, plan: ImportPlan | RestorePlan) -> None:
        self.plan = plan
        counts = plan.count_lines()
        self.counts.setText("\n".join([counts[0], *(line.strip() for line in counts[1:])]))
        self.details.setPlainText("\n".join(plan.detail_lines()))
        self.status.setText("Nothing new to import." if not plan.writes_anything else
                            "Check the preview, then choose Import.")
        self._show_page(PAGE_PREVIEW)

    def start_import(self) -> None:
        plan = self.plan
        if plan is None:
            return
        if isinstance(plan, RestorePlan):
            self.status.setText("Restoring… (a backup is made first)")
            self._run(lambda token: apply_restore(self.journal, plan, token), self._import_done)
            return
        self.status.setText("Importing… (a backup is made first)")
        from journal.core.importers.apply import apply

        self._run(lambda token: apply(self.journal, plan, token), self._import_done)

    def _import_done(self, result: ImportResult) -> None:
        self.import_result = result
        self.plan = None
        self.outcome.setText("\n".join(result.summary_lines()))
        self.status.setText("Done.")
        self._show_page(PAGE_DONE)
        self.imported.emit(result)

    def cancel_work(self) -> None:
        if self.worker is not None and self.worker.running:
            self.status.setText("Stopping…")
            self.worker.cancel()

    # ------------------------------------------------------------------ workers
    def _run(self, fn: Any, done: Any) -> None:
        journal = self.journal

        def work(token: CancelToken) -> Any:
            try:
                return fn(token)
            finally:  # this pool thread's own SQLite connection must not outlive the work
                journal.release_thread_connection()

        self.worker = Worker(work, self)
        self.worker.progress.connect(self._on_progress)
        self.worker.finished.connect(lambda value: self._finished(done, value))
        self.worker.failed.connect(self._failed)
        self._set_busy(True)
        self.worker.start()

    def _on_progress(self, done: int, total: int, message: str) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
        if message:
            self.status.setText(message)

    def _finished(self, done: Any, value: Any) -> None:
        self._set_busy(False)
        if self._close_when_done:
            if isinstance(value, ImportPlan | RestorePlan):
                value.discard()
            super().reject()
            return
        done(value)

    def _failed(self, exc: object) -> None:
        self._set_busy(False)
        if isinstance(exc, ImportCancelled):
            self.status.setText(exc.message)
        elif isinstance(exc, BaseException):
            self.status.setText("The import did not happen; the journal is unchanged.")
            self.errors.report(exc, "Import failed")
        if self._close_when_done:
            super().reject()

    def _discard_plan(self) -> None:
        if self.plan is not None:
            self.plan.discard()
            self.plan = None

    def reject(self) -> None:
        if self.worker is not None and self.worker.running:
            self._close_when_done = True
            self.cancel_work()
            return
        self._discard_plan()
        super().reject()
