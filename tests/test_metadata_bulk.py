"""Sources, matching and "Complete the catalogue" against the local stand-in (issue 17): search
and pick, confident / uncertain / no match, ids before titles, what the user typed kept, posters
stored, cancel and resume, a failing service stopping the run, People / director / Statistics."""

from __future__ import annotations

import pytest

from journal.core import catalogue_query as cq
from journal.core import stats
from journal.core.metadata import apply as applying
from journal.core.metadata import make_source
from journal.core.metadata.bulk import CatalogueCompleter, films_to_complete
from journal.core.metadata.cache import ResponseCache
from journal.core.metadata.matching import FilmFacts, decide
from journal.store import backup as backups
from journal.ui.poster_image import scale_poster

KEY = "test-key-0123456789abcdef"


@pytest.fixture
def cache(tmp_path):
    c = ResponseCache(tmp_path / "cache.sqlite")
    yield c
    c.close()


@pytest.fixture
def catalogue(journal):
    """Films as an import leaves them: bare titles, some years, a few ids, one typed synopsis."""
    f = journal.films
    films = {
        "her": f.create("Her", 2013),
        "stalker": f.create("Stalker — the director's cut", 1979, tmdb_id="1398"),
        "nosferatu": f.create("Nosferatu"),
        "nowhere": f.create("A Film Nobody Made", 2001),
        "mirror": f.create("Mirror", 1975, synopsis="My own words about it.",
                           directors=["A. Tarkovsky"]),
    }
    f.set_poster(films["nowhere"].id, b"\x89PNG\r\n\x1a\n" + b"x" * 30, "image/png", 10, 10)
    return {k: v.id for k, v in films.items()}


def test_wikidata_search_keeps_films_only_and_reads_every_field(metadata_server, cache):
    wikidata = make_source("wikidata", cache=cache)
    hits = wikidata.search("Her")
    assert [(h.key, h.label()) for h in hits] == [("Q101", "Her (2013) — Spike Jonze"),
                                                  ("Q102", "Her (2016) — Maya Lind")]
    record = hits[0].record
    assert record.cast[0].name == "Joaquin Phoenix" and record.cast[0].character == \
        "Theodore Twombly"
    assert record.cast[1].character == "Samantha"
    assert (record.genres, record.countries, record.runtime_minutes) == (
        ["romance film", "science fiction film", "drama film"], ["United States of America"], 126)
    assert (record.imdb_id, record.tmdb_id, record.letterboxd_uri) == (
        "tt1798709", "152601", "https://letterboxd.com/film/her/")
    mirror = wikidata.details("Q120")
    assert mirror.runtime_minutes == 106  # 6,360 seconds
    assert mirror.original_title == "Зеркало"
    assert mirror.poster_url.endswith("/Mirror_poster.jpg?width=500")
    french = make_source("wikidata", cache=cache, language="fr").details("Q120")
    assert french.title == "Le Miroir" and french.directors == ["Andreï Tarkovski"]


def test_ids_find_the_film_in_both_sources(metadata_server, cache):
    wikidata = make_source("wikidata", cache=cache)
    assert wikidata.find_by_ids(imdb_id="tt0079944").key == "Q110"
    assert wikidata.find_by_ids(tmdb_id="653").key == "Q130"
    assert wikidata.find_by_ids(letterboxd_uri="https://letterboxd.com/film/her/").key == "Q101"
    assert wikidata.find_by_ids(letterboxd_uri="https://boxd.it/2b8s") is None
    tmdb = make_source("tmdb", key=KEY, cache=cache)
    assert tmdb.find_by_ids(imdb_id="tt1798709").key == "152601"
    assert tmdb.find_by_ids(wikidata_id="Q130").key == "653"
    her = tmdb.details("152601")
    assert [c.name for c in her.cast[:2]] == ["Joaquin Phoenix", "Scarlett Johansson"]  # by order
    assert her.directors == ["Spike Jonze"] and her.synopsis.startswith("In the not so distant")
    assert make_source("tmdb", key=KEY, cache=cache, language="fr").details(
        "152601").synopsis.startswith("Los Angeles, dans un futur proche")


