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
    """Resolves ``[[Film]]`` links for the preview, on its render worker. Mirrors
    ``journal.core.derive.resolve_link`` (latest year first, then lowest id). Each title is
    looked up once (an indexed query through the calling thread's connection) and remembered
    until ``reload``: a review's first rendering asks for its few films only — reading the whole
    catalogue first took the first preview ~35 ms at 5,000 films — and later renderings (every
    keystroke asks again for every link of the review) find them at once."""

    def __init__(self, journal: Journal | None = None) -> None:
        self._journal = journal
        self._known: dict[tuple[str, int | None], FilmRef | None] = {}

    def reload(self, journal: Journal) -> None:
        self._journal = journal
        self._known = {}

    def __call__(self, title: str, year: int | None) -> FilmRef | None:
        key = (fold(title), year or None)
        if key in self._known:
            return self._known[key]
        found = None
        if self._journal is not None:
            sql = ("SELECT id, title, year FROM film WHERE deleted_at IS NULL AND title_folded = ?"
                   + (" AND year = ?" if key[1] else "")
                   + " ORDER BY coalesce(year, 0) DESC, id LIMIT 1")
            row = self._journal.store.db.execute_sql(sql, key if key[1] else key[:1]).fetchone()
            found = FilmRef(int(row[0]), row[1], row[2]) if row else None
        self._known[key] = found
        return found
