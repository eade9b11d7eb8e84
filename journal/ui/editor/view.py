"""One review being written: the form, the Markdown editor with its find bar and toolbar, the
live preview, autosave and revisions, put together."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from journal.core import preferences, spellcheck
from journal.core.journal import Journal
from journal.core.render import DEFAULT_REVIEW_TEMPLATE, ReviewDocument
from journal.core.words import count
from journal.errors import ValidationError
from journal.ui import module_sources
from journal.ui.autosave import Autosaver
from journal.ui.bridge import Worker
from journal.ui.editor import formatting
from journal.ui.editor.findbar import FindBar
from journal.ui.editor.widget import MarkdownEditor
from journal.ui.errors import ErrorReporter
from journal.ui.preview import CatalogueResolver, PreviewPane
from journal.ui.review_form import ReviewForm
from journal.ui.revisions import RevisionsDialog
from journal.ui.theme import theme_name


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
        self.form = ReviewForm(journal, self)
        self.editor = MarkdownEditor(self, theme_name())
        self.findbar = FindBar(self.editor, self)
        self.findbar.before_replace_all = lambda: self.autosaver.snapshot("before replace all")
        self.preview = PreviewPane(resolver or CatalogueResolver(journal), self)
        self.autosaver = Autosaver(journal, self)
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
        self.side_tabs.addTab(self.preview, "Preview")
        self.side_tabs.addTab(self.comments, "Comments")
        self.comments.counts_changed.connect(self._show_comment_counts)
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
        self.editor.textChanged.connect(self._on_text_changed)
        self.form.changed.connect(self._on_edit)
        self.form.film_changed.connect(self._on_film_changed)
        self.form.language_combo.activated.connect(lambda _i: self._apply_language())
        self.editor.focus_lost.connect(self.autosaver.save_now)
        self.editor.stats_changed.connect(self._show_stats)
        self.editor.top_line_changed.connect(self.preview.scroll_to_line)
        self.preview.source_line_at_top.connect(self.editor.scroll_to_line)
        self.preview.open_film.connect(self.open_film)
        self.preview.create_film_requested.connect(self.create_film_requested)
        self.autosaver.state_changed.connect(self.save_label.setText)
        self.autosaver.created.connect(self._on_created)
        self.autosaver.failed.connect(lambda exc: self.errors.report(exc, "Not saved"))

    # ------------------------------------------------------------------ loading
    def open_review(self, review_id: int) -> None:
        self.flush()
        review = self.journal.reviews.get(review_id)
        self._load(review.id, review.body, lambda: self.form.load(review))

    def new_review(self, film_id: int | None = None, body: str | None = None) -> None:
        """A new review from the template; it is created in the journal on its first save."""
        self.flush()
        if self.preferences is not None:
            self.template = preferences.load_template(self.preferences)
        self._load(None, self.template if body is None else body,
                   lambda: self._load_new_form(film_id))
        self.autosaver.dirty = True  # the template counts as content once a film is chosen
        if film_id is not None:
            self.autosaver.save_now()
        else:
            self.form.film_combo.setFocus()

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
        self.preview.request(self.document(), immediate=True)
        self._apply_language()

    def reload_from_journal(self) -> None:
        """Show the stored text again (after a revision was restored)."""
        if self.review_id is not None:
            review = self.journal.reviews.get(self.review_id)
            self._load(review.id, review.body, lambda: self.form.load(review))

    # ------------------------------------------------------------------ edits
    def _on_text_changed(self) -> None:
        if not self.editor.highlighter.rehighlighting:  # a re-highlight is not an edit
            self._on_edit()

    def _on_edit(self) -> None:
        if self._loading:
            return
        self.autosaver.mark_dirty()
        self.preview.request(self.document())

    def _on_film_changed(self, _film_id: int) -> None:
        self._film_cache = (None, "", None, [])

    def _show_comment_counts(self, total: int, unread: int) -> None:
        label = f"Comments ({unread} new)" if unread else (
            f"Comments ({total})" if total else "Comments")
        self.side_tabs.setTabText(self.side_tabs.indexOf(self.comments), label)

    def _on_created(self, review_id: int) -> None:
        self.review_id = review_id
        self.comments.set_review(review_id)
        self.review_created.emit(review_id)

    def collect(self) -> dict[str, object]:
        values: dict[str, object] = dict(self.form.values())
        values.update(body=self.editor.toPlainText(), film_id=self.form.film_id(),
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
            eyesores=self.form.eyesores_edit.text(), body=self.editor.toPlainText(),
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
        if self.preview.result is None and not self._waiting_preview:
            # The first review opened: its preview first, then the dictionary (~0.1 s of a
            # core, loaded once): the underlines follow the preview by a moment.
            self._waiting_preview = True
            self.preview.updated.connect(self._preview_then_language)
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
        self._waiting_preview = False
        self._apply_language()

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
