"""The Trash: deleted records stay until the Trash is emptied, and are restored by group.

Every delete sends its records to the Trash under one group (``trash_group``): a film with its
reviews and viewings, a review, a viewing, a person. ``groups()`` lists the groups, newest first,
each with what it holds; ``restore(group)`` brings a group back as one; ``empty()`` deletes
everything in the Trash for good. Queries go through the journal's own models.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from journal.core.values import display_partial
from journal.core.words import count, join_words
from journal.errors import NotFound

if TYPE_CHECKING:
    from journal.core.journal import Journal

#: The kinds of record, in the order a group lists them; (singular, plural) for the counts.
KIND_WORDS = {"film": ("film", "films"), "review": ("review", "reviews"),
              "viewing": ("viewing", "viewings"), "person": ("person", "people"),
              "comment": ("comment", "comments")}


@dataclass
class TrashItem:
    kind: str   # film, review, viewing, person, comment
    id: int
    label: str  # "Her (2013)", "Review of Her (2013)", "Viewing of Her (2013), 24 January 2014"


@dataclass
class TrashGroup:
    """What one delete sent to the Trash."""

    group: str
    deleted_at: dt.datetime
    counts: dict[str, int]
    label: str  # the film (or person) deleted, else the first item
    items: list[TrashItem] = field(default_factory=list)

    def summary(self) -> str:
        """"1 film, 2 reviews and 1 viewing"."""
        return join_words([count(self.counts[k], *KIND_WORDS[k]) for k in KIND_WORDS
                           if self.counts.get(k)])


@dataclass
class Restored:
    """What a restore brought back: the group, and the films its records needed (a review
    whose film had been deleted later, on its own)."""

    group: TrashGroup | None
    films: list[str] = field(default_factory=list)


def film_label(title: str, year: int | None) -> str:
    return f"{title} ({year})" if year else title


class TrashService:
    def __init__(self, journal: Journal) -> None:
        self.j = journal

    @staticmethod
    def new_group() -> str:
        return uuid.uuid4().hex

    def mark(self, model: Any, ids: list[int], group: str) -> None:
        """Within a write: send rows to the Trash under ``group``."""
        if ids:
            model.update(deleted_at=dt.datetime.now(), trash_group=group).where(
                model.id.in_(ids), model.deleted_at.is_null()).execute()

    # ------------------------------------------------------------------ reading
    def groups(self) -> list[TrashGroup]:
        """Every group in the Trash, newest first, with its items."""
        found: dict[str, TrashGroup] = {}
        rank = {kind: n for n, kind in enumerate(KIND_WORDS)}
        for kind, group, deleted_at, item in self._items():
            g = found.get(group)
            if g is None:
                g = found[group] = TrashGroup(group, deleted_at, {}, "")
            g.deleted_at = max(g.deleted_at, deleted_at)
            g.counts[kind] = g.counts.get(kind, 0) + 1
            g.items.append(item)
        for g in found.values():
            g.items.sort(key=lambda i: (rank[i.kind], i.label.casefold()))
            g.label = g.items[0].label if g.items else ""
        return sorted(found.values(), key=lambda g: g.deleted_at, reverse=True)

    def size(self) -> int:
        """How many records are in the Trash."""
        return sum(m.select().where(m.deleted_at.is_null(False)).count()
                   for m in self.j.models.trashable)

    def _items(self) -> list[tuple[str, str, dt.datetime, TrashItem]]:
        """(kind, group, deleted at, item) for every record in the Trash (where these are never
        null)."""
        m = self.j.models
        rows: list[Any] = []
        trashed = m.Film.deleted_at.is_null(False)
        for film in m.Film.select().where(trashed):
            rows.append(("film", film.trash_group, film.deleted_at,
                         TrashItem("film", film.id, film_label(film.title, film.year))))
        for person in m.Person.select().where(m.Person.deleted_at.is_null(False)):
            rows.append(("person", person.trash_group, person.deleted_at,
                         TrashItem("person", person.id, person.name)))
        for r in (m.Review.select(m.Review, m.Film).join(m.Film)
                  .where(m.Review.deleted_at.is_null(False))):
            of = film_label(r.film.title, r.film.year)
            titled = f": “{r.title}”" if r.title and r.title.strip() != r.film.title else ""
            rows.append(("review", r.trash_group, r.deleted_at,
                         TrashItem("review", r.id, f"Review of {of}{titled}")))
        for v in (m.Viewing.select(m.Viewing, m.Film).join(m.Film)
                  .where(m.Viewing.deleted_at.is_null(False))):
            when = display_partial(v.watched_on) or "date unknown"
            rows.append(("viewing", v.trash_group, v.deleted_at,
                         TrashItem("viewing", v.id,
                                   f"Viewing of {film_label(v.film.title, v.film.year)}, {when}")))
        for c in (m.Comment.select(m.Comment, m.Review, m.Film).join(m.Review).join(m.Film)
                  .where(m.Comment.deleted_at.is_null(False))):
            rows.append(("comment", c.trash_group, c.deleted_at,
                         TrashItem("comment", c.id, f"Comment by {c.author or 'Anonymous'} on "
                                   f"{film_label(c.review.film.title, c.review.film.year)}")))
        return rows

    # ------------------------------------------------------------------ writing
    def restore(self, group: str) -> Restored:
        """Bring back everything ``group`` holds, as one; and the films its reviews and
        viewings belong to when those were deleted since (else they would stay hidden)."""
        m = self.j.models
        if not any(t.select().where(t.trash_group == group).exists() for t in m.trashable):
            raise NotFound("That item is no longer in the Trash.")
        shown = next((g for g in self.groups() if g.group == group), None)
        films: list[str] = []
        with self.j.write():
            needed = (m.Film.select().where(
                m.Film.deleted_at.is_null(False), m.Film.trash_group != group,
                (m.Film.id.in_(m.Review.select(m.Review.film).where(m.Review.trash_group == group))
                 | m.Film.id.in_(m.Viewing.select(m.Viewing.film)
                                 .where(m.Viewing.trash_group == group)))))
            for film in needed:
                films.append(film_label(film.title, film.year))
                m.Film.update(deleted_at=None, trash_group=None).where(
                    m.Film.id == film.id).execute()
            for model in m.trashable:
                model.update(deleted_at=None, trash_group=None).where(
                    model.trash_group == group).execute()
        for kind in ("film", "person", "viewing", "review", "comment", "trash"):
            self.j.events.emit(kind)
        return Restored(shown, films)

    def empty(self) -> int:
        """Delete for good everything in the Trash; returns the number of records removed.
        A film still needed by a record outside the Trash stays there."""
        m = self.j.models
        removed = 0
        with self.j.write():
            # Children first so that foreign keys (RESTRICT) never refuse.
            first = (m.Comment, m.Review, m.Viewing)
            for model in (*first, *[t for t in m.trashable if t not in (*first, m.Film)]):
                removed += model.delete().where(model.deleted_at.is_null(False)).execute()
            removed += m.Film.delete().where(
                m.Film.deleted_at.is_null(False),
                m.Film.id.not_in(m.Review.select(m.Review.film)),
                m.Film.id.not_in(m.Viewing.select(m.Viewing.film))).execute()
        self.j.events.emit("trash")
        return removed
