"""One review being written: the form, the Markdown editor with its find bar and toolbar, the
live preview, autosave and revisions, put together."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QSplitter,
    QTabWidget,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from journal.core import preferences, spellcheck
from journal.core.journal import Journal
from journal.core.outline import SPOILER_LEVEL, outline
from journal.core.render import DEFAULT_REVIEW_TEMPLATE, ReviewDocument
from journal.core.render.template import first_placeholder
from journal.core.words import count
from journal.errors import EyelightsError, ValidationError
from journal.ui import module_sources
from journal.ui.autosave import Autosaver
from journal.ui.bridge import Worker
from journal.ui.editor import formatting, utf16
from journal.ui.editor.findbar import FindBar
from journal.ui.editor.place import Place, load_place, save_place
from journal.ui.editor.widget import MarkdownEditor
from journal.ui.errors import ErrorReporter
from journal.ui.kept_page import PageKeeper
from journal.ui.preview import Caret, CatalogueResolver, PreviewPane
from journal.ui.review_form import ReviewForm
from journal.ui.revisions import RevisionsDialog
from journal.ui.theme import theme_name
from journal.ui.timing import after_next_paint


class ReviewEditorView(QWidget):
    open_film = Signal(int)
    create_film_requested = Signal(str, int)
    review_created = Signal(int)
    distraction_free_changed = Signal(bool)

    def __init__(self, journal: Journal, errors: ErrorReporter,
                 resolver: CatalogueResolver | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.journal, self.errors = journal, errors
        self.setObjectName("reviewEditorView")
        self.setAccessibleName("Review editor")
        self.template = DEFAULT_REVIEW_TEMPLATE
        #: The app's QSettings: when set, a new review starts from the template and spelling
        #: language chosen in Preferences (read each time, so a change applies at once).
        self.preferences: preferences.SettingsStore | None = None
        self.review_id: int | None = None
        self.distraction_free = False
        self._loading = False
        self._film_cache: tuple[int | None, str, int | None, list[str]] = (None, "", None, [])
        self._spell_workers: list[Worker] = []
        self._waiting_preview = False
        self._preview_drawn = False  # the dictionary waits for the first preview drawn
        self.form = ReviewForm(journal, self)
        self.editor = MarkdownEditor(self, theme_name())
        self.findbar = FindBar(self.editor, self)
        self.findbar.before_replace_all = lambda: self.autosaver.snapshot("before replace all")
        self.preview = PreviewPane(resolver or CatalogueResolver(journal), self)
        self.preview.editor_top_line = self.editor.top_line
        self._edit_span = (0, 0)  # where the document last changed: (position, end)
        self.autosaver = Autosaver(journal, self)
        self.keeper = PageKeeper(self)  # kept pages: shown on opening, kept on saving
        self._build_toolbar()
        self._build_layout()
        self._wire()

    # ------------------------------------------------------------------ construction
    def _act(self, text: str, name: str, slot: Callable[[], object],
             shortcut: str | QKeySequence.StandardKey | None = None) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.setToolTip(f"{text} ({QKeySequence(shortcut).toString()})")
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_toolbar(self) -> None:
        e = self.editor
        self.act_bold = self._act("Bold", "actionBold",
                                  lambda: formatting.wrap(e, "**", "**", "bold"), "Ctrl+B")
        self.act_italic = self._act("Italic", "actionItalic",
                                    lambda: formatting.wrap(e, "*", "*", "italic"), "Ctrl+I")
        self.act_heading = self._act("Heading", "actionHeading",
                                     lambda: formatting.cycle_heading(e), "Ctrl+Shift+H")
        self.act_quote = self._act("Quote", "actionQuote",
                                   lambda: formatting.toggle_prefix(e, "> "), "Ctrl+Shift+Q")
        self.act_link = self._act("Link", "actionLink", lambda: formatting.insert_link(e),
                                  "Ctrl+K")
        self.act_spoiler = self._act("Spoiler section", "actionSpoilerSection",
                                     lambda: formatting.spoiler_section(e), "Ctrl+Shift+S")
        self.act_film_link = self._act("Film link", "actionFilmLink",
                                       lambda: formatting.insert_film_link(e), "Ctrl+Shift+L")
        self.toolbar = QToolBar("Formatting", self)
        self.toolbar.setObjectName("formattingToolbar")
        self.toolbar.setAccessibleName("Formatting")
        self.toolbar.toggleViewAction().setObjectName("actionShowFormattingToolbar")
        for action in (self.act_bold, self.act_italic, self.act_heading, self.act_quote,
                       self.act_link, self.act_spoiler, self.act_film_link):
            self.toolbar.addAction(action)
        self._build_outline()

    def _build_outline(self) -> None:
        """The outline: the review's headings and spoiler sections; choosing one goes there.
        A toolbar button, and Ctrl+Shift+O (VS Code's "go to symbol") at the caret."""
        self.outline_menu = QMenu("Outline", self)
        self.outline_menu.setObjectName("outlineMenu")
        self.outline_menu.setAccessibleName("Outline of the review")
        self.outline_menu.aboutToShow.connect(self._fill_outline)
        self.outline_button = QToolButton(self)
        self.outline_button.setObjectName("outlineButton")
        self.outline_button.setText("Outline")
        self.outline_button.setAccessibleName("Outline: go to a section")
        self.outline_button.setToolTip("Go to a heading or spoiler section (Ctrl+Shift+O)")
        self.outline_button.setMenu(self.outline_menu)
        self.outline_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.toolbar.addSeparator()
        self.toolbar.addWidget(self.outline_button)
        self.act_outline = self._act("Outline", "actionOutline", self.show_outline,
                                     "Ctrl+Shift+O")

    def show_outline(self) -> None:
        """Pop the outline up at the caret (the keyboard's way in)."""
        rect = self.editor.cursorRect()
        self.outline_menu.popup(self.editor.viewport().mapToGlobal(rect.bottomLeft()))

    def _fill_outline(self) -> None:
        menu = self.outline_menu
        menu.clear()
        entries = outline(self.editor.toPlainText())
        if not entries:
            empty = menu.addAction("No headings yet: a line starting with ## is one")
            empty.setEnabled(False)
            return
        levels = [e.level for e in entries if e.level != SPOILER_LEVEL]
        top = min(levels) if levels else 1
        caret_line = self.editor.textCursor().blockNumber() + 1
        current = None
        for entry in entries:
            if entry.level == SPOILER_LEVEL:
                text = f"⚠ {entry.title}"
            else:
                text = "    " * (entry.level - top) + (entry.title or "(untitled heading)")
            action = menu.addAction(text.replace("&", "&&"))
            action.setData(entry.line)
            action.triggered.connect(lambda _=False, line=entry.line: self.go_to_line(line))
            if entry.line <= caret_line:
                current = action
        if current is not None:
            menu.setActiveAction(current)  # the section the caret is in

    def go_to_line(self, line: int) -> None:
        """Caret at the start of source line ``line``, shown at the top of the editor and the
        preview."""
        block = self.editor.document().findBlockByNumber(max(0, line - 1))
        if not block.isValid():
            return
        cursor = QTextCursor(block)
        self.editor.setTextCursor(cursor)
        self.editor.scroll_to_line(line)
        self.preview.scroll_to_line(line)
        self.editor.setFocus()

    def _build_layout(self) -> None:
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(2)
        left_layout.addWidget(self.toolbar)
        left_layout.addWidget(self.editor, 1)
        left_layout.addWidget(self.findbar)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("editorSplitter")
        self.splitter.addWidget(left)
        from journal.ui.comments_panel import CommentsPanel

        # the preview and, behind a tab, the readers' comments (docs/publishing.md)
        self.comments = CommentsPanel(self.journal, self.errors, self)
        self.side_tabs = QTabWidget(self)
        self.side_tabs.setObjectName("previewTabs")
        self.side_tabs.setAccessibleName("Preview and comments")
        self.side_tabs.addTab(self.preview, "&Preview")  # Alt+P, Alt+C from the editor
        self.side_tabs.addTab(self.comments, "&Comments")
        self.comments.counts_changed.connect(self._show_comment_counts)
        self.side_tabs.currentChanged.connect(
            lambda i: self.comments.focus_thread() if self.side_tabs.widget(i) is self.comments
            else None)
        self.splitter.addWidget(self.side_tabs)
        self.splitter.setSizes([600, 500])
        self.stats_label = QLabel(self)
        self.stats_label.setObjectName("editorStats")
        self.stats_label.setAccessibleName("Word count")
        self.save_label = QLabel(self)
        self.save_label.setObjectName("saveState")
        self.save_label.setAccessibleName("Save state")
        self.spell_label = QLabel(self)  # why spelling is not checked, when it is not
        self.spell_label.setObjectName("spellStatus")
        self.spell_label.setAccessibleName("Spell checking")
        self.spell_label.hide()
        status = QHBoxLayout()
        status.setContentsMargins(6, 0, 6, 2)
        status.addWidget(self.stats_label, 1)
        status.addWidget(self.spell_label)
        status.addWidget(self.save_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.form)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(status)

    def _wire(self) -> None:
        # the highlighter's pass waits while the preview renders and the writer types
        self.editor.highlighter.hold = lambda: self.preview.rendering
        self.editor.document().contentsChange.connect(self._on_contents_change)
        self.editor.textChanged.connect(self._on_text_changed)
        # a save that found the editor's copy wrong: the preview was drawn from that copy
        self.editor.mirror.mended.connect(lambda: self.preview.request(self.document()))
        self.form.changed.connect(self._on_edit)
        self.form.film_changed.connect(self._on_film_changed)
        self.form.language_combo.activated.connect(lambda _i: self._apply_language())
        self.editor.focus_lost.connect(self.autosaver.save_now)
        self.editor.stats_changed.connect(self._show_stats)
        self.editor.top_line_changed.connect(self._editor_scrolled)
        self.preview.source_line_at_top.connect(self.editor.scroll_to_line)
        self.preview.open_film.connect(self.open_film)
        self.preview.create_film_requested.connect(self.create_film_requested)
        self.autosaver.state_changed.connect(self.save_label.setText)
        self.autosaver.created.connect(self._on_created)
        # each save also keeps the caret's place: after a crash the app reopens where the
        # writer was typing, not where they were when they last switched page
        self.autosaver.saved.connect(lambda _id: self.remember_place())
        self.autosaver.failed.connect(lambda exc: self.errors.report(exc, "Not saved"))

    # ------------------------------------------------------------------ loading
    def open_review(self, review_id: int) -> None:
        self.flush()
        review = self.journal.reviews.get(review_id)
        self._load(review.id, review.body, lambda: self.form.load(review))
        self.remember_place()

    def new_review(self, film_id: int | None = None, body: str | None = None) -> None:
        """A new review from the template; it is created in the journal on its first save."""
        self.flush()
        if self.preferences is not None:
            self.template = preferences.load_template(self.preferences)
        self._load(None, self.template if body is None else body,
                   lambda: self._load_new_form(film_id))
        if body is None:
            self._select_placeholder()
        if film_id is not None:  # "New review" of a film: it exists at once
            self.autosaver.dirty = True
            self.autosaver.save_now()
        else:  # saved (as a draft with no film yet) from the first keystroke on
            self.form.film_combo.setFocus()

    def _select_placeholder(self) -> None:
        """A review from the template starts with its first placeholder selected (the opening
        quote's words: ``first_placeholder``), so that what the writer types replaces it and
        keeps the quote's marks around it, instead of landing before the ``>``."""
        text = self.editor.toPlainText()
        found = first_placeholder(text)
        if found is None:
            return
        units = utf16.offsets(text)
        start, end = (units[found[0]], units[found[1]]) if units else found
        cursor = self.editor.textCursor()
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        self.editor.setTextCursor(cursor)

    def _load_new_form(self, film_id: int | None) -> None:
        self.form.load(None, film_id)
        if self.preferences is not None:
            combo = self.form.language_combo
            language = preferences.load_language(self.preferences)
            combo.setCurrentIndex(max(0, combo.findData(language)))

    def _load(self, review_id: int | None, body: str, load_form: Callable[[], None]) -> None:
        self._loading = True
        try:
            self.review_id = review_id
            load_form()
            self.editor.set_text(body)
        finally:
            self._loading = False
        self._film_cache = (None, "", None, [])
        self.comments.set_review(review_id)
        self.autosaver.attach(review_id, self.collect)
        self.preview.revealed.clear()
        self.preview.new_document()
        if not self.keeper.show(review_id):  # its kept page, if it is this text's: no render
            self.preview.request(self.document(), immediate=True)
        self._apply_language()

    def reload_from_journal(self) -> None:
        """Show the stored text again (after a revision was restored)."""
        if self.review_id is not None:
            review = self.journal.reviews.get(self.review_id)
            self._load(review.id, review.body, lambda: self.form.load(review))

    def _editor_scrolled(self, line: int) -> None:
        """Editor → preview: the same source line at the top; the editor scrolled down to its
        last line (Ctrl+End, the wheel) shows the preview's end too — the rendering is taller, and
        lining up the top lines would leave the review's last lines below the preview."""
        if self.editor.verticalScrollBar().value() > 0 \
                and self.editor.visible_blocks()[1] >= self.editor.blockCount() - 1:
            self.preview.scroll_to_end()
        else:
            self.preview.scroll_to_line(line)

    # ------------------------------------------------------------------ edits
    def _on_contents_change(self, position: int, _removed: int, added: int) -> None:
        self._edit_span = (position, position + added)

    def _on_text_changed(self) -> None:
        if not self.editor.highlighter.rehighlighting:  # a re-highlight is not an edit
            start, end = self._edit_span
            typed = start <= self.editor.textCursor().position() <= end
            self._on_edit(self._caret() if typed else None)

    def _caret(self) -> Caret:
        """Where the writer types, for the preview to keep it in view."""
        cursor = self.editor.textCursor()
        block = cursor.block()
        along = min(1.0, cursor.positionInBlock() / max(1, block.length() - 1))
        view_height = max(1, self.editor.viewport().height())
        height = min(0.9, max(0.1, self.editor.cursorRect(cursor).center().y() / view_height))
        return Caret(block.blockNumber() + 1, along, height)

    def _on_edit(self, caret: Caret | None = None) -> None:
        if self._loading:
            return
        self.autosaver.mark_dirty()
        self.preview.request(self.document(), caret=caret)

    def _on_film_changed(self, _film_id: int) -> None:
        self._film_cache = (None, "", None, [])

    def _show_comment_counts(self, total: int, unread: int) -> None:
        label = f"&Comments ({unread} new)" if unread else (
            f"&Comments ({total})" if total else "&Comments")
        self.side_tabs.setTabText(self.side_tabs.indexOf(self.comments), label)

    def _on_created(self, review_id: int) -> None:
        self.review_id = review_id
        self.remember_place()
        self.comments.set_review(review_id)
        self.review_created.emit(review_id)

    def collect(self) -> dict[str, object]:
        values: dict[str, object] = dict(self.form.values())
        values.update(body=self.editor.text_to_store(), film_id=self.form.film_id(),
                      tags=self.form.tags())
        return values

    def _film_info(self) -> tuple[str, int | None, list[str]]:
        film_id = self.form.film_id()
        if self._film_cache[0] != film_id or film_id is None:
            if film_id is None:
                return self.form.film_combo.currentText(), None, []
            film = self.journal.films.get(film_id)
            self._film_cache = (film_id, film.title, film.year, self.journal.films.directors(film))
        return self._film_cache[1], self._film_cache[2], self._film_cache[3]

    def document(self) -> ReviewDocument:
        title, year, directors = self._film_info()
        try:
            score = self.form.score()
        except ValidationError:
            score = None
        viewing = self.form.viewing_combo.currentText() if self.form.viewing_id() else ""
        return ReviewDocument(
            title=self.form.title_edit.text(), film_title=title, film_year=year,
            directors=directors, score=score, eyelights=self.form.eyelights_edit.text(),
            eyesores=self.form.eyesores_edit.text(), body=self.editor.text(),
            viewing_date=self._viewing_iso() if viewing else None, tags=self.form.tags(),
            status=str(self.form.status_combo.currentData()))

    def _viewing_iso(self) -> str | None:
        viewing_id = self.form.viewing_id()
        return self.journal.viewings.get(viewing_id).watched_on if viewing_id else None

    def _show_stats(self, words: int, chars: int, minutes: int) -> None:
        self.stats_label.setText(f"{count(words, 'word')} · {count(chars, 'character')} · "
                                 f"{minutes} min read")

    # ------------------------------------------------------------------ spelling
    def _apply_language(self) -> None:
        lang = self.form.language()
        if spellcheck.is_loaded(lang):
            self._language_loaded(lang, None)
            return
        if not self._preview_drawn and not self._waiting_preview:
            # The first review opened: its preview drawn first (rendered, or its kept page),
            # then the dictionary (~0.1 s of a core, loaded once): the underlines follow the
            # preview by a moment.
            self._waiting_preview = True
            if self.preview.result is None:
                self.preview.updated.connect(self._preview_then_language)
            else:  # its kept page is on screen already
                self._after_preview_drawn()
            return
        def load(_token: object) -> str:
            tag = spellcheck.load(lang)
            module_sources.forget()  # Enchant's imports are done
            return tag

        worker = Worker(load, self)
        worker.finished.connect(lambda _r, w=worker: self._language_loaded(lang, w))
        worker.failed.connect(lambda exc, w=worker: self._language_failed(exc, w))
        self._spell_workers.append(worker)
        worker.start()

    def _preview_then_language(self) -> None:
        self.preview.updated.disconnect(self._preview_then_language)
        self._after_preview_drawn()

    def _after_preview_drawn(self) -> None:
        """Load the dictionary once the preview has painted (at once if it cannot: hidden)."""
        def drawn() -> None:
            if not self._preview_drawn:
                self._preview_drawn = True
                self._waiting_preview = False
                self._apply_language()

        def wait() -> None:  # once the page has shown the editor (a kept page: same turn)
            viewport = self.preview.browser.viewport()
            if viewport.isVisible():
                after_next_paint(viewport, drawn)
                QTimer.singleShot(1000, self, drawn)  # a paint that never comes (minimised)
            else:
                drawn()

        # ``self`` as the timers' context: a view closed before they fire drops them
        QTimer.singleShot(0, self, wait)

    def _language_loaded(self, lang: str, worker: Worker | None) -> None:
        if worker is not None:
            self._spell_workers.remove(worker)
        if self.form.language() == lang:
            self.spell_label.hide()
            self.editor.highlighter.set_language(lang)

    def _language_failed(self, exc: object, worker: Worker) -> None:
        """No dictionary for the language (or no Enchant): said beside the word count, not in a
        dialog each time a review opens; nothing is underlined."""
        self._spell_workers.remove(worker)
        if isinstance(exc, spellcheck.NoDictionary):
            self.editor.highlighter.set_language(None)
            self.spell_label.setText(exc.message)
            self.spell_label.setToolTip(exc.message)
            self.spell_label.show()
        elif isinstance(exc, Exception):
            self.errors.report(exc, "Spell checking is not available")

    # ------------------------------------------------------------------ commands
    def flush(self) -> bool:
        """Save now (before close, page switch, or another review is opened)."""
        return self.autosaver.save_now()

    def remember_place(self, *, open_: bool = True) -> None:
        """Keep the open review and its caret in the settings (``open_`` False: none is open)."""
        if self.preferences is None:
            return
        place = Place(self.review_id, self.editor.textCursor().position()) \
            if open_ and self.review_id is not None else None
        save_place(self.preferences, self.journal.path, place)

    def reopen_place(self) -> int | None:
        """Open the review that was open when the app last closed on this journal, caret where
        it was; the review id, or None (none was open, or it is gone)."""
        place = load_place(self.preferences, self.journal.path) if self.preferences else None
        if place is None:
            return None
        try:
            self.open_review(place.review_id)
        except EyelightsError:  # deleted since, or in the Trash
            return None
        cursor = self.editor.textCursor()
        # Qt counts positions in UTF-16 units: an emoji is two, so the clamp is Qt's own length
        cursor.setPosition(min(place.caret, self.editor.document().characterCount() - 1))
        self.editor.setTextCursor(cursor)
        self.editor.centerCursor()
        return place.review_id

    def show_revisions(self) -> RevisionsDialog | None:
        if self.review_id is None or not self.flush():
            return None
        dialog = RevisionsDialog(self.journal, self.review_id, self.editor.toPlainText, self)
        dialog.restored.connect(lambda _id: self.reload_from_journal())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def set_focus_mode(self, on: bool) -> None:
        self.editor.set_focus_mode(on)

    def set_distraction_free(self, on: bool) -> None:
        self.distraction_free = on
        for widget in (self.form, self.side_tabs, self.toolbar):
            widget.setVisible(not on)
        self.editor.setFocus()
        self.distraction_free_changed.emit(on)

    def set_theme(self, theme: str) -> None:
        self.editor.highlighter.set_theme(theme)
        self.preview.refresh()
