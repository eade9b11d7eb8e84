"""Streaming reader for WordPress eXtended RSS (WXR 1.0, 1.1, 1.2) exports.

``iter_wxr(path)`` yields one :class:`WxrItem` per ``<item>`` while memory stays flat: each item
is discarded from the tree once read. Namespaces are recognised by their path
(``…/export/1.2/`` over http or https), never by the exact URL string.

Safety: a document type declaration is refused before parsing starts, so no entity can be
declared and no entity-expansion bomb can run. The C ElementTree parser does the rest.

A stream can fail after it has already yielded items (a file cut short, a broken tag near the
end): callers that must be all-or-nothing should read everything (``read_wxr``) or run
``read_wxr_summary`` first, which walks the whole file.
"""

from __future__ import annotations

import functools
import html
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from xml.sax.saxutils import quoteattr

from journal.core.importers.errors import WxrFormatError
from journal.core.importers.safe_input import find_doctype

#: How much of the file's start is searched for the prolog (comments, processing instructions).
_PROLOG_LIMIT = 1 << 20
_VERSION_RE = re.compile(r"^\d+\.\d+$")
_NS_KINDS = (
    (re.compile(r"^/export/\d+\.\d+/excerpt/?$"), "excerpt"),
    (re.compile(r"^/export/\d+\.\d+/?$"), "wp"),
    (re.compile(r"^/rss/1\.0/modules/content/?$"), "content"),
    (re.compile(r"^/dc/elements/1\.1/?$"), "dc"),
)
_DROPPED_COMMENT_TYPES = {"pingback", "trackback"}
#: The most memory reading one item (a post with its comments) may take, as estimated while it
#: is read. WordPress posts, even long reviews with hundreds of comments, take well under a
#: megabyte of the file; one that would take more is a damaged or hostile file, and reading it
#: whole held it in memory several times over (a 500 MB post: its text, then its Markdown).
#: Such an item is skipped when it passes the limit (the preview says so), the rest of it is
#: read through without being kept, and the file is read on after it.
MAX_ITEM_MEMORY = 64_000_000
#: Past this many bytes of one item, what reading it holds is estimated as it is read: the
#: parser keeps the text of an element as one string per line or character reference (~50
#: bytes each beside the characters: 1 MB of two-letter lines took 23 MB here), of up to 4
#: bytes a character. The estimate, 4 bytes a byte of the file and 80 a line or reference, is
#: never below what is held; a post of plain text reaches the limit at ~12 MB of the file.
#: The bytes before are not looked at (nearly every item is smaller: nothing is counted for
#: them), so what is held is at most the limit plus ~23 times this: ~70 MB in all.
MEASURE_FROM = 256_000
_ITEM_END = b"</item>"
_DECLARATION_RE = re.compile(rb"^\s*(<\?xml[^>]*\?>)")
_NOT_WXR = "does not appear to be a WordPress export"
_DTD_REFUSED = ("contains a document type declaration (DTD); WordPress exports never do, and "
                "Eyelights refuses them because they can hide entity-expansion attacks")


@dataclass(frozen=True)
class WxrTerm:
    """A category or tag attached to an item (or declared in the channel)."""

    domain: str  # "category", "post_tag", or a custom taxonomy
    nicename: str  # the slug
    label: str  # the display name


@dataclass(frozen=True)
class WxrAuthor:
    login: str
    display_name: str
    email: str


@dataclass(frozen=True)
class WxrComment:
    comment_id: str
    parent_id: str | None  # None for a top-level comment
    author: str
    author_url: str
    date: datetime | None  # UTC when comment_date_gmt is set, else naive local time
    content: str
    approved: str  # "1" (or "" when the export leaves it out) for the comments kept here
    type: str  # "" or "comment" for the comments kept here


@dataclass
class WxrItem:
    """One ``<item>``: a post, page, attachment, menu item… (see ``post_type``)."""

    post_id: str | None
    post_type: str
    status: str
    title: str  # as exported: may hold HTML tags and entities (see ``title_text``)
    date: datetime | None  # aware UTC from post_date_gmt/pubDate, naive from post_date
    content: str  # content:encoded, raw HTML exactly as exported
    excerpt: str
    link: str
    slug: str
    creator: str
    password_protected: bool
    sticky: bool
    terms: list[WxrTerm] = field(default_factory=list)
    comments: list[WxrComment] = field(default_factory=list)
    dropped_comments: int = 0  # unapproved, spam, pingbacks and trackbacks
    #: the item passed ``MAX_ITEM_MEMORY``: not read (only its title, if it came first)
    too_large: bool = False

    @functools.cached_property
    def title_text(self) -> str:
        """The title as plain text: WordPress titles are HTML (tags, ``&amp;`` entities).
        (Worked out once: planning asks for it four times a post.)"""
        return html.unescape(re.sub(r"<[^>]*>", "", self.title)).strip()

    @property
    def categories(self) -> list[WxrTerm]:
        return [t for t in self.terms if t.domain == "category"]

    @property
    def tags(self) -> list[WxrTerm]:
        return [t for t in self.terms if t.domain == "post_tag"]


