"""Preferences → Blogs: the blogs reviews are published to, and each blog's conventions.

Adding a blog asks the blog whether the password works (on a worker) before anything is
stored; the password goes to the system keyring — or, when there is none and the user ticks
the box, to a plain-text file readable only by them. Changes here are saved at once."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from journal.core.journal import Journal
from journal.core.publish import BlogService, BlogSettings, SecretUnavailable
from journal.core.publish.secrets import keyring_status
from journal.core.render.blog import BlogStyle
from journal.errors import EyelightsError
from journal.ui.bridge import Worker
from journal.ui.errors import ErrorReporter
from journal.ui.widgets import accept_buttons


def _named(widget: QWidget, name: str, accessible: str) -> QWidget:
    widget.setObjectName(name)
    widget.setAccessibleName(accessible)
    return widget


class BlogDialog(QDialog):
    """Add a blog, or change one (``blog_name``): address, user, password, conventions."""

    def __init__(self, journal: Journal, errors: ErrorReporter, parent: QWidget | None = None,
                 blog_name: str | None = None) -> None:
        super().__init__(parent)
        self.journal, self.errors, self.blog_name = journal, errors, blog_name
        self.service = BlogService(journal)
        self.worker: Worker | None = None
        self.setObjectName("blogDialog")
        self.setWindowTitle("Change blog" if blog_name else "Add a blog")
        self._build()
        if blog_name:
            self._load(self.service.settings(self.service.get(blog_name)))

    def _edit(self, name: str, accessible: str, text: str = "") -> QLineEdit:
        edit = QLineEdit(text, self)
        _named(edit, name, accessible)
        return edit

    def _build(self) -> None:
        style = BlogStyle()
        self.name = self._edit("blogName", "Blog name")
        self.url = self._edit("blogUrl", "Blog address")
        self.url.setPlaceholderText("https://example.org")
        self.kind = QComboBox(self)
        _named(self.kind, "blogKind", "Kind of blog")
        self.kind.addItem("WordPress (application password)", "wordpress")
        self.kind.addItem("WordPress.com (access token)", "wordpress.com")
        self.user = self._edit("blogUser", "WordPress user name")
        self.password = self._edit("blogPassword", "Application password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        usable, why = keyring_status()
        self.plain = QCheckBox("Keep the password in a plain-text file readable only by me",
                               self)
        _named(self.plain, "blogPlainText", "Keep the password in a plain-text file")
        self.keyring_note = QLabel(
            "The password is kept in the system keyring." if usable else
            f"<b>No system keyring</b>: {why}. Tick the box to keep the password in a "
            "plain-text file instead, or start your desktop's keyring.", self, wordWrap=True)
        self.keyring_note.setObjectName("blogKeyringNote")
        self.plain.setVisible(not usable)
        self.score_line = self._edit("blogScoreLine", "Score line", style.score_line)
        self.spoilers = QComboBox(self)
        _named(self.spoilers, "blogSpoilers", "Spoiler sections")
        self.spoilers.addItem("Marker paragraphs", "markers")
        self.spoilers.addItem("A details block (folded)", "details")
        self.marker = self._edit("blogSpoilerMarker", "Spoiler marker", style.spoiler_marker)
        self.date_format = QComboBox(self)
        _named(self.date_format, "blogDateFormat", "Date of viewing format")
        for label, code in (("January 24, 2014", "us"), ("24 January 2014", "uk"),
                            ("2014-01-24", "iso")):
            self.date_format.addItem(label, code)
        self.categories = self._edit("blogCategories", "Categories of every post")
        self.categories.setPlaceholderText("Film reviews, Cinema")
        self.status = QComboBox(self)
        _named(self.status, "blogDefaultStatus", "Default status")
        self.status.addItem("Draft", "draft")
        self.status.addItem("Published", "publish")
        self.featured = QCheckBox("The film's &poster as featured image", self)
        _named(self.featured, "blogFeaturedImage", "Poster as featured image")
        self.featured.setChecked(True)
        self.message = QLabel(self, wordWrap=True)
        self.message.setObjectName("blogDialogMessage")
        form = QFormLayout()
        for label, widget in (("&Name:", self.name), ("&Address:", self.url),
                              ("&Kind:", self.kind), ("&User:", self.user),
                              ("Application &password:", self.password),
                              ("", self.keyring_note), ("", self.plain),
                              ("&Score line:", self.score_line),
                              ("Spoi&lers:", self.spoilers), ("&Marker:", self.marker),
                              ("&Date of viewing:", self.date_format),
                              ("&Categories:", self.categories),
                              ("Default s&tatus:", self.status), ("", self.featured)):
            form.addRow(label, widget)
        self.buttons = accept_buttons(self, save=True)
        self.buttons.setObjectName("blogDialogButtons")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        if self.blog_name:
            self.password.setPlaceholderText("unchanged")

    def _load(self, s: BlogSettings) -> None:
        self.name.setText(s.name)
        self.url.setText(s.site_url)
        self.url.setReadOnly(True)
        self.user.setText(s.username)
        self.user.setReadOnly(True)
        self.kind.setCurrentIndex(max(0, self.kind.findData(s.kind)))
        self.kind.setEnabled(False)
        self.password.setEnabled(False)
        self.score_line.setText(s.style.score_line)
        self.spoilers.setCurrentIndex(max(0, self.spoilers.findData(s.style.spoilers)))
        self.marker.setText(s.style.spoiler_marker)
        self.date_format.setCurrentIndex(max(0, self.date_format.findData(s.style.date_format)))
        self.categories.setText(", ".join(s.categories))
        self.status.setCurrentIndex(max(0, self.status.findData(s.default_status)))
        self.featured.setChecked(s.featured_image)

    def settings(self) -> BlogSettings:
        style = BlogStyle(score_line=self.score_line.text(),
                          spoilers=str(self.spoilers.currentData()),  # type: ignore[arg-type]
                          spoiler_marker=self.marker.text(),
                          date_format=str(self.date_format.currentData()))  # type: ignore[arg-type]
        return BlogSettings(self.name.text(), self.url.text(), self.user.text(),
                            str(self.kind.currentData()), style,
                            [c for c in self.categories.text().split(",") if c.strip()],
                            str(self.status.currentData()), self.featured.isChecked())

    def accept(self) -> None:
        if self.worker is not None:
            return
        try:
            settings = self.settings().cleaned()
        except EyelightsError as exc:
            self.message.setText(exc.message)
            return
        if self.blog_name:
            try:
                self.service.update(self.blog_name, settings)
            except EyelightsError as exc:
                self.message.setText(exc.message)
                return
            super().accept()
            return
        secret, plain = self.password.text(), self.plain.isChecked()
        self.message.setText(f"Asking {settings.site_url} whether the password works…")
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(False)
        # the check talks to the blog (slow); the journal is written back here, in order
        self.worker = Worker(lambda _t: self.service.check(settings, secret), self)
        self.worker.finished.connect(lambda _me: self._checked(settings, secret, plain))
        self.worker.failed.connect(self._failed)
        self.worker.start()

    def _checked(self, settings: BlogSettings, secret: str, plain: bool) -> None:
        self.worker = None
        try:
            self.service.add(settings, secret, plain_text=plain, check=False)
        except EyelightsError as exc:
            self._failed(exc)
            return
        super().accept()

    def _failed(self, exc: object) -> None:
        self.worker = None
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(True)
        if isinstance(exc, SecretUnavailable):  # a keyring that is there but refuses
            self.plain.setVisible(True)
        if isinstance(exc, EyelightsError):
            self.message.setText(exc.message)
        else:
            self.message.setText("The blog could not be checked.")
            if isinstance(exc, Exception):
                self.errors.report(exc, "The blog could not be checked")


class BlogsTab(QWidget):
    """The list of blogs with Add…, Change… and Remove."""

    changed = Signal()

    def __init__(self, journal: Journal, errors: ErrorReporter,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.journal, self.errors = journal, errors
        self.setObjectName("blogsTab")
        self.service = BlogService(journal)
        self.list = QListWidget(self)
        _named(self.list, "blogsList", "Blogs")
        self.add_button = QPushButton("&Add…", self)
        _named(self.add_button, "addBlogButton", "Add a blog")
        self.edit_button = QPushButton("C&hange…", self)
        _named(self.edit_button, "changeBlogButton", "Change the blog")
        self.remove_button = QPushButton("&Remove", self)
        _named(self.remove_button, "removeBlogButton", "Remove the blog")
        self.add_button.clicked.connect(lambda: self.open_dialog(None))
        self.edit_button.clicked.connect(lambda: self.open_dialog(self.current()))
        self.remove_button.clicked.connect(self.remove)
        self.list.currentRowChanged.connect(lambda _row: self._update())
        self.list.itemActivated.connect(lambda _item: self.open_dialog(self.current()))
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Reviews are published to these blogs (File → Publish to "
                                "Blog…). Changes here are saved at once; passwords are kept "
                                "in the system keyring.", self, wordWrap=True))
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.dialog: BlogDialog | None = None
        self.reload()

    def reload(self) -> None:
        self.list.clear()
        for blog in self.service.list():
            where = "" if blog.secret_store == "keyring" else " — password in a plain-text file"
            item = QListWidgetItem(f"{blog.name} — {blog.site_url} ({blog.username}){where}")
            item.setData(256, blog.name)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        self._update()

    def current(self) -> str | None:
        item = self.list.currentItem()
        return str(item.data(256)) if item is not None else None

    def _update(self) -> None:
        has = self.current() is not None
        self.edit_button.setEnabled(has)
        self.remove_button.setEnabled(has)

    def open_dialog(self, name: str | None) -> BlogDialog:
        self.dialog = BlogDialog(self.journal, self.errors, self, name)
        self.dialog.accepted.connect(self._saved)
        self.dialog.open()
        return self.dialog

    def _saved(self) -> None:
        self.reload()
        self.changed.emit()

    def remove(self, confirm: bool = True) -> None:
        name = self.current()
        if name is None:
            return
        if confirm and QMessageBox.question(
                self, "Remove blog", f"Forget the blog “{name}” and its password? Its posts "
                "stay on the blog; the reviews forget which post they are.") \
                != QMessageBox.StandardButton.Yes:
            return
        try:
            self.service.remove(name)
        except EyelightsError as exc:
            self.errors.report(exc, "The blog could not be removed")
        self._saved()
