"""Helpers for the import-apply tests: table counts and a fingerprint of a journal's data."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

TABLES = ("film", "person", "credit", "viewing", "review", "tag", "review_tag", "comment",
          "watchlist_entry", "film_link")


def counts(path: Path) -> dict[str, int]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in TABLES}
    finally:
        con.close()


def data_digest(path: Path) -> str:
    """A digest of every row of the domain tables (the file's data, not its pages)."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    digest = hashlib.sha256()
    try:
        for table in TABLES:
            for row in con.execute(f'SELECT * FROM "{table}" ORDER BY 1'):
                digest.update(repr(row).encode())
    finally:
        con.close()
    return digest.hexdigest()


class CancelAfter:
    """A cancel token that cancels after ``n`` progress reports of the apply step."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.reports: list[tuple[int, int, str]] = []

    @property
    def cancelled(self) -> bool:
        return sum(1 for r in self.reports if r[2].startswith("Importing")) >= self.n

    def progress(self, done: int, total: int, message: str = "") -> None:
        self.reports.append((done, total, message))
