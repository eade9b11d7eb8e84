"""Front matter as Jekyll, Hugo and Eyelights write it, read into one set of fields.

Every key a film blog is known to use is read (``ALIASES``: the first key present wins);
every other key is reported as not used. Values come as strings, numbers, dates, lists or
lists of maps (``tags: [{name: films}]`` is the tag "films"). Nothing here raises for an odd
value: it is left out and ``PostFields.notes`` says why.

A file written by Eyelights' own Markdown export (``film``, ``status`` and ``created`` keys) is
read exactly: its body is the review's body as stored, and no convention is looked for in it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from journal.core.importers.context import local_naive
from journal.core.importers.conventions import parse_partial_date
from journal.core.importers.scores import Score, read_score_value

#: Field → the keys that give it, in order of preference (keys are compared case-folded).
ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title",),
    "review_title": ("review_title",),
    "film": ("film", "name", "movie_title", "film_title", "movie", "movie_name"),
    "year": ("year", "release_year", "film_year", "movie_year", "released"),
    "directors": ("directors", "director", "directed_by"),
    "score": ("score",),
    "rating": ("rating", "my_rating", "stars"),
    "eyelights": ("eyelights",),
    "eyesores": ("eyesores",),
    "viewed": ("viewed", "watched_date", "date_watched", "watched", "watched_on",
               "viewing_date", "date_of_viewing", "date_viewed", "seen"),
    "rewatch": ("rewatch", "rewatched"),
    "medium": ("medium",),
    "venue": ("venue",),
    "companions": ("companions",),
    "viewing_note": ("viewing_note",),
    "created": ("created", "date", "published_date", "created_at", "publishdate"),
    "date": ("date", "published_date", "publishdate"),
    "updated": ("updated", "lastmod", "last_modified_at", "updated_at"),
    "published_at": ("published_at",),
    "tags": ("tags",),
    "categories": ("categories", "category"),
    "status": ("status",),
    "draft": ("draft",),
    "published": ("published",),
    "published_url": ("published_url",),
    "language": ("language", "lang"),
    "imdb": ("imdb", "imdb_id", "imdbid", "imdb_url", "imdb_link"),
    "tmdb": ("tmdb", "tmdb_id", "tmdbid", "tmdb_url", "tmdb_link"),
    "letterboxd": ("letterboxd", "letterboxd_uri", "letterboxd_url", "letterboxd_link"),
    "synopsis": ("synopsis",),
    "id": ("source_key", "id", "slug"),
}
_IMDB_RE = re.compile(r"\b(tt\d{5,10})\b")
_TMDB_RE = re.compile(r"^(?:\d{1,10}|.*themoviedb\.org/movie/(\d{1,10})\b.*)$")
_LETTERBOXD_RE = re.compile(r"^https?://(?:www\.)?(?:letterboxd\.com/film/[^\s/]+/?|boxd\.it/\w+)$")
_OFFSET_RE = re.compile(r"([+-]\d{2})(\d{2})$")
_NAME_KEYS = ("name", "title", "label", "slug")
NOON = dt.time(12)


@dataclass
class PostFields:
    """What one file's front matter says (``None``/empty where it says nothing)."""

    title: str = ""
    film: str | None = None
    year: int | None = None
    directors: list[str] = field(default_factory=list)
    score: Decimal | None = None  # Eyelights' own ``score`` (out of 10)
    rating: Any = None  # a ``rating``/``stars`` value, read with the import's scale
    rating_key: str = ""
    eyelights: str = ""
    eyesores: str = ""
    viewed: str | None = None  # ISO partial date
    rewatch: bool = False
    medium: str | None = None
    venue: str = ""
    companions: str = ""
    viewing_note: str = ""
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    published_at: dt.datetime | None = None
    tags: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    draft: bool = False
    published_url: str | None = None
    language: str | None = None
    ids: dict[str, str] = field(default_factory=dict)  # imdb_id, tmdb_id, letterboxd_uri
    synopsis: str = ""
    key: str | None = None
    exact: bool = False  # Eyelights' own export: read as written
    unused: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def is_eyelights_export(meta: dict[str, Any]) -> bool:
    return {"film", "status", "created"} <= meta.keys()


