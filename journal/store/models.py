"""Peewee models for the whole domain: the schema, bound to no database.

These classes describe the tables; they run no query. Each open journal has its own subclasses
bound to its own database (``journal.models.Film``, see ``bound.py``): a query written against
the classes of this module fails loudly (``UnboundModelError``) instead of reading whichever
journal happened to be bound. Import this module for constants, types and table metadata.

Records that the user deletes go to the Trash: ``deleted_at`` is set and ``trash_group`` ties
together what one action deleted, so that it is restored as one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from peewee import (
    SQL,
    AutoField,
    BlobField,
    BooleanField,
    CharField,
    Check,
    CompositeKey,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    InterfaceError,
    Model,
    Proxy,
    TextField,
)

from journal.store.fields import PartialDateField, ScoreField


class UnboundModelError(InterfaceError):
    """A query on a schema class of this module instead of a journal's own class."""


class _NoJournal(Proxy):
    """The database of the schema's classes: a proxy that is never initialised, so peewee sets
    the fields up as for a database still to come, and any use raises ``UnboundModelError``."""

    def initialize(self, obj: Any) -> None:
        if obj is not None:
            raise UnboundModelError("The schema's classes cannot be bound to a journal; "
                                    "each journal has its own (journal.store.bound.Models).")
        super().initialize(None)

    def __getattr__(self, name: str) -> Any:
        raise UnboundModelError(
            "journal.store.models classes are the schema and are bound to no journal: query "
            "the journal's own classes (journal.models.Film, service.j.models.Film) instead "
            f"(the schema's database was asked for {name!r}).")

    def __enter__(self) -> Any:
        return self.__getattr__("__enter__")

    def __exit__(self, *exc: object) -> Any:
        return self.__getattr__("__exit__")


NO_JOURNAL: Any = _NoJournal()

FILM_KINDS = ("feature", "short", "series")
MEDIA = ("cinema", "bluray", "dvd", "streaming", "tv", "other")
MEDIUM_LABELS = {
    "cinema": "Cinema", "bluray": "Blu-ray", "dvd": "DVD", "streaming": "Streaming",
    "tv": "TV", "other": "Other",
}
ROLES = ("director", "writer", "cast", "composer", "cinematographer", "editor", "producer")
REVIEW_STATUSES = ("draft", "published")


def now() -> dt.datetime:
    return dt.datetime.now()


class BaseModel(Model):
    # Foreign-key id attributes (``film_id`` …) are declared on each model for type checkers.
    class Meta:
        database = NO_JOURNAL
        legacy_table_names = False


class TrashMixin(Model):
    deleted_at = DateTimeField(null=True, index=True)
    trash_group = CharField(null=True, index=True)


class JournalMeta(BaseModel):
    key = CharField(primary_key=True)
    value = TextField()


class Poster(BaseModel):
    """An image stored once per content hash and shared by every film that uses it."""

    id = AutoField()
    sha256 = CharField(unique=True)
    mime = CharField()
    width = IntegerField()
    height = IntegerField()
    data = BlobField()


class Film(BaseModel, TrashMixin):
    id = AutoField()
    poster_id: int | None
    title = CharField()
    original_title = CharField(null=True)
    title_folded = CharField(index=True)  # case- and accent-folded title, for matching
    year = IntegerField(null=True, index=True)
    kind = CharField(default="feature", constraints=[Check("kind IN ('feature','short','series')")])
    runtime_minutes = IntegerField(null=True, constraints=[Check("runtime_minutes > 0")])
    synopsis = TextField(default="")
    poster = ForeignKeyField(Poster, null=True, on_delete="SET NULL")
    imdb_id = CharField(null=True, unique=True)
    tmdb_id = CharField(null=True, unique=True)
    letterboxd_uri = CharField(null=True)
    source_key = CharField(null=True, unique=True)  # set by importers, makes re-import idempotent
    # Schema version 7 (metadata lookups): the Wikidata item, genres and countries as the source
    # names them (", "-joined), and where "Complete the catalogue" left the film ("tmdb:none").
    wikidata_id = CharField(null=True, unique=True)
    genres = TextField(default="")
    countries = TextField(default="")
    lookup_state = CharField(null=True)
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)


