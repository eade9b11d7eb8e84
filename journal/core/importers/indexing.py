"""Fill the search index once, at the end of an import, instead of row by row.

The search triggers (schema version 8) re-index a review on its insert and again on every tag
inserted for it, and re-read the review through the ``search_review_src`` view each time: that
was two thirds of the time of writing a 10,000-post import. Inside the import's transaction,
:class:`DeferredIndex` drops the *insert* triggers of the indexed tables and holds back the new
rows (``search_hold``: per table, the largest id before the import; the update triggers, which
stay on, index no row above it). At the end every row not yet indexed is indexed in one
``INSERT … SELECT`` per index (the triggers' own statement, from the same views), then the
triggers are re-created from their own stored SQL.

The index keeps no copy of the text, so a row's entry can only be removed with the words it was
indexed with: a row must never be indexed while a change to it goes unseen. Only the triggers of
inserts that concern the inserted row alone are dropped (a review, film, person, comment); those
of inserts that change another row's words — a credit (its film's people), a review's tag —
stay on, and skip their work when that row is a held-back new one (a ``WHEN`` on
``search_hold``), so a credit on a film already in the journal re-indexes it as any edit does.
Everything happens in the import's one transaction: a cancel, an error or a crash rolls back the
dropped triggers and the hold with the rest.

The Films list's ``film.filter_text`` (schema version 5) is kept by a trigger that rewrites every
new film row right after its insert; it is suspended the same way, and the new films get their
text in one ``UPDATE`` at the end, with the very expression the trigger uses (the credit and person
triggers stay on, so directors added during the import are already counted either way).
"""

from __future__ import annotations

import re
from typing import Any

from journal.store.migrations import v005_catalogue_indexes
from journal.store.migrations import v009_search_external as search_schema

#: The insert triggers suspended while an import writes (search: schema version 8; the films'
#: filter text: version 5).
SUSPENDED = ("search8_review_ai", "search8_film_ai", "search8_person_ai", "search8_comment_ai",
             "catalogue_film_ai")

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
        for index in range(len(search_schema.INDEXES)):  # every row not indexed: the new ones
            self.db.execute_sql(search_schema.add(index, "1", held=True))

    def restore_triggers(self) -> None:
        """Re-create the triggers (a no-op for any a rollback has already brought back)."""
        for _name, sql in self.saved:
            self.db.execute_sql(_CREATE_RE.sub("CREATE TRIGGER IF NOT EXISTS ", sql, count=1))
        self.saved = []

    def finish(self) -> None:
        self.index_new_rows()
        self.restore_triggers()
