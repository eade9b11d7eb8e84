"""Schema version 7: what a metadata lookup keeps on a film (frozen DDL).

* ``wikidata_id``: the film's Wikidata item (Q-id), unique like the IMDb and TMDb ids, so a later
  lookup reads the film straight away instead of searching its title again;
* ``genres`` and ``countries``: names as the source gives them, joined by ", " (shown on the
  film's page, kept in backups and exports);
* ``lookup_state``: where "Complete the catalogue" left this film — ``source:state`` with state
  ``matched``, ``uncertain``, ``none`` (nothing found) or ``skipped`` (the user said no) — so a
  cancelled or interrupted run resumes where it stopped and never asks twice about a film the
  user skipped.
"""

from peewee import SqliteDatabase

COLUMNS = {
    "wikidata_id": 'ALTER TABLE film ADD COLUMN "wikidata_id" VARCHAR(255)',
    "genres": "ALTER TABLE film ADD COLUMN \"genres\" TEXT NOT NULL DEFAULT ''",
    "countries": "ALTER TABLE film ADD COLUMN \"countries\" TEXT NOT NULL DEFAULT ''",
    "lookup_state": 'ALTER TABLE film ADD COLUMN "lookup_state" VARCHAR(255)',
}

STATEMENTS = [
    'CREATE UNIQUE INDEX IF NOT EXISTS "film_wikidata_id" ON "film" ("wikidata_id")',
]


def migrate(db: SqliteDatabase) -> None:
    """Idempotent: a file that already has a column keeps it."""
    present = {row[1] for row in db.execute_sql("PRAGMA table_info(film)").fetchall()}
    for name, statement in COLUMNS.items():
        if name not in present:
            db.execute_sql(statement)
    for statement in STATEMENTS:
        db.execute_sql(statement)
