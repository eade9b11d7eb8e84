"""The live films' titles, read in one plain query: for film pickers and link resolution.

``film_choices`` feeds the review form's film picker (fast even at 100,000 films).

Film links (``[[Title]]``, ``[[Title (Year)]]``) resolve by one rule, :func:`pick_film`, which
every resolver calls: :func:`resolve_link` (one link, one query: backlinks, exports,
publishing) and ``CatalogueResolver`` (the preview: a snapshot of the titles, so that the render
worker resolves every link of a review without a query per link).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from journal.core.render import FilmRef
from journal.core.values import fold

if TYPE_CHECKING:
    from journal.core.journal import Journal

_LIVE_FILMS = "SELECT id, title, year, title_folded FROM film WHERE deleted_at IS NULL"


def film_choices(journal: Journal) -> list[tuple[int, str, int | None]]:
    """(id, title, year) of every live film, by folded title then year."""
    return [(int(fid), title, year) for fid, title, year, _folded in journal.store.db.execute_sql(
        _LIVE_FILMS + " ORDER BY title_folded, year").fetchall()]


def pick_film(candidates: Iterable[FilmRef], year: int | None) -> FilmRef | None:
    """The film a link names, among the live films whose folded title is the link's
    (``fold(title)``): with a year, the one of that year; the latest year first (a film of no
    known year last); between equals, the one made first."""
    return min((r for r in candidates if not year or r.year == year),
               key=lambda r: (-(r.year or 0), r.id), default=None)


def resolve_link(journal: Journal, title: str, year: int | None) -> FilmRef | None:
    """The live film ``[[title (year)]]`` names in ``journal``, or None."""
    film = journal.models.Film
    rows: Any = (film.select(film.id, film.title, film.year)
                 .where(film.title_folded == fold(title), film.deleted_at.is_null()).tuples())
    return pick_film((FilmRef(int(i), t, y) for i, t, y in rows), year)


def link_resolver(journal: Journal) -> Callable[[str, int | None], FilmRef | None]:
    """``resolve_link`` on ``journal``, as the renderer takes a resolver (exports, publishing)."""
    def resolve(title: str, year: int | None) -> FilmRef | None:
        return resolve_link(journal, title, year)
    return resolve


class CatalogueResolver:
    """A snapshot of the catalogue's titles, so film links resolve on a worker without querying
    for each link, by the same rule (:func:`pick_film`). The snapshot is taken lazily, on the
    first link resolved after a ``reload`` (that is on the render worker, through that
    thread's connection to the journal), so neither start-up nor catalogue edits pay for it."""

    def __init__(self, journal: Journal | None = None) -> None:
        self._journal = journal
        self._films: dict[str, list[FilmRef]] | None = None

    def reload(self, journal: Journal) -> None:
        self._journal = journal
        self._films = None

    def _snapshot(self) -> dict[str, list[FilmRef]]:
        films: dict[str, list[FilmRef]] = {}
        if self._journal is not None:
            for film_id, title, year, folded in self._journal.store.db.execute_sql(_LIVE_FILMS):
                films.setdefault(folded, []).append(FilmRef(film_id, title, year))
        return films

    def __call__(self, title: str, year: int | None) -> FilmRef | None:
        films = self._films
        if films is None:
            films = self._films = self._snapshot()
        return pick_film(films.get(fold(title), ()), year)
