"""Films, people and credits."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from peewee import fn

from journal.core import derive
from journal.core.values import fold, validate_year
from journal.core.words import count
from journal.errors import NotFound, Refused, ValidationError
from journal.store.models import (
    FILM_KINDS,
    ROLES,
    Credit,
    Film,
    Person,
    Poster,
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
        m = self.j.models
        film = m.Film.get_or_none(m.Film.id == film_id)
        if film is None or (film.deleted_at is not None and not include_deleted):
            raise NotFound(f"There is no film #{film_id}.")
        return film

    def live(self) -> Any:
        m = self.j.models
        return m.Film.select().where(m.Film.deleted_at.is_null())

    def count(self) -> int:
        return self.live().count()

    def find_match(self, title: str, year: int | None = None, *, imdb_id: str | None = None,
                   tmdb_id: str | None = None) -> tuple[Film | None, bool]:
        """The film this one would duplicate: (film, matched_by_id)."""
        m = self.j.models
        for field, value in ((m.Film.imdb_id, imdb_id), (m.Film.tmdb_id, tmdb_id)):
            if value:
                hit = self.live().where(field == str(value).strip()).first()
                if hit:
                    return hit, True
        query = self.live().where(m.Film.title_folded == fold(title))
        query = query.where(m.Film.year == year) if year else query
        return query.order_by(m.Film.id).first(), False

    def by_title(self, title: str, year: int | None = None) -> list[Film]:
        m = self.j.models
        query = self.live().where(m.Film.title_folded == fold(title))
        if year:
            query = query.where(m.Film.year == year)
        return list(query.order_by(m.Film.year, m.Film.id))

    def directors(self, film: Film | int) -> list[str]:
        m = self.j.models
        film_id = film if isinstance(film, int) else film.id
        return [c.person.name for c in m.Credit.select(m.Credit, m.Person).join(m.Person)
                .where(m.Credit.film == film_id, m.Credit.role == "director",
                       m.Person.deleted_at.is_null())
                .order_by(m.Credit.order, m.Credit.id)]

    def by_title_order(self) -> list[Film]:
        """Every live film, by title (as typed, then by id)."""
        m = self.j.models
        return list(self.live().order_by(m.Film.title, m.Film.id))

    def title_matches(self, text: str, limit: int = 30) -> list[Film]:
        """Live films whose folded title contains ``text`` folded, by title then year."""
        m = self.j.models
        return list(self.live().where(m.Film.title_folded.contains(fold(text)))
                    .order_by(m.Film.title_folded, m.Film.year).limit(limit))

    def poster(self, poster_id: int | None) -> Poster | None:
        """The stored image ``poster_id`` (a film's ``poster_id``), or None."""
        if poster_id is None:
            return None
        m = self.j.models
        return m.Poster.get_or_none(m.Poster.id == poster_id)

    def credits(self, film_id: int) -> list[Credit]:
        """The film's credits of live people (``credit.person`` loaded), by role then order."""
        m = self.j.models
        return list(m.Credit.select(m.Credit, m.Person).join(m.Person)
                    .where(m.Credit.film == film_id, m.Person.deleted_at.is_null())
                    .order_by(m.Credit.role, m.Credit.order, m.Credit.id))

    def mentioned_in(self, film_id: int) -> list[tuple[int, str]]:
        """(review id, label) of the live reviews whose body links to the film (backlinks);
        the label is the review's title, else "Review of <its film>"."""
        m = self.j.models
        rows: Any = (m.Review.select(m.Review.id, m.Review.title, m.Film.title.alias("film_title"))
                     .join(m.FilmLink, on=(m.FilmLink.review == m.Review.id))
                     .switch(m.Review).join(m.Film, on=(m.Review.film == m.Film.id))
                     .where(m.FilmLink.film == film_id, m.Review.deleted_at.is_null())
                     .distinct().order_by(m.Review.id).tuples())
        return [(rid, title or f"Review of {film_title}") for rid, title, film_title in rows]

    # ------------------------------------------------------------------ writing
    def create(self, title: str, year: int | None = None, *, directors: Iterable[str] = (),
               allow_duplicate: bool = False, source_key: str | None = None,
               **fields: Any) -> Film:
        m = self.j.models
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
            film = m.Film.create(source_key=source_key, **values)
            derive.relink_unresolved(self.j, film.title_folded)
            for order, name in enumerate(directors):
                self.j.people.add_credit(film.id, name, "director", order=order)
        self.j.events.emit("film", film.id)
        return film

    def update(self, film_id: int, **fields: Any) -> Film:
        m = self.j.models
        film = self.get(film_id)
        values = _clean_film_fields(fields)
        with self.j.write():
            values["updated_at"] = dt.datetime.now()
            m.Film.update(**values).where(m.Film.id == film.id).execute()
        self.j.events.emit("film", film.id)
        return self.get(film.id)

    def set_poster(self, film_id: int, data: bytes, mime: str, width: int, height: int) -> Poster:
        """Attach an image (already scaled by the caller); identical images are stored once."""
        m = self.j.models
        film = self.get(film_id)
        digest = hashlib.sha256(data).hexdigest()
        with self.j.write():
            poster = m.Poster.get_or_none(m.Poster.sha256 == digest)
            if poster is None:
                poster = m.Poster.create(sha256=digest, mime=mime, width=width, height=height,
                                       data=data)
            m.Film.update(poster=poster).where(m.Film.id == film.id).execute()
        self.j.events.emit("film", film.id)
        return poster

    def delete(self, film_id: int, *, with_reviews: bool = False) -> str:
        """Move a film to the Trash. A film with reviews or viewings is refused unless
        ``with_reviews``: then they go to the Trash with it, restorable together."""
        m = self.j.models
        film = self.get(film_id)
        reviews = m.Review.select().where(m.Review.film == film.id, m.Review.deleted_at.is_null())
        viewings = m.Viewing.select().where(m.Viewing.film == film.id, m.Viewing.deleted_at.is_null())
        n_reviews, n_viewings = reviews.count(), viewings.count()
        if (n_reviews or n_viewings) and not with_reviews:
            raise Refused(
                f"“{film.title}” has {count(n_reviews, 'review')} and "
                f"{count(n_viewings, 'viewing')}; "
                "delete them with it (they go to the Trash too) or keep the film.")
        group = self.j.trash.new_group()
        with self.j.write():
            self.j.trash.mark(m.Review, [r.id for r in reviews], group)
            self.j.trash.mark(m.Viewing, [v.id for v in viewings], group)
            self.j.trash.mark(m.Film, [film.id], group)
        self.j.events.emit("film", film.id)
        self.j.events.emit("trash")
        return group

    def merge(self, keep_id: int, other_id: int) -> Film:
        """Move every viewing, review, credit, mention and watchlist note of ``other`` onto
        ``keep``, fill ``keep``'s empty fields from ``other``, and send ``other`` to the Trash."""
        m = self.j.models
        keep, other = self.get(keep_id), self.get(other_id)
        if keep.id == other.id:
            raise ValidationError("A film cannot be merged with itself.")
        with self.j.write():
            m.Viewing.update(film=keep.id).where(m.Viewing.film == other.id).execute()
            m.Review.update(film=keep.id).where(m.Review.film == other.id).execute()
            m.FilmLink.update(film=keep.id).where(m.FilmLink.film == other.id).execute()
            for credit in m.Credit.select().where(m.Credit.film == other.id):
                exists = m.Credit.select().where(
                    m.Credit.film == keep.id, m.Credit.person == credit.person_id,
                    m.Credit.role == credit.role, m.Credit.character == credit.character).exists()
                if exists:
                    credit.delete_instance()
                else:
                    m.Credit.update(film=keep.id).where(m.Credit.id == credit.id).execute()
            other_entry = m.WatchlistEntry.get_or_none(m.WatchlistEntry.film == other.id)
            if other_entry is not None:
                if m.WatchlistEntry.select().where(m.WatchlistEntry.film == keep.id).exists():
                    other_entry.delete_instance()
                else:
                    m.WatchlistEntry.update(film=keep.id).where(
                        m.WatchlistEntry.id == other_entry.id).execute()
            fill = {name: getattr(other, name) for name in (
                "original_title", "year", "runtime_minutes", "letterboxd_uri", "synopsis",
                "imdb_id", "tmdb_id", "wikidata_id", "genres", "countries")
                if not getattr(keep, name) and getattr(other, name)}
            if keep.poster_id is None and other.poster_id is not None:
                fill["poster"] = other.poster_id
            if {"imdb_id", "tmdb_id", "wikidata_id"} & set(fill):  # unique: free them first
                m.Film.update(imdb_id=None, tmdb_id=None, wikidata_id=None).where(
                    m.Film.id == other.id).execute()
            if fill:
                m.Film.update(**fill).where(m.Film.id == keep.id).execute()
            self.j.trash.mark(m.Film, [other.id], self.j.trash.new_group())
        self.j.events.emit("film", keep.id, other.id)
        self.j.events.emit("viewing")
        self.j.events.emit("review")
        return self.get(keep.id)


class PersonService:
    def __init__(self, journal: Journal) -> None:
        self.j = journal

    def get(self, person_id: int) -> Person:
        m = self.j.models
        person = m.Person.get_or_none(m.Person.id == person_id)
        if person is None or person.deleted_at is not None:
            raise NotFound(f"There is no person #{person_id}.")
        return person

    def find(self, name: str) -> Person | None:
        m = self.j.models
        return (m.Person.select().where(m.Person.name_folded == fold(name),
                                      m.Person.deleted_at.is_null()).order_by(m.Person.id).first())

    def get_or_create(self, name: str) -> Person:
        m = self.j.models
        name = " ".join(name.split())
        if not name:
            raise ValidationError("A person needs a name.", "name")
        person = self.find(name)
        if person is None:
            with self.j.write():
                person = m.Person.create(name=name, name_folded=fold(name))
            self.j.events.emit("person", person.id)
        return person

    def complete(self, prefix: str, limit: int = 20) -> list[str]:
        """Names starting with (or containing a word starting with) ``prefix``, for completers."""
        m = self.j.models
        key = fold(prefix)
        if not key:
            return []
        query = (m.Person.select(m.Person.name).where(
            m.Person.deleted_at.is_null(),
            (m.Person.name_folded.startswith(key)) | (m.Person.name_folded.contains(" " + key)))
            .order_by(fn.length(m.Person.name), m.Person.name).limit(limit))
        return [p.name for p in query]

    def rename(self, person_id: int, name: str) -> Person:
        m = self.j.models
        person = self.get(person_id)
        name = " ".join(name.split())
        if not name:
            raise ValidationError("A person needs a name.", "name")
        with self.j.write():
            m.Person.update(name=name, name_folded=fold(name)).where(m.Person.id == person.id).execute()
        self.j.events.emit("person", person.id)
        return self.get(person.id)

    def add_credit(self, film_id: int, name: str, role: str, *, character: str | None = None,
                   order: int = 0) -> Credit:
        m = self.j.models
        if role not in ROLES:
            raise ValidationError(f"Unknown role “{role}”.", "role")
        with self.j.write():
            person = self.get_or_create(name)
            credit, _ = m.Credit.get_or_create(film=film_id, person=person.id, role=role,
                                             character=character or None,
                                             defaults={"order": order})
        self.j.events.emit("film", film_id)
        return credit

    def remove_credit(self, credit_id: int) -> None:
        m = self.j.models
        credit = m.Credit.get_or_none(m.Credit.id == credit_id)
        if credit is None:
            raise NotFound(f"There is no credit #{credit_id}.")
        with self.j.write():
            credit.delete_instance()
        self.j.events.emit("film", credit.film_id)

    def delete(self, person_id: int) -> str:
        person = self.get(person_id)
        group = self.j.trash.new_group()
        with self.j.write():
            self.j.trash.mark(self.j.models.Person, [person.id], group)
        self.j.events.emit("person", person.id)
        self.j.events.emit("trash")
        return group
