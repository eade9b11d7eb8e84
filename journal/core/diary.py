"""Viewings (the diary, rewatches included) and the watchlist."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from peewee import JOIN

from journal.core.values import PartialDate
from journal.errors import NotFound, ValidationError
from journal.store.models import MEDIA, Viewing, WatchlistEntry

if TYPE_CHECKING:
    from journal.core.journal import Journal


def _clean_medium(medium: str | None) -> str | None:
    if medium in (None, ""):
        return None
    key = str(medium).lower().replace("-", "").replace(" ", "")
    key = {"blu-ray": "bluray", "theatre": "cinema", "theater": "cinema"}.get(key, key)
    if key not in MEDIA:
        raise ValidationError(
            f"“{medium}” is not a medium: choose cinema, Blu-ray, DVD, streaming, TV or other.",
            "medium")
    return key


def earlier_viewing_exists(viewing: Viewing) -> bool:
    """Whether another live viewing of the same film comes before this one.

    Undated viewings ("seen it") count as earlier than any dated one; between equal dates the
    one logged first comes first. The query runs on the viewing's own class, that is on the
    journal it was read from.
    """
    model: Any = type(viewing)
    others = model.select().where(model.film == viewing.film_id, model.id != viewing.id,
                                  model.deleted_at.is_null())
    if viewing.watched_on is None:
        return others.where(model.watched_on.is_null(), model.id < viewing.id).exists()
    return others.where(
        model.watched_on.is_null()
        | (model.watched_on < viewing.watched_on)
        | ((model.watched_on == viewing.watched_on) & (model.id < viewing.id))).exists()


def is_rewatch(viewing: Viewing) -> bool:
    return bool(viewing.rewatch_flag) or earlier_viewing_exists(viewing)


class ViewingService:
    def __init__(self, journal: Journal) -> None:
        self.j = journal

    def get(self, viewing_id: int) -> Viewing:
        m = self.j.models
        viewing = m.Viewing.get_or_none(m.Viewing.id == viewing_id)
        if viewing is None or viewing.deleted_at is not None:
            raise NotFound(f"There is no viewing #{viewing_id}.")
        return viewing

    def live(self) -> Any:
        m = self.j.models
        return m.Viewing.select().where(m.Viewing.deleted_at.is_null())

    def log(self, film_id: int, watched_on: str | PartialDate | dt.date | None = None, *,
            medium: str | None = None, venue: str = "", companions: str = "", note: str = "",
            rewatch: bool = False, source_key: str | None = None,
            today: dt.date | None = None) -> Viewing:
        m = self.j.models
        film = self.j.films.get(film_id)
        date = PartialDate.parse(watched_on, today=today)
        with self.j.write():
            viewing = m.Viewing.create(film=film.id, watched_on=date.iso() if date else None,
                                     medium=_clean_medium(medium), venue=venue.strip(),
                                     companions=companions.strip(),
                                     note=note, rewatch_flag=rewatch, source_key=source_key)
        self.j.events.emit("viewing", viewing.id)
        return viewing

    def update(self, viewing_id: int, *, today: dt.date | None = None, **fields: Any) -> Viewing:
        m = self.j.models
        viewing = self.get(viewing_id)
        values: dict[str, Any] = {}
        if "watched_on" in fields:
            date = PartialDate.parse(fields["watched_on"], today=today)
            values["watched_on"] = date.iso() if date else None
        if "medium" in fields:
            values["medium"] = _clean_medium(fields["medium"])
        for key in ("venue", "companions", "note"):
            if key in fields:
                values[key] = fields[key] or ""
        if "rewatch" in fields:
            values["rewatch_flag"] = bool(fields["rewatch"])
        if "film_id" in fields:
            values["film"] = self.j.films.get(fields["film_id"]).id
        with self.j.write():
            m.Viewing.update(**values).where(m.Viewing.id == viewing.id).execute()
        self.j.events.emit("viewing", viewing.id)
        return self.get(viewing.id)

    def for_film(self, film_id: int) -> list[Viewing]:
        """The film's viewings in the order they happened (undated first)."""
        m = self.j.models
        rows = self.live().where(m.Viewing.film == film_id)
        return sorted(rows, key=lambda v: (v.watched_on is not None, v.watched_on or "", v.id))

    def diary(self, limit: int | None = None) -> list[Viewing]:
        """All viewings, newest first (undated last), with their films."""
        m = self.j.models
        query = (m.Viewing.select(m.Viewing, m.Film).join(m.Film)
                 .where(m.Viewing.deleted_at.is_null(), m.Film.deleted_at.is_null())
                 .order_by(m.Viewing.watched_on.is_null(), m.Viewing.watched_on.desc(),
                           m.Viewing.id.desc()))
        return list(query.limit(limit) if limit else query)

    def delete(self, viewing_id: int) -> str:
        viewing = self.get(viewing_id)
        group = self.j.trash.new_group()
        with self.j.write():
            self.j.trash.mark(self.j.models.Viewing, [viewing.id], group)
        self.j.events.emit("viewing", viewing.id)
        self.j.events.emit("trash")
        return group


class WatchlistService:
    def __init__(self, journal: Journal) -> None:
        self.j = journal

    def add(self, film_id: int, *, note: str = "", recommended_by: str = "", priority: int = 0,
            added_at: dt.datetime | None = None, source_key: str | None = None) -> WatchlistEntry:
        m = self.j.models
        film = self.j.films.get(film_id)
        with self.j.write():
            entry = m.WatchlistEntry.get_or_none(m.WatchlistEntry.film == film.id)
            if entry is None:
                entry = m.WatchlistEntry.create(film=film.id, note=note,
                                              recommended_by=recommended_by,
                                              priority=int(priority), source_key=source_key,
                                              added_at=added_at or dt.datetime.now())
            else:
                m.WatchlistEntry.update(note=note or entry.note,
                                      recommended_by=recommended_by or entry.recommended_by,
                                      priority=int(priority)).where(
                    m.WatchlistEntry.id == entry.id).execute()
        self.j.events.emit("watchlist", entry.id)
        return m.WatchlistEntry.get_by_id(entry.id)

    def entries(self, order: str = "priority") -> list[WatchlistEntry]:
        m = self.j.models
        query = (m.WatchlistEntry.select(m.WatchlistEntry, m.Film)
                 .join(m.Film, JOIN.INNER).where(m.Film.deleted_at.is_null()))
        if order == "priority":
            query = query.order_by(m.WatchlistEntry.priority.desc(), m.WatchlistEntry.added_at)
        else:
            query = query.order_by(m.WatchlistEntry.added_at.desc())
        return list(query)

    def remove(self, entry_id: int) -> None:
        m = self.j.models
        with self.j.write():
            m.WatchlistEntry.delete().where(m.WatchlistEntry.id == entry_id).execute()
        self.j.events.emit("watchlist", entry_id)

    def watched(self, entry_id: int, watched_on: str | dt.date | None = None,
                **viewing_fields: Any) -> Viewing:
        """Log a viewing (today unless told otherwise) and take the film off the watchlist."""
        m = self.j.models
        entry = m.WatchlistEntry.get_or_none(m.WatchlistEntry.id == entry_id)
        if entry is None:
            raise NotFound(f"There is no watchlist entry #{entry_id}.")
        with self.j.write():
            viewing = self.j.viewings.log(entry.film_id, watched_on or dt.date.today(),
                                          **viewing_fields)
            entry.delete_instance()
        self.j.events.emit("watchlist", entry_id)
        return viewing
