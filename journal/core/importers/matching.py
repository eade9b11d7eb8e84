"""Plan-time view of the journal: which films exist, which records were imported before.

Read-only. ``CatalogueView.film(...)`` returns the :class:`FilmSpec` a record refers to (one per
film within an import), matched to the catalogue by IMDb/TMDb id, else by title and year folded
for case and accents. ``apply`` resolves the same specs again inside its transaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from journal.core.importers.plan import FilmSpec, ImportPlan
from journal.core.values import EARLIEST_FILM_YEAR, fold
from journal.store.models import Comment, Film, Review, Viewing, WatchlistEntry

if TYPE_CHECKING:
    from journal.core.journal import Journal


def film_ref(title: str, year: int | None) -> str:
    return f"{fold(title)}|{year or ''}"


def usable_year(year: int | None) -> int | None:
    """A year the catalogue accepts (1888 to ten years ahead), else None."""
    import datetime as dt

    if year is None or not EARLIEST_FILM_YEAR <= year <= dt.date.today().year + 10:
        return None
    return year


def find_film(title: str, year: int | None, imdb_id: str | None = None,
              tmdb_id: str | None = None) -> tuple[Film | None, str, int]:
    """(film, how it matched, how many films share the title) among the live films."""
    live = Film.select().where(Film.deleted_at.is_null())
    for column, value, how in ((Film.imdb_id, imdb_id, "IMDb id"),
                               (Film.tmdb_id, tmdb_id, "TMDb id")):
        if value:
            hit = live.where(column == value).first()
            if hit is not None:
                return hit, how, 1
    query = live.where(Film.title_folded == fold(title))
    if year:
        query = query.where(Film.year == year)
    found = list(query.order_by(Film.id).limit(5))
    if not found:
        return None, "", 0
    return found[0], "title and year" if year else "title", len(found)


def existing_keys(model: Any, prefix: str) -> dict[str, int]:
    query = model.select(model.id, model.source_key).where(model.source_key.startswith(prefix))
    return {row.source_key: row.id for row in query}


class CatalogueView:
    def __init__(self, journal: Journal, plan: ImportPlan, key_prefix: str) -> None:
        self.journal = journal
        self.plan = plan
        self.review_keys = existing_keys(Review, key_prefix)
        self.viewing_keys = existing_keys(Viewing, key_prefix)
        self.comment_keys = set(existing_keys(Comment, key_prefix))
        self.watch_keys = set(existing_keys(WatchlistEntry, key_prefix))
        self._counted: set[str] = set()
        self._by_title: dict[str, str] = {}

    def film(self, title: str, year: int | None, *, imdb_id: str | None = None,
             tmdb_id: str | None = None, letterboxd_uri: str | None = None) -> FilmSpec:
        year = usable_year(year)
        ref = film_ref(title, year)
        spec = self.plan.films.get(ref)
        if spec is None and year is None:  # "Her" (no year) is the "Her (2013)" of this import
            spec = self.plan.films.get(self._by_title.get(fold(title), ""))
        if spec is not None:
            spec.imdb_id = spec.imdb_id or imdb_id
            spec.tmdb_id = spec.tmdb_id or tmdb_id
            return spec
        spec = FilmSpec(ref=ref, title=title.strip(), year=year, imdb_id=imdb_id,
                        tmdb_id=tmdb_id, letterboxd_uri=letterboxd_uri)
        film, how, many = find_film(spec.title, year, imdb_id, tmdb_id)
        if film is not None:
            spec.existing_id = film.id
            label = f"“{film.title}”" + (f" ({film.year})" if film.year else "")
            if many > 1:
                self.plan.conflicts.add(
                    f"“{spec.title}” matches {many} films in your catalogue; "
                    f"{label} #{film.id} is used")
            elif how.endswith(" id") and fold(film.title) != fold(spec.title):
                self.plan.matched.add(f"film “{spec.title}” is {label} #{film.id} (by {how})")
        self.plan.films[ref] = spec
        self._by_title.setdefault(fold(spec.title), ref)
        return spec

    def use(self, spec: FilmSpec) -> None:
        """A record to be written refers to this film: count it once (new or matched)."""
        spec.used = True
        if spec.ref in self._counted:
            return
        self._counted.add(spec.ref)
        self.plan.counts["films_matched" if spec.existing_id else "films_new"] += 1

    def viewing_on(self, spec: FilmSpec, watched_on: str | None) -> int | None:
        """An existing live viewing of the film on that date (any viewing when undated)."""
        if spec.existing_id is None:
            return None
        query = Viewing.select(Viewing.id).where(Viewing.film == spec.existing_id,
                                                 Viewing.deleted_at.is_null())
        if watched_on is not None:
            query = query.where(Viewing.watched_on == watched_on)
        hit = query.order_by(Viewing.id).first()
        return hit.id if hit else None

    def on_watchlist(self, spec: FilmSpec) -> bool:
        return spec.existing_id is not None and WatchlistEntry.select().where(
            WatchlistEntry.film == spec.existing_id).exists()

    def has_review(self, spec: FilmSpec) -> bool:
        return spec.existing_id is not None and Review.select().where(
            Review.film == spec.existing_id, Review.deleted_at.is_null()).exists()
