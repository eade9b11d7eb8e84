"""File → Publish to Blog…: choose the blog and status, see exactly what will be sent (the
post as readers will see it, and the request itself), see what changed on the blog, publish.

The preview is made at once without the network; then the blog is asked (on a worker) which
tags and categories exist, whether the poster is there, and whether the post changed since the
last publish. A change of status or time needs no second question. A post changed on the blog
is never overwritten without the user pressing "Overwrite the blog's version" after seeing the
difference (Enter is then Cancel).

While it publishes, the dialog says each step; Cancel (or Escape) stops the publish before the
next request to the blog, and what it had done there is taken back. After a failure the dialog
says what happened and what was left on the blog, and Publish tries again at once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDateTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
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
    PostGone,
    PublishConflict,
    Publisher,
    PublishPlan,
    PublishResult,
    compose,
)
from journal.core.publish.errors import AS_NEW, OVERWRITE, PublishCancelled, in_window
from journal.errors import EyelightsError
from journal.ui.bridge import CancelToken, Worker
from journal.ui.errors import ErrorReporter

PUBLISH = "&Publish"
ADD_BLOG = "&Add a blog…"
PUBLISH_AGAIN = "&Publish again"
ASK_AGAIN = "&Try again"


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
        self.job = ""  # what the worker does: "plan" or "publish"
        self._overwrite = False
        self._retry = False  # the last publish failed: Publish asks the blog again first
        self._init_fields()
        self._init_views()
        self._init_buttons()
        self._init_layout()
        self.blogs = BlogService(journal).list()
        for blog in self.blogs:
            self.blog_combo.addItem(blog.name, blog.id)
        self.blog_dialog: QDialog | None = None
        self._wire()
        self.resize(860, 640)
        self.refresh()

    # ------------------------------------------------------------------ building
    def _init_fields(self) -> None:
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
        self.as_new = QCheckBox(AS_NEW.control, self)
        self.as_new.setObjectName("publishAsNew")
        self.as_new.setAccessibleName(AS_NEW.control.replace("&", ""))
        self.as_new.setToolTip("Make a new post on the blog, even though this review was "
                               "published there before (or came from it)")

    def _init_views(self) -> None:
        self.summary = QLabel(self, wordWrap=True)
        self.summary.setObjectName("publishSummary")
        self.attention = QLabel(self, wordWrap=True)
        self.attention.setObjectName("publishAttention")
        self.attention.setStyleSheet("color: #b00020; font-weight: bold;")
        self.progress = QProgressBar(self)
        self.progress.setObjectName("publishProgress")
        self.progress.setAccessibleName("Progress")
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(8)
        self.progress.hide()
        self.tabs = QTabWidget(self)  # before its pages: Tab goes to the tabs, then the page
        self.tabs.setObjectName("publishTabs")
        self.post_view = QTextBrowser(self)
        self.post_view.setObjectName("publishPostPreview")
        self.post_view.setAccessibleName("The post as readers will see it")
        self.post_view.setOpenLinks(False)
        self.sent_view = self._text("publishSent", "What is sent")
        self.diff_view = self._text("publishDifference", "What changed on the blog")
        self.tabs.addTab(self.post_view, "P&ost")
        self.tabs.addTab(self.sent_view, "What is &sent")
        self.tabs.addTab(self.diff_view, "&Differences")

    def _init_buttons(self) -> None:
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.publish_button = QPushButton(PUBLISH, self)
        self.publish_button.setObjectName("publishButton")
        self.publish_button.setDefault(True)
        self.buttons.addButton(self.publish_button, QDialogButtonBox.ButtonRole.AcceptRole)

    def _init_layout(self) -> None:
        form = QFormLayout()
        form.addRow("&Blog:", self.blog_combo)
        form.addRow("S&tatus:", self.status_combo)
        form.addRow("&When:", self.when)
        form.addRow("", self.as_new)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.attention)
        layout.addWidget(self.progress)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)

    def _wire(self) -> None:
        self.buttons.accepted.connect(self.publish)
        self.buttons.rejected.connect(self.reject)
        self.blog_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.as_new.toggled.connect(lambda _on: self.refresh())
        self.status_combo.currentIndexChanged.connect(lambda _i: self.restate())
        self.when.dateTimeChanged.connect(lambda _d: self.restate())

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

    def _compose(self) -> PostDraft | None:
        """The post without the network (None, and the reason said, when it cannot be)."""
        blog = BlogService(self.journal).get(int(self.blog_combo.currentData()))
        status, when = self._status()
        try:
            draft = compose(self.journal, self.review_id, blog, status=status, schedule=when,
                            as_new=self.as_new.isChecked())
            if not self.as_new.isChecked():  # the box means something only for a known post
                self.as_new.setEnabled(draft.post_id is not None)
        except EyelightsError as exc:
            self.summary.setText(in_window(exc))
            self.post_view.setHtml("")
            self.sent_view.setPlainText("")
            return None
        self.post_view.setHtml(draft.content)
        return draft

    def _reset(self) -> None:
        self.plan, self._overwrite, self._retry = None, False, False
        self._set_button(PUBLISH, False)
        self.attention.setText("")
        self.diff_view.setPlainText("")

    def refresh(self) -> None:
        """The preview without the network, then ask the blog (on a worker)."""
        self._forget_worker()
        self._reset()
        if not self.blogs:
            self.summary.setText("No blog yet: add one (here, or in Preferences → Blogs).")
            self._set_button(ADD_BLOG, not self.journal.read_only)
            return
        self.draft = self._compose()
        if self.draft is None:
            return
        self.sent_view.setPlainText(self.draft.content)
        blog = BlogService(self.journal).get(int(self.blog_combo.currentData()))
        self.summary.setText(f"Asking {blog.name} what it holds…")
        draft = self.draft
        self.publisher = None
        self._start("plan", lambda _t: self._plan(blog, draft), self._planned)

    def restate(self) -> None:
        """Another status or time: the same answers from the blog, a new plan at once."""
        if self.plan is None or self.publisher is None or self.worker is not None:
            self.refresh()
            return
        plan, publisher, retry = self.plan, self.publisher, self._retry
        self._reset()
        self.draft = self._compose()
        if self.draft is None:
            return
        try:
            self.plan = publisher.restate(plan, self.draft)
        except ValueError:  # another post after all: ask the blog
            self.refresh()
            return
        self._show_plan(self.plan)
        if retry:  # after a failure, Publish still asks the blog afresh first
            self._retry = True
            self._set_button(PUBLISH_AGAIN, not self.journal.read_only)

    def _plan(self, blog: object, draft: PostDraft) -> tuple[Publisher, PublishPlan]:
        publisher = Publisher(self.journal, blog)  # type: ignore[arg-type]
        return publisher, publisher.plan(draft)

    def _planned(self, answer: object) -> None:
        assert isinstance(answer, tuple)
        self.publisher, self.plan = answer
        self._show_plan(self.plan)

    def _show_plan(self, plan: PublishPlan) -> None:
        self.sent_view.setPlainText(plan.preview())
        d = plan.draft
        where = f"updates post #{d.post_id}" if d.post_id else "is a new post"
        tags = ", ".join(t.shown() for t in plan.terms) or "no tags"
        self.summary.setText(f"“{d.title}” {where} on {plan.blog_name}, {self._said(d)}; "
                             f"{tags}." + "".join(f"\nNote: {n}" for n in d.notes))
        self.diff_view.setPlainText(plan.blog_changes or plan.update_diff
                                    or "No post on the blog yet.")
        self._overwrite = bool(plan.confirm)
        if plan.confirm:
            self.attention.setText(f"Attention: {plan.confirm}. See Differences.")
            self.tabs.setCurrentWidget(self.diff_view)
        self._set_button(OVERWRITE.control if plan.confirm else PUBLISH,
                         not self.journal.read_only)

    def _said(self, draft: PostDraft) -> str:
        """The status in words ("future" is WordPress's word for scheduled)."""
        if draft.status == "future":
            return ("scheduled for " + self.when.dateTime().toString("yyyy-MM-dd HH:mm")
                    if draft.date_gmt else "scheduled (as on the blog)")
        return {"draft": "as a draft", "publish": "published", "pending": "pending review"
                }.get(draft.status, draft.status)

    def _set_button(self, text: str, enabled: bool) -> None:
        """The Publish button's words; Enter presses it, unless it would overwrite the blog's
        changes (then Enter is Cancel)."""
        self.publish_button.setText(text)
        self.publish_button.setEnabled(enabled)
        risky = text == OVERWRITE.control
        self.publish_button.setDefault(not risky)
        self.publish_button.setAutoDefault(not risky)
        self.cancel_button.setDefault(risky)

    # ------------------------------------------------------------------ publish
    def publish(self) -> None:
        if self.worker is None and not self.blogs:
            self.add_blog()
            return
        if self.worker is not None or self.draft is None:
            return
        if self.plan is None or self.publisher is None:  # the blog could not be asked
            self.refresh()
            return
        plan, publisher, draft, again = self.plan, self.publisher, self.draft, self._retry
        overwrite = self._overwrite
        self.summary.setText(f"Publishing to {plan.blog_name}…")
        self.attention.setText("")
        asked: dict[str, PublishPlan] = {}

        def work(token: CancelToken) -> PublishResult:
            current, allowed = plan, overwrite
            if again:  # what a failure left (or took back) on the blog: ask afresh
                token.progress(0, 0, f"Asking {plan.blog_name} again…")
                current = asked["plan"] = publisher.plan(draft)
                allowed = overwrite and current.blog_changes == plan.blog_changes
            return publisher.publish(current, overwrite=allowed, token=token)

        self._start("publish", work, self._done, asked)

    def add_blog(self) -> None:
        """The first blog, added from here: then the post is shown for it."""
        from journal.ui.blog_settings import BlogDialog

        self.blog_dialog = BlogDialog(self.journal, self.errors, self)
        self.blog_dialog.accepted.connect(self._blog_added)
        self.blog_dialog.open()

    def _blog_added(self) -> None:
        self.blogs = BlogService(self.journal).list()
        self.blog_combo.blockSignals(True)
        for blog in self.blogs:
            self.blog_combo.addItem(blog.name, blog.id)
        self.blog_combo.blockSignals(False)
        self.refresh()

    def _done(self, result: object) -> None:
        assert isinstance(result, PublishResult)
        self.published.emit(result)
        self.accept()

    def reject(self) -> None:
        """Cancel, Escape or closing: while publishing, stop it (the dialog stays to say what
        was taken back); else close."""
        if self.job == "publish" and self.worker is not None:
            self.worker.cancel()
            self.cancel_button.setEnabled(False)
            self.summary.setText("Stopping: after the blog answers the request in hand, what "
                                 "this publish did there is taken back…")
            return
        self._forget_worker()
        super().reject()

    # ------------------------------------------------------------------ the worker
    def _start(self, job: str, fn: Any, done: Any, asked: dict[str, PublishPlan] | None = None
               ) -> None:
        self.job = job
        self.worker = Worker(fn, self)
        self.worker.progress.connect(self._progress)
        self.worker.finished.connect(lambda result: self._finish(done, result))
        self.worker.failed.connect(lambda exc: self._fail(exc, asked))
        self.progress.setRange(0, 0)  # busy until the first step is said
        self.progress.show()
        publishing = job == "publish"
        for widget in (self.blog_combo, self.status_combo, self.when, self.as_new):
            widget.setProperty("wasEnabled", widget.isEnabled())
            widget.setEnabled(widget.isEnabled() and not publishing)
        if publishing:
            self.publish_button.setEnabled(False)
            self.cancel_button.setText("&Stop")
        self.worker.start()

    def _forget_worker(self) -> None:
        """A newer question replaces the running one's answer (a plan changes nothing)."""
        if self.worker is not None:
            for signal in (self.worker.finished, self.worker.failed, self.worker.progress):
                signal.disconnect()
            self.worker = None
            self._idle()

    def _idle(self) -> None:
        self.progress.hide()
        if self.job == "publish":
            for widget in (self.blog_combo, self.status_combo, self.when, self.as_new):
                widget.setEnabled(bool(widget.property("wasEnabled")))
            self._status()
        self.job = ""
        self.cancel_button.setText("Cancel")
        self.cancel_button.setEnabled(True)

    def _progress(self, done: int, total: int, message: str) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        if message and self.cancel_button.isEnabled():  # "Stopping…" stays until it has
            self.summary.setText(message)

    def _finish(self, done: Any, result: object) -> None:
        self.worker = None
        self._idle()
        done(result)

    def _fail(self, exc: object, asked: dict[str, PublishPlan] | None) -> None:
        job = self.job
        self.worker = None
        self._idle()
        if asked and "plan" in asked:
            self.plan = asked["plan"]
        if isinstance(exc, PublishConflict):
            if self.plan is not None:
                self._show_plan(self.plan)
            self.attention.setText(in_window(exc))
            self.diff_view.setPlainText(exc.diff)
            self.tabs.setCurrentWidget(self.diff_view)
            self._retry = False
            return
        if isinstance(exc, EyelightsError):
            text = in_window(exc)
        else:
            text = "Something unexpected went wrong; the log has the details."
            if isinstance(exc, Exception):
                self.errors.report(exc, "Publishing failed")
        if job == "publish":
            if not text.startswith("Not published"):
                text = f"Not published: {text}"
            self.summary.setText("Nothing was published." if isinstance(exc, PublishCancelled)
                                 else f"{self.plan.blog_name if self.plan else 'The blog'} did "
                                 "not take the post.")
            self._retry = True
            self._set_button(PUBLISH_AGAIN, not self.journal.read_only)
        else:
            self.summary.setText("The blog could not be asked what it holds.")
            if isinstance(exc, PostGone):
                self.as_new.setEnabled(True)
            self._set_button(ASK_AGAIN, True)
        self.attention.setText(text)
