"""Search-as-you-type's two stages (newest matches first, then ranked), cancellation, and the
Search page's own read connection (SearchReader) — Qt-free, on real journal files."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from journal.core.search import SearchCancelled, SearchEngine, SearchReader
from journal.core.search.engine import _rows_of


@pytest.fixture
def rainy(journal):
    """Eight reviews that all say "rain" (one says it in its title too), one rare word."""
    films = [journal.films.create(f"Film {n}", 1990 + n, directors=[f"Director {n}"]).id
             for n in range(8)]
    ids = [journal.reviews.create(film_id, f"Rain on the window, take {n}. Rainfall at dusk.").id
           for n, film_id in enumerate(films)]
    ids.append(journal.reviews.create(films[0], "A zeppelin over the harbour, and rain.",
                                      title="Rain, rain").id)
    return journal, ids


def ids_of(result, kind="review"):
    return [h.id for h in result.hits if h.kind == kind]


def test_recent_order_gives_the_newest_matches_unranked(rainy):
    journal, ids = rainy
    result = SearchEngine(journal).search("rain", limit=4, order="recent", kinds=("review",))
    assert ids_of(result) == sorted(ids, reverse=True)[:4]
    assert not result.ranked and not result.complete
    assert all(h.snippet for h in result.hits)  # the first answer comes with its snippets


def test_recent_order_with_room_for_every_match_is_complete(rainy):
    journal, ids = rainy
    result = SearchEngine(journal).search("rain", limit=50, order="recent", kinds=("review",))
    assert sorted(ids_of(result)) == sorted(ids) and result.complete and not result.ranked


def test_first_answer_is_ranked_at_once_when_every_match_is_in_it(rainy):
    journal, ids = rainy
    engine = SearchEngine(journal)
    first = engine.first_answer("rain", limit=50)
    ranked = engine.search("rain", limit=50)
    assert first.ranked and first.hits == ranked.hits
    assert ids_of(first)[0] == ids[-1]  # the title hit ranks first


def test_first_answer_of_a_common_word_is_the_newest_page_to_refine(rainy):
    journal, ids = rainy
    engine = SearchEngine(journal)
    first = engine.first_answer("rai", limit=3)  # a prefix while typing
    assert not first.ranked and ids_of(first) == sorted(ids, reverse=True)[:3]
    assert engine.search("rai", limit=3).ranked


def test_first_answer_with_no_match_is_final(rainy):
    journal, _ids = rainy
    result = SearchEngine(journal).first_answer("snowstorm")
    assert result.ranked and result.complete and result.hits == []


def test_filters_only_are_in_their_final_order_at_once(rainy):
    journal, _ids = rainy
    result = SearchEngine(journal).search("year:1990..1993", order="recent")
    assert result.ranked and result.hits


def test_prefix_snippets_over_a_span_match_the_snippets_by_id(rainy):
    journal, ids = rainy
    engine = SearchEngine(journal)
    result = engine.search("rai", limit=50, snippets=0)
    assert all(h.snippet_pending for h in result.hits)
    filled = result.fill_snippets(result.hits)
    assert all("\ue000" in h.snippet for h in filled if h.kind == "review")
    sql, params = _rows_of("review_fts", [3, 9, 5], prefix=True)
    assert "BETWEEN" in sql and params[:2] == [3, 9]
    assert "BETWEEN" not in _rows_of("review_fts", [3, 9], prefix=False)[0]


def test_a_cancelled_search_raises_and_is_never_a_message(rainy):
    journal, _ids = rainy
    with pytest.raises(SearchCancelled):
        SearchEngine(journal).search("rain", cancelled=lambda: True)


def test_unknown_order_is_refused(rainy):
    with pytest.raises(ValueError):
        SearchEngine(rainy[0]).search("rain", order="sideways")


# ---------------------------------------------------------------------- the reader


def test_the_reader_searches_like_the_journal_and_sees_later_commits(rainy):
    journal, ids = rainy
    reader = SearchReader.for_journal(journal)
    try:
        engine = SearchEngine(reader)
        assert reader.run(lambda _r: engine.search("rain").hits) == \
            SearchEngine(journal).search("rain").hits
        film = journal.films.live().first()
        new = journal.reviews.create(film.id, "Hail and thunder.").id
        assert ids_of(reader.run(lambda _r: engine.search("thunder"))) == [new]
        assert reader.opened == 1
    finally:
        reader.close()
    assert not reader.is_open


def test_the_reader_cannot_write(rainy):
    journal, _ids = rainy
    reader = SearchReader.for_journal(journal)
    try:
        with pytest.raises(sqlite3.OperationalError):
            reader.run(lambda r: r.execute_sql("DELETE FROM review"))
    finally:
        reader.close()
    assert journal.reviews.live().count() == 9


def test_the_reader_outside_run_refuses(rainy):
    reader = SearchReader.for_journal(rainy[0])
    with pytest.raises(sqlite3.ProgrammingError):
        reader.execute_sql("SELECT 1")


def test_a_search_cancelled_before_it_starts_opens_nothing(rainy):
    reader = SearchReader.for_journal(rainy[0])
    with pytest.raises(SearchCancelled):
        reader.run(lambda r: r.execute_sql("SELECT 1").fetchall(), cancelled=lambda: True)
    assert reader.opened == 0 and not reader.is_open


ENDLESS = ("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1e15) "
           "SELECT count(*) FROM c")


def test_a_running_statement_stops_when_cancelled_from_another_thread(rainy):
    reader = SearchReader.for_journal(rainy[0])
    stop = threading.Event()
    threading.Timer(0.05, stop.set).start()
    try:
        with pytest.raises(sqlite3.OperationalError, match="interrupt"):
            reader.run(lambda r: r.execute_sql(ENDLESS).fetchone(), cancelled=stop.is_set)
        # the connection is still usable for the next search
        assert reader.run(lambda r: r.execute_sql("SELECT count(*) FROM review").fetchone()) \
            == (9,)
    finally:
        reader.close()


def test_close_stops_a_running_statement_and_the_next_run_reopens(rainy):
    reader = SearchReader.for_journal(rainy[0])
    failures: list[BaseException] = []

    def endless() -> None:
        try:
            reader.run(lambda r: r.execute_sql(ENDLESS).fetchone())
        except sqlite3.OperationalError as exc:
            failures.append(exc)

    thread = threading.Thread(target=endless)
    thread.start()
    while not reader.is_open:  # the worker has the connection and runs the statement
        threading.Event().wait(0.005)
    reader.close()
    thread.join(10)
    assert not thread.is_alive() and failures and not reader.is_open
    assert reader.run(lambda r: r.execute_sql("SELECT 1").fetchone()) == (1,)
    assert reader.opened == 2
    reader.close()


def test_a_read_only_journal_gets_a_read_only_reader(journal_path):
    from journal.core.journal import Journal

    with Journal.open(journal_path) as journal:
        film = journal.films.create("Stalker", 1979, directors=["Andrei Tarkovsky"])
        journal.reviews.create(film.id, "The zone, the room, the rain.")
    with Journal.open(journal_path, read_only=True) as journal:
        reader = SearchReader.for_journal(journal)
        try:
            assert reader.read_only
            hits = reader.run(lambda r: SearchEngine(r).search("zone").hits)
            assert [h.title for h in hits] == ["Stalker"]
        finally:
            reader.close()
