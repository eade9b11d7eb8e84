"""Ordered schema migrations. ``PRAGMA user_version`` holds the journal's schema version.

Each migration runs in its own transaction together with the version bump, after a verified
backup of the journal; a failure rolls that step back and leaves the journal as it was.
To add one: write ``vNNN_name.py`` with ``def migrate(db)``, append it to ``MIGRATIONS`` and bump
``journal.store.version.SCHEMA_VERSION``.
"""

from __future__ import annotations

from collections.abc import Callable

from peewee import SqliteDatabase

from journal.store.migrations import (
    v001_initial,
    v002_review_language,
    v003_search,
    v004_review_list_index,
    v005_catalogue_indexes,
    v006_publishing,
    v007_film_metadata,
    v008_review_draft_film,
    v009_search_external,
    v010_review_render,
)
from journal.store.version import SCHEMA_VERSION

Migration = Callable[[SqliteDatabase], None]


def _v001(db: SqliteDatabase) -> None:
    for statement in v001_initial.STATEMENTS:
        db.execute_sql(statement)


#: (version reached, description, function) in order.
MIGRATIONS: list[tuple[int, str, Migration]] = [
    (1, "initial schema", _v001),
    (2, "spell-check language per review", v002_review_language.migrate),
    (3, "full-text search index and saved searches", v003_search.migrate),
    (4, "covering index for the list of reviews", v004_review_list_index.migrate),
    (5, "quick-filter text and catalogue indexes", v005_catalogue_indexes.migrate),
    (6, "blogs, published posts and comments from blogs", v006_publishing.migrate),
    (7, "film metadata: Wikidata id, genres, countries, lookup state", v007_film_metadata.migrate),
    (8, "a review may have no film yet (draft)", v008_review_draft_film.migrate),
    (9, "search index without a copy of the text", v009_search_external.migrate),
    (10, "each review's last rendering, for opening it at once", v010_review_render.migrate),
]

CURRENT_VERSION = MIGRATIONS[-1][0]
if CURRENT_VERSION != SCHEMA_VERSION:  # pragma: no cover - a development mistake, caught at once
    raise RuntimeError(f"journal.store.version.SCHEMA_VERSION is {SCHEMA_VERSION}, but the last "
                       f"migration reaches {CURRENT_VERSION}: bump it")
