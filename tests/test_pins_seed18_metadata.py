"""Wikidata and TMDb through the local stand-in (tests/metadata_helpers.py): behaviour the seed-18
mutation sample of the core found untested (docs/testing.md, "Mutation testing"). Each test
failed with its mutant switched on."""

from __future__ import annotations

import json

import pytest

from journal.core.metadata import make_source
from journal.core.metadata.errors import BadResponse


def test_wikidata_candidates_carry_their_description_kind_and_cast_in_order(metadata_server):
    hits = make_source("wikidata").search("Her")
    assert [(h.key, h.description, h.record.kind) for h in hits] == [
        ("Q101", "2013 film by Spike Jonze", "feature"),
        ("Q102", "2016 short film by Maya Lind", "short")]
    assert [(c.name, c.order) for c in hits[0].record.cast][:4] == [
        ("Joaquin Phoenix", 0), ("Scarlett Johansson", 1), ("Amy Adams", 2), ("Rooney Mara", 3)]


def test_a_wikidata_search_answer_without_results_is_said_in_words(metadata_server,
                                                                   metadata_helpers):
    metadata_server.faults.append(metadata_helpers.Fault(
        where="wbsearchentities", status=200, body=b'{"search": 5}', times=10))
    with pytest.raises(BadResponse) as odd:
        make_source("wikidata").search("Alien")
    assert odd.value.message == "Wikidata's search answer has no list of results."


def test_a_tmdb_search_answer_without_results_is_said_in_words(metadata_server, metadata_helpers):
    metadata_server.faults.append(metadata_helpers.Fault(
        where="/search/movie", status=200, body=b'{"page": 1}', times=10))
    with pytest.raises(BadResponse) as odd:
        make_source("tmdb", key=metadata_helpers.TMDB_KEY).search("Alien")
    assert odd.value.message == "TMDb's search answer has no list of results."
    assert str(odd.value) == "TMDb's search answer has no list of results."


def test_wikidata_s_maxlag_answer_is_waited_for_and_asked_again(metadata_server, metadata_helpers):
    # Wikidata's "slow down" is HTTP 200 with an error object (mediawiki.org, Manual:Maxlag)
    lagging = {"error": {"code": "maxlag", "info": "Waiting for a database server: 6 seconds "
                         "lagged.", "lag": 6}}
    metadata_server.faults.append(metadata_helpers.Fault(
        where="wbsearchentities", status=200, headers={"Retry-After": "0"},
        body=json.dumps(lagging).encode(), times=1))
    hits = make_source("wikidata").search("Her")
    assert [h.key for h in hits] == ["Q101", "Q102"]
    searches = [r for r in metadata_server.requests
                if r.query.get("action") == "wbsearchentities"]
    assert len(searches) == 2  # the lagging answer, then the real one


def test_tmdb_candidates_carry_their_source_and_overview(metadata_server, metadata_helpers):
    hits = make_source("tmdb", key=metadata_helpers.TMDB_KEY).search("Her")
    assert [(h.source, h.key, h.description) for h in hits] == [
        ("tmdb", "152601", "In the not so distant future, Theodore, a lonely writer, purchases a "
         "newly developed operating system designed to meet the user's every needs."),
        ("tmdb", "900001", "A short film about a voice on the radio.")]


def test_the_lookup_process_asks_in_the_catalogue_s_language(metadata_server, metadata_helpers):
    from journal.core.metadata.lookup_process import ChildLookups
    from journal.core.metadata.lookups import LookupRequest

    lookups = ChildLookups("tmdb", key=metadata_helpers.TMDB_KEY, language="fr").start()
    try:
        result = next(lookups.stream([LookupRequest(1, "Her", 2013, want_poster=False)]))
        assert result.record.tmdb_id == "152601"
    finally:
        lookups.close()
    assert {r.query.get("language") for r in metadata_server.requests
            if r.path.startswith("/3/")} == {"fr"}


def test_an_error_from_the_lookup_process_keeps_whether_it_is_transient():
    from journal.core.metadata.errors import KeyRefused
    from journal.core.metadata.lookups import error_as_dict, error_from_dict

    sent = KeyRefused("TMDb", "TMDb refused the key.")
    sent.transient = True  # not the class's default: the child said so
    back = error_from_dict(error_as_dict(sent))
    assert (type(back), back.message, back.transient) == (KeyRefused, "TMDb refused the key.",
                                                          True)


def test_a_dry_run_says_how_each_film_was_matched(metadata_server, metadata_helpers, journal,
                                                  tmp_path):
    from journal.core.metadata.bulk import CatalogueCompleter
    from journal.core.metadata.cache import ResponseCache

    journal.films.create("Her", 2013, directors=["Spike Jonze"])
    cache = ResponseCache(tmp_path / "cache.sqlite")
    try:
        tmdb = make_source("tmdb", key=metadata_helpers.TMDB_KEY, cache=cache)
        summary = CatalogueCompleter(journal, tmdb, dry_run=True, backup=False).run()
    finally:
        cache.close()
    assert [(o.outcome, o.how) for o in summary.outcomes] == [
        ("would apply", "title, year and director")]


def test_a_poster_that_cannot_be_downloaded_leaves_the_rest_applied(metadata_server,
                                                                    metadata_helpers, journal,
                                                                    tmp_path):
    from journal.core.metadata.bulk import CatalogueCompleter
    from journal.core.metadata.cache import ResponseCache

    metadata_server.faults.append(metadata_helpers.Fault(where="/t/p/", status=404, times=10))
    her = journal.films.create("Her", 2013, directors=["Spike Jonze"]).id
    cache = ResponseCache(tmp_path / "cache.sqlite")
    try:
        tmdb = make_source("tmdb", key=metadata_helpers.TMDB_KEY, cache=cache)
        summary = CatalogueCompleter(journal, tmdb, backup=False).run()
    finally:
        cache.close()
    [outcome] = summary.outcomes
    assert (outcome.outcome, outcome.fields, outcome.notes) == (
        "applied", ["runtime_minutes", "cast", "genres", "countries", "synopsis", "imdb_id",
                    "tmdb_id", "wikidata_id"],
        ["poster not kept: TMDb refused the request (HTTP 404 Not Found: The resource you "
         "requested could not be found.)."])
    assert journal.models.Film.get_by_id(her).poster_id is None
