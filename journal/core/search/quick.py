"""Quick open: films, reviews and people whose title or name starts with a few letters."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from peewee import DatabaseError

from journal.core.review_rows import NO_FILM
from journal.core.search.query import Term, make_term
from journal.core.values import display_partial, format_score, tenths_to_score

QUICK_KINDS = ("film", "review", "person")

_SQL = {
    "film": ("SELECT f.id, f.title, f.year, '' FROM film_fts CROSS JOIN film f "
             "WHERE film_fts MATCH ? AND f.id = film_fts.rowid AND f.deleted_at IS NULL "
             "ORDER BY bm25(film_fts, 10.0, 1.0, 1.0), f.year DESC LIMIT ?", "title"),
    "review": ("SELECT r.id, f.title, f.year, coalesce(v.watched_on, '') || '|' || "
               "coalesce(r.score_tenths, '') FROM review_fts CROSS JOIN review r "
               "LEFT JOIN film f ON f.id = r.film_id "
               "LEFT JOIN viewing v ON v.id = r.viewing_id AND v.deleted_at IS NULL "
               "WHERE review_fts MATCH ? AND r.id = review_fts.rowid AND r.deleted_at IS NULL "
               "AND f.deleted_at IS NULL ORDER BY bm25(review_fts, 10.0, 1.0, 1.0, 1.0, 1.0), "
               "v.watched_on DESC LIMIT ?", "title"),
    "person": ("SELECT p.id, p.name, NULL, '' FROM person_fts CROSS JOIN person p "
               "WHERE person_fts MATCH ? AND p.id = person_fts.rowid AND p.deleted_at IS NULL "
               "ORDER BY bm25(person_fts), length(p.name) LIMIT ?", "name"),
}


@dataclass(frozen=True)
class QuickItem:
    kind: str
    id: int
    label: str    # "Her (2013)", "Review of Her (2013) · 24 January 2014 · ★ 8.5", "Spike Jonze"


def quick_expression(text: str, column: str) -> str | None:
    """Every word as a prefix, all within ``column``; None when nothing searchable was typed."""
    terms = [t for t in (make_term(w.strip('"*'), phrase=False) for w in str(text or "").split())
             if t is not None]
    if not terms:
        return None
    joined = " AND ".join(Term(t.text, False, True).fts() for t in terms)
    return f"{column} : ({joined})"


def quick_open(journal_or_db: Any, text: str, limit: int = 8) -> list[QuickItem]:
    """Up to ``limit`` films, reviews and people each, best match first; never raises on input."""
    store = getattr(journal_or_db, "store", None)
    db = store.db if store is not None else journal_or_db
    items: list[QuickItem] = []
    for kind in QUICK_KINDS:
        sql, column = _SQL[kind]
        expr = quick_expression(text, column)
        if expr is None:
            return []
        try:
            rows = db.execute_sql(sql, [expr, limit]).fetchall()
        except (DatabaseError, sqlite3.Error):
            rows = []
        items += [QuickItem(kind, row[0], _label(kind, row)) for row in rows]
    return items


def _label(kind: str, row: tuple) -> str:
    title = f"{row[1]} ({row[2]})" if row[2] else str(row[1])
    if kind != "review":
        return title
    viewed, _, tenths = str(row[3]).partition("|")
    parts = [f"Review of {title}" if row[1] is not None else f"Draft review ({NO_FILM.lower()})"]
    if viewed:
        parts.append(display_partial(viewed))
    if tenths:
        parts.append(f"★ {format_score(tenths_to_score(int(tenths)))}")
    return " · ".join(parts)
