"""The main window: a sidebar of pages, menus, a status bar. Thin: pages hold the behaviour.

Built in two steps so that it is on screen at once, even on a large journal: the constructor makes
the frame (sidebar, menu bar, status bar) and the Reviews list — from the start-up's first look
(``first``), before the store layer is imported — and :meth:`MainWindow.attach` adds the rest once
the journal is open (the application calls it on the next turn of the event loop; given a journal,
the constructor calls it at once)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QSettings, QSize, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from journal import APP_NAME
from journal.core.words import count
from journal.ui import roles
from journal.ui.errors import ErrorReporter
from journal.ui.pages.reviews import ReviewsPage

if TYPE_CHECKING:
    from PySide6.QtGui import QAction, QCloseEvent, QKeySequence

    from journal.core.events import Changes
    from journal.core.first_look import FirstLook
    from journal.core.journal import Journal
    from journal.ui.bridge import JournalSignals


class PageSpec(NamedTuple):
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
    PageSpec("trash", "Trash", "user-trash", "trashPage"),
)


class MainWindow(QMainWindow):
    """Collaborators are passed in; nothing here reaches up the widget tree."""

    open_journal_requested = Signal()
    sample_requested = Signal()

    def __init__(self, journal: Journal | None, signals: JournalSignals | None,
                 settings: QSettings, errors: ErrorReporter, about: Callable[[QWidget], None],
                 parent: QWidget | None = None, *, first: FirstLook | None = None,
                 reopen_place: bool = True) -> None:
        """Give ``journal`` and ``signals`` (built whole), or ``first`` (then call attach).
        ``reopen_place`` False: the launch names a review to open, so the one open when the app
        last closed is not opened (and rendered) first."""
        super().__init__(parent)
        self.settings, self.errors = settings, errors
        self.reopen_last_place = reopen_place
        self._about = about
        self.attached = False
        self.journal: Journal
        self.signals: JournalSignals
        self.setObjectName("mainWindow")
        self.setAccessibleName("Eyelights main window")
        if journal is not None:
            self._path, self._read_only = journal.path, journal.read_only
        elif first is not None:
            self._path, self._read_only = first.path, first.read_only
        else:
            raise ValueError("MainWindow needs a journal or a first look at one")
        self._update_title()
        self.pages: dict[str, QWidget] = {}
        self.reviews_page = ReviewsPage(None, None, errors, self, first=first)
        self.pages["reviews"] = self.reviews_page
        self._pending_page = QWidget(self)  # stands for a page until the journal is open
        self._pending_page.setObjectName("pendingPage")
        self._init_sidebar()
        self._init_central()
        self._init_menubar()
        self._init_statusbar(first)
        self._restore_state()
        if first is not None and first.page is not None:  # the launch's review, shown at once
            self.show_page("reviews")
        if journal is not None and signals is not None:
            self.attach(journal, signals)

    def attach(self, journal: Journal, signals: JournalSignals) -> None:
        """The journal is open: build the other pages, the actions and menus, wire them."""
        self.journal, self.signals = journal, signals
        self._path, self._read_only = journal.path, journal.read_only  # it may have fallen back
        self._update_title()                                             # to read-only
        self.reviews_page.attach(journal, signals)
        self._init_pages()
        self._finish_sidebar()
        self._init_actions()
        self._fill_menus()
        self._wire()
        if self.reopen_last_place:
            self.reviews_page.reopen_place()  # the review open when the app last closed, if any
        self.attached = True
        self._update_status()
        self.stack.removeWidget(self._pending_page)
        self._pending_page.deleteLater()
        self._on_sidebar_row(self.sidebar.currentRow())  # the page chosen meanwhile, now built

    # ------------------------------------------------------------------ construction
    def _init_pages(self) -> None:
        from journal.ui.dialogs.viewing_dialog import UndoLog, log_viewing_action
        from journal.ui.export_actions import ExportActions
        from journal.ui.import_action import make_import_action
        from journal.ui.pages.placeholder import PlaceholderPage
        from journal.ui.palette import QuickOpenPalette

        j, sig, err = self.journal, self.signals, self.errors
        self.undo = UndoLog(self)
        # The other pages are built the first time they are shown (``_page``): start-up work is
        # the list of reviews only. (Search too, unless saved searches wait in the sidebar:
        # ``_finish_sidebar``.)
        self._placeholders: dict[str, QWidget] = {}
        for spec in PAGES[1:]:
            if spec.key not in self.pages:
                placeholder = PlaceholderPage(
                    spec.title, "Computing…" if spec.key == "statistics" else "Opening…",
                    f"{spec.key}Placeholder", self)
                self.pages[spec.key] = self._placeholders[spec.key] = placeholder
            self.stack.addWidget(self.pages[spec.key])
        self.palette = QuickOpenPalette(j, sig, err, self)
        self.exports = ExportActions(j, err, self.reviews_page.current_review_id, self,
                                     self.settings)
        from journal.ui.publish_actions import PublishActions

        self.publishing = PublishActions(j, err, self.reviews_page.current_review_id, self)
        self.reviews_page.editor_view.preferences = self.settings
        self.act_import = make_import_action(j, sig, err, self)
        self.act_log_viewing = log_viewing_action(self, j, err, self.undo,
                                                  self._current_film_id)

    def _page(self, key: str) -> QWidget:
        """The page ``key``, built (and wired) now if this is its first showing."""
        placeholder = self._placeholders.pop(key, None)
        if placeholder is None:
            return self.pages[key]
        builders: dict[str, Callable[[], QWidget]] = {
            "films": self._build_films, "people": self._build_people, "diary": self._build_diary,
            "watchlist": self._build_watchlist, "search": self._build_search,
            "statistics": self._build_statistics, "trash": self._build_trash}
        page = builders[key]()
        self.pages[key] = page
        self.stack.insertWidget(self.stack.indexOf(placeholder), page)
        self.stack.removeWidget(placeholder)
        placeholder.deleteLater()
        return page

    def build_all_pages(self) -> None:
        """Build every page not built yet (Help's shortcut list reads their actions)."""
        for key in list(self._placeholders):
            self._page(key)

    def _build_films(self) -> QWidget:
        from journal.ui.pages.films_area import FilmsArea

        self.films_area = FilmsArea(self.journal, self.signals, self.errors, self)
        film = self.films_area.film
        film.open_review.connect(self.open_review)
        film.open_person.connect(self.open_person)
        film.new_review_for_film.connect(self._new_review_for_film)
        return self.films_area

    def _build_people(self) -> QWidget:
        from journal.ui.pages.people import PeoplePage

        self.people_page = PeoplePage(self.journal, self.signals, self.errors, self)
        self.people_page.open_film.connect(self.open_film)
        self.people_page.open_person.connect(self.open_person)
        return self.people_page

    def _build_diary(self) -> QWidget:
        from journal.ui.pages.diary import DiaryPage

        self.diary_page = DiaryPage(self.journal, self.signals, self.errors, self, undo=self.undo)
        self.diary_page.open_film.connect(self.open_film)
        self.diary_page.open_review.connect(self.open_review)
        return self.diary_page

    def _build_watchlist(self) -> QWidget:
        from journal.ui.pages.watchlist import WatchlistPage

        self.watchlist_page = WatchlistPage(self.journal, self.signals, self.errors, self)
        self.watchlist_page.open_film.connect(self.open_film)
        return self.watchlist_page

    def _build_statistics(self) -> QWidget:
        from journal.ui.pages.statistics import StatisticsPage  # pyqtgraph loads now

        page = StatisticsPage(self.journal, self.signals, self.errors, self)
        page.open_person.connect(self.open_person)
        return page

    def _build_trash(self) -> QWidget:
        from journal.ui.pages.trash import TrashPage

        self.trash_page = TrashPage(self.journal, self.signals, self.errors, self)
        self.trash_page.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        return self.trash_page

    def _new_film(self) -> None:
        self.show_page("films")
        self.films_area.films.new_film()

    def _init_sidebar(self) -> None:
        self.sidebar_panel = QWidget(self)
        self.sidebar_panel.setObjectName("sidebarPanel")
        self.sidebar = QListWidget(self.sidebar_panel)
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setAccessibleName("Pages")
        self.sidebar.setMaximumWidth(220)
        self.sidebar.setMinimumWidth(140)
        self.sidebar.setIconSize(QSize(22, 22))
        self.sidebar.setSpacing(2)
        blank = QPixmap(self.sidebar.iconSize())  # the icons come with the journal: until then
        blank.fill(QColor(0, 0, 0, 0))           # a clear blank of their size keeps the rows in
        for spec in PAGES:                        # place (no Qt enum here: see roles.py)
            item = QListWidgetItem(QIcon(blank), spec.title)
            item.setData(roles.USER, spec.key)
            item.setData(roles.ACCESSIBLE_TEXT, spec.title)
            self.sidebar.addItem(item)
        self._sidebar_layout = QVBoxLayout(self.sidebar_panel)
        self._sidebar_layout.setContentsMargins(0, 0, 0, 0)
        self._sidebar_layout.addWidget(self.sidebar, 1)
        self.sidebar_panel.setMaximumWidth(240)
        self.sidebar.currentRowChanged.connect(self._on_sidebar_row)

    def _finish_sidebar(self) -> None:
        """The sidebar's icons and its saved searches (their panel belongs to the Search page)."""
        from journal.ui.icons import themed_icon

        for row, spec in enumerate(PAGES):
            self.sidebar.item(row).setIcon(themed_icon(spec.icon))
        saved_label = QLabel("Saved searches", self.sidebar_panel)
        saved_label.setObjectName("savedSearchesLabel")
        saved_label.hide()
        self.saved_label = saved_label
        self._sidebar_layout.addWidget(saved_label)
        from journal.core.search.saved import SavedSearchService

        if SavedSearchService(self.journal).all():  # their panel (the Search page's) is needed
            self._page("search")

    def _build_search(self) -> QWidget:
        """The Search page, and its saved searches in the sidebar (~7 MB of widgets and models:
        built when the page is first shown, or at once when there are saved searches)."""
        from journal.ui.pages.search import SearchPage

        self.search_page = search = SearchPage(self.journal, self.signals, self.errors, self)
        search.saved_panel.setMaximumHeight(170)
        self._sidebar_layout.addWidget(search.saved_panel)
        saved = search.saved_model
        for signal in (saved.modelReset, saved.rowsInserted, saved.rowsRemoved):
            signal.connect(self._show_saved_searches)
        self._show_saved_searches()
        search.open_review.connect(self.open_review)
        search.open_film.connect(self.open_film)
        search.open_person.connect(self.open_person)
        return search

    def _init_central(self) -> None:
        self.stack = QStackedWidget(self)
        self.stack.setObjectName("pageStack")
        self.stack.setAccessibleName("Current page")
        self.stack.addWidget(self.reviews_page)
        self.stack.addWidget(self._pending_page)
        splitter = QSplitter(parent=self)  # QSplitter(self) would name Qt.Orientation
        splitter.setObjectName("mainSplitter")
        splitter.setAccessibleName("Sidebar and page")
        splitter.addWidget(self.sidebar_panel)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([170, 1000])
        self.splitter = splitter
        self.setCentralWidget(splitter)

    def _action(self, text: str, slot: Callable[[], object] | None = None,
                shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
                icon: str | None = None, name: str = "") -> QAction:
        from PySide6.QtGui import QAction, QKeySequence  # after the first frame: with attach

        action = QAction(text, self)
        action.setObjectName(name or "action" + "".join(w.capitalize() for w in text.split()))
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if icon:
            from journal.ui.icons import themed_icon

            action.setIcon(themed_icon(icon))
        if slot is not None:
            action.triggered.connect(slot)
        return action

    def _init_actions(self) -> None:
        from PySide6.QtGui import QKeySequence

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
        self.act_sidebar.toggled.connect(self.sidebar_panel.setVisible)
        self.page_actions = []
        for n, spec in enumerate(PAGES, start=1):
            action = self._action(spec.title, lambda _checked=False, key=spec.key: self.show_page(key),
                                  f"Ctrl+{n}", name=f"actionGo{spec.key.capitalize()}")
            self.page_actions.append(action)
        # Ctrl+Shift+N: Ctrl+Shift+F is the editor's focus mode.
        self.act_new_film = self._action("New Film…", self._new_film, "Ctrl+Shift+N",
                                         name="actionNewFilm")
        self.act_about = self._action("About Eyelights", lambda: self._about(self), None,
                                      "help-about", "actionAbout")

    def _menu(self, title: str, name: str) -> QMenu:
        menu = self.menuBar().addMenu(title)
        menu.setObjectName(name)
        menu.menuAction().setObjectName(name + "Action")
        return menu

    def _init_menubar(self) -> None:
        """The menus themselves at once (the bar keeps its height); their actions in attach."""
        self.file_menu = self._menu("&File", "menuFile")
        self.edit_menu = self._menu("&Edit", "menuEdit")
        self.view_menu = self._menu("&View", "menuView")
        self.go_menu = self._menu("&Go", "menuGo")
        self.help_menu = self._menu("&Help", "menuHelp")

    def _fill_menus(self) -> None:
        from journal.ui.preferences import preferences_action

        page_actions = self.reviews_page.menu_actions()
        self._fill(self.file_menu, [*page_actions["File"], self.act_new_film,
                                    self.act_log_viewing, None, self.act_import,
                                    *self.exports.menu_actions(),
                                    None, *self.publishing.menu_actions(),
                                    None, self.act_open, self.act_sample, None, self.act_backup,
                                    None, self.act_quit])
        self.act_preferences = preferences_action(self, self.settings, journal=self.journal)
        self._fill(self.edit_menu, [self.undo.action, None, *page_actions["Edit"], None,
                                    self.act_preferences])
        self._fill(self.view_menu, [self.act_sidebar, self.act_fullscreen, None,
                                    *page_actions["View"]])
        self._fill(self.go_menu, [*self.page_actions, None, self.palette.action])
        from journal.ui.help import help_menu

        self.help = help_menu(self)
        self._fill(self.help_menu, [*self.help.actions(), None, self.act_about])

    @staticmethod
    def _fill(menu: QMenu, actions: list[QAction | None]) -> None:
        for action in actions:
            menu.addSeparator() if action is None else menu.addAction(action)

    def _init_statusbar(self, first: FirstLook | None) -> None:
        self.status_journal = QLabel(str(self._path), self)
        self.status_journal.setObjectName("statusJournal")
        self.status_counts = QLabel(self)
        self.status_counts.setObjectName("statusCounts")
        self.statusBar().addWidget(self.status_journal, 1)
        self.statusBar().addPermanentWidget(self.status_counts)
        if first is not None:
            self._show_counts(first.films, first.reviews)

    def _wire(self) -> None:
        """Every signal connection of the window, in one place (the sidebar's is made with it)."""
        self.signals.changed.connect(self._on_journal_changed)
        reviews, palette = self.reviews_page, self.palette
        self.file_menu.aboutToShow.connect(self.exports.update_enabled)
        self.file_menu.aboutToShow.connect(self.publishing.update_enabled)
        self.publishing.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.exports.exported.connect(lambda text: self.statusBar().showMessage(text, 8000))
        reviews.sample_requested.connect(self.sample_requested)
        reviews.open_film.connect(self.open_film)
        reviews.open_person.connect(self.open_person)
        reviews.create_film_requested.connect(self._create_film)
        reviews.distraction_free_changed.connect(self._set_distraction_free)
        reviews.message.connect(lambda text: self.statusBar().showMessage(text, 5000))
        from PySide6.QtGui import QGuiApplication

        from journal.ui.theme import notifier

        notifier().changed.connect(self._theme_changed)  # Preferences → Appearance
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._theme_changed)  # desktop
        palette.open_review.connect(self.open_review)
        palette.open_film.connect(self.open_film)
        palette.open_person.connect(self.open_person)

    # ------------------------------------------------------------------ behaviour
    def show_page(self, key: str) -> None:
        keys = [p.key for p in PAGES]
        self.sidebar.setCurrentRow(keys.index(key))

    def navigate(self, kind: str, ident: int) -> None:
        """Show the review, film or person ``ident`` (``kind`` as a later launch names it)."""
        openers: dict[str, Callable[[int], None]] = {
            "review": self.open_review, "film": self.open_film, "person": self.open_person}
        openers[kind](ident)

    def open_review(self, review_id: int) -> None:
        """Open a review in the editor (from links, the palette, the other pages)."""
        self.show_page("reviews")
        self.reviews_page.open_review(review_id)

    def open_film(self, film_id: int) -> None:
        """Show a film's page."""
        self.show_page("films")  # builds the page the first time
        self._page("films")
        self.films_area.show_film(film_id)

    def open_person(self, person_id: int) -> None:
        """Select a person on the People page."""
        self.show_page("people")
        self._page("people")
        self.people_page.show_person(person_id)

    def current_page_key(self) -> str:
        return PAGES[max(0, self.sidebar.currentRow())].key

    def _on_sidebar_row(self, row: int) -> None:
        if not self.attached:  # the journal is being opened: the page follows once it is
            if 0 <= row < len(PAGES):
                self.stack.setCurrentWidget(self.reviews_page if row == 0 else self._pending_page)
            return
        if 0 <= row < len(PAGES):
            self.reviews_page.flush()  # never leave a page with unsaved words
            self.stack.setCurrentWidget(self._page(PAGES[row].key))
            if PAGES[row].key == "search":
                self.search_page.focus_field()

    def _on_journal_changed(self, changes: Changes) -> None:
        if changes.reviews or changes.films or changes.trash:
            self._update_status()

    def _current_film_id(self) -> int | None:
        """The film on screen, for "Log a viewing" (its film picker starts there): the film
        page's, or the film of the review being written."""
        if self.current_page_key() == "films" and "films" not in self._placeholders \
                and self.films_area.stack.currentWidget() is self.films_area.detail:
            return self.films_area.film.film_id
        if self.current_page_key() == "reviews" and self.reviews_page.editing():
            return self.reviews_page.editor_view.form.film_id()
        return None

    def _new_review_for_film(self, film_id: int) -> None:
        self.show_page("reviews")
        self.reviews_page.new_review_for_film(film_id)

    def _show_saved_searches(self) -> None:
        """The saved searches take sidebar room only once there is one."""
        shown = self.search_page.saved_model.rowCount() > 0
        self.saved_label.setVisible(shown)
        self.search_page.saved_panel.setVisible(shown)

    def _create_film(self, title: str, year: int) -> None:
        """A ``[[New Film]]`` link was followed: add the film to the catalogue."""
        try:
            film = self.journal.films.create(title, year or None)
        except Exception as exc:
            self.errors.report(exc, "The film could not be created")
            return
        self.statusBar().showMessage(f"Added “{film.title}” to the catalogue", 5000)

    def _theme_changed(self, *_args: object) -> None:
        """Light or dark changed: the editor's highlighting and the preview follow (the rest
        follows the palette by itself, the icons included)."""
        from journal.ui.theme import theme_name

        self.reviews_page.editor_view.set_theme(theme_name())

    def _set_distraction_free(self, on: bool) -> None:
        for widget in (self.sidebar_panel, self.menuBar(), self.statusBar()):
            widget.setVisible(not on and (widget is not self.sidebar_panel
                                          or self.act_sidebar.isChecked()))

    def _update_title(self) -> None:
        ro = " (read-only)" if self._read_only else ""
        self.setWindowTitle(f"{self._path.name}{ro} — {APP_NAME}")

    def _update_status(self) -> None:
        self.status_journal.setText(str(self.journal.path))
        self._show_counts(self.journal.films.count(), self.journal.reviews.count())

    def _show_counts(self, films: int, reviews: int) -> None:
        self.status_counts.setText(f"{count(films, 'film')} · {count(reviews, 'review')}")

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
        self.reviews_page.flush()
        self.save_state()
        super().closeEvent(event)
