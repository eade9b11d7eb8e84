"""A review's outline: its headings and spoiler sections, with the line each starts on.

Read from the Markdown text the way the renderer reads it: ATX headings (``## Part two``, closing
``#`` dropped) and Setext ones (a line underlined with ``===`` or ``---``), never inside a fenced
code block; spoiler sections (``::: spoiler label`` fences and the blogger's paragraph markers
such as ``*MAJOR spoiler alert*``, the rule of :mod:`journal.core.render.spoilers`) are listed
too, as many reviews mark their parts with those rather than with headings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from journal.core.render.markers import is_blog_marker  # not .spoilers: python-markdown

_ATX = re.compile(r"^ {0,3}(?P<level>#{1,6})(?:[ \t]+(?P<title>.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(?P<rule>=+|-+)[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})")
_SPOILER_FENCE = re.compile(r"^:::[ \t]*spoilers?\b[ \t]*(?P<label>.*?)[ \t]*$", re.IGNORECASE)
_NOT_PARAGRAPH = re.compile(r"^ {0,3}(?:[-*+>]|\d{1,9}[.)]|#|\||:::)")

SPOILER_LEVEL = 0  # an outline entry that is a spoiler section, not a heading


@dataclass(frozen=True)
class OutlineEntry:
    line: int  # 1-based source line
    level: int  # 1–6 for a heading, SPOILER_LEVEL for a spoiler section
    title: str


def outline(text: str) -> list[OutlineEntry]:
    """The headings and spoiler sections of ``text`` in order."""
    lines = text.split("\n")
    found: list[OutlineEntry] = []
    fence = ""
    for index, line in enumerate(lines):
        opening = _FENCE.match(line)
        if fence:
            if opening and opening.group("fence")[0] == fence[0] \
                    and len(opening.group("fence")) >= len(fence):
                fence = ""
            continue
        if opening:
            fence = opening.group("fence")
            continue
        entry = _entry(lines, index)
        if entry is not None:
            found.append(entry)
    return found


def _entry(lines: list[str], index: int) -> OutlineEntry | None:
    line = lines[index]
    atx = _ATX.match(line)
    if atx:
        return OutlineEntry(index + 1, len(atx.group("level")), (atx.group("title") or "").strip())
    setext = _SETEXT.match(line)
    previous = lines[index - 1] if index else ""
    if setext and previous.strip() and not _NOT_PARAGRAPH.match(previous) \
            and (index < 2 or not lines[index - 2].strip()):
        level = 1 if setext.group("rule").startswith("=") else 2
        return OutlineEntry(index, level, previous.strip())
    spoiler = _SPOILER_FENCE.match(line)
    if spoiler:
        label = spoiler.group("label")
        return OutlineEntry(index + 1, SPOILER_LEVEL, f"Spoilers: {label}" if label else "Spoilers")
    alone = (not index or not lines[index - 1].strip()) and (
        index + 1 >= len(lines) or not lines[index + 1].strip())
    if alone and line.strip() and is_blog_marker(line):
        return OutlineEntry(index + 1, SPOILER_LEVEL, line.strip().strip("*_ ").strip())
    return None
