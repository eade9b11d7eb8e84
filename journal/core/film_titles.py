"""The live films' titles, read in one plain query: for film pickers and link resolution.

``film_choices`` feeds the review form's film picker (fast even at 100,000 films);
``CatalogueResolver`` resolves ``[[Film]]`` links for the preview from a snapshot of the titles,
so that the render worker resolves every link of a review without a query per link.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from journal.core.render import FilmRef
from journal.core.values import fold

if TYPE_CHECKING:
    from journal.core.journal import Journal

_LIVE_FILMS = "SELECT id, title, year, title_folded FROM film WHERE deleted_at IS NULL"


def film_choices(journal: Journal) -> list[tuple[int, str, int | None]]:
    """(id, title, year) of every live film, by folded title then year."""
    return [(int(fid), title, year) for fid, title, year, _folded in journal.store.db.execute_sql(
        _LIVE_FILMS + " ORDER BY title_folded, year").fetchall()]


class CatalogueResolver:
    """A snapshot of the catalogue's titles, so film links resolve on a worker without querying
    for each link. Mirrors ``journal.core.derive.resolve_link`` (latest year first, then lowest
    id). The snapshot is taken lazily, on the first link resolved after a ``reload`` (that is on
    the render worker, through that thread's connection to the journal), so neither start-up
    nor catalogue edits pay for it."""

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
            for refs in films.values():
                refs.sort(key=lambda r: (-(r.year or 0), r.id))
        return films

    def __call__(self, title: str, year: int | None) -> FilmRef | None:
        films = self._films
        if films is None:
            films = self._films = self._snapshot()
        refs = films.get(fold(title), [])
        if year:
            refs = [r for r in refs if r.year == year]
        return refs[0] if refs else None