class Person(BaseModel, TrashMixin):
    id = AutoField()
    name = CharField()
    name_folded = CharField(index=True)
    created_at = DateTimeField(default=now)


class Credit(BaseModel):
    id = AutoField()
    film_id: int
    person_id: int
    film = ForeignKeyField(Film, backref="credits", on_delete="CASCADE")
    person = ForeignKeyField(Person, backref="credits", on_delete="CASCADE")
    role = CharField(index=True)
    character = CharField(null=True)
    order = IntegerField(default=0)

    class Meta:
        indexes = ((("film", "person", "role", "character"), True),)


class Viewing(BaseModel, TrashMixin):
    id = AutoField()
    film_id: int
    film = ForeignKeyField(Film, backref="viewings", on_delete="RESTRICT")
    watched_on = PartialDateField(null=True, index=True)  # None: "seen it", date unknown
    medium = CharField(null=True)
    venue = CharField(default="")
    companions = CharField(default="")
    note = TextField(default="")
    # The user (or an import) said "I had seen it before"; earlier viewings also make a rewatch.
    rewatch_flag = BooleanField(default=False)
    source_key = CharField(null=True, unique=True)
    created_at = DateTimeField(default=now)


class Review(BaseModel, TrashMixin):
    id = AutoField()
    film_id: int
    viewing_id: int | None
    film = ForeignKeyField(Film, backref="reviews", on_delete="RESTRICT")
    viewing = ForeignKeyField(Viewing, backref="reviews", null=True, on_delete="SET NULL")
    title = CharField(default="")
    body = TextField(default="")
    score = ScoreField(column_name="score_tenths", null=True,
                       constraints=[Check("score_tenths BETWEEN 0 AND 100")])
    eyelights = TextField(default="")
    eyesores = TextField(default="")
    status = CharField(default="draft", constraints=[Check("status IN ('draft','published')")])
    published_url = CharField(null=True)
    has_spoilers = BooleanField(default=False)
    source_key = CharField(null=True, unique=True)
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now, index=True)
    published_at = DateTimeField(null=True)
    language = CharField(default="en")  # spell-check language; added in schema version 2


class Tag(BaseModel):
    id = AutoField()
    name = CharField(unique=True, constraints=[SQL("COLLATE NOCASE")])


class ReviewTag(BaseModel):
    review_id: int
    tag_id: int
    review = ForeignKeyField(Review, backref="review_tags", on_delete="CASCADE")
    tag = ForeignKeyField(Tag, backref="review_tags", on_delete="CASCADE")

    class Meta:
        primary_key = CompositeKey("review", "tag")


class Comment(BaseModel, TrashMixin):
    id = AutoField()
    review_id: int
    parent_id: int | None
    review = ForeignKeyField(Review, backref="comments", on_delete="CASCADE")
    parent = ForeignKeyField("self", null=True, backref="replies", on_delete="CASCADE")
    author = CharField(default="")
    author_url = CharField(null=True)
    posted_at = DateTimeField(null=True)
    text = TextField(default="")
    source_key = CharField(null=True, unique=True)
    # Schema version 6 (publishing): the blog a comment came from (or was posted to), its id
    # there, and whether the user has read it since it was fetched.
    blog_id = IntegerField(null=True)
    remote_id = IntegerField(null=True)
    unread = BooleanField(default=False)


class WatchlistEntry(BaseModel):
    id = AutoField()
    film_id: int
    film = ForeignKeyField(Film, backref="watchlist_entries", unique=True, on_delete="CASCADE")
    added_at = DateTimeField(default=now)
    note = TextField(default="")
    recommended_by = CharField(default="")
    priority = IntegerField(default=0)  # higher first
    source_key = CharField(null=True, unique=True)


