"""What is derived from a review's body and kept beside it: the spoiler flag and film links."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the spoiler rule runs in the import's conversion processes: no peewee there
    from journal.core.journal import Journal
    from journal.core.render import FilmRef
    from journal.store.models import Review

#: A spoiler block (``::: spoiler``) or a line of emphasised text naming spoilers
#: (``*MAJOR spoiler alert*``), at a line's start (blank lines and spaces before it allowed).
#: Linear on any text: a line start is tried from the last newline before it only (spaces but
#: no newline before the marker: the newlines of a long blank run are not each rescanned to
#: its end), and only the first "spoiler" of a line is tried (``(?>…)``: after any of them the
#: text runs to the same ``*``/``_``), as ``^\s*`` and ``[^*_\n]*spoiler`` did quadratically.
_SPOILER = (r"[^\S\n]*+(?::::\s*spoiler\b|"
            r"[*_]{1,2}(?>[^*_\n]*?spoiler)[^*_\n]*+[*_]{1,2}[^\S\n]*+$)")
#: ``_SPOILER`` at the text's start, and after a newline: the regex engine jumps from newline
#: to newline (a pattern starting with ``^`` is tried at every character).
_SPOILER_FIRST_RE = re.compile(_SPOILER, re.IGNORECASE | re.MULTILINE)
_SPOILER_NEXT_RE = re.compile(rf"\n{_SPOILER}", re.IGNORECASE | re.MULTILINE)


def film_links(body: str) -> list[tuple[str, int | None]]:
    """The body's film links, each (title, year) once (the first spelling of a title kept,
    whatever its case), in order — parsed as the renderer parses them."""
    from journal.core.render import extract_film_links

    seen: set[tuple[str, int | None]] = set()
    out = []
    for title, year in extract_film_links(body):
        if (title.casefold(), year) not in seen:
            seen.add((title.casefold(), year))
            out.append((title, year))
    return out


def has_spoilers(body: str) -> bool:
    return _SPOILER_FIRST_RE.match(body) is not None or _SPOILER_NEXT_RE.search(body) is not None


def resolve_link(journal: Journal, title: str, year: int | None) -> FilmRef | None:
    """The live film a link names (the rule of ``film_titles.pick_film``)."""
    from journal.core.film_titles import resolve_link as resolve

    return resolve(journal, title, year)


def update_review_derivatives(journal: Journal, review: Review) -> None:
    """Inside a write transaction: refresh ``has_spoilers`` and the review's film links."""
    m = journal.models
    m.Review.update(has_spoilers=has_spoilers(review.body)).where(
        m.Review.id == review.id).execute()
    m.FilmLink.delete().where(m.FilmLink.review == review.id).execute()
    for title, year in film_links(review.body):
        film = resolve_link(journal, title, year)
        m.FilmLink.create(review=review.id, film=film.id if film else None, target_title=title,
                          target_year=year)


def relink_unresolved(journal: Journal, title_folded: str | None = None) -> None:
    """After films are created: resolve the links that were waiting for them (for the one
    folded title ``title_folded``, or all)."""
    from journal.core.values import fold

    link_model = journal.models.FilmLink
    for link in link_model.select().where(link_model.film.is_null()):
        if title_folded is None or fold(link.target_title) == title_folded:
            film = resolve_link(journal, link.target_title, link.target_year)
            if film is not None:
                link_model.update(film=film.id).where(link_model.id == link.id).execute()
