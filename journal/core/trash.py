"""The Trash: deleted records stay until the Trash is emptied, and are restored by group."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from journal.core.events import Changes
from journal.errors import NotFound
from journal.store.models import Review, Viewing

if TYPE_CHECKING:
    from journal.core.journal import Journal


@dataclass
class TrashGroup:
    group: str
    deleted_at: dt.datetime
    counts: dict[str, int]
    label: str


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

    def groups(self) -> list[TrashGroup]:
        m = self.j.models
        found: dict[str, TrashGroup] = {}
        for model in m.trashable:
            for row in model.select().where(model.deleted_at.is_null(False)):
                g = found.setdefault(row.trash_group, TrashGroup(row.trash_group, row.deleted_at,
                                                                 {}, ""))
                g.counts[model.__name__.lower()] = g.counts.get(model.__name__.lower(), 0) + 1
                if not g.label or model in (m.Film, m.Person):
                    g.label = _label(row)
        return sorted(found.values(), key=lambda g: g.deleted_at, reverse=True)

    def restore(self, group: str) -> None:
        trashable = self.j.models.trashable
        if not any(t.select().where(t.trash_group == group).exists() for t in trashable):
            raise NotFound("That item is no longer in the Trash.")
        with self.j.write():
            for model in trashable:
                model.update(deleted_at=None, trash_group=None).where(
                    model.trash_group == group).execute()
        self.j.events.emit(Changes.of(films=True, people=True, viewings=True, reviews=True,
                                      comments=True, trash=True))

    def empty(self) -> int:
        """Delete for good everything in the Trash; returns the number of records removed."""
        m = self.j.models
        removed = 0
        with self.j.write():
            # Children first so that foreign keys (RESTRICT) never refuse.
            first = (m.Review, m.Viewing)
            for model in (*first, *[t for t in m.trashable if t not in first]):
                removed += model.delete().where(model.deleted_at.is_null(False)).execute()
        self.j.events.emit(Changes.of(trash=True))
        return removed


def _label(row: Any) -> str:
    for attr in ("title", "name", "author"):
        value = getattr(row, attr, None)
        if value:
            return str(value)
    if isinstance(row, Review):
        return f"Review of {row.film.title}"
    if isinstance(row, Viewing):
        return f"Viewing of {row.film.title}"
    return f"{type(row).__name__} #{row.id}"
