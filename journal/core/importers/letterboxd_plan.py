"""Plan a Letterboxd import: viewings, reviews, scores and the watchlist; nothing written here.

Each merged viewing (see ``letterboxd_merge``) becomes a viewing with its rewatch flag; a viewing
with review text or a rating also gets a review (HTML → Markdown, rating → score out of 10, tags).
A dated viewing that the journal already has (same film, same date) is joined, not duplicated;
an undated "seen it" viewing is left out when the film already has a viewing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from journal.core.importers.context import PlanContext, checked_partial
from journal.core.importers.letterboxd import LbFilm, LbViewing, load_letterboxd
from journal.core.importers.letterboxd_merge import merge_letterboxd
from journal.core.importers.plan import (
    FilmSpec,
    ImportOptions,
    ImportPlan,
    ReviewRec,
    Token,
    ViewingRec,
    WatchRec,
)
from journal.core.importers.wp_html import close_repeated_openings, html_to_markdown
from journal.core.values import fold

if TYPE_CHECKING:
    from journal.core.journal import Journal


def _film_key(film: LbFilm) -> str:
    return f"{fold(film.name)}|{film.year or ''}"


def _noon(day: dt.date | None) -> dt.datetime | None:
    return dt.datetime.combine(day, dt.time(12)) if day else None


def _label(film: LbFilm) -> str:
    return f"“{film.name}”" + (f" ({film.year})" if film.year else "")


class _LbPlanner:
    def __init__(self, ctx: PlanContext) -> None:
        self.ctx = ctx
        self.plan = ctx.plan
        self.ordinals: Counter[str] = Counter()
        self.viewed: set[str] = set()  # film refs with a viewing in this import
        self.watch_keys: set[str] = set()

    def spec(self, film: LbFilm, *, watchlist: bool = False) -> FilmSpec:
        """The film; a watchlist title without a year is not a film of this import or of the
        journal that has a year (a film on the watchlist is one not seen yet)."""
        return self.ctx.catalogue.film(film.name, film.year, imdb_id=film.imdb_id,
                                       tmdb_id=film.tmdb_id, letterboxd_uri=film.uri,
                                       strict_year=watchlist and film.year is None)

    def viewing_key(self, v: LbViewing) -> str:
        if v.entry_uri and v.source in ("diary", "reviews"):
            return f"lb:diary:{v.entry_uri}"
        base = f"lb:{v.source or 'seen'}:{_film_key(v.film)}|{v.watched_date or 'undated'}"
        self.ordinals[base] += 1
        n = self.ordinals[base]
        return base if n == 1 else f"{base}|{n}"

    def viewing(self, v: LbViewing) -> None:
        plan, cat = self.plan, self.ctx.catalogue
        spec = self.spec(v.film)
        key = self.viewing_key(v)
        review_key = "lb:review:" + key.removeprefix("lb:")
        watched_on = checked_partial(v.watched_date.isoformat()) if v.watched_date else None
        has_review = bool((v.review_html or "").strip()) or v.rating10 is not None
        existing = cat.viewing_keys.get(key)
        if review_key in cat.review_keys or (existing is not None and not has_review):
            plan.counts["already"] += 1
            self.viewed.add(spec.ref)
            return
        if existing is None:
            existing = cat.viewing_on(spec, watched_on)
            if existing is not None and watched_on is None:
                if not has_review:
                    plan.skip("films marked as seen that are already in your diary",
                              _label(v.film))
                    return
                if cat.has_review(spec):
                    plan.skip("ratings of films you have already reviewed", _label(v.film))
                    return
            if existing is not None:
                plan.matched.add(f"{_label(v.film)}: joined to your viewing of "
                                 f"{watched_on or 'an unknown date'}")
            elif watched_on is None and spec.ref in self.viewed and not has_review:
                plan.skip("films marked as seen that this import already logs", _label(v.film))
                return
            else:
                plan.counts["viewings"] += 1
        self.viewed.add(spec.ref)
        self.ctx.catalogue.use(spec)
        note = "" if has_review or not v.tags else "Letterboxd tags: " + ", ".join(v.tags)
        viewing = ViewingRec(key=key, film=spec.ref, watched_on=watched_on, rewatch=v.rewatch,
                             note=note, existing_id=existing)
        if has_review:
            self.review(v, spec, review_key, viewing)
        elif existing is None:
            plan.add(viewing)

    def review(self, v: LbViewing, spec: FilmSpec, key: str, viewing: ViewingRec) -> None:
        plan = self.plan
        body = html_to_markdown(close_repeated_openings(v.review_html or ""))
        if not body:
            plan.counts["score_only"] += 1
        if v.rating10 is not None:
            plan.matched.add(f"{_label(v.film)}: score {v.rating10} from Letterboxd rating "
                             f"{_stars(v.rating10)}")
        plan.counts["reviews"] += 1
        plan.add(ReviewRec(key=key, film=spec.ref, body=body, score=v.rating10,
                           status="published", created_at=_noon(v.logged_date or v.watched_date),
                           tags=self.ctx.count_tags(v.tags), viewing=viewing))

    def watchlist(self, film: LbFilm, added: dt.date | None) -> None:
        plan, cat = self.plan, self.ctx.catalogue
        spec = self.spec(film, watchlist=True)
        key = f"lb:watchlist:{_film_key(film)}"
        if key in self.watch_keys:  # another film with the same title and year
            key = f"{key}|{film.uri}"
        self.watch_keys.add(key)
        if key in cat.watch_keys:
            plan.counts["already"] += 1
            return
        if cat.on_watchlist(spec):
            plan.skip("films already on your watchlist", _label(film))
            return
        cat.use(spec)
        plan.counts["watchlist"] += 1
        plan.add(WatchRec(key=key, film=spec.ref, added_at=_noon(added)))


def _stars(rating10: Decimal) -> str:
    """9.0 → ★★★★½ (Letterboxd's five stars); anything else as n/10."""
    if rating10 != rating10.to_integral_value() or rating10 == 0:
        return f"{rating10}/10"
    halves = int(rating10)
    return "★" * (halves // 2) + ("½" if halves % 2 else "")


def plan_letterboxd(journal: Journal, paths: list[Path] | Path,
                    options: ImportOptions | None = None,
                    token: Token | None = None) -> ImportPlan:
    """Read a Letterboxd export (ZIP, folder or CSV files) and the journal; return the plan.
    Raises ``LetterboxdFormatError`` for a bad file, before anything could be written."""
    paths = [Path(p) for p in (paths if isinstance(paths, list) else [paths])]
    plan = ImportPlan(source="letterboxd", paths=paths, options=options or ImportOptions())
    with plan.filling():
        ctx = PlanContext(journal, plan, "lb:", token)
        skipped: list[str] = []
        files = [f for path in paths for f in load_letterboxd(path, skipped)]
        for name in skipped:
            plan.skip("files that are not diary, reviews, ratings, watched or watchlist", name)
        data = merge_letterboxd(files)
        planner = _LbPlanner(ctx)
        total = len(data.viewings) + len(data.watchlist)
        for n, viewing in enumerate(data.viewings):
            if n % 100 == 0:
                ctx.check_cancel(n, total, "Reading the Letterboxd export…")
            planner.viewing(viewing)
        for entry in data.watchlist:
            planner.watchlist(entry.film, entry.added)
        if data.liked:
            plan.skip("liked films (Eyelights has no likes)", n=len(data.liked))
    return plan