def _first(meta: dict[str, Any], name: str, used: set[str]) -> tuple[str, Any]:
    for key in ALIASES[name]:
        if key in meta and meta[key] not in (None, "", [], {}):
            used.add(key)
            return key, meta[key]
        if key in meta:
            used.add(key)
    return "", None


def _text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(t for v in value if not isinstance(v, list | tuple | dict)
                         and (t := _text(v)))
    if isinstance(value, dict):
        return next((" ".join(str(value[k]).split()) for k in _NAME_KEYS if value.get(k)), "")
    return " ".join(str(value).split()) if value is not None else ""


def names(value: Any, *, split_spaces: bool, depth: int = 0) -> list[str]:
    """Tags, categories or people from a string, a list, or a list of maps."""
    if value is None or depth > 3:
        return []
    if isinstance(value, dict):
        return [_text(value)] if _text(value) else []
    if isinstance(value, str):
        if "," in value:
            parts = value.split(",")
        else:
            parts = value.split() if split_spaces else [value]
        return [" ".join(p.split()) for p in parts if p.strip()]
    if isinstance(value, list | tuple):
        out: list[str] = []
        for item in value:
            if isinstance(item, list | tuple | dict):
                out += names(item, split_spaces=False, depth=depth + 1)
            elif _text(item):
                out.append(_text(item))
        return out
    return [_text(value)] if _text(value) else []


