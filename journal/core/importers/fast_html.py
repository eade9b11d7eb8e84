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

import functools
import re
from typing import Any

from bs4.dammit import EntitySubstitution

# markdownify's own patterns and converter internals: the fast path must behave exactly like it
# (pinned to markdownify 1.2.3; tests/test_import_fast_html.py checks the outputs are equal).
from markdownify import (  # type: ignore[attr-defined]
    MarkdownConverter,
    re_html_heading,
    re_newline_whitespace,
    re_whitespace,
)

#: Tags the fast path accepts. Others (tables, pre, scripts, definition lists…) go to markdownify.
INLINE = frozenset({"em", "i", "strong", "b", "a", "span", "u", "code", "del", "s", "sub",
                    "sup", "q", "cite", "mark", "abbr", "small", "ins"})
BLOCKS = frozenset({"p", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "div", "article",
                    "section", "ul", "ol", "li", "figure", "figcaption"})
LISTS = frozenset({"ul", "ol"})
VOID = frozenset({"br", "hr", "img"})
ALLOWED = INLINE | BLOCKS | VOID

# markdownify's should_remove_whitespace_inside / _outside, for the tags above ("pre" is not
# accepted, so both sets are the same here).
_WS_INSIDE = frozenset({"p", "blockquote", "div", "article", "section", "h1", "h2", "h3",
                        "h4", "h5", "h6", "ol", "ul", "li"})
_NOFORMAT = frozenset({"code"})

_TAG_RE = re.compile(
    r'<(/?)([a-z][a-z0-9]*)((?:[ \n]+[a-z][a-z0-9-]*="[^"<>]*")*)[ \n]*(/?)>')
_ATTR_RE = re.compile(r'([a-z][a-z0-9-]*)="([^"<>]*)"')
_ENTITY_RE = re.compile(r"&(?:#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z][a-zA-Z0-9]{0,30}));")
_NAMED: dict[str, str] = EntitySubstitution.HTML_ENTITY_TO_CHARACTER
#: Control characters (tab, carriage return… every one but "\n") and the line and paragraph
#: separators: markdownify and BeautifulSoup treat these in ways of their own. The other Unicode
#: spaces — no-break (``&nbsp;``), thin, narrow no-break before French punctuation… — are
#: ordinary text to both, which strip them where they strip ``str.strip()``'s whitespace.
_ODD_CHAR_RE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")
#: What BeautifulSoup's ``endData`` collapses to one space or newline: a string of ASCII spaces
#: only (" " and "\n" here: the others are odd), not one holding another Unicode space.
_ASCII_SPACES = " \n"


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

    def find_previous_siblings(self, name: str) -> list[Element]:
        """The elements called ``name`` before this one in its parent (markdownify numbers an
        ordered list's items with it)."""
        siblings = self.parent.children if self.parent is not None else []
        before = siblings[:next(i for i, child in enumerate(siblings) if child is self)]
        return [c for c in reversed(before) if isinstance(c, Element) and c.name == name]


class _Unsupported(Exception):
    """The markup is outside the fast path's subset."""


def _entity(match: re.Match[str]) -> str:
    decimal, hexadecimal, name = match.groups()
    if name is not None:
        character = _NAMED.get(name)
        if character is None:
            raise _Unsupported
        return character
    code = int(decimal) if decimal is not None else int(hexadecimal, 16)
    if code < 0x20 or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
        raise _Unsupported  # BeautifulSoup's replacements for these are its own
    return chr(code)


def _unescape(raw: str) -> str:
    """Character references as BeautifulSoup's html.parser builder reads them, for the plain
    cases (names it knows, numbers of ordinary characters, always with ``;``)."""
    text, found = _ENTITY_RE.subn(_entity, raw)
    if found != raw.count("&"):  # a bare or unusual "&…": leave it to markdownify
        raise _Unsupported
    return text


def _text_node(raw: str) -> str:
    """A string as BeautifulSoup keeps it (the source has no odd characters: see ``parse``)."""
    if "&" in raw:
        raw = _unescape(raw)
        if _ODD_CHAR_RE.search(raw):
            raise _Unsupported
    if not raw.strip(_ASCII_SPACES):  # BeautifulSoup's endData collapses these
        return "\n" if "\n" in raw else " "
    return raw


def parse(source: str) -> Element:
    """The tree html.parser + BeautifulSoup would build; :class:`_Unsupported` otherwise."""
    if _ODD_CHAR_RE.search(source):
        raise _Unsupported
    root = Element("[document]", {}, None)
    stack = [root]
    # One split gives the text before every tag, the tag's four groups, ..., the text after
    # the last tag (cheaper than a match object per tag).
    parts = _TAG_RE.split(source)
    last = len(parts) - 1
    node = root
    for i in range(0, last, 5):
        raw = parts[i]
        if raw:
            node.children.append(
                _text_node(raw) if "&" in raw or raw.isspace() else raw)  # as is, usually
        closing, name, raw_attrs, self_closing = parts[i + 1:i + 5]
        if name not in ALLOWED:
            raise _Unsupported
        if closing:
            if raw_attrs or self_closing or name in VOID or node.name != name:
                raise _Unsupported
            stack.pop()
            node = stack[-1]
            continue
        if self_closing and name not in VOID:
            raise _Unsupported
        attrs = {key: _unescape(value) if "&" in value else value
                 for key, value in _ATTR_RE.findall(raw_attrs)} if raw_attrs else {}
        element = Element(name, attrs, node)
        node.children.append(element)
        if name not in VOID:
            stack.append(element)
            node = element
    tail = parts[last]
    if tail:
        if "&" in tail:  # html.parser may leave an entity at the very end as it is
            raise _Unsupported
        node.children.append(_text_node(tail))
    if len(stack) != 1 or source.count("<") != last // 5:  # unclosed tags, or a "<" in text
        raise _Unsupported
    return root


