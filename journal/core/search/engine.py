"""The search engine: one parsed query, run per kind (reviews, films, people, comments).

Ranking is FTS5's bm25 with field weights (a title hit outranks a body hit). Snippets are
computed in a second step for the hits kept only, so a word found in every review costs no more
than the raw ``MATCH … ORDER BY bm25`` it stands on. ``search`` never raises on user input: an
unusable filter or a failure becomes a message in the result.
"""

from __future__ import annotations

import html
import logging
import re
import sqlite3
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from peewee import DatabaseError

from journal.core.search.query import ParsedQuery, parse
from journal.core.search.sql import SPECS, KindSpec, filter_sql, tag_lookup
from journal.core.values import tenths_to_score

log = logging.getLogger(__name__)

KINDS = ("review", "film", "person", "comment")
KIND_LABELS = {"review": "Reviews", "film": "Films", "person": "People", "comment": "Comments"}
MARK_START, MARK_END = "\ue000", "\ue001"  # private-use characters around each match
_MARKUP_RE = re.compile(r"\[\[|\]\]|[*_#>`|]+|\s+")


@dataclass(frozen=True)
class Hit:
    kind: str
    id: int
    title: str            # the film's title (reviews, films, comments) or the person's name
    year: int | None
    film_id: int | None
    review_id: int | None
    viewing_date: str | None
    score: Decimal | None
    status: str | None
    label: str            # review title, original title or comment author
    snippet: str          # with MARK_START/MARK_END around matches
    rank: float

    def snippet_text(self, start: str = "[", end: str = "]") -> str:
        return self.snippet.replace(MARK_START, start).replace(MARK_END, end)

    def snippet_html(self, start: str = "<b>", end: str = "</b>") -> str:
        return html.escape(self.snippet, quote=False).replace(MARK_START, start).replace(
            MARK_END, end)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["score"] = None if self.score is None else float(self.score)
        data["snippet"] = self.snippet_text("", "")
        return data


@dataclass
class SearchResult:
    query: ParsedQuery
    hits: list[Hit] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)

    @property
    def terms(self) -> list[str]:
        return self.query.terms()

    def by_kind(self) -> dict[str, list[Hit]]:
        groups: dict[str, list[Hit]] = {}
        for hit in self.hits:
            groups.setdefault(hit.kind, []).append(hit)
        return groups


def clean_snippet(text: str) -> str:
    """Markdown marks and line breaks out of a snippet; the match markers stay."""
    return _MARKUP_RE.sub(lambda m: " " if m.group(0).isspace() else "", text or "").strip()


