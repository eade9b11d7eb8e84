"""Completing the catalogue from TMDb and Wikidata: behaviour that the seed-17 mutation sample of
the core found untested (docs/testing.md, "Mutation testing"). Each test failed with its mutant
switched on."""

from __future__ import annotations

import pytest

from journal.core.metadata.bulk import FilmOutcome, RunSummary
from journal.core.metadata.lookups import facts_of, request_for
from journal.core.metadata.matching import FilmFacts, decide
from journal.core.metadata.record import Candidate, FilmRecord


def test_how_a_confident_match_was_made_is_said_exactly():
    jonze = Candidate("tmdb", "1", "Her", 2013, ["Spike Jonze"])
    assert decide(FilmFacts("Her", 2013, None, ["Spike Jonze"]), [jonze]).how == (
        "title, year and director")
    assert decide(FilmFacts("Her", 2014, None, ["Spike Jonze"]), [jonze]).how == (
        "title and director")
    assert decide(FilmFacts("Her", 2013), [jonze]).how == "title and year"


def test_only_directors_are_matched_as_directors(journal):
    film = journal.films.create("Her", 2013, directors=["Spike Jonze"])
    journal.people.add_credit(film.id, "Joaquin Phoenix", "cast", character="Theodore")
    journal.people.add_credit(film.id, "Gone Director", "director")
    journal.people.delete(journal.people.get_or_create("Gone Director").id)
    _film, facts = facts_of(journal, film.id)
    assert facts == FilmFacts("Her", 2013, None, ["Spike Jonze"])


def test_a_dry_run_downloads_no_poster(journal):
    film = journal.films.create("Her", 2013)
    assert request_for(journal, film.id).want_poster is True
    assert request_for(journal, film.id, dry_run=True).want_poster is False


def test_a_dry_run_says_what_would_be_completed():
    outcomes = [FilmOutcome(1, "Her", 2013, "would apply"),
                FilmOutcome(2, "Alien", 1979, "none")]
    summary = RunSummary("TMDb", total=2, outcomes=outcomes, dry_run=True)
    assert summary.message() == ("1 film would be completed from TMDb, 1 not found "
                                 "(2 of 2 looked up).")
    outcomes[0].outcome = "applied"
    summary.dry_run = False
    assert summary.message() == "1 film completed from TMDb, 1 not found (2 of 2 looked up)."


def test_a_candidate_as_the_command_line_prints_it():
    record = FilmRecord("tmdb", "152601", "Her", year=2013)
    hit = Candidate("tmdb", "152601", "Her", 2013, ["Spike Jonze"], "Her", "A lonely writer",
                    "https://image.example/w92/her.jpg", record)
    assert hit.as_dict() == {"source": "tmdb", "key": "152601", "title": "Her", "year": 2013,
                             "directors": ["Spike Jonze"], "original_title": "Her",
                             "description": "A lonely writer",
                             "thumbnail_url": "https://image.example/w92/her.jpg"}


def test_a_dry_run_of_the_completion_downloads_no_poster(metadata_server, journal, tmp_path):
    from journal.core.metadata import make_source
    from journal.core.metadata.bulk import CatalogueCompleter
    from journal.core.metadata.cache import ResponseCache

    her = journal.films.create("Her", 2013).id
    cache = ResponseCache(tmp_path / "cache.sqlite")
    try:
        tmdb = make_source("tmdb", key="test-key-0123456789abcdef", cache=cache)
        summary = CatalogueCompleter(journal, tmdb, dry_run=True, backup=False).run()
    finally:
        cache.close()
    assert [(o.film_id, o.outcome) for o in summary.outcomes] == [(her, "would apply")]
    asked = metadata_server.paths()
    assert asked and not [p for p in asked if p.endswith((".png", ".jpg"))]
    assert journal.models.Film.get_by_id(her).poster_id is None


def test_wikidata_answering_a_json_list_is_said_in_words(metadata_server, metadata_helpers,
                                                         tmp_path):
    from journal.core.metadata import make_source
    from journal.core.metadata.errors import BadResponse

    metadata_server.faults.append(metadata_helpers.Fault(where="/w/api.php", status=200,
                                                         body=b"[1, 2]", times=10))
    with pytest.raises(BadResponse) as odd:
        make_source("wikidata").search("Her")
    assert odd.value.message.endswith("Wikidata sent an answer its API does not document (not a "
                                      "JSON object); try again later.")


