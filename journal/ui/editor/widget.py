"""The Markdown editor: a QPlainTextEdit with highlighting, readable width, focus mode, zoom,
spell-check suggestions in the context menu, and text statistics."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QFocusEvent,
    QFontDatabase,
    QKeyEvent,
    QResizeEvent,
    QTextBlock,
    QTextCursor,
    QTextFormat,
)
from PySide6.QtWidgets import QMenu, QPlainTextEdit, QTextEdit, QWidget

from journal.core import spellcheck
from journal.ui.editor import lists, utf16
from journal.ui.editor.highlighter import IN_FENCE, MarkdownHighlighter
from journal.ui.editor.mirror import TextMirror

READABLE_COLUMNS = 80
WORDS_PER_MINUTE = 230
STATS_DELAY_MS = 250
#: A long text's words are counted paragraph by paragraph, this long per event-loop turn
#: (a 1 MB text copied and split at once took 18-40 ms on the GUI thread at every pause).
STATS_SLICE_MS = 3.0


def text_stats(text: str) -> tuple[int, int, int]:
    """(words, characters, reading minutes rounded up; 0 for an empty text)."""
    words = len(text.split())
    return words, len(text), math.ceil(words / WORDS_PER_MINUTE) if words else 0


class MarkdownEditor(QPlainTextEdit):
    focus_lost = Signal()
    stats_changed = Signal(int, int, int)  # words, characters, reading minutes
    top_line_changed = Signal(int)  # 1-based source line at the top of the viewport

    def __init__(self, parent: QWidget | None = None, theme: str = "light") -> None:
        super().__init__(parent)
        self.setObjectName("markdownEditor")
        self.setAccessibleName("Review text")
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setTabChangesFocus(False)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont)
        font.setPointSizeF(max(font.pointSizeF(), 10.0) + 1.5)
        self.setFont(font)
        self.base_point_size = font.pointSizeF()
        self.highlighter = MarkdownHighlighter(self.document(), theme)
        self.mirror = TextMirror(self.document())  # the text without toPlainText() at each key
        self.highlighter.visible_blocks = self.visible_blocks
        self.focus_mode = False
        self._stats_timer = QTimer(self, singleShot=True, interval=STATS_DELAY_MS)
        self._stats_timer.timeout.connect(self._emit_stats)
        self._count_timer = QTimer(self, interval=0)
        self._count_timer.timeout.connect(self._count_step)
        self._counted: tuple[QTextBlock, int, int] | None = None  # (next block, words, chars)
        self.textChanged.connect(self._on_text_changed)
        self.cursorPositionChanged.connect(self._update_focus)
        self.verticalScrollBar().valueChanged.connect(self._on_scroll)
        self._syncing = False

    # ------------------------------------------------------------------ text
    def set_text(self, text: str) -> None:
        """Replace the whole text (not undoable), cursor at the start. A long text shows its
        first screen highlighted at once and the rest as the highlighter's pass gets there."""
        with self.highlighter.new_text(len(text)):
            self.setPlainText(text)
        self.moveCursor(QTextCursor.MoveOperation.Start)
        self.highlighter.highlight_visible()
        if len(text) < self.highlighter.sync_chars:
            self._emit_stats()
        else:  # counting a long text's words takes a while: after the first paint
            self._stats_timer.start()

    def _on_text_changed(self) -> None:
        if not self.highlighter.rehighlighting:  # new formats, same text
            self._count_timer.stop()  # (its next block may be gone)
            self._counted = None
            self._stats_timer.start()

    def text(self) -> str:
        """``toPlainText()``, kept edit by edit (``mirror.py``): no copy of the document."""
        return self.mirror.text

    def text_to_store(self) -> str:
        """What a save stores: the document's own ``toPlainText()`` (``TextMirror.stored``)."""
        return self.mirror.stored()

    def _emit_stats(self) -> None:
        if self.document().characterCount() < self.highlighter.sync_chars:
            self.stats_changed.emit(*text_stats(self.toPlainText()))
            return
        self._counted = (self.document().begin(), 0, 0)  # counted from the event loop
        self._count_timer.start()

    def _count_step(self) -> None:
        """Count the next paragraphs' words and characters (``text_stats`` of the whole text:
        a paragraph break is a space, ``toPlainText`` gives each character as one)."""
        if self._counted is None:
            self._count_timer.stop()
            return
        block, words, chars = self._counted
        deadline = time.perf_counter() + STATS_SLICE_MS / 1000
        while block.isValid():  # (50 paragraphs at least)
            for _ in range(50):
                text = block.text()
                words += len(text.split())
                chars += len(text) + 1
                block = block.next()
                if not block.isValid():
                    break
            if time.perf_counter() >= deadline:
                break
        if block.isValid():
            self._counted = (block, words, chars)
            return
        self._count_timer.stop()
        self._counted = None
        self.stats_changed.emit(words, chars - 1,
                                math.ceil(words / WORDS_PER_MINUTE) if words else 0)

    # ------------------------------------------------------------------ readable width, zoom
    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self._update_margins()
        self.highlighter.highlight_visible()  # a taller view shows blocks the pass has not done

    def _update_margins(self) -> None:
        readable = self.fontMetrics().horizontalAdvance("n") * READABLE_COLUMNS
        spare = self.width() - readable - 2 * self.frameWidth() - 24
        side = max(8, spare // 2)
        if self.viewportMargins().left() == side:
            return
        self.setViewportMargins(side, 8, side, 8)
        # The text was laid out for the old viewport width: wrap again for the new one (else
        # lines overflow the viewport by the margins' change and get clipped).
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)

    def zoom(self, steps: int) -> None:
        font = self.font()
        size = min(48.0, max(6.0, font.pointSizeF() + steps))
        font.setPointSizeF(size)
        self.setFont(font)
        self._update_margins()

    def reset_zoom(self) -> None:
        self.zoom(int(round(self.base_point_size - self.font().pointSizeF())))

    @property
    def zoom_steps(self) -> int:
        return int(round(self.font().pointSizeF() - self.base_point_size))

    # ------------------------------------------------------------------ focus mode
    def set_focus_mode(self, on: bool) -> None:
        self.focus_mode = on
        self._update_focus()

    def _update_focus(self) -> None:
        if not self.focus_mode:
            if self.extraSelections():
                self.setExtraSelections([])
            return
        start, end = self._paragraph_bounds()
        dim = QColor(self.palette().text().color())
        dim.setAlphaF(0.3)
        selections = []
        for a, b in ((0, start), (end, self.document().characterCount() - 1)):
            if b <= a:
                continue
            sel = QTextEdit.ExtraSelection()
            sel.cursor = QTextCursor(self.document())
            sel.cursor.setPosition(a)
            sel.cursor.setPosition(b, QTextCursor.MoveMode.KeepAnchor)
            sel.format.setForeground(dim)
            selections.append(sel)
        self.setExtraSelections(selections)

    def _paragraph_bounds(self) -> tuple[int, int]:
        """Positions of the paragraph (run of non-blank lines) holding the cursor."""
        block = self.textCursor().block()
        first = last = block
        while first.previous().isValid() and first.previous().text().strip():
            first = first.previous()
        while last.next().isValid() and last.next().text().strip():
            last = last.next()
        return first.position(), last.position() + last.length() - 1

    def dimmed_ranges(self) -> list[tuple[int, int]]:
        return [(s.cursor.selectionStart(), s.cursor.selectionEnd())
                for s in self.extraSelections()
                if s.format.hasProperty(QTextFormat.Property.ForegroundBrush)]

    # ------------------------------------------------------------------ scroll sync
    def top_line(self) -> int:
        return self.firstVisibleBlock().blockNumber() + 1

    def scroll_to_line(self, line: int) -> None:
        """Put source line ``line`` (1-based) at the top, without echoing top_line_changed."""
        block = self.document().findBlockByNumber(max(0, line - 1))
        if not block.isValid():
            return
        self._syncing = True
        try:
            self.verticalScrollBar().setValue(block.firstLineNumber())
        finally:
            self._syncing = False

    def _on_scroll(self, _value: int) -> None:
        self.highlighter.highlight_visible()
        if not self._syncing:
            self.top_line_changed.emit(self.top_line())

    def visible_blocks(self) -> tuple[int, int]:
        """Numbers of the first and last blocks at least partly on screen."""
        block = self.firstVisibleBlock()
        first = last = block.blockNumber()
        offset = self.contentOffset()
        bottom = self.viewport().rect().bottom()
        while block.isValid() and self.blockBoundingGeometry(block).translated(offset).top() \
                <= bottom:
            last = block.blockNumber()
            block = block.next()
        return first, last

    # ------------------------------------------------------------------ spelling
    def misspelt_word_at(self, position: int) -> QTextCursor | None:
        """A cursor selecting the misspelt word at ``position``, or None."""
        lang = self.highlighter.language
        if not lang or not spellcheck.is_loaded(lang):
            return None
        block = self.document().findBlock(position)
        offset = position - block.position()
        table = utf16.offsets(block.text())  # the words' indices are Python's, positions Qt's
        for start, length, word in spellcheck.iter_words(block.text()):
            start, end = (table[start], table[start + length]) if table else \
                (start, start + length)
            if start <= offset <= end:
                if word in self.highlighter.ignored or spellcheck.is_correct(word, lang):
                    return None
                cursor = QTextCursor(block)
                cursor.setPosition(block.position() + start)
                cursor.setPosition(block.position() + end, QTextCursor.MoveMode.KeepAnchor)
                return cursor
        return None

    def spelling_menu(self, pos: QPoint) -> QMenu:
        """The standard context menu, with suggestions first when a misspelt word is there."""
        menu = self.createStandardContextMenu(pos)
        menu.setObjectName("editorContextMenu")
        cursor = self.misspelt_word_at(self.cursorForPosition(pos).position())
        lang = self.highlighter.language
        if cursor is None or lang is None:
            return menu
        word = cursor.selectedText()
        first = menu.actions()[0] if menu.actions() else None
        items: list[QAction] = []
        for suggestion in spellcheck.suggestions(word, lang):
            action = QAction(suggestion, menu)
            action.setObjectName("spellSuggestion")
            action.triggered.connect(self._replacer(cursor, suggestion))
            items.append(action)
        if not items:
            none = QAction("(no suggestions)", menu)
            none.setEnabled(False)
            items.append(none)
        ignore = QAction(f"Ignore “{word}”", menu)
        ignore.setObjectName("spellIgnore")
        ignore.triggered.connect(lambda _=False, w=word: self.ignore_word(w))
        items.append(ignore)
        add = QAction(f"Add “{word}” to the dictionary", menu)
        add.setObjectName("spellAdd")
        add.triggered.connect(lambda _=False, w=word, lg=lang: self.add_word(w, lg))
        items.append(add)
        menu.insertActions(first, items)
        menu.insertSeparator(first)
        return menu

    def _replacer(self, cursor: QTextCursor, word: str) -> Callable[[], None]:
        saved = QTextCursor(cursor)
        return lambda *_args: self.replace_word(saved, word)

    def replace_word(self, cursor: QTextCursor, replacement: str) -> None:
        cursor.beginEditBlock()
        cursor.insertText(replacement)
        cursor.endEditBlock()

    def ignore_word(self, word: str) -> None:
        """Accept ``word`` in this editor until it closes."""
        self.highlighter.ignored.add(word)
        self.highlighter.rehighlight()

    def add_word(self, word: str, lang: str) -> None:
        """Accept ``word`` in every review of ``lang``'s language, in later sessions too."""
        spellcheck.add_word(word, lang)
        self.highlighter.rehighlight()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 (Qt API)
        menu = self.spelling_menu(event.pos())
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(event.globalPos())

    # ------------------------------------------------------------------ lists and quotes
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        if not self.isReadOnly() and self._list_key(event):
            event.accept()
            return
        super().keyPressEvent(event)

    def _list_key(self, event: QKeyEvent) -> bool:
        """Return continues a list or quote, Tab / Shift+Tab indent list items (lists.py)."""
        key, mods = event.key(), event.modifiers()
        plain = mods in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain:
            return self._continue_list()
        if key == Qt.Key.Key_Tab and mods == Qt.KeyboardModifier.NoModifier:
            return self._shift_items(lists.indent)
        if key == Qt.Key.Key_Backtab:
            return self._shift_items(lists.outdent)
        return False

    def _in_code(self, cursor: QTextCursor) -> bool:
        """Inside a fenced code block, as the highlighter last saw it."""
        previous = cursor.block().previous()
        return previous.isValid() and previous.userState() == IN_FENCE

    def _continue_list(self) -> bool:
        cursor = self.textCursor()
        if cursor.hasSelection() or self._in_code(cursor):
            return False
        action = lists.on_return(cursor.block().text(), cursor.positionInBlock())
        if action is None:
            return False
        cursor.beginEditBlock()  # one undo step
        if action.keep is not None:  # the list (quote) ends: this empty item's marker goes
            cursor.movePosition(QTextCursor.MoveOperation.StartOfBlock)
            cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock,
                                QTextCursor.MoveMode.KeepAnchor)
            cursor.insertText(action.keep)
        cursor.insertText("\n" + action.start)
        cursor.endEditBlock()
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
        return True

    def _shift_items(self, change: Callable[[str], str]) -> bool:
        """Indent or outdent the list items of the caret's line or of the selected lines (one
        undo step); False when none of them is a list item (Tab then types a tab)."""
        cursor = self.textCursor()
        doc = self.document()
        first = doc.findBlock(cursor.selectionStart())
        last = doc.findBlock(cursor.selectionEnd())
        blocks = [first]
        while blocks[-1] != last and blocks[-1].next().isValid():
            blocks.append(blocks[-1].next())
        if not any(lists.is_item(b.text()) for b in blocks):
            return False
        selected, position, first_start = cursor.hasSelection(), cursor.position(), \
            first.position()
        moved_by = 0
        cursor.beginEditBlock()  # one undo step for every line
        for block in blocks:
            text = block.text()
            if not lists.is_item(text):
                continue
            new = change(text)
            line = QTextCursor(block)
            line.movePosition(QTextCursor.MoveOperation.EndOfBlock,
                              QTextCursor.MoveMode.KeepAnchor)
            line.insertText(new)
            moved_by = len(new) - len(text)
        cursor.endEditBlock()
        if selected:  # the whole lines stay selected
            cursor.setPosition(first_start)
            cursor.setPosition(last.position() + last.length() - 1,
                               QTextCursor.MoveMode.KeepAnchor)
        else:  # the caret keeps its place in the item's text
            cursor.setPosition(max(first_start, position + moved_by))
        self.setTextCursor(cursor)
        return True

    # ------------------------------------------------------------------ focus
    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt API)
        super().focusOutEvent(event)
        if event.reason() != Qt.FocusReason.PopupFocusReason:
            self.focus_lost.emit()
