"""A fast HTML → Markdown path for the common, simple markup of blog posts.

markdownify (over BeautifulSoup and ``html.parser``) costs about 1.5 ms a post, most of it
building and walking BeautifulSoup's tree. Most posts use a handful of tags only: paragraphs,
line breaks, emphasis, links, quotes, headings, lists, images. For those, this module writes
the Markdown in one pass over the tags, with a stack of the elements still open and no tree:
each element's children are converted as they are read, and the element is converted when it
closes, by the rules of markdownify 1.2.3 (pinned in pyproject.toml) with the options of
``wp_markdownify``'s converter, which ``wp_html`` hands the rest to. Those rules are
reimplemented here, not called (nor is markdownify imported: with BeautifulSoup and soupsieve
it cost each converting process ~70 ms at its start): markdownify's ``process_tag`` /
``process_text`` (which whitespace is dropped next to a block, how the children's newlines
collapse), its ``convert_*`` for the tags accepted, its ``escape``.

What the source must be for that (otherwise :func:`convert` returns ``None`` and the caller
uses markdownify itself): tags of the subset below only, lowercase, attributes double-quoted,
every element closed in order, no comments, no stray ``<``, no control characters, plain
character references — so that the tree html.parser + BeautifulSoup would build is the one
the tags spell. :func:`mirrors` says whether a converter is the one mirrored (a test checks
that ``wp_html``'s is).

``tests/test_import_fast_html.py`` checks with hypothesis that the output is identical to
markdownify's on generated documents of the subset (and on every post of the shared test data).
"""

from __future__ import annotations

import re
from html.entities import html5
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from markdownify import MarkdownConverter

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
_HEADINGS = {f"h{n}": "#" * n for n in range(1, 7)}
#: abstract_inline_conversion's tags, with the options' markup (sub_symbol, sup_symbol: "")
_MARKUP = {"em": "*", "i": "*", "strong": "**", "b": "**", "del": "~~", "s": "~~", "sub": "",
           "sup": ""}
_DIVS = frozenset({"div", "article", "section"})

#: A paragraph holding only text (the usual one: its text is the first group), or a tag.
_TAG_RE = re.compile(
    r'<p>([^<]*)</p>|<(/?)([a-z][a-z0-9]*)((?:[ \n]+[a-z][a-z0-9-]*="[^"<>]*")*)[ \n]*(/?)>')
_ATTR_RE = re.compile(r'([a-z][a-z0-9-]*)="([^"<>]*)"')
_ENTITY_RE = re.compile(r"&(?:#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z][a-zA-Z0-9]{0,30}));")
#: The named character references BeautifulSoup reads (``EntitySubstitution``'s table, which is
#: HTML5's with the ";" dropped: a test checks the two are equal), without importing it.
_NAMED: dict[str, str] = {name[:-1]: text for name, text in html5.items() if name[-1] == ";"}
#: Control characters (tab, carriage return… every one but "\n") and the line and paragraph
#: separators: markdownify and BeautifulSoup treat these in ways of their own. The other Unicode
#: spaces — no-break (``&nbsp;``), thin, narrow no-break before French punctuation… — are
#: ordinary text to both, which strip them where they strip ``str.strip()``'s whitespace.
_ODD_CHAR_RE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")
# markdownify's whitespace patterns, for text without tabs or carriage returns (odd here):
_NEWLINE_SPACES_RE = re.compile(r"[ \n]*\n[ \n]*")  # re_newline_whitespace → "\n"
_SPACES_RE = re.compile(r"  +")  # re_whitespace → " " (one space stays one space)
#: re_all_whitespace (in headings) → " ": with tabs, which an attribute can bring (an image's
#: ``alt="a&Tab;b"``, a link's href, inline in a heading)
_ALL_SPACES_RE = re.compile(r"[\t \r\n]+")
_BACKTICKS_RE = re.compile(r"`+")


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
    if 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE:
        raise _Unsupported  # noncharacters: html.parser drops them from attribute values
    return chr(code)


def _unescape(raw: str) -> str:
    """Character references as BeautifulSoup's html.parser builder reads them, for the plain
    cases (names it knows, numbers of ordinary characters, always with ``;``)."""
    text, found = _ENTITY_RE.subn(_entity, raw)
    if found != raw.count("&"):  # a bare or unusual "&…": leave it to markdownify
        raise _Unsupported
    return text


