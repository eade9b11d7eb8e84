"""The rows of the list of reviews: plain SQL over any DB-API connection.

Kept apart from :mod:`journal.core.reviews` (and free of peewee) so that the window can list the
newest reviews before the store layer is imported at all (see :mod:`journal.core.first_look`);
``ReviewService.rows`` runs the same query through the open journal.

The Reviews list never holds every row: like the Films list (``catalogue_query``) it asks for the
ordered ids of the reviews its quick filter matches (``build_ids_sql``, sorted in SQL) and reads
the rows of the few on screen (``read_rows`` with ``ids``). The quick filter's rule is
``matches(filter_key(row), filter_terms(text))``; ``build_ids_sql`` is the same rule in SQL (a
test holds the two together).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from decimal import Decimal

    from journal.core.journal import Journal

#: ``execute(sql, params)`` returning an iterable of tuples: ``sqlite3.Connection.execute`` or
#: peewee's ``Database.execute_sql``.
Execute = Callable[[str, Sequence[Any]], Iterable[tuple[Any, ...]]]


#: What a review whose film is not chosen yet (a draft saved from its first keystroke) shows where
#: its film's title would be: lists, search hits, the quick-open palette, the Trash.
NO_FILM = "No film yet"


def draft_film_label(review_title: str) -> str:
    """The film column of a review without a film: "No film yet", with its title if it has one."""
    return f"{NO_FILM} — {review_title}" if review_title else NO_FILM


class ReviewRow(NamedTuple):
    """What a list of reviews shows: no body, so that large journals list quickly. A named tuple:
    10,000 of them are made in ~5 ms (a frozen dataclass took ~40)."""

    id: int
    title: str
    film_id: int | None  # None: a draft whose film is not chosen yet
    film_title: str  # for such a draft, ``draft_film_label``
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
LEFT JOIN film AS f ON f.id = r.film_id
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
    return [make((rid, title or "", film_id,
                  film_title if film_id is not None else draft_film_label(title or ""), year,
                  tenths, watched, status, bool(spoilers), str(updated or ""),
                  folded or ("" if film_id is not None else _NO_FILM_FOLDED)))
            for rid, title, film_id, film_title, year, tenths, watched, status, spoilers,
            updated, folded in cursor]


_NO_FILM_FOLDED = NO_FILM.lower()  # the quick filter finds drafts by "no film"


def filter_key(r: ReviewRow) -> str:
    """What the Reviews quick filter matches: folded film title, year, review title and status."""
    from journal.core.values import fold

    return f"{r.film_title_folded} {r.film_year or ''} {fold(r.title) if r.title else ''} {r.status}"


def filter_terms(text: str) -> list[str]:
    """The quick filter's words, folded as ``filter_key`` is."""
    from journal.core.values import fold

    return fold(text).split()


def matches(key: str, terms: Sequence[str]) -> bool:
    """Whether a row whose ``filter_key`` is ``key`` is listed: it holds every word."""
    return all(term in key for term in terms)


#: The list's sort keys (its columns, in order) as SQL, ties broken by the newest edit: the
#: order Python's stable sort of the newest-first rows gave (``None`` sorts as the smallest).
SORT_SQL = {
    "film": f"CASE WHEN f.id IS NULL THEN '{_NO_FILM_FOLDED}' ELSE f.title_folded END",
    "year": "COALESCE(f.year, 0)",
    "score": "COALESCE(r.score_tenths, -1)",
    "viewed": "COALESCE(v.watched_on, '')",
    "status": "r.status",
    "edited": "r.updated_at",
}
#: ``filter_key`` in SQL, as one test per part: a filter word holds neither spaces nor
#: punctuation, so it is in the key exactly when it is in one of its parts (and building the
#: key's text for every row took twice as long). ``fold`` is the SQL function ``SearchReader``
#: defines (Python's ``fold``): called only for a title that is not plain printable ASCII, where
#: ``lower`` finds the same words.
_PARTS_SQL = (SORT_SQL["film"], "COALESCE(f.year, '')",
              "CASE WHEN r.title GLOB '*[^ -~]*' THEN fold(r.title) ELSE lower(r.title) END",
              "r.status")


def _term_sql(n: int) -> str:
    """The ``n``-th filter word (parameter ``?n``) is in the row's ``filter_key``."""
    return "(" + " OR ".join(f"instr({part}, ?{n}) > 0" for part in _PARTS_SQL) + ")"


def build_ids_sql(terms: Sequence[str], sort: str = "edited",
                  descending: bool = True) -> tuple[str, list[Any]]:
    """The ordered ids of the live reviews whose ``filter_key`` holds every word of ``terms``
    (already folded: ``filter_terms``). A filter needs the SQL function ``fold``."""
    if sort not in SORT_SQL:
        raise ValueError(f"no sort key {sort!r}")
    direction = "DESC" if descending else "ASC"
    order = f"{SORT_SQL[sort]} {direction}"
    if sort != "edited":
        order += ", r.updated_at DESC"
    order += f", r.id {direction if sort == 'edited' else 'DESC'}"
    joins, where = "", ["r.deleted_at IS NULL"]
    if terms or sort in ("film", "year"):
        joins = "LEFT JOIN film AS f ON f.id = r.film_id "
        where.append("f.deleted_at IS NULL")
        where += [_term_sql(n) for n in range(1, len(terms) + 1)]
    else:  # the films in the Trash from their index: no film row read (a smaller page cache)
        where.append("(r.film_id IS NULL OR r.film_id NOT IN "
                     "(SELECT id FROM film WHERE deleted_at IS NOT NULL))")
    if sort == "viewed":
        joins += "LEFT JOIN viewing AS v ON v.id = r.viewing_id "
    sql = f"SELECT r.id FROM review AS r {joins}WHERE {' AND '.join(where)} ORDER BY {order}"
    return sql, list(terms)


def review_ids(journal: Journal, sql: str, params: Sequence[Any]) -> list[int]:
    """The ids an ids query (``build_ids_sql``) gives, in its order, read through the
    journal's connection (a filter needs the list's own: ``fold``)."""
    return [row[0] for row in journal.store.db.execute_sql(sql, params)]


def rows_by_id(journal: Journal, ids: Sequence[int], db: Any = None) -> dict[int, ReviewRow]:
    """The rows of the reviews ``ids`` (a screenful), keyed by id; ids gone are absent.
    ``db``: another connection to read through (anything with ``execute_sql``, such as a
    list's ``SearchReader``)."""
    if not ids:
        return {}
    return {r.id: r for r in read_rows((db if db is not None else journal.store.db).execute_sql,
                                       ids)}


def read_counts(execute: Execute) -> tuple[int, int, bool]:
    """(live films, live reviews, whether the journal holds anything at all — trash included)."""
    films, reviews, anything = next(iter(execute(COUNTS_SQL, [])))
    return int(films), int(reviews), bool(anything)
