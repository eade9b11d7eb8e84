"""From a source's record to the catalogue: what would change, field by field, and applying it.

The rule that keeps what the user typed: a field that is empty in the catalogue is *ticked*
(filled) by default; a field that already holds something different is shown but left unticked,
so it is kept unless the user ticks it. "Complete the catalogue" applies the default ticks only.

Applying is one transaction per film (film fields, credits, poster, ids, lookup state): a crash
loses at most the film in hand. The poster is downloaded and checked *before* the transaction,
so no write waits for the network.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from journal.core import posters
from journal.core.events import Changes
from journal.core.metadata.errors import ServiceError
from journal.core.metadata.record import CastMember, FilmRecord, Source
from journal.core.values import validate_year
from journal.errors import ValidationError

if TYPE_CHECKING:
    from journal.core.journal import Journal

#: (field, label) in the order the preview lists them.
FIELDS = (
    ("title", "Title"), ("original_title", "Original title"), ("year", "Year"),
    ("runtime_minutes", "Runtime"), ("directors", "Directors"), ("cast", "Cast"),
    ("genres", "Genres"), ("countries", "Countries"), ("synopsis", "Synopsis"),
    ("poster", "Poster"), ("imdb_id", "IMDb id"), ("tmdb_id", "TMDb id"),
    ("wikidata_id", "Wikidata id"), ("letterboxd_uri", "Letterboxd"),
)
LABELS = dict(FIELDS)
ID_FIELDS = ("imdb_id", "tmdb_id", "wikidata_id")
#: Fields stored as columns of ``film`` (the others are credits and the poster).
COLUMN_FIELDS = ("title", "original_title", "year", "runtime_minutes", "genres", "countries",
                 "synopsis", "imdb_id", "tmdb_id", "wikidata_id", "letterboxd_uri")
CAST_SHOWN = 6


@dataclass
class FieldChange:
    name: str
    label: str
    current: str
    proposed: str
    tick: bool  # the default: fill an empty field, keep one the user filled

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.name, "current": self.current, "proposed": self.proposed,
                "applied_by_default": self.tick}


@dataclass
class PreparedPoster:
    data: bytes
    mime: str
    width: int
    height: int


def _cast_text(cast: Iterable[Any]) -> str:
    items = [f"{c.name} ({c.character})" if c.character else c.name for c in cast]
    more = len(items) - CAST_SHOWN
    return ", ".join(items[:CAST_SHOWN]) + (f" and {more} more" if more > 0 else "")


def proposed_values(record: FilmRecord) -> dict[str, str]:
    """Each field of the record as the preview shows it ("" when the source has nothing)."""
    return {
        "title": record.title, "original_title": record.original_title or "",
        "year": str(record.year or ""),
        "runtime_minutes": f"{record.runtime_minutes} min" if record.runtime_minutes else "",
        "directors": ", ".join(record.directors), "cast": _cast_text(record.cast),
        "genres": ", ".join(record.genres), "countries": ", ".join(record.countries),
        "synopsis": record.synopsis, "poster": "a poster" if record.poster_url else "",
        "imdb_id": record.imdb_id or "", "tmdb_id": record.tmdb_id or "",
        "wikidata_id": record.wikidata_id or "", "letterboxd_uri": record.letterboxd_uri or "",
    }


def current_values(journal: Journal, film_id: int, film: Any = None) -> dict[str, str]:
    """What the catalogue holds for a film, in the same words as ``proposed_values``
    (``film``: its row, when the caller has read it already)."""
    m = journal.models
    film = film if film is not None else m.Film.get_by_id(film_id)
    rows: Any = (m.Credit.select(m.Credit.role, m.Person.name, m.Credit.character)
                 .join(m.Person).where(m.Credit.film == film_id, m.Person.deleted_at.is_null())
                 .order_by(m.Credit.order, m.Credit.id).tuples())
    credits = [CastMember(name, character) if role == "cast" else name
               for role, name, character in rows]
    return {
        "title": film.title, "original_title": film.original_title or "",
        "year": str(film.year or ""),
        "runtime_minutes": f"{film.runtime_minutes} min" if film.runtime_minutes else "",
        "directors": ", ".join(c for c in credits if isinstance(c, str)),
        "cast": _cast_text(c for c in credits if isinstance(c, CastMember)),
        "genres": film.genres or "", "countries": film.countries or "",
        "synopsis": film.synopsis or "", "poster": "a poster" if film.poster_id else "",
        "imdb_id": film.imdb_id or "", "tmdb_id": film.tmdb_id or "",
        "wikidata_id": film.wikidata_id or "", "letterboxd_uri": film.letterboxd_uri or "",
    }


def _same(name: str, current: str, proposed: str) -> bool:
    if name in ("title", "original_title", "directors", "genres", "countries"):
        return " ".join(current.casefold().split()) == " ".join(proposed.casefold().split())
    return current.strip() == proposed.strip()


def changes(current: dict[str, str], record: FilmRecord) -> list[FieldChange]:
    """The fields the record would change, with their default tick (see the module's doc)."""
    proposed = proposed_values(record)
    out = []
    for name, label in FIELDS:
        new, old = proposed.get(name, ""), current.get(name, "")
        if new and name == "poster" and old:
            # both read "a poster", which ``_same`` would drop: the film's own is kept, the
            # source's offered unticked (docs/catalogue.md, "Look Up")
            out.append(FieldChange(name, label, "a poster", "the source's poster", False))
            continue
        if not new or _same(name, old, new):
            continue
        out.append(FieldChange(name, label, old, new, tick=not old.strip()))
    return out


def default_fields(journal: Journal, film_id: int, record: FilmRecord,
                   film: Any = None) -> list[str]:
    return [c.name for c in changes(current_values(journal, film_id, film), record) if c.tick]


def fetch_poster(source: Source, record: FilmRecord,
                 scaler: posters.Scaler | None) -> tuple[PreparedPoster | None, str]:
    """The record's poster, downloaded and made ready to store, or (None, why not)."""
    if not record.poster_url:
        return None, ""
    try:
        _mime, data = source.fetch_image(record.poster_url)
        return PreparedPoster(*posters.prepare_downloaded(data, scaler)), ""
    except posters.PosterError as exc:
        return None, f"poster not kept: {exc.message}"
    except ServiceError as exc:
        if exc.transient:  # offline, rate-limited, failing: the run decides what to do
            raise
        return None, f"poster not kept: {exc.message}"


def _ids_taken(journal: Journal, film_id: int, values: dict[str, Any]) -> dict[str, Any]:
    """Which of these ids (field → value) another film already has: field → that film."""
    m = journal.models
    wanted = {name: str(value) for name, value in values.items() if value}
    if not wanted:
        return {}
    condition = None
    for name, value in wanted.items():
        term = getattr(m.Film, name) == value
        condition = term if condition is None else condition | term
    taken: dict[str, Any] = {}
    for other in (m.Film.select(m.Film.id, m.Film.title, m.Film.deleted_at, m.Film.imdb_id,
                                m.Film.tmdb_id, m.Film.wikidata_id)
                  .where(condition, m.Film.id != film_id).order_by(m.Film.id)):
        for name, value in wanted.items():
            if getattr(other, name) == value:
                taken.setdefault(name, other)
    return taken


def apply_record(journal: Journal, film_id: int, record: FilmRecord, fields: Iterable[str], *,
                 poster: PreparedPoster | None = None, state: str | None = None) -> list[str]:
    """Write the ticked ``fields`` of ``record`` onto the film, in one transaction.

    Returns notes for the user (an id already on another film, a value refused). ``state`` is
    the lookup state to leave on the film (``"tmdb:matched"``)."""
    chosen = set(fields)
    notes: list[str] = []
    values: dict[str, Any] = {}
    for name in COLUMN_FIELDS:
        if name not in chosen:
            continue
        value: Any = getattr(record, name, None)
        if name in ("genres", "countries"):
            value = ", ".join(value or [])
        if name == "year":
            try:
                value = validate_year(value)
            except ValidationError as exc:
                notes.append(f"year not kept: {exc.message}")
                continue
        if value in (None, "") and name == "title":
            continue
        values[name] = value
    taken = _ids_taken(journal, film_id, {n: values.get(n) for n in ID_FIELDS})
    for name, other in sorted(taken.items(), key=lambda item: ID_FIELDS.index(item[0])):
        where = " (in the Trash)" if other.deleted_at else ""
        notes.append(f"{LABELS[name]} {values.pop(name)} not kept: it is already on "
                     f"“{other.title}”{where}")
    m = journal.models
    with journal.events.batch(), journal.write():
        if values:
            journal.films.update(film_id, **values)
        for role, wanted in (("director", "directors"), ("cast", "cast")):
            if wanted not in chosen:
                continue
            people: list[tuple[str, str | None, int]] = (
                [(str(name), None, order) for order, name in enumerate(record.directors)]
                if role == "director" else [(c.name, c.character, c.order) for c in record.cast])
            if people:
                journal.people.replace_credits(film_id, role, people)
        if "poster" in chosen and poster is not None:
            journal.films.set_poster(film_id, poster.data, poster.mime, poster.width,
                                     poster.height)
        if state is not None:
            m.Film.update(lookup_state=state).where(m.Film.id == film_id).execute()
        journal.events.emit(Changes.of(films=[film_id]))
    return notes


def set_state(journal: Journal, film_id: int, state: str | None) -> None:
    m = journal.models
    with journal.write():
        m.Film.update(lookup_state=state).where(m.Film.id == film_id).execute()
