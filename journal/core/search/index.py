"""Index maintenance: the triggers keep it current; ``rebuild`` repairs, ``size`` measures.

The index tables are external-content FTS5 tables (schema version 8): they hold the index only,
the text stays in the journal's rows (``journal.store.migrations.v009_search_external``)."""

from __future__ import annotations

import sqlite3
from typing import Any

from peewee import DatabaseError

from journal.store.migrations import v009_search_external as schema

FTS_TABLES = tuple(table for table, _source, _cols in schema.INDEXES)


def _db(journal: Any) -> Any:
    return journal.store.db


def rebuild(journal: Any) -> dict[str, int]:
    """Re-create the index from the journal's rows in one write; returns rows per table.

    Also re-creates missing index tables, views or triggers (a damaged or hand-edited file)."""
    db = _db(journal)
    with journal.write():
        for statement in schema.statements():
            db.execute_sql(statement)
        schema.populate(db)
        for table in FTS_TABLES:
            db.execute_sql(f"INSERT INTO {table}({table}) VALUES ('optimize')")
    return counts(journal)


def counts(journal: Any) -> dict[str, int]:
    """Rows in each index (its own row list: ``count(*)`` of an external-content table would
    count the rows of its content instead)."""
    db = _db(journal)
    return {table: int(db.execute_sql(f"SELECT count(*) FROM {table}_docsize").fetchone()[0])
            for table in FTS_TABLES}


def check(journal: Any) -> bool:
    """FTS5's own integrity check of every index table, against the text it indexes (True when
    sound: every word of every row indexed, nothing else)."""
    db = _db(journal)
    try:
        for table in FTS_TABLES:
            db.execute_sql(f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)")
    except (DatabaseError, sqlite3.Error):
        return False
    return True


def size_bytes(journal: Any) -> int:
    """Bytes the index tables take in the journal file (from SQLite's dbstat table)."""
    db = _db(journal)
    names = [f"{t}_{suffix}" for t in FTS_TABLES
             for suffix in ("data", "idx", "docsize", "config")]
    marks = ", ".join("?" * len(names))
    row = db.execute_sql(f"SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name IN ({marks})",
                         names).fetchone()
    return int(row[0])
