"""Plan-time view of the journal: which films exist, which records were imported before.

Read-only. ``CatalogueView.film(...)`` returns the :class:`FilmSpec` a record refers to (one per
film within an import), matched to the catalogue by IMDb/TMDb id, else by title and year folded
for case and accents. ``apply`` resolves the same specs again inside its transaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from journal.core.importers.plan import FilmSpec, ImportPlan
from journal.core.values import EARLIEST_FILM_RELEASE, fold

if TYPE_CHECKING:
    from journal.core.journal import Journal


def film_ref(title: str, year: int | None) -> str:
    return f"{fold(title)}|{year or ''}"


def usable_year(year: int | None) -> int | None:
    """A year the catalogue accepts (the 1870s to ten years ahead), else None."""
    import datetime as dt

    if year is None or not EARLIEST_FILM_RELEASE <= year <= dt.date.today().year + 10:
        return None
    return year


class FilmIndex:
    """The live films' titles and ids in memory: one query, then matching costs no SQL."""

    def __init__(self, journal: Journal) -> None:
        film = journal.models.Film
        self.by_title: dict[str, list[tuple[int, int | None, str]]] = {}
        self.by_id: dict[tuple[str, str], int] = {}
        self.titles: dict[int, tuple[str, int | None]] = {}
        self.uris: dict[int, str] = {}  # film id → its Letterboxd URI
        query: Any = film.select(film.id, film.title, film.title_folded, film.year,
                                 film.imdb_id, film.tmdb_id, film.letterboxd_uri
                                 ).where(film.deleted_at.is_null())
        for f in query.order_by(film.id).tuples():
            self.add(*f)

    def add(self, film_id: int, title: str, folded: str, year: int | None,
            imdb_id: str | None = None, tmdb_id: str | None = None,
            letterboxd_uri: str | None = None) -> None:
        self.by_title.setdefault(folded, []).append((film_id, year, title))
        self.titles[film_id] = (title, year)
        for kind, value in (("imdb", imdb_id), ("tmdb", tmdb_id), ("uri", letterboxd_uri)):
            if value:
                self.by_id.setdefault((kind, value), film_id)
        if letterboxd_uri:
            self.uris[film_id] = letterboxd_uri

    def find(self, title: str, year: int | None, imdb_id: str | None = None,
             tmdb_id: str | None = None, letterboxd_uri: str | None = None, *,
             strict_year: bool = False) -> tuple[int | None, str, int]:
        """(film id, how it matched, how many films share the title).

        Ids and the Letterboxd URI first. By title, a film whose Letterboxd URI differs from
        ``letterboxd_uri`` is another film; with ``strict_year`` a title without a year only
        matches a film without a year."""
        for kind, value, how in (("imdb", imdb_id, "IMDb id"), ("tmdb", tmdb_id, "TMDb id"),
                                 ("uri", letterboxd_uri, "Letterboxd address")):
            hit = self.by_id.get((kind, value)) if value else None
            if hit is not None:
                return hit, how, 1
        found = [f for f in self.by_title.get(fold(title), [])
                 if (f[1] == year if year or strict_year else True)
                 and not (letterboxd_uri and self.uris.get(f[0], letterboxd_uri)
                          != letterboxd_uri)]
        if not found:
            return None, "", 0
        return found[0][0], "title and year" if year else "title", len(found)


def existing_keys(model: Any, prefix: str) -> dict[str, int]:
    """Source keys starting with ``prefix`` of ``model`` (a journal's class), with their ids."""
    query = model.select(model.id, model.source_key).where(model.source_key.startswith(prefix))
    return {row.source_key: row.id for row in query}