def test_matching_rules():
    from journal.core.metadata.record import Candidate

    def c(key, title, year, directors=(), original=None):
        return Candidate("tmdb", key, title, year, list(directors), original)

    her = [c("1", "Her", 2013, ["Spike Jonze"]), c("2", "Her", 2016, ["Maya Lind"])]
    assert decide(FilmFacts("Her", 2013), her).candidate.key == "1"
    assert decide(FilmFacts("her", 2014, directors=["Jonze"]), her).candidate.key == "1"
    assert decide(FilmFacts("Her", 2014), her).outcome == "uncertain"  # a year off, no director
    assert decide(FilmFacts("Her"), her).outcome == "uncertain"
    assert decide(FilmFacts("Her", directors=["Spike Jonze"]), her).candidate.key == "1"
    assert decide(FilmFacts("Her", 2013, directors=["Someone Else"]), her).outcome == "uncertain"
    assert decide(FilmFacts("Mirror", 1975), [c("9", "The Mirror", 1975)]).outcome == "confident"
    assert decide(FilmFacts("Зеркало", 1975), [c("9", "Mirror", 1975, original="Зеркало")]
                  ).outcome == "confident"
    assert decide(FilmFacts("Stalker", 1979), [c("1", "Stalker", 1979), c("2", "Stalker", 1979)]
                  ).outcome == "uncertain"
    assert decide(FilmFacts("Completely different", 1979), her).outcome == "none"


def test_complete_the_catalogue(metadata_server, cache, journal, catalogue):
    tmdb = make_source("tmdb", key=KEY, cache=cache)
    assert films_to_complete(journal, "tmdb") == [catalogue[k] for k in (
        "her", "stalker", "nosferatu", "nowhere", "mirror")]
    run = CatalogueCompleter(journal, tmdb, scaler=scale_poster)
    summary = run.run()
    outcome = {o.film_id: o for o in summary.outcomes}
    assert [outcome[catalogue[k]].outcome for k in ("her", "stalker", "nosferatu", "nowhere",
                                                    "mirror")] == [
        "applied", "applied", "uncertain", "none", "applied"]
    assert outcome[catalogue["her"]].how == "title and year"
    assert outcome[catalogue["stalker"]].how == "TMDb id"   # the id, not the odd title
    assert [c.key for c in outcome[catalogue["nosferatu"]].candidates] == ["653", "426063", "6404"]
    assert summary.message() == ("3 films completed from TMDb, 1 to confirm, 1 not found "
                                 "(5 of 5 looked up).")
    assert summary.backup is not None and backups.BackupFile.from_path(summary.backup)

    m = journal.models
    her = m.Film.get_by_id(catalogue["her"])
    assert (her.imdb_id, her.tmdb_id, her.wikidata_id, her.runtime_minutes) == (
        "tt1798709", "152601", "Q101", 126)
    assert her.genres == "Romance, Science Fiction, Drama"
    assert her.lookup_state == "tmdb:matched"
    assert journal.films.directors(her.id) == ["Spike Jonze"]
    cast = [(c.person.name, c.character, c.order) for c in m.Credit.select(m.Credit, m.Person)
            .join(m.Person).where(m.Credit.film == her.id, m.Credit.role == "cast")
            .order_by(m.Credit.order)]
    assert cast[:2] == [("Joaquin Phoenix", "Theodore Twombly", 0),
                        ("Scarlett Johansson", "Samantha (voice)", 1)]
    poster = m.Poster.get_by_id(her.poster_id)
    assert (poster.mime, poster.width, poster.height) == ("image/jpeg", 500, 750)
    assert bytes(poster.data) == (metadata_server.data.image("her.jpg"))  # stored as downloaded

    stalker = m.Film.get_by_id(catalogue["stalker"])
    assert stalker.title == "Stalker — the director's cut"   # a typed title is never replaced
    assert stalker.original_title == "Сталкер" and stalker.year == 1979

    mirror = m.Film.get_by_id(catalogue["mirror"])
    assert mirror.synopsis == "My own words about it."       # typed: kept
    assert journal.films.directors(mirror.id) == ["A. Tarkovsky"]  # typed: kept
    assert mirror.runtime_minutes == 107 and mirror.poster_id is not None

    nowhere = m.Film.get_by_id(catalogue["nowhere"])
    assert nowhere.lookup_state == "tmdb:none"
    assert m.Film.get_by_id(catalogue["nosferatu"]).lookup_state == "tmdb:uncertain"

    # People, the director filter and Statistics fill up
    assert cq.film_ids(journal, "director=jonze") == [her.id]
    assert journal.people.find("Scarlett Johansson") is not None
    journal.viewings.log(her.id, "2014-01-24")
    figures = stats.compute(journal)
    assert [name for _id, name, _n in figures.top_directors] == ["Spike Jonze"]
    assert "Scarlett Johansson" in [name for _id, name, _n in figures.top_actors]

    # a second run resumes: only the film left to decide is looked at again, from the cache
    sent = len(metadata_server.requests)
    assert films_to_complete(journal, "tmdb") == [catalogue["nosferatu"]]
    again = CatalogueCompleter(journal, tmdb).run()
    assert [o.outcome for o in again.outcomes] == ["uncertain"]
    assert len(metadata_server.requests) == sent

    # the user confirms one candidate, and skips nothing else
    chosen = again.outcomes[0].candidates[0]
    done = CatalogueCompleter(journal, tmdb, scaler=scale_poster).confirm(
        catalogue["nosferatu"], chosen)
    assert done.outcome == "applied"
    nosferatu = m.Film.get_by_id(catalogue["nosferatu"])
    assert (nosferatu.year, nosferatu.tmdb_id) == (1922, "653")
    assert journal.films.directors(nosferatu.id) == ["F. W. Murnau"]
    assert films_to_complete(journal, "tmdb") == []


