"""A review as the HTML of a blog post, in that blog's own conventions (an output mode of the
one renderer; publishing sends exactly this).

The conventions of the blog this app was made for, and the defaults here::

    <p>Her 8.5</p>
    <p><strong>eyelights:</strong> …<br />
    <strong>eyesores:</strong> …</p>
    …the body, spoiler sections between <p><em>MAJOR spoiler alert</em></p> paragraphs…
    <p>Date of viewing: January 24, 2014</p>

Everything the conventions cannot carry (a spoiler section's own label in the marker style, a
link to a film that has no post on the blog) is listed in ``notes``: nothing is dropped silently.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from datetime import date
from decimal import Decimal
from html import escape
from typing import TYPE_CHECKING, Any, Literal

from journal.core.render.document import ReviewDocument
from journal.core.render.markers import FENCE_RE as _FENCE_RE
from journal.core.render.options import RenderOptions
from journal.core.render.types import RenderError, Resolver
from journal.core.words import count

if TYPE_CHECKING:
    from journal.core.render.markdown_dialect import Renderer

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_PLACEHOLDERS = {"film", "year", "score"}
_FILM_LINK_RE = re.compile(r'<a class="film-link" href="film:(\d+)">(.*?)</a>', re.S)
_APP_LINK_RE = re.compile(r'<a\b[^>]*\bhref="(?:newfilm|spoiler):[^"]*"[^>]*>(.*?)</a>', re.S)
_BLOCK_LINE_RE = re.compile(
    r"^</?(?:p|h[1-6]|blockquote|ul|ol|li|pre|table|thead|tbody|tfoot|tr|td|th|caption|div|"
    r"details|summary|hr|dl|dt|dd|figure|figcaption|section|aside|header|footer)\b", re.I)
_BLOCK_END_RE = re.compile(
    r"</?(?:p|h[1-6]|blockquote|ul|ol|li|pre|table|thead|tbody|tfoot|tr|td|th|caption|div|"
    r"details|summary|hr|dl|dt|dd|figure|figcaption|section|aside|header|footer)\b[^>]*>$",
    re.I)
_BR_RE = re.compile(r"<br\s*/?>", re.I)


@dataclass(frozen=True)
class BlogStyle:
    """One blog's conventions (stored per blog as JSON)."""

    #: The score line: ``{film}``, ``{year}`` and ``{score}`` (8.5); empty for none.
    score_line: str = "{film} {score}"
    eyelights_label: str = "eyelights:"
    eyesores_label: str = "eyesores:"
    #: eyelights and eyesores in one paragraph with a line break between (else two paragraphs).
    labels_together: bool = True
    spoilers: Literal["markers", "details"] = "markers"
    spoiler_marker: str = "MAJOR spoiler alert"
    date_label: str = "Date of viewing:"
    #: ``us``: January 24, 2014 · ``uk``: 24 January 2014 · ``iso``: 2014-01-24
    date_format: Literal["us", "uk", "iso"] = "us"

    def validate(self) -> None:
        try:
            names = {name for _, name, _, _ in string.Formatter().parse(self.score_line) if name}
        except ValueError as exc:
            raise RenderError(f"The score line “{self.score_line}” is not a valid pattern: "
                              f"{exc}.") from exc
        unknown = names - _PLACEHOLDERS
        if unknown:
            raise RenderError(f"The score line may use {{film}}, {{year}} and {{score}}, not "
                              f"{{{sorted(unknown)[0]}}}.")
        if self.spoilers not in ("markers", "details"):
            raise RenderError("Spoilers are written as markers or as a details block.")
        if self.spoilers == "markers" and not self.spoiler_marker.strip():
            raise RenderError("The spoiler marker cannot be empty.")
        if self.date_format not in ("us", "uk", "iso"):
            raise RenderError("The date format is us, uk or iso.")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> BlogStyle:
        """From stored JSON; unknown keys are ignored, missing ones take the defaults."""
        known = {f.name for f in fields(cls)}
        style = cls(**{k: v for k, v in (data or {}).items() if k in known})
        style.validate()
        return style


@dataclass
class BlogPostHtml:
    html: str
    spoiler_count: int = 0
    notes: list[str] = field(default_factory=list)


def format_viewing_date(value: str | None, style: str = "us") -> str:
    """``2014-01-24`` → ``January 24, 2014`` (us), ``24 January 2014`` (uk) or as is (iso);
    ``2014-01`` → ``January 2014``; ``2014``."""
    if not value:
        return ""
    parts = value.strip().split("-")
    try:
        if len(parts) == 1:
            return parts[0]
        month = _MONTHS[int(parts[1]) - 1]
        if len(parts) == 2:
            return f"{month} {parts[0]}"
        day = date(int(parts[0]), int(parts[1]), int(parts[2]))
    except (ValueError, IndexError):
        return value.strip()
    if style == "iso":
        return day.isoformat()
    return f"{month} {day.day}, {day.year}" if style == "us" else f"{day.day} {month} {day.year}"