class Revision(BaseModel):
    """A snapshot of a review's text, taken while editing and before destructive actions."""

    id = AutoField()
    review_id: int
    review = ForeignKeyField(Review, backref="revisions", on_delete="CASCADE")
    created_at = DateTimeField(default=now, index=True)
    reason = CharField(default="autosave")
    title = CharField(default="")
    body = TextField(default="")
    eyelights = TextField(default="")
    eyesores = TextField(default="")
    score = ScoreField(column_name="score_tenths", null=True)


class FilmLink(BaseModel):
    """A ``[[Film]]`` mention in a review body; ``film`` is None while unresolved (backlinks)."""

    id = AutoField()
    review_id: int
    film_id: int | None
    review = ForeignKeyField(Review, backref="film_links", on_delete="CASCADE")
    film = ForeignKeyField(Film, backref="mentions", null=True, on_delete="SET NULL")
    target_title = CharField()
    target_year = IntegerField(null=True)


class SavedSearch(BaseModel):
    """A named query ("smart list") shown in the sidebar with its live count; schema version 3."""

    id = AutoField()
    name = CharField(unique=True, constraints=[SQL("COLLATE NOCASE")])
    query = TextField()
    position = IntegerField(default=0)
    created_at = DateTimeField(default=now)


BLOG_KINDS = ("wordpress", "wordpress.com")
SECRET_STORES = ("keyring", "file")


class Blog(BaseModel):
    """A blog to publish to (schema version 6). Its password or token is never stored here:
    it is in the system keyring (``secret_store`` "keyring") or, only when the user agreed,
    in a private file of the user's configuration folder ("file")."""

    id = AutoField()
    name = CharField(unique=True, constraints=[SQL("COLLATE NOCASE")])
    kind = CharField(default="wordpress")
    site_url = CharField()
    username = CharField(default="")
    secret_store = CharField(default="keyring")
    style = TextField(default="{}")  # the blog's conventions (render.blog.BlogStyle) as JSON
    categories = TextField(default="[]")  # categories every post gets (JSON list of names)
    default_status = CharField(default="draft")
    featured_image = BooleanField(default=True)
    created_at = DateTimeField(default=now)


class PostLink(BaseModel):
    """A review published as a post of a blog, and what the blog held after the last publish
    (the baseline that tells whether the post was changed on the blog since)."""

    id = AutoField()
    review_id: int
    blog_id: int
    review = ForeignKeyField(Review, backref="post_links", on_delete="CASCADE")
    blog = ForeignKeyField(Blog, backref="post_links", on_delete="CASCADE")
    post_id = IntegerField()
    url = CharField(default="")
    status = CharField(default="draft")
    published_at = DateTimeField(default=now)
    remote_title = TextField(default="")
    remote_content = TextField(default="")
    remote_modified = CharField(default="")
    featured_media = IntegerField(null=True)

    class Meta:
        indexes = ((("review", "blog"), True), (("blog", "post_id"), True))


class BlogMedia(BaseModel):
    """A poster uploaded to a blog's media library, once per image."""

    id = AutoField()
    blog_id: int
    blog = ForeignKeyField(Blog, backref="media", on_delete="CASCADE")
    sha256 = CharField()
    media_id = IntegerField()
    url = CharField(default="")

    class Meta:
        indexes = ((("blog", "sha256"), True),)


ALL_MODELS: list[type[BaseModel]] = [
    JournalMeta, Poster, Film, Person, Credit, Viewing, Review, Tag, ReviewTag, Comment,
    WatchlistEntry, Revision, FilmLink, SavedSearch, Blog, PostLink, BlogMedia,
]
#: Models with ``deleted_at``/``trash_group`` (typed loosely: the mixin's fields are dynamic).
TRASHABLE: list[Any] = [Film, Person, Viewing, Review, Comment]
