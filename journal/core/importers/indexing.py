"""Fill the search index once, at the end of an import, instead of row by row.

The search triggers (schema version 3) re-index a review on its insert and again on every tag
inserted for it, and re-read the review through the ``search_review_src`` view each time: that
was two thirds of the time of writing a 10,000-post import. Inside the import's transaction,
:class:`DeferredIndex` drops the *insert* triggers of the indexed tables, and at the end indexes
every row the import added in one ``INSERT … SELECT`` per index (from the same views the triggers
read, so the index holds exactly what the triggers would have put there), then re-creates the
triggers from their own stored SQL. Everything happens in the import's one transaction: a
cancel, an error or a crash rolls the dropped triggers back with the rest.

The Films list's ``film.filter_text`` (schema version 5) is kept by a trigger that rewrites every
new film row right after its insert; it is suspended the same way, and the new films get their
text in one ``UPDATE`` at the end, with the very expression the trigger uses (the credit and person
triggers stay on, so directors added during the import are already counted either way).

Only rows added by the import are affected, and the import adds rows only (new films, their
credits and people, new reviews with their tags, new comments), so "rows with an id above the
largest id before the import" is exactly the set the triggers would have indexed.
"""

from __future__ import annotations

import re
from typing import Any

from journal.store.migrations import v003_search, v005_catalogue_indexes

#: The insert triggers suspended while an import writes (search: schema version 3; the films'
#: filter text: version 5).
SUSPENDED = ("search_review_ai", "search_review_tag_ai", "search_film_ai", "search_credit_ai",
             "search_person_ai", "search_comment_ai", "catalogue_film_ai")

_TABLES = ("review", "film", "person", "comment")
_CREATE_RE = re.compile(r"^\s*CREATE\s+TRIGGER\s+(?:IF\s+NOT\s+EXISTS\s+)?", re.IGNORECASE)


class DeferredIndex:
    """``suspend()`` at the start of the import's transaction; ``finish()`` at its end."""

    def __init__(self, db: Any) -> None:
        self.db = db
        self.saved: list[tuple[str, str]] = []
        self.before: dict[str, int] = {}

    def suspend(self) -> None:
        marks = ", ".join("?" for _ in SUSPENDED)
        self.saved = [(str(name), str(sql)) for name, sql in self.db.execute_sql(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({marks}) "
            "ORDER BY name", SUSPENDED).fetchall()]
        self.before = {table: int(self.db.execute_sql(
            f'SELECT coalesce(max(id), 0) FROM "{table}"').fetchone()[0]) for table in _TABLES}
        for name, _sql in self.saved:
            self.db.execute_sql(f'DROP TRIGGER "{name}"')

    def _reindex(self, index: int, where: str, params: tuple[int, ...]) -> None:
        table, view, columns = v003_search.INDEXES[index]
        cols = ", ".join(columns)
        self.db.execute_sql(
            f"DELETE FROM {table} WHERE rowid IN (SELECT id FROM {view} WHERE {where})", params)
        self.db.execute_sql(
            f"INSERT INTO {table}(rowid, {cols}) SELECT id, {cols} FROM {view} WHERE {where}",
            params)

    def index_new_rows(self) -> None:
        """Index every review, film, person and comment added since ``suspend()``, and give
        the new films their filter text."""
        if not self.saved:
            return
        b = self.before
        if any(name == "catalogue_film_ai" for name, _sql in self.saved):
            self.db.execute_sql(f"UPDATE film SET filter_text = "
                                f"{v005_catalogue_indexes.FILTER_TEXT} WHERE id > ?", (b["film"],))
        self._reindex(0, "id > ?", (b["review"],))  # the reviews of new films are new too
        self._reindex(1, "id > ?", (b["film"],))
        self._reindex(2, "id > ?", (b["person"],))
        self._reindex(3, "id > ?", (b["comment"],))

    def restore_triggers(self) -> None:
        """Re-create the triggers (a no-op for any a rollback has already brought back)."""
        for _name, sql in self.saved:
            self.db.execute_sql(_CREATE_RE.sub("CREATE TRIGGER IF NOT EXISTS ", sql, count=1))
        self.saved = []

    def finish(self) -> None:
        self.index_new_rows()
        self.restore_triggers()
