"""Bounded rendering: a linear pre-pass that takes the teeth out of pathological Markdown.

python-markdown is pure Python and some of its patterns are quadratic or recursive: 40 KB of
``[[`` took minutes (each ``[`` scans to the end of its paragraph for a ``]``), a list nested
300 levels deep or 5,000 nested emphasis markers raised RecursionError, a blockquote that
deepens on every line took minutes. No review written by a person looks like that, so the
pre-pass changes only what is beyond any real use, and keeps every line where it was (the
preview's scroll map counts lines):

- quotes nested deeper than ``MAX_DEPTH`` and list items indented deeper than ``MAX_DEPTH``
  levels are kept at that depth;
- in a block with more than ``MAX_BRACKETS`` brackets, a ``[`` that has no ``]`` in its block,
  or is nested more than ``MAX_LINK_NESTING`` deep, or closes more than ``MAX_LINK_SPAN``
  characters later, is shown as written (never a link);
- in a block with more than ``MAX_EMPHASIS`` ``*``/``_`` markers, they are all shown as written.

Code (fenced blocks, code spans) is left alone. What is beyond the pre-pass (a text of more
than ``MAX_CHARS``, anything that still recurses too deep) is shown as plain text, with a
notice saying why (``Renderer.render_body``).
"""

from __future__ import annotations

import bisect
import re
import sys

MAX_CHARS = 2_000_000
MAX_DEPTH = 16
MAX_BRACKETS = 200
MAX_LINK_NESTING = 4
MAX_LINK_SPAN = 2_000
MAX_EMPHASIS = 1_000

NOTICE = ("Parts of this text are nested or repeated far beyond what Markdown is written "
          "with; they are shown as written.")
TOO_LONG = ("This text is too long to be formatted ({n:,} characters; the limit is {limit:,}): "
            "it is shown as plain text.")
TOO_DEEP = "This text is nested too deeply to be formatted: it is shown as plain text."

_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_QUOTE_RE = re.compile(r"^( {0,3}(?:>[ \t]?)+)")
_LIST_RE = re.compile(r"^([ \t]+)((?:[-*+]|\d{1,9}[.)])(?:[ \t]|$))")
_DEEP_QUOTE_RE = re.compile(r"^ {0,3}(?:>[ \t]?){" + str(MAX_DEPTH + 1) + ",}", re.M)
_DEEP_LIST_RE = re.compile(r"^[ \t]{" + str(4 * MAX_DEPTH + 1) + r",}(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)",
                           re.M)
_STAND_IN = {"[": "\ue000", "*": "\ue001", "_": "\ue002"}
_BACK = {ord(v): k for k, v in _STAND_IN.items()}
_TOKEN_RE = re.compile(r"\\.|`+|\[|\]|[*_]")
_HR_LINE_RE = re.compile(r"^ {0,3}(?:[*_-][ \t]*){3,}$", re.M)  # a rule: left as it is


def defuse(text: str) -> tuple[str, bool]:
    """The text with its pathological parts made harmless, and whether anything changed."""
    changed = False
    if _DEEP_QUOTE_RE.search(text) or _DEEP_LIST_RE.search(text):
        text, changed = _cap_depth(text), True
    if text.count("[") > MAX_BRACKETS or text.count("*") + text.count("_") > MAX_EMPHASIS:
        lines = text.split("\n")
        out: list[str] = []
        for block, fenced in _blocks(lines):
            if fenced:
                out.extend(block)
                continue
            joined = "\n".join(block)
            fixed = _defuse_block(joined)
            changed |= fixed != joined
            out.extend(fixed.split("\n"))
        text = "\n".join(out)
    return text, changed


