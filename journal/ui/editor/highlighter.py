"""Markdown syntax highlighting, spoiler markers, film links, and spell-check underlines.

A long document is highlighted in slices: what is on screen at once, the rest by a background
pass that goes through the blocks in order, a few milliseconds per event-loop turn (see
``MarkdownHighlighter``).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import SIGNAL, SLOT, QObject, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QSyntaxHighlighter,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)

from journal.core import spellcheck
from journal.core.render.markers import is_blog_marker
from journal.ui.editor import utf16

IN_FENCE = 1  # block state: inside a fenced code block

#: Documents shorter than this (characters) are always highlighted in one go.
SYNC_CHARS = 50_000
#: Blocks one run of Qt's highlighting does in a long document before handing the rest on.
RUN_BLOCKS = 50
#: Work done per event-loop turn by the background pass.
SLICE_MS = 10.0
#: ... while the writer types (an edit less than TYPING_S ago), every TYPING_TURN_MS: a turn of
#: the pass between two keys holds the next one back a few milliseconds, not ten, and seldom
#: comes while the preview renders on a worker (then each block's highlighting waits for the
#: GIL: 3 ms of CPU took 10-35 ms). What the pass does is off screen: it catches up at a pause.
TYPING_SLICE_MS = 3.0
TYPING_TURN_MS = 40
TYPING_S = 0.5
#: A theme or spelling language switched on a text this long (characters) or longer is
#: re-highlighted as a long one is: the blocks on screen at once, the rest by the pass. The
#: dictionary loads on a worker and often arrives while the writer types: a 12 KB review
#: highlighted in one go then held the key back ~8 ms of CPU (16-35 ms on a loaded machine).
REHIGHLIGHT_SYNC_CHARS = 4_000
#: QSyntaxHighlighter's (private) handler of the document's changes, switched off while a long
#: text is loaded: else it calls highlightBlock once per block, ~2 us each only to decline it
#: (15 ms for 1 MB). Absent from a future Qt, loading falls back to declining.
QT_REFORMAT_SLOT = "_q_reformatBlocks(int,int,int)"
_CONTENTS_CHANGE = "contentsChange(int,int,int)"

_HEADING = re.compile(r"^ {0,3}#{1,6}(?:\s.*|$)")
_QUOTE = re.compile(r"^ {0,3}>.*")
_LIST = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")
_FENCE = re.compile(r"^ {0,3}(?:`{3,}|~{3,})")
_SPOILER_FENCE = re.compile(r"^:::(?:\s*spoilers?\b.*)?\s*$", re.IGNORECASE)
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPH = re.compile(r"(?<![*\w])([*_])(?=[^\s*_])(.+?)(?<=[^\s*_])\1(?![*\w])")
_CODE = re.compile(r"(`+)(.+?)\1")
_LINK = re.compile(r"!?\[[^\]\n]*\]\([^)\n]*\)")
_FILM_LINK = re.compile(r"\[\[[^\[\]\n]+\]\]")
_URL = re.compile(r"(?:https?://|www\.)\S+")
_MARK = re.compile(r"==[^=\n]+==|~~[^~\n]+~~")

SPELL_COLOR = QColor("#d32f2f")

PALETTES = {
    "light": {"heading": "#1a3e6e", "quote": "#5d5d5d", "marker": "#8a8a8a", "code": "#6a3e9e",
              "code_bg": "#f1f1f1", "link": "#1a5fb4", "film": "#2e7d32", "spoiler": "#9a5b00",
              "spoiler_bg": "#fff0d6", "mark": "#8d6e00"},
    "dark": {"heading": "#9cc3ff", "quote": "#b0b0b0", "marker": "#8a8a8a", "code": "#d0a8ff",
             "code_bg": "#2b2b2b", "link": "#8ab4f8", "film": "#81c784", "spoiler": "#f0c070",
             "spoiler_bg": "#3a2f1c", "mark": "#e6c75a"},
}


def _fmt(color: str, *, bold: bool = False, italic: bool = False, background: str = "",
         underline: bool = False) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setForeground(QColor(color))
    if bold:
        fmt.setFontWeight(QFont.Weight.Bold)
    if italic:
        fmt.setFontItalic(True)
    if background:
        fmt.setBackground(QColor(background))
    if underline:
        fmt.setFontUnderline(True)
    return fmt


class MarkdownHighlighter(QSyntaxHighlighter):
    """Per-block highlighting. Spell checking asks ``spellcheck.is_correct`` (cached per word)
    once the language's dictionary is loaded; ``language=None`` turns it off.

    Long documents (``sync_chars`` and more) never block the window for long:

    * a new text (``new_text`` around ``setPlainText``) is not highlighted by Qt's own run: the
      pass starts at the top, and the editor has the blocks on screen done at once
      (``highlight_visible``, also called when the view scrolls);
    * a run of Qt's own highlighting (an edit, a paste, a fence opened near the top) highlights
      its first ``run_blocks`` blocks as usual, then *declines* the rest: those keep their old
      state (so Qt stops there) and the pass starts, or moves back, to the first declined block;
    * ``rehighlight()`` (theme, language, an ignored word) restarts the pass at the top and
      highlights the visible blocks at once;
    * the pass highlights blocks in order from its frontier, ``slice_ms`` per event-loop turn
      (a zero timer), with ``rehighlightBlock``, so each block sees the state its predecessor
      left (fenced code) exactly as a full re-highlight would. Every block before the frontier
      is up to date; the frontier is a ``QTextCursor``, so edits move it with the text. An edit
      is highlighted by Qt as always; when the pass reaches that block again it computes the
      same result, so it never undoes an edit's highlighting.
    """

    #: The background pass reached the end of the document.
    pass_finished = Signal()

    def __init__(self, document: QTextDocument, theme: str = "light") -> None:
        super().__init__(document)
        self.language: str | None = None
        self.ignored: set[str] = set()
        self.is_correct: Callable[[str, str], bool] = spellcheck.is_correct
        #: True while re-highlighting: the document then says "changed" without an edit.
        self.rehighlighting = False
        self.sync_chars = SYNC_CHARS
        self.run_blocks = RUN_BLOCKS
        self.slice_ms = SLICE_MS
        self.rehighlight_sync_chars = REHIGHLIGHT_SYNC_CHARS
        self._edited_at = 0.0  # time.perf_counter() of the last edit (not a re-highlight)
        #: Set by the editor: (first, last) numbers of the blocks on screen.
        self.visible_blocks: Callable[[], tuple[int, int]] | None = None
        #: Set by the review view: True while the preview renders on a worker. While the
        #: writer types, the pass then waits (its blocks' highlighting would wait for the GIL).
        self.hold: Callable[[], bool] | None = None
        self._u16: list[int] | None = None  # the block's Qt positions (utf16.offsets)
        self._run = 0  # blocks seen by the current run of Qt's highlighting
        self._done = 0  # of which highlighted (not declined)
        self._declining = False  # the current run hands its remaining blocks to the pass
        self._frontier: QTextCursor | None = None
        self._visible_wanted = False  # the view scrolled while a run was going on
        self._ahead = (-1, -1)  # the screen highlighted ahead of the pass (block numbers)
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self._slice)
        # Each change of the text starts a new run, counted from 0. This handler may run after
        # Qt's run (until ``new_text`` reconnects Qt's handler after it), so our own runs also
        # leave the counters at 0 when they end (``_own_run``): an edit never inherits them.
        document.contentsChange.connect(self._run_over)
        self.set_theme(theme, rehighlight=False)

    # ------------------------------------------------------------------ configuration
    def set_theme(self, theme: str, rehighlight: bool = True) -> None:
        p = PALETTES.get(theme, PALETTES["light"])
        self.formats = {
            "heading": _fmt(p["heading"], bold=True),
            "quote": _fmt(p["quote"], italic=True),
            "marker": _fmt(p["marker"]),
            "code": _fmt(p["code"], background=p["code_bg"]),
            "link": _fmt(p["link"]),
            "film": _fmt(p["film"], underline=True),
            "spoiler": _fmt(p["spoiler"], bold=True, background=p["spoiler_bg"]),
            "strong": _fmt(p["heading"], bold=True),
            "emph": _fmt(p["quote"], italic=True),
            "mark": _fmt(p["mark"], background=p["spoiler_bg"]),
        }
        if rehighlight:
            self.rehighlight()

    def set_language(self, language: str | None) -> None:
        """Spell-check in ``language`` (must be loaded; see ``spellcheck.load``), or not at all."""
        if language == self.language:
            return
        self.language = language
        self.rehighlight()

    def rehighlight(self) -> None:
        """Highlight the whole document again: at once when it is short, else the visible
        blocks now and the rest in the background pass."""
        doc = self.document()
        if doc is None:
            return
        self.cancel()
        if doc.characterCount() < min(self.sync_chars, self.rehighlight_sync_chars):
            with self._own_run():
                super().rehighlight()
            return
        self._move_frontier(0)
        self.highlight_visible()

    # ------------------------------------------------------------------ the background pass
    @property
    def busy(self) -> bool:
        """True while part of the document still waits for the background pass."""
        return self._frontier is not None

    def pending_from(self) -> int | None:
        """Number of the first block the pass has still to do (None: nothing pending)."""
        doc = self.document()
        if self._frontier is None or doc is None:
            return None
        return doc.findBlock(self._frontier.position()).blockNumber()

    @contextmanager
    def new_text(self, length: int) -> Iterator[None]:
        """Around the replacement of the whole text by one of ``length`` characters: drops the
        old pass; a long text is left to a new pass (call ``highlight_visible`` once the view
        shows where it should)."""
        self.cancel()
        doc = self.document()
        if (doc is None or length < self.sync_chars
                or self.metaObject().indexOfSlot(QT_REFORMAT_SLOT) < 0
                or not QObject.disconnect(doc, SIGNAL(_CONTENTS_CHANGE), self,
                                          SLOT(QT_REFORMAT_SLOT))):
            yield  # Qt's run highlights the text (a long one: its first blocks, then declines)
            self._edited_at = 0.0  # a text opened: not typed (the pass at its full pace)
            return
        try:
            yield
        finally:
            QObject.connect(doc, SIGNAL(_CONTENTS_CHANGE), self, SLOT(QT_REFORMAT_SLOT))
        self._edited_at = 0.0
        self._move_frontier(0)

    def cancel(self) -> None:
        """Drop the pass (the text is about to be replaced, or all is redone from the top)."""
        self._timer.stop()
        self._frontier = None
        self._ahead = (-1, -1)  # the screen highlighted ahead of the pass (block numbers)

    def highlight_visible(self) -> None:
        """Highlight the blocks on screen now when the pass has not reached them yet."""
        doc = self.document()
        if self._frontier is None or doc is None or self.visible_blocks is None:
            return
        if self.rehighlighting or self.currentBlock().isValid():
            # A run's new formats changed the layout, which scrolled: not inside the run.
            self._visible_wanted = True
            self._timer.start(0)
            return
        self._visible_wanted = False
        first, last = self.visible_blocks()
        start = doc.findBlock(self._frontier.position())
        if start.blockNumber() > last:
            return
        with self._own_run():
            if start.blockNumber() >= first:  # the pass is on screen: take it to the bottom
                after = self._advance(start, last, None)
            else:  # further down: each visible block from its predecessor's current state;
                # the pass does them again, from the right state, when it gets there. Not
                # again for the same screen: the pass's new formats above it re-lay blocks out
                # and move the scroll bar without showing other blocks (at each of its turns:
                # ~5 ms of a 1 MB review's GUI thread each time, between two keys).
                if (first, last) != self._ahead:
                    self._advance(doc.findBlockByNumber(first), last, None)
                    self._ahead = (first, last)
                return
        self._frontier_to(after)

    def _slice(self) -> None:
        """One turn of the pass: ``slice_ms`` of blocks from the frontier."""
        if self._visible_wanted:
            self.highlight_visible()
        doc = self.document()
        if self._frontier is None or doc is None:
            return
        typing = self._typing()
        if typing and self.hold is not None and self.hold():
            self._timer.start(TYPING_TURN_MS)
            return
        ms = min(self.slice_ms, TYPING_SLICE_MS) if typing else self.slice_ms
        deadline = time.perf_counter() + ms / 1000
        with self._own_run():
            after = self._advance(doc.findBlock(self._frontier.position()), None, deadline)
        self._frontier_to(after)

    @contextmanager
    def _own_run(self) -> Iterator[None]:
        """Highlighting of our own: the document says "changed", but nothing was edited."""
        before = self.rehighlighting
        self.rehighlighting = True
        try:
            self._new_run()
            yield
        finally:
            self._new_run()
            self.rehighlighting = before

    def _advance(self, block: QTextBlock, last: int | None, deadline: float | None) -> QTextBlock:
        """Highlight from ``block`` in order, up to block number ``last`` or ``deadline``
        (at least one block); return the first block not done."""
        while block.isValid():
            self._new_run()
            self.rehighlightBlock(block)
            for _ in range(max(1, self._done)):  # Qt went on while states changed
                block = block.next()
            if last is not None and block.blockNumber() > last:
                break
            if deadline is not None and time.perf_counter() >= deadline:
                break
        return block

    def _frontier_to(self, block: QTextBlock) -> None:
        if self._frontier is None:
            return
        if not block.isValid():
            self.cancel()
            self.pass_finished.emit()
            return
        self._frontier.setPosition(block.position())
        self._timer.start(TYPING_TURN_MS if self._typing() else 0)

    def _move_frontier(self, position: int) -> None:
        """Make sure the pass will do everything from ``position`` on."""
        if self._frontier is None:
            self._frontier = QTextCursor(self.document())
            self._frontier.setKeepPositionOnInsert(True)  # text typed there is still to do
        elif self._frontier.position() <= position:
            return
        self._frontier.setPosition(position)
        self._timer.start(0)

    def _typing(self) -> bool:
        return time.perf_counter() - self._edited_at < TYPING_S

    def _new_run(self) -> None:
        self._run = self._done = 0
        self._declining = False

    def _run_over(self, _position: int, _removed: int, _added: int) -> None:
        if not self.rehighlighting:  # our own steps count their runs themselves
            self._new_run()
            self._edited_at = time.perf_counter()

    def _decline(self) -> bool:
        """Called on the block past ``run_blocks`` of a run: hand it and the rest of the run to
        the pass when the document is long."""
        doc = self.document()
        if doc is None or doc.characterCount() < self.sync_chars:
            self._run = -(1 << 30)  # short document: this run goes on as Qt's always did
            return False
        self._declining = True
        self._move_frontier(self.currentBlock().position())
        return True

    # ------------------------------------------------------------------ highlighting
    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt API)
        self._run += 1
        if self._run > self.run_blocks and (self._declining or self._decline()):
            return  # left as it was, state included, so Qt's run stops here
        self._done += 1
        self._u16 = utf16.offsets(text)
        previous = self.previousBlockState()
        if previous == IN_FENCE:
            self._set(0, len(text), self.formats["code"])
            self.setCurrentBlockState(-1 if _FENCE.match(text) else IN_FENCE)
            return
        if _FENCE.match(text):
            self._set(0, len(text), self.formats["code"])
            self.setCurrentBlockState(IN_FENCE)
            return
        self.setCurrentBlockState(-1)
        if _SPOILER_FENCE.match(text) or (text.strip() and is_blog_marker(text)):
            self._set(0, len(text), self.formats["spoiler"])
            return
        skip = self._inline(text)
        self._spelling(text, skip)

    def _inline(self, text: str) -> list[tuple[int, int]]:
        """Apply block and inline formats; return spans the spell checker must skip."""
        f = self.formats
        if _HEADING.match(text):
            self._set(0, len(text), f["heading"])
        elif _QUOTE.match(text):
            self._set(0, len(text), f["quote"])
        list_marker = _LIST.match(text)
        if list_marker:
            self._set(0, list_marker.end(), f["marker"])
        for regex, key in ((_STRONG, "strong"), (_EMPH, "emph"), (_MARK, "mark")):
            for m in regex.finditer(text):
                self._merge(m.start(), m.end() - m.start(), f[key])
        skip: list[tuple[int, int]] = []
        for regex, key in ((_LINK, "link"), (_FILM_LINK, "film"), (_CODE, "code"),
                           (_URL, "link")):
            for m in regex.finditer(text):
                self._set(m.start(), m.end() - m.start(), f[key])
                if key != "link" or regex is _URL:
                    skip.append((m.start(), m.end()))
                else:  # a Markdown link: check the words shown, skip the URL
                    paren = text.find("](", m.start())
                    skip.append((paren, m.end()))
        return skip

    def _span(self, start: int, length: int) -> tuple[int, int]:
        """Python indices of the block's text → Qt's (start, length)."""
        if self._u16 is None:
            return start, length
        return self._u16[start], self._u16[start + length] - self._u16[start]

    def _set(self, start: int, length: int, fmt: QTextCharFormat) -> None:
        self.setFormat(*self._span(start, length), fmt)

    def _merge(self, start: int, length: int, extra: QTextCharFormat) -> None:
        start, length = self._span(start, length)
        for i in range(start, start + length):
            fmt = self.format(i)
            fmt.merge(extra)
            self.setFormat(i, 1, fmt)

    def _spelling(self, text: str, skip: list[tuple[int, int]]) -> None:
        lang = self.language
        if not lang or not spellcheck.is_loaded(lang):
            return
        for start, length, word in spellcheck.iter_words(text):
            if word in self.ignored or any(a <= start < b for a, b in skip):
                continue
            if not self.is_correct(word, lang):
                self._underline(start, length)

    def _underline(self, start: int, length: int) -> None:
        start, length = self._span(start, length)
        for i in range(start, start + length):
            fmt = self.format(i)
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
            fmt.setUnderlineColor(SPELL_COLOR)
            self.setFormat(i, 1, fmt)


def is_misspelt_format(fmt: QTextCharFormat) -> bool:
    return fmt.underlineStyle() == QTextCharFormat.UnderlineStyle.SpellCheckUnderline
