"""WordPress (and Letterboxd review) HTML → tidy Markdown.

Steps: drop block-editor comments and ``<!--more-->``/``<!--nextpage-->``; turn shortcodes into
HTML (``[caption]`` → image + italic caption, media shortcodes → a link when they carry a URL,
``[code]`` → a code block, anything else known unwrapped or dropped); players pasted as HTML
(``<iframe>``, ``<video>``, ``<audio>``) → a link to what they play; for classic-editor text,
a wpautop-like pass (blank line → paragraph, single newline → line break); then markdownify
1.2.3 (or, for simple markup, ``fast_html``, which gives the same output without building
BeautifulSoup's tree); then tidy whitespace. Characters (curly quotes, emoji, RTL marks)
pass through untouched.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from journal.core.importers import any_case, fast_html

_BLOCK_COMMENT_RE = re.compile(r"<!--\s*/?wp:.*?-->", re.DOTALL)
_PAGING_COMMENT_RE = re.compile(r"<!--\s*(?:more\b.*?|nextpage|noteaser)\s*-->", re.DOTALL)
_BLOCK_TAGS = (
    "address|article|aside|blockquote|details|div|dl|fieldset|figcaption|figure|footer|form|"
    "h[1-6]|header|hr|li|main|nav|ol|p|pre|section|table|tbody|thead|tfoot|tr|td|th|ul|"
    "iframe|video|audio|object|embed|style|script|hgroup|summary|math|svg|caption|dd|dt"
)
#: ``(?:{_BLOCK_TAGS})``, grouped by first letter: the same matches, found faster
_BLOCK_TAG = any_case.words(_BLOCK_TAGS.split("|"))
_STARTS_WITH_BLOCK_RE = re.compile(rf"^\s*</?{_BLOCK_TAG}\b", re.IGNORECASE)
_OPEN_BLOCK_RE = re.compile(rf"(<{_BLOCK_TAG}\b[^>]*>)", re.IGNORECASE)
_CLOSE_BLOCK_RE = re.compile(rf"(</{_BLOCK_TAG}\s*>)", re.IGNORECASE)
_PRE_RE = re.compile(r"<pre\b.*?</pre>", re.IGNORECASE | re.DOTALL)
_URL_RE = re.compile(r"https?://[^\s\"'<>\]\[]+")
_ATTR_RE = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s\]]+))""")

#: Shortcodes whose content is a link to media (URL in an attribute or between the tags).
_MEDIA_SHORTCODES = {"audio", "video", "embed", "playlist", "youtube", "vimeo", "soundcloud",
                     "spotify", "tweet", "twitter", "instagram", "dailymotion", "ted", "wpvideo",
                     "googlemaps", "flickr", "slideshare", "scribd", "bandcamp"}
#: Shortcodes that only wrap text: keep the text.
_WRAPPING_SHORTCODES = {"quote", "pullquote", "column", "one_half", "one_third", "two_third",
                        "one_fourth", "three_fourth", "box", "note", "highlight"}
#: Shortcodes with nothing readable without the plugin that rendered them: drop.
_DROPPED_SHORTCODES = {"gallery", "archives", "contact-form", "contact-form-7", "polldaddy",
                       "slideshow", "sitemap", "recent-posts", "instagram-feed", "fbcomments"}
_CODE_SHORTCODES = {"code", "sourcecode"}
_KNOWN = (_MEDIA_SHORTCODES | _WRAPPING_SHORTCODES | _DROPPED_SHORTCODES | _CODE_SHORTCODES
          | {"caption", "wp_caption"})
_NAMES = "|".join(sorted((re.escape(n) for n in _KNOWN), key=len, reverse=True))
#: A shortcode's attributes as WordPress writes them: ``key="value"``, ``key='value'``,
#: ``key=value`` or a bare URL/word value (``[embed https://…]``, ``[gallery ids=1,2]``) —
#: never prose: a bracketed aside such as "[Note this was early 20th century]" is text.
_ATTRS = (r"(?:\s+(?:[\w-]+\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\]\"']+)|\"[^\"]*\"|'[^']*'|"
          r"https?://[^\s\]]+))*\s*")
#: Shortcode names are lower case (WordPress matches them case-sensitively).
_ENCLOSED_RE = re.compile(rf"\[({_NAMES})({_ATTRS})\]((?:(?!\[\1[\s\]/]).)*?)\[/\1\]",
                          re.DOTALL)
_SINGLE_NAMES = "|".join(sorted((re.escape(n) for n in _KNOWN - _WRAPPING_SHORTCODES),
                                key=len, reverse=True))
