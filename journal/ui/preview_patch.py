"""Patching the preview instead of setting its whole page: after a keystroke, the top-level
parts of the body that changed are replaced in the browser's ``QTextDocument``, the rest stays
laid out (a ``setHtml`` of a 1 MB review costs ~170 ms and its layout ~0.5 s more).

The renderer by pieces (``journal/core/render/incremental.py``) gives the body's parts
(``RenderResult.units``). The patcher keeps, for the page on screen, each part's first block
(found by the ``L{line}`` anchor it begins with), the blocks of the header and footer, and the
scroll map (source line → block). A new rendering of the same page (same header, footer and
stylesheet) is compared part by part with the one on screen; the parts in between the common
beginning and end are replaced: their blocks selected, an HTML fragment of the new parts
inserted in their place, written inside the same elements as in the page (the review's body, a
spoiler section) so that the stylesheet gives them the same formats. The result is the document
a ``setHtml`` of the new page makes (``tests/test_preview_patch.py`` compares both). When the
edit moved the lines below it (Return, a paragraph joined), the scroll map the preview uses is
moved at once, and the parts below are given their new ``L{line}`` anchor names a few at a time
from the event loop (``stale_names`` until done: ~1,400 anchors below the middle of a 1 MB
review take ~0.3 s, too long for a keystroke), each name written as one string (Qt hashes a
list of anchor names as its type name alone: every anchor's format would collide with every
other's, and renaming took ~0.8 s and more at each move).

What is not patched (the page is set whole): the first rendering, another header, footer,
stylesheet or spoiler setting, a change that reaches a spoiler section's start or end, parts
without an anchor to find them by at both ends of the change — and a page whose anchors were
renamed ``RENAME_BUDGET`` times over: Qt keeps every character format it was ever given until
the page is set, and renaming slows down as they pile up (measured at 1 MB: 0.2 s of CPU for
the first move in the middle, 1.1 s for the twelfth).
"""

from __future__ import annotations

import operator
import re
import time
from bisect import bisect_left
from collections.abc import Iterable
from itertools import compress, count
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import (
    QTextBlock,
    QTextCursor,
    QTextDocument,
    QTextDocumentFragment,
    QTextFormat,
    QTextFragment,
)

if TYPE_CHECKING:
    from PySide6.QtWidgets import QTextBrowser

    from journal.core.render import RenderResult

BODY_OPEN = '<div class="review-body">\n'
_LEAD_ANCHOR_RE = re.compile(r'^(?:<[^>]*>|\s)*<a name="L(\d+)"></a>')
_ANCHOR_RE = re.compile(r'<a name="L(\d+)"></a>')
_ID_RE = re.compile(r'\s+id="[^"]*"')
_MARKER = '<p><a name="L0"></a>EyelightsBodyMarker</p>'
_STAND_IN = "X"
LAYOUT_STEP_S = 0.008
#: Anchors renamed, as a multiple of the page's anchors, after which the page is set whole.
RENAME_BUDGET = 4
#: An element with no text: Qt gives its anchors to the next block's first character, which
#: may be outside the parts replaced.
_EMPTY_RE = re.compile(r'<(h[1-6]|p|li|dt|dd|td|th)\b[^>]*>(?:<a name="[^"]*"></a>|\s)*</\1>')

Unit = tuple[str, "str | None"]


def _split(result: RenderResult) -> tuple[str, str] | None:
    """The page around its body's parts: (before, after); None when it is not so made. (The
    parts are not joined to be compared: a 1 MB copy on the GUI thread at every keystroke.)"""
    units = result.units
    if not units:
        return None
    html = result.html
    at = html.find(BODY_OPEN)
    if at < 0:
        return None
    at += len(BODY_OPEN)
    end = at + sum(map(len, map(operator.itemgetter(0), units))) + len(units) - 1
    if not (html.startswith(units[0][0], at) and html.endswith(units[-1][0], at, end)):
        return None
    return html[:at], html[end:]


def _lead(html: str) -> int | None:
    match = _LEAD_ANCHOR_RE.match(html)
    return int(match.group(1)) if match else None


def _first_names(block: QTextBlock) -> list[str]:
    it = block.begin()
    return [] if it.atEnd() else list(it.fragment().charFormat().anchorNames())


