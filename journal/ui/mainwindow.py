"""The main window: a sidebar of pages, menus, a status bar. Thin: pages hold the behaviour."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QSettings, QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from journal import APP_NAME
from journal.core.journal import Journal
from journal.ui.bridge import JournalSignals
from journal.ui.errors import ErrorReporter
from journal.ui.icons import themed_icon
from journal.ui.models.reviews_model import ReviewsModel
from journal.ui.pages.placeholder import PlaceholderPage
from journal.ui.pages.reviews import ReviewsPage


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str
    icon: str
    object_name: str


PAGES = (
    PageSpec("reviews", "Reviews", "document-edit", "reviewsPage"),
    PageSpec("films", "Films", "video-x-generic", "filmsPage"),
    PageSpec("people", "People", "system-users", "peoplePage"),
    PageSpec("diary", "Diary", "x-office-calendar", "diaryPage"),
    PageSpec("watchlist", "Watchlist", "bookmark-new", "watchlistPage"),
    PageSpec("statistics", "Statistics", "office-chart-bar", "statisticsPage"),
    PageSpec("search", "Search", "edit-find", "searchPage"),
)

PLACEHOLDER_TEXT = {
    "films": "The catalogue of films, with credits, viewings and posters, is on its way.",
    "people": "Directors, actors and their filmographies will live here.",
    "diary": "Your dated viewings, rewatches included, will be listed here.",
    "watchlist": "Films you mean to see, with notes and priorities.",
    "statistics": "Charts of your viewing years.",
    "search": "Ranked full-text search over everything you wrote.",
}


class MainWindow(QMainWindow):
    """Collaborators are passed in; nothing here reaches up the widget tree."""

    open_journal_requested = Signal()
    sample_requested = Signal()

    def __init__(self, journal: Journal, signals: JournalSignals, settings: QSettings,
                 errors: ErrorReporter, about: Callable[[QWidget], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.journal, self.signals, self.settings, self.errors = journal, signals, settings, errors
        self._about = about
        self.setObjectName("mainWindow")
        self.setAccessibleName("Eyelights main window")
        self._update_title()
        self.pages: dict[str, QWidget] = {}
        self._init_models()
        self._init_pages()
        self._init_sidebar()
        self._init_central()
        self._init_actions()
        self._init_menus()
        self._init_statusbar()
        self._wire()
        self._restore_state()

    # ------------------------------------------------------------------ construction
    def _init_models(self) -> None:
        self.reviews_model = ReviewsModel(self.journal, self)

    def _init_pages(self) -> None:
        self.reviews_page = ReviewsPage(self.journal, self.signals, self.errors, self)
        self.pages["reviews"] = self.reviews_page
        for spec in PAGES[1:]:
            self.pages[spec.key] = PlaceholderPage(spec.title, PLACEHOLDER_TEXT[spec.key],
                                                   spec.object_name, self)

    def _init_sidebar(self) -> None:
        self.sidebar = QListWidget(self)
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setAccessibleName("Pages")
        self.sidebar.setMaximumWidth(220)
        self.sidebar.setMinimumWidth(140)
        self.sidebar.setIconSize(QSize(22, 22))
        self.sidebar.setSpacing(2)
        for spec in PAGES:
            item = QListWidgetItem(themed_icon(spec.icon), spec.title)
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, spec.title)
            self.sidebar.addItem(item)

    def _init_central(self) -> None:
        self.stack = QStackedWidget(self)
        self.stack.setObjectName("pageStack")
        self.stack.setAccessibleName("Current page")
        for spec in PAGES:
            self.stack.addWidget(self.pages[spec.key])
        splitter = QSplitter(self)
        splitter.setObjectName("mainSplitter")
        splitter.setAccessibleName("Sidebar and page")
        splitter.addWidget(self.sidebar)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([170, 1000])
        self.splitter = splitter
        self.setCentralWidget(splitter)

    def _action(self, text: str, slot: Callable[[], object] | None = None,
                shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
                icon: str | None = None, name: str = "") -> QAction:
        action = QAction(text, self)
        action.setObjectName(name or "action" + "".join(w.capitalize() for w in text.split()))
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if icon:
            action.setIcon(themed_icon(icon))
        if slot is not None:
            action.triggered.connect(slot)
        return action

    def _init_actions(self) -> None:
        k = QKeySequence.StandardKey
        self.act_open = self._action("Open Journal…", self.open_journal_requested.emit, k.Open,
                                     "document-open", "actionOpenJournal")
        self.act_sample = self._action("Open Sample Journal", self.sample_requested.emit,
                                       name="actionOpenSample")
        self.act_backup = self._action("Back Up Now", self._backup_now, None,
                                       "document-save", "actionBackup")
        self.act_quit = self._action("Quit", self.close, k.Quit, "application-exit",
                                     "actionQuit")
        self.act_fullscreen = self._action("Full Screen", self._toggle_fullscreen,
                                           k.FullScreen, "view-fullscreen", "actionFullScreen")
        self.act_sidebar = self._action("Show Sidebar", None, "Ctrl+Shift+B",
                                        name="actionShowSidebar")
        self.act_sidebar.setCheckable(True)
        self.act_sidebar.setChecked(True)
        self.act_sidebar.toggled.connect(self.sidebar.setVisible)
        self.page_actions = []
        for n, spec in enumerate(PAGES, start=1):
            action = self._action(spec.title, lambda _checked=False, key=spec.key: self.show_page(key),
                                  f"Ctrl+{n}", name=f"actionGo{spec.key.capitalize()}")
            self.page_actions.append(action)
        self.act_about = self._action("About Eyelights", lambda: self._about(self), None,
                                      "help-about", "actionAbout")

    def _menu(self, title: str, name: str) -> QMenu:
        menu = self.menuBar().addMenu(title)
        menu.setObjectName(name)
        menu.menuAction().setObjectName(name + "Action")
        return menu

    def _init_menus(self) -> None:
        self.file_menu = self._menu("&File", "menuFile")
        for action in (self.act_open, self.act_sample, None, self.act_backup, None,
                       self.act_quit):
            self.file_menu.addSeparator() if action is None else self.file_menu.addAction(action)
        self.edit_menu = self._menu("&Edit", "menuEdit")
        self.view_menu = self._menu("&View", "menuView")
        self.view_menu.addAction(self.act_sidebar)
        self.view_menu.addAction(self.act_fullscreen)
        self.go_menu = self._menu("&Go", "menuGo")
        for action in self.page_actions:
            self.go_menu.addAction(action)
        self.help_menu = self._menu("&Help", "menuHelp")
        self.help_menu.addAction(self.act_about)

    def _init_statusbar(self) -> None:
        self.status_journal = QLabel(self)
        self.status_journal.setObjectName("statusJournal")
        self.status_counts = QLabel(self)
        self.status_counts.setObjectName("statusCounts")
        self.statusBar().addWidget(self.status_journal, 1)
        self.statusBar().addPermanentWidget(self.status_counts)
        self._update_status()

    def _wire(self) -> None:
        """Every signal connection of the window, in one place."""
        self.sidebar.currentRowChanged.connect(self._on_sidebar_row)
        self.signals.changed.connect(self._on_journal_changed)
        self.reviews_page.sample_requested.connect(self.sample_requested)

    # ------------------------------------------------------------------ behaviour
    def show_page(self, key: str) -> None:
        keys = [p.key for p in PAGES]
        self.sidebar.setCurrentRow(keys.index(key))

    def current_page_key(self) -> str:
        return PAGES[max(0, self.sidebar.currentRow())].key

    def _on_sidebar_row(self, row: int) -> None:
        if 0 <= row < len(PAGES):
            self.stack.setCurrentWidget(self.pages[PAGES[row].key])

    def _on_journal_changed(self, kind: str, ids: tuple) -> None:
        if kind in ("review", "film", "viewing", "trash", "journal"):
            self.reviews_model.reload()
        self._update_status()

    def _update_title(self) -> None:
        ro = " (read-only)" if self.journal.read_only else ""
        self.setWindowTitle(f"{self.journal.path.name}{ro} — {APP_NAME}")

    def _update_status(self) -> None:
        self.status_journal.setText(str(self.journal.path))
        self.status_counts.setText(f"{self.journal.films.count()} films · "
                                   f"{self.journal.reviews.count()} reviews")

    def _backup_now(self) -> None:
        try:
            made = self.journal.backup("manual")
        except Exception as exc:
            self.errors.report(exc, "The backup could not be made")
            return
        self.statusBar().showMessage(f"Backup written to {made}", 8000)

    def _toggle_fullscreen(self) -> None:
        self.showNormal() if self.isFullScreen() else self.showFullScreen()

    # ------------------------------------------------------------------ state
    def _restore_state(self) -> None:
        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1180, 760)
        state = self.settings.value("window/state")
        if state is not None:
            self.restoreState(state)
        page = str(self.settings.value("window/page", "reviews"))
        self.show_page(page if page in [p.key for p in PAGES] else "reviews")

    def save_state(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.setValue("window/page", self.current_page_key())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        super().closeEvent(event)