_SINGLE_RE = re.compile(rf"\[({_SINGLE_NAMES})({_ATTRS})/?\]")


#: A player pasted into a post: ``<iframe src=…>``, ``<video src=…>`` or ``<video><source src=…>``.
_PLAYER_RE = re.compile(r"<(?P<tag>iframe|video|audio)\b(?P<attrs>[^>]*?)/?>"
                        r"(?:(?P<inner>.*?)</(?P=tag)\s*>)?", re.IGNORECASE | re.DOTALL)
_SOURCE_RE = re.compile(r"<source\b([^>]*)>", re.IGNORECASE)
#: Hugo's player shortcodes: ``{{< youtube ID >}}``, ``{{< youtube id="ID" >}}``, vimeo.
_HUGO_PLAYER_RE = re.compile(
    r"\{\{[<%]\s*(?P<name>youtube|vimeo)\s+(?:id\s*=\s*)?[\"']?(?P<id>[^\s\"'>%}]+)[\"']?"
    r"[^}]*?[>%]\}\}")
_HUGO_URLS = {"youtube": "https://www.youtube.com/embed/{}",
              "vimeo": "https://player.vimeo.com/video/{}"}


def _player_url(match: re.Match[str]) -> str | None:
    attrs = _attrs(match.group("attrs"))
    url = attrs.get("src") or attrs.get("data-src")
    if not url:
        source = _SOURCE_RE.search(match.group("inner") or "")
        url = _attrs(source.group(1)).get("src") if source else None
    if url and url.startswith("//"):
        url = "https:" + url
    return url if url and _URL_RE.fullmatch(url) else None


def players_to_links(text: str, *, html_out: bool = False) -> str:
    """Players pasted into a post (``<iframe>``, ``<video>``, ``<audio>``, Hugo's
    ``{{< youtube >}}``/``{{< vimeo >}}``) → a link to what they play: the renderer shows no
    player, and a player dropped without a word would lose the video. ``html_out``: a
    ``<p><a>`` paragraph (for HTML still to be converted), else a Markdown autolink."""
    if "<" not in text and "{{" not in text:
        return text

    def link(url: str) -> str:
        return _link(url) if html_out else f"<{url}>"

    def player(match: re.Match[str]) -> str:
        url = _player_url(match)
        return match.group(0) if url is None else link(url)

    if "<" in text:
        text = _PLAYER_RE.sub(player, text)
    if "{{" in text:
        text = _HUGO_PLAYER_RE.sub(
            lambda m: link(_HUGO_URLS[m.group("name")].format(m.group("id"))), text)
    return text


def _attrs(raw: str) -> dict[str, str]:
    return {m.group(1).lower(): html.unescape(m.group(2) or m.group(3) or m.group(4) or "")
            for m in _ATTR_RE.finditer(raw)}


def _first_url(*texts: str) -> str | None:
    for text in texts:
        match = _URL_RE.search(text)
        if match:
            return match.group(0)
    return None


def _link(url: str) -> str:
    escaped = html.escape(url, quote=True)
    return f'<p><a href="{escaped}">{escaped}</a></p>'


def _caption(attrs: dict[str, str], inner: str) -> str:
    """``[caption]<a><img></a> Text[/caption]`` → a figure with the image and its caption."""
    image_match = re.search(r"(?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?", inner, re.IGNORECASE)
    image = image_match.group(0) if image_match else ""
    caption = inner[image_match.end():] if image_match else inner
    caption = caption.strip() or attrs.get("caption", "").strip()
    figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f"<figure>{image}{figcaption}</figure>"


def _replace_enclosed(match: re.Match[str]) -> str:
    name, attrs, inner = match.group(1).lower(), _attrs(match.group(2)), match.group(3)
    if name in ("caption", "wp_caption"):
        return _caption(attrs, inner)
    if name in _CODE_SHORTCODES:
        return f"<pre><code>{html.escape(inner.strip())}</code></pre>"
    if name in _MEDIA_SHORTCODES:
        url = _first_url(html.unescape(match.group(2)), inner)
        return _link(url) if url else ""
    if name in _DROPPED_SHORTCODES:
        return ""
    return inner


def _replace_single(match: re.Match[str]) -> str:
    name = match.group(1).lower()
    if name in _MEDIA_SHORTCODES:
        url = _first_url(html.unescape(match.group(2)))
        return _link(url) if url else ""
    return ""


def replace_shortcodes(text: str) -> str:
    """Turn the known shortcodes into HTML (or nothing); unknown ``[brackets]`` stay as text."""
    previous = None
    while previous != text:  # nested shortcodes, e.g. [one_half][caption]…[/caption][/one_half]
        previous = text
        text = _ENCLOSED_RE.sub(_replace_enclosed, text)
    return _SINGLE_RE.sub(_replace_single, text)


