"""The Reviews list's ids query (``journal.core.review_rows``), without Qt: its quick filter is
the Python rule ``matches(filter_key(row), filter_terms(text))`` run in SQL, and its orders are
the list's columns sorted as the user reads them. The list runs it on its own connection
(``SearchReader``, which gives SQL the Python ``fold``)."""

from __future__ import annotations

import itertools

import pytest

from journal.core import review_rows as rr
from journal.core.sample import load_sample
from journal.core.search.reader import SearchReader


@pytest.fixture
def varied(journal):
    """The sample's five reviews and the cases a filter in SQL could get wrong: accents and
    punctuation in film titles, review titles that are not plain ASCII, a draft without a
    film, a review of a film the Trash holds (left live by an old bug), one in the Trash."""
    load_sample(journal)
    amelie = journal.films.create("Amélie", 2001)
    paris = journal.reviews.create(amelie.id, "Paris.", title="Crème brûlée 8.5", score="8.5")
    her = journal.films.create("Her", 2013)
    journal.reviews.create(her.id, "Voices.", title="Her 8.5 — the voice_over", score="8.5",
                           status="published")
    journal.reviews.create(None, "Notes first.", title="Ça commence")
    journal.reviews.create(None, "Untitled notes.")
    gone = journal.films.create("Vanished", 1999)
    journal.reviews.create(gone.id, "Lost.", title="Vanished review")
    journal.store.db.execute_sql("UPDATE film SET deleted_at = '2026-01-01' WHERE id = ?",
                                 (gone.id,))
    trashed = journal.reviews.create(her.id, "Gone.", title="In the Trash")
    journal.reviews.delete(trashed.id)
    journal.reviews.update(paris.id, body="Paris, again.")  # the newest edit, not the newest id
    reader = SearchReader(journal.path)
    yield journal, reader
    reader.close()


def ids(reader, terms, sort="edited", descending=True):
    sql, params = rr.build_ids_sql(terms, sort, descending)
    return reader.run(lambda r: r.ids(sql, params))


WORDS = ["", "the", "e", "amelie", "AMÉLIE", "creme brulee", "brûlée", "8", "5", "8.5",
         "dr", "caligari 1920", "cabinet 1920", "nosferatu 1920", "no film", "ca commence",
         "ça", "published", "draft", "voice", "over", "voice_over", "—", "vanished", "trash",
         "2013 her", "1", "zz"]


def test_the_filter_in_sql_is_the_python_rule(varied):
    journal, reader = varied
    rows = journal.reviews.rows()  # every live review, newest edit first
    assert len(rows) == 9
    for text in WORDS:
        terms = rr.filter_terms(text)
        expected = [r.id for r in rows if rr.matches(rr.filter_key(r), terms)]
        assert sorted(ids(reader, terms)) == sorted(expected), text
    assert ids(reader, rr.filter_terms("creme brulee")) != []  # the cases are really there
    assert ids(reader, rr.filter_terms("no film")) != []
    assert ids(reader, rr.filter_terms("vanished")) == []


#: What each column sorts by, as the user sees the column (no score: below every score).
SORT_KEYS = {
    "film": lambda r: r.film_title_folded,
    "year": lambda r: r.film_year or 0,
    "score": lambda r: -1 if r.score_tenths is None else r.score_tenths,
    "viewed": lambda r: r.viewing_date or "",
    "status": lambda r: r.status,
    "edited": lambda r: r.updated_at,
}


def test_each_column_sorts_in_sql_as_in_python(varied):
    journal, reader = varied
    rows = journal.reviews.rows()  # newest edit first: equal keys keep this order
    assert len({r.updated_at for r in rows}) == len(rows)
    for (sort, key), descending in itertools.product(SORT_KEYS.items(), (False, True)):
        expected = [r.id for r in sorted(rows, key=key, reverse=descending)]
        assert ids(reader, [], sort, descending) == expected, (sort, descending)
        filtered = [i for i in expected if i in set(ids(reader, ["e"]))]
        assert ids(reader, ["e"], sort, descending) == filtered, (sort, descending)


def test_an_unknown_sort_is_refused(varied):
    with pytest.raises(ValueError):
        rr.build_ids_sql([], "body")


def test_rows_are_read_by_id_a_screenful_at_a_time(varied):
    journal, _reader = varied
    every = journal.reviews.rows()
    some = [every[0].id, every[3].id, 10**6]  # an id gone meanwhile: simply absent
    got = rr.rows_by_id(journal, some)
    assert got == {r.id: r for r in (every[0], every[3])}
    assert rr.rows_by_id(journal, []) == {}
    assert rr.review_ids(journal, *rr.build_ids_sql([])) == [r.id for r in every]