def _text_node(raw: str) -> str:
    """A string holding "&" as BeautifulSoup keeps it. (Its ``endData`` also collapses a string
    of ASCII spaces to one " " or "\n"; the text rules below give the same for those.)"""
    raw = _unescape(raw)
    if _ODD_CHAR_RE.search(raw):
        raise _Unsupported
    return raw


def _attrs(raw: str) -> dict[str, str]:
    """An element's attributes as BeautifulSoup gives them (the last of a repeated one wins)."""
    return {key: _unescape(value) if "&" in value else value
            for key, value in _ATTR_RE.findall(raw)} if raw else {}


def _add(pieces: list[str], string: str) -> None:
    """Add a child's string (never empty) to its parent's ``pieces`` as markdownify's
    ``process_tag`` joins them: where the last child ended with newlines and this one begins
    with some, the larger count, at most two. ``pieces`` starts as ``[""]`` and always ends
    with the last child's trailing newlines (its ``re_extract_newlines`` split)."""
    rest = string.lstrip("\n")
    content = rest.rstrip("\n")
    leading = len(string) - len(rest)
    if leading:
        if pieces[-1]:
            pieces[-1] = "\n" * min(2, max(len(pieces[-1]), leading))
        else:
            pieces.append(string[:leading])
    pieces.append(content)
    pieces.append(rest[len(content):])


def _only_text(raw: str, noformat: bool) -> str:
    """process_text for the only child of a paragraph (or ""), which strips it both sides."""
    if not raw:
        return ""
    if "&" in raw:
        raw = _text_node(raw)
    if raw.isspace():
        return ""
    return _spaced_and_escaped(raw, noformat).lstrip(" \t\r\n").rstrip()


def _spaced_and_escaped(raw: str, noformat: bool) -> str:
    """process_text's whitespace and escapes: runs of spaces and newlines collapsed,
    escape_asterisks and escape_underscores (not escape_misc) outside code."""
    if "\n" in raw:
        raw = _NEWLINE_SPACES_RE.sub("\n", raw)
    if "  " in raw:
        raw = _SPACES_RE.sub(" ", raw)
    if not noformat:
        if "*" in raw:
            raw = raw.replace("*", r"\*")
        if "_" in raw:
            raw = raw.replace("_", r"\_")
    return raw


def _chomp(text: str, left: str, right: str) -> str:
    """abstract_inline_conversion: the markup around the stripped text, the spaces outside."""
    content = text.strip()
    if not content:
        return ""
    return (" " if text[0] == " " else "") + left + content + right + (
        " " if text[-1] == " " else "")


def _link(text: str, raw_attrs: str) -> str:
    """convert_a (autolinks on, default_title off), outside code."""
    content = text.strip()
    if not content:
        return ""
    attrs = _attrs(raw_attrs)
    href = attrs.get("href")
    title = attrs.get("title")
    if not title and content.replace(r"\_", "_") == href:
        return f"<{href}>"
    if not href:
        return content
    title_part = ' "{}"'.format(title.replace('"', r'\"')) if title else ""
    return (" " if text[0] == " " else "") + f"[{content}]({href}{title_part})" + (
        " " if text[-1] == " " else "")


def _code(text: str) -> str:
    """convert_code, outside code: delimited by one more backtick than its longest run."""
    content = text.strip()
    if not content:
        return ""
    longest = max((len(run) for run in _BACKTICKS_RE.findall(content)), default=0)
    delimiter = "`" * (longest + 1)
    if longest:
        content = f" {content} "
    return (" " if text[0] == " " else "") + delimiter + content + delimiter + (
        " " if text[-1] == " " else "")


def _image(raw_attrs: str, inline: bool) -> str:
    """convert_img (keep_inline_images_in is empty: only the alt text inside a heading)."""
    attrs = _attrs(raw_attrs)
    alt = attrs.get("alt") or ""
    if inline:
        return alt
    title = attrs.get("title") or ""
    title_part = ' "{}"'.format(title.replace('"', r'\"')) if title else ""
    return f"![{alt}]({attrs.get('src') or ''}{title_part})"


def _blockquote(text: str, inline: bool) -> str:
    text = text.strip(" \t\r\n")
    if inline:
        return f" {text} "
    if not text:
        return "\n"
    return "\n" + "\n".join("> " + line if line else ">" for line in text.split("\n")) + "\n\n"


