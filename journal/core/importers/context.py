"""What every planner shares: the plan being built, the catalogue view, tags, cancel/progress."""

from __future__ import annotations

import datetime as dt
import sys
from typing import TYPE_CHECKING, Any

from journal.core import tags as tags_rule
from journal.core.importers.conventions import TITLE_AS_IS, Match, Recognised
from journal.core.importers.matching import CatalogueView
from journal.core.importers.plan import (
    CommentRec,
    FilmSpec,
    ImportCancelled,
    ImportPlan,
    ReviewRec,
    Token,
    ViewingRec,
    unpack_texts,
)
from journal.core.values import PartialDate
from journal.errors import ValidationError

if TYPE_CHECKING:
    from journal.core.journal import Journal

IGNORED_TAGS = {"uncategorized", "uncategorised", "non classé", "sin categoría"}
DATED_NOW = "dated at import time (no date in the file)"
FILM_IS_TITLE = "film title is the post's title as written (nothing else names the film)"
#: How many distinct lists of tag names are remembered (memory stays bounded).
TAG_MEMO = 10_000
UNDATED_VIEWING = ("viewing without a date (the file gives its venue, medium or rewatch but no "
                   "date of viewing)")


def describe(m: Match) -> str:
    """A recognised piece as the preview shows it: "score 8.5 from “Rating: 8.5/10”"."""
    if m.field == "spoiler":
        what = "spoiler section starts" if m.value.endswith("spoiler") else "spoiler section ends"
    elif m.field == "synopsis":
        what = "the film's synopsis (where it has none; the text stays in the review)"
    elif m.field == "film title":
        what = f"film title “{m.value}”"
    else:
        what = f"{m.field.replace('_', ' ')} {m.value}"
    return f"{what} from “{m.source.strip()}”"


def local_naive(value: dt.datetime | None) -> dt.datetime | None:
    """Aware datetimes → the local wall-clock time the store keeps; naive ones as they are."""
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone().replace(tzinfo=None)


def checked_partial(iso: str | None) -> str | None:
    """An ISO partial date the store accepts (not before 1888), else None."""
    if not iso:
        return None
    try:
        parsed = PartialDate.parse(iso, allow_future=True)
    except ValidationError:
        return None
    return parsed.iso() if parsed else None


