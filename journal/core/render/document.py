"""A whole review → HTML: header, body, viewing date, tags and (optionally) comments."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from html import escape
from typing import TYPE_CHECKING

from journal.core.render.options import RenderOptions, RenderResult
from journal.core.render.styles import stylesheet
from journal.core.render.types import Resolver
from journal.core.values import fold

if TYPE_CHECKING:
    from journal.core.render.markdown_dialect import Renderer


def render_line(text: str) -> str:
    """One line with the body's typography (python-markdown: imported when first rendering)."""
    from journal.core.render.markdown_dialect import render_line as line

    return line(text)

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_IMAGE_MAGIC = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"),
                (b"GIF87a", "image/gif"), (b"GIF89a", "image/gif"))


@dataclass
class CommentDocument:
    """A reader's comment and its replies (plain text, not Markdown)."""

    author: str
    date: str
    text: str
    replies: list[CommentDocument] = field(default_factory=list)


@dataclass
class ReviewDocument:
    """Everything a rendered review shows, independent of the store and of Qt."""

    title: str = ""
    film_title: str = ""
    film_year: int | None = None
    directors: list[str] = field(default_factory=list)
    score: Decimal | None = None
    eyelights: str = ""
    eyesores: str = ""
    body: str = ""
    viewing_date: str | None = None
    tags: list[str] = field(default_factory=list)
    status: str = ""
    poster: bytes | None = None
    comments: list[CommentDocument] = field(default_factory=list)


def format_score(score: Decimal | None) -> str:
    """``Decimal("8.5")`` → ``"8.5/10"``; None (unrated) → ``""``."""
    if score is None:
        return ""
    try:
        return f"{Decimal(score).quantize(Decimal('0.1'))}/10"
    except (InvalidOperation, ValueError):
        return ""


def format_partial_date(value: str | None) -> str:
    """``"2014-01-24"`` → ``"24 January 2014"``, ``"2014-01"`` → ``"January 2014"``, ``"2014"``.

    Anything that is not such a date is shown as written.
    """
    if not value:
        return ""
    parts = value.strip().split("-")
    try:
        numbers = [int(p) for p in parts]
        if len(parts) == 1 and len(parts[0]) == 4:
            return parts[0]
        if len(parts) == 2 and len(parts[0]) == 4 and 1 <= numbers[1] <= 12:
            return f"{_MONTHS[numbers[1] - 1]} {parts[0]}"
        if len(parts) == 3 and len(parts[0]) == 4:
            day = date(numbers[0], numbers[1], numbers[2])
            return f"{day.day} {_MONTHS[day.month - 1]} {parts[0]}"
    except ValueError:
        pass
    return value.strip()


def poster_data_uri(data: bytes | None) -> str | None:
    """A ``data:`` URI for PNG/JPEG/GIF/WebP bytes; None for anything else."""
    if not data:
        return None
    mime = next((m for magic, m in _IMAGE_MAGIC if data.startswith(magic)), None)
    if mime is None and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        mime = "image/webp"
    if mime is None:
        return None
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def own_title(doc: ReviewDocument) -> str:
    """The review's own title when it says more than the film's ("" when it is empty or is the
    film's title again: "Her" above "Her" is said once)."""
    title = " ".join(doc.title.split())
    if not title or fold(title) == fold(doc.film_title):
        return ""
    return title


def film_heading(doc: ReviewDocument) -> str:
    """"Her (2013)"; "Her" with no year; "" with no film."""
    title = " ".join(doc.film_title.split())
    if not title:
        return ""
    return f"{title} ({doc.film_year})" if doc.film_year else title


def named(people: list[str]) -> list[str]:
    return [p.strip() for p in people if p and p.strip()]


