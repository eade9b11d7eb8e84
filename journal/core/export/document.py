"""From a stored review to the renderer's ``ReviewDocument``, and to rendered HTML."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from peewee import JOIN

from journal.core.render import (
    CommentDocument,
    FilmRef,
    RenderOptions,
    RenderResult,
    ReviewDocument,
    render_review,
)
from journal.core.render.markdown_dialect import Renderer
from journal.store.models import Comment, Film, Review, Viewing

if TYPE_CHECKING:
    from collections.abc import Callable

    from journal.core.journal import Journal

#: Links that only mean something inside the app (film pages, spoiler toggles, "new film").
_APP_LINK_RE = re.compile(r'<a\b[^>]*\bhref="(?:film|newfilm|spoiler):[^"]*"[^>]*>(.*?)</a>', re.S)


def film_resolver(journal: Journal) -> Callable[[str, int | None], FilmRef | None]:
    """The catalogue resolver for ``[[Film]]`` links of ``journal``, as the renderer wants it."""
    from journal.core.derive import resolve_link

    def resolve(title: str, year: int | None) -> FilmRef | None:
        film = resolve_link(journal, title, year)
        return FilmRef(film.id, film.title, film.year) if film is not None else None

    return resolve


def _comment_date(comment: Comment) -> str:
    return comment.posted_at.strftime("%d %B %Y") if comment.posted_at else ""


def comment_tree(comments: Iterable[Comment]) -> list[CommentDocument]:
    """Thread comments under their parents (a reply whose parent is gone becomes top-level)."""
    rows = list(comments)
    docs = {c.id: CommentDocument(c.author or "Anonymous", _comment_date(c), c.text)
            for c in rows}
    top: list[CommentDocument] = []
    for c in rows:
        parent = docs.get(c.parent_id) if c.parent_id is not None else None
        (parent.replies if parent is not None else top).append(docs[c.id])
    return top


def viewing_of(journal: Journal, review: Review) -> Viewing | None:
    if review.viewing_id is None:
        return None
    model = journal.models.Viewing
    viewing = model.get_or_none(model.id == review.viewing_id)
    return viewing if viewing is not None and viewing.deleted_at is None else None


def poster_bytes(journal: Journal, film: Film) -> bytes | None:
    if film.poster_id is None:
        return None
    model = journal.models.Poster
    poster = model.get_or_none(model.id == film.poster_id)
    return bytes(poster.data) if poster is not None else None


def document_for_review(journal: Journal, review_id: int,
                        include_comments: bool = False) -> ReviewDocument:
    """Everything the renderer shows for one live review, read from the journal."""
    review = journal.reviews.get(review_id)
    film = journal.films.get(review.film_id, include_deleted=True)
    viewing = viewing_of(journal, review)
    comments = comment_tree(journal.reviews.comments(review.id)) if include_comments else []
    return ReviewDocument(
        title=review.title, film_title=film.title, film_year=film.year,
        directors=journal.films.directors(film), score=review.score,
        eyelights=review.eyelights, eyesores=review.eyesores, body=review.body,
        viewing_date=viewing.watched_on if viewing is not None else None,
        tags=journal.reviews.tags(review.id), status=review.status,
        poster=poster_bytes(journal, film), comments=comments)


def strip_app_links(html: str) -> str:
    """Turn app-only links (``film:``, ``newfilm:``, ``spoiler:``) into plain text spans."""
    return _APP_LINK_RE.sub(r'<span class="film-ref">\1</span>', html)


def export_options(*, spoilers: bool = True, comments: bool = False, theme: str = "light",
                   standalone: bool = True) -> RenderOptions:
    """The render options every export uses: no line anchors, spoilers shown or hidden."""
    options = RenderOptions(spoilers="show" if spoilers else "hide",  # type: ignore[arg-type]
                            include_comments=comments, theme=theme,  # type: ignore[arg-type]
                            standalone=standalone, embed_line_anchors=False)
    options.validate()
    return options


def render_for_export(doc: ReviewDocument, options: RenderOptions,
                      renderer: Renderer | None = None, lang: str | None = None, *,
                      journal: Journal | None = None) -> RenderResult:
    """Render ``doc`` and make it fit to leave the app (no app links; ``lang`` on ``<html>``).

    ``journal``: the catalogue its film links resolve in (``result.film_links``); without one
    none resolves. The HTML is the same either way: app links become plain text."""
    resolver = film_resolver(journal) if journal is not None else None
    result = render_review(doc, options, resolver, renderer)
    html = strip_app_links(result.html)
    if options.standalone and lang:
        safe = re.sub(r"[^A-Za-z0-9-]", "", lang)[:20]
        if safe:
            html = html.replace("<html>", f'<html lang="{safe}">', 1)
    result.html = html
    return result


def review_html(journal: Journal, review_id: int, options: RenderOptions,
                renderer: Renderer | None = None) -> RenderResult:
    """One stored review rendered for export (standalone page or fragment per ``options``)."""
    doc = document_for_review(journal, review_id, options.include_comments)
    language = journal.reviews.get(review_id).language
    return render_for_export(doc, options, renderer, language, journal=journal)


def live_review_ids(journal: Journal, *, year: int | None = None) -> list[int]:
    """Live reviews of live films, oldest viewing first; ``year`` filters on the viewing year
    (or, for a review without a viewing, the year it was written)."""
    m = journal.models
    query = (m.Review.select(m.Review.id, m.Review.created_at, m.Viewing.watched_on)
             .join(m.Film, on=(m.Review.film == m.Film.id))
             .switch(m.Review)
             .join(m.Viewing, JOIN.LEFT_OUTER, on=(m.Review.viewing == m.Viewing.id))
             .where(m.Review.deleted_at.is_null(), m.Film.deleted_at.is_null()))
    rows = []
    for r in query:
        viewing = getattr(r, "viewing", None)
        watched = viewing.watched_on if viewing is not None else None
        when = watched or r.created_at.date().isoformat()
        if year is None or when[:4] == f"{year:04d}":
            rows.append((when, r.id))
    return [rid for _, rid in sorted(rows)]


def iter_documents(journal: Journal, review_ids: Iterable[int],
                   include_comments: bool = False) -> Iterator[tuple[int, ReviewDocument]]:
    """Documents one at a time (so that long selections keep memory flat)."""
    for review_id in review_ids:
        yield review_id, document_for_review(journal, review_id, include_comments)
