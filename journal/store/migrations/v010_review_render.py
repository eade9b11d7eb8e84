"""Schema version 10: each review's last rendering, kept so that opening it shows its page at
once (frozen DDL; never edit).

``review_render`` holds one row per review: the HTML the one renderer made for the preview
(zlib-compressed), and the key that says exactly what it was made from — a hash of the review's
document as rendered (text, header fields, film, directors, viewing date, tags), the render
options (the theme among them), the renderer's version and how each film link resolved. A
reader recomputes the key from the journal as it is now; a different key is a miss, so a row
can never show stale HTML, and none ever needs invalidating by hand. The rows are derived data:
full (JSON) backups leave them out, and deleting a review for good deletes its row (foreign key
cascade). See :mod:`journal.core.render_cache`.
"""

from peewee import SqliteDatabase

CREATE = (
    'CREATE TABLE IF NOT EXISTS "review_render" ('
    '"review_id" INTEGER NOT NULL PRIMARY KEY '
    'REFERENCES "review" ("id") ON DELETE CASCADE, '
    '"key" TEXT NOT NULL, '
    '"links" TEXT NOT NULL, '
    '"meta" TEXT NOT NULL, '
    '"html" BLOB NOT NULL, '
    '"written_at" REAL NOT NULL)'
)
INDEX = ('CREATE INDEX IF NOT EXISTS "review_render_written_at" '
         'ON "review_render" ("written_at")')


def migrate(db: SqliteDatabase) -> None:
    db.execute_sql(CREATE)
    db.execute_sql(INDEX)
