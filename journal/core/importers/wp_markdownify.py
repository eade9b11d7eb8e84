"""markdownify with the project's style: ATX headings, ``-`` bullets, ``\\`` line breaks.

A module of its own so that markdownify, BeautifulSoup and soupsieve are imported only when a
post needs them: ``wp_html`` loads it (:func:`convert`) for the markup ``fast_html`` declines
(whose rules mirror this converter's; ``tests/test_import_fast_html.py`` checks that they still
do).
"""

from __future__ import annotations

import functools
import re

from bs4 import BeautifulSoup
from markdownify import ATX, BACKSLASH, STRIP, MarkdownConverter


class WpConverter(MarkdownConverter):
    """markdownify 1.2.3 with the project's options, and figure captions in italics."""

    class Options(MarkdownConverter.DefaultOptions):  # type: ignore[name-defined]
        heading_style = ATX
        bullets = "-"
        newline_style = BACKSLASH
        escape_misc = False
        strip_document = STRIP

    def convert_figcaption(self, el, text, parent_tags):  # type: ignore[no-untyped-def]
        text = text.strip()
        return f"\n\n*{text}*\n\n" if text else ""


@functools.cache
def converter() -> WpConverter:
    """The one converter (it keeps no state between documents)."""
    return WpConverter()


#: The attributes markdownify reads with ``int()`` once ``str.isnumeric()`` (or ``isdigit()``)
#: accepts them: true of "²", "½", "Ⅻ", which ``int()`` refuses, and of numbers past its 4,300
#: digits (a ValueError that stopped the whole import). A heading's level too (``<h99…9>``).
_NUMBER_ATTRIBUTES = ("start", "colspan")
_HEADING_RE = re.compile(r"h(\d+)")


def _is_int(text: str) -> bool:
    try:
        int(text)
    except ValueError:
        return False
    return True


def convert(html: str) -> str:
    """``converter().convert(html)``; an ``ol start`` or cell ``colspan`` that is numeric to
    Unicode but no number ``int()`` reads is dropped first, as a browser ignores it (numbering
    from 1, one column), and a heading of such a level is an ``h6``."""
    try:
        return converter().convert(html)
    except ValueError:
        pass
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(True):
        for name in _NUMBER_ATTRIBUTES:
            if name in tag.attrs and not _is_int(str(tag[name])):
                del tag[name]
        if (level := _HEADING_RE.match(tag.name)) is not None and not _is_int(level[1]):
            tag.name = "h6"
    return converter().convert_soup(soup)
