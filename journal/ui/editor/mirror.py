"""The editor's text as a Python ``str``, kept up to date edit by edit.

``QTextDocument.toPlainText()`` of a 1 MB review costs 4-6 ms of the GUI thread's CPU (Qt
builds the string, PySide converts it), and the review view asked for it at every key (the
preview's document, the autosave's values). ``TextMirror`` instead applies each
``contentsChange(position, removed, added)`` to its own copy: the ``added`` characters read
back from the document through a cursor (a key: one character), the rest of the copy joined
around them (~0.5 ms for 1 MB). What it holds is always what ``toPlainText()`` would give:

* Qt counts positions in UTF-16 units, Python in code points: the UTF-16 positions of the
  characters outside the Basic Multilingual Plane (emoji) are kept, sorted, to turn one into
  the other;
* the characters ``toPlainText()`` rewrites (paragraph and line separators, Qt's frame
  markers, the no-break space) are rewritten the same way;
* replacing the whole text reports one character more on each side (the document's last
  paragraph separator): both are clipped to the text;
* a change the document did not report (Qt reports none for an edit made from inside a
  ``contentsChange`` handler) is caught by the length check of each read, and the copy is then
  taken again whole.

The copy serves every read made at each key (the preview's document). What a save stores is
never this bookkeeping but the document's own ``toPlainText()`` (:meth:`TextMirror.stored`, a
few ms every couple of seconds of typing): the copy is checked against it there, and a
difference, a bug of this module, is logged as a warning (which fails any test that meets it)
and mended.
"""

from __future__ import annotations

import bisect
import logging
import re

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QTextCursor, QTextDocument

log = logging.getLogger(__name__)

_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")
#: What ``QTextDocument.toPlainText`` rewrites (qtextdocument.cpp).
_PLAIN = {"\u2029": "\n", "\u2028": "\n", "\ufdd0": "\n", "\ufdd1": "\n", "\u00a0": " "}
_REWRITTEN = re.compile("[\u2029\u2028\ufdd0\ufdd1\u00a0]")


class TextMirror(QObject):
    """``text`` is ``document.toPlainText()``, without copying the document at each read.
    ``mended`` is emitted when a save found the copy wrong and mended it (what was shown from
    the copy, the preview, is then out of date)."""

    mended = Signal()

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._document = document
        self.resyncs = 0  # copies taken whole after a change went unreported (tests)
        self._whole = False  # the text was replaced whole since it was last copied
        self._resync()
        document.contentsChange.connect(self._on_change)

    @property
    def text(self) -> str:
        if self._whole:  # a whole new text: copied at its first read
            self._resync()
        elif len(self._text) + len(self._astral) != self._document.characterCount() - 1:
            self.resyncs += 1  # a change came unreported: take it whole
            self._resync()
        return self._text

    def stored(self) -> str:
        """The text a save stores: Qt's own ``toPlainText()``, with the copy checked against
        it (and mended, said in the log, when it differs)."""
        text = self._document.toPlainText()
        if self._whole:  # not copied since a whole new text came: this is the copy
            self._whole = False
            self._set(text)
        elif self._text != text:
            at = next((i for i, (a, b) in enumerate(zip(self._text, text, strict=False))
                       if a != b), min(len(self._text), len(text)))
            log.warning("the editor's copy of the text differed from the document at "
                        "character %d of %d; the document's was saved", at, len(text))
            self._set(text)
            self.mended.emit()
        return text

    def _resync(self) -> None:
        self._whole = False
        self._set(self._document.toPlainText())

    def _set(self, text: str) -> None:
        self._text = text
        self._astral = _astral_units(text, 0)

    def _index(self, unit: int) -> int:
        """The Python index of Qt's position ``unit``."""
        return unit - bisect.bisect_left(self._astral, unit)

    def _on_change(self, position: int, removed: int, added: int) -> None:
        units = len(self._text) + len(self._astral)
        removed = max(0, min(removed, units - position))
        added = max(0, min(added, self._document.characterCount() - 1 - position))
        if self._whole or position > units:  # the next read takes the text whole anyway
            return
        if removed == 0 and added == 0:
            return
        if position == 0 and removed == units and added == self._document.characterCount() - 1:
            self._whole = True  # a whole new text (a review opened): Qt's own copy, when read
            return
        cursor = QTextCursor(self._document)
        cursor.setPosition(position)
        cursor.setPosition(position + added, QTextCursor.MoveMode.KeepAnchor)
        new = cursor.selectedText()
        if _REWRITTEN.search(new):
            new = _plain(new)
        if removed == added and self._text[self._index(position):
                                           self._index(position + removed)] == new:
            return  # formats changed (the highlighter), not the text
        start, end = self._index(position), self._index(position + removed)
        self._text = "".join((self._text[:start], new, self._text[end:]))  # (one copy less)
        first = bisect.bisect_left(self._astral, position)
        last = bisect.bisect_left(self._astral, position + removed)
        shift = added - removed
        self._astral[first:] = (_astral_units(new, position)
                                + [unit + shift for unit in self._astral[last:]])


def _plain(text: str) -> str:
    """``text`` as ``toPlainText`` gives it (``str.replace`` each: ``str.translate`` goes
    character by character, ~50 ms for 1 MB)."""
    for char, plain in _PLAIN.items():
        if char in text:
            text = text.replace(char, plain)
    return text


def _astral_units(text: str, base: int) -> list[int]:
    """Qt's positions (from ``base``) of ``text``'s characters outside the BMP, in order."""
    return [base + match.start() + n for n, match in enumerate(_ASTRAL.finditer(text))]
