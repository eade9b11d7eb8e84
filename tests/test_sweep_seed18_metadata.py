"""A sweep of journal/core/metadata without mutmut (docs/testing.md, "Mutation testing"): each
``raise`` and warning of the package read against its tests, and the messages no test asserted
whole, the limits no test took to the edge, asserted here through the local Wikidata/TMDb
stand-in (tests/metadata_helpers.py) and real files."""

from __future__ import annotations

import json
import sqlite3
import sys

import pytest

from journal.core.metadata import make_source
from journal.core.metadata.cache import ResponseCache
from journal.core.metadata.errors import BadResponse, RateLimited, ServiceFailed
from journal.core.metadata.http import HttpClient
from journal.core.metadata.lookup_process import ChildLookups, LookupProcessError
from journal.core.metadata.lookups import LookupRequest
from journal.errors import ValidationError


def test_an_unknown_source_names_the_choices_and_its_field():
    with pytest.raises(ValidationError) as refused:
        make_source("imdb")
    assert (str(refused.value), refused.value.field) == (
        "Unknown source “imdb”: choose wikidata or tmdb.", "source")


def test_rate_limited_after_every_try_says_how_many(metadata_server, metadata_helpers):
    metadata_server.faults.append(metadata_helpers.Fault(
        where="/search/movie", status=429, headers={"Retry-After": "0"}, times=10))
    with pytest.raises(RateLimited) as caught:
        make_source("tmdb", key=metadata_helpers.TMDB_KEY, retries=1).search("Her")
    assert caught.value.message == ("TMDb is still rate-limiting requests after 2 tries; try "
                                    "again later.")


def test_a_refused_request_gives_tmdb_s_own_words_and_is_not_retried(metadata_server,
                                                                    metadata_helpers):
    body = json.dumps({"success": False, "status_code": 3,
                       "status_message": "Authentication failed: You do not have permissions "
                                         "to access the service."}).encode()
    metadata_server.faults.append(metadata_helpers.Fault(where="/search/movie", status=403,
                                                         body=body, times=10))
    with pytest.raises(ServiceFailed) as caught:
        make_source("tmdb", key=metadata_helpers.TMDB_KEY).search("Her")
    assert caught.value.message == (
        "TMDb refused the request (HTTP 403 Forbidden: Authentication failed: You do not have "
        "permissions to access the service.).")
    assert caught.value.transient is False
    assert len([r for r in metadata_server.requests if r.path == "/3/search/movie"]) == 1


def test_an_answer_that_is_not_json_names_the_host_and_its_size(metadata_server,
                                                                metadata_helpers):
    metadata_server.faults.append(metadata_helpers.Fault(
        where="search=Mirror", status=200, body=b'{"search": [ {"id": "Q1', times=10))
    with pytest.raises(BadResponse) as caught:
        make_source("wikidata").search("Mirror")
    assert caught.value.message == (
        f"Wikidata sent an answer that is not valid JSON (127.0.0.1:{metadata_server.port}, "
        "23 bytes); try again later.")


def test_a_tmdb_answer_that_is_a_list_is_said_in_words(metadata_server, metadata_helpers):
    metadata_server.faults.append(metadata_helpers.Fault(where="/search/movie", status=200,
                                                         body=b"[1, 2]", times=10))
    with pytest.raises(BadResponse) as caught:
        make_source("tmdb", key=metadata_helpers.TMDB_KEY).search("Her")
    assert caught.value.message == ("TMDb sent an answer its API does not document for "
                                    "/search/movie (not a JSON object); try again later.")


def test_a_wikidata_api_error_is_said_in_its_words_once(metadata_server, metadata_helpers):
    # MediaWiki's API errors: {"error": {"code": …, "info": …}}, the info a sentence with its stop
    error = {"error": {"code": "badvalue",
                       "info": 'Unrecognized value for parameter "type": film.'}}
    metadata_server.faults.append(metadata_helpers.Fault(
        where="wbsearchentities", status=200, body=json.dumps(error).encode(), times=10))
    with pytest.raises(ServiceFailed) as caught:
        make_source("wikidata").search("Her")
    assert caught.value.message == ('Wikidata refused the request: Unrecognized value for '
                                    'parameter "type": film.')
    metadata_server.faults[:] = [metadata_helpers.Fault(
        where="wbsearchentities", status=200, body=b'{"error": {"code": "readonly"}}',
        times=10)]
    with pytest.raises(ServiceFailed) as caught:
        make_source("wikidata").search("Her")
    assert caught.value.message == "Wikidata refused the request: readonly."


def test_a_wikidata_entities_answer_without_entities_is_said_in_words(metadata_server,
                                                                      metadata_helpers):
    metadata_server.faults.append(metadata_helpers.Fault(
        where="wbgetentities", status=200, body=b'{"success": 1}', times=10))
    with pytest.raises(BadResponse) as caught:
        make_source("wikidata").search("Her")
    assert caught.value.message == "Wikidata's wbgetentities answer has no entities."


