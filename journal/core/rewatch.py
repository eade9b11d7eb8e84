"""The rewatch rule, in one place: every reader of "was this a rewatch?" goes through here.

A film's live viewings come in one order: undated ones ("seen it") first, then by date (partial
ISO dates sort as text: "2014" before "2014-01" before "2014-01-24"), then as logged (id). A
viewing is a **rewatch** when it is flagged as one ("I had seen it before") or another live
viewing of the same film comes before it in that order.

The rule has three forms, for three ways of reading, all built here from the same order:

* :func:`order_key` — the order as a Python sort key (film pages, the Letterboxd export);
* :func:`earlier_exists_sql` — "another viewing comes before" as an SQL expression, for reads
  of a few rows (the Diary's rows, :func:`is_rewatch`);
* :data:`IN_ORDER` with :func:`scan` — every live viewing read once in the rule's order (an
  index gives it with no sort) and marked as it goes (the Statistics, 200,000 viewings).

``tests/test_rules_once.py`` runs journals through every form and every caller and checks they
agree viewing by viewing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

#: SQLite sorts NULL first, so this ORDER BY is the rule's order (undated, dated, as logged);
#: the covering index ``viewing_by_film`` (schema 5) answers it without sorting.
IN_ORDER = "{v}.film_id, {v}.watched_on, {v}.id"


def order_key(watched_on: str | None, viewing_id: int) -> tuple[str, int]:
    """The place of a viewing among its film's viewings (undated first: "" sorts first)."""
    return (watched_on or "", viewing_id)


def earlier_exists_sql(film_id: str, watched_on: str, viewing_id: str) -> str:
    """SQL true when another live viewing of ``film_id`` comes before the viewing
    (``watched_on``, ``viewing_id``): each argument an SQL expression (a column, a parameter)."""
    mine, theirs = f"coalesce({watched_on}, '')", "coalesce(e.watched_on, '')"
    return (f"EXISTS (SELECT 1 FROM viewing e WHERE e.film_id = {film_id} "
            f"AND e.id <> {viewing_id} AND +e.deleted_at IS NULL "
            f"AND ({theirs} < {mine} OR ({theirs} = {mine} AND e.id < {viewing_id})))")


def rewatch_sql(v: str = "v") -> str:
    """SQL true when the viewing row ``v`` is a rewatch."""
    return (f"({v}.rewatch_flag OR "
            f"{earlier_exists_sql(f'{v}.film_id', f'{v}.watched_on', f'{v}.id')})")


_ONE = f"SELECT {earlier_exists_sql(':film', ':on', ':id')}"


def is_rewatch(viewing: Any) -> bool:
    """Whether ``viewing`` (a Viewing row, of any journal's classes) is a rewatch; the query
    runs on the viewing's own journal."""
    if viewing.rewatch_flag:
        return True
    database = type(viewing)._meta.database
    row = database.execute_sql(_ONE, {"film": viewing.film_id, "on": viewing.watched_on,
                                      "id": viewing.id}).fetchone()
    return bool(row[0])


def scan(rows: Iterable[tuple[int, str | None, Any]]) -> Iterator[tuple[int, str | None, bool]]:
    """(film_id, watched_on, rewatch) for live viewings given as (film_id, watched_on, flag)
    in the rule's order (:data:`IN_ORDER`): a film's first viewing is a rewatch only when
    flagged, every later one is."""
    last = None
    for film_id, watched_on, flag in rows:
        yield film_id, watched_on, film_id == last or bool(flag)
        last = film_id


def rewatches(viewings: Iterable[Any]) -> dict[int, bool]:
    """{viewing id: rewatch} for live Viewing rows (all of their films' live viewings)."""
    ordered = sorted(viewings, key=lambda v: (v.film_id, order_key(v.watched_on, v.id)))
    marks = scan((v.film_id, v.watched_on, v.rewatch_flag) for v in ordered)
    return {v.id: mark for v, (_film, _on, mark) in zip(ordered, marks, strict=True)}


def earlier(viewings: Iterable[Any], watched_on: str | None,
            viewing_id: int | None) -> list[Any]:
    """The viewings (of one film) that come before a viewing dated ``watched_on`` — one not
    logged yet (``viewing_id`` None) comes after every viewing of its date."""
    mine = order_key(watched_on, viewing_id if viewing_id is not None else 2**63)
    return [v for v in viewings
            if v.id != viewing_id and order_key(v.watched_on, v.id) < mine]
