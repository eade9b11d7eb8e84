"""File → Publish to Blog…: choose the blog and status, see exactly what will be sent (the
post as readers will see it, and the request itself), see what changed on the blog, publish.

The preview is made at once without the network; then the blog is asked (on a worker) which
tags and categories exist, whether the poster is there, and whether the post changed since the
last publish. A post changed on the blog is never overwritten without the user pressing
"Overwrite the blog's version" after seeing the difference."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDateTime, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from journal.core.journal import Journal
from journal.core.publish import (
    BlogService,
    PostDraft,
    PublishConflict,
    Publisher,
    PublishPlan,
    PublishResult,
    compose,
)
from journal.errors import EyelightsError
from journal.ui.bridge import Worker
from journal.ui.errors import ErrorReporter


class PublishDialog(QDialog):
    published = Signal(object)  # PublishResult

    def __init__(self, journal: Journal, errors: ErrorReporter, review_id: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.journal, self.errors, self.review_id = journal, errors, review_id
        self.setObjectName("publishDialog")
        self.setWindowTitle("Publish to blog")
        self.draft: PostDraft | None = None
        self.plan: PublishPlan | None = None
        self.publisher: Publisher | None = None
        self.worker: Worker | None = None
        self._overwrite = False
        self._build()
        self.blogs = BlogService(journal).list()
        for blog in self.blogs:
            self.blog_combo.addItem(blog.name, blog.id)
        self.resize(860, 640)
        self.refresh()

    def _build(self) -> None:
        self.blog_combo = QComboBox(self)
        self.blog_combo.setObjectName("publishBlog")
        self.blog_combo.setAccessibleName("Blog")
        self.status_combo = QComboBox(self)
        self.status_combo.setObjectName("publishStatus")
        self.status_combo.setAccessibleName("Status")
        for label, value in (("As it is on the blog (or the blog's default)", ""),
                             ("Draft", "draft"), ("Published", "publish"),
                             ("Scheduled", "future")):
            self.status_combo.addItem(label, value)
        self.when = QDateTimeEdit(QDateTime.currentDateTime().addDays(1), self)
        self.when.setObjectName("publishWhen")
        self.when.setAccessibleName("Scheduled time")
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.summary = QLabel(self, wordWrap=True)
        self.summary.setObjectName("publishSummary")
        self.attention = QLabel(self, wordWrap=True)
        self.attention.setObjectName("publishAttention")
        self.attention.setStyleSheet("color: #b00020; font-weight: bold;")
        self.post_view = QTextBrowser(self)
        self.post_view.setObjectName("publishPostPreview")
        self.post_view.setOpenLinks(False)
        self.sent_view = self._text("publishSent", "What is sent")
        self.diff_view = self._text("publishDifference", "What changed on the blog")
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("publishTabs")
        self.tabs.addTab(self.post_view, "&Post")
        self.tabs.addTab(self.sent_view, "What is &sent")
        self.tabs.addTab(self.diff_view, "&Differences")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.publish_button = QPushButton("&Publish", self)
        self.publish_button.setObjectName("publishButton")
        self.publish_button.setDefault(True)
        self.buttons.addButton(self.publish_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.publish)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("&Blog:", self.blog_combo)
        form.addRow("S&tatus:", self.status_combo)
        form.addRow("&When:", self.when)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.attention)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)
        self.blog_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.status_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.when.dateTimeChanged.connect(lambda _d: self.refresh())

    def _text(self, name: str, accessible: str) -> QPlainTextEdit:
        edit = QPlainTextEdit(self)
        edit.setObjectName(name)
        edit.setAccessibleName(accessible)
        edit.setReadOnly(True)
        edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        return edit

    # ------------------------------------------------------------------ preview
    def _status(self) -> tuple[str | None, str | None]:
        value = str(self.status_combo.currentData() or "")
        self.when.setEnabled(value == "future")
        if value == "future":
            moment = self.when.dateTime().toPython()
            assert isinstance(moment, dt.datetime)
            return "future", moment.isoformat(sep=" ", timespec="minutes")
        return value or None, None

    def refresh(self) -> None:
        """The preview without the network, then ask the blog (on a worker)."""
        self.plan, self._overwrite = None, False
        self.publish_button.setText("&Publish")
        self.publish_button.setEnabled(False)
        self.attention.setText("")
        self.diff_view.setPlainText("")
        if not self.blogs:
            self.summary.setText("No blog yet: add one in Preferences → Blogs.")
            return
        blog = BlogService(self.journal).get(int(self.blog_combo.currentData()))
        status, when = self._status()
        try:
            self.draft = compose(self.journal, self.review_id, blog, status=status,
                                 schedule=when)
        except EyelightsError as exc:
            self.summary.setText(exc.message)
            self.post_view.setHtml("")
            return
        self.post_view.setHtml(self.draft.content)
        self.sent_view.setPlainText(self.draft.content)
        self.summary.setText(f"Asking {blog.name} what it holds…")
        if self.worker is not None:  # a newer question replaces the running one's answer
            self.worker.finished.disconnect()
            self.worker.failed.disconnect()
        draft = self.draft
        self.publisher = None
        self.worker = Worker(lambda _t: self._plan(blog, draft), self)
        self.worker.finished.connect(self._planned)
        self.worker.failed.connect(self._failed)
        self.worker.start()

    def _plan(self, blog: object, draft: PostDraft) -> tuple[Publisher, PublishPlan]:
        publisher = Publisher(self.journal, blog)  # type: ignore[arg-type]
        return publisher, publisher.plan(draft)

    def _planned(self, answer: object) -> None:
        self.worker = None
        assert isinstance(answer, tuple)
        self.publisher, self.plan = answer
        self._show_plan(self.plan)

    def _show_plan(self, plan: PublishPlan) -> None:
        self.sent_view.setPlainText(plan.preview())
        d = plan.draft
        where = f"updates post #{d.post_id}" if d.post_id else "is a new post"
        tags = ", ".join(t.shown() for t in plan.terms) or "no tags"
        self.summary.setText(f"“{d.title}” {where} on {plan.blog_name}, {d.status}; {tags}."
                             + "".join(f"\nNote: {n}" for n in d.notes))
        self.diff_view.setPlainText(plan.blog_changes or plan.update_diff
                                    or "No post on the blog yet.")
        if plan.confirm:
            self.attention.setText(f"Attention: {plan.confirm}. See Differences.")
            self.publish_button.setText("&Overwrite the blog's version")
            self._overwrite = True
            self.tabs.setCurrentWidget(self.diff_view)
        self.publish_button.setEnabled(not self.journal.read_only)

    def _failed(self, exc: object) -> None:
        self.worker = None
        if isinstance(exc, PublishConflict):
            self.attention.setText(exc.message)
            self.diff_view.setPlainText(exc.diff)
            self.tabs.setCurrentWidget(self.diff_view)
            if self.plan is not None:
                self._show_plan(self.plan)
            return
        if isinstance(exc, EyelightsError):
            self.summary.setText(exc.message)
        elif isinstance(exc, Exception):
            self.summary.setText("The blog could not be asked.")
            self.errors.report(exc, "Publishing failed")
        self.publish_button.setEnabled(False)

    # ------------------------------------------------------------------ publish
    def publish(self) -> None:
        if self.plan is None or self.publisher is None or self.worker is not None:
            return
        plan, publisher, overwrite = self.plan, self.publisher, self._overwrite
        self.summary.setText(f"Publishing to {plan.blog_name}…")
        self.publish_button.setEnabled(False)
        self.worker = Worker(lambda _t: publisher.publish(plan, overwrite=overwrite), self)
        self.worker.finished.connect(self._done)
        self.worker.failed.connect(self._failed)
        self.worker.start()

    def _done(self, result: object) -> None:
        self.worker = None
        assert isinstance(result, PublishResult)
        self.published.emit(result)
        self.accept()
