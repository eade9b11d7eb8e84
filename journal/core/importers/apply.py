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
from journal.core.reviews import one_line
from journal.store.bulk import prepared_insert
from journal.store.models import Comment, Film, Review, ReviewTag, Viewing

if TYPE_CHECKING:
    from journal.core.journal import Journal

PROGRESS_EVERY = 25
_PREFIXES = {"wxr": "wxr:", "letterboxd": "lb:", "markdown": "md:"}


# The schema's classes: only their table and columns are used (store/bulk.py); rows go through
# the writing journal's cursor.
_FILM = prepared_insert(Film, ("title", "title_folded", "year", "letterboxd_uri", "imdb_id",
                               "tmdb_id", "kind", "synopsis", "original_title", "created_at",
                               "updated_at"))
_VIEWING = prepared_insert(Viewing, ("film", "watched_on", "rewatch_flag", "note", "medium",
                                     "venue", "companions", "source_key", "created_at"))
_REVIEW = prepared_insert(Review, ("film", "viewing", "title", "body", "score", "eyelights",
                                   "eyesores", "status", "published_at", "published_url",
                                   "has_spoilers", "source_key", "created_at", "updated_at",
                                   "language"))
_COMMENT = prepared_insert(Comment, ("review", "parent", "author", "author_url", "posted_at",
                                     "text", "source_key"))
_REVIEW_TAG = prepared_insert(ReviewTag, ("review", "tag"))
#: Review-tag rows held back and written together (``executemany``).
_TAG_ROWS = 2_000


class _Writer:
    def __init__(self, journal: Journal, plan: ImportPlan) -> None:
        self.journal = journal
        self.plan = plan
        prefix = _PREFIXES.get(plan.source, "")
        self.m = m = journal.models
        self.review_keys = existing_keys(m.Review, prefix)
        self.viewing_keys = existing_keys(m.Viewing, prefix)
        self.comment_keys = set(existing_keys(m.Comment, prefix))
        self.watch_keys = set(existing_keys(m.WatchlistEntry, prefix))
        self.film_ids: dict[str, int] = {}
        self.new_viewings: dict[tuple[int, str | None], int] = {}  # written by this import
        self.index = FilmIndex(journal)
        self.cursor = journal.store.db.cursor()  # for the prepared inserts (store/bulk.py)
        self.tags = tags_rule.tag_ids(journal)
        self.counts: Counter[str] = Counter()
        self.ids: dict[str, set[int]] = {k: set() for k in (
            "film", "review", "viewing", "comment", "watchlist")}
        self.links = False
        #: (review, tag) rows not yet written: written together (``flush``)
        self.review_tags: list[tuple[int, int]] = []

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
            if value and not self.m.Film.select().where(column == value).exists():  # in Trash
                ids[name] = value
        now = dt.datetime.now()
        film_id = _FILM(self.cursor, title=spec.title, title_folded=fold(spec.title), year=spec.year,
                        letterboxd_uri=spec.letterboxd_uri, kind="feature",
                        synopsis=spec.synopsis, original_title=spec.original_title or None,
                        created_at=now, updated_at=now, **ids)
        self.index.add(film_id, spec.title, fold(spec.title), spec.year, ids.get("imdb_id"),
                       ids.get("tmdb_id"), spec.letterboxd_uri)
        credited: set[int] = set()  # a director named twice ("Andrei  Tarkovsky") once
        for order, name in enumerate(spec.directors):
            self._credit(film_id, name, order, credited)
        self.counts["films"] += 1
        self.ids["film"].add(film_id)
        return int(film_id)

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
        m.Credit.insert(film=film_id, person=person_id, role="director",
                        order=order).on_conflict_ignore().execute()

    # ------------------------------------------------------------------ records
    def write(self, record: Record) -> None:
        if isinstance(record, ReviewRec):
            self.review(record)
        elif isinstance(record, ViewingRec):
            self.viewing(record)
        elif isinstance(record, WatchRec):
            self.watch(record)

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
        viewing_id = _VIEWING(self.cursor, film=film_id, watched_on=rec.watched_on,
                              rewatch_flag=rec.rewatch, note=rec.note, medium=rec.medium,
                              venue=rec.venue, companions=rec.companions,
                              source_key=rec.key, created_at=dt.datetime.now())
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
        review_id = _REVIEW(
            self.cursor, film=self.film(rec.film), viewing=viewing_id, title=rec.title, body=body,
            score=rec.score, eyelights=one_line(rec.eyelights),
            eyesores=one_line(rec.eyesores), status=rec.status,
            published_at=rec.published_at or (stamp if rec.status == "published" else None),
            published_url=rec.url or None, has_spoilers=derive.has_spoilers(body),
            source_key=rec.key, created_at=stamp, updated_at=rec.updated_at or stamp,
            language=rec.language or "en")
        self.review_keys[rec.key] = review_id
        if "[[" in body:
            self._film_links(review_id, body)
        self._tags(review_id, rec.tags)
        self.counts["reviews"] += 1
        self.ids["review"].add(review_id)
        return review_id

    def _film_links(self, review_id: int, body: str) -> None:
        for title, year in derive.film_links(body):
            self.m.FilmLink.insert(review=review_id, film=None, target_title=title,
                                   target_year=year).execute()
            self.links = True

    def _tags(self, review_id: int, names: list[str]) -> None:
        for name in tags_rule.clean_tags(names):
            key = tags_rule.tag_key(name)
            tag_id = self.tags.get(key)
            if tag_id is None:
                tag_id = self.tags[key] = int(self.m.Tag.insert(name=name).execute())
                self.counts["tags"] += 1
            self.review_tags.append((review_id, tag_id))
        if len(self.review_tags) >= _TAG_ROWS:
            self.flush()

    def flush(self) -> None:
        """Write the reviews' tags held back (before the search index is filled: it reads
        them)."""
        if self.review_tags:
            _REVIEW_TAG.many(self.cursor, self.review_tags)
            self.review_tags = []

    def _comments(self, review_id: int, comments: list[CommentRec]) -> None:
        comment = self.m.Comment
        ids: dict[str, int] = {}
        for c in comments:
            if c.key in self.comment_keys:
                existing = comment.get_or_none(comment.source_key == c.key)
                if existing is not None:
                    ids[c.key] = existing.id
                continue
            parent = ids.get(c.parent) if c.parent else None
            if c.parent and parent is None and c.parent in self.comment_keys:  # imported before
                found = comment.get_or_none(comment.source_key == c.parent)
                parent = found.id if found is not None else None
            comment_id = _COMMENT(
                self.cursor, review=review_id, parent=parent,
                author=c.author, author_url=c.author_url or None, posted_at=c.posted_at,
                text=c.text, source_key=c.key)
            ids[c.key] = comment_id
            self.comment_keys.add(c.key)
            self.counts["comments"] += 1
            self.ids["comment"].add(comment_id)

    def watch(self, rec: WatchRec) -> None:
        if rec.key in self.watch_keys:
            return
        film_id = self.film(rec.film)
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
    if plan.applied:
        raise StalePlan("This import was already done; make a new preview to import again.")
    if plan.files and fingerprint(plan.paths) != plan.files:
        raise StalePlan("The files changed after the preview; make a new preview.")
    started = time.perf_counter()
    total = plan.spool.count
    result = ImportResult()
    if plan.writes_anything:
        result.backup = journal.backup("pre-import")
    with journal.events.batch(), journal.write():
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
