"""Catalogue look-ups: what is offered, asked and said, pinned in full.

Written from the survivors of the core's mutation sample (docs/testing.md, "Mutation
testing"): each test fails with its mutant's edit put back. The services are the local
stand-ins of ``metadata_helpers`` on 127.0.0.1.
"""

from __future__ import annotations

import pytest

from journal.core.metadata import apply as applying
from journal.core.metadata import make_source
from journal.core.metadata.cache import ResponseCache
from journal.core.metadata.errors import RateLimited
from journal.core.metadata.matching import FilmFacts, decide
from journal.core.metadata.record import Candidate, FilmRecord

KEY = "test-key-0123456789abcdef"


@pytest.fixture
def cache(tmp_path):
    c = ResponseCache(tmp_path / "cache.sqlite")
    yield c
    c.close()


def test_values_that_differ_only_in_case_or_spaces_are_not_offered(journal):
    film = journal.films.create("her", 2013, countries="united  states", genres="drama",
                                tmdb_id="152601")
    record = FilmRecord("tmdb", "152601", "Her", year=2013, countries=["United States"],
                        genres=["Drama", "Romance"], tmdb_id="152601")
    offered = applying.changes(applying.current_values(journal, film.id), record)
    assert [(c.name, c.current, c.proposed, c.tick) for c in offered] == [
        ("genres", "drama", "Drama, Romance", False)]


def test_a_confident_match_carries_the_candidates_record():
    record = FilmRecord("tmdb", "1", "Her", year=2013)
    candidate = Candidate("tmdb", "1", "Her", 2013, ["Spike Jonze"], None, record=record)
    match = decide(FilmFacts("Her", 2013), [candidate])
    assert (match.outcome, match.how, match.record) == ("confident", "title and year", record)


def test_a_wait_of_ninety_minutes_is_said_in_hours(metadata_server, cache):
    from metadata_helpers import Fault

    metadata_server.faults.append(Fault(where="/3/search/movie", status=429,
                                        headers={"Retry-After": "5400"}))
    with pytest.raises(RateLimited) as caught:
        make_source("tmdb", key=KEY, cache=cache).search("Stalker", details=0)
    assert caught.value.message == ("TMDb is rate-limiting requests and asks to wait 2 hours; "
                                    "try again later.")


def test_the_services_are_asked_for_json(metadata_server, cache):
    make_source("wikidata", cache=cache).search("Mirror")
    assert metadata_server.requests[0].headers["Accept"] == "application/json"


def test_a_search_hit_shows_an_original_title_only_when_it_differs(metadata_server, cache):
    hits = make_source("tmdb", key=KEY, cache=cache).search("Her", 2013, details=0)
    assert [(h.title, h.original_title) for h in hits] == [("Her", None)]


def test_a_lookup_as_json_lists_each_candidates_directors(metadata_server, monkeypatch, capsys):
    """What a script reads from ``eyelights films lookup --json`` (run in this process, so
    that mutation testing sees it; tests/test_metadata_cli.py runs the command itself)."""
    import json

    from journal.cli import main

    monkeypatch.setenv("EYELIGHTS_TMDB_KEY", KEY)
    assert main(["films", "lookup", "Nosferatu", "--source", "tmdb", "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert [(h["key"], h["title"], h["year"], h["directors"]) for h in hits] == [
        ("653", "Nosferatu", 1922, ["F. W. Murnau"]),
        ("426063", "Nosferatu", 2024, ["Robert Eggers"]),
        ("6404", "Nosferatu the Vampyre", 1979, ["Werner Herzog"])]


def test_a_film_s_own_poster_is_offered_for_replacing_unticked_and_never_by_default(journal):
    film = journal.films.create("Mirror", 1975)
    journal.films.set_poster(film.id, b"\x89PNG mine", "image/png", 20, 30)
    record = FilmRecord("wikidata", "Q1", "Mirror", year=1975, poster_url="http://x/p.jpg")
    offered = applying.changes(applying.current_values(journal, film.id), record)
    assert [(c.name, c.current, c.proposed, c.tick) for c in offered
            if c.name == "poster"] == [("poster", "a poster", "the source's poster", False)]
    assert "poster" not in applying.default_fields(journal, film.id, record)
    bare = journal.films.create("Nostalghia", 1983)
    assert "poster" in applying.default_fields(journal, bare.id, record)
