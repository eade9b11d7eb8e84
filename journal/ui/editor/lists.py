"""Lists and quotes as the writer types them (pure text rules; the editor applies them).

* Return at the end of (or inside) a list item starts the next item: the same bullet, the next
  number (``3.`` → ``4.``, ``3)`` → ``4)``), an unticked box after a task item; inside a quote the
  next line is quoted too (``> `` — and a list inside a quote goes on inside it).
* Return on an item (or quote line) with nothing in it ends the list (the quote): its marker goes
  and the writer goes on past a blank line — Markdown would otherwise read the next line as part
  of the last item (of the quote). A list inside a quote ends, the quote goes on.
* Tab / Shift+Tab on list items indent / outdent them by four spaces, the nesting step
  python-markdown needs.
Return with the caret inside the marker itself, or outside any list or quote, is a plain Return.
"""

from __future__ import annotations

import re
from typing import NamedTuple

INDENT = "    "  # python-markdown nests a list at four spaces

_QUOTE = re.compile(r"^[ \t]{0,3}(?:>[ \t]?)+")
_ITEM = re.compile(r"^(?P<indent>[ \t]*)(?:(?P<bullet>[-*+])|(?P<number>\d{1,9})(?P<delim>[.)]))"
                   r"(?P<space>[ \t]+)(?P<task>\[[ xX]\][ \t]+)?")


class Return(NamedTuple):
    """What Return does: ``keep`` None — a new line starting with ``start`` at the caret; else
    the list (quote) ends: the current line becomes ``keep``, then the new line ``start``."""

    keep: str | None
    start: str


def _quote_prefix(line: str) -> str:
    match = _QUOTE.match(line)
    return match.group(0) if match else ""


def is_item(line: str) -> bool:
    """A list item (possibly inside a quote)."""
    return _ITEM.match(line[len(_quote_prefix(line)):]) is not None


def on_return(line: str, column: int) -> Return | None:
    """What Return at ``column`` of ``line`` should do; None: a plain Return."""
    quote = _quote_prefix(line)
    rest = line[len(quote):]
    item = _ITEM.match(rest)
    marker_end = len(quote) + (item.end() if item else 0)
    if not quote and not item:
        return None
    if column < marker_end:
        return None  # the caret is inside the marker: a plain new line
    quoted = quote if quote.endswith((" ", "\t")) else quote + " "
    if not line[marker_end:].strip():  # an empty item or quote line: the list (quote) ends
        if item and quote:
            return Return(quote.rstrip(), quoted)  # the list in the quote ends, not the quote
        return Return("", "")
    if item is None:
        return Return(None, quoted)
    if item.group("bullet"):
        marker = item.group("bullet")
    else:
        marker = f"{int(item.group('number')) + 1}{item.group('delim')}"
    task = "[ ] " if item.group("task") else ""
    return Return(None, f"{quote}{item.group('indent')}{marker}{item.group('space')}{task}")


def indent(line: str) -> str:
    """The list item one level deeper (its marker moves right by ``INDENT``)."""
    quote = _quote_prefix(line)
    return quote + INDENT + line[len(quote):]


def outdent(line: str) -> str:
    """The list item one level up (up to ``INDENT`` of leading blanks removed, a tab counts as
    a level); a top-level item is left as it is."""
    quote = _quote_prefix(line)
    rest = line[len(quote):]
    if rest.startswith("\t"):
        return quote + rest[1:]
    blanks = len(rest) - len(rest.lstrip(" "))
    return quote + rest[min(blanks, len(INDENT)):]
