"""The Help menu: user guide, Markdown and spoilers cheat sheet, keyboard shortcuts, and where
your files are.

One window (``HelpDialog``, not modal) with its topics in a list on the left:

* **Keyboard shortcuts** — read from the window's real actions each time it is shown (the menus
  in their order, then the actions that live on a page or in the editor), so it never drifts
  from what the keys do.
* **Markdown and spoilers** — examples rendered by the one renderer (``core.guide``).
* **Your files** — the journal, its backups, the log and the settings, each with Open Folder.
* **User guide** — the ``docs/`` pages, rendered in the app; links between them stay inside.

``help_actions(window)`` makes the menu's actions; the window puts them in its Help menu.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QImage, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from journal.core import guide
from journal.errors import EyelightsError

if TYPE_CHECKING:
    from journal.ui.mainwindow import MainWindow

TOPIC_ROLE = Qt.ItemDataRole.UserRole + 1
#: The fixed topics, before the guide's pages: key, title.
TOPICS = (("shortcuts", "Keyboard shortcuts"), ("cheatsheet", "Markdown and spoilers"),
          ("files", "Your files and folders"))


def plain(text: str) -> str:
    """An action's text as read ("&Import…" → "Import")."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()


def shortcut_rows(window: MainWindow) -> list[tuple[str, str, str]]:
    """(group, command, keys) for every action of ``window`` that has a key: the menus first,
    in their order, then the actions of pages and the editor that no menu holds."""
    window.build_all_pages()  # their actions exist once they are built
    rows: list[tuple[str, str, str]] = []
    listed: set[int] = set()

    def walk(menu: QMenu, group: str) -> None:
        for action in menu.actions():
            if action.menu() is not None:
                walk(action.menu(), group)
                continue
            listed.add(id(action))
            if action.shortcuts() and action.text():
                rows.append((group, plain(action.text()), keys(action)))

    for top in window.menuBar().actions():
        if top.menu() is not None:
            walk(top.menu(), f"{plain(top.text())} menu")
    others = [a for a in window.findChildren(QAction)
              if id(a) not in listed and a.shortcuts() and a.text()]
    for action in others:
        rows.append((_owner(window, action), plain(action.text()), keys(action)))
    return rows


def keys(action: QAction) -> str:
    return ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText)
                     for s in action.shortcuts())


def _owner(window: MainWindow, action: QAction) -> str:
    """Where an action outside the menus works: the editor, or a page."""
    widget = action.parent()
    editor = getattr(window.reviews_page, "editor_view", None)
    while widget is not None:
        if widget is editor:
            return "Editor"
        for key, page in window.pages.items():
            if widget is page:
                return f"{key.capitalize()} page"
        widget = widget.parent()
    return "Window"


