"""``eyelights films lookup`` and ``eyelights films complete`` as a user runs them (issue 17),
and a SIGKILL in the middle of "complete" losing at most the film in hand."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from journal.core.journal import Journal

KEY = "test-key-0123456789abcdef"


def run(*args, env_extra=None, timeout=60):
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "journal", *args], capture_output=True,
                          text=True, env=env, timeout=timeout)


@pytest.fixture
def filled(journal_path):
    with Journal.open(journal_path) as j:
        j.films.create("Her", 2013)
        j.films.create("Nosferatu")
        j.films.create("Stalker", 1979, imdb_id="tt0079944")
    return journal_path


def test_lookup_prints_candidates_and_json(metadata_server):
    done = run("films", "lookup", "Her", "--year", "2013")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].split() == ["wikidata:Q101", "Her", "(2013)", "Spike",
                                                   "Jonze", "2013", "film", "by", "Spike",
                                                   "Jonze"]
    done = run("films", "lookup", "Nosferatu", "--source", "tmdb", "--json",
               env_extra={"EYELIGHTS_TMDB_KEY": KEY})
    hits = json.loads(done.stdout)
    assert [(h["key"], h["year"], h["directors"]) for h in hits] == [
        ("653", 1922, ["F. W. Murnau"]), ("426063", 2024, ["Robert Eggers"]),
        ("6404", 1979, ["Werner Herzog"])]
    assert hits[0]["record"]["cast"][0] == {"name": "Max Schreck", "character": "Count Orlok",
                                            "order": 0}


def test_offline_and_bad_input_are_one_line(metadata_server):
    done = run("films", "lookup", "Her", env_extra={
        "EYELIGHTS_WIKIDATA_API": "http://127.0.0.1:9/w/api.php"})
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == ("eyelights: Wikidata cannot be reached (127.0.0.1:9): the connection "
                           "was refused (no network, or the service is down).\n")
    done = run("films", "lookup", "Her", "--source", "tmdb")
    assert done.returncode == 1 and done.stderr.startswith(
        "eyelights: TMDb needs your own API key") and done.stderr.count("\n") == 1
    done = run("films", "lookup", "Her", "--source", "imdb")
    assert done.returncode == 2 and "invalid choice: 'imdb'" in done.stderr
    assert "Traceback" not in done.stderr


def test_complete_dry_run_then_for_real(metadata_server, filled):
    done = run("films", "complete", "--journal", str(filled), "--dry-run", "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert (summary["would_apply"], summary["uncertain"], summary["backup"]) == (2, 1, None)
    with Journal.open(filled, read_only=True) as j:
        assert j.store.db.execute_sql("SELECT count(*) FROM credit").fetchone()[0] == 0
    done = run("films", "complete", "--journal", str(filled))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[:3] == ["Her (2013): applied (title and year)", "Nosferatu: uncertain",
                         "Stalker (1979): applied (IMDb id)"]
    assert lines[3].startswith("To confirm — Nosferatu: Nosferatu (1922) — F. W. Murnau; "
                               "Nosferatu (2024) — Robert Eggers")
    assert lines[-1] == ("2 films completed from Wikidata, 1 to confirm (3 of 3 looked up).")
    with Journal.open(filled, read_only=True) as j:
        m = j.models
        assert [f.title for f in m.Film.select().where(
            m.Film.lookup_state == "wikidata:matched").order_by(m.Film.id)] == ["Her", "Stalker"]


def test_complete_with_a_failing_service_says_so_and_exits_1(metadata_server, filled):
    from metadata_helpers import Fault

    metadata_server.faults.append(Fault(where="w/api.php", status=429,
                                        headers={"Retry-After": "7200"}, times=100))
    done = run("films", "complete", "--journal", str(filled), "--json")
    assert done.returncode == 1
    assert done.stderr == ("eyelights: Wikidata is rate-limiting requests and asks to wait "
                           "2 hours; try again later.\n")
    assert json.loads(done.stdout)["failed"] == 1




@pytest.fixture
def synthetic_server(monkeypatch, metadata_helpers):
    """The stand-in answering every title with a film of its own (ids, credits, a poster)."""
    server = metadata_helpers.MetadataServer(metadata_helpers.SyntheticTmdb()).start()
    for key, value in server.environ().items():
        monkeypatch.setenv(key, value)
    yield server
    server.stop()


@pytest.mark.slow
def test_sigkill_mid_run_loses_at_most_the_film_in_hand(synthetic_server, journal_path):
    """Each film is one transaction: killed at any point, every film is either complete (state,
    credits, poster, ids) or untouched, the journal is healthy, and a new run finishes it."""
    from metadata_helpers import Fault

    with Journal.open(journal_path) as j:
        for n in range(40):
            j.films.create(f"Film number {n}", 1950 + n)
    # every TMDb answer takes 30 ms: the run is killed while requests and writes interleave
    synthetic_server.faults.append(Fault(where="/", status=200, delay=0.03, times=10**6))
    child = subprocess.Popen([sys.executable, "-m", "journal", "films", "complete", "--journal",
                              str(journal_path), "--source", "tmdb"],
                             env={**os.environ, "EYELIGHTS_TMDB_KEY": KEY},
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    applied = 0
    deadline = time.monotonic() + 30
    while applied < 8 and time.monotonic() < deadline:
        line = child.stdout.readline()
        applied += line.endswith(": applied (title and year)\n")
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert applied == 8
    with Journal.open(journal_path) as j:
        assert j.check()[0]
        m = j.models
        films = list(m.Film.select().order_by(m.Film.id))
        matched = [f for f in films if f.lookup_state == "tmdb:matched"]
        assert len(matched) in (8, 9)  # at most the film in hand besides those reported
        for film in films:
            credits = m.Credit.select().where(m.Credit.film == film.id).count()
            if film.lookup_state == "tmdb:matched":
                assert (credits, film.poster_id is not None, bool(film.tmdb_id),
                        bool(film.synopsis)) == (4, True, True, True), film.title
            else:
                assert film.lookup_state is None
                assert (credits, film.poster_id, film.tmdb_id, film.synopsis) == (0, None, None,
                                                                                   "")
    synthetic_server.faults.clear()
    done = run("films", "complete", "--journal", str(journal_path), "--source", "tmdb",
               env_extra={"EYELIGHTS_TMDB_KEY": KEY})
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == (
        f"{40 - len(matched)} films completed from TMDb ({40 - len(matched)} of "
        f"{40 - len(matched)} looked up).")
    with Journal.open(journal_path) as j:
        assert {f.lookup_state for f in j.models.Film.select()} == {"tmdb:matched"}
