"""Markdown syntax highlighting, spoiler markers, film links, and spell-check underlines."""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtGui import (
    QColor,
    QFont,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
)

from journal.core import spellcheck
from journal.core.render.spoilers import is_blog_marker

IN_FENCE = 1  # block state: inside a fenced code block

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
    once the language's dictionary is loaded; ``language=None`` turns it off."""

    def __init__(self, document: QTextDocument, theme: str = "light") -> None:
        super().__init__(document)
        self.language: str | None = None
        self.ignored: set[str] = set()
        self.is_correct: Callable[[str, str], bool] = spellcheck.is_correct
        #: True while re-highlighting: the document then says "changed" without an edit.
        self.rehighlighting = False
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
        self.rehighlighting = True
        try:
            super().rehighlight()
        finally:
            self.rehighlighting = False

    # ------------------------------------------------------------------ highlighting
    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt API)
        previous = self.previousBlockState()
        if previous == IN_FENCE:
            self.setFormat(0, len(text), self.formats["code"])
            self.setCurrentBlockState(-1 if _FENCE.match(text) else IN_FENCE)
            return
        if _FENCE.match(text):
            self.setFormat(0, len(text), self.formats["code"])
            self.setCurrentBlockState(IN_FENCE)
            return
        self.setCurrentBlockState(-1)
        if _SPOILER_FENCE.match(text) or (text.strip() and is_blog_marker(text)):
            self.setFormat(0, len(text), self.formats["spoiler"])
            return
        skip = self._inline(text)
        self._spelling(text, skip)

    def _inline(self, text: str) -> list[tuple[int, int]]:
        """Apply block and inline formats; return spans the spell checker must skip."""
        f = self.formats
        if _HEADING.match(text):
            self.setFormat(0, len(text), f["heading"])
        elif _QUOTE.match(text):
            self.setFormat(0, len(text), f["quote"])
        list_marker = _LIST.match(text)
        if list_marker:
            self.setFormat(0, list_marker.end(), f["marker"])
        for regex, key in ((_STRONG, "strong"), (_EMPH, "emph"), (_MARK, "mark")):
            for m in regex.finditer(text):
                self._merge(m.start(), m.end() - m.start(), f[key])
        skip: list[tuple[int, int]] = []
        for regex, key in ((_LINK, "link"), (_FILM_LINK, "film"), (_CODE, "code"),
                           (_URL, "link")):
            for m in regex.finditer(text):
                self.setFormat(m.start(), m.end() - m.start(), f[key])
                if key != "link" or regex is _URL:
                    skip.append((m.start(), m.end()))
                else:  # a Markdown link: check the words shown, skip the URL
                    paren = text.find("](", m.start())
                    skip.append((paren, m.end()))
        return skip

    def _merge(self, start: int, length: int, extra: QTextCharFormat) -> None:
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
        for i in range(start, start + length):
            fmt = self.format(i)
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
            fmt.setUnderlineColor(SPELL_COLOR)
            self.setFormat(i, 1, fmt)


def is_misspelt_format(fmt: QTextCharFormat) -> bool:
    return fmt.underlineStyle() == QTextCharFormat.UnderlineStyle.SpellCheckUnderline
