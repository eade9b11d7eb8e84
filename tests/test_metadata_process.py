"""The window's "Complete the catalogue" runs its lookups in a child process (issue 17: the window
never stalls while it runs): same outcomes as the command line's in-process run, one
transaction per film in the window's process, errors crossing the pipe with their class and
message, cancel stopping the child at once, the TMDb key never on a command line or in an
environment, the bundle starting itself."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from journal.core.metadata import errors, make_source
from journal.core.metadata.bulk import CatalogueCompleter
from journal.core.metadata.cache import ResponseCache
from journal.core.metadata.errors import LookupCancelled
from journal.core.metadata.lookup_process import ChildLookups, LookupProcessError, child_command
from journal.core.metadata.lookups import LookupRequest, error_as_dict, error_from_dict

KEY = "test-key-0123456789abcdef"


class Token:
    cancelled = False


def _films(journal):
    f = journal.films
    return {"her": f.create("Her", 2013).id,
            "stalker": f.create("Stalker — the director's cut", 1979, tmdb_id="1398").id,
            "nosferatu": f.create("Nosferatu").id,
            "nowhere": f.create("A Film Nobody Made", 2001).id,
            "mirror": f.create("Mirror", 1975, synopsis="My own words about it.").id}


def _state(journal):
    m = journal.models
    rows = {}
    for film in m.Film.select().order_by(m.Film.id):
        credits = [(c.role, c.person.name, c.character, c.order)
                   for c in m.Credit.select(m.Credit, m.Person).join(m.Person)
                   .where(m.Credit.film == film.id).order_by(m.Credit.role, m.Credit.order)]
        poster = m.Poster.get_by_id(film.poster_id) if film.poster_id else None
        rows[film.title] = (film.year, film.original_title, film.synopsis, film.genres,
                            film.imdb_id, film.tmdb_id, film.wikidata_id, film.lookup_state,
                            credits, poster and (poster.sha256, poster.width, poster.height))
    return rows


def test_the_child_process_gives_what_the_in_process_run_gives(metadata_server, tmp_path):
    """TMDb here; Wikidata goes through the child in test_metadata_ui's window tests."""
    from journal.core.journal import Journal
    from journal.ui.poster_image import scale_poster

    results = []
    for where in ("here", "child"):
        with Journal.open(tmp_path / f"{where}.eyelights") as journal:
            _films(journal)
            written = []

            def after(outcome, journal=journal, written=written):
                # each film is in the journal when its outcome comes, not at the end
                written.append(journal.models.Film.get_by_id(outcome.film_id).lookup_state)

            if where == "here":
                cache = ResponseCache(tmp_path / "here-cache.sqlite")
                run = CatalogueCompleter(journal, make_source("tmdb", key=KEY, cache=cache),
                                         scaler=scale_poster, on_outcome=after)
            else:
                run = CatalogueCompleter(journal, lookups=ChildLookups("tmdb", key=KEY),
                                         on_outcome=after)
            try:
                summary = run.run()
            finally:
                run.lookups.close()
            results.append(([(o.film_id, o.outcome, o.how, o.fields, o.notes,
                              [c.key for c in o.candidates]) for o in summary.outcomes],
                            summary.message(), _state(journal), written))
            assert summary.requests > 0
    assert results[0] == results[1]
    assert results[1][3] == ["tmdb:matched", "tmdb:matched", "tmdb:uncertain", "tmdb:none",
                             "tmdb:matched"]


def test_the_key_is_never_on_a_command_line_nor_in_an_environment(metadata_server,
                                                                  monkeypatch):
    monkeypatch.setenv("EYELIGHTS_TMDB_KEY", KEY)  # even when the window's process has it
    lookups = ChildLookups("tmdb", key=KEY).start()
    try:
        pid = lookups._process.pid
        for what in ("cmdline", "environ"):
            assert KEY.encode() not in Path(f"/proc/{pid}/{what}").read_bytes(), what
        result = next(lookups.stream([LookupRequest(1, "Her", 2013, want_poster=False)]))
        assert result.record.tmdb_id == "152601"
    finally:
        lookups.close()
    assert [r.query.get("api_key") for r in metadata_server.requests
            if r.path.startswith("/3/")][-1] == KEY   # the child did send it to TMDb