def _blocks(lines: list[str]) -> list[tuple[list[str], bool]]:
    """Lines grouped in blocks (split at blank lines); fenced code blocks on their own."""
    blocks: list[tuple[list[str], bool]] = []
    current: list[str] = []
    fence = ""
    for line in lines:
        m = _FENCE_RE.match(line)
        if fence:
            current.append(line)
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                blocks.append((current, True))
                current, fence = [], ""
            continue
        if m:
            if current:
                blocks.append((current, False))
            current, fence = [line], m.group(1)
            continue
        if not line.strip():
            current.append(line)
            blocks.append((current, False))
            current = []
            continue
        current.append(line)
    if current:
        blocks.append((current, bool(fence)))
    return blocks


def _cap_depth(text: str) -> str:
    out = []
    fence = ""
    for line in text.split("\n"):
        m = _FENCE_RE.match(line)
        if fence:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                fence = ""
            out.append(line)
            continue
        if m:
            fence = m.group(1)
        quote = _QUOTE_RE.match(line)
        if quote and quote.group(1).count(">") > MAX_DEPTH:
            line = "> " * MAX_DEPTH + line[quote.end():]
        item = _LIST_RE.match(line)
        if item and len(item.group(1).expandtabs(4)) > 4 * MAX_DEPTH:
            line = " " * (4 * MAX_DEPTH) + line[item.end(1):]
        out.append(line)
    return "\n".join(out)


def _defuse_block(block: str) -> str:
    """Escape the brackets and emphasis markers of one block that would make it pathological."""
    brackets = block.count("[") > MAX_BRACKETS
    emphasis = block.count("*") + block.count("_") > MAX_EMPHASIS
    if not brackets and not emphasis:
        return block
    escape: set[int] = set()
    stack: list[int] = []
    pairs: list[tuple[int, int]] = []
    markers: list[int] = []
    pos = 0
    while True:
        m = _TOKEN_RE.search(block, pos)
        if m is None:
            break
        token, start = m.group(0), m.start()
        pos = m.end()
        if token[0] == "`":  # a code span runs to the next run of as many backticks
            close = re.compile(r"(?<!`)" + token + r"(?!`)").search(block, pos)
            if close is not None:
                pos = close.end()
        elif token == "[":
            stack.append(start)
        elif token == "]":
            if stack:
                opened = stack.pop()
                pairs.append((opened, start))
        elif token in "*_":
            markers.append(start)
    if brackets:
        escape.update(stack)  # never closed in this block
        escape.update(_too_deep_or_long(pairs))
    if emphasis and len(markers) > MAX_EMPHASIS:
        rules = [(m.start(), m.end()) for m in _HR_LINE_RE.finditer(block)]
        escape.update(p for p in markers if not _inside(rules, p))
    if not escape:
        return block
    # Each escaped character becomes a private-use stand-in that Markdown does not see (a
    # backslash escape would cost python-markdown one pattern match each: 40 KB of "[[" took
    # seconds); ``restore`` puts the characters back in the HTML.
    chars = list(block)
    for p in escape:
        chars[p] = _STAND_IN[chars[p]]
    return "".join(chars)


def _too_deep_or_long(pairs: list[tuple[int, int]]) -> set[int]:
    """Openers of matched brackets that close too far away or sit too deep among matched
    brackets (unmatched ones, escaped anyway, do not count: Markdown's scan ignores them)."""
    out = {opened for opened, closed in pairs if closed - opened > MAX_LINK_SPAN}
    enclosing: list[int] = []  # close positions of the pairs around the current one
    for opened, closed in sorted(pairs):
        while enclosing and enclosing[-1] < opened:
            enclosing.pop()
        if len(enclosing) >= MAX_LINK_NESTING:
            out.add(opened)
        enclosing.append(closed)
    return out


def restore(html: str) -> str:
    """The HTML of a defused text with its stand-ins back to the characters they stand for."""
    return html.translate(_BACK)


def _inside(spans: list[tuple[int, int]], at: int) -> bool:
    """Whether ``at`` falls in one of the sorted, disjoint ``spans``."""
    i = bisect.bisect_right(spans, (at, sys.maxsize)) - 1
    return i >= 0 and spans[i][0] <= at < spans[i][1]
