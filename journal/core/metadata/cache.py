"""The response cache: every answer of a metadata service is kept, so nothing is asked twice.

It lives in the user's cache folder (``~/.cache/eyelights/metadata.sqlite``), not in the journal:

* what it holds is public data the services can give again; the journal keeps what was *applied*
  (and the ids that find it again), never the raw answers — a Wikidata entity is 50–300 KB of
  JSON, so 3,000 films would add hundreds of megabytes to the journal and to every backup;
* one cache serves every journal (the same film in two journals is asked for once);
* it may be deleted at any time; the app then asks again.

Keys never contain a secret: the HTTP client strips API keys before building them. Entries
expire after ``max_age`` (films change: a cast is completed, a poster replaced), and the file is
pruned to ``max_bytes`` by least recent use. A cache that cannot be opened or written is not an
error: lookups then work without it (in memory only).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from pathlib import Path

log = logging.getLogger(__name__)

DAY = 24 * 3600.0
DEFAULT_MAX_AGE = 30 * DAY
DEFAULT_MAX_BYTES = 300 * 1024 * 1024

_SCHEMA = ("CREATE TABLE IF NOT EXISTS response (key TEXT PRIMARY KEY, fetched REAL NOT NULL, "
           "used REAL NOT NULL, mime TEXT NOT NULL, body BLOB NOT NULL)",
           "CREATE INDEX IF NOT EXISTS response_used ON response (used)")


def default_cache_file() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("eyelights")) / "metadata.sqlite"


class ResponseCache:
    """Bodies by key (``GET https://…?a=1&b=2``), with their MIME type and age."""

    def __init__(self, path: Path | None = None, *, max_age: float = DEFAULT_MAX_AGE,
                 max_bytes: int = DEFAULT_MAX_BYTES, clock=time.time) -> None:
        self.path = path if path is not None else default_cache_file()
        self.max_age, self.max_bytes, self.clock = max_age, max_bytes, clock
        self._lock = threading.Lock()
        self._memory: dict[str, tuple[float, str, bytes]] = {}
        self._db: sqlite3.Connection | None = None
        self._writes = 0
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(str(self.path), timeout=5, check_same_thread=False,
                                 isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            for statement in _SCHEMA:
                db.execute(statement)
            self._db = db
        except (OSError, sqlite3.Error) as exc:
            log.warning("Metadata cache %s unavailable (%s): answers are kept in memory only",
                        self.path, exc)

    def get(self, key: str) -> tuple[str, bytes] | None:
        """(mime, body) of a fresh entry, else None."""
        now = self.clock()
        with self._lock:
            if self._db is None:
                hit = self._memory.get(key)
                if hit is None or now - hit[0] > self.max_age:
                    return None
                return hit[1], hit[2]
            try:
                row = self._db.execute("SELECT fetched, mime, body FROM response WHERE key = ?",
                                       (key,)).fetchone()
                if row is None or now - row[0] > self.max_age:
                    return None
                self._db.execute("UPDATE response SET used = ? WHERE key = ?", (now, key))
            except sqlite3.Error as exc:
                log.warning("Metadata cache read failed (%s)", exc)
                return None
            return row[1], bytes(row[2])

    def put(self, key: str, mime: str, body: bytes) -> None:
        now = self.clock()
        with self._lock:
            if self._db is None:
                self._memory[key] = (now, mime, body)
                return
            try:
                self._db.execute("INSERT OR REPLACE INTO response (key, fetched, used, mime, body) "
                                 "VALUES (?, ?, ?, ?, ?)", (key, now, now, mime, body))
                self._writes += 1
                if self._writes % 500 == 0:
                    self._prune()
            except sqlite3.Error as exc:  # a full disk must not stop a lookup
                log.warning("Metadata cache write failed (%s)", exc)

    def _prune(self) -> None:
        assert self._db is not None
        total = self._db.execute("SELECT coalesce(sum(length(body)), 0) FROM response").fetchone()[0]
        if total <= self.max_bytes:
            return
        excess, freed = total - self.max_bytes * 0.8, 0
        doomed = []
        for key, size in self._db.execute("SELECT key, length(body) FROM response ORDER BY used"):
            doomed.append((key,))
            freed += size
            if freed >= excess:
                break
        self._db.executemany("DELETE FROM response WHERE key = ?", doomed)

    def clear(self) -> None:
        with self._lock:
            self._memory.clear()
            if self._db is not None:
                self._db.execute("DELETE FROM response")

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None
