"""Films → Complete the catalogue…: every film missing credits or a poster, looked up in bulk.

For each film (in catalogue order, so a second run resumes where the first stopped):

1. its ids first — IMDb, TMDb, Wikidata, a Letterboxd film address: read straight from the source;
2. else its title (+ year, + director) searched and scored (``matching``);
3. a confident match is applied at once with the default ticks (empty fields filled, nothing the
   user typed replaced), poster included, in **one transaction per film**;
4. an uncertain one is kept aside (``outcome.candidates``) for the user to confirm or skip;
   nothing found is noted, and the film is not searched again by later runs.

Where each film was left is stored on it (``film.lookup_state``: ``tmdb:matched``, ``:uncertain``,
``:none``, ``:skipped``): a cancelled or killed run loses at most the film in hand, and the next
run goes on from there. A verified backup is made before the first write. A failing service
stops the run with one clear line — at once when there is no network, the key is refused or the
service rate-limits us for long; after three films in a row for server errors — and is never
retried for ever.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journal.core import posters
from journal.core.metadata import apply as applying
from journal.core.metadata.errors import (
    LookupCancelled,
    RateLimited,
    ServiceError,
    ServiceUnreachable,
)
from journal.core.metadata.lookups import (
    LocalLookups,
    LookupResult,
    Lookups,
    request_for,
)
from journal.core.metadata.record import Candidate, FilmRecord, Source

if TYPE_CHECKING:
    from journal.core.journal import Journal

log = logging.getLogger(__name__)

#: Server errors on this many films in a row stop the run.
MAX_FAILURES_IN_A_ROW = 3
DONE_STATES = ("matched", "none", "skipped")


@dataclass
class FilmOutcome:
    film_id: int
    title: str
    year: int | None
    outcome: str          # "applied", "uncertain", "none", "failed" (dry run: "would apply")
    how: str = ""         # "IMDb id", "title and year", …
    fields: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    record: FilmRecord | None = None

    def label(self) -> str:
        return f"{self.title} ({self.year})" if self.year else self.title

    def as_dict(self) -> dict[str, Any]:
        return {"film_id": self.film_id, "title": self.title, "year": self.year,
                "outcome": self.outcome, "how": self.how, "fields": self.fields,
                "notes": self.notes,
                "match": self.record.as_dict() if self.record else None,
                "candidates": [c.as_dict() for c in self.candidates]}


@dataclass
class RunSummary:
    source: str
    total: int = 0
    outcomes: list[FilmOutcome] = field(default_factory=list)
    cancelled: bool = False
    stopped_by: str = ""          # the error that stopped the run, in words
    backup: Path | None = None
    requests: int = 0
    seconds: float = 0.0
    dry_run: bool = False

    def count(self, outcome: str) -> int:
        return sum(1 for o in self.outcomes if o.outcome == outcome)

    @property
    def uncertain(self) -> list[FilmOutcome]:
        return [o for o in self.outcomes if o.outcome == "uncertain"]

    def message(self) -> str:
        done = len(self.outcomes)
        applied = self.count("would apply" if self.dry_run else "applied")
        verb = "would be completed" if self.dry_run else "completed"
        parts = [f"{applied:,} film{'s' if applied != 1 else ''} {verb} from {self.source}"]
        if self.count("uncertain"):
            parts.append(f"{self.count('uncertain'):,} to confirm")
        if self.count("none"):
            parts.append(f"{self.count('none'):,} not found")
        if self.count("failed"):
            parts.append(f"{self.count('failed'):,} failed")
        text = ", ".join(parts) + f" ({done:,} of {self.total:,} looked up)."
        if self.cancelled:
            text += " Cancelled: run it again to go on from here."
        if self.stopped_by:
            text += f" Stopped: {self.stopped_by} Run it again later to go on from here."
        return text

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "total": self.total, "looked_up": len(self.outcomes),
                "applied": self.count("applied"), "would_apply": self.count("would apply"),
                "uncertain": self.count("uncertain"), "none": self.count("none"),
                "failed": self.count("failed"), "cancelled": self.cancelled,
                "stopped_by": self.stopped_by or None,
                "backup": str(self.backup) if self.backup else None,
                "requests": self.requests, "dry_run": self.dry_run,
                "films": [o.as_dict() for o in self.outcomes]}


def _to_complete_query(journal: Journal, source: str) -> Any:
    m = journal.models
    credited = (m.Credit.select(m.Credit.film).join(m.Person)
                .where(m.Person.deleted_at.is_null()))
    has_director = credited.where(m.Credit.role == "director")
    has_cast = credited.where(m.Credit.role == "cast")
    settled = [f"{source}:{state}" for state in DONE_STATES]
    query = (m.Film.select(m.Film.id).where(
        m.Film.deleted_at.is_null(),
        (m.Film.lookup_state.is_null()) | (m.Film.lookup_state.not_in(settled)),
        (m.Film.poster.is_null()) | (m.Film.id.not_in(has_director))
        | (m.Film.id.not_in(has_cast)))
        .order_by(m.Film.id))
    return query


def films_to_complete(journal: Journal, source: str) -> list[int]:
    """Live films missing directors, cast or a poster that this source has not settled yet."""
    return [film_id for (film_id,) in _to_complete_query(journal, source).tuples()]


def count_to_complete(journal: Journal, source: str) -> int:
    return int(_to_complete_query(journal, source).order_by().count())


class _Coalesced:
    """Holds the run's change events and sends them at most every ``every`` seconds: the pages
    that follow changes (Films, People, Statistics) reload once a second, not once a film."""

    def __init__(self, journal: Journal, every: float) -> None:
        self.events, self.every = journal.events, every
        self.batch: Any = None
        self.since = time.monotonic()
        self._open()

    def _open(self) -> None:
        if self.every > 0:
            self.batch = self.events.batch()
            self.batch.__enter__()
            self.since = time.monotonic()

    def tick(self) -> None:
        if self.batch is not None and time.monotonic() - self.since >= self.every:
            self.close()
            self._open()

    def close(self) -> None:
        if self.batch is not None:
            batch, self.batch = self.batch, None
            batch.__exit__(None, None, None)


class CatalogueCompleter:
    """Runs "Complete the catalogue" for one source. Thread: whichever calls ``run``.

    The lookups go through ``lookups`` when given (the window's child process), else through
    ``source`` in this thread (``LocalLookups``); confirming a film always uses ``source``."""

    def __init__(self, journal: Journal, source: Source | None = None, *,
                 lookups: Lookups | None = None, scaler: posters.Scaler | None = None,
                 dry_run: bool = False, backup: bool = True,
                 progress: Callable[[int, int, str], None] | None = None,
                 on_outcome: Callable[[FilmOutcome], None] | None = None,
                 cancel: Any = None, flush_every: float = 1.0) -> None:
        if lookups is None:
            if source is None:
                raise TypeError("CatalogueCompleter needs a source or lookups")
            lookups = LocalLookups(source, scaler)
        self.j, self.source, self.lookups, self.scaler = journal, source, lookups, scaler
        self.name, self.label = lookups.name, lookups.label
        #: Change events are sent at most this often (seconds) while the run goes; 0: at once.
        self.flush_every = flush_every
        self.dry_run, self.backup = dry_run, backup
        self.progress, self.on_outcome, self.cancel = progress, on_outcome, cancel

    def _cancelled(self) -> bool:
        return bool(self.cancel is not None and self.cancel.cancelled)

    def run(self, film_ids: list[int] | None = None, limit: int | None = None) -> RunSummary:
        started, sent_before = time.monotonic(), self.lookups.requests_sent()
        ids = films_to_complete(self.j, self.name) if film_ids is None else film_ids
        if limit is not None:
            ids = ids[:max(0, limit)]
        summary = RunSummary(self.label, total=len(ids), dry_run=self.dry_run)
        if ids and not self.dry_run and self.backup:
            summary.backup = self.j.backup("before-metadata")
        events = _Coalesced(self.j, self.flush_every)
        try:
            self._loop(ids, summary, events)
        finally:
            events.close()
        summary.requests = self.lookups.requests_sent() - sent_before
        summary.seconds = time.monotonic() - started
        return summary

    def _loop(self, ids: list[int], summary: RunSummary, events: _Coalesced) -> None:
        in_a_row = 0
        requests = (request_for(self.j, film_id, dry_run=self.dry_run) for film_id in ids)
        results = self.lookups.stream(requests)
        try:
            for done, film_id in enumerate(ids):
                if self._cancelled():
                    summary.cancelled = True
                    return
                if self.progress is not None:
                    self.progress(done, len(ids), "")
                try:
                    outcome = self.settle(next(results))
                    in_a_row = 0
                except LookupCancelled:
                    summary.cancelled = True
                    return
                except ServiceError as exc:
                    film = self.j.models.Film.get_by_id(film_id)
                    outcome = FilmOutcome(film_id, film.title, film.year, "failed",
                                          notes=[exc.message])
                    in_a_row += 1
                    stop = (not exc.transient or isinstance(exc, (ServiceUnreachable,
                                                                  RateLimited))
                            or in_a_row >= MAX_FAILURES_IN_A_ROW)
                    if stop:
                        summary.outcomes.append(outcome)
                        summary.stopped_by = exc.message
                        return
                summary.outcomes.append(outcome)
                events.tick()
                if self.on_outcome is not None:
                    self.on_outcome(outcome)
                if self.progress is not None:
                    self.progress(done + 1, len(ids), outcome.label())
        finally:
            close = getattr(results, "close", None)
            if close is not None:
                close()

    def settle(self, result: LookupResult) -> FilmOutcome:
        """What a lookup found, written to the journal: a confident match applied (empty
        fields only) in one transaction; otherwise the film's lookup state. Raises the lookup's
        service error."""
        if result.error is not None:
            raise result.error
        film_id, record = result.film_id, result.record
        film = self.j.models.Film.get_by_id(film_id)
        if record is None:
            outcome = FilmOutcome(film_id, film.title, film.year,
                                  "uncertain" if result.candidates else "none",
                                  candidates=result.candidates)
            if not self.dry_run:
                applying.set_state(self.j, film_id, f"{self.name}:{outcome.outcome}")
            return outcome
        if self.dry_run:
            fields = applying.default_fields(self.j, film_id, record, film)
            return FilmOutcome(film_id, film.title, film.year, "would apply", result.how, fields,
                               record=record)
        return self.write(film_id, record, result.how, result.poster, result.poster_note)

    def write(self, film_id: int, record: FilmRecord, how: str,
              poster: applying.PreparedPoster | None = None,
              poster_note: str = "") -> FilmOutcome:
        """Fill in the film's empty fields from ``record`` (``poster``: downloaded before).
        What is empty is decided inside the same transaction as the writing: a field the user
        saves meanwhile is seen, and kept."""
        notes = [poster_note] if poster_note else []
        # the change events wait for the commit: a page reloading on them must see the film
        with self.j.events.batch(), self.j.write():
            film = self.j.models.Film.get_by_id(film_id)
            fields = applying.default_fields(self.j, film_id, record, film)
            if poster is None and "poster" in fields:
                fields.remove("poster")  # not downloaded: the film had one when it was looked up
            notes += applying.apply_record(self.j, film_id, record, fields, poster=poster,
                                           state=f"{self.name}:matched")
            if {"title", "year"} & set(fields):
                film = self.j.models.Film.get_by_id(film_id)
        return FilmOutcome(film_id, film.title, film.year, "applied", how, fields, notes,
                           record=record)

    def confirm(self, film_id: int, candidate: Candidate) -> FilmOutcome:
        """The user chose this candidate for an uncertain film: apply it (default ticks)."""
        if self.source is None:
            raise TypeError("confirming needs a source")
        record = candidate.record or self.source.details(candidate.key)
        if record is None:
            raise ServiceError(self.label, f"{self.label} no longer has "
                                           f"“{candidate.title}”.")
        poster, note = None, ""
        if record.poster_url and self.j.models.Film.get_by_id(film_id).poster_id is None:
            poster, note = applying.fetch_poster(self.source, record, self.scaler)
        return self.write(film_id, record, "chosen by you", poster, note)

    def skip(self, film_id: int) -> None:
        """The user said none of the candidates is the film: not asked again by this source."""
        applying.set_state(self.j, film_id, f"{self.name}:skipped")
