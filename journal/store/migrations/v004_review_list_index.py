"""Schema version 4: a covering index for the list of reviews.

A review's long body sits before the listed columns in each row, so listing reviews from the table
itself follows every body's overflow pages; this index answers the list without touching them.
"""

from peewee import SqliteDatabase


def migrate(db: SqliteDatabase) -> None:
    db.execute_sql(
        "CREATE INDEX IF NOT EXISTS review_list ON review "
        "(deleted_at, updated_at, film_id, viewing_id, score_tenths, status, has_spoilers, title)")
