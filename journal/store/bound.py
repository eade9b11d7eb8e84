"""One journal's model classes: the schema of ``models.py`` bound to that journal's database.

Each open journal gets its own subclasses of every model (``Models(db)``), bound to its own
database, with foreign keys and back-references pointing at its own classes. Queries written
against ``journal.models.Film`` therefore run on that journal and no other, whatever else is open
in the process or on other threads: there is no process-wide binding to swap.
"""

from __future__ import annotations

import copy
from typing import Any

from peewee import ForeignKeyField, SqliteDatabase

from journal.store import models as schema


def _bound_copy(base: type[schema.BaseModel], db: SqliteDatabase) -> Any:
    meta = type("Meta", (), {"database": db, "table_name": base._meta.table_name})
    return type(base.__name__, (base,), {"Meta": meta, "__module__": base.__module__,
                                          "__qualname__": base.__qualname__})


def _repoint_foreign_keys(copies: dict[Any, Any]) -> None:
    """Point each copy's foreign keys (and back-references) at the other copies.

    Peewee deep-copies inherited fields, so a copy's foreign key still names the schema's class
    (bound to nothing) and its back-reference lost its declared name: both are replaced.
    """
    for base, bound in copies.items():
        for name, field in list(bound._meta.fields.items()):
            if not isinstance(field, ForeignKeyField):
                continue
            declared = base._meta.fields[name]
            fresh = copy.copy(field)
            fresh.rel_model = copies.get(declared.rel_model, declared.rel_model)
            fresh.rel_field = None
            fresh.declared_backref = declared.backref
            bound._meta.add_field(name, fresh)


class Models:
    """The model classes of one journal. ``journal.models.Film.select()`` reads that journal."""

    JournalMeta: type[schema.JournalMeta]
    Poster: type[schema.Poster]
    Film: type[schema.Film]
    Person: type[schema.Person]
    Credit: type[schema.Credit]
    Viewing: type[schema.Viewing]
    Review: type[schema.Review]
    Tag: type[schema.Tag]
    ReviewTag: type[schema.ReviewTag]
    Comment: type[schema.Comment]
    WatchlistEntry: type[schema.WatchlistEntry]
    Revision: type[schema.Revision]
    FilmLink: type[schema.FilmLink]
    SavedSearch: type[schema.SavedSearch]
    Blog: type[schema.Blog]
    PostLink: type[schema.PostLink]
    BlogMedia: type[schema.BlogMedia]

    def __init__(self, db: SqliteDatabase) -> None:
        copies = {base: _bound_copy(base, db) for base in schema.ALL_MODELS}
        _repoint_foreign_keys(copies)
        for base, bound in copies.items():
            setattr(self, base.__name__, bound)
        #: The models with ``deleted_at``/``trash_group``.
        self.trashable: list[Any] = [copies[base] for base in schema.TRASHABLE]

    def of(self, base: type[schema.BaseModel]) -> Any:
        """This journal's class for a schema class (``models.of(schema.Film)``)."""
        return getattr(self, base.__name__)