class FilesPanel(QWidget):
    """Where the journal, its backups, the log and the settings live, with Open Folder."""

    def __init__(self, window: MainWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from journal.logsetup import log_file
        from journal.store.backup import backup_dir_for

        self.setObjectName("helpFiles")
        path = window.journal.path
        settings = QSettings().fileName() if not isinstance(window.settings, QSettings) \
            else window.settings.fileName()
        #: (what, the file or folder shown, the folder Open Folder opens)
        self.rows: list[tuple[str, Path, Path]] = [
            ("Journal", path, path.parent),
            ("Backups", backup_dir_for(path), backup_dir_for(path)),
            ("Log", log_file(), log_file().parent),
            ("Settings", Path(settings), Path(settings).parent),
        ]
        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout()
        intro = QLabel("Your journal is one file; everything else can be deleted without losing "
                       "a review. Backups are verified copies, made every 12 hours of use and "
                       "before an upgrade or an import.", self)
        intro.setWordWrap(True)
        for row, (what, shown, folder) in enumerate(self.rows):
            label = QLabel(f"{what}:", self)
            field = QLineEdit(str(shown), self)
            field.setReadOnly(True)
            field.setObjectName(f"helpPath{what}")
            field.setAccessibleName(f"{what} location")
            button = QPushButton("Open Folder", self)
            button.setObjectName(f"helpOpen{what}")
            button.setAccessibleName(f"Open the folder of the {what.lower()}")
            exists = folder.is_dir()
            button.setEnabled(exists)
            if not exists:
                button.setToolTip("Not made yet")
            button.clicked.connect(lambda _checked=False, f=folder: self.open_folder(f))
            self.buttons[what] = button
            label.setBuddy(field)
            grid.addWidget(label, row, 0)
            grid.addWidget(field, row, 1)
            grid.addWidget(button, row, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addStretch(1)

    @staticmethod
    def open_folder(folder: Path) -> bool:
        """Show ``folder`` in the desktop's file manager."""
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


class GuideBrowser(QTextBrowser):
    """Shows guide pages: links to other pages open here, web links in the browser, the
    pages' images come from the guide's own folder (nothing else is loaded)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("helpBrowser")
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.page: str | None = None
        self.html = ""
        self._room = 0  # the width the page's images were scaled to

    def show_html(self, key: str, html: str) -> None:
        self.page, self.html = key, html
        self.document().clear()  # drops the images scaled for another width
        self.setHtml(html)

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        if self.html and self._room and abs(self._room - self._image_room()) > 24:
            position = self.verticalScrollBar().value()
            self.show_html(str(self.page), self.html)  # images fit the new width
            self.verticalScrollBar().setValue(position)

    def _image_room(self) -> int:
        """The width a picture may take: the page's, less its margins — and less the vertical
        scroll bar that a long page is about to get (images are scaled while the page is laid
        out, before that bar takes its room: they came out a few pixels too wide)."""
        bar = self.verticalScrollBar()
        reserve = 0 if bar.isVisible() else bar.sizeHint().width()
        return max(240, self.viewport().width() - reserve
                   - 2 * int(self.document().documentMargin()) - 8)

    def loadResource(self, kind: int, url: QUrl | str) -> object:  # noqa: N802 - Qt's name
        name = url.toString() if isinstance(url, QUrl) else str(url)
        data = guide.guide_image(name.rsplit("/", 1)[-1])
        if data is not None:
            image = QImage.fromData(data)
            room = self._room = self._image_room()
            if image.width() > room:  # screenshots fit the window: no sideways scrolling
                image = image.scaledToWidth(room, Qt.TransformationMode.SmoothTransformation)
            return image
        return None


class HelpDialog(QDialog):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window_ = window
        self.setObjectName("helpDialog")
        self.setWindowTitle("Eyelights Help")
        self.setAccessibleName("Eyelights Help")
        self.topics = QListWidget(self)
        self.topics.setObjectName("helpTopics")
        self.topics.setAccessibleName("Help topics")
        for key, title in TOPICS:
            self._topic(key, title)
        try:
            pages = guide.guide_pages()
        except EyelightsError:
            pages = []
        if pages:
            heading = QListWidgetItem("User guide")
            font = heading.font()
            font.setBold(True)
            heading.setFont(font)
            heading.setFlags(Qt.ItemFlag.NoItemFlags)  # a heading, not a topic
            self.topics.addItem(heading)
        for page in pages:
            self._topic(f"guide:{page.name}", page.short_title)
            self.topics.item(self.topics.count() - 1).setToolTip(page.title)
        self.stack = QStackedWidget(self)
        self.browser = GuideBrowser(self.stack)
        self.browser.setAccessibleName("Help text")
        self.browser.anchorClicked.connect(self._link)
        self.shortcuts = QTreeWidget(self.stack)
        self.shortcuts.setObjectName("helpShortcuts")
        self.shortcuts.setAccessibleName("Keyboard shortcuts")
        self.shortcuts.setHeaderLabels(["Command", "Keys"])
        self.shortcuts.setRootIsDecorated(False)
        self.shortcuts.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.shortcuts.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.shortcuts.header().setStretchLastSection(False)
        self.files = FilesPanel(window, self.stack)
        for widget in (self.browser, self.shortcuts, self.files):
            self.stack.addWidget(widget)
        splitter = QSplitter(parent=self)
        splitter.addWidget(self.topics)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([240, 660])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(buttons)
        layout.addLayout(row)
        self.topics.currentItemChanged.connect(lambda item, _old: self._show(item))
        self.resize(900, 620)

    def _topic(self, key: str, title: str) -> None:
        item = QListWidgetItem(title)
        item.setData(TOPIC_ROLE, key)
        self.topics.addItem(item)

    def topic_keys(self) -> list[str | None]:
        return [self.topics.item(i).data(TOPIC_ROLE) for i in range(self.topics.count())]

    def show_topic(self, key: str) -> None:
        """Show a topic ("shortcuts", "cheatsheet", "files", "guide:search.md")."""
        keys = self.topic_keys()
        if key not in keys:
            key = str(keys[0])
        self.topics.setCurrentRow(keys.index(key))
        self._show(self.topics.currentItem())

    def current_topic(self) -> str:
        item = self.topics.currentItem()
        return item.data(TOPIC_ROLE) if item is not None else ""

    def _show(self, item: QListWidgetItem | None) -> None:
        if item is None or item.data(TOPIC_ROLE) is None:
            return
        key = item.data(TOPIC_ROLE)
        if key == "shortcuts":
            self._fill_shortcuts()
            self.stack.setCurrentWidget(self.shortcuts)
        elif key == "files":
            self.stack.setCurrentWidget(self.files)
        else:
            try:
                html = guide.cheat_sheet_html() if key == "cheatsheet" else \
                    guide.render_page(key.removeprefix("guide:"))
            except EyelightsError as exc:
                html = f"<p>{exc.message}</p>"
            self.browser.show_html(key, html)
            self.stack.setCurrentWidget(self.browser)

    def _fill_shortcuts(self) -> None:
        self.shortcuts.clear()
        groups: dict[str, QTreeWidgetItem] = {}
        for group, command, combo in shortcut_rows(self.window_):
            parent = groups.get(group)
            if parent is None:
                parent = groups[group] = QTreeWidgetItem([group, ""])
                font = parent.font(0)
                font.setBold(True)
                parent.setFont(0, font)
                parent.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self.shortcuts.addTopLevelItem(parent)
            child = QTreeWidgetItem([command, combo])
            child.setData(0, Qt.ItemDataRole.AccessibleTextRole, f"{command}: {combo}")
            parent.addChild(child)
        self.shortcuts.expandAll()

    def _link(self, url: QUrl) -> None:
        target = url.toString()
        page = target.split("#", 1)[0].rsplit("/", 1)[-1]
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)
        elif page in guide.GUIDE_PAGES:
            self.show_topic(f"guide:{page}")
        elif target.startswith("#"):
            self.browser.scrollToAnchor(target[1:])


class HelpMenu:
    """The Help menu's actions, sharing one HelpDialog."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.dialog: HelpDialog | None = None
        self.guide = self._action("User Guide", "guide:" + guide.GUIDE_PAGES[0],
                                  "actionUserGuide", QKeySequence.StandardKey.HelpContents)
        self.cheat_sheet = self._action("Markdown and Spoilers Cheat Sheet", "cheatsheet",
                                        "actionCheatSheet")
        self.shortcuts = self._action("Keyboard Shortcuts", "shortcuts", "actionShortcuts",
                                      "Ctrl+/")
        self.files = self._action("Where Your Files Are", "files", "actionWhereFiles")

    def _action(self, text: str, topic: str, name: str,
                shortcut: QKeySequence.StandardKey | str | None = None) -> QAction:
        action = QAction(text, self.window)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: self.open(topic))
        return action

    def actions(self) -> list[QAction]:
        return [self.guide, self.cheat_sheet, self.shortcuts, self.files]

    def open(self, topic: str) -> HelpDialog:
        if self.dialog is None:
            self.dialog = HelpDialog(self.window)
        self.dialog.show_topic(topic)
        if self.dialog.isVisible():
            self.dialog.raise_()
        self.dialog.show()
        self.dialog.activateWindow()
        self.dialog.topics.setFocus()
        return self.dialog


def help_menu(window: MainWindow) -> HelpMenu:
    return HelpMenu(window)