@dataclass
class WxrChannel:
    """Everything outside the items: site, version, authors and declared terms."""

    version: str = ""
    title: str = ""
    link: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    authors: list[WxrAuthor] = field(default_factory=list)
    terms: list[WxrTerm] = field(default_factory=list)


@dataclass
class WxrFile:
    channel: WxrChannel
    items: list[WxrItem]


@dataclass
class WxrSummary:
    """Counts for an import preview, gathered without keeping the items."""

    channel: WxrChannel
    items_by_type: Counter[str]
    posts_by_status: Counter[str]
    comments: int
    dropped_comments: int


# --- namespaces ---------------------------------------------------------------------------

_tag_cache: dict[str, tuple[str, str]] = {}


def _split_tag(tag: str) -> tuple[str, str]:
    """``{uri}local`` → (kind, local) where kind is wp/excerpt/content/dc, "" or "other"."""
    cached = _tag_cache.get(tag)
    if cached is not None:
        return cached
    if not tag.startswith("{"):
        result = ("", tag)
    else:
        uri, _, local = tag[1:].partition("}")
        result = ("other", local)
        path = urlsplit(uri).path
        for pattern, kind in _NS_KINDS:
            if pattern.match(path):
                result = (kind, local)
                break
    if len(_tag_cache) < 4096:
        _tag_cache[tag] = result
    return result


def _text(elem: ET.Element) -> str:
    if not len(elem):  # a leaf (nearly every element of an export): its text is all there is
        return elem.text or ""
    return "".join(elem.itertext())


# --- pre-flight checks --------------------------------------------------------------------


def _check_prolog(path: Path) -> bytes | None:
    """Refuse empty files, non-XML files and any DTD (entity bombs) before parsing. The file's
    XML declaration (b"" when it has none), or None for UTF-16: what a read resumed after a
    skipped item starts with (``WxrReader._too_large``)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(_PROLOG_LIMIT)
    except OSError as exc:
        raise WxrFormatError(path, f"cannot be read ({exc.strerror or exc})") from exc
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    if not head.strip():
        raise WxrFormatError(path, "the file is empty")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        # UTF-16 with a byte-order mark: expat reads the prolog in its own encoding
        line = find_doctype(lambda: path.open("rb"))
        if line is not None:
            raise WxrFormatError(path, _DTD_REFUSED, line=line)
        return None
    declared = _DECLARATION_RE.match(head)
    text = head.decode("latin-1")
    pos = 0
    while True:
        while pos < len(text) and text[pos] in " \t\r\n":
            pos += 1
        if text.startswith("<?", pos):
            end, step = text.find("?>", pos), 2
        elif text.startswith("<!--", pos):
            end, step = text.find("-->", pos), 3
        elif text.startswith("<!DOCTYPE", pos):
            raise WxrFormatError(path, _DTD_REFUSED, line=text.count("\n", 0, pos) + 1)
        elif text.startswith("<", pos) and pos + 1 < len(text) and text[pos + 1].isalpha():
            return declared.group(1) if declared else b""
        else:
            raise WxrFormatError(path, f"{_NOT_WXR}: it is not an XML file",
                                 line=text.count("\n", 0, pos) + 1)
        if end < 0:
            raise WxrFormatError(path, f"{_NOT_WXR}: its XML prolog never ends")
        pos = end + step


def _reopen(namespaces: dict[str, str]) -> bytes:
    """``<rss …><channel>`` declaring the file's namespaces, to read on after a skipped item."""
    declared = "".join(f" xmlns:{prefix}={quoteattr(uri)}" if prefix else f" xmlns={quoteattr(uri)}"
                       for prefix, uri in namespaces.items())
    return f"<rss{declared}><channel>".encode()