def _blank_line_before(match: re.Match[str]) -> str:
    return "\n\n" + match[0]


def _blank_line_after(match: re.Match[str]) -> str:
    return match[0] + "\n\n"


_PARAGRAPH_BREAK_RE = re.compile(r"\n\s*\n")


def autop(text: str) -> str:
    """A wpautop-like pass: paragraphs at blank lines, ``<br>`` at single newlines.

    Chunks that already start with a block-level tag are left alone; ``<pre>`` blocks are
    never touched.
    """
    kept: list[str] = []

    def protect(match: re.Match[str]) -> str:
        kept.append(match.group(0))
        return f"\n\n\x00PRE{len(kept) - 1}\x00\n\n"

    text = _PRE_RE.sub(protect, text)
    # (functions, not the templates r"\n\n\1" and r"\1\n\n": Python expands a template
    # for each match, ~9 a post, at twice the cost of a call that adds two strings)
    text = _OPEN_BLOCK_RE.sub(_blank_line_before, text)
    text = _CLOSE_BLOCK_RE.sub(_blank_line_after, text)
    paragraphs = []
    starts_with_block = _STARTS_WITH_BLOCK_RE.match
    for chunk in _PARAGRAPH_BREAK_RE.split(text):
        chunk = chunk.strip("\n")
        if not chunk or chunk.isspace():  # (what ``not chunk.strip()`` says, with no copy)
            continue
        first = chunk[0]  # (a block starts with "<", or with spaces before it)
        if (first == "<" or first.isspace()) and starts_with_block(chunk) or \
                first == "\x00" and chunk.startswith("\x00PRE"):
            paragraphs.append(chunk)
        elif "\n" in chunk:
            lines = "<br />\n".join(map(str.strip, chunk.split("\n")))
            paragraphs.append(f"<p>{lines}</p>")
        else:
            paragraphs.append(f"<p>{chunk.strip()}</p>")
    result = "\n\n".join(paragraphs)
    if not kept:
        return result
    return re.sub(r"\x00PRE(\d+)\x00", lambda m: kept[int(m.group(1))], result)


_TAG_TOKEN_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)\b[^<>]*?(/?)>")
#: Tags a Letterboxd export repeats where the closing tag belongs.
_REPEATABLE = {"b", "i", "em", "strong", "u", "s", "blockquote"}
_VOID = {"br", "img", "hr", "wbr", "input", "source", "col", "area", "meta", "link"}


def close_repeated_openings(source: str) -> str:
    """Repair review HTML in which an opening tag stands where its closing tag belongs
    (``<blockquote>quote<blockquote>own words``, ``<i>Nope<i> and more``), as one real
    Letterboxd export writes most reviews: for a tag opened more often than closed, an opening
    tag of the same kind while that tag is open with nothing else open inside it closes it.
    Balanced HTML is returned unchanged (a quote inside a quote stays one)."""
    if "<" not in source:
        return source
    tokens = list(_TAG_TOKEN_RE.finditer(source))
    opens: dict[str, int] = {}
    for m in tokens:
        name = m.group(2).lower()
        if name in _REPEATABLE:
            opens[name] = opens.get(name, 0) + (-1 if m.group(1) else 1)
    unbalanced = {name for name, n in opens.items() if n > 0}
    if not unbalanced:
        return source
    out: list[str] = []
    stack: list[str] = []
    last = 0
    for m in tokens:
        closing, name = bool(m.group(1)), m.group(2).lower()
        replacement = m.group(0)
        if name in _VOID or m.group(3):
            pass
        elif closing:
            if name in stack:
                while stack.pop() != name:
                    pass
        elif name in unbalanced and stack and stack[-1] == name:
            stack.pop()
            replacement = f"</{m.group(2)}>"
        else:
            stack.append(name)
        out.append(source[last:m.start()])
        out.append(replacement)
        last = m.end()
    out.append(source[last:])
    return "".join(out)


_BLANK_LINES_RE = re.compile(r"\n{3,}")


#: A line ending with a space (before its newline), or three newlines in a row: what
#: ``tidy_markdown`` has to change besides the ends (one scan, from newline to newline).
_UNTIDY_RE = re.compile(r"\n(?:(?<=[^\S\n]\n)|\n\n)")


