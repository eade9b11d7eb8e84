"""Saved searches ("smart lists"): a name, a query, a place in the sidebar, a live count."""

from __future__ import annotations

from typing import TYPE_CHECKING

from peewee import fn

from journal.core.search.engine import SearchEngine
from journal.errors import NotFound, ValidationError
from journal.store.models import SavedSearch

if TYPE_CHECKING:
    from journal.core.journal import Journal


class SavedSearchService:
    def __init__(self, journal: Journal) -> None:
        self.j = journal
        self.engine = SearchEngine(journal)

    def all(self) -> list[SavedSearch]:
        m = self.j.models
        return list(m.SavedSearch.select().order_by(m.SavedSearch.position, m.SavedSearch.id))

    def get(self, search_id: int) -> SavedSearch:
        m = self.j.models
        found = m.SavedSearch.get_or_none(m.SavedSearch.id == search_id)
        if found is None:
            raise NotFound(f"There is no saved search #{search_id}.")
        return found

    def count(self, search_id: int) -> int:
        return self.engine.count(self.get(search_id).query)

    def create(self, name: str, query: str) -> SavedSearch:
        m = self.j.models
        name, query = self._name(name), self._query(query)
        self._unique(name)
        with self.j.write():
            last = m.SavedSearch.select(fn.max(m.SavedSearch.position)).scalar()
            saved = m.SavedSearch.create(name=name, query=query, position=(last or 0) + 1)
        return saved

    def rename(self, search_id: int, name: str) -> SavedSearch:
        m = self.j.models
        saved = self.get(search_id)
        name = self._name(name)
        self._unique(name, except_id=saved.id)
        with self.j.write():
            m.SavedSearch.update(name=name).where(m.SavedSearch.id == saved.id).execute()
        return self.get(saved.id)

    def set_query(self, search_id: int, query: str) -> SavedSearch:
        m = self.j.models
        saved = self.get(search_id)
        with self.j.write():
            m.SavedSearch.update(query=self._query(query)).where(
                m.SavedSearch.id == saved.id).execute()
        return self.get(saved.id)

    def delete(self, search_id: int) -> None:
        saved = self.get(search_id)
        with self.j.write():
            saved.delete_instance()

    @staticmethod
    def _name(name: str) -> str:
        name = " ".join(str(name or "").split())
        if not name:
            raise ValidationError("A saved search needs a name.", "name")
        return name

    @staticmethod
    def _query(query: str) -> str:
        query = " ".join(str(query or "").split())
        if not query:
            raise ValidationError("There is no query to save.", "query")
        return query

    def _unique(self, name: str, except_id: int | None = None) -> None:
        m = self.j.models
        clash = m.SavedSearch.select().where(m.SavedSearch.name == name)
        if except_id is not None:
            clash = clash.where(m.SavedSearch.id != except_id)
        if clash.exists():
            raise ValidationError(f"There is already a saved search called “{name}”.", "name")
