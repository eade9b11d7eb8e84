"""Search: behaviour the seed-18 mutation sample of the core found untested (docs/testing.md,
"Mutation testing"). Each test failed with its mutant switched on."""

from __future__ import annotations

import random

from journal.core.search.engine import SearchEngine
from journal.core.search.index import size_bytes


def test_viewings_are_found_by_their_film_s_words(journal):
    her = journal.films.create("Her", 2013)
    alien = journal.films.create("Alien", 1979)
    journal.viewings.log(her.id, "2014-01-24")
    seen = journal.viewings.log(alien.id, "2015-02-01").id
    engine = SearchEngine(journal)
    query = "alien viewed:>2000"
    assert [(h.kind, h.id) for h in engine.search(query, kinds=("viewing",)).hits] == [
        ("viewing", seen)]
    assert engine.count(query, kinds=("viewing",)) == 1


def test_the_index_size_counts_the_indexed_words(journal):
    before = size_bytes(journal)
    rnd = random.Random(18)
    words = " ".join("".join(rnd.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(8))
                     for _ in range(20_000))  # 180 KB of words that are all different
    journal.reviews.create(journal.films.create("Her", 2013).id, words)
    # the index's segments (its _data table) hold every word: they grow with the text
    assert size_bytes(journal) - before >= len(words) // 2