def _outside(node: Element | str | None) -> bool:
    return isinstance(node, Element) and node.name in _WS_INSIDE


def _split_newlines(string: str) -> tuple[str, str, str]:
    """markdownify's ``re_extract_newlines``: (leading newlines, content, trailing newlines)."""
    rest = string.lstrip("\n")
    content = rest.rstrip("\n")
    return string[:len(string) - len(rest)], content, rest[len(content):]


def _collapse(strings: list[str]) -> str:
    """Join the children's strings as markdownify does: at most two newlines between them.
    (The strings are never empty.)"""
    if len(strings) < 2:
        return strings[0] if strings else ""
    out = [""]
    for string in strings:
        if string[0] != "\n" and string[-1] != "\n":  # nothing to merge (the usual case)
            out.append(string)
            out.append("")
            continue
        leading, content, trailing = _split_newlines(string)
        if out[-1] and leading:
            previous = out.pop()
            leading = "\n" * min(2, max(len(previous), len(leading)))
        out.extend((leading, content, trailing))
    return "".join(out)


class _Walker:
    """markdownify's ``process_tag`` / ``process_text`` over an :class:`Element` tree."""

    def __init__(self, converter: MarkdownConverter) -> None:
        self.conv = converter
        kind, base = type(converter), MarkdownConverter
        #: the converter numbers and indents lists as markdownify does (``_convert_list``)
        self.lists_ok = all(getattr(kind, name, None) is getattr(base, own) for name, own in (
            ("convert_ul", "convert_list"), ("convert_ol", "convert_list"),
            ("convert_li", "convert_li")))
        self._tags_cache: dict[tuple[str, frozenset[str]], frozenset[str]] = {}

    def tag(self, node: Element, parent_tags: frozenset[str]) -> str:
        children = node.children
        joined = self._children(node, parent_tags) if children else ""
        if node.name in LISTS:
            return _convert_list(node, joined, parent_tags)
        convert_fn = self.conv.get_conv_fn_cached(node.name)  # type: ignore[attr-defined]
        return convert_fn(node, joined, parent_tags=parent_tags) if convert_fn else joined

    def _children(self, node: Element, parent_tags: frozenset[str]) -> str:
        children = node.children
        inside = node.name in _WS_INSIDE
        child_tags = self._child_tags(node.name, parent_tags)
        if len(children) == 1:  # most paragraphs and all emphasis: no neighbours to look at
            only = children[0]
            if isinstance(only, Element):
                return self.tag(only, child_tags)
            if inside and not only.strip():
                return ""
            return self.text(only, None, None, node, child_tags)
        last = len(children) - 1
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
        return _collapse(strings)

    def _child_tags(self, name: str, parent_tags: frozenset[str]) -> frozenset[str]:
        key = (name, parent_tags)
        found = self._tags_cache.get(key)
        if found is None:
            tags = set(parent_tags)
            tags.add(name)
            if re_html_heading.match(name):
                tags.add("_inline")
            if name in _NOFORMAT:
                tags.add("_noformat")
            found = self._tags_cache[key] = frozenset(tags)
        return found

    def text(self, text: str, prev: Element | str | None, after: Element | str | None,
             parent: Element, tags: frozenset[str]) -> str:
        if "\n" in text:  # (no \r or \t gets here) otherwise the substitutions change nothing
            text = re_newline_whitespace.sub("\n", text)
        if "  " in text:
            text = re_whitespace.sub(" ", text)
        if "_noformat" not in tags:
            text = self.conv.escape(text, tags)  # type: ignore[attr-defined]
        inside = parent.name in _WS_INSIDE
        if _outside(prev) or (inside and prev is None):
            text = text.lstrip(" \t\r\n")
        if _outside(after) or (inside and after is None):
            text = text.rstrip()
        return text


def _convert_list(node: Element, text: str, parent_tags: frozenset[str]) -> str:
    """markdownify 1.2.3's ``convert_list`` over this module's tree (its own looks for the next
    sibling with BeautifulSoup's classes): a list followed by anything but another list (text
    that is not only whitespace, or an element) ends with one more newline."""
    siblings = node.parent.children if node.parent is not None else []
    index = next(i for i, child in enumerate(siblings) if child is node)
    following = next((c for c in siblings[index + 1:] if isinstance(c, Element) or c.strip()),
                     None)
    before_paragraph = following is not None and (
        not isinstance(following, Element) or following.name not in LISTS)
    if "li" in parent_tags:
        return "\n" + text.rstrip()
    return "\n\n" + text + ("\n" if before_paragraph else "")


def convert(source: str, converter: MarkdownConverter) -> str | None:
    """``converter.convert(source)`` for simple markup, or None when markdownify is needed.

    ``converter`` must not use the ``wrap``, ``strip`` or ``convert`` options, nor convert lists
    in a way of its own."""
    walker = _walker(converter)
    if not walker.lists_ok and ("<ul" in source or "<ol" in source or "<li" in source):
        return None
    try:
        root = parse(source)
    except _Unsupported:
        return None
    try:
        return walker.tag(root, frozenset())
    finally:
        _release(root)


def _release(root: Element) -> None:
    """Break the tree's parent links (each child points back at its parent: a cycle), so
    that the tree is freed at once instead of waiting for the garbage collector, whose passes
    over ~15 elements a post took ~10 % of converting the posts."""
    stack = [root]
    while stack:
        node = stack.pop()
        node.parent = None
        stack += [child for child in node.children if type(child) is Element]


@functools.lru_cache(maxsize=8)
def _walker(converter: MarkdownConverter) -> _Walker:
    return _Walker(converter)