def test_an_answer_exactly_at_the_size_limit_is_kept_and_one_byte_more_is_not(
        metadata_server, metadata_helpers):
    limit = 2 * 1024 * 1024
    url = f"{metadata_server.base}/3/big"
    metadata_server.faults.append(metadata_helpers.Fault(where="/3/big", status=200,
                                                         body=b"x" * limit))
    client = HttpClient("TMDb")
    try:
        assert len(client.get_bytes(url, cache=False, max_bytes=limit)[1]) == limit
        metadata_server.faults.append(metadata_helpers.Fault(where="/3/big", status=200,
                                                             body=b"x" * (limit + 1)))
        with pytest.raises(BadResponse) as caught:
            client.get_bytes(url, cache=False, max_bytes=limit)
    finally:
        client.close()
    assert caught.value.message == "TMDb sent more than 2 MB for one answer; it was not kept."


@pytest.mark.expect_log(r"Metadata cache read failed \(no such table: response\)$",
                        r"Metadata cache write failed \(no such table: response\)$")
def test_a_cache_emptied_behind_its_back_is_said_and_the_answer_still_given(tmp_path):
    cache = ResponseCache(tmp_path / "cache.sqlite")
    try:
        cache.put("GET a", "application/json", b"{}")
        other = sqlite3.connect(tmp_path / "cache.sqlite")
        other.execute("DROP TABLE response")
        other.commit()
        other.close()
        assert cache.get("GET a") is None  # read failed: a miss, never an error
        cache.put("GET a", "application/json", b"{}")  # write failed: logged, not raised
    finally:
        cache.close()


def test_lookups_that_cannot_start_say_why(tmp_path):
    missing = tmp_path / "no-such-program"
    with pytest.raises(LookupProcessError) as caught:
        ChildLookups("tmdb", key="k", command=[str(missing)]).start()
    assert caught.value.message == (
        f"The lookups could not be started ([Errno 2] No such file or directory: "
        f"'{missing}').")


def test_a_bug_in_the_lookup_process_is_said_and_what_was_done_kept(tmp_path):
    # a child that speaks the protocol (tests/…: journal.core.metadata.lookup_process.serve)
    # and reports a bug on its first film
    child = tmp_path / "child.py"
    child.write_text(
        "import sys, json\n"
        "sys.stdin.readline()\n"
        "print(json.dumps({'ready': True}), flush=True)\n"
        "request = json.loads(sys.stdin.readline())\n"
        "print(json.dumps({'film_id': request['film_id'], 'bug': 'KeyError: year'}), flush=True)\n"
        "sys.stdin.read()\n", encoding="utf-8")
    lookups = ChildLookups("tmdb", key="k", command=[sys.executable, str(child)]).start()
    try:
        with pytest.raises(LookupProcessError) as caught:
            next(lookups.stream([LookupRequest(1, "Her", 2013, want_poster=False)]))
    finally:
        lookups.close()
    assert caught.value.message == ("The lookups stopped on a bug (KeyError: year); what was done "
                                    "is kept.")


class _Keyring:
    """A system keyring as the ``keyring`` package sees one (a back-end in memory)."""

    def __new__(cls, *, fail_reading: bool = False):
        import keyring.backend

        class Backend(keyring.backend.KeyringBackend):
            priority = 1  # type: ignore[assignment]
            name = "test keyring"

            def __init__(self) -> None:
                super().__init__()
                self.secrets: dict[tuple[str, str], str] = {}

            def get_password(self, service, username):
                if fail_reading:
                    raise RuntimeError("the keyring is locked")
                return self.secrets.get((service, username))

            def set_password(self, service, username, password):
                self.secrets[(service, username)] = password

            def delete_password(self, service, username):
                self.secrets.pop((service, username), None)

        return Backend()


@pytest.fixture
def use_keyring():
    import keyring

    before = keyring.get_keyring()
    yield keyring.set_keyring
    keyring.set_keyring(before)


def test_without_a_keyring_the_key_is_not_saved_and_the_way_out_is_said(tmp_path, use_keyring,
                                                                       monkeypatch):
    from keyring.backends import fail

    from journal.core.metadata.keys import KeyStorageError, KeyStore

    monkeypatch.delenv("EYELIGHTS_TMDB_KEY", raising=False)
    use_keyring(fail.Keyring())
    store = KeyStore(plain_file=tmp_path / "tmdb-key")
    with pytest.raises(KeyStorageError) as refused:
        store.set("0123456789abcdef")
    assert str(refused.value) == (
        "No system keyring is available here, so the TMDb key was not saved. Tick “Keep it in "
        "a plain file” to keep it in a file readable only by you, or set EYELIGHTS_TMDB_KEY in "
        "the environment.")
    assert not (tmp_path / "tmdb-key").exists()
    assert store.where() == ""
    assert store.set("0123456789abcdef", allow_plain_file=True) == (
        f"a plain file readable only by you ({tmp_path / 'tmdb-key'})")
    assert store.where() == f"a plain file readable only by you ({tmp_path / 'tmdb-key'})"


