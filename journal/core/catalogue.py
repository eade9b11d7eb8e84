"""Films, people and credits."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from peewee import fn

from journal.core import derive
from journal.core.values import fold, validate_year
from journal.errors import NotFound, Refused, ValidationError
from journal.store.models import (
    FILM_KINDS,
    ROLES,
    Credit,
    Film,
    FilmLink,
    Person,
    Poster,
    Review,
    Viewing,
    WatchlistEntry,
)

if TYPE_CHECKING:
    from journal.core.journal import Journal

FILM_FIELDS = ("title", "original_title", "year", "kind", "runtime_minutes", "synopsis",
               "imdb_id", "tmdb_id", "letterboxd_uri", "wikidata_id", "genres", "countries")


class DuplicateFilm(ValidationError):
    """A film with the same title and year (folded) or the same external id already exists."""

    def __init__(self, message: str, existing: Film, same_id: bool) -> None:
        super().__init__(message, "title")
        self.existing = existing
        self.same_id = same_id


def _clean_film_fields(fields: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in fields.items() if k in FILM_FIELDS}
    if "title" in out:
        title = (out["title"] or "").strip()
        if not title:
            raise ValidationError("A film needs a title.", "title")
        out["title"] = title
        out["title_folded"] = fold(title)
    if "year" in out:
        out["year"] = validate_year(out["year"])
    if "kind" in out and out["kind"] not in FILM_KINDS:
        raise ValidationError(f"A film is a feature, a short or a series, not “{out['kind']}”.",
                              "kind")
    if out.get("runtime_minutes") is not None:
        try:
            minutes = int(out["runtime_minutes"])
        except (TypeError, ValueError):
            raise ValidationError("The runtime is a number of minutes.", "runtime") from None
        if minutes <= 0:
            raise ValidationError("The runtime must be more than 0 minutes.", "runtime")
        out["runtime_minutes"] = minutes
    for key in ("imdb_id", "tmdb_id", "letterboxd_uri", "original_title", "wikidata_id"):
        if key in out:
            out[key] = (str(out[key]).strip() or None) if out[key] is not None else None
    return out


class FilmService:
    def __init__(self, journal: Journal) -> None:
        self.j = journal

    # ------------------------------------------------------------------ reading
    def get(self, film_id: int, *, include_deleted: bool = False) -> Film:
        film = Film.get_or_none(Film.id == film_id)
        if film is None or (film.deleted_at is not None and not include_deleted):
            raise NotFound(f"There is no film #{film_id}.")
        return film

    def live(self) -> Any:
        return Film.select().where(Film.deleted_at.is_null())

    def count(self) -> int:
        return self.live().count()

    def find_match(self, title: str, year: int | None = None, *, imdb_id: str | None = None,
                   tmdb_id: str | None = None) -> tuple[Film | None, bool]:
        """The film this one would duplicate: (film, matched_by_id)."""
        for field, value in ((Film.imdb_id, imdb_id), (Film.tmdb_id, tmdb_id)):
            if value:
                hit = self.live().where(field == str(value).strip()).first()
                if hit:
                    return hit, True
        query = self.live().where(Film.title_folded == fold(title))
        query = query.where(Film.year == year) if year else query
        return query.order_by(Film.id).first(), False

    def by_title(self, title: str, year: int | None = None) -> list[Film]:
        query = self.live().where(Film.title_folded == fold(title))
        if year:
            query = query.where(Film.year == year)
        return list(query.order_by(Film.year, Film.id))

    def directors(self, film: Film | int) -> list[str]:
        film_id = film if isinstance(film, int) else film.id
        return [c.person.name for c in Credit.select(Credit, Person).join(Person)
                .where(Credit.film == film_id, Credit.role == "director",
                       Person.deleted_at.is_null())
                .order_by(Credit.order, Credit.id)]

    # ------------------------------------------------------------------ writing
    def create(self, title: str, year: int | None = None, *, directors: Iterable[str] = (),
               allow_duplicate: bool = False, source_key: str | None = None,
               **fields: Any) -> Film:
        values = _clean_film_fields({"title": title, "year": year, **fields})
        existing, by_id = self.find_match(values["title"], values.get("year"),
                                          imdb_id=values.get("imdb_id"),
                                          tmdb_id=values.get("tmdb_id"))
        if existing is not None and (by_id or not allow_duplicate):
            what = "the same IMDb/TMDb id" if by_id else "the same title and year"
            raise DuplicateFilm(
                f"“{existing.title}”{f' ({existing.year})' if existing.year else ''} is already "
                f"in the catalogue with {what}.", existing, by_id)
        with self.j.write():
            film = Film.create(source_key=source_key, **values)
            derive.relink_unresolved(film.title_folded)
            for order, name in enumerate(directors):
                self.j.people.add_credit(film.id, name, "director", order=order)
        self.j.events.emit("film", film.id)
        return film

    def update(self, film_id: int, **fields: Any) -> Film:
        film = self.get(film_id)
        values = _clean_film_fields(fields)
        with self.j.write():
            values["updated_at"] = dt.datetime.now()
            Film.update(**values).where(Film.id == film.id).execute()
        self.j.events.emit("film", film.id)
        return self.get(film.id)

    def set_poster(self, film_id: int, data: bytes, mime: str, width: int, height: int) -> Poster:
        """Attach an image (already scaled by the caller); identical images are stored once."""
        film = self.get(film_id)
        digest = hashlib.sha256(data).hexdigest()
        with self.j.write():
            poster = Poster.get_or_none(Poster.sha256 == digest)
            if poster is None:
                poster = Poster.create(sha256=digest, mime=mime, width=width, height=height,
                                       data=data)
            Film.update(poster=poster).where(Film.id == film.id).execute()
        self.j.events.emit("film", film.id)
        return poster

    def delete(self, film_id: int, *, with_reviews: bool = False) -> str:
        """Move a film to the Trash. A film with reviews or viewings is refused unless
        ``with_reviews``: then they go to the Trash with it, restorable together."""
        film = self.get(film_id)
        reviews = Review.select().where(Review.film == film.id, Review.deleted_at.is_null())
        viewings = Viewing.select().where(Viewing.film == film.id, Viewing.deleted_at.is_null())
        n_reviews, n_viewings = reviews.count(), viewings.count()
        if (n_reviews or n_viewings) and not with_reviews:
            raise Refused(
                f"“{film.title}” has {n_reviews} review(s) and {n_viewings} viewing(s); "
                "delete them with it (they go to the Trash too) or keep the film.")
        group = self.j.trash.new_group()
        with self.j.write():
            self.j.trash.mark(Review, [r.id for r in reviews], group)
            self.j.trash.mark(Viewing, [v.id for v in viewings], group)
            self.j.trash.mark(Film, [film.id], group)
        self.j.events.emit("film", film.id)
        self.j.events.emit("trash")
        return group

    def merge(self, keep_id: int, other_id: int) -> Film:
        """Move every viewing, review, credit, mention and watchlist note of ``other`` onto
        ``keep``, fill ``keep``'s empty fields from ``other``, and send ``other`` to the Trash."""
        keep, other = self.get(keep_id), self.get(other_id)
        if keep.id == other.id:
            raise ValidationError("A film cannot be merged with itself.")
        with self.j.write():
            Viewing.update(film=keep.id).where(Viewing.film == other.id).execute()
            Review.update(film=keep.id).where(Review.film == other.id).execute()
            FilmLink.update(film=keep.id).where(FilmLink.film == other.id).execute()
            for credit in Credit.select().where(Credit.film == other.id):
                exists = Credit.select().where(
                    Credit.film == keep.id, Credit.person == credit.person_id,
                    Credit.role == credit.role, Credit.character == credit.character).exists()
                if exists:
                    credit.delete_instance()
                else:
                    Credit.update(film=keep.id).where(Credit.id == credit.id).execute()
            other_entry = WatchlistEntry.get_or_none(WatchlistEntry.film == other.id)
            if other_entry is not None:
                if WatchlistEntry.select().where(WatchlistEntry.film == keep.id).exists():
                    other_entry.delete_instance()
                else:
                    WatchlistEntry.update(film=keep.id).where(
                        WatchlistEntry.id == other_entry.id).execute()
            fill = {name: getattr(other, name) for name in (
                "original_title", "year", "runtime_minutes", "letterboxd_uri", "synopsis",
                "imdb_id", "tmdb_id", "wikidata_id", "genres", "countries")
                if not getattr(keep, name) and getattr(other, name)}
            if keep.poster_id is None and other.poster_id is not None:
                fill["poster"] = other.poster_id
            if {"imdb_id", "tmdb_id", "wikidata_id"} & set(fill):  # unique: free them first
                Film.update(imdb_id=None, tmdb_id=None, wikidata_id=None).where(
                    Film.id == other.id).execute()
            if fill:
                Film.update(**fill).where(Film.id == keep.id).execute()
            self.j.trash.mark(Film, [other.id], self.j.trash.new_group())
        self.j.events.emit("film", keep.id, other.id)
        self.j.events.emit("viewing")
        self.j.events.emit("review")
        return self.get(keep.id)


