"""The review's readers' comments, threaded, beside its preview: new ones marked unread, a
reply posted to the blog as the user (on a worker), comments fetched again on request."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from journal.core.journal import Journal
from journal.core.publish import BlogService, CommentNode, mark_read, reply, sync, thread
from journal.errors import EyelightsError
from journal.ui.bridge import Worker
from journal.ui.errors import ErrorReporter

ID_ROLE = Qt.ItemDataRole.UserRole
UNREAD_MARK = "● "


class CommentsPanel(QWidget):
    counts_changed = Signal(int, int)  # comments, unread
    message = Signal(str)

    def __init__(self, journal: Journal, errors: ErrorReporter,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.journal, self.errors = journal, errors
        self.review_id: int | None = None
        self.worker: Worker | None = None
        self.nodes: dict[int, CommentNode] = {}
        self.setObjectName("commentsPanel")
        self.setAccessibleName("Readers' comments")
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("commentsTree")
        self.tree.setAccessibleName("Comments, threaded")
        self.tree.setHeaderLabels(["Comment", "Author", "Date"])
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, header.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, header.ResizeMode.ResizeToContents)
        self.tree.currentItemChanged.connect(lambda *_: self._update())
        self.status = QLabel(self, wordWrap=True)
        self.status.setObjectName("commentsStatus")
        self.reply_edit = QPlainTextEdit(self)
        self.reply_edit.setObjectName("replyEdit")
        self.reply_edit.setAccessibleName("Your reply")
        self.reply_edit.setPlaceholderText("Reply to the selected comment (posted on the blog "
                                           "as you)…")
        self.reply_edit.setMaximumHeight(90)
        self.reply_edit.setTabChangesFocus(True)
        self.reply_edit.textChanged.connect(self._update)
        self.reply_button = self._button("&Reply", "replyButton", self.send_reply)
        self.read_button = self._button("Mark all &read", "markReadButton", self.mark_all_read)
        self.sync_button = self._button("&Fetch comments", "syncCommentsButton", self.fetch)
        row = QHBoxLayout()
        row.addWidget(self.sync_button)
        row.addWidget(self.read_button)
        row.addStretch(1)
        row.addWidget(self.reply_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.reply_edit)
        layout.addLayout(row)
        self._update()

    def _button(self, text: str, name: str, slot: object) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAccessibleName(text.replace("&", ""))
        button.clicked.connect(slot)
        return button

    # ------------------------------------------------------------------ showing
    def set_review(self, review_id: int | None) -> None:
        self.review_id = review_id
        self.reload()

    def reload(self) -> None:
        current = self.current_id()
        self.tree.clear()
        self.nodes = {}
        nodes = thread(self.journal, self.review_id) if self.review_id is not None else []
        for node in nodes:
            self.tree.addTopLevelItem(self._item(node))
        self.tree.expandAll()
        total, unread = len(self.nodes), sum(n.unread for n in self.nodes.values())
        if self.review_id is None:
            self.status.setText("")
        elif not total:
            self.status.setText("No comments yet.")
        else:
            self.status.setText(f"{total} comment{'s' if total != 1 else ''}"
                                f"{f', {unread} new' if unread else ''}.")
        if current is not None:
            self.select(current)
        self.counts_changed.emit(total, unread)
        self._update()

    def _item(self, node: CommentNode) -> QTreeWidgetItem:
        self.nodes[node.id] = node
        text = " ".join(node.text.split())
        date = node.posted_at.strftime("%d %b %Y") if node.posted_at else ""
        item = QTreeWidgetItem([(UNREAD_MARK if node.unread else "") + text, node.author, date])
        item.setData(0, ID_ROLE, node.id)
        item.setToolTip(0, node.text)
        if node.unread:
            font = QFont(item.font(0))
            font.setBold(True)
            for column in range(3):
                item.setFont(column, font)
            item.setData(0, Qt.ItemDataRole.AccessibleDescriptionRole, "unread")
        for child in node.replies:
            item.addChild(self._item(child))
        return item

    def current_id(self) -> int | None:
        item = self.tree.currentItem()
        return int(item.data(0, ID_ROLE)) if item is not None else None

    def select(self, comment_id: int) -> bool:
        for item in self._items():
            if item.data(0, ID_ROLE) == comment_id:
                self.tree.setCurrentItem(item)
                return True
        return False

    def _items(self) -> list[QTreeWidgetItem]:
        out: list[QTreeWidgetItem] = []
        stack = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        while stack:
            item = stack.pop(0)
            out.append(item)
            stack[0:0] = [item.child(i) for i in range(item.childCount())]
        return out

    def _update(self) -> None:
        busy = self.worker is not None
        node = self.nodes.get(self.current_id() or -1)
        writable = not self.journal.read_only
        self.reply_button.setEnabled(not busy and writable and node is not None
                                     and node.can_reply
                                     and bool(self.reply_edit.toPlainText().strip()))
        self.reply_edit.setEnabled(writable and node is not None and node.can_reply)
        self.read_button.setEnabled(writable and any(n.unread for n in self.nodes.values()))
        self.sync_button.setEnabled(not busy and writable and self.review_id is not None
                                    and bool(BlogService(self.journal).list()))

    # ------------------------------------------------------------------ commands
    def mark_all_read(self) -> None:
        if self.review_id is not None:
            mark_read(self.journal, self.review_id)
            self.reload()

    def send_reply(self) -> None:
        comment_id = self.current_id()
        text = self.reply_edit.toPlainText()
        if comment_id is None or not text.strip() or self.worker is not None:
            return
        self.status.setText("Posting the reply on the blog…")
        self._run(lambda _token: reply(self.journal, comment_id, text), self._replied,
                  "The reply was not posted")

    def _replied(self, new_id: object) -> None:
        self.reply_edit.clear()
        self.reload()
        if isinstance(new_id, int):
            self.select(new_id)
        self.message.emit("Reply posted on the blog")

    def fetch(self) -> None:
        if self.worker is not None:
            return
        blogs = BlogService(self.journal).list()
        self.status.setText("Fetching comments…")
        self._run(lambda _token: [sync(self.journal, b) for b in blogs], self._fetched,
                  "The comments could not be fetched")

    def _fetched(self, results: object) -> None:
        self.reload()
        new = sum(r.new for r in results) if isinstance(results, list) else 0
        self.message.emit(f"{new} new comment{'s' if new != 1 else ''}")

    def _run(self, fn: object, done: object, failure: str) -> None:
        self.worker = Worker(fn, self)  # type: ignore[arg-type]
        self.worker.finished.connect(lambda result: self._finish(done, result))
        self.worker.failed.connect(lambda exc: self._fail(exc, failure))
        self.worker.start()
        self._update()

    def _finish(self, done: object, result: object) -> None:
        self.worker = None
        done(result)  # type: ignore[operator]
        self._update()

    def _fail(self, exc: object, failure: str) -> None:
        self.worker = None
        self._update()
        if isinstance(exc, EyelightsError):
            self.status.setText(f"{failure}: {exc.message}")
        elif isinstance(exc, Exception):
            self.status.setText(failure + ".")
            self.errors.report(exc, failure)