def _item(text: str, bullet: str) -> str:
    """convert_li: the content's lines indented by the bullet's width, the bullet on the
    first (which is never empty: the text is stripped)."""
    text = text.strip()
    if not text:
        return "\n"
    if "\n" not in text:
        return bullet + text + "\n"
    indent = " " * len(bullet)
    lines = text.split("\n")
    return bullet + lines[0] + "".join(
        "\n" + indent + line if line else "\n" for line in lines[1:]) + "\n"


def _list_start(raw_attrs: str) -> int:
    """The number of an ordered list's first item (convert_li: ``start`` if numeric)."""
    start = _attrs(raw_attrs).get("start") if raw_attrs else None
    if not start or not start.isnumeric():
        return 1
    if not start.isascii() or len(start) > 18:  # int() refuses "²"; huge numbers: leave them
        raise _Unsupported
    return int(start)


def _before_paragraph(parts: list[str], j: int, last: int) -> bool:
    """convert_list's look at the next sibling that is content (an element, or text that is
    not whitespace), from ``parts[j]``, the text after the list's closing tag."""
    following = parts[j]
    if following:
        value = _text_node(following) if "&" in following else following
        if value.strip():
            return True
    return j < last and (parts[j + 1] is not None  # a paragraph
                         or (not parts[j + 2] and parts[j + 3] not in LISTS))


def _convert(source: str) -> str:
    """The Markdown of ``source``; :class:`_Unsupported` if it is outside the subset."""
    if _ODD_CHAR_RE.search(source):
        raise _Unsupported
    # One split gives the text before every tag or paragraph of text, its five groups, ...,
    # the text after the last (cheaper than a match object per tag).
    parts = _TAG_RE.split(source)
    last = len(parts) - 1
    paragraphs = last // 6 - parts[1::6].count(None)
    if source.count("<") != last // 6 + paragraphs:  # a "<" in text, a comment, an odd tag
        raise _Unsupported
    if "&" in parts[last]:  # html.parser may leave an entity at the very end as it is
        raise _Unsupported
    parts += (None, "/", "", "", "")  # the end: a closing tag of no name after the last text
    # The open element: its name, its children's strings (see ``_add``), whether it drops
    # whitespace inside itself, what its children are in (a heading: "_inline", code:
    # "_noformat", an item), its attributes (a link's) or bullet (an item's), the next number
    # of an ordered list's items. The elements around it wait on the stack.
    name, pieces, inside, inline, noformat, in_item, extra, number = (
        "[document]", [""], False, False, False, False, "", 0)
    stack: list[tuple] = []
    prev: str | None = None  # the element before the next text (None: it is the first child)
    tokens = zip(range(0, last + 1, 6), parts[0::6], parts[1::6], parts[2::6], parts[3::6],
                 parts[4::6], parts[5::6], strict=True)
    for i, raw, paragraph, closing, tag, raw_attrs, self_closing in tokens:
        if raw:  # markdownify's process_tag (which strings it drops) and process_text
            if "&" in raw:
                raw = _text_node(raw)
            blank = raw.isspace()
            # the element after it (None: it is the last child) drops whitespace outside it
            block_after = not closing and (paragraph is not None or tag in _WS_INSIDE)
            if not blank or not (
                    (inside and (prev is None or closing)) or prev in _WS_INSIDE or block_after):
                raw = _spaced_and_escaped(raw, noformat)
                if prev in _WS_INSIDE or (inside and prev is None):
                    raw = raw.lstrip(" \t\r\n")
                if (inside and closing) or block_after:
                    raw = raw.rstrip()
                if raw:
                    if raw[0] != "\n" and raw[-1] != "\n":
                        pieces += (raw, "")
                    else:
                        _add(pieces, raw)
        if paragraph is not None:  # <p>text</p>: converted at once
            prev = "p"
            text = _only_text(paragraph, noformat)
            if inline:
                _add(pieces, f" {text} ")
            elif text:
                pieces[-1] = "\n\n"
                pieces += (text, "\n\n")
            continue
        if closing:
            if tag != name or raw_attrs or self_closing:  # (a void tag is never open)
                if not tag:
                    break  # the end
                raise _Unsupported
            text = "".join(pieces)
            own_extra = extra
            name, pieces, inside, inline, noformat, in_item, extra, number = stack.pop()
            prev = tag
            # markdownify's convert_<tag>, given the parent's context
            if tag == "p":
                text = text.strip(" \t\r\n")
                if inline:
                    _add(pieces, f" {text} ")
                elif text:  # a block: "\n\n" either side of text that has no "\n" at its ends
                    pieces[-1] = "\n\n"
                    pieces += (text, "\n\n")
                continue
            if tag in _MARKUP:
                out = text if noformat or not text else _chomp(text, _MARKUP[tag], _MARKUP[tag])
            elif tag == "a":
                out = text if noformat or not text else _link(text, own_extra)
            elif tag in _HEADINGS:
                if inline:
                    out = text
                else:
                    pieces[-1] = "\n\n"
                    pieces += (f"{_HEADINGS[tag]} {_ALL_SPACES_RE.sub(' ', text.strip())}",
                               "\n\n")
                    continue
            elif tag == "li":
                out = _item(text, own_extra)
            elif tag in LISTS:
                if in_item:
                    out = "\n" + text.rstrip()
                else:
                    out = "\n\n" + text + ("\n" if _before_paragraph(parts, i + 6, last) else "")
            elif tag in _DIVS:
                text = text.strip()
                out = f" {text} " if inline else f"\n\n{text}\n\n" if text else ""
            elif tag == "blockquote":
                out = _blockquote(text, inline)
            elif tag == "code":
                out = text if noformat or not text else _code(text)
            elif tag == "q":
                out = f'"{text}"'
            elif tag == "figcaption":  # wp_html's: in italics
                text = text.strip()
                out = f"\n\n*{text}*\n\n" if text else ""
            else:  # span, u, cite, mark, abbr, small, ins, figure: no markup of their own
                out = text
            if out:
                _add(pieces, out)
        elif tag in VOID:
            prev = tag
            if tag == "br":
                if inline:
                    pieces += (" ", "")
                else:
                    pieces += ("\\", "\n")
            elif tag == "hr":
                pieces[-1] = "\n\n"
                pieces += ("---", "\n\n")
            else:
                image = _image(raw_attrs, inline)
                if image:
                    _add(pieces, image)
        else:
            if self_closing or tag not in ALLOWED:
                raise _Unsupported
            if tag == "li":
                if name == "ol":
                    own_extra = f"{number}. "
                    number += 1
                else:
                    own_extra = "- "  # bullets "-": the same at every depth
            else:
                own_extra = raw_attrs
            stack.append((name, pieces, inside, inline, noformat, in_item, extra, number))
            name, pieces, inside, extra = tag, [""], tag in _WS_INSIDE, own_extra
            if tag in _HEADINGS:
                inline = True
            elif tag == "code":
                noformat = True
            elif tag == "li":
                in_item = True
            elif tag == "ol":
                number = _list_start(raw_attrs)
            prev = None
    if stack:  # unclosed elements
        raise _Unsupported
    return "".join(pieces).strip("\n")  # strip_document: STRIP