class PersonService:
    def __init__(self, journal: Journal) -> None:
        self.j = journal

    def get(self, person_id: int) -> Person:
        person = Person.get_or_none(Person.id == person_id)
        if person is None or person.deleted_at is not None:
            raise NotFound(f"There is no person #{person_id}.")
        return person

    def find(self, name: str) -> Person | None:
        return (Person.select().where(Person.name_folded == fold(name),
                                      Person.deleted_at.is_null()).order_by(Person.id).first())

    def get_or_create(self, name: str) -> Person:
        name = " ".join(name.split())
        if not name:
            raise ValidationError("A person needs a name.", "name")
        person = self.find(name)
        if person is None:
            with self.j.write():
                person = Person.create(name=name, name_folded=fold(name))
            self.j.events.emit("person", person.id)
        return person

    def complete(self, prefix: str, limit: int = 20) -> list[str]:
        """Names starting with (or containing a word starting with) ``prefix``, for completers."""
        key = fold(prefix)
        if not key:
            return []
        query = (Person.select(Person.name).where(
            Person.deleted_at.is_null(),
            (Person.name_folded.startswith(key)) | (Person.name_folded.contains(" " + key)))
            .order_by(fn.length(Person.name), Person.name).limit(limit))
        return [p.name for p in query]

    def rename(self, person_id: int, name: str) -> Person:
        person = self.get(person_id)
        name = " ".join(name.split())
        if not name:
            raise ValidationError("A person needs a name.", "name")
        with self.j.write():
            Person.update(name=name, name_folded=fold(name)).where(Person.id == person.id).execute()
        self.j.events.emit("person", person.id)
        return self.get(person.id)

    def add_credit(self, film_id: int, name: str, role: str, *, character: str | None = None,
                   order: int = 0) -> Credit:
        if role not in ROLES:
            raise ValidationError(f"Unknown role “{role}”.", "role")
        with self.j.write():
            person = self.get_or_create(name)
            credit, _ = Credit.get_or_create(film=film_id, person=person.id, role=role,
                                             character=character or None,
                                             defaults={"order": order})
        self.j.events.emit("film", film_id)
        return credit

    def remove_credit(self, credit_id: int) -> None:
        credit = Credit.get_or_none(Credit.id == credit_id)
        if credit is None:
            raise NotFound(f"There is no credit #{credit_id}.")
        with self.j.write():
            credit.delete_instance()
        self.j.events.emit("film", credit.film_id)

    def delete(self, person_id: int) -> str:
        person = self.get(person_id)
        group = self.j.trash.new_group()
        with self.j.write():
            self.j.trash.mark(Person, [person.id], group)
        self.j.events.emit("person", person.id)
        self.j.events.emit("trash")
        return group