def test_skipped_films_are_not_asked_again(metadata_server, cache, journal, catalogue):
    wikidata = make_source("wikidata", cache=cache)
    run = CatalogueCompleter(journal, wikidata, backup=False)
    run.run(film_ids=[catalogue["nosferatu"]])
    run.skip(catalogue["nosferatu"])
    assert catalogue["nosferatu"] not in films_to_complete(journal, "wikidata")
    assert catalogue["nosferatu"] in films_to_complete(journal, "tmdb")  # another source may


def test_a_wikidata_poster_too_tall_is_scaled_down(metadata_server, cache, journal):
    film = journal.films.create("Nosferatu", 1922)
    summary = CatalogueCompleter(journal, make_source("wikidata", cache=cache),
                                 scaler=scale_poster).run()
    assert [o.outcome for o in summary.outcomes] == ["applied"]
    poster = journal.models.Poster.get_by_id(journal.models.Film.get_by_id(film.id).poster_id)
    assert (poster.mime, poster.width, poster.height) == ("image/png", 357, 1000)


def test_dry_run_writes_nothing(metadata_server, cache, journal, catalogue, tmp_path):
    before = journal.store.db.execute_sql("SELECT count(*) FROM credit").fetchone()
    summary = CatalogueCompleter(journal, make_source("wikidata", cache=cache),
                                 dry_run=True).run()
    assert summary.count("would apply") == 3 and summary.backup is None
    assert journal.store.db.execute_sql("SELECT count(*) FROM credit").fetchone() == before
    assert journal.models.Film.select().where(
        journal.models.Film.lookup_state.is_null(False)).count() == 0


