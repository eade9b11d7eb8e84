"""The allow-list sanitiser every rendered body goes through (nh3), and remote-image blocking."""

from __future__ import annotations

import re
from html import escape, unescape

import nh3

_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s",
    "del", "ins", "mark", "sub", "sup", "small", "code", "pre", "kbd", "samp", "var", "q",
    "cite", "abbr", "dfn", "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "table", "thead",
    "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col", "a", "img", "div",
    "span", "figure", "figcaption", "section", "article", "aside", "header", "footer",
    "details", "summary", "time", "ruby", "rt", "rp", "bdi", "bdo", "center", "strike", "tt",
}
_ATTRIBUTES = {
    "*": {"id", "class", "title", "lang", "dir"},
    "a": {"href", "name"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start", "type"},
    "li": {"value"},
    "td": {"style", "colspan", "rowspan", "align"},
    "th": {"style", "colspan", "rowspan", "align"},
    "span": {"style"},
    "abbr": {"title"},
    "time": {"datetime"},
}
_STYLE_PROPERTIES = {
    "text-align", "color", "background-color", "font-weight", "font-style", "text-decoration",
}
_URL_SCHEMES = {"http", "https", "mailto", "film", "newfilm", "spoiler", "data"}
_DATA_IMAGE_RE = re.compile(r"data:image/(?:png|jpeg|gif|webp|bmp);base64,[A-Za-z0-9+/=\s]*$", re.I)
_IMG_RE = re.compile(r"<img\b[^>]*>", re.I)
_ATTR_RE = re.compile(r'\s([a-z]+)="([^"]*)"', re.I)
_REMOTE_RE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?[\\/]{2}|^https?:", re.I)
_URL_NOISE_RE = re.compile(r"[\t\n\r]")


def _filter_attribute(tag: str, attr: str, value: str) -> str | None:
    """Keep ``data:`` URLs only as image sources, and only for raster image types."""
    if attr in ("href", "src") and normalized_url(value).lower().startswith("data:"):
        if tag == "img" and attr == "src" and _DATA_IMAGE_RE.match(value.strip()):
            return value
        return None
    return value


_CLEANER = nh3.Cleaner(
    tags=_TAGS,
    clean_content_tags={"script", "style"},
    attributes=_ATTRIBUTES,
    attribute_filter=_filter_attribute,
    strip_comments=True,
    link_rel=None,
    url_schemes=_URL_SCHEMES,
    filter_style_properties=_STYLE_PROPERTIES,
)


def normalized_url(value: str) -> str:
    """A URL as a browser reads it: entities decoded (``&#32;``), tabs and line breaks removed
    wherever they are, control characters and spaces stripped from both ends."""
    return _URL_NOISE_RE.sub("", unescape(value)).strip("\x00\x01\x02\x03\x04\x05\x06\x07"
                                                         "\x08\x0b\x0c\x0e\x0f\x10\x11\x12"
                                                         "\x13\x14\x15\x16\x17\x18\x19\x1a"
                                                         "\x1b\x1c\x1d\x1e\x1f ")


def _replace_image(match: re.Match[str], keep_remote: bool = False) -> str:
    """An ``<img>`` stays only when its picture is inside the page (a ``data:`` image: the
    sanitiser let through raster types only). Any other source is never loaded: a picture on
    the web becomes a ``[image: alt]`` link to it; a file on this computer (an absolute or
    relative path, ``file:``…) becomes plain ``[image: alt]`` text, so that neither the preview
    nor a PDF (Qt's text document reads local paths itself) embeds a file from the disk."""
    attrs = {name.lower(): value for name, value in _ATTR_RE.findall(match.group(0))}
    src = normalized_url(attrs.get("src", ""))
    if _DATA_IMAGE_RE.match(src) and src == attrs.get("src", "").strip():
        return match.group(0)
    alt = attrs.get("alt", "") or "image"  # still escaped as nh3 wrote it
    if _REMOTE_RE.match(src):
        if keep_remote:
            return match.group(0)
        return f'<a class="remote-image" href="{escape(src)}">[image: {alt}]</a>'
    return f'<span class="local-image">[image: {alt}]</span>'


def block_remote_images(html: str) -> str:
    """Replace every ``<img>`` that is not a ``data:`` image (see ``_replace_image``).

    Expects sanitised HTML (nh3 writes attributes double-quoted and escaped); on any other
    HTML it fails closed: an ``<img>`` whose source it cannot read becomes text.
    """
    if "<img" not in html.lower():
        return html
    return _IMG_RE.sub(_replace_image, html)


def sanitize(html: str, *, remote_images: bool = False) -> str:
    """Allow-list clean ``html``, then turn every image not inside the page into text: remote
    ones into a link (kept as images with ``remote_images``: a blog post's readers load them
    from the web anyway), local ones (a path, ``file:``) always into ``[image: alt]``."""
    clean = _CLEANER.clean(html)
    if "<img" not in clean:
        return clean
    return _IMG_RE.sub(lambda m: _replace_image(m, keep_remote=remote_images), clean)
