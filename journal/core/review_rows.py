"""The rows of the list of reviews: one plain SQL query over any DB-API connection.

Kept apart from :mod:`journal.core.reviews` (and free of peewee) so that the window can list the
newest reviews before the store layer is imported at all (see :mod:`journal.core.first_look`);
``ReviewService.rows`` runs the same query through the open journal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from decimal import Decimal

#: ``execute(sql, params)`` returning an iterable of tuples: ``sqlite3.Connection.execute`` or
#: peewee's ``Database.execute_sql``.
Execute = Callable[[str, Sequence[Any]], Iterable[tuple[Any, ...]]]


class ReviewRow(NamedTuple):
    """What a list of reviews shows: no body, so that large journals list quickly. A named tuple:
    10,000 of them are made in ~5 ms (a frozen dataclass took ~40)."""

    id: int
    title: str
    film_id: int
    film_title: str
    film_year: int | None
    score_tenths: int | None
    viewing_date: str | None
    status: str
    has_spoilers: bool
    updated_at: str  # ISO text as stored, sorts chronologically
    film_title_folded: str = ""  # case- and accent-folded, for filtering and sorting

    @property
    def score(self) -> Decimal | None:
        from journal.core.values import tenths_to_score

        return tenths_to_score(self.score_tenths)


ROWS_SQL = """
SELECT r.id, r.title, f.id, f.title, f.year, r.score_tenths, v.watched_on, r.status,
       r.has_spoilers, r.updated_at, f.title_folded
FROM review AS r
JOIN film AS f ON f.id = r.film_id
LEFT JOIN viewing AS v ON v.id = r.viewing_id
WHERE r.deleted_at IS NULL AND f.deleted_at IS NULL {only}
ORDER BY r.updated_at DESC {limit}
"""

COUNTS_SQL = """
SELECT (SELECT count(*) FROM film WHERE deleted_at IS NULL),
       (SELECT count(*) FROM review WHERE deleted_at IS NULL),
       EXISTS (SELECT 1 FROM film) OR EXISTS (SELECT 1 FROM review)
"""


def read_rows(execute: Execute, ids: Iterable[int] | None = None,
              limit: int | None = None) -> list[ReviewRow]:
    """Every live review (or those of ``ids``; or the ``limit`` newest), newest edit first."""
    params: list[int] = []
    only = ""
    if ids is not None:
        params = [int(i) for i in ids]
        only = f"AND r.id IN ({','.join('?' * len(params))})"
    cursor = execute(ROWS_SQL.format(only=only, limit=f"LIMIT {int(limit)}" if limit else ""),
                     params)
    make = ReviewRow._make
    return [make((rid, title or "", film_id, film_title, year, tenths, watched, status,
                  bool(spoilers), str(updated or ""), folded or ""))
            for rid, title, film_id, film_title, year, tenths, watched, status, spoilers,
            updated, folded in cursor]


def read_counts(execute: Execute) -> tuple[int, int, bool]:
    """(live films, live reviews, whether the journal holds anything at all — trash included)."""
    films, reviews, anything = next(iter(execute(COUNTS_SQL, [])))
    return int(films), int(reviews), bool(anything)