def test_cancel_then_resume(metadata_server, cache, journal, catalogue):
    class Token:
        cancelled = False

    token = Token()
    source = make_source("tmdb", key=KEY, cache=cache, cancel=token)
    seen = []

    def after(outcome):
        seen.append(outcome)
        token.cancelled = len(seen) >= 2

    summary = CatalogueCompleter(journal, source, on_outcome=after, cancel=token).run()
    assert summary.cancelled and len(summary.outcomes) == 2
    assert "Cancelled: run it again to go on from here." in summary.message()
    token.cancelled = False
    rest = CatalogueCompleter(journal, source, backup=False).run()
    assert [o.film_id for o in rest.outcomes] == [catalogue[k] for k in (
        "nosferatu", "nowhere", "mirror")]


def test_a_failing_service_stops_the_run_and_nothing_is_half_written(
        metadata_server, cache, journal, catalogue):
    from metadata_helpers import Fault

    metadata_server.faults.append(Fault(where="/3/", status=500, times=10_000))
    summary = CatalogueCompleter(journal, make_source("tmdb", key=KEY, cache=cache,
                                                      backoff=0.01)).run()
    assert [o.outcome for o in summary.outcomes] == ["failed"] * 3
    assert summary.stopped_by == ("TMDb is failing (HTTP 500 Internal Server Error, 4 tries); "
                                  "try again later.")
    assert summary.message().endswith("Stopped: TMDb is failing (HTTP 500 Internal Server Error, "
                                      "4 tries); try again later. Run it again later to go on "
                                      "from here.")
    assert journal.store.db.execute_sql("SELECT count(*) FROM credit WHERE role='cast'"
                                        ).fetchone()[0] == 0


def test_offline_stops_at_the_first_film_and_changes_nothing(cache, journal, catalogue,
                                                               monkeypatch):
    monkeypatch.setenv("EYELIGHTS_WIKIDATA_API", "http://127.0.0.1:9/w/api.php")
    summary = CatalogueCompleter(journal, make_source("wikidata", cache=cache)).run()
    assert len(summary.outcomes) == 1 and summary.outcomes[0].outcome == "failed"
    assert summary.stopped_by.startswith("Wikidata cannot be reached (127.0.0.1:9)")
    assert journal.models.Film.select().where(
        journal.models.Film.lookup_state.is_null(False)).count() == 0


def test_the_preview_ticks_empty_fields_and_keeps_typed_ones(metadata_server, cache, journal):
    film = journal.films.create("Her", 2013, synopsis="Mine.", imdb_id="tt1798709")
    record = make_source("tmdb", key=KEY, cache=cache).details("152601")
    changes = {c.name: c for c in applying.changes(applying.current_values(journal, film.id),
                                                  record)}
    assert "title" not in changes and "year" not in changes and "imdb_id" not in changes
    assert changes["synopsis"].tick is False and changes["synopsis"].current == "Mine."
    assert changes["directors"].tick is True and changes["poster"].tick is True
    assert changes["cast"].proposed.startswith("Joaquin Phoenix (Theodore Twombly), Scarlett")


def test_an_id_already_on_another_film_is_not_copied(metadata_server, cache, journal):
    journal.films.create("Her (a copy)", 2013, tmdb_id="152601")
    film = journal.films.create("Her", 2013)
    record = make_source("tmdb", key=KEY, cache=cache).details("152601")
    notes = applying.apply_record(journal, film.id, record, ["tmdb_id", "imdb_id"])
    assert notes == ["TMDb id 152601 not kept: it is already on “Her (a copy)”"]
    assert journal.models.Film.get_by_id(film.id).imdb_id == "tt1798709"


