"""What a review becomes on a blog, worked out without the network: the post's title, HTML
(the one renderer, in the blog's conventions), tags, categories, status, featured image, and
the post it updates. This is the preview; :mod:`publisher` adds what only the blog can tell."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from journal.core.film_titles import link_resolver
from journal.core.publish.blogs import BlogService, site_key
from journal.core.render import ReviewDocument
from journal.core.render.blog import render_blog_post
from journal.errors import ValidationError

if TYPE_CHECKING:
    from journal.core.journal import Journal
    from journal.store.models import Blog

STATUSES = ("draft", "publish", "future")
_MIME_EXT = {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "image/webp": "webp"}


@dataclass
class Poster:
    data: bytes
    sha256: str
    mime: str
    filename: str


@dataclass
class PostDraft:
    """Exactly what will be sent, but for ids only the blog knows (terms, media)."""

    review_id: int
    blog_id: int
    title: str
    content: str
    status: str
    date_gmt: str | None = None  # for a scheduled post (status "future")
    tags: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    poster: Poster | None = None
    post_id: int | None = None  # the post updated, else a new post
    target: str = "new"  # "new", "link" (published from here before), "import" (came from it)
    notes: list[str] = field(default_factory=list)
    #: The status was chosen (else an update keeps the post's status on the blog).
    status_given: bool = True


def parse_schedule(text: str, now: dt.datetime | None = None) -> str:
    """"2026-12-24 09:00" (local time) → UTC ISO for ``date_gmt``; must be in the future."""
    try:
        when = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(f"“{text}” is not a date and time such as 2026-12-24 09:00.",
                              "schedule") from None
    aware = when if when.tzinfo is not None else when.astimezone()
    utc = aware.astimezone(dt.UTC)
    if utc <= (now or dt.datetime.now(dt.UTC)):
        raise ValidationError(f"{text} is not in the future: a scheduled post needs a later "
                              "time.", "schedule")
    return utc.replace(tzinfo=None).isoformat(timespec="seconds")


def _document(journal: Journal, review_id: int) -> tuple[ReviewDocument, Any]:
    m = journal.models
    review = m.Review.get_or_none(m.Review.id == review_id)
    if review is None or review.deleted_at is not None:
        from journal.errors import NotFound

        raise NotFound(f"There is no review #{review_id}.")
    if review.film_id is None:  # a draft saved before its film was chosen
        raise ValidationError("This review has no film yet: choose its film, then publish it.",
                              "film")
    film = m.Film.get_by_id(review.film_id)
    viewing = None
    if review.viewing_id is not None:
        viewing = m.Viewing.get_or_none((m.Viewing.id == review.viewing_id)
                                        & m.Viewing.deleted_at.is_null())
    tags = [t.name for t in m.Tag.select().join(m.ReviewTag)
            .where(m.ReviewTag.review == review.id).order_by(m.Tag.name)]
    doc = ReviewDocument(title=review.title, film_title=film.title, film_year=film.year,
                         score=review.score, eyelights=review.eyelights,
                         eyesores=review.eyesores, body=review.body,
                         viewing_date=viewing.watched_on if viewing is not None else None,
                         tags=tags, status=review.status)
    return doc, (review, film)


def _poster(journal: Journal, film: Any) -> Poster | None:
    if film.poster_id is None:
        return None
    m = journal.models
    row = m.Poster.get_or_none(m.Poster.id == film.poster_id)
    if row is None:
        return None
    slug = re.sub(r"[^a-z0-9]+", "-", film.title.casefold()).strip("-")[:60] or "film"
    ext = _MIME_EXT.get(row.mime, "img")
    return Poster(bytes(row.data), row.sha256, row.mime, f"{slug}-poster.{ext}")


def imported_post_id(journal: Journal, blog: Blog, review: Any) -> int | None:
    """The post a review imported from this blog's WordPress export came from."""
    key = review.source_key or ""
    prefix = f"wxr:{site_key(blog.site_url)}:"
    if key.startswith(prefix) and key[len(prefix):].isdigit():
        return int(key[len(prefix):])
    return None


def film_urls(journal: Journal, blog: Blog) -> dict[int, str]:
    """Film id → the address of a post of a review of that film on this blog."""
    m = journal.models
    rows: Any = (m.PostLink.select(m.Review.film_id, m.PostLink.url)
            .join(m.Review, on=(m.PostLink.review == m.Review.id))
            .where(m.PostLink.blog == blog.id, m.Review.deleted_at.is_null(),
                   m.PostLink.url != "", m.PostLink.status == "publish")
            .tuples())
    return {int(film_id): url for film_id, url in rows}


def compose(journal: Journal, review_id: int, blog: Blog, *, status: str | None = None,
            schedule: str | None = None, as_new: bool = False) -> PostDraft:
    """The post for ``review_id`` on ``blog``; raises for a bad status or time."""
    settings = BlogService.settings(blog)
    status_given = bool(status or schedule)
    status = status or ("future" if schedule else settings.default_status)
    if status not in STATUSES:
        raise ValidationError("The status is draft, publish, or a scheduled time.", "status")
    date_gmt = None
    if status == "future":
        if not schedule:
            raise ValidationError("A scheduled post needs its time (e.g. --schedule "
                                  "'2026-12-24 09:00').", "schedule")
        date_gmt = parse_schedule(schedule)
    elif schedule:
        raise ValidationError("A time is given only for a scheduled post.", "schedule")
    doc, (review, film) = _document(journal, review_id)
    urls = film_urls(journal, blog)
    rendered = render_blog_post(doc, settings.style, resolve=link_resolver(journal),
                                film_url=urls.get)
    notes = list(rendered.notes)
    title = (review.title or "").strip() or film.title
    categories = list(settings.categories)
    poster = _poster(journal, film) if settings.featured_image else None
    if settings.featured_image and poster is None:
        notes.append("no featured image: the film has no poster")
    m = journal.models
    link = m.PostLink.get_or_none((m.PostLink.review == review.id) & (m.PostLink.blog == blog.id))
    draft = PostDraft(review.id, blog.id, title, rendered.html, status, date_gmt, list(doc.tags),
                      categories, poster, notes=notes, status_given=status_given)
    if as_new:
        draft.target = "new"
    elif link is not None:
        draft.post_id, draft.target = int(link.post_id), "link"
    elif (imported := imported_post_id(journal, blog, review)) is not None:
        draft.post_id, draft.target = imported, "import"
    return draft