def to_datetime(value: Any) -> dt.datetime | None:
    """A date and time; a date alone is at noon, written with or without quotes."""
    if isinstance(value, dt.datetime):
        return local_naive(value)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, NOON)
    if not isinstance(value, str) or not value.strip():
        return None
    text = _OFFSET_RE.sub(r"\1:\2", value.strip().replace(" ", "T", 1)).replace(" ", "")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return dt.datetime.combine(dt.date.fromisoformat(text), NOON)
        except ValueError:
            return None
    try:
        return local_naive(dt.datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        pass
    day = parse_partial_date(value)
    if day is not None and len(day) == 10:
        return dt.datetime.combine(dt.date.fromisoformat(day), NOON)
    return None


def _partial(value: Any) -> str | None:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    return parse_partial_date(str(value)) if isinstance(value, str) else None


def _year(value: Any) -> int | None:
    if isinstance(value, dt.date):
        return value.year
    text = str(value).strip()
    if re.fullmatch(r"\d{4}", text):
        return int(text)
    if m := re.fullmatch(r"(\d{4})-\d{2}(?:-\d{2})?", text):
        return int(m.group(1))
    return None


def flag(value: Any) -> bool:
    """A yes/no value: YAML booleans, or text such as "yes" or "true"."""
    if isinstance(value, str):
        return value.strip().casefold() in ("yes", "true", "y", "1", "on")
    return value is True or value == 1


def _ids(meta: dict[str, Any], used: set[str], out: PostFields) -> None:
    key, value = _first(meta, "imdb", used)
    if key:
        match = _IMDB_RE.search(str(value))
        if match:
            out.ids["imdb_id"] = match.group(1)
        else:
            out.notes.append(f"{key}: {value!r} is not an IMDb id (tt…): not used, and never "
                             "read as your score")
            used.discard(key)
    key, value = _first(meta, "tmdb", used)
    if key:
        match = _TMDB_RE.match(str(value).strip())
        if match and not isinstance(value, float | bool):
            out.ids["tmdb_id"] = match.group(1) or str(value).strip()
        else:
            out.notes.append(f"{key}: {value!r} is not a TMDb id: not used, and never read as "
                             "your score")
            used.discard(key)
    key, value = _first(meta, "letterboxd", used)
    if key:
        if _LETTERBOXD_RE.match(str(value).strip()):
            out.ids["letterboxd_uri"] = str(value).strip()
        else:
            out.notes.append(f"{key}: {value!r} is not a Letterboxd film address: not used")
            used.discard(key)


def _film(meta: dict[str, Any], used: set[str], out: PostFields) -> None:
    _key, film = _first(meta, "film", used)
    if isinstance(film, dict):  # film: {title: Her, year: 2013, director: Spike Jonze}
        inner = {str(k).casefold(): v for k, v in film.items()}
        for name in ("year", "directors"):
            _k, value = _first(inner, name, set())
            if value is not None and name not in meta:
                meta[name] = value
        film = inner.get("title") or inner.get("name")
    out.film = _text(film) or None
    _key, year = _first(meta, "year", used)
    if year is not None:
        out.year = _year(year)
        if out.year is None:
            out.notes.append(f"year {year!r} is not a year")
    _key, directors = _first(meta, "directors", used)
    out.directors = names(directors, split_spaces=False)


def _dates(meta: dict[str, Any], used: set[str], out: PostFields) -> None:
    for name in ("created", "updated", "published_at"):
        key, value = _first(meta, name, used)
        if key:
            setattr(out, name, to_datetime(value))
            if getattr(out, name) is None:
                out.notes.append(f"{key}: {value!r} is not a date: not used")
    key, value = _first(meta, "viewed", used)
    if key:
        out.viewed = _partial(value)
        if out.viewed is None:
            out.notes.append(f"date of viewing {key}: {value!r} could not be read")


def _scores(meta: dict[str, Any], used: set[str], out: PostFields) -> None:
    key, value = _first(meta, "score", used)
    if key:
        found = read_score_value(str(value))
        if isinstance(found, Score):
            out.score = found.value
        else:
            out.notes.append(f"score {value!r} is not 0–10 with one decimal: not used")
    key, value = _first(meta, "rating", used)
    if key:
        out.rating, out.rating_key = value, key


def _status(meta: dict[str, Any], used: set[str], out: PostFields) -> None:
    _k, status = _first(meta, "status", used)
    _k, draft = _first(meta, "draft", used)
    _k, published = _first(meta, "published", used)
    out.draft = (flag(draft) or (published is not None and not flag(published))
                 or str(status or "").casefold() in ("draft", "private", "pending", "future"))


def read_fields(meta: dict[str, Any]) -> PostFields:
    """Interpret a front-matter mapping (keys already case-folded)."""
    used: set[str] = set()
    out = PostFields(exact=is_eyelights_export(meta))
    out.title = _text(_first(meta, "title", used)[1])
    _film(meta, used, out)
    _scores(meta, used, out)
    _dates(meta, used, out)
    _status(meta, used, out)
    if out.exact:  # the export writes the publication as ``date`` (``published_at`` for drafts)
        _key, date = _first(meta, "date", used)
        if out.published_at is None and not out.draft:
            out.published_at = to_datetime(date) if date is not None else None
    _ids(meta, used, out)
    for name in ("eyelights", "eyesores", "venue", "companions", "viewing_note", "synopsis"):
        setattr(out, name, _text(_first(meta, name, used)[1]))
    medium = _text(_first(meta, "medium", used)[1])
    if medium:
        from journal.core.diary import _clean_medium
        from journal.errors import ValidationError

        try:
            out.medium = _clean_medium(medium)
        except ValidationError as exc:
            out.notes.append(f"{exc.message.rstrip('.')}: not used")
    out.published_url = _text(_first(meta, "published_url", used)[1]) or None
    out.language = _text(_first(meta, "language", used)[1]) or None
    out.rewatch = flag(_first(meta, "rewatch", used)[1])
    out.tags = names(_first(meta, "tags", used)[1], split_spaces=True)
    out.categories = names(_first(meta, "categories", used)[1], split_spaces=True)
    key = _first(meta, "id", used)[1]
    out.key = _text(key) or None
    review_title = _text(_first(meta, "review_title", used)[1])
    if review_title:  # the export says a title equal to the film's is the review's own
        out.title = review_title
    elif out.exact and out.film and out.title == out.film:
        out.title = ""  # the export writes the film's title where the review has none
    out.unused = [k for k in meta if k not in used]
    return out
