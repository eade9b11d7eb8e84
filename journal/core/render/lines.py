"""Source-line tracking for scroll sync: which body line each top-level block came from.

python-markdown keeps no source positions, so this extension
1. captures the lines right after whitespace normalisation (1:1 with the source) and again
   after the last preprocessor (fenced code and raw HTML are then single placeholder lines),
   and aligns the two;
2. wraps the block parser at the root so each top-level element created from a block gets the
   line of the block's first line (marked with a temporary attribute);
3. after inline processing, turns those marks into empty ``<a name="L{n}">`` anchors placed
   *inside* the block's first text-bearing element (Qt's rich-text importer drops empty
   anchors that sit between blocks, but keeps them inside a block).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE, STX

LINE_ATTR = "data-eyelights-line"
OFFSET_ATTR = "data-eyelights-offset"
_HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_DESCEND = {"ul", "ol", "li", "blockquote", "div", "table", "thead", "tbody", "tr", "dl"}
_TEXT_BLOCKS = {"p", "li", "td", "th", "dt", "dd", "pre", "h1", "h2", "h3", "h4", "h5", "h6"}
_PLACEHOLDER_ONLY_RE = re.compile(r"^\s*" + HTML_PLACEHOLDER_RE.pattern + r"\s*$")


def align_lines(src: list[str], post: list[str],
                spans: dict[int, int] | None = None) -> list[int]:
    """For each post-preprocessing line, the 0-based source line it came from (best effort).
    ``spans``: how many source lines each stashed block (by its placeholder's number) took
    — a raw HTML block or a fenced code block; where it is known, the next line is found
    right after the block (else by looking for the next line of text, which may be one of
    the block's own)."""
    if src == post:
        return list(range(len(post)))
    mapping: list[int] = []
    last = max(len(src) - 1, 0)
    i = 0
    for j, line in enumerate(post):
        if STX in line and (placeholder := HTML_PLACEHOLDER_RE.search(line)):
            while i < len(src) and not src[i].strip():
                i += 1
            mapping.append(min(i, last))
            span = spans.get(int(placeholder.group(1))) if spans else None
            i = i + span if span else _after_placeholder(src, post, i, j)
        elif not line.strip():
            mapping.append(min(i, last))
        else:
            try:
                k = src.index(line, i)
            except ValueError:
                k = i
            mapping.append(min(k, last))
            i = k + 1
    return mapping


def _after_placeholder(src: list[str], post: list[str], i: int, j: int) -> int:
    """Where the source resumes after the block a placeholder stands for."""
    for following in post[j + 1:]:
        if not following.strip():
            continue
        if STX in following:
            break
        try:
            return src.index(following, i + 1)
        except ValueError:
            break
    return i + 1


class _Capture(Preprocessor):
    def __init__(self, md: Markdown, tracker: LineTracker, final: bool) -> None:
        super().__init__(md)
        self.tracker = tracker
        self.final = final

    def run(self, lines: list[str]) -> list[str]:
        if self.final:
            self.tracker.start(lines, _stash_spans(self.md, self.tracker.fenced))
        else:
            self.tracker.source = list(lines)
        return lines


class _CountFenced(Preprocessor):
    """Between fenced code (25) and raw HTML (20): the stash entries before it are code."""

    def __init__(self, md: Markdown, tracker: LineTracker) -> None:
        super().__init__(md)
        self.tracker = tracker

    def run(self, lines: list[str]) -> list[str]:
        self.tracker.fenced = len(self.md.htmlStash.rawHtmlBlocks)
        return lines


def _stash_spans(md: Markdown, fenced: int) -> dict[int, int]:
    """How many source lines each stashed block took: fenced code, its lines and the two
    fences; raw HTML, its own lines (stored as written, with the newline that ends it)."""
    spans: dict[int, int] = {}
    for n, block in enumerate(md.htmlStash.rawHtmlBlocks):
        if not isinstance(block, str):
            continue
        if n < fenced:
            spans[n] = block.count("\n") + 2
        else:
            spans[n] = block.count("\n") + (0 if block.endswith("\n") else 1)
            if STX in block:  # fenced code inside it: three lines (blank, placeholder, blank)
                for inner in HTML_PLACEHOLDER_RE.finditer(block):  # stand for the code's
                    spans[n] += spans.get(int(inner.group(1)), 3) - 3
    return spans


class LineTracker:
    """Per-conversion state: aligned lines and a forward cursor for locating blocks."""

    def __init__(self) -> None:
        self.source: list[str] = []
        self.post: list[str] = []
        self.mapping: list[int] = []
        self.cursor = 0
        self.end = 0
        self.depth = 0
        self.rest = False
        self.fenced = 0  # stash entries made by fenced code (before raw HTML's)
        self.enabled = True

    def start(self, post: list[str], spans: dict[int, int] | None = None) -> None:
        self.post = list(post)
        self.mapping = align_lines(self.source, self.post, spans)
        self.cursor = 0  # after the first line of the block located last
        self.end = 0  # after its last line
        self.depth = 0  # inside a processor running on a block (parsing part of it)
        self.rest = False  # the next block is the rest of the one before (put back)

    def locate(self, block: str) -> int | None:
        """1-based source line of the block whose text is ``block``, or None.

        A new block is looked for after the last line of the block before it (a paragraph
        whose first line repeats a line of the paragraph above was given that line); what a
        processor parses of the block it is running on (the text before a heading, a marker)
        and what it puts back (the rest) are looked for from that block's first line."""
        lines = block.split("\n")
        lead = next((n for n, ln in enumerate(lines) if ln.strip()), None)
        if lead is None:
            return None
        first = lines[lead]
        part = self.depth > 0 or self.rest
        if part and self.cursor and self.post[self.cursor - 1] == first:
            j = self.cursor - 1  # the start of the block just located, parsed again
            return self.mapping[j] + 1 if j < len(self.mapping) else None
        j = _find(self.post, first, self.cursor if part else max(self.cursor, self.end))
        if j < 0:
            j = _find(self.post, first, self.cursor)
            if j < 0:
                return None
        if self.depth == 0:
            self.cursor = j + 1
            self.end = j + len(lines) - lead
        return self.mapping[j] + 1 if j < len(self.mapping) else None


def _find(lines: list[str], line: str, start: int) -> int:
    try:
        return lines.index(line, start)
    except ValueError:
        return -1


def _heading_offset(block: str) -> int:
    for index, line in enumerate(block.split("\n")):
        if line.lstrip().startswith("#"):
            return index
    return 0


def _wrap_parser(md: Markdown, tracker: LineTracker) -> None:
    parser = md.parser
    original = parser.parseBlocks

    def parse_blocks(parent: etree.Element, blocks: list[str]) -> None:
        if parent is not getattr(parser, "root", None) or not tracker.enabled:
            original(parent, blocks)
            return
        while blocks:
            block = blocks[0]
            line = tracker.locate(block)
            start = len(parent)
            count = len(blocks)
            tracker.depth += 1
            try:
                _run_one(parser, parent, blocks)
            finally:
                tracker.depth -= 1
            if tracker.depth == 0:  # the next block is what the processor put back of this one
                tracker.rest = len(blocks) >= count
            if line is None:
                continue
            for child in list(parent)[start:]:
                if child.get(LINE_ATTR) is not None:
                    continue
                offset = int(child.attrib.pop(OFFSET_ATTR, "0"))
                if child.tag in _HEADING_TAGS and "\n" in block:
                    offset = _heading_offset(block)
                child.set(LINE_ATTR, str(line + offset))

    parser.parseBlocks = parse_blocks  # type: ignore[method-assign]


def _run_one(parser: Any, parent: etree.Element, blocks: list[str]) -> None:
    """One step of python-markdown's own block loop (first processor that accepts)."""
    for processor in parser.blockprocessors:
        if processor.test(parent, blocks[0]):
            if processor.run(parent, blocks) is not False:
                break


def _anchor_target(element: etree.Element) -> etree.Element | None:
    target = element
    while target.tag in _DESCEND and len(target) and target[0].tag in _DESCEND | _TEXT_BLOCKS:
        if target.tag == "li" and target.text and target.text.strip():
            break
        target = target[0]
    return target if target.tag in _TEXT_BLOCKS else None


class _AnchorTreeprocessor(Treeprocessor):
    def __init__(self, md: Markdown, ext: LineExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, root: etree.Element) -> None:
        self.ext.line_map = []
        self._anchor_children(root)
        self.ext.line_map.sort()

    def _anchor_children(self, parent: etree.Element) -> None:
        for index in range(len(parent) - 1, -1, -1):
            child = parent[index]
            if child.tag == "div" and child.get("class") == "spoiler":
                self._anchor_children(child)  # blocks inside a shown spoiler section
            line = child.attrib.pop(LINE_ATTR, None)
            if line is None or not self.ext.embed:
                continue
            self.ext.line_map.append(int(line))
            self._place(parent, index, child, line)

    def _place(self, root: etree.Element, index: int, child: etree.Element, line: str) -> None:
        anchor = etree.Element("a", {"name": f"L{line}"})
        placeholder = _PLACEHOLDER_ONLY_RE.match(child.text or "") if child.tag == "p" else None
        if placeholder is not None and not len(child):
            if self._anchor_in_stash(int(placeholder.group(1)), line):
                return
            root.insert(index, anchor)
            return
        target = _anchor_target(child)
        if target is None:
            root.insert(index, anchor)
            return
        anchor.tail = target.text
        target.text = None
        target.insert(0, anchor)

    def _anchor_in_stash(self, key: int, line: str) -> bool:
        """Put the anchor inside a stashed ``<pre>`` (fenced code) so Qt keeps it."""
        stash = self.md.htmlStash.rawHtmlBlocks
        if key >= len(stash) or not isinstance(stash[key], str):
            return False
        html = stash[key]
        if not html.startswith("<pre"):
            return False
        end = html.index(">") + 1
        stash[key] = f'{html[:end]}<a name="L{line}"></a>{html[end:]}'
        return True


class LineExtension(Extension):
    """Adds the line anchors; ``line_map`` holds the anchored lines after each conversion."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.tracker = LineTracker()
        self.line_map: list[int] = []
        self.embed = True

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (python-markdown API)
        md.preprocessors.register(_Capture(md, self.tracker, final=False), "eyelights_src", 29)
        md.preprocessors.register(_Capture(md, self.tracker, final=True), "eyelights_post", 1)
        md.preprocessors.register(_CountFenced(md, self.tracker), "eyelights_fenced", 22)
        md.treeprocessors.register(_AnchorTreeprocessor(md, self), "eyelights_lines", 3)
        _wrap_parser(md, self.tracker)
