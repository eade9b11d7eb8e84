"""The metadata HTTP client against the local stand-in: retries, Retry-After, timeouts, 500s,
malformed JSON, no network, the cache and the User-Agent (issue 17)."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from journal.core.metadata import make_source
from journal.core.metadata.cache import ResponseCache
from journal.core.metadata.errors import (
    BadResponse,
    KeyRefused,
    LookupCancelled,
    RateLimited,
    ServiceFailed,
    ServiceTimeout,
    ServiceUnreachable,
)
from journal.core.metadata.http import parse_retry_after

KEY = "test-key-0123456789abcdef"


def _fault(server, **kw):
    from metadata_helpers import Fault

    fault = Fault(**kw)
    server.faults.append(fault)
    return fault


@pytest.fixture
def cache(tmp_path):
    c = ResponseCache(tmp_path / "cache.sqlite")
    yield c
    c.close()


def test_429_with_retry_after_waits_then_succeeds(metadata_server, cache):
    _fault(metadata_server, where="/3/search/movie", status=429, headers={"Retry-After": "1"})
    tmdb = make_source("tmdb", key=KEY, cache=cache, backoff=0.01)
    hits = tmdb.search("Stalker", 1979, details=0)
    assert [h.key for h in hits] == ["1398"]
    asked = [r for r in metadata_server.requests if r.path == "/3/search/movie"]
    assert len(asked) == 2
    assert asked[1].at - asked[0].at >= 0.95  # the server's Retry-After, not our 10 ms back-off


def test_retry_after_longer_than_we_wait_is_reported_not_slept(metadata_server, cache):
    _fault(metadata_server, where="/3/search/movie", status=429, headers={"Retry-After": "3600"})
    tmdb = make_source("tmdb", key=KEY, cache=cache)
    started = time.monotonic()
    with pytest.raises(RateLimited) as caught:
        tmdb.search("Stalker", details=0)
    assert time.monotonic() - started < 2
    assert caught.value.message == ("TMDb is rate-limiting requests and asks to wait 60 minutes; "
                                    "try again later.")


def test_retry_after_as_an_http_date():
    when = time.time() + 30
    header = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(when))
    assert 28 <= parse_retry_after(header) <= 31
    assert parse_retry_after("7") == 7.0 and parse_retry_after("soon") is None


def test_server_errors_are_retried_with_back_off_then_reported(metadata_server, cache):
    _fault(metadata_server, where="wbsearchentities", status=500, times=2)
    wikidata = make_source("wikidata", cache=cache, backoff=0.01)
    assert [c.key for c in wikidata.search("Stalker")] == ["Q110", "Q111"]
    _fault(metadata_server, where="search=Mirror", status=502, times=99)
    with pytest.raises(ServiceFailed) as caught:
        wikidata.search("Mirror")
    assert caught.value.message == ("Wikidata is failing (HTTP 502 Bad Gateway, 4 tries); "
                                    "try again later.")
    assert sum(1 for r in metadata_server.requests if r.query.get("search") == "Mirror") == 4


def test_a_slow_service_times_out(metadata_server, cache):
    _fault(metadata_server, where="search=Mirror", status=200, delay=1.0, times=2)
    wikidata = make_source("wikidata", cache=cache, read_timeout=0.2, retries=1, backoff=0.01)
    with pytest.raises(ServiceTimeout) as caught:
        wikidata.search("Mirror")
    assert caught.value.message.startswith("Wikidata did not answer in time (127.0.0.1:")
    assert "2 tries of 0.2 s" in caught.value.message


def test_malformed_json_is_reported_and_not_cached(metadata_server, cache):
    _fault(metadata_server, where="search=Mirror", status=200, body=b'{"search": [ {"id": "Q1')
    wikidata = make_source("wikidata", cache=cache)
    with pytest.raises(BadResponse) as caught:
        wikidata.search("Mirror")
    assert "Wikidata sent an answer that is not valid JSON" in caught.value.message
    assert [c.key for c in wikidata.search("Mirror")] == ["Q120"]  # asked again, not cached


def test_no_network_fails_fast_with_one_clear_line(cache, monkeypatch):
    monkeypatch.setenv("EYELIGHTS_WIKIDATA_API", "http://127.0.0.1:9/w/api.php")
    started = time.monotonic()
    with pytest.raises(ServiceUnreachable) as caught:
        make_source("wikidata", cache=cache).search("Her")
    assert time.monotonic() - started < 3
    assert caught.value.message == ("Wikidata cannot be reached (127.0.0.1:9): the connection was "
                                    "refused (no network, or the service is down).")
    monkeypatch.setenv("EYELIGHTS_TMDB_API", "http://no-such-host.invalid/3")
    with pytest.raises(ServiceUnreachable) as caught:
        make_source("tmdb", key=KEY, cache=cache).search("Her")
    assert caught.value.message == ("TMDb cannot be reached (no-such-host.invalid): its address "
                                    "cannot be looked up (no network connection?).")


def test_nothing_is_asked_twice_and_keys_stay_out_of_the_cache(metadata_server, tmp_path):
    cache = ResponseCache(tmp_path / "c.sqlite")
    first = make_source("tmdb", key=KEY, cache=cache)
    first.search("Her", 2013)
    sent = len(metadata_server.requests)
    assert sent == 2  # the search, then the details of its one hit
    again = make_source("tmdb", key=KEY, cache=cache)  # a new client, the same cache file
    again.search("Her", 2013)
    assert len(metadata_server.requests) == sent and again.http.sent == 0
    keys = [k for (k,) in sqlite3.connect(tmp_path / "c.sqlite").execute(
        "SELECT key FROM response")]
    assert keys and not any(KEY in k for k in keys)
    assert any("query=Her" in k for k in keys)
    cache.close()


def test_user_agent_names_the_app_its_version_and_a_contact(metadata_server, cache):
    make_source("wikidata", cache=cache).search("Mirror")
    agent = metadata_server.requests[0].headers["User-Agent"]
    assert agent.startswith("Eyelights/0.1.0 (https://github.com/eyelights/eyelights) httpx/")


def test_cancel_stops_a_wait_at_once(metadata_server, cache):
    _fault(metadata_server, where="/3/search/movie", status=429, headers={"Retry-After": "30"})

    class Token:
        cancelled = False

    token = Token()
    tmdb = make_source("tmdb", key=KEY, cache=cache, cancel=token)
    threading.Timer(0.3, lambda: setattr(token, "cancelled", True)).start()
    started = time.monotonic()
    with pytest.raises(LookupCancelled):
        tmdb.search("Her", details=0)
    assert time.monotonic() - started < 2


def test_a_refused_or_missing_tmdb_key_says_where_to_fix_it(metadata_server, cache):
    with pytest.raises(KeyRefused) as caught:
        make_source("tmdb", key="wrong", cache=cache).search("Her")
    assert caught.value.message == (
        "TMDb refused the API key (HTTP 401: Invalid API key: You must be granted a valid key.); "
        "check it in Preferences → Catalogue.")
    with pytest.raises(KeyRefused) as caught:
        make_source("tmdb", key="", cache=cache)
    assert "TMDb needs your own API key" in caught.value.message


def test_a_v4_token_goes_in_the_authorization_header(metadata_server, cache, monkeypatch):
    import metadata_helpers

    token = "eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiJ4In0.c2lnbmF0dXJl"
    monkeypatch.setattr(metadata_helpers, "TMDB_KEY", token)
    hits = make_source("tmdb", key=token, cache=cache).search("Mirror", details=0)
    assert [h.key for h in hits] == ["1396"]
    request = metadata_server.requests[-1]
    assert request.headers["Authorization"] == f"Bearer {token}"
    assert "api_key" not in request.query
