"""What is derived from a review's body and kept beside it: the spoiler flag and film links."""

from __future__ import annotations

import re

from journal.store.models import Film, FilmLink, Review

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


def resolve_link(title: str, year: int | None) -> Film | None:
    from journal.core.values import fold

    query = Film.select().where(Film.title_folded == fold(title), Film.deleted_at.is_null())
    if year:
        query = query.where(Film.year == year)
    return query.order_by(Film.year.desc(), Film.id).first()


def update_review_derivatives(review: Review) -> None:
    """Inside a write transaction: refresh ``has_spoilers`` and the review's film links."""
    Review.update(has_spoilers=has_spoilers(review.body)).where(Review.id == review.id).execute()
    FilmLink.delete().where(FilmLink.review == review.id).execute()
    seen = set()
    for title, year in film_links(review.body):
        if (title.casefold(), year) in seen:
            continue
        seen.add((title.casefold(), year))
        film = resolve_link(title, year)
        FilmLink.create(review=review.id, film=film.id if film else None, target_title=title,
                        target_year=year)


def relink_unresolved(title_folded: str) -> None:
    """After a film is created: resolve the links that were waiting for it."""
    for link in FilmLink.select().where(FilmLink.film.is_null()):
        from journal.core.values import fold

        if fold(link.target_title) == title_folded:
            film = resolve_link(link.target_title, link.target_year)
            if film is not None:
                FilmLink.update(film=film.id).where(FilmLink.id == link.id).execute()
