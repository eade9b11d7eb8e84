"""Schema version 8: a review may have no film yet (a draft saved from its first keystroke).

SQLite cannot drop a NOT NULL constraint in place, so ``review`` is rebuilt the documented way
(https://sqlite.org/lang_altertable.html, "other kinds of table schema changes"): a new table with
the new definition, every row copied with its id, the old table dropped, the new one renamed, then
its indexes, its triggers and the search view that reads it made again. The migration runner has
foreign keys off meanwhile (the drop would otherwise delete every comment, tag and revision that
refers to a review) and checks them before the step commits. The full-text index keeps its rows:
they are keyed by review id, which the copy keeps.

The search view joins the film with a LEFT JOIN now, so a draft without a film is indexed too.
Frozen DDL: never edit; a later change is a later migration.
"""

from peewee import SqliteDatabase

from journal.store.migrations import v003_search

COLUMNS = ("id", "deleted_at", "trash_group", "film_id", "viewing_id", "title", "body",
           "score_tenths", "eyelights", "eyesores", "status", "published_url", "has_spoilers",
           "source_key", "created_at", "updated_at", "published_at", "language")

CREATE = (
    'CREATE TABLE "review_v8" ("id" INTEGER NOT NULL PRIMARY KEY, "deleted_at" DATETIME, '
    '"trash_group" VARCHAR(255), "film_id" INTEGER, "viewing_id" INTEGER, '
    '"title" VARCHAR(255) NOT NULL, "body" TEXT NOT NULL, '
    '"score_tenths" INTEGER CHECK (score_tenths BETWEEN 0 AND 100), "eyelights" TEXT NOT NULL, '
    '"eyesores" TEXT NOT NULL, '
    '"status" VARCHAR(255) NOT NULL CHECK (status IN (\'draft\',\'published\')), '
    '"published_url" VARCHAR(255), "has_spoilers" INTEGER NOT NULL, "source_key" VARCHAR(255), '
    '"created_at" DATETIME NOT NULL, "updated_at" DATETIME NOT NULL, "published_at" DATETIME, '
    '"language" VARCHAR(255) NOT NULL DEFAULT \'en\', '
    'FOREIGN KEY ("film_id") REFERENCES "film" ("id") ON DELETE RESTRICT, '
    'FOREIGN KEY ("viewing_id") REFERENCES "viewing" ("id") ON DELETE SET NULL)'
)

INDEXES = [
    'CREATE INDEX "review_deleted_at" ON "review" ("deleted_at")',
    'CREATE INDEX "review_trash_group" ON "review" ("trash_group")',
    'CREATE INDEX "review_film_id" ON "review" ("film_id")',
    'CREATE INDEX "review_viewing_id" ON "review" ("viewing_id")',
    'CREATE UNIQUE INDEX "review_source_key" ON "review" ("source_key")',
    'CREATE INDEX "review_updated_at" ON "review" ("updated_at")',
    "CREATE INDEX review_list ON review "
    "(deleted_at, updated_at, film_id, viewing_id, score_tenths, status, has_spoilers, title)",
]

_PEOPLE_OF_FILM = ("coalesce((SELECT replace(group_concat(DISTINCT p.name), ',', ', ') "
                   "FROM credit c JOIN person p ON p.id = c.person_id "
                   "WHERE c.film_id = f.id AND p.deleted_at IS NULL), '')")

SEARCH_VIEW = (
    "CREATE VIEW search_review_src AS SELECT r.id AS id, r.film_id AS film_id, "
    "trim(r.title || ' ' || coalesce(f.title, '') || ' ' || coalesce(f.original_title, '')) "
    f"AS title, {_PEOPLE_OF_FILM} AS people, "
    "coalesce((SELECT group_concat(t.name, ' ') FROM review_tag rt JOIN tag t ON t.id = rt.tag_id "
    "WHERE rt.review_id = r.id), '') AS tags, "
    "r.eyelights || ' ' || r.eyesores AS lines, r.body AS body "
    "FROM review r LEFT JOIN film f ON f.id = r.film_id"
)

#: The review table's own triggers, as schema 3 made them (they go with the old table).
TRIGGERS = [f"CREATE TRIGGER {name} {v003_search.TRIGGERS[name]}"
            for name in ("search_review_ai", "search_review_au", "search_review_ad")]


def migrate(db: SqliteDatabase) -> None:
    columns = ", ".join(f'"{c}"' for c in COLUMNS)
    db.execute_sql(CREATE)
    db.execute_sql(f'INSERT INTO "review_v8" ({columns}) SELECT {columns} FROM "review"')
    db.execute_sql("DROP VIEW IF EXISTS search_review_src")
    db.execute_sql('DROP TABLE "review"')  # with its indexes and triggers
    # Legacy renaming: the other tables' triggers read the search view, which is being made
    # again; a modern rename would re-check them all meanwhile and stop on it.
    db.execute_sql("PRAGMA legacy_alter_table = ON")
    try:
        db.execute_sql('ALTER TABLE "review_v8" RENAME TO "review"')
    finally:
        db.execute_sql("PRAGMA legacy_alter_table = OFF")
    for statement in [*INDEXES, SEARCH_VIEW, *TRIGGERS]:
        db.execute_sql(statement)
