"""The live films' titles, read in one plain query: for film pickers and link resolution.

:func:`films_matching` feeds the review form's film picker as the user types: a few films
whose title holds what is typed, read through the ``film_filter`` index with a LIMIT, so that
neither opening a review nor reaching for the picker reads the whole catalogue (issue 19: the
journal's size must not matter).

Film links (``[[Title]]``, ``[[Title (Year)]]``) resolve by one rule, :func:`pick_film`, which
every resolver calls: :func:`resolve_link` (one link, one query: backlinks, exports,
publishing) and ``CatalogueResolver`` (the preview: each title asked once on the render worker and
remembered until the catalogue changes).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from journal.core.render import FilmRef
from journal.core.values import fold

if TYPE_CHECKING:
    from journal.core.journal import Journal

_TITLE_YEAR = re.compile(r"^(?P<title>.+?)\s*\((?P<year>\d{4})\)\s*$")


#: Films a picker offers at most for what is typed (typing on narrows them).
PICKER_LIMIT = 50

# Both walk the ``film_filter`` index (title_folded, id, deleted_at, …) in title order and stop
# at the LIMIT: ``+deleted_at`` keeps SQLite from choosing the deleted_at index (then every live
# film is read and sorted: 180 ms at 100,000 films). Titles starting with the text first (an
# index range), then titles holding it (a scan that stops at the LIMIT: ~1 ms when the text is
# common, the whole index, ~25-35 ms at 100,000 films, when nothing matches).
_STARTING = ("SELECT id, title, year FROM film WHERE +deleted_at IS NULL AND title_folded >= ?1 "
             "AND title_folded < ?1 || char(1114111) AND (?2 IS NULL OR year = ?2) "
             "ORDER BY title_folded, id LIMIT ?3")
_HOLDING = ("SELECT id, title, year FROM film WHERE +deleted_at IS NULL "
            "AND instr(title_folded, ?1) > 1 AND (?2 IS NULL OR year = ?2) "
            "ORDER BY title_folded, id LIMIT ?3")


def films_matching(journal: Journal, text: str,
                   limit: int = PICKER_LIMIT) -> list[tuple[int, str, int | None]]:
    """(id, title, year) of at most ``limit`` live films for what a user typed in a film picker:
    the folded title holds the folded text ("amel" finds "Amélie", "AMÉLIE" "Amelie"); "Title
    (Year)" asks for that year. Titles that start with the text come first, then the others,
    each by folded title. Empty text: the first films by title."""
    title, year = split_title_year(text)
    needle = fold(title)
    execute = journal.store.db.execute_sql
    rows = [tuple(r) for r in execute(_STARTING, (needle, year, limit))]
    if needle and len(rows) < limit:  # holding it further on (a start was found above)
        rows += [tuple(r) for r in execute(_HOLDING, (needle, year, limit - len(rows)))]
    return [(int(fid), str(t), y) for fid, t, y in rows]


def split_title_year(text: str) -> tuple[str, int | None]:
    """What a user types for a film: "Her (2013)" → ("Her", 2013); "Her" → ("Her", None)."""
    text = " ".join(text.split())
    m = _TITLE_YEAR.match(text)
    return (m.group("title").strip(), int(m.group("year"))) if m else (text, None)


def pick_film(candidates: Iterable[FilmRef], year: int | None) -> FilmRef | None:
    """The film a link names, among the live films whose folded title is the link's
    (``fold(title)``): with a year, the one of that year; the latest year first (a film of no
    known year last); between equals, the one made first."""
    return min((r for r in candidates if not year or r.year == year),
               key=lambda r: (-(r.year or 0), r.id), default=None)


_NAMED = "SELECT id, title, year FROM film WHERE title_folded = ? AND deleted_at IS NULL"


def resolve_with(execute: Callable[[str, Any], Iterable[tuple[Any, ...]]], title: str,
                 year: int | None) -> FilmRef | None:
    """The live film ``[[title (year)]]`` names, through ``execute(sql, params)`` (a plain
    :mod:`sqlite3` connection's, before the store is open, or the journal's own)."""
    rows = execute(_NAMED, (fold(title),))
    return pick_film((FilmRef(int(i), t, y) for i, t, y in rows), year)


def resolve_link(journal: Journal, title: str, year: int | None) -> FilmRef | None:
    """The live film ``[[title (year)]]`` names in ``journal``, or None."""
    return resolve_with(journal.store.db.execute_sql, title, year)


def link_resolver(journal: Journal) -> Callable[[str, int | None], FilmRef | None]:
    """``resolve_link`` on ``journal``, as the renderer takes a resolver (exports, publishing)."""
    def resolve(title: str, year: int | None) -> FilmRef | None:
        return resolve_link(journal, title, year)
    return resolve


class CatalogueResolver:
    """Resolves ``[[Film]]`` links for the preview, on its render worker, by the same rule as
    every other reader (:func:`resolve_link`, :func:`pick_film`). Each title is looked up once
    (an indexed query through the calling thread's connection) and remembered until ``reload``:
    a review's first rendering asks for its few films only — reading the whole catalogue first
    took the first preview ~35 ms at 5,000 films — and later renderings (every keystroke asks
    again for every link of the review) find them at once."""

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
        found = resolve_link(self._journal, title, year) if self._journal is not None else None
        self._known[key] = found
        return found