def _header(doc: ReviewDocument) -> str:
    parts = ['<div class="review-header">']
    poster = poster_data_uri(doc.poster)
    if poster:
        parts.append(f'<img class="poster" src="{poster}" alt="Poster" width="120">')
    title = own_title(doc)
    if title:
        parts.append(f'<h1 class="review-title">{render_line(title)}</h1>')
    if doc.film_title.strip():
        film = escape(" ".join(doc.film_title.split()))
        if doc.film_year:
            # every value is escaped: a restored file may hold anything
            film += f' <span class="film-year">({escape(str(doc.film_year))})</span>'
        parts.append(f'<p class="film">{film}</p>')
    directors = named(doc.directors)
    if directors:
        parts.append(f'<p class="directors">Directed by {escape(", ".join(directors))}</p>')
    score = format_score(doc.score)
    if score:
        parts.append(f'<p class="score">{escape(score)}</p>')
    for label, text, css in (("Eyelights", doc.eyelights, "eyelights"),
                             ("Eyesores", doc.eyesores, "eyesores")):
        if text.strip():  # the body's typography, through the one renderer
            parts.append(f'<p class="{css}"><span class="label">{label}:</span> '
                         f'{render_line(text)}</p>')
    parts.append("</div>")
    return "\n".join(parts)


def _footer(doc: ReviewDocument) -> str:
    parts = []
    viewed = format_partial_date(doc.viewing_date)
    if viewed:
        parts.append(f'<p class="viewing-date">Date of viewing: {escape(viewed)}</p>')
    tags = [t.strip() for t in doc.tags if t and t.strip()]
    if tags:
        shown = ", ".join(f'<span class="tag">{escape(t)}</span>' for t in tags)
        parts.append(f'<p class="tags">Tags: {shown}</p>')
    return "\n".join(parts)


def _plain_paragraphs(text: str) -> str:
    paragraphs = [p for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return "".join(f"<p>{escape(p.strip()).replace(chr(10), '<br>')}</p>" for p in paragraphs)


def _comment(comment: CommentDocument, depth: int) -> str:
    head = (f'<p class="comment-meta"><span class="comment-author">{escape(comment.author)}'
            f'</span> <span class="comment-date">{escape(comment.date)}</span></p>')
    replies = "".join(_comment(reply, depth + 1) for reply in comment.replies)
    css = "comment reply" if depth else "comment"
    return f'<div class="{css}">{head}{_plain_paragraphs(comment.text)}{replies}</div>'


def _comments(comments: list[CommentDocument]) -> str:
    if not comments:
        return ""
    body = "".join(_comment(c, 0) for c in comments)
    return f'<div class="comments"><h2 class="comments-title">Comments</h2>{body}</div>'


def wrap_page(fragment: str, title: str, theme: str) -> str:
    """A standalone HTML page with the theme's CSS inline."""
    return ("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{escape(title)}</title>\n<style>\n{stylesheet(theme)}\n</style>\n"
            f"</head>\n<body class=\"theme-{theme}\">\n{fragment}\n</body>\n</html>\n")


def render_review(doc: ReviewDocument, options: RenderOptions | None = None,
                  resolve: Resolver | None = None, renderer: Renderer | None = None
                  ) -> RenderResult:
    """Render a whole review. Pass ``renderer`` to use your own (e.g. one per worker thread)."""
    from journal.core.render.markdown_dialect import thread_renderer  # python-markdown: lazily

    options = options or RenderOptions()
    result = (renderer or thread_renderer()).render_body(doc.body, options, resolve)
    # One join of the pieces (a 1 MB body is copied once, not once per wrapper around it).
    around = [_header(doc), _footer(doc), _comments(doc.comments) if options.include_comments
              else ""]
    parts = ['<div class="review">\n']
    if around[0]:
        parts += [around[0], "\n"]
    parts += ['<div class="review-body">\n', result.html, "\n</div>"]
    for piece in around[1:]:
        if piece:
            parts += ["\n", piece]
    parts.append("\n</div>")
    title = own_title(doc) or film_heading(doc) or "Review"
    if options.standalone:
        head, tail = wrap_page("\x00", title, options.theme).split("\x00")
        parts = [head, *parts, tail]
    result.html = "".join(parts)
    return result


def render_markdown(text: str, options: RenderOptions | None = None,
                    resolve: Resolver | None = None, renderer: Renderer | None = None
                    ) -> RenderResult:
    """Render just a Markdown body (a page when ``options.standalone``, else a fragment)."""
    from journal.core.render.markdown_dialect import thread_renderer

    options = options or RenderOptions()
    result = (renderer or thread_renderer()).render_body(text, options, resolve)
    if options.standalone:
        result.html = wrap_page(f'<div class="review-body">\n{result.html}\n</div>', "Review",
                                options.theme)
    return result
