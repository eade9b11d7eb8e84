"""Qt counts text positions in UTF-16 units, Python in code points: an emoji (any character
outside the Basic Multilingual Plane) is two of Qt's and one of Python's. Every position that
goes from a Python ``str`` index to a ``QTextCursor`` or a highlighter goes through here."""

from __future__ import annotations

import re

_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


def offsets(text: str) -> list[int] | None:
    """Qt's position of each index of ``text`` and of its end, or None when they are the same
    (no emoji: nearly every line)."""
    if not _ASTRAL.search(text):
        return None
    found, at = [0], 0
    for char in text:
        at += 2 if ord(char) > 0xFFFF else 1
        found.append(at)
    return found


def length(text: str) -> int:
    """``text``'s length in Qt's units."""
    return len(text) + len(_ASTRAL.findall(text))