def test_service_errors_cross_the_pipe_with_their_class_and_words(metadata_server, journal,
                                                                  metadata_helpers):
    ids = _films(journal)
    metadata_server.faults += [  # the first film rate-limited; the next ones slow to come
        metadata_helpers.Fault(where="/3/", status=429, headers={"Retry-After": "600"}),
        metadata_helpers.Fault(where="/3/", status=200, delay=10, times=100)]
    lookups = ChildLookups("tmdb", key=KEY)
    try:
        summary = CatalogueCompleter(journal, lookups=lookups, backup=False).run()
    finally:
        stopping = time.monotonic()
        lookups.close()
    assert time.monotonic() - stopping < 1.5   # the films asked ahead are not waited for
    assert [o.outcome for o in summary.outcomes] == ["failed"]
    assert summary.stopped_by == ("TMDb is rate-limiting requests and asks to wait 10 minutes; "
                                  "try again later.")
    assert journal.models.Film.get_by_id(ids["her"]).lookup_state is None


def test_no_key_for_tmdb_is_said_before_any_lookup(metadata_server, journal):
    _films(journal)
    lookups = ChildLookups("tmdb", key=None)
    try:
        summary = CatalogueCompleter(journal, lookups=lookups, backup=False).run()
    finally:
        lookups.close()
    assert summary.stopped_by.startswith("TMDb needs your own API key")


def test_errors_keep_their_class_message_and_whether_to_try_again():
    samples = [errors.ServiceUnreachable("Wikidata", "Wikidata cannot be reached."),
               errors.ServiceTimeout("TMDb", "TMDb did not answer in time."),
               errors.RateLimited("TMDb", "TMDb asks to wait.", 600.0),
               errors.BadResponse("TMDb", "not JSON"), errors.KeyRefused("TMDb", "refused")]
    refused = errors.ServiceFailed("TMDb", "TMDb refused the request (HTTP 403).")
    refused.transient = False
    for exc in [*samples, refused]:
        back = error_from_dict(error_as_dict(exc))
        assert (type(back), back.service, back.message, back.transient) == (
            type(exc), exc.service, exc.message, exc.transient)
    assert error_from_dict(error_as_dict(samples[2])).retry_after == 600.0


def test_cancel_stops_the_child_at_once(metadata_server, metadata_helpers, journal,
                                        monkeypatch):
    from journal.core.metadata import lookup_process

    _films(journal)
    metadata_server.faults.append(metadata_helpers.Fault(where="/3/", status=200, delay=10,
                                                         times=100))
    started: list[subprocess.Popen] = []
    real_popen = subprocess.Popen
    monkeypatch.setattr(lookup_process.subprocess, "Popen",
                        lambda *a, **k: started.append(real_popen(*a, **k)) or started[-1])
    token = Token()

    def cancel_mid_film():  # once the child has asked TMDb, which takes 10 s to answer
        deadline = time.monotonic() + 30
        while not any(r.path.startswith("/3/") for r in metadata_server.requests):
            if time.monotonic() > deadline:
                return
            time.sleep(0.02)
        cancelled.append(time.monotonic())
        token.cancelled = True

    cancelled: list[float] = []
    threading.Thread(target=cancel_mid_film, daemon=True).start()
    lookups = ChildLookups("tmdb", key=KEY, cancel=token)
    try:
        summary = CatalogueCompleter(journal, lookups=lookups, cancel=token, backup=False).run()
    finally:
        lookups.close()
    assert summary.cancelled and summary.outcomes == []
    assert time.monotonic() - cancelled[0] < 2     # not the 10 s the answer would take
    assert len(started) == 1 and started[0].poll() is not None   # no child left behind
    assert "Cancelled: run it again" in summary.message()


def test_a_child_that_dies_is_one_clear_line(journal, tmp_path):
    _films(journal)
    script = tmp_path / "dies.py"
    script.write_text("import sys\nsys.stdin.readline()\nprint('{\"ready\": true}', flush=True)\n"
                      "sys.stdin.readline()\nsys.stderr.write('Segmentation fault\\n')\n"
                      "sys.exit(139)\n")
    lookups = ChildLookups("wikidata", command=[sys.executable, str(script)])
    try:
        with pytest.raises(LookupProcessError) as caught:
            CatalogueCompleter(journal, lookups=lookups, backup=False).run()
    finally:
        lookups.close()
    assert caught.value.message == ("The lookups stopped unexpectedly (Segmentation fault); "
                                    "what was done is kept.")
    m = journal.models
    assert m.Film.select().where(m.Film.lookup_state.is_null(False)).count() == 0


