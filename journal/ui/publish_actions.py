"""File-menu actions for blogs: Publish to Blog… (the current review) and Fetch Comments."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from journal.core.journal import Journal
from journal.core.publish import BlogService, PublishResult, sync
from journal.errors import EyelightsError
from journal.ui.bridge import Worker
from journal.ui.errors import ErrorReporter

if TYPE_CHECKING:
    from journal.ui.publish_dialog import PublishDialog


class PublishActions(QObject):
    message = Signal(str)  # a one-line message for the status bar

    def __init__(self, journal: Journal, errors: ErrorReporter,
                 current_review_id: Callable[[], int | None], parent_widget: QWidget) -> None:
        super().__init__(parent_widget)
        self.journal, self.errors, self.current = journal, errors, current_review_id
        self.parent_widget = parent_widget
        self.dialog: PublishDialog | None = None
        self.worker: Worker | None = None
        self.publish_action = QAction("Publish to &Blog…", parent_widget)
        self.publish_action.setObjectName("actionPublish")
        self.publish_action.setShortcut(QKeySequence("Ctrl+Shift+P"))
        self.publish_action.triggered.connect(lambda _c=False: self.open_dialog())
        self.sync_action = QAction("Fetch &Comments from Blogs", parent_widget)
        self.sync_action.setObjectName("actionFetchComments")
        self.sync_action.triggered.connect(lambda _c=False: self.fetch_comments())
        parent_widget.addAction(self.publish_action)
        self.update_enabled()

    def menu_actions(self) -> list[QAction | None]:
        return [self.publish_action, self.sync_action]

    def update_enabled(self) -> None:
        # Publish stays enabled whatever is selected: its shortcut must work the moment a
        # review is chosen, without the File menu being opened first to re-enable it
        writable = not self.journal.read_only
        self.publish_action.setEnabled(writable)
        self.sync_action.setEnabled(writable and self.worker is None)

    def open_dialog(self) -> PublishDialog | None:
        review_id = self.current()
        if review_id is None:
            self.message.emit("Select a review in the list (or open it) to publish it")
            return None
        from journal.ui.publish_dialog import PublishDialog  # when first asked for

        self.dialog = PublishDialog(self.journal, self.errors, review_id, self.parent_widget)
        self.dialog.published.connect(self._published)
        self.dialog.open()
        return self.dialog

    def _published(self, result: object) -> None:
        if isinstance(result, PublishResult):
            what = {"publish": "Published", "future": "Scheduled", "draft": "Sent as a draft"
                    }.get(result.status, f"Sent ({result.status})")
            self.message.emit(f"{what}: {result.url}")

    def fetch_comments(self) -> None:
        blogs = BlogService(self.journal).list()
        if not blogs or self.worker is not None:
            if not blogs:
                self.message.emit("No blog yet: add one in Preferences → Blogs")
            return
        self.message.emit("Fetching comments…")
        self.worker = Worker(lambda _t: [sync(self.journal, b) for b in blogs], self)
        self.worker.finished.connect(self._fetched)
        self.worker.failed.connect(self._failed)
        self.worker.start()
        self.update_enabled()

    def _fetched(self, results: object) -> None:
        self.worker = None
        self.update_enabled()
        new = sum(r.new for r in results) if isinstance(results, list) else 0
        reviews = len({k for r in results for k in r.by_review}) if isinstance(results, list) \
            else 0
        problems = [p for r in results for p in r.problems] if isinstance(results, list) else []
        self.message.emit(f"{new} new comment{'s' if new != 1 else ''}"
                          + (f" on {reviews} review{'s' if reviews != 1 else ''}" if new else "")
                          + "".join(f"; {p}" for p in problems))

    def _failed(self, exc: object) -> None:
        self.worker = None
        self.update_enabled()
        if isinstance(exc, EyelightsError):
            self.errors.report(exc, "The comments could not be fetched")
        elif isinstance(exc, Exception):
            self.errors.report(exc, "The comments could not be fetched")
