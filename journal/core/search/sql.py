"""SQL for each kind of hit and for each field filter (aliases: r review, f film, v viewing)."""

from __future__ import annotations

from dataclasses import dataclass

from journal.core.review_rows import NO_FILM
from journal.core.rewatch import rewatch_sql
from journal.core.search.query import FILM_FILTERS, Filter
from journal.core.values import fold, score_to_tenths


@dataclass(frozen=True)
class KindSpec:
    kind: str
    fts: str
    source: str            # FROM … JOINs, the kind's table aliased
    key: str               # the kind's id column, joined to the fts rowid
    live: str              # what is in the Trash is never found
    columns: str           # id, title, year, film_id, review_id, viewed, score_tenths, status, label
    weights: tuple[float, ...]
    snippet_column: int    # preferred column for the snippet (-1: FTS5 picks)
    plain_snippet: str     # text shown when the hit comes from filters only
    default_order: str
    filters: frozenset[str]
    trashed: str = ""      # ids of this kind in the Trash (or under a trashed review or film)
    #: Words match the kind's film (``fts`` rows are films; ``key`` is not their rowid): no
    #: rank, no snippet from the index, the kind's own order.
    via_film: str = ""


#: bm25 weights of the indexed columns. FTS5 adds a column's weight for each occurrence before
#: bm25 saturates the sum, so a title's weight must beat the most mentions a body can hold for
#: a title hit to outrank any body hit (a 12 KB review says a common word ~40 times).
#: Review columns: title (review's, film's, original), people, tags, eyelights+eyesores, body.
REVIEW_WEIGHTS = (100.0, 40.0, 40.0, 10.0, 1.0)
#: Film columns: title (and original title), people, synopsis.
FILM_WEIGHTS = (100.0, 40.0, 1.0)

_TRASHED_REVIEWS = ("SELECT id FROM review WHERE deleted_at IS NOT NULL UNION ALL "
                    "SELECT id FROM review WHERE film_id IN "
                    "(SELECT id FROM film WHERE deleted_at IS NOT NULL)")
#: A viewing no live review is about: a film logged in the diary without a review (or a rewatch
#: whose review, if any, is about another viewing).
_UNREVIEWED = ("v.deleted_at IS NULL AND f.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM "
               "review r WHERE r.viewing_id = v.id AND r.deleted_at IS NULL)")
#: The filters that are about a viewing: a query with one of them also finds such viewings.
VIEWING_FILTERS = frozenset({"viewed", "medium", "rewatch"})
_LAST_VIEWING = ("(SELECT max(x.watched_on) FROM viewing x WHERE x.film_id = f.id "
                 "AND x.deleted_at IS NULL)")

SPECS: dict[str, KindSpec] = {
    "review": KindSpec(
        "review", "review_fts",
        "review r LEFT JOIN film f ON f.id = r.film_id "  # a draft may have no film yet
        "LEFT JOIN viewing v ON v.id = r.viewing_id AND v.deleted_at IS NULL",
        "r.id", "r.deleted_at IS NULL AND f.deleted_at IS NULL",
        f"r.id, coalesce(f.title, '{NO_FILM}'), f.year, f.id, r.id, v.watched_on, "
        "r.score_tenths, r.status, r.title",
        REVIEW_WEIGHTS, 4,
        "CASE WHEN r.eyelights != '' THEN r.eyelights ELSE substr(r.body, 1, 400) END",
        "v.watched_on IS NULL, v.watched_on DESC, r.updated_at DESC",
        frozenset(FILM_FILTERS | {"score", "tag", "medium", "viewed", "status", "spoilers",
                                  "rewatch"}), _TRASHED_REVIEWS),
    "viewing": KindSpec(
        "viewing", "film_fts", "viewing v JOIN film f ON f.id = v.film_id", "v.id",
        _UNREVIEWED,
        "v.id, f.title, f.year, f.id, NULL, v.watched_on, NULL, NULL, v.medium",
        (), -1, "v.venue", "v.watched_on IS NULL, v.watched_on DESC, v.id DESC",
        frozenset(FILM_FILTERS | VIEWING_FILTERS),
        "SELECT id FROM viewing WHERE deleted_at IS NOT NULL", via_film="v.film_id"),
    "film": KindSpec(
        "film", "film_fts", "film f", "f.id", "f.deleted_at IS NULL",
        f"f.id, f.title, f.year, f.id, NULL, {_LAST_VIEWING}, NULL, NULL, f.original_title",
        FILM_WEIGHTS, -1, "f.synopsis", "f.title COLLATE NOCASE, f.year",
        frozenset(FILM_FILTERS), "SELECT id FROM film WHERE deleted_at IS NOT NULL"),
    "person": KindSpec(
        "person", "person_fts", "person p", "p.id", "p.deleted_at IS NULL",
        "p.id, p.name, NULL, NULL, NULL, NULL, NULL, NULL, ''",
        (1.0,), 0, "p.name", "p.name COLLATE NOCASE", frozenset(),
        "SELECT id FROM person WHERE deleted_at IS NOT NULL"),
    "comment": KindSpec(
        "comment", "comment_fts",
        "comment c JOIN review r ON r.id = c.review_id LEFT JOIN film f ON f.id = r.film_id",
        "c.id", "c.deleted_at IS NULL AND r.deleted_at IS NULL AND f.deleted_at IS NULL",
        f"c.id, coalesce(f.title, '{NO_FILM}'), f.year, f.id, r.id, NULL, NULL, NULL, c.author",
        (2.0, 1.0), 1, 'substr(c."text", 1, 400)', "c.posted_at DESC, c.id DESC", frozenset(),
        "SELECT id FROM comment WHERE deleted_at IS NOT NULL UNION ALL SELECT id FROM comment "
        f"WHERE review_id IN ({_TRASHED_REVIEWS})"),
}