def _parse_error(path: Path, exc: ET.ParseError) -> WxrFormatError:
    line, column = exc.position if exc.position else (None, None)
    reason = re.sub(r":\s*line \d+, column \d+$", "", str(exc))
    if reason.startswith("no element found"):
        problem = "the file ends too early (it was probably cut short while saving or copying)"
    elif reason.startswith("not well-formed"):
        inner = reason.partition("(")[2].rstrip(")") or "bad character"
        problem = f"not well-formed XML ({inner} at column {column})"
    else:
        problem = f"not well-formed XML ({reason} at column {column})"
    return WxrFormatError(path, problem, line=line)


# --- reading ------------------------------------------------------------------------------


#: The form WordPress always writes dates in; anything else goes through ``strptime``.
_WP_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}")


def _parse_date(value: str, *, gmt: bool) -> datetime | None:
    """``YYYY-MM-DD HH:MM:SS`` as ``strptime`` reads it (None when it cannot)."""
    value = value.strip()
    if not value or value.startswith("0000-00-00"):
        return None
    try:
        if _WP_DATE_RE.fullmatch(value):  # the same datetime, five times faster than strptime
            parsed = datetime(int(value[:4]), int(value[5:7]), int(value[8:10]),
                              int(value[11:13]), int(value[14:16]), int(value[17:19]))
        else:
            parsed = datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if gmt else parsed


def _parse_pubdate(value: str) -> datetime | None:
    value = value.strip()
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is None or parsed.year < 1900:
        return None  # WordPress writes "-0001" years for drafts
    return parsed.astimezone(UTC)


def _children(elem: ET.Element) -> dict[tuple[str, str], ET.Element]:
    """First child per (namespace kind, local name): later duplicates are ignored."""
    found: dict[tuple[str, str], ET.Element] = {}
    for child in elem:
        found.setdefault(_split_tag(child.tag), child)
    return found


def _value(found: dict[tuple[str, str], ET.Element], kind: str, local: str) -> str:
    child = found.get((kind, local))
    return _text(child) if child is not None else ""


def _read_comment(elem: ET.Element) -> tuple[WxrComment, bool]:
    """The comment and whether it should be kept."""
    f = _children(elem)

    def v(name: str) -> str:
        return _value(f, "wp", name).strip()

    parent = v("comment_parent")
    date = _parse_date(v("comment_date_gmt"), gmt=True) or _parse_date(
        v("comment_date"), gmt=False)
    comment = WxrComment(
        comment_id=v("comment_id"), parent_id=None if parent in ("", "0") else parent,
        author=v("comment_author"), author_url=v("comment_author_url"), date=date,
        content=_value(f, "wp", "comment_content"), approved=v("comment_approved"),
        type=v("comment_type"))
    # A missing approval flag means approved (as WordPress itself assumes); "0", "spam" and
    # "trash" do not.
    keep = comment.approved in ("", "1") and comment.type.lower() not in _DROPPED_COMMENT_TYPES
    return comment, keep


def _read_item(elem: ET.Element) -> WxrItem:
    f = _children(elem)

    def wp(name: str) -> str:
        return _value(f, "wp", name).strip()

    date = (_parse_date(wp("post_date_gmt"), gmt=True)
            or _parse_date(wp("post_date"), gmt=False)
            or _parse_pubdate(_value(f, "", "pubDate")))
    item = WxrItem(
        post_id=wp("post_id") or None, post_type=wp("post_type") or "post",
        status=wp("status") or "publish", title=_value(f, "", "title").strip(), date=date,
        content=_value(f, "content", "encoded"), excerpt=_value(f, "excerpt", "encoded"),
        link=_value(f, "", "link").strip(), slug=wp("post_name"),
        creator=_value(f, "dc", "creator").strip(), password_protected=bool(wp("post_password")),
        sticky=wp("is_sticky") == "1")
    for child in elem:
        kind, local = _split_tag(child.tag)
        if (kind, local) == ("", "category"):
            item.terms.append(WxrTerm(domain=child.get("domain", "category"),
                                      nicename=child.get("nicename", ""),
                                      label=_text(child).strip()))
        elif (kind, local) == ("wp", "comment"):
            comment, keep = _read_comment(child)
            if keep:
                item.comments.append(comment)
            else:
                item.dropped_comments += 1
    return item


def _read_author(elem: ET.Element) -> WxrAuthor:
    f = _children(elem)
    return WxrAuthor(login=_value(f, "wp", "author_login").strip(),
                     display_name=_value(f, "wp", "author_display_name").strip(),
                     email=_value(f, "wp", "author_email").strip())


