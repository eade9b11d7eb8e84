"""The search engine: one parsed query, run per kind (reviews, films, people, comments).

Ranking is FTS5's bm25 with field weights (a title hit outranks a body hit). Snippets are
computed in a second step for the hits kept only, so a word found in every review costs no more
than the raw ``MATCH … ORDER BY bm25`` it stands on. ``search`` never raises on user input: an
unusable filter or a failure becomes a message in the result.

Search-as-you-type asks first for ``order="recent"``: the newest matches, without ranking every
match (FTS5 stops after ``limit`` rows), then for the ranked answer (``order="rank"``, the
default). ``cancelled`` (a callable) stops a search that is no longer wanted: it raises
``SearchCancelled`` (run it on a ``SearchReader`` for the running statement to stop too).
"""

from __future__ import annotations

import html
import logging
import re
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal
from typing import Any

from peewee import DatabaseError

from journal.core.search.query import ParsedQuery, parse
from journal.core.search.sql import SPECS, VIEWING_FILTERS, KindSpec, filter_sql, tag_lookup
from journal.core.values import tenths_to_score
from journal.core.words import medium_name
from journal.errors import EyelightsError

log = logging.getLogger(__name__)

KINDS = ("review", "viewing", "film", "person", "comment")
KIND_LABELS = {"review": "Reviews", "viewing": "Viewings without a review", "film": "Films",
               "person": "People", "comment": "Comments"}
#: What a viewing hit says of itself: it was found by the viewing filters, not in a review.
NO_REVIEW = "no review of this viewing"
MARK_START, MARK_END = "\ue000", "\ue001"  # private-use characters around each match
SNIPPETS_FIRST = 20  # hits of each kind whose snippet is computed with the search
_MARKUP_RE = re.compile(r"\[\[|\]\]|[*_#>`|]+|\s+")
ORDERS = ("rank", "recent")


class SearchCancelled(EyelightsError):
    """A search stopped because a newer one replaced it (never shown to the user)."""

    def __init__(self, message: str = "The search was replaced by a newer one.") -> None:
        super().__init__(message)


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
    snippet_pending: bool = field(default=False, compare=False)  # see SearchResult.fill_snippets

    def snippet_text(self, start: str = "[", end: str = "]") -> str:
        return self.snippet.replace(MARK_START, start).replace(MARK_END, end)

    def snippet_html(self, start: str = "<b>", end: str = "</b>") -> str:
        return html.escape(self.snippet, quote=False).replace(MARK_START, start).replace(
            MARK_END, end)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["score"] = None if self.score is None else float(self.score)
        data["snippet"] = self.snippet_text("", "")
        del data["snippet_pending"]
        return data


