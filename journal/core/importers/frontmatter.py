"""Front matter as Jekyll, Hugo and Eyelights write it, read into one set of fields.

Every key a film blog is known to use is read (``ALIASES``: the first key present wins);
every other key is reported as not used. Keys are compared without case, spaces, ``_`` or
``-`` (``watchedDate`` is ``watched_date``); the keys of Zola's ``extra`` and Hugo's ``params``
tables, and of a ``movie:``/``film:`` map, count as the file's own (a key at the top wins).
Values come as strings, numbers, dates, lists or lists of maps (``tags: [{name: films}]`` is
the tag "films"). A field holding stars alone (``description: "★★★½"``) is the score when
nothing else gives one; a letter grade (``grade: B+``) is not read (no agreed scale) and the
preview says so. Nothing here raises for an odd value: it is left out and
``PostFields.notes`` says why.

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
from journal.core.importers.scores import Score, read_score_value, stars_alone
from journal.core.importers.titles import valid_year

#: Field → the keys that give it, in order of preference (keys are compared case-folded).
ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title",),
    "review_title": ("review_title",),
    "film": ("film", "name", "movie_title", "film_title", "movie", "movie_name"),
    "english_title": ("english_title", "en_title", "title_en"),
    "original_title": ("original_title", "orig_title"),
    "year": ("year", "release_year", "film_year", "movie_year", "released", "release",
             "release_date"),
    "directors": ("directors", "director", "directed_by"),
    "score": ("score",),
    "rating": ("rating", "my_rating", "stars", "grade"),
    "eyelights": ("eyelights",),
    "eyesores": ("eyesores",),
    "viewed": ("viewed", "watched_date", "date_watched", "watched", "watched_on",
               "viewing_date", "date_of_viewing", "date_viewed", "seen"),
    "rewatch": ("rewatch", "rewatched", "revisit", "revisited"),
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
_SEPARATORS_RE = re.compile(r"[\s_-]+")
#: Tables whose keys are the page's own fields: Zola's ``extra``, Hugo's ``params``.
_FIELD_TABLES = ("extra", "params")
#: Keys that may hold a map of the film's fields (``film: {title, year, director}``).
_FILM_MAPS = ("film", "movie")
_LETTER_GRADE_RE = re.compile(r"^[A-F][+-]?$")
_TITLE_YEAR_RE = re.compile(r"^(?P<film>.+?)\s*\((?P<year>\d{4})\)$")
_IMDB_RE = re.compile(r"\b(tt\d{5,10})\b")
_TMDB_RE = re.compile(r"^(?:\d{1,10}|.*themoviedb\.org/movie/(\d{1,10})\b.*)$")
_LETTERBOXD_RE = re.compile(r"^https?://(?:www\.)?(?:letterboxd\.com/film/[^\s/]+/?|boxd\.it/\w+)$")
_OFFSET_RE = re.compile(r"([+-]\d{2})(\d{2})$")
_NAME_KEYS = ("name", "title", "label", "slug")
NOON = dt.time(12)


def norm_key(key: Any) -> str:
    """A front-matter key as compared: no case, spaces, ``_`` or ``-``."""
    return _SEPARATORS_RE.sub("", str(key).casefold())


_KEYS = {name: tuple(dict.fromkeys(norm_key(k) for k in keys)) for name, keys in ALIASES.items()}
_KNOWN = {key for keys in _KEYS.values() for key in keys} | {"layout", "draft"}


def knows_any(meta: dict[str, Any]) -> bool:
    """Whether a mapping names at least one field a post's front matter has."""
    return any(norm_key(k) in _KNOWN or norm_key(k) in _FIELD_TABLES for k in meta)


@dataclass
class PostFields:
    """What one file's front matter says (``None``/empty where it says nothing)."""

    title: str = ""
    film: str | None = None
    english_title: str | None = None  # the film's title in English (the post's may not be)
    original_title: str | None = None
    year: int | None = None
    directors: list[str] = field(default_factory=list)
    score: Decimal | None = None  # Eyelights' own ``score`` (out of 10)
    rating: Any = None  # a ``rating``/``stars`` value, read with the import's scale
    rating_key: str = ""
    letter_grade: str | None = None  # ``grade: B+``: not read, the preview says so
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


