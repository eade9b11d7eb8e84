"""A fast HTML → Markdown path for the common, simple markup of blog posts.

markdownify (over BeautifulSoup and ``html.parser``) costs about 1.5 ms a post, most of it
building and walking BeautifulSoup's tree. Most posts use a handful of tags only: paragraphs,
line breaks, emphasis, links, quotes, headings, images. For those, this module builds the same
tree ``html.parser`` + BeautifulSoup would build (a strict tokenizer: well-formed, lowercase,
double-quoted attributes, no comments, no stray ``<``) and walks it the way markdownify 1.2.3
does, calling markdownify's own ``convert_*`` methods on it. Anything outside that subset makes
:func:`convert` return ``None`` and the caller uses markdownify itself.

``tests/test_import_fast_html.py`` checks with hypothesis that the output is identical to
markdownify's on generated documents of the subset (and on every post of the shared test data).
"""

from __future__ import annotations

import html
import re
from typing import Any

from markdownify import (
    MarkdownConverter,
    re_extract_newlines,
    re_html_heading,
    re_newline_whitespace,
    re_whitespace,
)

#: Tags the fast path accepts. Others (lists, tables, pre, figures, scripts…) go to markdownify.
INLINE = frozenset({"em", "i", "strong", "b", "a", "span", "u", "code", "del", "s", "sub",
                    "sup", "q"})
BLOCKS = frozenset({"p", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "div"})
VOID = frozenset({"br", "hr", "img"})
ALLOWED = INLINE | BLOCKS | VOID

# markdownify's should_remove_whitespace_inside / _outside, for the tags above ("pre" is not
# accepted, so both sets are the same here).
_WS_INSIDE = frozenset({"p", "blockquote", "div", "h1", "h2", "h3", "h4", "h5", "h6"})
_NOFORMAT = frozenset({"code"})
_ASCII_SPACES = "\x20\x0a\x09\x0c\x0d"  # BeautifulSoup's whitespace-only strings

_TAG_RE = re.compile(
    r'<(/?)([a-z][a-z0-9]*)((?:[ \n]+[a-z][a-z0-9-]*="[^"<>]*")*)[ \n]*(/?)>')
_ATTR_RE = re.compile(r'([a-z][a-z0-9-]*)="([^"<>]*)"')
_ODD_CHAR_RE = re.compile(r"[^\S \n]|[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class Element:
    """The little of a BeautifulSoup ``Tag`` that markdownify's converters use."""

    __slots__ = ("attrs", "children", "name", "parent")

    def __init__(self, name: str, attrs: dict[str, str], parent: Element | None) -> None:
        self.name = name
        self.attrs = attrs
        self.parent = parent
        self.children: list[Element | str] = []

    def get(self, key: str, default: Any = None) -> Any:
        return self.attrs.get(key, default)


class _Unsupported(Exception):
    """The markup is outside the fast path's subset."""


def _text_node(raw: str) -> str:
    if "<" in raw:
        raise _Unsupported
    text = html.unescape(raw) if "&" in raw else raw
    if _ODD_CHAR_RE.search(text):
        raise _Unsupported
    if not text.strip(_ASCII_SPACES):  # as BeautifulSoup's endData collapses them
        return "\n" if "\n" in text else " "
    return text


def parse(source: str) -> Element:
    """The tree html.parser + BeautifulSoup would build; :class:`_Unsupported` otherwise."""
    root = Element("[document]", {}, None)
    stack = [root]
    pos = 0
    for match in _TAG_RE.finditer(source):
        if match.start() > pos:
            stack[-1].children.append(_text_node(source[pos:match.start()]))
        pos = match.end()
        closing, name, raw_attrs, self_closing = match.groups()
        if name not in ALLOWED:
            raise _Unsupported
        if closing:
            if raw_attrs or self_closing or name in VOID or stack[-1].name != name:
                raise _Unsupported
            stack.pop()
            continue
        if self_closing and name not in VOID:
            raise _Unsupported
        attrs = {key: html.unescape(value) for key, value in _ATTR_RE.findall(raw_attrs)}
        element = Element(name, attrs, stack[-1])
        stack[-1].children.append(element)
        if name not in VOID:
            stack.append(element)
    if pos < len(source):
        stack[-1].children.append(_text_node(source[pos:]))
    if len(stack) != 1:
        raise _Unsupported
    return root


def _outside(node: Element | str | None) -> bool:
    return isinstance(node, Element) and node.name in _WS_INSIDE


class _Walker:
    """markdownify's ``process_tag`` / ``process_text`` over an :class:`Element` tree."""

    def __init__(self, converter: MarkdownConverter) -> None:
        self.conv = converter

    def tag(self, node: Element, parent_tags: frozenset[str]) -> str:
        children = node.children
        inside = node.name in _WS_INSIDE
        last = len(children) - 1
        tags = set(parent_tags)
        tags.add(node.name)
        if re_html_heading.match(node.name):
            tags.add("_inline")
        if node.name in _NOFORMAT:
            tags.add("_noformat")
        child_tags = frozenset(tags)
        strings = []
        for i, child in enumerate(children):
            prev = children[i - 1] if i else None
            after = children[i + 1] if i < last else None
            if isinstance(child, Element):
                text = self.tag(child, child_tags)
            elif not child.strip() and ((inside and (prev is None or after is None))
                                        or _outside(prev) or _outside(after)):
                continue
            else:
                text = self.text(child, prev, after, node, child_tags)
            if text:
                strings.append(text)
        joined = self._collapse(strings)
        convert_fn = self.conv.get_conv_fn_cached(node.name)
        return convert_fn(node, joined, parent_tags=set(parent_tags)) if convert_fn else joined

    @staticmethod
    def _collapse(strings: list[str]) -> str:
        out = [""]
        for string in strings:
            leading, content, trailing = re_extract_newlines.match(string).groups()  # type: ignore[union-attr]
            if out[-1] and leading:
                previous = out.pop()
                leading = "\n" * min(2, max(len(previous), len(leading)))
            out.extend((leading, content, trailing))
        return "".join(out)

    def text(self, text: str, prev: Element | str | None, after: Element | str | None,
             parent: Element, tags: frozenset[str]) -> str:
        if "\n" in text:  # (no \r or \t gets here) otherwise the substitutions change nothing
            text = re_newline_whitespace.sub("\n", text)
        if "  " in text:
            text = re_whitespace.sub(" ", text)
        if "_noformat" not in tags:
            text = self.conv.escape(text, tags)
        inside = parent.name in _WS_INSIDE
        if _outside(prev) or (inside and prev is None):
            text = text.lstrip(" \t\r\n")
        if _outside(after) or (inside and after is None):
            text = text.rstrip()
        return text


def convert(source: str, converter: MarkdownConverter) -> str | None:
    """``converter.convert(source)`` for simple markup, or None when markdownify is needed.

    ``converter`` must not use the ``wrap``, ``strip`` or ``convert`` options."""
    try:
        root = parse(source)
    except _Unsupported:
        return None
    return _Walker(converter).tag(root, frozenset())
