"""Spoiler sections: ``::: spoiler [label]`` … ``:::`` and the blogger's ``*Spoiler alert!*`` lines.

A block processor turns each marker line into a temporary ``<eyelights-spoiler>`` element at
the top level; a tree processor (run before inline processing, so hidden text is never even
rendered) groups the blocks between markers into a section, or replaces the section with a
"Spoilers hidden" note.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from typing import Any, Literal

from markdown import Markdown
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.extensions.footnotes import FootnoteExtension
from markdown.treeprocessors import Treeprocessor

from journal.core.render.lines import LINE_ATTR, OFFSET_ATTR
from journal.core.render.markers import FENCE_RE, is_blog_marker

SpoilerMode = Literal["show", "hide", "fold"]
MARKER_TAG = "eyelights-spoiler"
FOOTNOTES_ATTR = "footnotes-before"
_FENCE_RE = FENCE_RE
HIDDEN_NOTE = "Spoilers hidden"
SHOW_LINK_TEXT = "show spoilers"


def _footnotes(md: Markdown) -> dict[str, Any]:
    """The footnote definitions parsed so far (empty when the extension is absent)."""
    for ext in md.registeredExtensions:
        if isinstance(ext, FootnoteExtension):
            return ext.footnotes  # type: ignore[no-any-return]
    return {}


class _MarkerProcessor(BlockProcessor):
    def test(self, parent: etree.Element, block: str) -> bool:
        if parent is not getattr(self.parser, "root", None):
            return False
        return ":::" in block and bool(_FENCE_RE.search(block)) or is_blog_marker(block)

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        block = blocks.pop(0)
        if is_blog_marker(block):
            count = str(len(_footnotes(self.parser.md)))
            etree.SubElement(parent, MARKER_TAG,
                             {"kind": "toggle", "label": block.strip(), FOOTNOTES_ATTR: count})
            return
        match = _FENCE_RE.search(block)
        assert match is not None  # test() found it
        before, after = block[:match.start()], block[match.end():].lstrip("\n")
        if before.strip():
            self.parser.parseBlocks(parent, [before.rstrip("\n")])
        if match.group("open"):
            attrs = {"kind": "open", "label": match.group("label") or ""}
        else:
            attrs = {"kind": "close", "label": ""}
        # the block's line is its first line of text (``LineTracker.locate``): blank lines
        # before the marker (two or more blank lines above it) are not counted
        lines = before.split("\n")
        blank = next((n for n, line in enumerate(lines) if line.strip()), len(lines) - 1)
        attrs[OFFSET_ATTR] = str(len(lines) - 1 - blank)
        attrs[FOOTNOTES_ATTR] = str(len(_footnotes(self.parser.md)))
        etree.SubElement(parent, MARKER_TAG, attrs)
        if after:
            blocks.insert(0, after)


class _Section:
    def __init__(self, number: int, marker: etree.Element) -> None:
        self.number = number
        self.marker = marker
        self.children: list[etree.Element] = []
        self.end_label: str | None = None
        self.footnotes_after: int | None = None


class _GroupProcessor(Treeprocessor):
    def __init__(self, md: Markdown, ext: SpoilerExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, root: etree.Element) -> None:
        self.ext.count = 0
        children = list(root)
        if not any(child.tag == MARKER_TAG for child in children):
            return
        for child in children:
            root.remove(child)
        current: _Section | None = None
        for child in children:
            if child.tag != MARKER_TAG:
                if current is not None:
                    current.children.append(child)
                else:
                    root.append(child)
                continue
            current = self._marker(root, child, current)
        if current is not None:
            self._emit(root, current)

    def _marker(self, root: etree.Element, marker: etree.Element,
                current: _Section | None) -> _Section | None:
        kind = marker.get("kind")
        if kind == "open" or (kind == "toggle" and current is None):
            if current is not None:
                current.footnotes_after = int(marker.get(FOOTNOTES_ATTR, "0"))
                self._emit(root, current)
            self.ext.count += 1
            return _Section(self.ext.count, marker)
        if current is not None:
            if kind == "toggle":
                current.end_label = marker.get("label")
            current.footnotes_after = int(marker.get(FOOTNOTES_ATTR, "0"))
            self._emit(root, current)
            return None
        stray = etree.SubElement(root, "p")
        stray.text = ":::"
        if marker.get(LINE_ATTR):
            stray.set(LINE_ATTR, marker.get(LINE_ATTR, ""))
        return None

    def _emit(self, root: etree.Element, section: _Section) -> None:
        """Append a finished section: the app's own ``div``, or (shown, in a blog's style)
        marker paragraphs around its blocks, or a ``<details>`` block."""
        style = self.ext.style
        if self.ext.mode != "show" or style == "section":
            root.append(self._finish(section))
            return
        if style == "details":
            details = etree.SubElement(root, "details", {"class": "spoiler"})
            summary = etree.SubElement(details, "summary")
            label = section.marker.get("label", "") if section.marker.get("kind") == "open" else ""
            summary.text = f"Spoilers: {label}" if label else "Spoilers"
            details.extend(section.children)
            return
        for position in ("open", "close"):
            paragraph = etree.SubElement(root, "p")
            etree.SubElement(paragraph, "em").text = self.ext.marker
            if position == "open":
                root.extend(section.children)

    def _drop_footnotes(self, section: _Section) -> None:
        """Forget footnotes defined inside a hidden section so their text is not listed."""
        footnotes = _footnotes(self.md)
        first = int(section.marker.get(FOOTNOTES_ATTR, "0"))
        last = len(footnotes) if section.footnotes_after is None else section.footnotes_after
        for key in list(footnotes)[first:last]:
            del footnotes[key]

    def _finish(self, section: _Section) -> etree.Element:
        number = section.number
        div = etree.Element("div", {"id": f"spoiler-{number}"})
        if section.marker.get(LINE_ATTR):
            div.set(LINE_ATTR, section.marker.get(LINE_ATTR, ""))
        visible = self.ext.mode == "show" or (
            self.ext.mode == "fold" and number in self.ext.revealed)
        if not visible:
            self._drop_footnotes(section)
            div.set("class", "spoiler spoiler-hidden")
            note = etree.SubElement(div, "p", {"class": "spoiler-note"})
            note.text = HIDDEN_NOTE
            if self.ext.mode == "fold":
                note.text += " \u2014 "
                link = etree.SubElement(note, "a", {"href": f"spoiler:{number}"})
                link.text = SHOW_LINK_TEXT
            return div
        div.set("class", "spoiler")
        label = etree.SubElement(div, "p", {"class": "spoiler-label"})
        marker_label = section.marker.get("label", "")
        if section.marker.get("kind") == "toggle":
            label.text = marker_label
        else:
            label.text = f"Spoilers: {marker_label}" if marker_label else "Spoilers"
        div.extend(section.children)
        if section.end_label:
            end = etree.SubElement(div, "p", {"class": "spoiler-end"})
            end.text = section.end_label
        return div


class SpoilerExtension(Extension):
    """Spoiler sections; set ``mode`` and ``revealed`` before each conversion."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.mode: SpoilerMode = "show"
        self.revealed: frozenset[int] = frozenset()
        self.style = "section"  # or "markers", "details" (only when shown: a blog post)
        self.marker = "MAJOR spoiler alert"
        self.count = 0

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (python-markdown API)
        md.parser.blockprocessors.register(_MarkerProcessor(md.parser), "eyelights_spoiler", 105)
        md.treeprocessors.register(_GroupProcessor(md, self), "eyelights_spoiler", 55)
