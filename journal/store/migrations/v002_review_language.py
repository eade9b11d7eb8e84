"""Schema version 2: each review remembers the language its spell check uses."""

from peewee import CharField, SqliteDatabase
from playhouse.migrate import SqliteMigrator
from playhouse.migrate import migrate as run


def migrate(db: SqliteDatabase) -> None:
    migrator = SqliteMigrator(db)
    run(migrator.add_column("review", "language", CharField(default="en")))
