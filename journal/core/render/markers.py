"""The spoiler marker lines of the dialect, without python-markdown: the editor's highlighter
reads them as the window opens, the renderer's spoiler extension as it renders."""

from __future__ import annotations

import re

FENCE_RE = re.compile(r"^:::[ \t]*(?:(?P<open>spoilers?)\b[ \t]*(?P<label>[^\n]*?))?[ \t]*$",
                      re.M | re.I)
_BLOG_RE = re.compile(r"^ {0,3}(?P<mark>\*{1,3}|_{1,3})(?P<inner>[^\n]+?)(?P=mark)[ .!:…]*$")
_BLOG_WORDS_RE = re.compile(r"spoiler[ -]alert|spoilers", re.I)
_NOT_SPOILER_RE = re.compile(r"\b(?:no|without)[ -]spoilers\b|spoilers?[ -]free", re.I)


def is_blog_marker(block: str) -> bool:
    """True when a paragraph is only an emphasised phrase announcing spoilers."""
    match = _BLOG_RE.match(block.strip())
    if match is None:
        return False
    inner = match.group("inner")
    return bool(_BLOG_WORDS_RE.search(inner)) and not _NOT_SPOILER_RE.search(inner)