class CatalogueView:
    def __init__(self, journal: Journal, plan: ImportPlan, key_prefix: str) -> None:
        self.journal = journal
        self.plan = plan
        m = journal.models
        self.review_keys = existing_keys(m.Review, key_prefix)
        self.viewing_keys = existing_keys(m.Viewing, key_prefix)
        self.comment_keys = set(existing_keys(m.Comment, key_prefix))
        self.watch_keys = set(existing_keys(m.WatchlistEntry, key_prefix))
        self._counted: set[str] = set()
        self.index = FilmIndex(journal)
        self._viewings: dict[int, dict[str | None, int]] | None = None
        self._watchlist: set[int] | None = None
        self._reviewed: set[int] | None = None
        self._by_title: dict[str, str] = {}
        self._by_uri: dict[str, str] = {}

    def _same(self, ref: str, letterboxd_uri: str | None) -> FilmSpec | None:
        """The import's film ``ref``, unless its Letterboxd URI says it is another film."""
        spec = self.plan.films.get(ref)
        if spec is None or (letterboxd_uri and spec.letterboxd_uri
                            and spec.letterboxd_uri != letterboxd_uri):
            return None
        return spec

    def film(self, title: str, year: int | None, *, imdb_id: str | None = None,
             tmdb_id: str | None = None, letterboxd_uri: str | None = None,
             strict_year: bool = False) -> FilmSpec:
        """The film a record refers to. A Letterboxd URI identifies a film first (two films
        with one title and year stay two); a title without a year joins this import's film of
        that title unless ``strict_year`` (a watchlist title: not a film already watched)."""
        year = usable_year(year)
        ref = film_ref(title, year)
        spec = self.plan.films.get(self._by_uri.get(letterboxd_uri or "", ""))
        if spec is None:
            spec = self._same(ref, letterboxd_uri)
        if spec is None and year is None and not strict_year:
            spec = self._same(self._by_title.get(fold(title), ""), letterboxd_uri)
        if spec is not None:
            spec.imdb_id = spec.imdb_id or imdb_id
            spec.tmdb_id = spec.tmdb_id or tmdb_id
            if letterboxd_uri and not spec.letterboxd_uri:
                spec.letterboxd_uri = letterboxd_uri
                self._by_uri[letterboxd_uri] = spec.ref
            return spec
        if ref in self.plan.films:  # the same title and year, another film (another URI)
            ref = f"{ref}|{letterboxd_uri}"
        spec = FilmSpec(ref=ref, title=title.strip(), year=year, imdb_id=imdb_id,
                        tmdb_id=tmdb_id, letterboxd_uri=letterboxd_uri,
                        strict_year=strict_year and year is None)
        if letterboxd_uri:
            self._by_uri[letterboxd_uri] = ref
        film_id, how, many = self.index.find(spec.title, year, imdb_id, tmdb_id, letterboxd_uri,
                                             strict_year=spec.strict_year)
        if film_id is not None:
            spec.existing_id = film_id
            found_title, found_year = self.index.titles[film_id]
            label = f"“{found_title}”" + (f" ({found_year})" if found_year else "")
            if many > 1:
                self.plan.conflicts.add(
                    f"“{spec.title}” matches {many} films in your catalogue; "
                    f"{label} #{film_id} is used")
            elif how.endswith(" id") and fold(found_title) != fold(spec.title):
                self.plan.matched.add(f"film “{spec.title}” is {label} #{film_id} (by {how})")
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

    def _load_viewings(self) -> dict[int, dict[str | None, int]]:
        if self._viewings is None:
            self._viewings = {}
            viewing = self.journal.models.Viewing
            query: Any = (viewing.select(viewing.id, viewing.film, viewing.watched_on)
                          .where(viewing.deleted_at.is_null()).order_by(viewing.id).tuples())
            for viewing_id, film_id, watched_on in query:
                dates = self._viewings.setdefault(film_id, {})
                dates.setdefault(watched_on, viewing_id)
                dates.setdefault("*any*", viewing_id)
        return self._viewings

    def viewing_on(self, spec: FilmSpec, watched_on: str | None) -> int | None:
        """An existing live viewing of the film on that date (any viewing when undated)."""
        if spec.existing_id is None:
            return None
        dates = self._load_viewings().get(spec.existing_id, {})
        return dates.get("*any*" if watched_on is None else watched_on)

    def on_watchlist(self, spec: FilmSpec) -> bool:
        if self._watchlist is None:
            entry = self.journal.models.WatchlistEntry
            query: Any = entry.select(entry.film).tuples()
            self._watchlist = {f for (f,) in query}
        return spec.existing_id in self._watchlist

    def has_review(self, spec: FilmSpec) -> bool:
        if self._reviewed is None:
            review = self.journal.models.Review
            query: Any = review.select(review.film).where(review.deleted_at.is_null()).tuples()
            self._reviewed = {f for (f,) in query}
        return spec.existing_id in self._reviewed