def tidy_markdown(text: str) -> str:
    """No trailing spaces, no runs of more than one blank line, no blank start or end."""
    if _UNTIDY_RE.search(text) is None and not (text[-1:].isspace() and text[-1:] != "\n"):
        return text.strip("\n")  # (most texts: splitting them into lines costs 4× this test)
    text = "\n".join(map(str.rstrip, text.split("\n")))  # (no Python loop over the lines)
    if "\n\n\n" in text:
        text = _BLANK_LINES_RE.sub("\n\n", text)
    return text.strip("\n")


_PLAIN_RE = re.compile(r"[<>&\[\]*_`\\#|~=+]|^\s*(?:[-+>]|\d+[.)])\s", re.MULTILINE)


_ODD_SPACE_RE = re.compile(r"[^\S \n]|[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def plain_text_to_markdown(text: str) -> str | None:
    """Text with nothing Markdown or HTML would read specially (most readers' comments):
    the same result as the full conversion, without parsing. None when the text needs it."""
    if _PLAIN_RE.search(text) or _ODD_SPACE_RE.search(text):
        return None
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    out = []
    for chunk in paragraphs:
        lines = [" ".join(line.split()) for line in chunk.strip("\n").split("\n")]
        out.append("\\\n".join(lines))
    return tidy_markdown("\n\n".join(out))


#: Deeper than this (tags opened and not closed, ``li``/``p``/table cells aside), a post's HTML
#: is taken as plain text: markdownify walks the tree recursively (400 unclosed tags raised
#: RecursionError and stopped the whole import).
MAX_HTML_NESTING = 150
_TAG_TOKEN_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*?(/?)>")
_SELF_CLOSING = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed",
                 "source", "track", "wbr", "param", "li", "p", "dt", "dd", "tr", "td", "th",
                 "option", "tbody", "thead", "tfoot", "colgroup", "caption"}
_BLOCK_BREAK_RE = re.compile(rf"</?(?:{_BLOCK_TAGS}|br)\b[^<>]*>", re.IGNORECASE)


def html_nesting(text: str) -> int:
    """How deep the HTML's elements nest at most (linear; over-estimates for bad HTML)."""
    depth = deepest = 0
    for closing, name, self_closing in _TAG_TOKEN_RE.findall(text):
        if self_closing or name.lower() in _SELF_CLOSING:
            continue
        depth = max(depth - 1, 0) if closing else depth + 1
        deepest = max(deepest, depth)
    return deepest


def html_as_plain_text(text: str) -> str:
    """The text of some HTML, tags dropped (blocks and breaks as line breaks), as Markdown
    paragraphs."""
    text = _BLOCK_BREAK_RE.sub("\n\n", text)
    text = html.unescape(re.sub(r"<[^<>]*>", "", text))
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
    return "\n\n".join(p for p in paragraphs if p)


def html_to_markdown(source: str, *, autop_classic: bool = True,
                     on_plain_text: Callable[[], None] | None = None) -> str:
    """Convert WordPress post HTML (classic or block editor) or Letterboxd review HTML.

    ``autop_classic``: apply the paragraph pass when the text has no block-editor comments
    (block-editor content already carries its own ``<p>`` tags). HTML nested deeper than
    ``MAX_HTML_NESTING`` is imported as plain text; ``on_plain_text()`` is then called, so
    that the import's preview can say so.
    """
    if not source or not source.strip():
        return ""
    # (fewer tags than that cannot nest deeper: the usual case, without walking the tags)
    if source.count("<") > MAX_HTML_NESTING and html_nesting(source) > MAX_HTML_NESTING:
        if on_plain_text is not None:
            on_plain_text()
        return html_as_plain_text(source)
    try:
        return _html_to_markdown(source, autop_classic)
    except RecursionError:
        if on_plain_text is not None:
            on_plain_text()
        return html_as_plain_text(source)


def _html_to_markdown(source: str, autop_classic: bool) -> str:
    text = source.replace("\r\n", "\n").replace("\r", "\n")
    if autop_classic:
        plain = plain_text_to_markdown(text)
        if plain is not None:
            return plain
    is_block_editor = False
    if "<!--" in text:
        is_block_editor = bool(_BLOCK_COMMENT_RE.search(text))
        text = _BLOCK_COMMENT_RE.sub("", text)
        text = _PAGING_COMMENT_RE.sub("\n\n", text)
    if "[" in text:
        text = replace_shortcodes(text)
    text = players_to_links(text, html_out=True)
    if autop_classic and not is_block_editor:
        text = autop(text)
    markdown = fast_html.convert(text)
    if markdown is None:  # (markdownify, BeautifulSoup and soupsieve imported only then: ~70 ms
        # of CPU that each of the import's converting processes paid at its start)
        from journal.core.importers.wp_markdownify import convert

        markdown = convert(text)
    return tidy_markdown(markdown)