class PlanContext:
    def __init__(self, journal: Journal, plan: ImportPlan, key_prefix: str,
                 token: Token | None = None) -> None:
        self.journal = journal
        self.plan = plan
        self.token = token
        self.catalogue = CatalogueView(journal, plan, key_prefix)
        self.tags = set(tags_rule.tag_ids(journal))
        #: a post's tag names → the tags kept (posts of a blog share their categories)
        self._kept_tags: dict[tuple[str, ...], tuple[str, ...]] = {}

    def check_cancel(self, done: int, total: int, message: str) -> None:
        if self.token is None:
            return
        if self.token.cancelled:
            raise ImportCancelled()
        self.token.progress(done, total, message)

    def count_tags(self, names: list[str]) -> list[str]:
        known = self._kept_tags.get(names_key := tuple(names))
        if known is not None:  # the same names as an earlier post's: nothing new to count
            return list(known)
        kept = []
        for name in tags_rule.clean_tags(names):
            key = tags_rule.tag_key(name)
            if key in IGNORED_TAGS:
                continue
            kept.append(name)
            if key not in self.tags:
                self.tags.add(key)
                self.plan.counts["tags_new"] += 1
        if len(self._kept_tags) < TAG_MEMO:
            self._kept_tags[names_key] = tuple(kept)
        return kept

    def add_review(self, key: str, label: str, found: Recognised, *, status: str,
                   created_at: dt.datetime | None, tags: list[str],
                   comments: list[CommentRec] | None = None, url: str | None = None,
                   film_year: int | None = None, title: str = "",
                   rewatch: bool = False, ids: dict[str, str] | None = None,
                   extra: dict[str, Any] | None = None) -> None:
        """Spool one review built from recognised conventions (or count it as imported).
        ``extra``: what only some files carry (``updated_at``, ``published_at``, ``language``,
        ``published_url``, the film's ``original_title``, the viewing's ``medium``, ``venue``,
        ``companions``, ``viewing_note``). A viewing's details without its date make an undated
        viewing (said in the preview), never nothing."""
        plan, cat = self.plan, self.catalogue
        comments = comments or []
        ids, extra = ids or {}, extra or {}
        spec = cat.film(found.film_title, found.film_year or film_year,
                        imdb_id=ids.get("imdb_id"), tmdb_id=ids.get("tmdb_id"),
                        letterboxd_uri=ids.get("letterboxd_uri"))
        existing = cat.review_keys.get(key)
        if existing is not None:
            plan.counts["already"] += 1
            if found.texts is not None:  # the comments' texts, converted by a pool process
                said = unpack_texts(found.texts)[5]
                for comment, text in zip(comments, said, strict=True):
                    comment.text = text
            new = [c for c in comments if c.key not in cat.comment_keys]
            if new:
                plan.counts["comments"] += len(new)
                cat.use(spec)
                plan.add(ReviewRec(key=key, film=spec.ref, existing_id=existing, comments=new))
            return
        matched = plan.matched
        for m in found.matches:
            if m.field != "film_title":
                if matched.full:  # counted only: the line would not be kept
                    matched.total += 1
                else:
                    matched.add(f"{label}: {describe(m)}")
        for note in found.notes:
            if note != TITLE_AS_IS:
                plan.left_in_body.add(f"{label}: {note}")
        if found.title_as_is:
            plan.default(FILM_IS_TITLE, label)
        if created_at is None:
            plan.default(DATED_NOW, label)
        if found.directors and not spec.directors:
            spec.directors = list(found.directors)
        if found.synopsis and not spec.synopsis:
            spec.synopsis = found.synopsis
        if extra.get("original_title") and not spec.original_title:
            spec.original_title = extra["original_title"]
        details = rewatch or any(extra.get(k) for k in (
            "medium", "venue", "companions", "viewing_note"))
        viewing = self._viewing(key, label, spec, found.viewing_date, rewatch, details)
        if viewing is not None:
            viewing.medium = extra.get("medium") or None
            viewing.venue = extra.get("venue") or ""
            viewing.companions = extra.get("companions") or ""
            viewing.note = extra.get("viewing_note") or ""
        cat.use(spec)
        plan.counts["reviews"] += 1
        plan.counts["comments"] += len(comments)
        plan.add(ReviewRec(
            key=key, film=spec.ref, title=title, body=found.body, score=found.score,
            eyelights=found.eyelights or "", eyesores=found.eyesores or "", status=status,
            created_at=created_at, tags=self.count_tags(tags), viewing=viewing,
            comments=comments, url=url or extra.get("published_url"),
            updated_at=extra.get("updated_at"), published_at=extra.get("published_at"),
            language=extra.get("language") or "en", has_spoilers=found.has_spoilers,
            texts=found.texts))

    def _viewing(self, key: str, label: str, spec: FilmSpec, iso: str | None,
                 rewatch: bool = False, details: bool = False) -> ViewingRec | None:
        if not iso and details:
            vkey = f"{key}:viewing"
            existing = self.catalogue.viewing_keys.get(vkey)
            if existing is None:
                self.plan.counts["viewings"] += 1
                self.plan.default(UNDATED_VIEWING, label)
            return ViewingRec(key=vkey, film=spec.ref, watched_on=None, rewatch=rewatch,
                              existing_id=existing)
        if not iso:
            return None
        watched_on = checked_partial(iso)
        if watched_on is None:
            self.plan.left_in_body.add(f"{label}: date of viewing {iso} is not a possible date")
            return None
        vkey = f"{key}:viewing"
        cat = self.catalogue
        existing = cat.viewing_keys.get(vkey) or cat.viewing_on(spec, watched_on)
        same_day = existing is None and watched_on in spec.planned
        if existing is None and not same_day:
            spec.planned += (sys.intern(watched_on),)
            self.plan.counts["viewings"] += 1
        elif vkey not in cat.viewing_keys:
            self.plan.matched.add(f"{label}: joined to your viewing of {watched_on}")
        return ViewingRec(key=vkey, film=spec.ref, watched_on=watched_on, rewatch=rewatch,
                          existing_id=existing, same_day=same_day)