@pytest.mark.shared
def test_letterboxd_ids_are_kept_and_used_first(metadata_server, cache, journal, tmp_path,
                                                shared_testdata):
    from journal.core.importers.run import import_files

    movary = shared_testdata / "letterboxd" / "movary-import-format" / "test.csv"
    import_files(journal, "letterboxd", [movary])
    m = journal.models
    assert m.Film.select().where(m.Film.tmdb_id.is_null()).count() == 0  # all 754 kept theirs
    assert m.Film.get(m.Film.title == "The Goonies").tmdb_id == "9340"
    mine = tmp_path / "import.csv"   # Letterboxd's import format, with both id columns
    mine.write_text("Title,Year,tmdbID,imdbID,WatchedDate\n"
                    "Stalker (restored),1979,1398,,2020-01-02\n"
                    "The Mirror,1974,,tt0072443,2020-02-03\n", encoding="utf-8")
    import_files(journal, "letterboxd", [mine])
    mirror = m.Film.get(m.Film.title == "The Mirror")
    assert mirror.imdb_id == "tt0072443"
    ids = [m.Film.get(m.Film.title == "Stalker (restored)").id, mirror.id]
    summary = CatalogueCompleter(journal, make_source("tmdb", key=KEY, cache=cache),
                                 backup=False).run(film_ids=ids)
    assert [(o.outcome, o.how) for o in summary.outcomes] == [("applied", "TMDb id"),
                                                             ("applied", "IMDb id")]
    assert journal.films.directors(mirror.id) == ["Andrei Tarkovsky"]


def test_credits_reuse_known_people_and_create_each_new_one_once(journal):
    from journal.core.metadata.record import CastMember, FilmRecord

    a, b = journal.films.create("A", 2000).id, journal.films.create("B", 2001).id
    known = journal.people.get_or_create("Joaquin Phoenix")
    trashed = journal.people.get_or_create("Old Name")
    journal.people.delete(trashed.id)
    events = []
    journal.events.subscribe(events.append)
    cast = [CastMember("joaquin  phoenix", "Theodore", 0), CastMember("Old Name", None, 1),
            CastMember("Amy Adams", "Amy", 2), CastMember("Amy Adams", "Amy", 3),
            CastMember("Amy Adams", "Amy's double", 4)]
    record = FilmRecord("tmdb", "1", "A", directors=["Spike  Jonze", "Spike Jonze"], cast=cast)
    applying.apply_record(journal, a, record, ["directors", "cast"])
    applying.apply_record(journal, b, record, ["cast"])

    m = journal.models

    def credits(film_id, role):
        return [(c.person_id, c.person.name, c.character, c.order)
                for c in m.Credit.select(m.Credit, m.Person).join(m.Person)
                .where(m.Credit.film == film_id, m.Credit.role == role)
                .order_by(m.Credit.order)]

    amy = journal.people.find("Amy Adams").id
    old = journal.people.find("Old Name").id
    assert old != trashed.id                            # the Trash is not the catalogue
    assert credits(a, "cast") == [(known.id, "Joaquin Phoenix", "Theodore", 0),
                                  (old, "Old Name", None, 1), (amy, "Amy Adams", "Amy", 2),
                                  (amy, "Amy Adams", "Amy's double", 4)]
    assert [c[1:] for c in credits(a, "director")] == [("Spike Jonze", None, 0)]
    assert credits(b, "cast") == credits(a, "cast")    # the same people, not new namesakes
    created = sorted(i for changes in events for i in changes.people.ids)
    assert created == sorted([old, amy, journal.people.find("Spike Jonze").id])


