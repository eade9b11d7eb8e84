"""markdownify with the project's style: ATX headings, ``-`` bullets, ``\\`` line breaks.

A module of its own so that markdownify, BeautifulSoup and soupsieve are imported only when a
post needs them: ``wp_html.converter()`` loads it for the markup ``fast_html`` declines (whose
rules mirror this converter's; ``tests/test_import_fast_html.py`` checks that they still do).
"""

from __future__ import annotations

import functools

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
#: accepts them: true of "²", "½", "Ⅻ", which ``int()`` refuses (a ValueError that stopped
#: the whole import).
_NUMBER_ATTRIBUTES = ("start", "colspan")


def convert(html: str) -> str:
    """``converter().convert(html)``; an ``ol start`` or cell ``colspan`` that is numeric to
    Unicode but no number is dropped first, as a browser ignores it (numbering from 1, one
    column)."""
    try:
        return converter().convert(html)
    except ValueError:
        pass
    soup = BeautifulSoup(html, "html.parser")
    for name in _NUMBER_ATTRIBUTES:
        for tag in soup.find_all(True, attrs={name: True}):
            try:
                int(str(tag[name]))
            except ValueError:
                del tag[name]
    return converter().convert_soup(soup)