@dataclass
class SearchResult:
    query: ParsedQuery
    hits: list[Hit] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    #: (kind, ids) -> {id: snippet}; set by the engine, used by ``fill_snippets``
    loader: Callable[[str, list[int]], dict[int, str]] | None = field(default=None, repr=False)
    #: False for a first answer (``order="recent"``): the newest matches, in that order
    ranked: bool = True
    #: True when no kind reached the limit: every match is among the hits
    complete: bool = True

    def fill_snippets(self, hits: Iterable[Hit]) -> list[Hit]:
        """Compute the pending snippets among ``hits`` (one query per kind), update ``hits``
        in place, and return the given hits completed."""
        wanted = [h for h in hits]
        pending: dict[str, list[int]] = {}
        for hit in wanted:
            if hit.snippet_pending:
                pending.setdefault(hit.kind, []).append(hit.id)
        if not pending or self.loader is None:
            return wanted
        done: dict[tuple[str, int], str] = {}
        for kind, ids in pending.items():
            found = self.loader(kind, ids)
            done.update({(kind, i): found.get(i, "") for i in ids})
        self.hits = [replace(h, snippet=done[(h.kind, h.id)], snippet_pending=False)
                     if (h.kind, h.id) in done else h for h in self.hits]
        return [replace(h, snippet=done[(h.kind, h.id)], snippet_pending=False)
                if (h.kind, h.id) in done else h for h in wanted]

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
    """Runs queries on a journal's database (``Journal`` or a peewee database).

    Each kind runs in three short steps: rank (the FTS5 table alone: ``MATCH … ORDER BY bm25``,
    with the Trash and the filters as sets of ids found through small indexes), details for the
    hits kept (one lookup each), snippets for the first ``snippets`` hits of each kind (the rest
    on demand: ``SearchResult.fill_snippets``). No step reads a review's body for a row that is
    not shown, so a word found in every review costs about what the bare ``MATCH`` costs.
    """

    def __init__(self, journal_or_db: Any) -> None:
        store = getattr(journal_or_db, "store", None)
        self.db = store.db if store is not None else journal_or_db

    # ------------------------------------------------------------------ public API
    def search(self, text: str, *, kinds: tuple[str, ...] = KINDS, limit: int = 50,
               prefix_last: bool = True, snippets: int | None = SNIPPETS_FIRST,
               order: str = "rank", cancelled: Callable[[], bool] | None = None) -> SearchResult:
        """Hits of each kind (at most ``limit`` each). ``snippets``: how many hits of each kind
        get their snippet now (None: all); the others are marked ``snippet_pending``.
        ``order="recent"``: the newest matches (highest ids) instead of the best ranked ones;
        ``result.ranked`` tells which (a query of filters only is always in its final order).
        ``cancelled``: checked between statements; raises ``SearchCancelled`` when true."""
        if order not in ORDERS:
            raise ValueError(f"order must be one of {ORDERS}")
        query = parse(text, prefix_last=prefix_last)
        recent = order == "recent" and bool(query.match_expression())
        result = SearchResult(query, messages=[*query.messages, *query.notes], ranked=not recent)
        if query.empty:
            return result
        result.loader = self.snippet_loader(query)
        limit = max(0, int(limit))
        try:
            tags = self._tags(query)
            for kind in self.kinds_for(query, kinds):
                _check(cancelled)
                hits = self._run(SPECS[kind], query, tags, limit, recent)
                result.hits += hits
                result.complete = result.complete and len(hits) < limit
                _check(cancelled)
                result.fill_snippets(hits if snippets is None else hits[:max(0, snippets)])
        except (DatabaseError, sqlite3.Error) as exc:
            if cancelled is not None and cancelled():
                raise SearchCancelled() from None
            log.exception("search failed for %r", text)
            result.messages.append(f"Search failed: {exc}")
        return result

    def first_answer(self, text: str, *, limit: int = 50,
                     cancelled: Callable[[], bool] | None = None, **options: Any) -> SearchResult:
        """Search-as-you-type's first answer: the newest matches (``order="recent"``); when
        they are every match there is (a rare word), ranked at once, so there is nothing to
        refine (``result.ranked``)."""
        result = self.search(text, limit=limit, order="recent", cancelled=cancelled, **options)
        if result.ranked or not result.complete:
            return result
        if not result.hits:  # nothing found: nothing to rank either
            result.ranked = True
            return result
        return self.search(text, limit=limit, order="rank", cancelled=cancelled, **options)

    def snippet_loader(self, query: ParsedQuery) -> Callable[[str, list[int]], dict[int, str]]:
        """What ``SearchResult.fill_snippets`` calls, on this engine's connection (the Search
        page gives the results found on a worker a loader on the GUI thread's connection)."""
        return lambda kind, ids: self._snippets(SPECS[kind], query, ids)

    def count(self, text: str, *, kinds: tuple[str, ...] = KINDS) -> int:
        """How many hits a query has (no prefix matching: saved searches are whole words)."""
        query = parse(text, prefix_last=False)
        if query.empty:
            return 0
        try:
            tags = self._tags(query)
            total = 0
            for kind in self.kinds_for(query, kinds):
                spec = SPECS[kind]
                if query.match_expression() and not spec.via_film:
                    sql, params = self._ranked_sql(spec, query, tags, "count(*)")
                else:
                    sql, params = self._listed_sql(spec, query, tags, "count(*)")
                total += int(self.db.execute_sql(sql, params).fetchone()[0])
            return total
        except (DatabaseError, sqlite3.Error):
            log.exception("count failed for %r", text)
            return 0

    @staticmethod
    def kinds_for(query: ParsedQuery, kinds: tuple[str, ...] = KINDS) -> list[str]:
        """Filters narrow the kinds: film filters keep films and reviews, the others reviews;
        the viewing filters (viewed, medium, rewatch) also find viewings without a review."""
        names = query.filter_names()
        return [k for k in kinds if k in SPECS and names <= SPECS[k].filters
                and (k != "viewing" or names & VIEWING_FILTERS)]

    # ------------------------------------------------------------------ step 1: which ids
    def _tags(self, query: ParsedQuery) -> dict[str, list[int]]:
        if "tag" not in query.filter_names():
            return {}
        rows = self.db.execute_sql("SELECT id, name FROM tag").fetchall()
        return tag_lookup(rows, query.filters)

    @staticmethod
    def _filters(query: ParsedQuery, tags: dict[str, list[int]]) -> tuple[list[str], list]:
        where, params = [], []
        for flt in query.filters:
            sql, values = filter_sql(flt, tags)
            where.append(sql)
            params += values
        return where, params

    def _ranked_sql(self, spec: KindSpec, query: ParsedQuery, tags: dict[str, list[int]],
                    columns: str) -> tuple[str, list]:
        """The FTS5 table alone; live and filtered ids as sets (``+rowid``: a check on each
        match, not a lookup per id)."""
        where, params = [f"{spec.fts} MATCH ?"], [query.full_expression()]
        conditions, values = self._filters(query, tags)
        if conditions:
            where.append(f"+{spec.fts}.rowid IN (SELECT {spec.key} FROM {spec.source} "
                         f"WHERE {' AND '.join([spec.live, *conditions])})")
            params += values
        else:
            where.append(f"+{spec.fts}.rowid NOT IN ({spec.trashed})")
        return f"SELECT {columns} FROM {spec.fts} WHERE {' AND '.join(where)}", params

    def _listed_sql(self, spec: KindSpec, query: ParsedQuery, tags: dict[str, list[int]],
                    columns: str) -> tuple[str, list]:
        """No word to match (or a kind whose words match its film): the kind's table with the
        filters (and exclusions)."""
        conditions, params = self._filters(query, tags)
        where = [spec.live, *conditions]
        positive = query.full_expression() if spec.via_film else None
        if positive:
            where.append(f"{spec.via_film} IN (SELECT rowid FROM {spec.fts} "
                         f"WHERE {spec.fts} MATCH ?)")
            params.append(positive)
        negative = query.exclusion_expression()
        if negative and not positive:
            where.append(f"{spec.via_film or spec.key} NOT IN (SELECT rowid FROM {spec.fts} "
                         f"WHERE {spec.fts} MATCH ?)")
            params.append(negative)
        return f"SELECT {columns} FROM {spec.source} WHERE {' AND '.join(where)}", params

    def _ids(self, spec: KindSpec, query: ParsedQuery, tags: dict[str, list[int]],
             limit: int, recent: bool = False) -> list[tuple[int, float]]:
        if spec.via_film:
            sql, params = self._listed_sql(spec, query, tags, f"{spec.key}, 0.0")
            sql += f" ORDER BY {spec.default_order} LIMIT ?"
        elif query.match_expression() and recent:  # no bm25: it would read every match
            sql, params = self._ranked_sql(spec, query, tags, f"{spec.fts}.rowid, 0.0")
            sql += f" ORDER BY {spec.fts}.rowid DESC LIMIT ?"
        elif query.match_expression():
            weights = ", ".join(str(w) for w in spec.weights)
            sql, params = self._ranked_sql(spec, query, tags,
                                           f"{spec.fts}.rowid, bm25({spec.fts}, {weights}) AS rank")
            sql += " ORDER BY rank LIMIT ?"
        else:
            sql, params = self._listed_sql(spec, query, tags, f"{spec.key}, 0.0")
            sql += f" ORDER BY {spec.default_order} LIMIT ?"
        return [(int(i), float(r)) for i, r in self.db.execute_sql(sql, [*params, limit])]

    # ------------------------------------------------------------------ step 2: details
    def _run(self, spec: KindSpec, query: ParsedQuery, tags: dict[str, list[int]],
             limit: int, recent: bool = False) -> list[Hit]:
        ranked = self._ids(spec, query, tags, limit, recent)
        if not ranked:
            return []
        matched = bool(query.match_expression()) and not spec.via_film
        marks = ", ".join("?" * len(ranked))
        extra = "" if matched else f", {spec.plain_snippet}"
        rows = self.db.execute_sql(
            f"SELECT {spec.columns}{extra} FROM {spec.source} WHERE {spec.key} IN ({marks})",
            [i for i, _ in ranked]).fetchall()
        details = {row[0]: row for row in rows}
        hits = []
        for rowid, rank in ranked:
            row = details.get(rowid)
            if row is None:  # gone between the two statements
                continue
            label, snippet = row[8] or "", "" if matched else _plain(row[9])
            if spec.kind == "viewing":
                label, snippet = medium_name(label), _viewing_snippet(label, row[9])
            hits.append(Hit(spec.kind, row[0], row[1] or "", row[2], row[3], row[4], row[5],
                            tenths_to_score(row[6]), row[7], label, snippet, rank,
                            snippet_pending=matched))
        return hits

    # ------------------------------------------------------------------ step 3: snippets
    def _snippets(self, spec: KindSpec, query: ParsedQuery, ids: list[int]) -> dict[int, str]:
        """Marked snippets of the rows ``ids`` (one statement for all, plus one for the rows
        whose preferred columns hold no match)."""
        if not ids:
            return {}
        expr = query.full_expression()
        marks = f"'{MARK_START}', '{MARK_END}'"
        prefix = query.has_prefix()
        where, params = _rows_of(spec.fts, ids, prefix)
        if spec.kind == "person":
            columns = [f"highlight({spec.fts}, 0, {marks})"]
        else:  # the preferred column and the one before it; the best column only if needed
            columns = [f"snippet({spec.fts}, {c}, {marks}, '…', 24)"
                       for c in dict.fromkeys((spec.snippet_column, spec.snippet_column - 1))
                       if c >= -1]
        out: dict[int, str] = {}
        retry: list[int] = []
        for rowid, *texts in self.db.execute_sql(f"SELECT rowid, {', '.join(columns)}" + where,
                                                 [expr, *params]):
            marked = [text for text in texts if MARK_START in (text or "")]
            out[rowid] = clean_snippet(marked[0] if marked else texts[0])
            if not marked and spec.snippet_column >= 0:
                retry.append(rowid)
        if retry:
            where, params = _rows_of(spec.fts, retry, prefix)
            for rowid, text in self.db.execute_sql(
                    f"SELECT rowid, snippet({spec.fts}, -1, {marks}, '…', 24)" + where,
                    [expr, *params]):
                if MARK_START in (text or ""):
                    out[rowid] = clean_snippet(text)
        return out


