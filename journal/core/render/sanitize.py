"""The allow-list sanitiser every rendered body goes through (nh3), and remote-image blocking."""

from __future__ import annotations

import re
from html import unescape

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
_IMG_RE = re.compile(r"<img\b[^>]*>")
_ATTR_RE = re.compile(r'\s([a-z]+)="([^"]*)"')
_REMOTE_RE = re.compile(r"^(?:https?:)?//", re.I)


def _filter_attribute(tag: str, attr: str, value: str) -> str | None:
    """Keep ``data:`` URLs only as image sources, and only for raster image types."""
    if attr in ("href", "src") and value.strip().lower().startswith("data:"):
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


def _replace_remote_image(match: re.Match[str]) -> str:
    attrs = dict(_ATTR_RE.findall(match.group(0)))
    src = attrs.get("src", "")
    if not _REMOTE_RE.match(unescape(src)):
        return match.group(0)
    alt = attrs.get("alt", "") or "image"
    return f'<a class="remote-image" href="{src}">[image: {alt}]</a>'


def block_remote_images(html: str) -> str:
    """Replace every ``<img>`` whose source is on the network by a ``[image: alt]`` link to it.

    Expects sanitised HTML (nh3 writes attributes double-quoted and escaped).
    """
    if "<img" not in html:
        return html
    return _IMG_RE.sub(_replace_remote_image, html)


def sanitize(html: str, *, remote_images: bool = False) -> str:
    """Allow-list clean ``html``, then block remote images (unless ``remote_images``)."""
    clean = _CLEANER.clean(html)
    return clean if remote_images else block_remote_images(clean)
