"""One film looked up for "Complete the catalogue", cut where a process boundary can pass.

A run has two halves. The *lookup* — network, JSON, matching, the poster downloaded and scaled —
needs nothing from the journal but a few facts about the film (``LookupRequest``) and gives back
plain data (``LookupResult``: the confident match, the candidates to confirm, the poster ready to
store, or the service's error). The *settling* — what to fill in, one transaction per film —
needs the journal and stays with its single writer (``bulk.CatalogueCompleter``).

``LocalLookups`` does the lookups in the calling thread (the command line). The window hands them
to a child process (``lookup_process.ChildLookups``), so that the Python they run never competes
with the window's thread for the GIL; both speak the same ``stream`` of requests and results,
and both dicts below are what crosses the pipe (JSON lines).
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from journal.core import posters
from journal.core.metadata import apply as applying
from journal.core.metadata.errors import (
    BadResponse,
    KeyRefused,
    RateLimited,
    ServiceError,
    ServiceFailed,
    ServiceTimeout,
    ServiceUnreachable,
)
from journal.core.metadata.matching import FilmFacts, decide, needs_directors
from journal.core.metadata.record import Candidate, FilmRecord, Source

if TYPE_CHECKING:
    from journal.core.journal import Journal

ID_LABELS = (("tmdb_id", "TMDb id"), ("imdb_id", "IMDb id"), ("wikidata_id", "Wikidata id"),
             ("letterboxd_uri", "Letterboxd address"))


@dataclass
class LookupRequest:
    """What the lookup needs to know of a film of the catalogue."""

    film_id: int
    title: str
    year: int | None = None
    original_title: str | None = None
    directors: list[str] = field(default_factory=list)
    imdb_id: str | None = None
    tmdb_id: str | None = None
    wikidata_id: str | None = None
    letterboxd_uri: str | None = None
    #: Download the match's poster (the film has none, and this is no dry run).
    want_poster: bool = True

    def facts(self) -> FilmFacts:
        return FilmFacts(self.title, self.year, self.original_title, list(self.directors))

    def ids(self) -> dict[str, str | None]:
        return {key: getattr(self, key) for key, _label in ID_LABELS}

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LookupRequest:
        return cls(**data)


def facts_of(journal: Journal, film_id: int) -> tuple[Any, FilmFacts]:
    m = journal.models
    film = m.Film.get_by_id(film_id)
    rows: Any = (m.Credit.select(m.Person.name).join(m.Person)
                 .where(m.Credit.film == film_id, m.Credit.role == "director",
                        m.Person.deleted_at.is_null())
                 .order_by(m.Credit.order, m.Credit.id).tuples())
    directors = [str(name) for (name,) in rows]
    return film, FilmFacts(film.title, film.year, film.original_title, directors)


def request_for(journal: Journal, film_id: int, *, dry_run: bool = False) -> LookupRequest:
    film, facts = facts_of(journal, film_id)
    return LookupRequest(film_id, facts.title, facts.year, facts.original_title, facts.directors,
                         film.imdb_id, film.tmdb_id, film.wikidata_id, film.letterboxd_uri,
                         want_poster=not dry_run and film.poster_id is None)


# ---------------------------------------------------------------------- results
_ERRORS: dict[str, type[ServiceError]] = {cls.__name__: cls for cls in (
    ServiceError, ServiceUnreachable, ServiceTimeout, RateLimited, ServiceFailed, BadResponse,
    KeyRefused)}


def error_as_dict(exc: ServiceError) -> dict[str, Any]:
    return {"kind": type(exc).__name__, "service": exc.service, "message": exc.message,
            "transient": exc.transient, "retry_after": getattr(exc, "retry_after", None)}


def error_from_dict(data: dict[str, Any]) -> ServiceError:
    """The same error class, message and ``transient`` as in the process that raised it."""
    cls = _ERRORS.get(str(data.get("kind")), ServiceError)
    service, message = str(data.get("service", "")), str(data.get("message", ""))
    exc = (RateLimited(service, message, data.get("retry_after")) if cls is RateLimited
           else cls(service, message))
    if bool(data.get("transient")) != exc.transient:
        exc.transient = bool(data.get("transient"))
    return exc


@dataclass
class LookupResult:
    """A film looked up: a confident ``record`` (with its ``poster`` made ready to store), or
    ``candidates`` to confirm, or neither (not found), or the ``error`` that stopped it."""

    film_id: int
    how: str = ""
    record: FilmRecord | None = None
    candidates: list[Candidate] = field(default_factory=list)
    poster: applying.PreparedPoster | None = None
    poster_note: str = ""          # why the match's poster was not kept
    error: ServiceError | None = None

    def as_dict(self) -> dict[str, Any]:
        poster = self.poster
        return {
            "film_id": self.film_id, "how": self.how,
            "record": self.record.as_dict() if self.record else None,
            "candidates": [c.as_full_dict() for c in self.candidates],
            "poster": None if poster is None else {
                "data": base64.b64encode(poster.data).decode("ascii"), "mime": poster.mime,
                "width": poster.width, "height": poster.height},
            "poster_note": self.poster_note,
            "error": error_as_dict(self.error) if self.error else None}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LookupResult:
        poster = data.get("poster")
        return cls(
            int(data["film_id"]), str(data.get("how") or ""),
            FilmRecord.from_dict(data["record"]) if data.get("record") else None,
            [Candidate.from_dict(c) for c in data.get("candidates") or []],
            None if not poster else applying.PreparedPoster(
                base64.b64decode(poster["data"]), str(poster["mime"]), int(poster["width"]),
                int(poster["height"])),
            str(data.get("poster_note") or ""),
            error_from_dict(data["error"]) if data.get("error") else None)


# ---------------------------------------------------------------------- looking up
def match_film(source: Source, ids: dict[str, str | None],
               facts: FilmFacts) -> tuple[str, FilmRecord | None, list[Candidate]]:
    """(how, record, candidates): a record when confident; candidates when uncertain."""
    if any(ids.values()):
        record = source.find_by_ids(**ids)
        if record is not None:
            how = next((label for key, label in ID_LABELS
                        if ids[key] and (getattr(record, key, None) or "").rstrip("/")
                        == str(ids[key]).rstrip("/")), "id")
            return how, record, []
    candidates = source.search(facts.title, facts.year, details=0)
    for candidate in needs_directors(facts, candidates)[:3]:
        record = candidate.record or source.details(candidate.key)
        if record is not None:
            candidate.record, candidate.directors = record, list(record.directors)
    match = decide(facts, candidates)
    if match.outcome == "confident" and match.candidate is not None:
        record = match.record or source.details(match.candidate.key)
        return match.how, record, []
    if match.outcome == "uncertain":
        for candidate in match.candidates[:3]:  # directors and a thumbnail help the user choose
            if candidate.record is None:
                candidate.record = source.details(candidate.key)
                if candidate.record is not None:
                    candidate.directors = list(candidate.record.directors)
        return "", None, match.candidates
    return "", None, []


def look_up(source: Source, request: LookupRequest,
            scaler: posters.Scaler | None) -> LookupResult:
    """Match one film and, when confident, fetch its poster. A service's error comes back in
    the result (``LookupCancelled`` is raised)."""
    try:
        how, record, candidates = match_film(source, request.ids(), request.facts())
        result = LookupResult(request.film_id, how, record, candidates)
        if record is not None and request.want_poster:
            result.poster, result.poster_note = applying.fetch_poster(source, record, scaler)
        return result
    except ServiceError as exc:
        return LookupResult(request.film_id, error=exc)


class Lookups(Protocol):
    """Where a run's lookups happen. ``stream`` gives one result per request, in order."""

    name: str
    label: str

    def stream(self, requests: Iterable[LookupRequest]) -> Iterator[LookupResult]: ...

    def requests_sent(self) -> int: ...

    def close(self) -> None: ...


class LocalLookups:
    """Lookups in the calling thread, through ``source``."""

    def __init__(self, source: Source, scaler: posters.Scaler | None = None) -> None:
        self.source, self.scaler = source, scaler
        self.name, self.label = source.name, source.label

    def stream(self, requests: Iterable[LookupRequest]) -> Iterator[LookupResult]:
        for request in requests:
            yield look_up(self.source, request, self.scaler)

    def requests_sent(self) -> int:
        return int(getattr(getattr(self.source, "http", None), "sent", 0))

    def close(self) -> None:
        """The source belongs to whoever made it."""
