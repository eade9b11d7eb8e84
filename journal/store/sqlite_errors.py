"""What kind of database error this is, from SQLite's own result code, never from its wording.

Python's ``sqlite3`` exceptions carry SQLite's extended result code (``sqlite_errorcode``, e.g.
``SQLITE_BUSY_SNAPSHOT``) and its name (``sqlite_errorname``). peewee re-raises them as its own
classes with the original kept as ``.orig`` (and as ``__context__``); ``original`` finds it
through any such chain. The kinds that matter to the user:

- ``FULL`` (SQLITE_FULL): the disk, or the database's size limit, is full;
- ``BUSY`` (SQLITE_BUSY, SQLITE_LOCKED): another connection holds the lock;
- ``READONLY`` (SQLITE_READONLY): the file or the connection cannot be written;
- ``CORRUPT`` (SQLITE_CORRUPT, SQLITE_NOTADB): the file is damaged or is not a database;
- ``INTERRUPTED`` (SQLITE_INTERRUPT): the statement was stopped on purpose.

A message that merely contains "full" or "locked" (a trigger's ``RAISE``, a constraint's name)
is none of these.
"""

from __future__ import annotations

import sqlite3

FULL = "full"
BUSY = "busy"
READONLY = "readonly"
CORRUPT = "corrupt"
INTERRUPTED = "interrupted"

#: Primary result codes (the low byte of an extended code) and the kind each one is.
_KINDS = {
    sqlite3.SQLITE_FULL: FULL,
    sqlite3.SQLITE_BUSY: BUSY,
    sqlite3.SQLITE_LOCKED: BUSY,
    sqlite3.SQLITE_READONLY: READONLY,
    sqlite3.SQLITE_CORRUPT: CORRUPT,
    sqlite3.SQLITE_NOTADB: CORRUPT,
    sqlite3.SQLITE_INTERRUPT: INTERRUPTED,
}


def original(exc: BaseException | None) -> sqlite3.Error | None:
    """The ``sqlite3`` exception carrying SQLite's result code behind ``exc`` (``exc`` itself,
    peewee's ``.orig``, or a ``__cause__``/``__context__`` down the chain), or None."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, sqlite3.Error) and getattr(exc, "sqlite_errorcode", None) is not None:
            return exc
        orig = getattr(exc, "orig", None)
        exc = orig if isinstance(orig, BaseException) else (exc.__cause__ or exc.__context__)
    return None


def code(exc: BaseException | None) -> int | None:
    """SQLite's primary result code behind ``exc`` (``sqlite3.SQLITE_BUSY``…), or None."""
    found = original(exc)
    return None if found is None else int(found.sqlite_errorcode) & 0xFF


def name(exc: BaseException | None) -> str | None:
    """SQLite's extended result code name behind ``exc`` ("SQLITE_BUSY_SNAPSHOT"), or None."""
    found = original(exc)
    return None if found is None else str(found.sqlite_errorname)


def kind(exc: BaseException | None) -> str | None:
    """``FULL``, ``BUSY``, ``READONLY``, ``CORRUPT``, ``INTERRUPTED``, or None for any other
    error (a constraint, a syntax error, a bug) and for exceptions SQLite did not raise."""
    primary = code(exc)
    return None if primary is None else _KINDS.get(primary)


def kind_in_chain(exc: BaseException | None) -> str | None:
    """The kind of ``exc``, else of the error it was raised while handling (``__context__``),
    and so on: a COMMIT that hits a full disk makes SQLite roll back by itself, peewee's own
    ROLLBACK then fails ("no transaction is active", SQLITE_ERROR), and the full disk is what
    explains it."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        found = kind(exc)
        if found is not None:
            return found
        exc = exc.__context__
    return None
