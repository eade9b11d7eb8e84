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

import datetime as dt
from typing import Any

from peewee import (  # type: ignore[attr-defined]
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
    __exception_wrapper__,
)


class PreparedInsert:
    """``INSERT INTO <model's table> (<names>) VALUES (?, …)``, compiled once."""

    def __init__(self, model: Any, names: tuple[str, ...]) -> None:
        fields = [model._meta.fields[n] for n in names]
        columns = ", ".join(f'"{f.column_name}"' for f in fields)
        marks = ", ".join("?" for _ in fields)
        self.sql = f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES ({marks})'
        self.names = names
        self.convert = tuple(f.db_value for f in fields)
        self.plain = tuple(_plain_type(f) for f in fields)
        self._columns = tuple(zip(names, self.convert, self.plain, strict=True))

    def __call__(self, cursor: Any, **values: Any) -> int:
        """Insert one row (a name left out is NULL) through ``cursor``; the new row's id."""
        get = values.get
        params = []
        for name, to_db, plain in self._columns:
            value = get(name)
            # a value the field would store as it is (None, or text for a text column…) skips
            # the field's conversion: the same value, without peewee's calls
            params.append(value if value is None and plain is not None or type(value) is plain
                          else to_db(value))
        with __exception_wrapper__:  # sqlite3's errors become peewee's, as execute_sql does
            cursor.execute(self.sql, params)
        return int(cursor.lastrowid)

    def many(self, cursor: Any, rows: list[tuple[Any, ...]]) -> None:
        """Insert ``rows`` (values in the order of ``names``) in one ``executemany``: for rows
        whose ids nobody needs (a review's tags), without a Python call per row."""
        columns = self._columns
        if rows and set(map(len, rows)) != {len(columns)}:
            raise ValueError(f"each row must hold {len(columns)} values: {self.names}")
        # Column by column: most hold only values stored as they are (or None), which the types
        # of the column's values tell in one pass of C code; the others are converted value by
        # value, as before (a Python test per value took ~0.1 s of a 10,000-post import).
        params: list[Any] = rows
        values = list(zip(*rows, strict=True))
        changed = False
        for i, (_n, to_db, plain) in enumerate(columns if rows else ()):
            column = values[i]
            if plain is not None and set(map(type, column)) <= {plain, type(None)}:
                continue
            values[i] = tuple(value if value is None and plain is not None
                              or type(value) is plain else to_db(value) for value in column)
            changed = True
        if changed:
            params = list(zip(*values, strict=True))
        with __exception_wrapper__:
            cursor.executemany(self.sql, params)


#: Sample values of the types a field may store as they are (see ``_plain_type``).
_SAMPLES: dict[type, tuple[Any, ...]] = {
    str: ("", "text", "ünïcode ✨"), int: (0, 1, -7, 2**40), bool: (True, False),
    dt.datetime: (dt.datetime(2014, 1, 24, 20, 15), dt.datetime(1900, 12, 31, 0, 0, 0, 5)),
}


def _plain_type(field: Any) -> type | None:
    """The type whose values (and None) ``field.db_value`` returns unchanged — checked on
    samples here, not assumed from the field's class — or None: always convert."""
    for kind in _plain_kinds(field):
        try:
            if field.db_value(None) is not None or not all(
                    type(out := field.db_value(v)) is kind and out == v for v in _SAMPLES[kind]):
                continue
        except Exception:  # noqa: BLE001 - a field refusing a sample is simply not plain
            continue
        return kind
    return None


def _plain_kinds(field: Any) -> tuple[type, ...]:
    if isinstance(field, ForeignKeyField):
        field = field.rel_field
    if isinstance(field, BooleanField):
        return (bool,)
    if isinstance(field, IntegerField):  # also AutoField
        return (int,)
    if isinstance(field, DateTimeField):
        return (dt.datetime,)
    if isinstance(field, CharField | TextField):
        return (str,)
    return ()


def prepared_insert(model: Any, names: tuple[str, ...]) -> PreparedInsert:
    """A lean INSERT of ``names`` into ``model``'s table (a schema class or a journal's)."""
    return PreparedInsert(model, names)
