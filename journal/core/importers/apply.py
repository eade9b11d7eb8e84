"""Apply an :class:`ImportPlan`: a verified backup first, then ONE transaction.

Records stream back from the plan's spool and are written with lean inserts (the service layer's
per-call events and checks would make a 10,000-post import slow); what the services derive is
derived here too: ``has_spoilers``, film links (resolved at the end), ``published_at``, tags.
A cancel (``token.cancelled``) raises :class:`ImportCancelled` inside the transaction, which
rolls back; a crash leaves the journal as it was because nothing commits before the end.
Keys already in the journal are checked again inside the transaction, so applying is
idempotent even if the journal changed after the preview.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections import Counter
from typing import TYPE_CHECKING, Any

from journal.core import derive
from journal.core import tags as tags_rule
from journal.core.events import Changes
from journal.core.importers.indexing import DeferredIndex
from journal.core.importers.matching import FilmIndex, existing_keys
from journal.core.importers.plan import (
    CommentRec,
    FilmSpec,
    ImportCancelled,
    ImportPlan,
    ImportResult,
    Record,
    ReviewRec,
    StalePlan,
    Token,
    ViewingRec,
    WatchRec,
    fingerprint,
)
from journal.core.importers.quiet_gc import quiet_gc
from journal.core.reviews import one_line
from journal.store.bulk import PreparedInsert, prepared_insert
from journal.store.models import Comment, Film, Review, ReviewTag, Viewing

if TYPE_CHECKING:
    from journal.core.journal import Journal

PROGRESS_EVERY = 25
#: Entries of the plan (posts, diary rows…) from which an import's checkpoint (its pages copied
#: from the log into the journal file) runs on a thread of its own once committed instead of in
#: its commit (``Store.checkpoint_behind``): fewer rarely fill the 1,000 pages that start one.
CHECKPOINT_BEHIND_FROM = 200
_PREFIXES = {"wxr": "wxr:", "letterboxd": "lb:", "markdown": "md:"}


# The schema's classes: only their table and columns are used (store/bulk.py); rows go through
# the writing journal's cursor, a table's rows together (``executemany``), with their ids given
# here (see ``_Rows``).
_FILM = prepared_insert(Film, ("id", "title", "title_folded", "year", "letterboxd_uri",
                               "imdb_id", "tmdb_id", "kind", "synopsis", "original_title",
                               "created_at", "updated_at"))
_VIEWING = prepared_insert(Viewing, ("id", "film", "watched_on", "rewatch_flag", "note",
                                     "medium", "venue", "companions", "source_key",
                                     "created_at"))
_REVIEW = prepared_insert(Review, ("id", "film", "viewing", "title", "body", "score",
                                   "eyelights", "eyesores", "status", "published_at",
                                   "published_url", "has_spoilers", "source_key", "created_at",
                                   "updated_at", "language"))
_COMMENT = prepared_insert(Comment, ("id", "review", "parent", "author", "author_url",
                                     "posted_at", "text", "source_key"))
_REVIEW_TAG = prepared_insert(ReviewTag, ("review", "tag"))
#: Rows held back before they are written: at most this many reviews, or this many characters
#: of their text (and the films, viewings, tags and comments that go with them).
HOLD_ROWS = 500
HOLD_CHARS = 2_000_000
#: How many distinct lists of tag names are remembered (memory stays bounded).
TAG_MEMO = 10_000


class _Rows:
    """One table's new rows, held back and written together with one ``executemany``.

    Ids are given here, inside the import's one transaction (one writer): the next is one more
    than the largest id in the table, the id SQLite itself gives a row inserted without one
    (no table has AUTOINCREMENT), so the rows are what row-by-row inserts would have made."""

    def __init__(self, insert: PreparedInsert, cursor: Any, table: str) -> None:
        self.insert = insert
        self.cursor = cursor
        self.rows: list[tuple[Any, ...]] = []
        cursor.execute(f'SELECT coalesce(max(id), 0) FROM "{table}"')
        self.first = self.next = int(cursor.fetchone()[0]) + 1

    def add(self, *values: Any) -> int:
        row_id = self.next
        self.next += 1
        self.rows.append((row_id, *values))
        return row_id

    def pending(self, row_id: int) -> bool:
        """Whether the row ``row_id`` is held back here (not in the table yet)."""
        return bool(self.rows) and row_id >= self.rows[0][0]

    def flush(self) -> None:
        if self.rows:
            self.insert.many(self.cursor, self.rows)
            self.rows = []


class _Writer:
    def __init__(self, journal: Journal, plan: ImportPlan) -> None:
        self.journal = journal
        self.plan = plan
        prefix = _PREFIXES.get(plan.source, "")
        self.m = m = journal.models
        self.review_keys = existing_keys(m.Review, prefix)
        self.viewing_keys = existing_keys(m.Viewing, prefix)
        self.comment_ids = existing_keys(m.Comment, prefix)
        self.watch_keys = set(existing_keys(m.WatchlistEntry, prefix))
        self.film_ids: dict[str, int] = {}
        self.new_viewings: dict[tuple[int, str | None], int] = {}  # written by this import
        self.index = FilmIndex(journal)
        cursor = journal.store.db.cursor()  # for the prepared inserts (store/bulk.py)
        self.cursor = cursor
        self.films = _Rows(_FILM, cursor, "film")
        self.viewings = _Rows(_VIEWING, cursor, "viewing")
        self.reviews = _Rows(_REVIEW, cursor, "review")
        self.comments = _Rows(_COMMENT, cursor, "comment")
        #: written after the rows they refer to: (film, person, order), (review, title, year)
        self.credits: list[tuple[int, int, int]] = []
        self.film_links: list[tuple[int, str, int | None]] = []
        self.review_tags: list[tuple[int, int]] = []
        self.held_chars = 0
        self.tags = tags_rule.tag_ids(journal)
        #: a review's tag names → their tags' ids (reviews of a blog share their categories)
        self.tag_lists: dict[tuple[str, ...], list[int]] = {}
        self.counts: Counter[str] = Counter()
        self.ids: dict[str, set[int]] = {k: set() for k in (
            "film", "review", "viewing", "comment", "watchlist")}
        self.links = False

    # ------------------------------------------------------------------ films
    def film(self, ref: str) -> int:
        known = self.film_ids.get(ref)
        if known is not None:
            return known
        spec = self.plan.films[ref]
        film_id, _how, _many = self.index.find(spec.title, spec.year, spec.imdb_id, spec.tmdb_id,
                                               spec.letterboxd_uri, strict_year=spec.strict_year)
        if film_id is None:
            film_id = self._create_film(spec)
        else:
            self._complete_film(film_id, spec)
        self.film_ids[ref] = film_id
        return film_id

    def _complete_film(self, film_id: int, spec: FilmSpec) -> None:
        """Fill in what a film already in the journal lacks (synopsis, ids), never replace."""
        if self.films.pending(film_id):  # a film of this import: written before it is read
            self._flush_films()
        film_model = self.m.Film
        film = film_model.get_or_none(film_model.id == film_id)
        if film is None:
            return
        changes: dict[str, Any] = {}
        if spec.synopsis and not (film.synopsis or "").strip():
            changes["synopsis"] = spec.synopsis
        if spec.original_title and not (film.original_title or "").strip():
            changes["original_title"] = spec.original_title
        for name in ("imdb_id", "tmdb_id"):
            value = getattr(spec, name)
            if value and not getattr(film, name) and not film_model.select().where(
                    getattr(film_model, name) == value).exists():
                changes[name] = value
        if spec.letterboxd_uri and not film.letterboxd_uri:
            changes["letterboxd_uri"] = spec.letterboxd_uri
        if changes:
            film_model.update(**changes).where(film_model.id == film_id).execute()
            self.ids["film"].add(film_id)

    def _create_film(self, spec: FilmSpec) -> int:
        from journal.core.values import fold

        ids = {}
        for name, value in (("imdb_id", spec.imdb_id), ("tmdb_id", spec.tmdb_id)):
            column = getattr(self.m.Film, name)
            # a film of this import with that id is in the index (``film`` found it first)
            if value and not self.m.Film.select().where(column == value).exists():  # in Trash
                ids[name] = value
        now = dt.datetime.now()
        folded = fold(spec.title)
        film_id = self.films.add(spec.title, folded, spec.year, spec.letterboxd_uri,
                                 ids.get("imdb_id"), ids.get("tmdb_id"), "feature",
                                 spec.synopsis, spec.original_title or None, now, now)
        self.index.add(film_id, spec.title, folded, spec.year, ids.get("imdb_id"),
                       ids.get("tmdb_id"), spec.letterboxd_uri)
        credited: set[int] = set()  # a director named twice ("Andrei  Tarkovsky") once
        for order, name in enumerate(spec.directors):
            self._credit(film_id, name, order, credited)
        self.counts["films"] += 1
        self.ids["film"].add(film_id)
        return film_id

    def _credit(self, film_id: int, name: str, order: int, credited: set[int]) -> None:
        from journal.core.values import fold

        name = " ".join(name.split())
        if not name:
            return
        m = self.m
        person = m.Person.select(m.Person.id).where(m.Person.name_folded == fold(name),
                                                    m.Person.deleted_at.is_null()).first()
        person_id = person.id if person else m.Person.insert(name=name,
                                                             name_folded=fold(name)).execute()
        if person_id in credited:  # the unique index cannot tell: its character is NULL
            return
        credited.add(person_id)
        self.credits.append((film_id, person_id, order))  # once the film is written

    # ------------------------------------------------------------------ records
    def write(self, record: Record) -> None:
        if isinstance(record, ReviewRec):
            self.review(record)
        elif isinstance(record, ViewingRec):
            self.viewing(record)
        elif isinstance(record, WatchRec):
            self.watch(record)
        if len(self.reviews.rows) >= HOLD_ROWS or self.held_chars >= HOLD_CHARS or len(
                self.viewings.rows) >= HOLD_ROWS or len(self.films.rows) >= HOLD_ROWS:
            self.flush()

    def viewing(self, rec: ViewingRec) -> int | None:
        viewing = self.m.Viewing
        if rec.existing_id is not None and viewing.get_or_none(
                viewing.id == rec.existing_id, viewing.deleted_at.is_null()) is not None:
            return rec.existing_id
        if rec.key in self.viewing_keys:
            return self.viewing_keys[rec.key]
        film_id = self.film(rec.film)
        if rec.same_day and (film_id, rec.watched_on) in self.new_viewings:
            joined = self.new_viewings[(film_id, rec.watched_on)]
            self.viewing_keys[rec.key] = joined
            return joined
        viewing_id = self.viewings.add(film_id, rec.watched_on, rec.rewatch, rec.note,
                                       rec.medium, rec.venue, rec.companions, rec.key,
                                       dt.datetime.now())
        self.viewing_keys[rec.key] = viewing_id
        self.new_viewings.setdefault((film_id, rec.watched_on), viewing_id)
        self.counts["viewings"] += 1
        self.ids["viewing"].add(viewing_id)
        return viewing_id

    def review(self, rec: ReviewRec) -> None:
        review_id = self.review_keys.get(rec.key)
        if review_id is None:
            review_id = self._insert_review(rec)
        self._comments(review_id, rec.comments)

    def _insert_review(self, rec: ReviewRec) -> int:
        viewing_id = self.viewing(rec.viewing) if rec.viewing is not None else None
        stamp = rec.created_at or dt.datetime.now()
        body = rec.body
        spoilers = rec.has_spoilers
        review_id = self.reviews.add(
            self.film(rec.film), viewing_id, rec.title, body, rec.score,
            one_line(rec.eyelights), one_line(rec.eyesores), rec.status,
            rec.published_at or (stamp if rec.status == "published" else None),
            rec.url or None, derive.has_spoilers(body) if spoilers is None else spoilers,
            rec.key, stamp, rec.updated_at or stamp, rec.language or "en")
        self.held_chars += len(body)
        self.review_keys[rec.key] = review_id
        if "[[" in body:
            self._film_links(review_id, body)
        self._tags(review_id, rec.tags)
        self.counts["reviews"] += 1
        self.ids["review"].add(review_id)
        return review_id

    def _film_links(self, review_id: int, body: str) -> None:
        for title, year in derive.film_links(body):
            self.film_links.append((review_id, title, year))  # once the review is written
            self.links = True

    def _tags(self, review_id: int, names: list[str]) -> None:
        known = self.tag_lists.get(names_key := tuple(names))
        if known is None:
            known = []
            for name in tags_rule.clean_tags(names):
                key = tags_rule.tag_key(name)
                tag_id = self.tags.get(key)
                if tag_id is None:
                    tag_id = self.tags[key] = int(self.m.Tag.insert(name=name).execute())
                    self.counts["tags"] += 1
                known.append(tag_id)
            if len(self.tag_lists) < TAG_MEMO:
                self.tag_lists[names_key] = known
        self.review_tags += [(review_id, tag_id) for tag_id in known]

    def _flush_films(self) -> None:
        self.films.flush()
        m = self.m
        for film_id, person_id, order in self.credits:
            m.Credit.insert(film=film_id, person=person_id, role="director",
                            order=order).on_conflict_ignore().execute()
        self.credits = []

    def flush(self) -> None:
        """Write the rows held back, each after those it refers to (and all of them before
        the search index is filled: it reads them)."""
        self._flush_films()
        self.viewings.flush()
        self.reviews.flush()
        for review_id, title, year in self.film_links:
            self.m.FilmLink.insert(review=review_id, film=None, target_title=title,
                                   target_year=year).execute()
        self.film_links = []
        if self.review_tags:
            _REVIEW_TAG.many(self.cursor, self.review_tags)
            self.review_tags = []
        self.comments.flush()
        self.held_chars = 0

    def _comments(self, review_id: int, comments: list[CommentRec]) -> None:
        known = self.comment_ids  # imported before, or earlier in this import
        ids: dict[str, int] = {}
        for c in comments:
            existing = known.get(c.key)
            if existing is not None:
                ids[c.key] = existing
                continue
            parent = ids.get(c.parent) if c.parent else None
            if c.parent and parent is None:  # imported before
                parent = known.get(c.parent)
            comment_id = self.comments.add(review_id, parent, c.author, c.author_url or None,
                                           c.posted_at, c.text, c.key)
            self.held_chars += len(c.text)
            ids[c.key] = known[c.key] = comment_id
            self.counts["comments"] += 1
            self.ids["comment"].add(comment_id)

    def watch(self, rec: WatchRec) -> None:
        if rec.key in self.watch_keys:
            return
        film_id = self.film(rec.film)
        if self.films.pending(film_id):  # written before the entry that refers to it
            self._flush_films()
        entry = self.m.WatchlistEntry
        if entry.select().where(entry.film == film_id).exists():
            return
        entry_id = entry.insert(film=film_id, source_key=rec.key,
                                added_at=rec.added_at or dt.datetime.now()).execute()
        self.watch_keys.add(rec.key)
        self.counts["watchlist"] += 1
        self.ids["watchlist"].add(int(entry_id))

    # ------------------------------------------------------------------ end
    def finish(self) -> None:
        """Resolve the film links written (and older ones waiting for the new films)."""
        if self.links or self.counts["films"]:
            derive.relink_unresolved(self.journal)
        ids = self.ids
        self.journal.events.emit(Changes.of(
            films=ids["film"], reviews=ids["review"], viewings=ids["viewing"],
            comments=ids["comment"], watchlist=ids["watchlist"],
            tags=bool(self.counts["tags"] or self.counts["reviews"])))


def apply(journal: Journal, plan: ImportPlan, token: Token | None = None) -> ImportResult:
    """Write the plan: backup, then one transaction; all or nothing (see the module notes)."""
    with quiet_gc():
        return _apply(journal, plan, token)


def _apply(journal: Journal, plan: ImportPlan, token: Token | None) -> ImportResult:
    if plan.applied:
        raise StalePlan("This import was already done; make a new preview to import again.")
    if plan.files and fingerprint(plan.paths) != plan.files:
        raise StalePlan("The files changed after the preview; make a new preview.")
    started = time.perf_counter()
    total = plan.spool.count
    result = ImportResult()
    if plan.writes_anything:
        result.backup = journal.backup("pre-import")
    behind = (journal.store.checkpoint_behind() if total >= CHECKPOINT_BEHIND_FROM
              else contextlib.nullcontext())
    with behind, journal.events.batch(), journal.write():
        index = DeferredIndex(journal.store.db)
        index.suspend()
        try:
            writer = _Writer(journal, plan)
            for done, record in enumerate(plan.records()):
                if token is not None:
                    if token.cancelled:
                        raise ImportCancelled()
                    if done % PROGRESS_EVERY == 0:
                        token.progress(done, total, "Importing…")
                writer.write(record)
            writer.flush()
            if token is not None:
                token.progress(total, total, "Indexing for search…")
            index.index_new_rows()
        finally:  # on an error the transaction rolls back; the triggers come back either way
            index.restore_triggers()
        writer.finish()
        if token is not None and token.cancelled:
            raise ImportCancelled()
    if token is not None:
        token.progress(total, total, "Done")
    plan.applied = True
    plan.discard()
    result.counts = writer.counts
    result.seconds = time.perf_counter() - started
    return result