def convert(source: str) -> str | None:
    """``wp_markdownify.converter().convert(source)`` for simple markup, or None when markdownify is
    needed."""
    try:
        return _convert(source)
    except _Unsupported:
        return None


#: The options this module's rules are written for (``wp_markdownify.WpConverter.Options``).
_OPTIONS = {"autolinks": True, "bullets": "-", "convert": None, "default_title": False,
            "escape_asterisks": True, "escape_underscores": True, "escape_misc": False,
            "heading_style": "atx", "keep_inline_images_in": [], "newline_style": "backslash",
            "strip": None, "strip_document": "strip", "strong_em_symbol": "*",
            "sub_symbol": "", "sup_symbol": "", "wrap": False,
            "bs4_options": {"features": "html.parser"}}
_METHODS = ("convert", "convert_soup", "process_element", "process_tag", "process_text",
            "get_conv_fn_cached", "get_conv_fn", "should_convert_tag", "escape", "convert_hN",
            *(f"convert_{tag}" for tag in sorted(ALLOWED) if tag != "figcaption"))


def mirrors(converter: MarkdownConverter) -> bool:
    """Whether ``converter`` converts as this module does: ``wp_markdownify``'s class
    (markdownify's methods but figcaption's) and options. ``wp_html`` hands this module's
    declines to that converter; the tests check it still is what this module mirrors."""
    from markdownify import MarkdownConverter

    from journal.core.importers.wp_markdownify import WpConverter

    kind: Any = type(converter)
    options: dict[str, Any] = converter.options  # type: ignore[attr-defined]
    return (getattr(kind, "convert_figcaption", None) is WpConverter.convert_figcaption
            and all(getattr(kind, method, None) is getattr(MarkdownConverter, method, None)
                    for method in _METHODS)
            and all(options.get(key) == value for key, value in _OPTIONS.items()))