def _read_channel_term(elem: ET.Element, local: str) -> WxrTerm:
    f = _children(elem)
    if local == "category":
        return WxrTerm("category", _value(f, "wp", "category_nicename").strip(),
                       _value(f, "wp", "cat_name").strip())
    if local == "tag":
        return WxrTerm("post_tag", _value(f, "wp", "tag_slug").strip(),
                       _value(f, "wp", "tag_name").strip())
    return WxrTerm(_value(f, "wp", "term_taxonomy").strip(), _value(f, "wp", "term_slug").strip(),
                   _value(f, "wp", "term_name").strip())


class _Counting:
    """A binary file wrapper that tells the reader how many bytes were read, and stops a
    channel element (an item, or text between them) that would take over ``MAX_ITEM_MEMORY``."""

    def __init__(self, raw: Any, reader: WxrReader) -> None:
        self.raw, self.reader = raw, reader
        self.tail = b""  # the end of the last read: a "</item>" may straddle two reads

    def read(self, size: int = -1) -> bytes:
        reader = self.reader
        if reader.bytes_read - reader.mark > MEASURE_FROM and (
                4 * (reader.bytes_read - reader.mark) + 80 * reader.pieces > MAX_ITEM_MEMORY):
            raise _TooLarge()
        data: bytes = self.raw.read(size)
        reader.bytes_read += len(data)
        if reader.bytes_read - reader.mark > MEASURE_FROM:  # a large item: count its pieces
            reader.pieces += data.count(b"\n") + data.count(b"&")
        self.tail = data[-len(_ITEM_END):]
        return data


class _Resumed:
    """The rest of a file after a skipped item, as a document of its own: the file's XML
    declaration and namespaces, ``<rss><channel>``, then the bytes after the item's end."""

    def __init__(self, head: bytes, rest: _Counting) -> None:
        self.head, self.rest = head, rest

    def read(self, size: int = -1) -> bytes:
        if self.head:
            head, self.head = self.head, b""
            self.rest.tail = head[-len(_ITEM_END):]  # what the parser was last given
            return head
        return self.rest.read(size)


class _TooLarge(Exception):
    """The element being read passed ``MAX_ITEM_MEMORY`` (raised from the file wrapper)."""


