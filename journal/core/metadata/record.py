"""What a metadata source gives: candidates for a title, and one film's record.

Plain data, the same for every source, so matching, the preview of changes and applying them do
not care where a record came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

#: How many cast members a record keeps ("top-billed").
TOP_CAST = 15


@dataclass(frozen=True)
class CastMember:
    name: str
    character: str | None = None
    order: int = 0


@dataclass
class FilmRecord:
    """One film as a source describes it. ``key`` identifies it in that source."""

    source: str              # "wikidata" or "tmdb"
    key: str                 # Q-id or TMDb id
    title: str
    original_title: str | None = None
    year: int | None = None
    directors: list[str] = field(default_factory=list)
    cast: list[CastMember] = field(default_factory=list)
    genres: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    runtime_minutes: int | None = None
    synopsis: str = ""
    poster_url: str | None = None
    wikidata_id: str | None = None
    imdb_id: str | None = None
    tmdb_id: str | None = None
    letterboxd_uri: str | None = None
    kind: str | None = None   # "feature", "short", "series" when the source says

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "key": self.key, "title": self.title,
                "original_title": self.original_title, "year": self.year,
                "directors": list(self.directors),
                "cast": [{"name": c.name, "character": c.character, "order": c.order}
                         for c in self.cast],
                "genres": list(self.genres), "countries": list(self.countries),
                "runtime_minutes": self.runtime_minutes, "synopsis": self.synopsis,
                "poster_url": self.poster_url, "wikidata_id": self.wikidata_id,
                "imdb_id": self.imdb_id, "tmdb_id": self.tmdb_id,
                "letterboxd_uri": self.letterboxd_uri, "kind": self.kind}


@dataclass
class Candidate:
    """One search hit: enough to tell films apart (title, year, director, a thumbnail)."""

    source: str
    key: str
    title: str
    year: int | None = None
    directors: list[str] = field(default_factory=list)
    original_title: str | None = None
    description: str = ""
    thumbnail_url: str | None = None
    #: The full record when the search already fetched it (saves a request when picked).
    record: FilmRecord | None = None

    def label(self) -> str:
        text = f"{self.title} ({self.year})" if self.year else self.title
        if self.directors:
            text += " — " + ", ".join(self.directors[:2])
        return text

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "key": self.key, "title": self.title, "year": self.year,
                "directors": list(self.directors), "original_title": self.original_title,
                "description": self.description, "thumbnail_url": self.thumbnail_url}


class Source(Protocol):
    """A metadata service. Implementations: ``WikidataSource``, ``TmdbSource``."""

    name: str      # "wikidata"
    label: str     # "Wikidata"

    def search(self, title: str, year: int | None = None, *, limit: int = 8,
               details: int = 5) -> list[Candidate]:
        """Films whose title matches, best first (may be empty); the first ``details`` carry
        their whole record (directors included)."""
        ...

    def details(self, key: str) -> FilmRecord | None:
        """The whole record of one film (None when the source no longer has it)."""
        ...

    def find_by_ids(self, *, wikidata_id: str | None = None, imdb_id: str | None = None,
                    tmdb_id: str | None = None,
                    letterboxd_uri: str | None = None) -> FilmRecord | None:
        """The film these ids name, when the source knows one of them."""
        ...

    def fetch_image(self, url: str) -> tuple[str, bytes]:
        """(MIME type, bytes) of a poster or thumbnail URL this source gave."""
        ...

    def close(self) -> None:
        ...
