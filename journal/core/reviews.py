"""Reviews, their tags, readers' comments and revision snapshots."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from peewee import fn

from journal.core.review_rows import ReviewRow, read_rows
from journal.core.values import parse_score
from journal.errors import NotFound, ValidationError
from journal.store.models import (
    REVIEW_STATUSES,
    Comment,
    Review,
    Revision,
)

if TYPE_CHECKING:
    from journal.core.journal import Journal

TEXT_FIELDS = ("title", "body", "eyelights", "eyesores", "published_url", "language")


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key in TEXT_FIELDS:
        if key in fields:
            values[key] = fields[key] if fields[key] is not None else ""
    if "eyelights" in values or "eyesores" in values:
        for key in ("eyelights", "eyesores"):
            if key in values:
                values[key] = " ".join(str(values[key]).split())  # one line each
    if "score" in fields:
        values["score"] = parse_score(fields["score"])
    if "status" in fields:
        if fields["status"] not in REVIEW_STATUSES:
            raise ValidationError("A review is a draft or published.", "status")
        values["status"] = fields["status"]
    if "published_url" in values and not values["published_url"]:
        values["published_url"] = None
    return values


class ReviewService:
    def __init__(self, journal: Journal) -> None:
        self.j = journal

    # ------------------------------------------------------------------ reading
    def get(self, review_id: int, *, include_deleted: bool = False) -> Review:
        m = self.j.models
        review = m.Review.get_or_none(m.Review.id == review_id)
        if review is None or (review.deleted_at is not None and not include_deleted):
            raise NotFound(f"There is no review #{review_id}.")
        return review

    def live(self) -> Any:
        m = self.j.models
        return m.Review.select().where(m.Review.deleted_at.is_null())

    def count(self) -> int:
        return self.live().count()

    def rows(self, ids: Iterable[int] | None = None) -> list[ReviewRow]:
        """Every live review (or those of ``ids``) as a light row, newest edit first (one plain
        SQL query: this feeds large lists)."""
        return read_rows(self.j.store.db.execute_sql, ids)

    def for_film(self, film_id: int) -> list[Review]:
        m = self.j.models
        return list(self.live().where(m.Review.film == film_id).order_by(m.Review.created_at))

    def tags(self, review_id: int) -> list[str]:
        m = self.j.models
        return [t.name for t in m.Tag.select().join(m.ReviewTag)
                .where(m.ReviewTag.review == review_id).order_by(m.Tag.name)]

    def all_tags(self) -> list[str]:
        m = self.j.models
        return [t.name for t in m.Tag.select().order_by(fn.lower(m.Tag.name))]

    # ------------------------------------------------------------------ writing
    def create(self, film_id: int, body: str = "", *, tags: list[str] | None = None,
               viewing_id: int | None = None, source_key: str | None = None,
               created_at: dt.datetime | None = None, **fields: Any) -> Review:
        m = self.j.models
        film = self.j.films.get(film_id)
        values = _clean({"body": body, **fields})
        if viewing_id is not None:
            self._check_viewing(viewing_id, film.id)
        stamp = created_at or dt.datetime.now()
        if values.get("status") == "published":
            values["published_at"] = stamp
        with self.j.write():
            review = m.Review.create(film=film.id, viewing=viewing_id, source_key=source_key,
                                   created_at=stamp, updated_at=stamp, **values)
            self._derive(review)
            if tags:
                self._set_tags(review.id, tags)
        self.j.events.emit("review", review.id)
        return self.get(review.id)

    def update(self, review_id: int, *, tags: list[str] | None = None, **fields: Any) -> Review:
        m = self.j.models
        review = self.get(review_id)
        values = _clean(fields)
        if "viewing_id" in fields:
            if fields["viewing_id"] is not None:
                self._check_viewing(fields["viewing_id"], review.film_id)
            values["viewing"] = fields["viewing_id"]
        if "film_id" in fields:
            values["film"] = self.j.films.get(fields["film_id"]).id
        changed = {k: v for k, v in values.items()
                   if getattr(review, k if k not in ("viewing", "film") else k + "_id") != v}
        if not changed and tags is None:
            return review
        with self.j.write():
            if changed:
                if changed.get("status") == "published" and review.published_at is None:
                    changed["published_at"] = dt.datetime.now()
                changed["updated_at"] = dt.datetime.now()
                m.Review.update(**changed).where(m.Review.id == review.id).execute()
                if "body" in changed:
                    self._derive(self.get(review.id))
            if tags is not None:
                self._set_tags(review.id, tags)
        self.j.events.emit("review", review.id)
        return self.get(review.id)

    def _check_viewing(self, viewing_id: int, film_id: int) -> None:
        viewing = self.j.viewings.get(viewing_id)
        if viewing.film_id != film_id:
            raise ValidationError("That viewing is of another film.", "viewing")

    def _derive(self, review: Review) -> None:
        """Keep what is derived from the body (spoiler flag, film links) in step with it."""
        from journal.core import derive

        derive.update_review_derivatives(self.j, review)

    def _set_tags(self, review_id: int, names: list[str]) -> None:
        m = self.j.models
        clean: list[str] = []
        for name in names:
            name = " ".join(str(name).split()).strip("#")
            if name and name.lower() not in {c.lower() for c in clean}:
                clean.append(name)
        m.ReviewTag.delete().where(m.ReviewTag.review == review_id).execute()
        for name in clean:
            tag = m.Tag.get_or_none(m.Tag.name == name) or m.Tag.create(name=name)
            m.ReviewTag.create(review=review_id, tag=tag.id)
        self.j.events.emit("tag")

    def delete(self, review_id: int) -> str:
        review = self.get(review_id)
        group = self.j.trash.new_group()
        with self.j.write():
            self.snapshot(review.id, "before delete")
            self.j.trash.mark(self.j.models.Review, [review.id], group)
        self.j.events.emit("review", review.id)
        self.j.events.emit("trash")
        return group

    # ------------------------------------------------------------------ comments
    def add_comment(self, review_id: int, text: str, *, author: str = "",
                    author_url: str | None = None, posted_at: dt.datetime | None = None,
                    parent_id: int | None = None, source_key: str | None = None) -> Comment:
        m = self.j.models
        self.get(review_id)
        if parent_id is not None:
            parent = m.Comment.get_or_none(m.Comment.id == parent_id)
            if parent is None or parent.review_id != review_id:
                raise ValidationError("A reply must answer a comment on the same review.")
        with self.j.write():
            comment = m.Comment.create(review=review_id, text=text, author=author,
                                     author_url=author_url, posted_at=posted_at,
                                     parent=parent_id, source_key=source_key)
        self.j.events.emit("comment", comment.id)
        return comment

    def comments(self, review_id: int) -> list[Comment]:
        m = self.j.models
        return list(m.Comment.select().where(m.Comment.review == review_id,
                                           m.Comment.deleted_at.is_null())
                    .order_by(m.Comment.posted_at, m.Comment.id))

    # ------------------------------------------------------------------ revisions
    def snapshot(self, review_id: int, reason: str = "autosave") -> Revision:
        m = self.j.models
        review = self.get(review_id, include_deleted=True)
        with self.j.write():
            revision = m.Revision.create(review=review.id, reason=reason, title=review.title,
                                       body=review.body, eyelights=review.eyelights,
                                       eyesores=review.eyesores, score=review.score)
        return revision

    def revisions(self, review_id: int) -> list[Revision]:
        m = self.j.models
        return list(m.Revision.select().where(m.Revision.review == review_id)
                    .order_by(m.Revision.created_at.desc(), m.Revision.id.desc()))

    def restore_revision(self, revision_id: int) -> Review:
        """Put a revision's text back; the current text is kept as a revision first."""
        m = self.j.models
        revision = m.Revision.get_or_none(m.Revision.id == revision_id)
        if revision is None:
            raise NotFound(f"There is no revision #{revision_id}.")
        with self.j.write():
            self.snapshot(revision.review_id, "before restore")
            return self.update(revision.review_id, title=revision.title, body=revision.body,
                               eyelights=revision.eyelights, eyesores=revision.eyesores,
                               score=revision.score)
