"""The Films list query: a quick filter with ``field=value`` terms, sorted ids, rows on demand.

The filter takes plain words (matched against the folded title, the original title and the
directors' names) and Tellico-style terms::

    year=1979  year>=1970  year=1970..1979  director=tarkovsky  actor="max schreck"
    title=stalker  original=eine  kind=short  score>=8  viewings>=2  watched=2023  imdb=tt0079944

At 100,000 films the list never builds 100,000 objects: ``film_ids`` returns only the ordered ids
(one SQL statement), and ``film_rows`` fetches the columns of the few rows on screen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from journal.core.values import fold, tenths_to_score
from journal.errors import ValidationError

if TYPE_CHECKING:
    from collections.abc import Iterator

    from journal.core.journal import Journal

ROLE_FIELDS = {"director": "director", "actor": "cast", "cast": "cast", "writer": "writer",
               "composer": "composer", "cinematographer": "cinematographer",
               "editor": "editor", "producer": "producer"}
TEXT_FIELDS = ("title", "original", "kind", "imdb", "tmdb", "person", *ROLE_FIELDS)
NUMBER_FIELDS = ("year", "score", "viewings")
DATE_FIELDS = ("watched",)
FIELDS = (*TEXT_FIELDS, *NUMBER_FIELDS, *DATE_FIELDS)
SORT_KEYS = ("title", "original", "year", "director", "score", "viewings", "last_viewed")

_TERM_RE = re.compile(r'(?P<field>[A-Za-z_]+)(?P<op>>=|<=|!=|=|>|<|:)(?P<value>"[^"]*"?|\S*)')
_TOKEN_RE = re.compile(r'[A-Za-z_]+(?:>=|<=|!=|=|>|<|:)"[^"]*"?|"[^"]*"?|\S+')
_SQL_OPS = {"=": "=", ":": "=", ">=": ">=", "<=": "<=", ">": ">", "<": "<", "!=": "<>"}

# Aggregates per film, joined only when a term or the sort needs them.
_VIEWS_SQL = ("SELECT film_id, COUNT(*) AS n, MAX(watched_on) AS last FROM viewing "
              "WHERE +deleted_at IS NULL GROUP BY film_id")
# SQLite takes the bare column from the row holding MAX(): the score of the newest review.
_SCORE_SQL = ("SELECT film_id, score_tenths AS score, MAX(created_at || printf('%010d', id)) "
              "FROM review WHERE +deleted_at IS NULL AND score_tenths IS NOT NULL "
              "GROUP BY film_id")
_DIRECTOR_SQL = ("SELECT c.film_id, MIN(p.name_folded) AS name FROM credit c "
                 "JOIN person p ON p.id = c.person_id WHERE c.role = 'director' "
                 "AND p.deleted_at IS NULL GROUP BY c.film_id")


@dataclass(frozen=True)
class Term:
    field: str
    op: str
    value: str


@dataclass
class FilmQuery:
    """A parsed quick filter. ``unknown`` lists ``field=`` names that are not fields (they are
    searched as plain words, and the UI can say so)."""

    words: list[str] = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.words and not self.terms


@dataclass(frozen=True)
class FilmRow:
    """What one line of the Films list shows."""

    id: int
    title: str
    original_title: str
    year: int | None
    kind: str
    directors: str
    score: Decimal | None
    viewings: int
    last_viewed: str | None


def parse_query(text: str) -> FilmQuery:
    """Split quick-filter text into ``field<op>value`` terms and plain (folded) words."""
    query = FilmQuery()
    for token in _TOKEN_RE.findall(text or ""):
        m = _TERM_RE.fullmatch(token)
        if m is None:
            query.words.extend(fold(token.strip('"')).split())
            continue
        name, op, value = m.group("field").lower(), m.group("op"), m.group("value").strip('"')
        if name not in FIELDS:
            query.unknown.append(name)
            query.words.extend(fold(f"{name} {value}").split())
            continue
        if value.strip():  # "year=" while the user is still typing: no constraint yet
            query.terms.append(Term(name, op, value.strip()))
    return query


def _number(term: Term, text: str) -> int:
    try:
        if term.field == "score":
            value = Decimal(text.replace(",", "."))
            if not value.is_finite():
                raise ValueError
            return int(value * 10)
        return int(text)
    except (ValueError, ArithmeticError):
        raise ValidationError(f"“{term.field}{term.op}{term.value}”: {term.field} takes a "
                              "number, like year=1979 or score>=8.", "filter") from None


def _compare(column: str, term: Term, params: list[Any], convert: Any) -> str:
    if ".." in term.value and term.op in ("=", ":"):
        low, high = term.value.split("..", 1)
        params.extend([convert(term, low), convert(term, high)])
        return f"{column} BETWEEN ? AND ?"
    params.append(convert(term, term.value))
    return f"{column} {_SQL_OPS[term.op]} ?"


def _like(value: str) -> str:
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _people_clause(roles: list[str] | None, value: str, params: list[Any]) -> str:
    role_sql = ""
    if roles:
        role_sql = f" AND +c.role IN ({', '.join('?' for _ in roles)})"
    params.append(_like(fold(value)))
    params.extend(roles or [])
    return (f"f.id IN (SELECT c.film_id FROM credit c WHERE c.person_id IN "
            "(SELECT id FROM person WHERE +deleted_at IS NULL AND name_folded LIKE ? "
            f"ESCAPE '\\'){role_sql})")


def _term_clause(term: Term, params: list[Any], needs: set[str]) -> str:
    f, negate = term.field, term.op == "!="
    if f in ("title", "original") or f in ROLE_FIELDS or f in ("person", "kind", "imdb", "tmdb"):
        if term.op not in ("=", ":", "!="):
            raise ValidationError(f"“{f}” takes = or !=, not {term.op}.", "filter")
        clause = _text_clause(term, params)
        return f"NOT ({clause})" if negate else clause
    if f == "year":
        return _compare("f.year", term, params, _number)
    if f == "score":
        needs.add("score")
        return _compare("s.score", term, params, _number)
    if f == "viewings":
        needs.add("views")
        return _compare("COALESCE(v.n, 0)", term, params, _number)
    # watched: "watched=2023" means some viewing in 2023; comparisons apply to the last one.
    if term.op in ("=", ":"):
        params.append(term.value + "%")
        return ("f.id IN (SELECT film_id FROM viewing WHERE deleted_at IS NULL "
                "AND watched_on LIKE ?)")
    needs.add("views")
    return _compare("v.last", term, params, lambda _t, text: text)


def _text_clause(term: Term, params: list[Any]) -> str:
    f, value = term.field, term.value
    if f == "title":
        params.extend([_like(fold(value)), _like(value)])
        return ("(f.title_folded LIKE ? ESCAPE '\\' "
                "OR COALESCE(f.original_title, '') LIKE ? ESCAPE '\\')")
    if f == "original":
        params.append(_like(value))
        return "f.original_title LIKE ? ESCAPE '\\'"
    if f == "kind":
        params.append(value.lower() + "%")
        return "f.kind LIKE ?"
    if f in ("imdb", "tmdb"):
        params.append(value)
        return f"f.{f}_id = ?"
    roles = None if f == "person" else [ROLE_FIELDS[f]]
    return _people_clause(roles, value, params)


def _word_clause(word: str, params: list[Any]) -> str:
    # film.filter_text (schema 5, kept by triggers): folded title, lower-cased original title
    # and folded directors' names — one instr per film, in the covering index film_filter.
    params.append(word)
    return "instr(f.filter_text, ?) > 0"


_SORT_SQL = {
    "title": ("f.title_folded", set()),
    "original": ("COALESCE(f.original_title, f.title)", set()),
    "year": ("f.year", set()),
    "director": ("d.name", {"director"}),
    "score": ("s.score", {"score"}),
    "viewings": ("COALESCE(v.n, 0)", {"views"}),
    "last_viewed": ("v.last", {"views"}),
}


def build_ids_sql(query: FilmQuery, sort: str = "title",
                  descending: bool = False) -> tuple[str, list[Any]]:
    """The SQL giving the ordered ids of the films that match ``query``."""
    if sort not in _SORT_SQL:
        raise ValidationError(f"Cannot sort films by “{sort}”.", "sort")
    params: list[Any] = []
    needs: set[str] = set()
    where = ["+f.deleted_at IS NULL"]
    where += [_term_clause(t, params, needs) for t in query.terms]
    where += [_word_clause(w, params) for w in query.words]
    key, sort_needs = _SORT_SQL[sort]
    needs |= sort_needs
    joins = []
    if "views" in needs:
        joins.append(f"LEFT JOIN ({_VIEWS_SQL}) v ON v.film_id = f.id")
    if "score" in needs:
        joins.append(f"LEFT JOIN ({_SCORE_SQL}) s ON s.film_id = f.id")
    if "director" in needs:
        joins.append(f"LEFT JOIN ({_DIRECTOR_SQL}) d ON d.film_id = f.id")
    direction = "DESC" if descending else "ASC"
    if sort == "title":  # never NULL: the film_filter index gives this order, no sort needed
        order = f"f.title_folded {direction}, f.id {direction}"
    else:
        order = f"{key} IS NULL, {key} {direction}, f.title_folded, f.id"
    sql = f"SELECT f.id FROM film f {' '.join(joins)} WHERE {' AND '.join(where)} ORDER BY {order}"
    # Params of joins come first in the text, but joins take none: the order above is right.
    return sql, params


#: Terms on the film's own columns that no index of their own serves: SQLite still walks
#: ``film_filter`` in title order with them. The others start from an index of their own or from
#: a table of aggregates, then sort what they found (people, scores, viewings, year: measured
#: at 100,000 films, their first 120 ids cost 87-100% of all of them).
WALKING_TERMS = frozenset({"title", "original", "kind"})


def build_first_ids_sql(query: FilmQuery, sort: str, descending: bool,
                        limit: int) -> tuple[str, list[Any]] | None:
    """The SQL giving the first ``limit`` ids of ``build_ids_sql``, when reading them costs
    only as many rows as it takes to find them: the list is in title order (the ``film_filter``
    index's) and filtered by words or ``WALKING_TERMS``, so SQLite walks the index and stops at
    the ``limit``-th match. None otherwise (another order, or a term with an index of its own,
    needs the matches found and sorted first: the first ids would cost as much as all).

    The first screen of a quick filter comes from it: at 100,000 films "t" matches every film,
    and the whole list takes 20–45 ms to read, its first 120 ids well under a millisecond
    ("title=b": 148 ms and 0.1 ms)."""
    if sort != "title" or any(t.field not in WALKING_TERMS for t in query.terms):
        return None
    sql, params = build_ids_sql(query, sort, descending)
    return f"{sql} LIMIT ?", [*params, limit]


def film_ids(journal: Journal, query: FilmQuery | str, sort: str = "title",
             descending: bool = False) -> list[int]:
    """Ids of the live films matching ``query``, in display order."""
    parsed = parse_query(query) if isinstance(query, str) else query
    sql, params = build_ids_sql(parsed, sort, descending)
    cursor = journal.store.db.execute_sql(sql, params)
    return [row[0] for row in cursor.fetchall()]


_ROWS_SQL = """
SELECT f.id, f.title, COALESCE(f.original_title, ''), f.year, f.kind,
  (SELECT group_concat(name, ', ') FROM (SELECT p.name AS name FROM credit c
     JOIN person p ON p.id = c.person_id WHERE c.film_id = f.id AND c.role = 'director'
     AND p.deleted_at IS NULL ORDER BY c."order", c.id)),
  (SELECT score_tenths FROM review r WHERE r.film_id = f.id AND +r.deleted_at IS NULL
     AND r.score_tenths IS NOT NULL ORDER BY r.created_at DESC, r.id DESC LIMIT 1),
  (SELECT COUNT(*) FROM viewing w WHERE w.film_id = f.id AND +w.deleted_at IS NULL),
  (SELECT MAX(watched_on) FROM viewing w WHERE w.film_id = f.id AND +w.deleted_at IS NULL)
FROM film f WHERE f.id IN ({marks})
"""


#: Ids per statement of ``rows_for_ids`` (SQLite's limit on parameters is far above).
IDS_PER_STATEMENT = 500


def rows_for_ids(journal: Journal, sql: str, ids: list[int],
                 db: Any = None) -> Iterator[tuple[Any, ...]]:
    """The rows of ``sql`` (its ``{marks}``: the ids' placeholders) for ``ids``, a few hundred
    ids per statement. Ids gone meanwhile simply give no row. ``db``: another connection to
    read through (anything with ``execute_sql``, such as a worker's ``SearchReader``)."""
    db = db if db is not None else journal.store.db
    for start in range(0, len(ids), IDS_PER_STATEMENT):
        chunk = ids[start:start + IDS_PER_STATEMENT]
        yield from db.execute_sql(
            sql.format(marks=", ".join("?" for _ in chunk)), chunk).fetchall()


def film_rows(journal: Journal, ids: list[int], db: Any = None) -> dict[int, FilmRow]:
    """The list columns of the films ``ids`` (a screenful at a time), keyed by id."""
    return {row[0]: FilmRow(row[0], row[1], row[2], row[3], row[4], row[5] or "",
                            tenths_to_score(row[6]), row[7], row[8])
            for row in rows_for_ids(journal, _ROWS_SQL, ids, db)}


@dataclass
class Filmography:
    """A person's films grouped by role (oldest first), my average score and viewings."""

    by_role: dict[str, list[tuple[int, str, int | None, str | None]]]
    average_score: Decimal | None
    scored_reviews: int
    viewings: int


def filmography(journal: Journal, person_id: int) -> Filmography:
    db = journal.store.db
    by_role: dict[str, list[tuple[int, str, int | None, str | None]]] = {}
    for role, film_id, title, year, character in db.execute_sql(
            "SELECT c.role, f.id, f.title, f.year, c.character FROM credit c "
            "JOIN film f ON f.id = c.film_id WHERE c.person_id = ? AND f.deleted_at IS NULL "
            "ORDER BY f.year IS NULL, f.year, f.title_folded", (person_id,)).fetchall():
        by_role.setdefault(role, []).append((film_id, title, year, character))
    films = "SELECT DISTINCT c.film_id FROM credit c WHERE c.person_id = ?"
    total, count = db.execute_sql(
        "SELECT SUM(score_tenths), COUNT(score_tenths) FROM review WHERE deleted_at IS NULL "
        f"AND film_id IN ({films})", (person_id,)).fetchone()
    viewings = db.execute_sql(
        f"SELECT COUNT(*) FROM viewing WHERE deleted_at IS NULL AND film_id IN ({films})",
        (person_id,)).fetchone()[0]
    average = (Decimal(total) / count / 10).quantize(Decimal("0.1")) if count else None
    return Filmography(by_role, average, count, viewings)
