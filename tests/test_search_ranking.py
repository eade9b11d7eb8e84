"""The ranked page is exactly FTS5's bm25 page with the field weights, also for a word found in
every review: no shortcut (a title-first tier, a heads-only index, a sample) may change it.

bm25 adds a column's weight for each occurrence before it saturates the sum; the title's weight
(100) is above what a review's text can add, so a title hit outranks any body-only hit, also for
a word the text says again and again (see docs/search.md, "Ranking")."""

from __future__ import annotations

import pytest

from journal.core.search import SearchEngine
from journal.core.search.sql import SPECS

WEIGHTS = ", ".join(str(w) for w in SPECS["review"].weights)


def bm25_page(journal, word: str, limit: int) -> list[int]:
    rows = journal.store.db.execute_sql(
        f"SELECT rowid FROM review_fts WHERE review_fts MATCH ? "
        f"ORDER BY bm25(review_fts, {WEIGHTS}), rowid LIMIT ?", [f'"{word}"', limit])
    return [int(r[0]) for r in rows]


@pytest.fixture
def everywhere(journal):
    """Twenty-four reviews of 60 words that all mention "lantern", 1 to 24 times (as in the
    generated journals, where every review is about as long); every sixth film has the word in
    its title."""
    ids, titled = [], []
    for n in range(24):
        in_title = n % 6 == 0
        film = journal.films.create(f"Lantern Night {n}" if in_title else f"Dark Harbour {n}",
                                    1950 + n)
        body = " ".join(["lantern"] * (n + 1) + ["water"] * (59 - n))
        review = journal.reviews.create(film.id, body)
        ids.append(review.id)
        if in_title:
            titled.append(review.id)
    return ids, titled


def review_ids(result) -> list[int]:
    return [h.id for h in result.hits if h.kind == "review"]


@pytest.mark.parametrize("limit", [1, 5, 10, 24])
def test_the_ranked_page_is_bm25s_page_for_a_word_in_every_review(journal, everywhere, limit):
    engine = SearchEngine(journal)
    ranked = review_ids(engine.search("lantern", kinds=("review",), limit=limit,
                                      prefix_last=False))
    assert ranked == bm25_page(journal, "lantern", limit)
    assert len(ranked) == limit


def test_a_title_hit_outranks_any_number_of_mentions_in_the_text(journal, everywhere):
    ids, titled = everywhere
    ranked = review_ids(SearchEngine(journal).search("lantern", kinds=("review",), limit=24,
                                                     prefix_last=False))
    assert sorted(ranked) == sorted(ids)
    wordy = ids[-1]  # 24 mentions in its text, none in its title
    assert wordy not in titled
    assert set(ranked[:len(titled)]) == set(titled)  # every titled one first
    assert ranked.index(wordy) == len(titled)  # then the wordiest text