def scan_anchors(first: QTextBlock, stop: QTextBlock | None = None
                 ) -> list[tuple[int, QTextBlock]]:
    """(line, block) of the ``L{line}`` anchors in the blocks from ``first`` (to ``stop``,
    excluded), sorted by line (a line's first block)."""
    found: dict[int, QTextBlock] = {}
    block = first
    while block.isValid() and (stop is None or block != stop):
        it = block.begin()
        while not it.atEnd():
            for name in it.fragment().charFormat().anchorNames():
                if name.startswith("L") and name[1:].isdigit():
                    found.setdefault(int(name[1:]), block)
            it += 1
        block = block.next()
    return sorted(found.items())


class PagePatcher:
    """The page on a QTextBrowser, as parts, and the patches that bring it to a new one."""

    def __init__(self, browser: QTextBrowser) -> None:
        self.browser = browser
        # Qt lays a new page out 1,000 characters per 10 ms timer tick (~12 s for 1 MB), and a
        # patch needs it laid out to the end (``_laid_out``): lay it out faster, 8 ms a turn.
        self._layout = QTimer(browser, interval=0)
        self._layout.timeout.connect(self._layout_step)
        self._layout_at = 0  # where that layout has reached
        self.units: list[Unit] | None = None
        self.blocks: list[QTextBlock | None] = []  # each part's first block (None: unknown)
        self.anchors: list[tuple[int, QTextBlock]] = []  # the scroll map, by line
        self._frame: tuple[str, str] | None = None
        self._after = 0  # blocks after the body (viewing date, tags, comments)
        self.patched = 0  # parts replaced by the last patch (tests, benches)
        self.moved = 0  # lines the parts below it moved
        # The scroll map's entries from which anchors may still have their old names (None:
        # every name is right); renamed from the event loop, LAYOUT_STEP_S a turn.
        self._names_from: int | None = None
        self._rename = QTimer(browser, interval=0)
        self._rename.timeout.connect(self._rename_step)
        self._renamed = 0  # anchors renamed since the page was set

    # ------------------------------------------------------------------ a whole page set
    def page_set(self, result: RenderResult) -> None:
        """The browser was given ``result``'s page (``setHtml``): learn its parts."""
        self.units = None
        self.moved = 0
        self._names_from = None
        self._rename.stop()
        self._renamed = 0
        document = self.browser.document()
        self.anchors = scan_anchors(document.begin())
        self._frame = _split(result)
        if self._frame is None or result.units is None:
            return
        by_line = {}
        for line, block in self.anchors:
            by_line.setdefault(line, block)
        self.blocks = [by_line.get(lead) if (lead := _lead(html)) is not None else None
                       for html, _inside in result.units]
        self._after = self._blocks_after(document)
        self.units = list(result.units)
        self._place_edges()
        if document.lastBlock().layout().lineCount() == 0:
            self._layout_at = 0
            self._layout.start()

    def _layout_step(self) -> None:
        document = self.browser.document()
        layout = document.documentLayout()
        block = document.findBlock(self._layout_at)
        deadline = time.perf_counter() + LAYOUT_STEP_S
        while block.isValid() and time.perf_counter() < deadline:
            for _ in range(20):  # (a block's layout: ~0.1 ms for a paragraph)
                layout.blockBoundingRect(block)
                block = block.next()
                if not block.isValid():
                    break
        if not block.isValid() or document.lastBlock().layout().lineCount() > 0:
            self._layout.stop()
        else:
            self._layout_at = block.position()

    def _blocks_after(self, document: QTextDocument) -> int:
        """How many blocks follow the body: the page with a one-paragraph body, counted."""
        assert self._frame is not None
        scratch = QTextDocument()
        scratch.setDefaultFont(document.defaultFont())
        scratch.setHtml(self._frame[0] + _MARKER + self._frame[1])
        block = scratch.begin()
        while block.isValid() and "L0" not in _first_names(block):
            block = block.next()
        return scratch.blockCount() - block.blockNumber() - 1 if block.isValid() else -1

    # ------------------------------------------------------------------ a patch
    def can_patch(self, result: RenderResult) -> bool:
        """Whether ``patch`` may do (it may still find it cannot)."""
        return self.units is not None and result.units is not None \
            and not self._worn() and _split(result) == self._frame

    def _worn(self) -> bool:
        """Whether the page's anchors were renamed too often (see the module): set it."""
        return self._renamed > RENAME_BUDGET * max(len(self.anchors), 250)

    def patch(self, result: RenderResult) -> bool:
        """Bring the page on screen to ``result``'s by replacing the parts that changed.
        False: it cannot be (set the page, then call ``page_set``)."""
        self.patched = self.moved = 0
        old = self.units
        new = result.units
        if old is None or new is None or self._after < 0 or self._worn() \
                or _split(result) != self._frame:
            return False
        start, end_old, end_new, shift = _changed(old, new)
        if start == end_old == end_new:  # the same parts; perhaps moved (blank lines typed)
            if shift:
                first = self.blocks[start] if start < len(old) else None
                if first is None:
                    return False
                lo = bisect_left(self.anchors, first.blockNumber(), key=_block_number)
                self.anchors[lo:] = [(line + shift, block) for line, block in self.anchors[lo:]]
                self.moved = shift
                self._stale_from(lo)
            self.units = list(new)
            return True
        if not old:
            return False
        start = min(start, len(old) - 1)  # parts added at the end: from the last one
        while start > 0 and self.blocks[start] is None:
            start -= 1
        while end_old < len(old) and self.blocks[end_old] is None:
            end_old += 1
            end_new += 1
        if self.blocks[start] is None:
            return False
        inserted = new[start:end_new]
        if not inserted or any(_EMPTY_RE.search(html)
                               for html, _inside in [*old[start:end_old], *inserted]):
            # parts only removed (a block cut), an empty heading written or replaced (its
            # anchor, holding no character, stayed behind on the block that followed): the
            # page is set
            return False
        if any(inside is None for _html, inside in [*old[start:end_old], *inserted]) \
                or len({inside for _html, inside in inserted}) > 1:
            return False  # a spoiler section's start or end: not a part of its own
        document = self.browser.document()
        first = self.blocks[start]
        stop = self.blocks[end_old] if end_old < len(old) else None
        last = stop.previous() if stop is not None else document.findBlockByNumber(
            document.blockCount() - self._after - 1)
        assert first is not None
        if not last.isValid() or last.blockNumber() < first.blockNumber():
            return False
        if first.blockNumber() == 0:
            return False  # (no block above to take the stand-in's place: see below)
        # the scroll map's entries in the blocks replaced (found again after)
        lo = bisect_left(self.anchors, first.blockNumber(), key=_block_number)
        hi = bisect_left(self.anchors, stop.blockNumber(), key=_block_number) if stop is not None \
            else len(self.anchors)
        _laid_out(document)
        at = first.position()
        cursor = QTextCursor(document)
        cursor.beginEditBlock()
        cursor.setPosition(at)
        cursor.setPosition(last.position() + last.length() - 1, QTextCursor.MoveMode.KeepAnchor)
        # The fragment's first paragraph would take the format of the block it is written
        # into (the old first part's: a quote, a heading…): a stand-in paragraph goes there,
        # and then away with the separator before it (the block above is as it was, each new
        # part's block has its own format).
        cursor.insertFragment(QTextDocumentFragment.fromHtml(
            self._fragment(inserted, inserted[0][1] or "")))
        # The same at the end: the last paragraph would be merged into the block that was
        # there (an empty heading lost its level).
        end = stop.previous() if stop is not None else document.findBlockByNumber(
            document.blockCount() - self._after - 1)
        cursor.setPosition(end.position() - 1)
        cursor.setPosition(end.position() + len(_STAND_IN), QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        cursor.setPosition(at - 1)
        cursor.setPosition(at + len(_STAND_IN), QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        cursor.endEditBlock()
        self._update(start, end_old, end_new, new, shift, document.findBlock(at - 1).next(),
                     stop, lo, hi)
        self.patched = end_new - start
        self.moved = shift
        return True

    def _fragment(self, units: list[Unit], inside: str) -> str:
        """The new parts as a page of their own: the page's head (its stylesheet) and the
        elements they sit in (ids left out: Qt would make anchors of them)."""
        assert self._frame is not None
        before = self._frame[0]
        head = before[:before.find("<body")]
        body_tag = before[before.find("<body"):before.find(">", before.find("<body")) + 1]
        inside = _ID_RE.sub("", inside)
        closing = "</div>" * inside.count("<div") + "</details>" * inside.count("<details")
        parts = "\n".join([f"<p>{_STAND_IN}</p>", *(html for html, _inside in units),
                           f"<p>{_STAND_IN}</p>"])
        return (f'{head}{body_tag}\n<div class="review">\n{BODY_OPEN}{inside}{parts}'
                f"{closing}</div></div></body></html>")  # (a newline there: a space in the text)

    def _update(self, start: int, end_old: int, end_new: int, new: list[Unit], shift: int,
                first: QTextBlock, stop: QTextBlock | None, lo: int, hi: int) -> None:
        """The parts' first blocks and the scroll map after a patch."""
        assert self.units is not None
        found = scan_anchors(first, stop)
        by_line: dict[int, QTextBlock] = {}
        for line, block in found:
            by_line.setdefault(line, block)
        middle = [by_line.get(lead) if (lead := _lead(html)) is not None else None
                  for html, _inside in new[start:end_new]]
        self.blocks = self.blocks[:start] + middle + self.blocks[end_old:]
        after = self.anchors[hi:]
        if shift:
            after = [(line + shift, block) for line, block in after]
        self.anchors = self.anchors[:lo] + found + after
        pending = self._names_from  # (the entries put in have their new names)
        if pending is not None:
            self._names_from = pending + len(found) - (hi - lo) if pending >= hi \
                else min(pending, lo)
        if shift:
            self._stale_from(lo + len(found))
        self.units = list(new)
        self._place_edges()

    # ------------------------------------------------------------------ names renamed
    @property
    def stale_names(self) -> bool:
        """Whether some anchors on the page still have their old names (a move is being
        renamed): the scroll map is right meanwhile."""
        return self._names_from is not None

    def _stale_from(self, index: int) -> None:
        if index >= len(self.anchors):
            return
        self._names_from = index if self._names_from is None else min(self._names_from, index)
        self._rename.start()

    def _rename_step(self) -> None:
        """Give the anchors of the next blocks the names the scroll map says (for a while)."""
        at = self._names_from
        anchors = self.anchors
        if at is None or at >= len(anchors):
            self._names_from = None
            self._rename.stop()
            return
        cursor = QTextCursor(self.browser.document())
        deadline = time.perf_counter() + LAYOUT_STEP_S / 2  # (and as long again laid out)
        cursor.beginEditBlock()
        try:
            while at < len(anchors) and time.perf_counter() < deadline:
                block = anchors[at][1]
                number = block.blockNumber()
                end = at + 1
                while end < len(anchors) and anchors[end][1].blockNumber() == number:
                    end += 1
                renamed = _rename_block(cursor, block, [line for line, _block in anchors[at:end]])
                if renamed:  # blocks that repeat its anchor (the scroll map has its first)
                    self._renamed += len(renamed)
                    stop = anchors[end][1].blockNumber() if end < len(anchors) else -1
                    following = block.next()
                    while following.isValid() and (stop < 0 or following.blockNumber() < stop):
                        _rename_fragments(cursor, following, renamed)
                        following = following.next()
                at = end
        finally:
            cursor.endEditBlock()
        self._names_from = at if at < len(anchors) else None
        if self._names_from is None:
            self._rename.stop()

    def _place_edges(self) -> None:
        """The first blocks of the spoiler sections' edges (they have no anchor): a section's
        end is its paragraphs (its end label) before the next part."""
        assert self.units is not None
        document = self.browser.document()
        following = document.findBlockByNumber(document.blockCount() - self._after)
        for i in range(len(self.units) - 1, -1, -1):
            block = self.blocks[i]
            html, inside = self.units[i]
            if block is None and inside is None:
                count = html.count("<p")
                block = following if following.isValid() else document.lastBlock().next()
                if count:
                    block = following.previous() if following.isValid() else document.lastBlock()
                    for _ in range(count - 1):
                        block = block.previous()
                    self.blocks[i] = block
            if block is not None:
                following = block


def _line_name(name: str) -> bool:
    return name.startswith("L") and name[1:].isdigit()


def _line_anchors(block: QTextBlock) -> list[tuple[QTextFragment, list[str]]]:
    """The block's fragments that hold ``L{line}`` anchors, with their anchor names."""
    held = []
    it = block.begin()
    while not it.atEnd():
        fragment = it.fragment()
        names = fragment.charFormat().anchorNames()
        if names and any(_line_name(name) for name in names):
            held.append((fragment, names))
        it += 1
    return held


def _rename_block(cursor: QTextCursor, block: QTextBlock, lines: list[int]) -> dict[str, str]:
    """Name the block's ``L{line}`` anchors, in order, after ``lines`` (its lines in the
    scroll map; a block whose anchors do not match them one for one is left as it is). The
    names changed (old → new)."""
    held = _line_anchors(block)
    old = [name for _fragment, names in held for name in names if _line_name(name)]
    new = [f"L{line}" for line in lines]
    if old == new or len(old) != len(new):
        return {}
    renamed = {a: b for a, b in zip(old, new, strict=True) if a != b}
    _rename_fragments(cursor, block, renamed, held)
    return renamed


def _rename_fragments(cursor: QTextCursor, block: QTextBlock, renamed: dict[str, str],
                      held: list[tuple[QTextFragment, list[str]]] | None = None) -> None:
    """Give the block's anchors named in ``renamed`` their new names."""
    for fragment, names in held if held is not None else _line_anchors(block):
        given = [renamed.get(name, name) if _line_name(name) else name for name in names]
        if given == names:
            continue
        char_format = fragment.charFormat()
        if len(given) == 1:  # one string: Qt hashes it (a list it does not: see the module)
            char_format.setProperty(QTextFormat.Property.AnchorName, given[0])
        else:
            char_format.setAnchorNames(given)
        cursor.setPosition(fragment.position())
        cursor.setPosition(fragment.position() + fragment.length(),
                           QTextCursor.MoveMode.KeepAnchor)
        cursor.setCharFormat(char_format)


def _block_number(entry: tuple[int, QTextBlock]) -> int:
    return entry[1].blockNumber()


def _laid_out(document: QTextDocument) -> None:
    """Lay the page out to its end if Qt has not yet. Qt lays a new page out a step at a
    time from the event loop; a change made before it has reached the end stops it there for
    good (Qt 6.11: the blocks below were left without lines, nothing was drawn below the
    edit)."""
    if document.lastBlock().layout().lineCount() == 0:
        document.documentLayout().blockBoundingRect(document.lastBlock())


def _changed(old: list[Unit], new: list[Unit]) -> tuple[int, int, int, int]:
    """The parts that differ: (first, end in ``old``, end in ``new``, how many lines the parts
    after them moved)."""
    limit = min(len(old), len(new))
    # (the parts compared by map: ~18,000 of them at 1 MB, at every key, on the GUI thread)
    start = _same_run(old, new, limit)
    tail = _same_run(reversed(old), reversed(new), limit - start)
    shift = 0
    # The parts below may only have moved (lines added or removed) — unless a part with an
    # anchor is the same below them: then nothing below moved (a quote given a line above
    # its first: it starts a line higher, the rest stays).
    if tail < limit - start and not any(_ANCHOR_RE.search(old[-1 - k][0]) for k in range(tail)):
        moved = _moved(old[len(old) - 1 - tail], new[len(new) - 1 - tail])
        if moved:
            shift = moved
            while tail < limit - start and (
                    old[-1 - tail] == new[-1 - tail]
                    or _moved(old[-1 - tail], new[-1 - tail]) == shift):
                tail += 1
    return start, len(old) - tail, len(new) - tail, shift


def _same_run(a: Iterable[Unit], b: Iterable[Unit], limit: int) -> int:
    """How many of the first ``limit`` parts of ``a`` and ``b`` are the same, from the start."""
    return min(limit, next(compress(count(), map(operator.ne, a, b)), limit))


def _moved(a: Unit, b: Unit) -> int:
    """How many lines ``b`` is below ``a`` when it is ``a`` moved (else 0)."""
    if a[1] != b[1]:
        return 0
    first_a, first_b = _lead(a[0]), _lead(b[0])
    if first_a is None or first_b is None or first_a == first_b:
        return 0
    shift = first_b - first_a
    moved = _ANCHOR_RE.sub(lambda m: f'<a name="L{int(m.group(1)) + shift}"></a>', a[0])
    return shift if moved == b[0] else 0