def test_where_the_key_comes_from_in_words(tmp_path, use_keyring, monkeypatch):
    from journal.core.metadata.keys import KeyStore

    monkeypatch.delenv("EYELIGHTS_TMDB_KEY", raising=False)
    use_keyring(_Keyring())
    store = KeyStore(plain_file=tmp_path / "tmdb-key")
    assert store.where() == ""
    assert store.set("0123456789abcdef") == "the system keyring (test keyring)"
    assert store.where() == "the system keyring (test keyring)"
    monkeypatch.setenv("EYELIGHTS_TMDB_KEY", "fedcba9876543210")
    assert store.where() == "the EYELIGHTS_TMDB_KEY environment variable"
    assert store.get() == "fedcba9876543210"


@pytest.mark.expect_log(r"Could not read the TMDb key from the keyring: the keyring is locked$")
def test_a_keyring_that_cannot_be_read_is_logged_and_the_plain_file_used(tmp_path, use_keyring,
                                                                         monkeypatch):
    from journal.core.metadata.keys import KeyStore

    monkeypatch.delenv("EYELIGHTS_TMDB_KEY", raising=False)
    (tmp_path / "tmdb-key").write_text("0123456789abcdef\n", encoding="utf-8")
    use_keyring(_Keyring(fail_reading=True))
    assert KeyStore(plain_file=tmp_path / "tmdb-key").get() == "0123456789abcdef"


def _four_films(journal):
    for n, title in enumerate(["Alpha", "Beta", "Gamma", "Delta"]):
        journal.films.create(title, 2000 + n)


def test_two_failing_films_in_a_row_do_not_stop_the_run(metadata_server, metadata_helpers,
                                                        journal):
    from journal.core.metadata.bulk import CatalogueCompleter

    _four_films(journal)
    metadata_server.faults.append(metadata_helpers.Fault(where="/search/movie", status=500,
                                                         times=2))
    tmdb = make_source("tmdb", key=metadata_helpers.TMDB_KEY, retries=0)
    summary = CatalogueCompleter(journal, tmdb, backup=False).run()
    assert [o.outcome for o in summary.outcomes] == ["failed", "failed", "none", "none"]
    assert summary.stopped_by == ""


def test_three_failing_films_in_a_row_stop_the_run(metadata_server, metadata_helpers, journal):
    from journal.core.metadata.bulk import CatalogueCompleter

    _four_films(journal)
    metadata_server.faults.append(metadata_helpers.Fault(where="/search/movie", status=500,
                                                         times=100))
    tmdb = make_source("tmdb", key=metadata_helpers.TMDB_KEY, retries=0)
    summary = CatalogueCompleter(journal, tmdb, backup=False).run()
    assert [(o.title, o.outcome) for o in summary.outcomes] == [
        ("Alpha", "failed"), ("Beta", "failed"), ("Gamma", "failed")]
    assert summary.message() == (
        "0 films completed from TMDb, 3 failed (3 of 4 looked up). Stopped: TMDb is failing "
        "(HTTP 500 Internal Server Error, 1 tries); try again later. Run it again later to go "
        "on from here.")


def test_confirming_a_film_the_service_no_longer_has_says_so(metadata_server, metadata_helpers,
                                                            journal):
    from journal.core.metadata.bulk import CatalogueCompleter
    from journal.core.metadata.errors import ServiceError
    from journal.core.metadata.record import Candidate

    film = journal.films.create("Gone", 2001).id
    completer = CatalogueCompleter(journal, make_source("tmdb", key=metadata_helpers.TMDB_KEY),
                                   backup=False)
    with pytest.raises(ServiceError) as gone:
        completer.confirm(film, Candidate("tmdb", "999999", "Gone", 2001))
    assert gone.value.message == "TMDb no longer has “Gone”."


def test_a_cached_answer_is_fresh_for_its_whole_age_and_stale_a_second_after(tmp_path):
    now = [1_000_000.0]
    cache = ResponseCache(tmp_path / "cache.sqlite", max_age=3600, clock=lambda: now[0])
    try:
        cache.put("GET a", "application/json", b"{}")
        now[0] += 3600
        assert cache.get("GET a") == ("application/json", b"{}")
        now[0] += 1
        assert cache.get("GET a") is None
    finally:
        cache.close()


def test_a_missing_tmdb_key_says_where_to_add_it():
    from journal.core.metadata.errors import KeyRefused

    with pytest.raises(KeyRefused) as caught:
        make_source("tmdb", key="")
    assert caught.value.message == (
        "TMDb needs your own API key: add it in Preferences → Catalogue (or set "
        "EYELIGHTS_TMDB_KEY for the command line).")
    assert caught.value.transient is False


def test_a_slow_service_s_timeout_is_said_whole(metadata_server, metadata_helpers):
    from journal.core.metadata.errors import ServiceTimeout

    metadata_server.faults.append(metadata_helpers.Fault(where="search=Mirror", status=200,
                                                         delay=1.0, times=2))
    wikidata = make_source("wikidata", read_timeout=0.2, retries=1, backoff=0.01)
    with pytest.raises(ServiceTimeout) as caught:
        wikidata.search("Mirror")
    assert caught.value.message == (
        f"Wikidata did not answer in time (127.0.0.1:{metadata_server.port}, 2 tries of 0.2 s); "
        "try again later.")