def test_tmdb_hits_carry_their_thumbnail_and_wikidata_records_their_id(metadata_server,
                                                                       tmp_path):
    from journal.core.metadata import make_source
    from journal.core.metadata.cache import ResponseCache

    cache = ResponseCache(tmp_path / "cache.sqlite")
    try:
        hits = make_source("tmdb", key="test-key-0123456789abcdef", cache=cache).search("Her")
        assert [(h.key, (h.thumbnail_url or "").rsplit("/t/p/", 1)[-1]) for h in hits] == [
            ("152601", "w92/her.jpg"), ("900001", "")]  # a poster's small size, else none
        record = make_source("wikidata", cache=cache).details("Q101")
        assert record.wikidata_id == "Q101"
    finally:
        cache.close()


def test_the_catalogues_language_follows_the_system_locale(monkeypatch):
    from journal.core.metadata.settings import system_language

    monkeypatch.setenv("LANGUAGE", "")
    monkeypatch.setenv("LC_ALL", "fr_FR.UTF-8")
    assert system_language() == "fr"
    monkeypatch.setenv("LC_ALL", "de_DE")
    assert system_language() == "de"


@pytest.mark.expect_log(r"cache: Metadata cache .*/not-a-folder/cache\.sqlite unavailable \(.*\): "
                        r"answers are kept in memory only$")
def test_a_cache_that_cannot_be_made_keeps_answers_in_memory(tmp_path):
    from journal.core.metadata.cache import ResponseCache

    (tmp_path / "not-a-folder").write_text("a file", encoding="utf-8")
    cache = ResponseCache(tmp_path / "not-a-folder" / "cache.sqlite")
    cache.put("GET https://example.org/a", "application/json", b"{}")
    assert cache.get("GET https://example.org/a") == ("application/json", b"{}")


def test_the_cache_is_pruned_to_four_fifths_least_recent_first(tmp_path):
    from journal.core.metadata.cache import ResponseCache

    ticks = iter(range(1, 10_000))
    cache = ResponseCache(tmp_path / "cache.sqlite", max_bytes=1000, clock=lambda: next(ticks))
    try:
        for n in range(500):  # 5,000 bytes; pruned at the 500th write
            cache.put(f"key {n}", "text/plain", b"0123456789")
        kept = [n for n in range(500) if cache.get(f"key {n}") is not None]
        assert kept == list(range(420, 500))  # 800 bytes: the 80 most recent
    finally:
        cache.close()


def test_catalogue_settings_are_kept_in_the_settings_file(tmp_path):
    from PySide6.QtCore import QSettings

    from journal.core.metadata.settings import CatalogueSettings, load, save

    path = str(tmp_path / "eyelights.ini")
    save(QSettings(path, QSettings.Format.IniFormat), CatalogueSettings("fr", "wikidata", False))
    assert load(QSettings(path, QSettings.Format.IniFormat)) == CatalogueSettings(
        "fr", "wikidata", False)


def test_a_keyring_that_refuses_the_tmdb_key_is_said_so(tmp_path):
    import keyring
    import keyring.backend
    from keyring.errors import PasswordSetError

    from journal.core.metadata.keys import KeyStorageError, KeyStore

    class Locked(keyring.backend.KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def get_password(self, service, username):
            return None

        def set_password(self, service, username, password):
            raise PasswordSetError("the keyring is locked")

        def delete_password(self, service, username):
            raise PasswordSetError("the keyring is locked")

    before = keyring.get_keyring()
    keyring.set_keyring(Locked())
    try:
        with pytest.raises(KeyStorageError) as refused:
            KeyStore(plain_file=tmp_path / "tmdb-key").set("0123456789abcdef")
    finally:
        keyring.set_keyring(before)
    assert str(refused.value) == ("The system keyring refused the TMDb key (the keyring is "
                                  "locked); it was not saved.")
    assert not (tmp_path / "tmdb-key").exists()


def test_an_applied_film_reports_the_record_it_took(metadata_server, journal, tmp_path):
    from journal.core.metadata import make_source
    from journal.core.metadata.bulk import CatalogueCompleter
    from journal.core.metadata.cache import ResponseCache

    journal.films.create("Her", 2013)
    cache = ResponseCache(tmp_path / "cache.sqlite")
    try:
        tmdb = make_source("tmdb", key="test-key-0123456789abcdef", cache=cache)
        [outcome] = CatalogueCompleter(journal, tmdb, backup=False).run().outcomes
    finally:
        cache.close()
    assert outcome.outcome == "applied"
    shown = outcome.as_dict()["match"]  # what `films complete --json` prints
    assert (shown["source"], shown["key"], shown["title"], shown["year"]) == (
        "tmdb", "152601", "Her", 2013)

