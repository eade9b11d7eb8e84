"""The review's readers' comments, threaded, beside its preview: new ones marked unread, a
reply posted to the blog as the user (on a worker), comments fetched again on request.

From the keyboard: Enter on a comment goes to the reply box, Ctrl+Enter there posts the reply;
Alt+M fetches comments, Alt+D marks all read, Alt+R replies (Alt+F is the File menu)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent
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
from journal.core.publish.errors import in_window
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
        self.tree.currentItemChanged.connect(lambda *_: self._show_current())
        self.tree.itemActivated.connect(lambda *_: self._to_reply())
        # the whole of the selected comment: a row shows only its first line
        self.reading = QPlainTextEdit(self)
        self.reading.setObjectName("commentText")
        self.reading.setAccessibleName("The selected comment")
        self.reading.setReadOnly(True)
        self.reading.setMaximumHeight(120)
        self.reading.setTabChangesFocus(True)
        self.reading.hide()
        self.status = QLabel(self, wordWrap=True)
        self.status.setObjectName("commentsStatus")
        self.reply_edit = QPlainTextEdit(self)
        self.reply_edit.setObjectName("replyEdit")
        self.reply_edit.setAccessibleName("Your reply")
        self.reply_edit.setPlaceholderText("Reply to the selected comment: posted on the blog "
                                           "as you with Ctrl+Enter…")
        self.reply_edit.setMaximumHeight(90)
        self.reply_edit.setTabChangesFocus(True)
        self.reply_edit.textChanged.connect(self._update)
        self.reply_edit.installEventFilter(self)  # Ctrl+Enter posts the reply
        self.reply_button = self._button("&Reply", "replyButton", self.send_reply)
        self.reply_button.setToolTip("Post the reply on the blog (Ctrl+Enter)")
        self.read_button = self._button("Mark all rea&d", "markReadButton", self.mark_all_read)
        self.sync_button = self._button("Fetch co&mments", "syncCommentsButton", self.fetch)
        row = QHBoxLayout()
        row.addWidget(self.sync_button)
        row.addWidget(self.read_button)
        row.addStretch(1)
        row.addWidget(self.reply_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.reading)
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

    def _show_current(self) -> None:
        node = self.nodes.get(self.current_id() or -1)
        if node is None:
            self.reading.hide()
            return
        when = node.posted_at.strftime("%d %b %Y %H:%M") if node.posted_at else ""
        self.reading.setPlainText(f"{node.author}{f', {when}' if when else ''}:\n{node.text}")
        self.reading.show()

    def focus_thread(self) -> None:
        """The tab was chosen (Alt+C): the keys go to the thread, on the first unread comment
        (else the first) when none is selected."""
        items = self._items()
        if self.tree.currentItem() is None and items:
            unread = [i for i in items if self.nodes[int(i.data(0, ID_ROLE))].unread]
            self.tree.setCurrentItem((unread or items)[0])
        self.tree.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if (watched is self.reply_edit and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier):
            self.send_reply()
            return True
        return super().eventFilter(watched, event)

    def _to_reply(self) -> None:
        """Enter on a comment: write the answer."""
        if self.reply_edit.isEnabled():
            self.reply_edit.setFocus()

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
        self.reply_edit.setReadOnly(busy)  # what is typed while posting is not lost
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
        author = self.nodes[comment_id].author if comment_id in self.nodes else ""
        self.status.setText(f"Posting the reply to {author or 'the comment'} on the blog…")
        self._run(lambda _token: reply(self.journal, comment_id, text), self._replied,
                  "The reply was not posted")

    def _replied(self, new_id: object) -> None:
        self.reply_edit.clear()
        self.reload()
        if isinstance(new_id, int):
            self.select(new_id)
        self.status.setText(f"Reply posted on the blog. {self.status.text()}")
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
        done = results if isinstance(results, list) else []
        new = sum(r.new for r in done)
        said = f"Fetched: {new or 'no'} new comment{'s' if new != 1 else ''}"
        problems = [p for r in done for p in r.problems]
        self.status.setText(f"{said}. {self.status.text()}"
                            + "".join(f"\n{p}" for p in problems))
        self.message.emit(said)

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
            self.status.setText(f"{failure}: {in_window(exc)}")
        elif isinstance(exc, Exception):
            self.status.setText(failure + ".")
            self.errors.report(exc, failure)