def _rows_of(fts: str, ids: list[int], prefix: bool) -> tuple[str, list[int]]:
    """``FROM fts WHERE MATCH ?`` limited to the rows ``ids``. ``rowid IN (…)`` runs the match
    once per id, which for a prefix (expanded anew each time) costs more than one pass over the
    ids' span with the list as a check on each row."""
    marks = ", ".join("?" * len(ids))
    if prefix and len(ids) > 1:
        return (f" FROM {fts} WHERE {fts} MATCH ? AND rowid BETWEEN ? AND ? "
                f"AND +rowid IN ({marks})", [min(ids), max(ids), *ids])
    return f" FROM {fts} WHERE {fts} MATCH ? AND rowid IN ({marks})", list(ids)


def _viewing_snippet(medium: str | None, venue: str | None) -> str:
    """A viewing found without a review says so: "Blu-ray · Home — no review of this viewing"
    (the date is the hit's ``viewing_date``)."""
    parts = " · ".join(p for p in (medium_name(medium), (venue or "").strip()) if p)
    return f"{parts} — {NO_REVIEW}" if parts else NO_REVIEW[0].upper() + NO_REVIEW[1:]


def _check(cancelled: Callable[[], bool] | None) -> None:
    if cancelled is not None and cancelled():
        raise SearchCancelled()


def _plain(text: str | None, length: int = 200) -> str:
    text = clean_snippet(text or "")
    return text if len(text) <= length else text[:length].rsplit(" ", 1)[0] + "…"
