"""Fill the search index once, at the end of an import, instead of row by row.

The search triggers (schema version 8) re-index a review on its insert and again on every tag
inserted for it, and re-read the review through the ``search_review_src`` view each time: that
was two thirds of the time of writing a 10,000-post import. Inside the import's transaction,
:class:`DeferredIndex` holds back the rows the import adds: ``search_hold`` names, per table, the
largest id before the import, and the triggers index no row above it (they still run, and keep
every older row exact — an import that credits an existing film re-indexes it as any edit does).
At the end the hold is lifted and every new row is indexed in one ``INSERT … SELECT`` per index
(the triggers' own statement, from the same views). Holding back rather than dropping the
triggers matters since the index keeps no copy of the text: a row indexed half-way through the
import, then changed by a step whose trigger was off, could no longer be removed exactly.
Everything happens in the import's one transaction: a cancel, an error or a crash rolls back
the hold with the rest.

The Films list's ``film.filter_text`` (schema version 5) is kept by a trigger that rewrites every
new film row right after its insert; it is suspended (dropped and re-created from its stored SQL),
and the new films get their text in one ``UPDATE`` at the end, with the very expression the
trigger uses (the credit and person triggers stay on, so directors added during the import are
already counted either way).
"""

from __future__ import annotations

import re
from typing import Any

from journal.store.migrations import v005_catalogue_indexes
from journal.store.migrations import v008_search_external as search_schema

#: The trigger suspended while an import writes (the films' filter text: version 5).
SUSPENDED = ("catalogue_film_ai",)

_TABLES = ("review", "film", "person", "comment")
_CREATE_RE = re.compile(r"^\s*CREATE\s+TRIGGER\s+(?:IF\s+NOT\s+EXISTS\s+)?", re.IGNORECASE)


class DeferredIndex:
    """``suspend()`` at the start of the import's transaction; ``finish()`` at its end."""

    def __init__(self, db: Any) -> None:
        self.db = db
        self.saved: list[tuple[str, str]] = []
        self.before: dict[str, int] = {}
        self.held = False

    def suspend(self) -> None:
        marks = ", ".join("?" for _ in SUSPENDED)
        self.saved = [(str(name), str(sql)) for name, sql in self.db.execute_sql(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({marks}) "
            "ORDER BY name", SUSPENDED).fetchall()]
        self.before = {table: int(self.db.execute_sql(
            f'SELECT coalesce(max(id), 0) FROM "{table}"').fetchone()[0]) for table in _TABLES}
        for table, above in self.before.items():
            self.db.execute_sql("INSERT OR REPLACE INTO search_hold (tbl, above) VALUES (?, ?)",
                                (table, above))
        for name, _sql in self.saved:
            self.db.execute_sql(f'DROP TRIGGER "{name}"')
        self.held = True

    def _reindex(self, index: int, where: str, params: tuple[int, ...]) -> None:
        self.db.execute_sql(search_schema.add(index, where, held=True), params)

    def index_new_rows(self) -> None:
        """Index every review, film, person and comment added since ``suspend()``, and give
        the new films their filter text."""
        if not self.held:
            return
        self.db.execute_sql("DELETE FROM search_hold")
        self.held = False
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
