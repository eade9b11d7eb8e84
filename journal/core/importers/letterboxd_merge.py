"""Merge parsed Letterboxd files into what a user expects to find in the journal.

- diary rows (and import-format rows with a WatchedDate) are viewings;
- a review attaches to the diary viewing with the same entry URI, else the same film and
  watched date (or becomes a viewing of its own when there is none);
- a watched film with no viewing becomes an undated "seen it" viewing: never a duplicate;
- ratings.csv gives the film's score where no diary rating exists (on its undated "seen it"
  viewing, else on its latest viewing);
- watchlist rows are watchlist entries, likes/films.csv rows liked films.

Films are joined on (name, year) folded for case and accents, and told apart by their
Letterboxd URI: the diary's URIs name its entries, while watched, ratings and watchlist rows
carry the film's own URI. The first film URI of a (name, year) the diary logs becomes the
diary's film; another URI with the same name and year is another film (two "The Haunted Castle
(1897)" stay two): it takes one of the diary's entries of that day when the diary logged as
many, else it becomes a "seen it" viewing of its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from journal.core.importers.letterboxd import (
    LbFile,
    LbFilm,
    LbKind,
    LbRating,
    LbViewing,
    LbWatchlistEntry,
)

FilmKey = tuple[str, int | None]


@dataclass
class LbCounts:
    files: int = 0
    diary_viewings: int = 0  # viewings from diary rows (and dated import rows)
    reviews: int = 0  # review rows with text
    reviews_attached: int = 0  # … joined to a diary viewing
    reviews_standalone: int = 0  # … that became a viewing of their own
    seen_undated: int = 0  # "seen it" viewings from watched/ratings rows
    rewatches: int = 0
    ratings_used: int = 0  # ratings.csv scores used because no diary rating exists
    watchlist: int = 0
    liked: int = 0

    @property
    def viewings(self) -> int:
        return self.diary_viewings + self.reviews_standalone + self.seen_undated


@dataclass
class LetterboxdData:
    viewings: list[LbViewing] = field(default_factory=list)
    watchlist: list[LbWatchlistEntry] = field(default_factory=list)
    liked: list[LbFilm] = field(default_factory=list)
    film_scores: dict[FilmKey, Decimal] = field(default_factory=dict)  # from ratings.csv only
    counts: LbCounts = field(default_factory=LbCounts)


def _of_kind(files: list[LbFile], *kinds: LbKind) -> list[LbFile]:
    return [f for f in files if f.kind in kinds]


def _diary(files: list[LbFile], counts: LbCounts) -> list[LbViewing]:
    """Diary viewings; the same entry URI read twice, or an import row repeated, counts once."""
    viewings: list[LbViewing] = []
    seen_uris: set[str] = set()
    import_index: dict[tuple[FilmKey, object], LbViewing] = {}
    for file in _of_kind(files, LbKind.DIARY, LbKind.IMPORT):
        for v in file.viewings:
            if v.entry_uri and v.entry_uri in seen_uris:
                continue
            if v.entry_uri:
                seen_uris.add(v.entry_uri)
            if file.kind == LbKind.IMPORT:
                same = import_index.get((v.film.key, v.watched_date))
                if same is not None:  # "combined into a single entry", as Letterboxd does
                    same.rating10 = same.rating10 if same.rating10 is not None else v.rating10
                    same.review_html = same.review_html or v.review_html
                    continue
                import_index[(v.film.key, v.watched_date)] = v
            viewings.append(v)
    counts.diary_viewings = len(viewings)
    return viewings


def _find_target(review: LbViewing, viewings: list[LbViewing]) -> LbViewing | None:
    if review.entry_uri:
        for v in viewings:
            if v.entry_uri == review.entry_uri:
                return v
    for v in viewings:
        if (v.film.key == review.film.key and v.watched_date == review.watched_date
                and not v.review_html):
            return v
    return None


def _attach_reviews(files: list[LbFile], viewings: list[LbViewing], counts: LbCounts) -> None:
    diary = list(viewings)
    for file in _of_kind(files, LbKind.REVIEWS):
        for review in file.viewings:
            if not (review.review_html or "").strip():
                continue
            counts.reviews += 1
            target = _find_target(review, diary)
            if target is None:
                viewings.append(review)
                diary.append(review)
                counts.reviews_standalone += 1
                continue
            if target.review_html and target.review_html != review.review_html:
                viewings.append(review)  # a second, different review of one entry: keep both
                counts.reviews_standalone += 1
                continue
            target.review_html = review.review_html
            target.rating10 = target.rating10 if target.rating10 is not None else review.rating10
            target.tags = target.tags or review.tags
            target.rewatch = target.rewatch or review.rewatch
            counts.reviews_attached += 1


def _add_seen(files: list[LbFile], viewings: list[LbViewing], counts: LbCounts) -> None:
    seen = {v.film.key for v in viewings}
    bound: dict[FilmKey, str | None] = {}  # (name, year) → the film URI the diary's film takes
    uris: set[str] = set()
    others: list[LbFilm] = []  # another film with a (name, year) already seen
    for file in _of_kind(files, LbKind.WATCHED, LbKind.IMPORT):
        for film in file.films:
            if film.uri and film.uri in uris:
                continue
            if film.uri:
                uris.add(film.uri)
            if film.key in seen:
                if film.uri is None or bound.setdefault(film.key, film.uri) in (None, film.uri):
                    bound[film.key] = bound.get(film.key) or film.uri
                    continue
                others.append(film)
                continue
            seen.add(film.key)
            bound[film.key] = film.uri
            viewings.append(LbViewing(film=film, watched_date=None, source="watched"))
            counts.seen_undated += 1
    for v in viewings:  # the diary's entries are of the film its first URI names
        if v.film.uri is None and bound.get(v.film.key):
            v.film = replace(v.film, uri=bound[v.film.key])
    _place_other_films(others, viewings, counts)


def _place_other_films(others: list[LbFilm], viewings: list[LbViewing],
                       counts: LbCounts) -> None:
    """Films sharing a name and year with another: one of the diary's entries of a day with
    several entries of that name each, else a "seen it" viewing."""
    days: dict[tuple[FilmKey, date], list[LbViewing]] = {}
    for v in viewings:
        if v.watched_date is not None and v.source in ("diary", "reviews", "import"):
            days.setdefault((v.film.key, v.watched_date), []).append(v)
    for film in others:
        group = next((g for (key, _day), g in days.items() if key == film.key and len(g) > 1),
                     None)
        if group is not None:
            group.pop().film = film
            continue
        viewings.append(LbViewing(film=film, watched_date=None, source="watched"))
        counts.seen_undated += 1


def _identity(film: LbFilm) -> object:
    return film.uri or film.key


def _apply_ratings(files: list[LbFile], data: LetterboxdData) -> None:
    ratings: dict[tuple[str | None, FilmKey], LbRating] = {}
    for file in _of_kind(files, LbKind.RATINGS, LbKind.IMPORT):
        for rating in file.ratings:
            ratings[(rating.film.uri, rating.film.key)] = rating  # a later file wins
    by_film: dict[object, list[LbViewing]] = {}
    for v in data.viewings:
        if v.film.uri:
            by_film.setdefault(v.film.uri, []).append(v)
        by_film.setdefault(v.film.key, []).append(v)
    for (uri, key), rating in ratings.items():
        own = (by_film.get(uri) if uri else None) or by_film.get(key, [])
        if any(v.rating10 is not None for v in own):
            continue
        data.film_scores[key] = rating.rating10
        data.counts.ratings_used += 1
        undated = [v for v in own if v.watched_date is None]
        if undated:
            undated[0].rating10 = rating.rating10
        elif own:  # the film's rating, on its latest viewing
            max(own, key=lambda v: (v.watched_date, v.logged_date or v.watched_date)
                ).rating10 = rating.rating10
        else:
            data.viewings.append(LbViewing(film=rating.film, watched_date=None,
                                           rating10=rating.rating10, source="ratings"))
            data.counts.seen_undated += 1


def _collect_lists(files: list[LbFile], data: LetterboxdData) -> None:
    keys: set[object] = set()
    for file in _of_kind(files, LbKind.WATCHLIST):
        for entry in file.watchlist:
            if _identity(entry.film) not in keys:
                keys.add(_identity(entry.film))
                data.watchlist.append(entry)
    liked: set[FilmKey] = set()
    for file in _of_kind(files, LbKind.LIKED_FILMS):
        for film in file.films:
            if film.key not in liked:
                liked.add(film.key)
                data.liked.append(film)
    data.counts.watchlist = len(data.watchlist)
    data.counts.liked = len(data.liked)


def merge_letterboxd(files: Iterable[LbFile]) -> LetterboxdData:
    """Combine the files of one export (see the module docstring for the rules)."""
    files = list(files)
    data = LetterboxdData()
    data.counts.files = len(files)
    data.viewings = _diary(files, data.counts)
    _attach_reviews(files, data.viewings, data.counts)
    _add_seen(files, data.viewings, data.counts)
    _apply_ratings(files, data)
    _collect_lists(files, data)
    data.counts.rewatches = sum(1 for v in data.viewings if v.rewatch)
    return data