def test_odd_but_valid_answers_never_break_a_lookup(metadata_server, metadata_helpers, cache):
    """Nulls and odd types where the APIs document lists and numbers: what can be read is
    kept, the rest left out — never a traceback."""
    import json

    odd_movie = {"id": 152601, "title": "Her", "release_date": None, "genres": None,
                 "production_countries": [None, {"name": None}], "runtime": "126",
                 "overview": None, "poster_path": 7, "imdb_id": None,
                 "credits": {"cast": [{"name": "Joaquin Phoenix", "order": "first"},
                                      {"name": None}, "Scarlett"],
                             "crew": None},
                 "external_ids": None}
    metadata_server.faults.append(metadata_helpers.Fault(
        where="/3/movie/152601", status=200, body=json.dumps(odd_movie).encode(), times=5))
    odd_entity = {"entities": {"Q101": {"id": "Q101", "labels": None, "claims": {
        "P31": [{"mainsnak": {"snaktype": "value", "datavalue": {"value": None}}}],
        "P57": [None, {"mainsnak": None}],
        "P161": [{"mainsnak": {"snaktype": "value", "datavalue": {"value": {"id": "Q5"}}},
                  "qualifiers": {"P1545": [{"datavalue": None}]}}],
        "P577": [{"mainsnak": {"snaktype": "value", "datavalue": {"value": "1999"}}}],
        "P2047": [{"mainsnak": {"snaktype": "value", "datavalue": {"value": None}}}]}}}}
    metadata_server.faults.append(metadata_helpers.Fault(
        where="ids=Q101&", status=200, body=json.dumps(odd_entity).encode(), times=5))

    record = make_source("tmdb", key=KEY, cache=cache).details("152601")
    assert (record.title, record.year, record.genres, record.directors) == ("Her", None, [], [])
    assert [c.name for c in record.cast] == ["Joaquin Phoenix"]
    assert record.poster_url is None and record.synopsis == ""
    wikidata = make_source("wikidata", cache=ResponseCache(None, max_age=0)).details("Q101")
    assert wikidata is not None and wikidata.key == "Q101" and wikidata.year is None


def test_a_field_typed_while_its_film_is_filled_in_is_kept(metadata_server, cache, journal,
                                                          monkeypatch):
    """What to fill in is decided and written in one transaction: a synopsis the user saves
    at that very moment is not overwritten by the source's."""
    import threading

    film = journal.films.create("Her", 2013)
    real = applying.default_fields
    typing: list[threading.Thread] = []

    def user_saves_meanwhile(*args, **kwargs):
        fields = real(*args, **kwargs)
        assert "synopsis" in fields          # empty when the run looked
        typing.append(threading.Thread(
            target=lambda: journal.films.update(film.id, synopsis="Mine, typed just now.")))
        typing[0].start()
        typing[0].join(0.5)                  # it waits for the run's transaction, if any
        return fields

    monkeypatch.setattr(applying, "default_fields", user_saves_meanwhile)
    summary = CatalogueCompleter(journal, make_source("tmdb", key=KEY, cache=cache),
                                 backup=False).run()
    typing[0].join(5)
    assert [o.outcome for o in summary.outcomes] == ["applied"]
    assert journal.models.Film.get_by_id(film.id).synopsis == "Mine, typed just now."


@pytest.mark.parametrize("how", ["confirmed", "run"])
def test_change_events_come_after_the_film_is_committed(metadata_server, cache, journal, how):
    """A page reloads on the change event, through its own connection: by then the film must be
    written for good, or the page shows (and keeps) the film as it was."""
    import sqlite3

    film = (journal.films.create("Nosferatu") if how == "confirmed"
            else journal.films.create("Her", tmdb_id="152601"))
    seen = []

    def reload_page(changes):
        if film.id in changes.films.ids:
            other = sqlite3.connect(f"file:{journal.store.path}?mode=ro", uri=True)
            seen.append(other.execute("SELECT year FROM film WHERE id = ?", (film.id,)
                                      ).fetchone()[0])
            other.close()

    journal.events.subscribe(reload_page)
    tmdb = make_source("tmdb", key=KEY, cache=cache)
    run = CatalogueCompleter(journal, tmdb, backup=False, flush_every=0)
    if how == "confirmed":
        candidate = run.run().outcomes[0].candidates[0]
        seen.clear()
        run.confirm(film.id, candidate)
        assert seen and seen[-1] == 1922
    else:
        run.run()
        assert seen and seen[-1] == 2013 and set(seen) == {2013}
