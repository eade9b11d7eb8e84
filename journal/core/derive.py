"""What is derived from a review's body and kept beside it: the spoiler flag and film links."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from journal.store.models import Film, Review

if TYPE_CHECKING:
    from journal.core.journal import Journal

_LINK_RE = re.compile(r"\[\[([^\[\]|]+?)(?:\s*\((\d{4})\))?\s*(?:\|[^\[\]]*)?\]\]")
_SPOILER_RE = re.compile(r"^\s*:::\s*spoiler\b|^\s*[*_]{1,2}[^*_\n]*spoiler[^*_\n]*[*_]{1,2}\s*$",
                         re.IGNORECASE | re.MULTILINE)


def film_links(body: str) -> list[tuple[str, int | None]]:
    try:
        from journal.core.render import extract_film_links
    except ImportError:  # the renderer's own parser is the reference when present
        return [(m.group(1).strip(), int(m.group(2)) if m.group(2) else None)
                for m in _LINK_RE.finditer(body)]
    return extract_film_links(body)


def has_spoilers(body: str) -> bool:
    return bool(_SPOILER_RE.search(body))


def resolve_link(journal: Journal, title: str, year: int | None) -> Film | None:
    from journal.core.values import fold

    film = journal.models.Film
    query = film.select().where(film.title_folded == fold(title), film.deleted_at.is_null())
    if year:
        query = query.where(film.year == year)
    return query.order_by(film.year.desc(), film.id).first()


def update_review_derivatives(journal: Journal, review: Review) -> None:
    """Inside a write transaction: refresh ``has_spoilers`` and the review's film links."""
    m = journal.models
    m.Review.update(has_spoilers=has_spoilers(review.body)).where(
        m.Review.id == review.id).execute()
    m.FilmLink.delete().where(m.FilmLink.review == review.id).execute()
    seen = set()
    for title, year in film_links(review.body):
        if (title.casefold(), year) in seen:
            continue
        seen.add((title.casefold(), year))
        film = resolve_link(journal, title, year)
        m.FilmLink.create(review=review.id, film=film.id if film else None, target_title=title,
                          target_year=year)


def relink_unresolved(journal: Journal, title_folded: str) -> None:
    """After a film is created: resolve the links that were waiting for it."""
    from journal.core.values import fold

    link_model = journal.models.FilmLink
    for link in link_model.select().where(link_model.film.is_null()):
        if fold(link.target_title) == title_folded:
            film = resolve_link(journal, link.target_title, link.target_year)
            if film is not None:
                link_model.update(film=film.id).where(link_model.id == link.id).execute()
