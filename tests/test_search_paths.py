"""The engine's fast paths: ranking on the index alone, the Trash and filters as id sets,
snippets for the first hits only (the rest on demand), and the results model that fills them."""

from __future__ import annotations

import datetime as dt

import pytest

from journal.core.search import SearchEngine
from journal.ui.pages.search_models import HtmlRole, SearchResultsModel, SizeTextRole

TODAY = dt.date(2025, 6, 1)


@pytest.fixture
def many(journal):
    """Eight films with one review each, all mentioning "lantern"; the first two also in the title."""
    ids = []
    for n in range(8):
        film = journal.films.create(f"Lantern {n}" if n < 2 else f"Night Film {n}", 1950 + n,
                                    directors=[f"Director {n}"])
        viewing = journal.viewings.log(film.id, f"2014-0{n + 1}-01", medium="cinema",
                                       today=TODAY)
        body = " ".join(["A lantern swings in the dark."] * (n + 1)) + " The end."
        ids.append(journal.reviews.create(film.id, body, viewing_id=viewing.id,
                                          score=str(n + 2)).id)
    return ids


def review_ids(result):
    return [h.id for h in result.hits if h.kind == "review"]


def test_only_the_first_hits_get_snippets_and_the_rest_fill_on_demand(journal, many):
    engine = SearchEngine(journal)
    eager = engine.search("lantern", kinds=("review",), snippets=None)
    lazy = engine.search("lantern", kinds=("review",), snippets=3)
    assert review_ids(lazy) == review_ids(eager) and len(lazy.hits) == 8
    assert [h.snippet_pending for h in lazy.hits] == [False] * 3 + [True] * 5
    assert all(h.snippet == "" for h in lazy.hits[3:])
    filled = lazy.fill_snippets(lazy.hits[3:6])
    assert [h.snippet for h in filled] == [h.snippet for h in eager.hits[3:6]]
    assert all("\ue000" in h.snippet for h in filled)
    assert [h.snippet_pending for h in lazy.hits] == [False] * 6 + [True] * 2
    assert "snippet_pending" not in lazy.hits[0].as_dict()


def test_snippets_fall_back_to_the_column_that_matched(journal, many):
    hit = SearchEngine(journal).search("director 3", kinds=("review",), prefix_last=False).hits
    assert hit and "Director" in hit[0].snippet_text()  # a hit in the people column


def test_a_title_hit_still_ranks_first(journal, many):
    ranked = review_ids(SearchEngine(journal).search("lantern", kinds=("review",)))
    assert set(ranked[:2]) == set(many[:2])


def test_trashed_rows_and_rows_of_trashed_films_are_never_found(journal, many):
    engine = SearchEngine(journal)
    journal.reviews.delete(many[2])
    journal.reviews.add_comment(many[3], "The lantern again!", author="Zoé")
    # a film in the Trash hides its (live) review and that review's comments
    with journal.write():
        journal.store.db.execute_sql("UPDATE film SET deleted_at = '2025-01-01' WHERE id = "
                                     "(SELECT film_id FROM review WHERE id = ?)", [many[3]])
    found = engine.search("lantern", limit=50)
    assert many[2] not in review_ids(found) and many[3] not in review_ids(found)
    assert [h for h in found.hits if h.kind == "comment"] == []
    assert len(review_ids(found)) == 6
    assert engine.count("lantern", kinds=("review",)) == 6
    filtered = engine.search("lantern score:>=2", kinds=("review",))
    assert set(review_ids(filtered)) == set(many) - {many[2], many[3]}


def test_filters_restrict_the_ranked_words_before_the_limit(journal, many):
    engine = SearchEngine(journal)
    # the title hits rank first; a limit of 2 must still give the filtered ones
    result = engine.search("lantern score:>=8", kinds=("review",), limit=2)
    assert review_ids(result) == [many[7], many[6]]  # the most "lantern"s ranks higher
    assert engine.count("lantern score:>=8 viewed:2014-07") == 1
    assert review_ids(engine.search("lantern -swings")) == []
    listed = engine.search("score:>=8", kinds=("review",))
    assert review_ids(listed) == [many[7], many[6]]  # newest viewing first
    assert listed.hits[0].snippet.startswith("A lantern")


def test_the_results_model_fills_pending_snippets_when_shown(journal, many, qtbot):
    result = SearchEngine(journal).search("lantern", kinds=("review",), snippets=2)
    model = SearchResultsModel()
    model.set_result(result)
    group = model.index(0, 0)
    last = model.index(7, 0, group)
    heading, snippet = last.data(SizeTextRole)
    assert snippet is None and model.hit(last).title in heading  # a size hint computes nothing
    assert model.hit(last).snippet_pending
    with qtbot.waitSignal(model.dataChanged, timeout=1000) as changed:
        html = last.data(HtmlRole)
    assert "<b><u>lantern</u></b>" in html.lower()
    assert changed.args[0].row() == 7 and not model.hit(last).snippet_pending
    third = model.index(2, 0, group)
    assert "<u>" in third.data(HtmlRole) and not model.hit(model.index(6, 0, group)).snippet_pending
