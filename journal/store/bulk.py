"""Lean INSERTs for bulk writes (the importer's fast path), the one place they are built.

``prepared_insert(model, names)`` compiles one ``INSERT`` for a model's table once; calling it
with a cursor of the journal's database inserts a row and returns its id. Values go through the
fields' ``db_value`` (scores in tenths, partial dates as ISO text) exactly as peewee's own
queries would store them, but the row skips peewee's query building and ``execute_sql`` (its
cursor, logging and keyword plumbing), which dominate the cost of a 10,000-post import.

Rules for callers:

- call it only inside ``Journal.write()`` (the single writer and its transaction), with a cursor
  from that journal's database on the writing thread: ``journal.store.db.cursor()``;
- it writes only the columns named (others get their SQL default or NULL, not peewee's Python
  defaults: name every column that has one);
- SQLite's errors come out as peewee's (``IntegrityError``, ``OperationalError``…), as from any
  other query, so ``Store.writing`` classifies them the same way.

The statement depends only on the schema, so one ``PreparedInsert`` serves every journal.
"""

from __future__ import annotations

from typing import Any

from peewee import __exception_wrapper__  # type: ignore[attr-defined]


class PreparedInsert:
    """``INSERT INTO <model's table> (<names>) VALUES (?, …)``, compiled once."""

    def __init__(self, model: Any, names: tuple[str, ...]) -> None:
        fields = [model._meta.fields[n] for n in names]
        columns = ", ".join(f'"{f.column_name}"' for f in fields)
        marks = ", ".join("?" for _ in fields)
        self.sql = f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES ({marks})'
        self.names = names
        self.convert = tuple(f.db_value for f in fields)

    def __call__(self, cursor: Any, **values: Any) -> int:
        """Insert one row (a name left out is NULL) through ``cursor``; the new row's id."""
        params = [to_db(values.get(n)) for n, to_db in zip(self.names, self.convert, strict=True)]
        with __exception_wrapper__:  # sqlite3's errors become peewee's, as execute_sql does
            cursor.execute(self.sql, params)
        return int(cursor.lastrowid)

    def many(self, cursor: Any, rows: list[tuple[Any, ...]]) -> None:
        """Insert ``rows`` (values in the order of ``names``) in one ``executemany``: for rows
        whose ids nobody needs (a review's tags), without a Python call per row."""
        convert = self.convert
        params = [[to_db(v) for v, to_db in zip(row, convert, strict=True)] for row in rows]
        with __exception_wrapper__:
            cursor.executemany(self.sql, params)


def prepared_insert(model: Any, names: tuple[str, ...]) -> PreparedInsert:
    """A lean INSERT of ``names`` into ``model``'s table (a schema class or a journal's)."""
    return PreparedInsert(model, names)