def test_a_cancel_while_the_child_starts_is_a_cancel(journal):
    _films(journal)
    token = Token()
    token.cancelled = True
    lookups = ChildLookups("wikidata", cancel=token,
                           command=[sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        summary = CatalogueCompleter(journal, lookups=lookups, cancel=token,
                                     backup=False).run()
    finally:
        lookups.close()
    assert summary.cancelled
    sleeper = ChildLookups("wikidata", cancel=token,
                           command=[sys.executable, "-c", "import time; time.sleep(30)"])
    with pytest.raises(LookupCancelled):
        sleeper.start()
    assert sleeper._process is None        # stopped, not left sleeping


def test_the_bundle_starts_itself_and_a_checkout_runs_the_package(monkeypatch):
    assert child_command() == [sys.executable, "-m", "journal", "films", "serve-lookups"]
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", "/opt/eyelights/eyelights")
    assert child_command() == ["/opt/eyelights/eyelights", "films", "serve-lookups"]


def test_the_serve_action_is_not_offered_to_people():
    done = subprocess.run([sys.executable, "-m", "journal", "films", "--help"],
                          capture_output=True, text=True, check=True)
    assert "serve-lookups" not in done.stdout and "complete" in done.stdout


DRIVER = """
import sys, time
from journal.core.journal import Journal
from journal.core.catalogue import PersonService
from journal.core.metadata.bulk import CatalogueCompleter
from journal.core.metadata.lookup_process import ChildLookups

real = PersonService.replace_credits
def slow_disk(*args):  # each film's writing takes a while: the kill lands inside one
    time.sleep(0.15)
    real(*args)
PersonService.replace_credits = slow_disk

with Journal.open(sys.argv[1]) as journal:
    lookups = ChildLookups("tmdb", key=sys.argv[2]).start()
    print("child", lookups._process.pid, flush=True)
    CatalogueCompleter(journal, lookups=lookups, flush_every=0,
                       on_outcome=lambda o: print(o.outcome, flush=True)).run()
"""


@pytest.mark.slow
def test_the_window_killed_mid_run_loses_at_most_the_film_in_hand(metadata_helpers,
                                                                   journal_path, monkeypatch):
    """The window's process dies (SIGKILL) while its child looks films up: every film is whole
    or untouched, and the child, its input gone, ends by itself."""
    import os
    import signal

    from journal.core.journal import Journal

    server = metadata_helpers.MetadataServer(metadata_helpers.SyntheticTmdb()).start()
    try:
        for key, value in server.environ().items():
            monkeypatch.setenv(key, value)
        with Journal.open(journal_path) as j:
            for n in range(40):
                j.films.create(f"Film number {n}", 1950 + n)
        window = subprocess.Popen([sys.executable, "-c", DRIVER, str(journal_path), KEY],
                                  stdout=subprocess.PIPE, text=True,
                                  env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])})
        child = int(window.stdout.readline().split()[1])
        applied, deadline = 0, time.monotonic() + 60
        while applied < 6 and time.monotonic() < deadline:
            applied += window.stdout.readline() == "applied\n"
        time.sleep(0.08)                       # into the 7th film's writing
        os.kill(window.pid, signal.SIGKILL)
        window.wait()
        assert applied == 6
        deadline = time.monotonic() + 15
        while Path(f"/proc/{child}").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        state = Path(f"/proc/{child}/stat")
        assert not state.exists() or state.read_text().split()[2] == "Z"   # gone (or a zombie)
    finally:
        server.stop()
    with Journal.open(journal_path) as j:
        assert j.check()[0]
        m = j.models
        films = list(m.Film.select())
        matched = [f for f in films if f.lookup_state == "tmdb:matched"]
        assert len(matched) in (6, 7)
        for film in films:
            whole = (m.Credit.select().where(m.Credit.film == film.id).count(),
                     film.poster_id is not None, bool(film.tmdb_id), bool(film.synopsis))
            assert whole == ((4, True, True, True) if film in matched
                             else (0, False, False, False)), film.title


def test_the_child_imports_the_same_package_as_the_window(tmp_path, monkeypatch):
    """From any folder, with the package not installed: the child finds this very checkout."""
    from journal.core.metadata.lookup_process import _child_environment

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PYTHONPATH", "/elsewhere")
    env = _child_environment()
    done = subprocess.run([sys.executable, "-S", "-c", "import sys; sys.path[:0] = "
                           "__import__('os').environ['PYTHONPATH'].split(':'); import journal; "
                           "print(journal.__path__[0])"],
                          env=env, capture_output=True, text=True, check=True)
    assert Path(done.stdout.strip()) == Path(__import__("journal").__path__[0]).resolve()
    assert env["PYTHONPATH"].endswith(":/elsewhere")