def score_text(score: Decimal | None) -> str:
    return "" if score is None else str(Decimal(score).quantize(Decimal("0.1")))


def _header(doc: ReviewDocument, style: BlogStyle, notes: list[str]) -> list[str]:
    out = []
    if style.score_line.strip():
        if doc.score is None:
            notes.append("no score line: the review has no score")
        else:
            line = style.score_line.format(film=doc.film_title, score=score_text(doc.score),
                                           year=doc.film_year or "")
            line = " ".join(line.replace("()", "").split())
            out.append(f"<p>{escape(line, quote=False)}</p>")
    labelled = [(label, text.strip()) for label, text in
                ((style.eyelights_label, doc.eyelights), (style.eyesores_label, doc.eyesores))
                if text.strip()]
    lines = [f"<strong>{escape(label, quote=False)}</strong> {escape(text, quote=False)}"
             for label, text in labelled]
    if lines and style.labels_together:
        out.append("<p>" + "<br />\n".join(lines) + "</p>")
    else:
        out.extend(f"<p>{line}</p>" for line in lines)
    return out


def _links(html: str, film_url: Callable[[int], str | None] | None,
           notes: list[str]) -> str:
    """Film links become links to the film's post on this blog, else plain text."""
    unlinked: list[str] = []

    def film(match: re.Match[str]) -> str:
        url = film_url(int(match.group(1))) if film_url is not None else None
        if url:
            return f'<a href="{escape(url)}">{match.group(2)}</a>'
        unlinked.append(match.group(2))
        return match.group(2)

    def app(match: re.Match[str]) -> str:
        unlinked.append(match.group(1))
        return match.group(1)

    html = _APP_LINK_RE.sub(app, _FILM_LINK_RE.sub(film, html))
    if unlinked:
        notes.append(f"{count(len(unlinked), 'film link')} sent as plain text (no post of that "
                     f"film on this blog): {', '.join(sorted(set(unlinked)))}")
    return html


def for_wpautop(html: str) -> str:
    """Make a fragment read the same after WordPress's ``wpautop`` (which turns every newline
    inside a paragraph into a line break): a soft line break inside a block becomes a space;
    hard breaks are written ``<br />`` (the form wpautop leaves alone); ``<pre>`` is kept."""
    out: list[str] = []
    in_pre = False
    for line in _BR_RE.sub("<br />", html).split("\n"):
        previous = out[-1] if out else ""
        soft = (bool(out) and not in_pre and bool(line) and bool(previous)
                and not _BLOCK_LINE_RE.match(line.lstrip())
                and not previous.endswith("<br />") and not _BLOCK_END_RE.search(previous))
        if soft:
            out[-1] = previous + " " + line
        else:
            out.append(line)
        lowered = line.lower()
        if "<pre" in lowered:
            in_pre = True
        if "</pre>" in lowered:
            in_pre = False
    return "\n".join(out)


def render_blog_post(doc: ReviewDocument, style: BlogStyle | None = None, *,
                     resolve: Resolver | None = None,
                     film_url: Callable[[int], str | None] | None = None,
                     renderer: Renderer | None = None) -> BlogPostHtml:
    """The post's HTML: score line, eyelights/eyesores, body, date of viewing."""
    style = style or BlogStyle()
    style.validate()
    notes: list[str] = []
    options = RenderOptions(spoilers="show", standalone=False, embed_line_anchors=False,
                            spoiler_style=style.spoilers, spoiler_marker=style.spoiler_marker,
                            remote_images=True)
    from journal.core.render.markdown_dialect import thread_renderer  # python-markdown: lazily

    body = (renderer or thread_renderer()).render_body(doc.body, options, resolve)
    if style.spoilers == "markers":
        labels = [m.group("label") for m in _FENCE_RE.finditer(doc.body)
                  if m.group("open") and m.group("label")]
        if labels:
            notes.append("spoiler section labels are not part of the blog's markers and are "
                         f"left out: {', '.join(f'“{label}”' for label in labels)}")
    if "data:image/" in body.html:
        notes.append("an image embedded in the text (data: URL) is sent as is; upload it to the "
                     "blog's media library instead")
    pieces = _header(doc, style, notes)
    if body.html.strip():
        pieces.append(_links(for_wpautop(body.html.strip()), film_url, notes))
    viewed = format_viewing_date(doc.viewing_date, style.date_format)
    if viewed:
        pieces.append(f"<p>{escape(style.date_label, quote=False)} {escape(viewed)}</p>")
    else:
        notes.append("no date of viewing line: the review is not linked to a dated viewing")
    return BlogPostHtml("\n".join(pieces) + "\n", body.spoiler_count, notes)