def flatten(meta: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """(fields by compared key, the key as the file writes it). The keys of an ``extra`` or
    ``params`` table and of a ``film``/``movie`` map are read as the file's own; a key at the
    top wins; a map's ``title`` (or ``name``) is the film's title."""
    out: dict[str, Any] = {}
    shown: dict[str, str] = {}

    def put(key: Any, value: Any, label: str) -> None:
        n = norm_key(key)
        if n and n not in out:
            out[n], shown[n] = value, label

    for key, value in meta.items():
        put(key, value, str(key).strip())
    for table in (*_FIELD_TABLES, *_FILM_MAPS):
        inner = out.get(table)
        if not isinstance(inner, dict):
            continue
        label = shown.pop(table)
        del out[table]
        for key, value in inner.items():
            n = norm_key(key)
            if table in _FILM_MAPS and n in ("title", "name"):
                put(table, value, f"{label}.{key}")  # the film's title
            else:
                put(key, value, f"{label}.{key}")
    return out, shown


_PAGE_VARIABLE_RE = re.compile(r"\{\{-?\s*page\.([\w-]+)\s*-?\}\}")


def fill_page_variables(body: str, meta: dict[str, Any]) -> str:
    """Jekyll's ``{{ page.title }}`` in a body: the value the file's own front matter gives
    (text, number or date). Any other template tag is left as written."""
    if "{{" not in body:
        return body

    def value(m: re.Match[str]) -> str:
        found = meta.get(m.group(1))
        if isinstance(found, str | int | float | dt.date) and not isinstance(found, bool):
            return str(found)
        return m.group(0)

    return _PAGE_VARIABLE_RE.sub(value, body)


def _first(meta: dict[str, Any], name: str, used: set[str]) -> tuple[str, Any]:
    for key in _KEYS[name]:
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


def _imdb(value: Any) -> str | None:
    match = _IMDB_RE.search(str(value))
    return match.group(1) if match else None


def _tmdb(value: Any) -> str | None:
    match = _TMDB_RE.match(str(value).strip())
    if match is None or isinstance(value, float | bool):
        return None
    return match.group(1) or str(value).strip()


def _letterboxd(value: Any) -> str | None:
    return str(value).strip() if _LETTERBOXD_RE.match(str(value).strip()) else None


_ID_READERS = (("imdb", "imdb_id", _imdb, "is not an IMDb id (tt…): not used, and never read "
                "as your score"),
               ("tmdb", "tmdb_id", _tmdb, "is not a TMDb id: not used, and never read as your "
                "score"),
               ("letterboxd", "letterboxd_uri", _letterboxd,
                "is not a Letterboxd film address: not used"))


def _ids(meta: dict[str, Any], used: set[str], out: PostFields,
         shown: dict[str, str]) -> None:
    """The first key of each kind that holds an id (``imdb: 5.7/10`` is not one, and the
    ``imdb_link`` beside it may be)."""
    for name, field_name, read, why in _ID_READERS:
        for key in _KEYS[name]:
            value = meta.get(key)
            if value in (None, "", [], {}):
                if key in meta:
                    used.add(key)
                continue
            found = read(value)
            if found is not None:
                out.ids[field_name] = found
                used.add(key)
                break
            out.notes.append(f"{shown.get(key, key)}: {value!r} {why}")


def _film(meta: dict[str, Any], used: set[str], out: PostFields) -> None:
    _key, film = _first(meta, "film", used)
    out.film = _text(film) or None
    for name in ("english_title", "original_title"):
        setattr(out, name, _text(_first(meta, name, used)[1]) or None)
    _key, year = _first(meta, "year", used)
    if year is not None:
        out.year = _year(year)
        if out.year is None:
            out.notes.append(f"year {year!r} is not a year")
    if out.film and (m := _TITLE_YEAR_RE.match(out.film)) and valid_year(m.group("year")):
        out.film = m.group("film")  # name: "Beckett (2021)"
        if out.year is None:
            out.year = int(m.group("year"))
        elif out.year != int(m.group("year")):
            out.notes.append(f"the film is named with the year {m.group('year')} but its year "
                             f"is {out.year}; {out.year} is used")
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
    if key == "grade" and isinstance(value, str) and _LETTER_GRADE_RE.match(value.strip()):
        out.letter_grade = value.strip()
    elif key:
        out.rating, out.rating_key = value, key


def _stars_alone(meta: dict[str, Any], used: set[str], out: PostFields,
                 shown: dict[str, str]) -> None:
    """A field of its own that holds stars and nothing else (``description: "★★★½"``) is the
    score when no other key gives one."""
    if out.score is not None or out.rating is not None:
        return
    for key, value in meta.items():
        if key not in used and isinstance(value, str) and stars_alone(value) is not None:
            used.add(key)
            out.rating, out.rating_key = value.strip(), shown.get(key, key)
            return


def _status(meta: dict[str, Any], used: set[str], out: PostFields) -> None:
    _k, status = _first(meta, "status", used)
    _k, draft = _first(meta, "draft", used)
    _k, published = _first(meta, "published", used)
    out.draft = (flag(draft) or (published is not None and not flag(published))
                 or str(status or "").casefold() in ("draft", "private", "pending", "future"))


def read_fields(raw: dict[str, Any]) -> PostFields:
    """Interpret a front-matter mapping (keys as the file writes them)."""
    meta, shown = flatten(raw)
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
    _ids(meta, used, out, shown)
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
    _stars_alone(meta, used, out, shown)
    out.unused = [shown[k] for k in meta if k not in used]
    return out