_OPS = {"=": "=", ">=": ">=", "<=": "<=", ">": ">", "<": "<"}

#: The rewatch rule of ``core/rewatch.py`` (a viewing row ``v`` may be absent: a review not
#: about a viewing is never a rewatch).
_REWATCH = f"(v.id IS NOT NULL AND {rewatch_sql('v')})"


def _compare(column: str, values: tuple[object, ...], convert: object) -> tuple[str, list]:
    if values[0] == "between":
        return (f"{column} BETWEEN ? AND ?",
                [convert(values[1]), convert(values[2])])  # type: ignore[operator]
    return f"{column} {_OPS[str(values[0])]} ?", [convert(values[1])]  # type: ignore[operator]


def _credit(role: str, name: object) -> tuple[str, list]:
    return ("EXISTS (SELECT 1 FROM credit c2 JOIN person p2 ON p2.id = c2.person_id "
            "WHERE c2.film_id = f.id AND c2.role = ? AND p2.deleted_at IS NULL "
            "AND (' ' || p2.name_folded || ' ') LIKE ?)", [role, f"% {name} %"])


def filter_sql(flt: Filter, tag_ids: dict[str, list[int]]) -> tuple[str, list]:
    """One filter as an SQL condition and its parameters."""
    name, values = flt.name, flt.values
    if name == "score":
        sql, params = _compare("r.score_tenths", values, score_to_tenths)
        sql = f"(r.score_tenths IS NOT NULL AND {sql})"
    elif name == "year":
        sql, params = _compare("f.year", values, int)
        sql = f"(f.year IS NOT NULL AND {sql})"
    elif name == "director":
        sql, params = _credit("director", values[0])
    elif name == "actor":
        sql, params = _credit("cast", values[0])
    elif name == "tag":
        ids = tag_ids.get(str(values[0]), [])
        marks = ", ".join("?" * len(ids))
        sql = (f"EXISTS (SELECT 1 FROM review_tag rt WHERE rt.review_id = r.id "
               f"AND rt.tag_id IN ({marks}))") if ids else "0"
        params = list(ids)
    elif name == "medium":
        sql, params = "v.medium = ?", [values[0]]
    elif name == "viewed":
        sql = "(v.watched_on IS NOT NULL AND v.watched_on || '~' >= ? AND v.watched_on < ?)"
        params = [values[0], values[1]]
    elif name == "status":
        sql, params = "r.status = ?", [values[0]]
    elif name == "spoilers":
        sql, params = "r.has_spoilers = ?", [1 if values[0] else 0]
    elif name == "rewatch":
        sql, params = (_REWATCH if values[0] else f"NOT {_REWATCH}"), []
    else:  # pragma: no cover - the parser only makes the names above
        raise ValueError(name)
    if flt.negated:
        sql = f"NOT ({sql})"
    return sql, params


def tag_lookup(rows: list[tuple[int, str]], filters: list[Filter]) -> dict[str, list[int]]:
    """Tag ids by folded name, for the tag filters asked (case and accents ignored)."""
    wanted = {str(f.values[0]) for f in filters if f.name == "tag"}
    found: dict[str, list[int]] = {w: [] for w in wanted}
    for tag_id, name in rows:
        key = fold(name)
        if key in found:
            found[key].append(tag_id)
    return found
