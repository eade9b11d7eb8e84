"""Schema version 2: each review remembers the language its spell check uses."""

from peewee import CharField, SqliteDatabase


def migrate(db: SqliteDatabase) -> None:
    # playhouse.migrate imports the Postgres and CockroachDB support (~15 ms): only when needed
    from playhouse.migrate import SqliteMigrator
    from playhouse.migrate import migrate as run

    migrator = SqliteMigrator(db)
    run(migrator.add_column("review", "language", CharField(default="en")))