class SearchEngine:
    """Runs queries on a journal's database (``Journal`` or a peewee database)."""

    def __init__(self, journal_or_db: Any) -> None:
        store = getattr(journal_or_db, "store", None)
        self.db = store.db if store is not None else journal_or_db

    # ------------------------------------------------------------------ public API
    def search(self, text: str, *, kinds: tuple[str, ...] = KINDS, limit: int = 50,
               prefix_last: bool = True) -> SearchResult:
        query = parse(text, prefix_last=prefix_last)
        result = SearchResult(query, messages=list(query.messages))
        if query.empty:
            return result
        try:
            tags = self._tags(query)
            for kind in self.kinds_for(query, kinds):
                result.hits += self._run(SPECS[kind], query, tags, max(0, int(limit)))
        except (DatabaseError, sqlite3.Error) as exc:
            log.exception("search failed for %r", text)
            result.messages.append(f"Search failed: {exc}")
        return result

    def count(self, text: str, *, kinds: tuple[str, ...] = KINDS) -> int:
        """How many hits a query has (no prefix matching: saved searches are whole words)."""
        query = parse(text, prefix_last=False)
        if query.empty:
            return 0
        try:
            tags = self._tags(query)
            total = 0
            for kind in self.kinds_for(query, kinds):
                sql, params = self._select(SPECS[kind], query, tags, "count(*)")
                total += int(self.db.execute_sql(sql, params).fetchone()[0])
            return total
        except (DatabaseError, sqlite3.Error):
            log.exception("count failed for %r", text)
            return 0

    @staticmethod
    def kinds_for(query: ParsedQuery, kinds: tuple[str, ...] = KINDS) -> list[str]:
        """Filters narrow the kinds: film filters keep films and reviews, the others reviews."""
        names = query.filter_names()
        return [k for k in kinds if k in SPECS and names <= SPECS[k].filters]

    # ------------------------------------------------------------------ internals
    def _tags(self, query: ParsedQuery) -> dict[str, list[int]]:
        if "tag" not in query.filter_names():
            return {}
        rows = self.db.execute_sql("SELECT id, name FROM tag").fetchall()
        return tag_lookup(rows, query.filters)

    def _select(self, spec: KindSpec, query: ParsedQuery, tags: dict[str, list[int]],
                columns: str) -> tuple[str, list]:
        where, params = [spec.live], []
        for flt in query.filters:
            sql, values = filter_sql(flt, tags)
            where.append(sql)
            params += values
        positive, negative = query.match_expression(), query.exclusion_expression()
        if positive:
            source = f"{spec.fts} CROSS JOIN {spec.source}"
            where[:0] = [f"{spec.fts} MATCH ?", f"{spec.key} = {spec.fts}.rowid"]
            params.insert(0, query.full_expression())
        else:
            source = spec.source
            if negative:
                where.append(f"{spec.key} NOT IN (SELECT rowid FROM {spec.fts} "
                             f"WHERE {spec.fts} MATCH ?)")
                params.append(negative)
        return f"SELECT {columns} FROM {source} WHERE {' AND '.join(where)}", params

    def _run(self, spec: KindSpec, query: ParsedQuery, tags: dict[str, list[int]],
             limit: int) -> list[Hit]:
        if query.match_expression():
            weights = ", ".join(str(w) for w in spec.weights)
            sql, params = self._select(spec, query, tags,
                                       f"{spec.columns}, bm25({spec.fts}, {weights}) AS rank, ''")
            sql += " ORDER BY rank LIMIT ?"
        else:
            sql, params = self._select(spec, query, tags,
                                       f"{spec.columns}, 0.0, {spec.plain_snippet}")
            sql += f" ORDER BY {spec.default_order} LIMIT ?"
        rows = self.db.execute_sql(sql, [*params, limit]).fetchall()
        hits = []
        for row in rows:
            snippet = (self._snippet(spec, query, row[0]) if query.match_expression()
                       else _plain(row[10]))
            hits.append(Hit(spec.kind, row[0], row[1] or "", row[2], row[3], row[4], row[5],
                            tenths_to_score(row[6]), row[7], row[8] or "", snippet,
                            float(row[9])))
        return hits

    def _snippet(self, spec: KindSpec, query: ParsedQuery, rowid: int) -> str:
        expr = query.full_expression()
        marks = f"'{MARK_START}', '{MARK_END}'"
        where = f" FROM {spec.fts} WHERE {spec.fts} MATCH ? AND rowid = ?"
        if spec.kind == "person":
            columns = [f"highlight({spec.fts}, 0, {marks})"]
        else:  # the preferred column and the one before it; the best column only if needed
            columns = [f"snippet({spec.fts}, {c}, {marks}, '…', 24)"
                       for c in dict.fromkeys((spec.snippet_column, spec.snippet_column - 1))
                       if c >= -1]
        row = self.db.execute_sql("SELECT " + ", ".join(columns) + where,
                                  [expr, rowid]).fetchone()
        if row is None:
            return ""
        marked = [text for text in row if MARK_START in (text or "")]
        if not marked and spec.snippet_column >= 0:
            best = self.db.execute_sql(f"SELECT snippet({spec.fts}, -1, {marks}, '…', 24)"
                                       + where, [expr, rowid]).fetchone()
            marked = [best[0]] if best and MARK_START in (best[0] or "") else []
        return clean_snippet(marked[0] if marked else row[0])


def _plain(text: str | None, length: int = 200) -> str:
    text = clean_snippet(text or "")
    return text if len(text) <= length else text[:length].rsplit(" ", 1)[0] + "…"