class WxrReader:
    """Iterate a WXR file's items; ``channel`` fills in as the file is read."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.channel = WxrChannel()
        self.bytes_read = 0  # how far the parser has read, for progress bars

    def __iter__(self) -> Iterator[WxrItem]:
        declaration = _check_prolog(self.path)
        self.mark = 0  # where the channel element being read began (or the last one ended)
        self.pieces = 0  # lines and character references read since, past ``MEASURE_FROM``
        namespaces: dict[str, str] = {}
        with self.path.open("rb") as raw:
            source: _Counting | _Resumed = _Counting(raw, self)
            while True:
                stack: list[ET.Element] = []
                try:
                    yield from self._parse(source, stack, namespaces)
                    break
                except _TooLarge:
                    counting = source if isinstance(source, _Counting) else source.rest
                    yield self._too_large(stack, declaration)
                    rest = self._skip_item(raw, counting.tail)
                    if rest is None:
                        raise WxrFormatError(self.path, "the file ends inside a post too large "
                                             "to read (it was probably cut short)") from None
                    source = _Resumed((declaration or b"") + _reopen(namespaces) + rest, counting)
        self._require_version()

    def _parse(self, source: Any, stack: list[ET.Element],
               namespaces: dict[str, str]) -> Iterator[WxrItem]:
        try:
            for event, elem in ET.iterparse(source, events=("start", "end", "start-ns")):
                if event == "start":
                    if not stack:
                        self._check_root(elem)
                    stack.append(elem)
                    if len(stack) <= 3:  # the channel, or an element of it, begins
                        self.mark, self.pieces = self.bytes_read, 0
                    continue
                if event == "start-ns":
                    namespaces.setdefault(*elem)
                    continue
                stack.pop()
                if len(stack) <= 2:
                    self.mark, self.pieces = self.bytes_read, 0
                item = self._handle_end(elem, stack)
                if item is not None:
                    yield item
        except ET.ParseError as exc:
            raise _parse_error(self.path, exc) from None

    def _too_large(self, stack: list[ET.Element], declaration: bytes | None) -> WxrItem:
        """The item being read when it passed ``MAX_ITEM_MEMORY``, as far as it was read (its
        title, usually); anything else too large (text between items, a channel element) or
        a file that cannot be resumed (UTF-16) is refused."""
        limit = f"{MAX_ITEM_MEMORY / 1_000_000:g} MB of memory"
        if len(stack) < 3 or _split_tag(stack[2].tag) != ("", "item"):
            raise WxrFormatError(self.path, f"{_NOT_WXR}: text outside any post would take "
                                 f"over {limit} to read (a damaged or hostile file)")
        if declaration is None:
            raise WxrFormatError(self.path, f"a post would take over {limit} to read (a "
                                 "damaged or hostile file)")
        f = _children(stack[2])
        return WxrItem(post_id=_value(f, "wp", "post_id").strip() or None, post_type="post",
                       status="publish", title=_value(f, "", "title").strip(), date=None,
                       content="", excerpt="", link=_value(f, "", "link").strip(), slug="",
                       creator="", password_protected=False, sticky=False, too_large=True)

    def _skip_item(self, raw: Any, tail: bytes) -> bytes | None:
        """Read on, a megabyte at a time, to the end of the item too large: the bytes after
        its ``</item>``, or None at the end of the file."""
        window = tail
        while data := raw.read(1 << 20):
            self.bytes_read += len(data)
            window += data
            end = window.find(_ITEM_END)
            if end >= 0:
                self.mark, self.pieces = self.bytes_read, 0
                return window[end + len(_ITEM_END):]
            window = window[-len(_ITEM_END):]
        return None

    def _check_root(self, root: ET.Element) -> None:
        kind, local = _split_tag(root.tag)
        if (kind, local) != ("", "rss"):
            raise WxrFormatError(self.path, f"{_NOT_WXR}: it is XML, but its root element is "
                                 f"<{local}>, not <rss>")

    def _require_version(self) -> None:
        if not self.channel.version:
            raise WxrFormatError(self.path, f"{_NOT_WXR}: missing WXR version")

    def _handle_end(self, elem: ET.Element, stack: list[ET.Element]) -> WxrItem | None:
        """Read a finished element whose parent is the channel, then drop it from memory."""
        if len(stack) != 2 or _split_tag(stack[1].tag) != ("", "channel"):
            return None
        kind, local = _split_tag(elem.tag)
        item = None
        if (kind, local) == ("", "item"):
            self._require_version()
            item = _read_item(elem)
        else:
            self._read_channel_child(elem, kind, local)
        stack[1].remove(elem)
        return item

    def _read_channel_child(self, elem: ET.Element, kind: str, local: str) -> None:
        ch = self.channel
        if kind == "wp":
            if local == "wxr_version":
                version = _text(elem).strip()
                if not _VERSION_RE.match(version):
                    raise WxrFormatError(self.path, f"{_NOT_WXR}: invalid WXR version "
                                         f"{version!r}")
                ch.version = ch.version or version
            elif local == "base_site_url":
                ch.base_site_url = _text(elem).strip()
            elif local == "base_blog_url":
                ch.base_blog_url = _text(elem).strip()
            elif local == "author":
                ch.authors.append(_read_author(elem))
            elif local in ("category", "tag", "term"):
                ch.terms.append(_read_channel_term(elem, local))
        elif kind == "" and local == "title" and not ch.title:
            ch.title = _text(elem).strip()
        elif kind == "" and local == "link" and not ch.link:
            ch.link = _text(elem).strip()


def iter_wxr(path: str | Path) -> Iterator[WxrItem]:
    """Yield the items of a WXR file one at a time (see the module notes on late errors)."""
    return iter(WxrReader(path))


def read_wxr(path: str | Path) -> WxrFile:
    """Read the whole file: the channel and every item. Raises before returning anything."""
    reader = WxrReader(path)
    items = list(reader)
    return WxrFile(channel=reader.channel, items=items)


def read_wxr_summary(path: str | Path) -> WxrSummary:
    """Walk the whole file (validating it) and count what an import would bring in."""
    reader = WxrReader(path)
    by_type: Counter[str] = Counter()
    by_status: Counter[str] = Counter()
    comments = dropped = 0
    for item in reader:
        by_type[item.post_type] += 1
        if item.post_type == "post":
            by_status[item.status] += 1
        comments += len(item.comments)
        dropped += item.dropped_comments
    return WxrSummary(channel=reader.channel, items_by_type=by_type, posts_by_status=by_status,
                      comments=comments, dropped_comments=dropped)
