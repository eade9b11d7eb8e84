"""What the store runs on, for the About dialog and bug reports (the UI imports no sqlite3)."""

from __future__ import annotations

import sqlite3
from importlib.metadata import PackageNotFoundError, version


def sqlite_version() -> str:
    """The SQLite library's version ("3.40.1")."""
    return sqlite3.sqlite_version


def peewee_version() -> str:
    try:
        return version("peewee")
    except PackageNotFoundError:
        return "unknown"
