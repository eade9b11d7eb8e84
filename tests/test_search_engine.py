"""The search engine on a real journal file: filters, accents, phrases, ranking, index upkeep."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from journal.core.search import SearchEngine
from journal.core.search import index as search_index
from journal.core.synthetic import populate

TODAY = dt.date(2025, 6, 1)


@pytest.fixture
def data(journal):
    """Five films, six reviews, with known words, scores, dates, media, tags and people."""
    j = journal
    ids: dict[str, int] = {}

    def film(key, title, year, directors, cast=(), **fields):
        f = j.films.create(title, year, directors=directors, **fields)
        for name in cast:
            j.people.add_credit(f.id, name, "cast")
        ids[key] = f.id
        return f.id

    def review(key, film_id, body, date=None, medium=None, rewatch=False, **fields):
        viewing = j.viewings.log(film_id, date, medium=medium, rewatch=rewatch, today=TODAY)
        ids[key] = j.reviews.create(film_id, body, viewing_id=viewing.id, **fields).id
        return ids[key]

    film("amelie", "Amélie", 2001, ["Jean-Pierre Jeunet"], ["Audrey Tautou"],
         original_title="Le Fabuleux Destin d'Amélie Poulain", synopsis="A shy waitress in Paris.")
    film("mood", "In the Mood for Love", 2000, ["Wong Kar-Wai"], ["Maggie Cheung", "Tony Leung"])
    film("her", "Her", 2013, ["Spike Jonze"], ["Joaquin Phoenix", "Scarlett Johansson"])
    film("chinatown", "Chinatown", 1974, ["Roman Polanski"], ["Jack Nicholson"])
    film("joker", "Joker", 2019, ["Todd Phillips"], ["Joaquin Phoenix"])
    review("r_amelie", ids["amelie"], "A café in Montmartre, garden gnomes and a photo booth.",
           "2014-01-24", "bluray", score="8.5", tags=["comedy", "Paris"], status="published",
           eyelights="the colours", eyesores="a bit sugary")
    review("r_mood", ids["mood"], "Slow corridors, cigarette smoke and the rain.\n\n"
           "*Spoiler alert*\n\nThey never meet again.\n\n*End of spoilers*\n",
           "2014-03-02", "cinema", score="9.5", tags=["romance"], status="published")
    review("r_her", ids["her"], "A lonely writer falls for an operating system. The city is "
           "warm and the future is gentle.", "2014-02", "streaming", score="7.5", tags=["sci-fi"])
    review("r_chinatown", ids["chinatown"], "Forget it, Jake. It is noir in the sun, and the "
           "water is the crime. A love of maps.", "2013-11-05", "dvd", score="9", tags=["noir"],
           status="published")
    review("r_chinatown2", ids["chinatown"], "Seen again: the water plot is clearer now.",
           "2015-05-05", "bluray", score="9.5", tags=["Noir"])
    review("r_joker", ids["joker"], "Stairs, a dance, and a city that deserves better. "
           "Mentions love once.", None, None, score="6", rewatch=True)
    j.reviews.add_comment(ids["r_her"], "I cried at the ending, the piano piece is lovely.",
                          author="Zoé")
    return ids


def ids_of(result, kind="review"):
    return [h.id for h in result.hits if h.kind == kind]


def run(journal, text, **kw):
    result = SearchEngine(journal).search(text, **kw)
    assert not [m for m in result.messages if m.startswith("Search failed")], result.messages
    return result


# --------------------------------------------------------------------------- words


@pytest.mark.parametrize("query, key", [
    ("amelie", "r_amelie"), ("AMÉLIE", "r_amelie"), ("cafe", "r_amelie"),
    ("kar wai", "r_mood"), ("kar-wai", "r_mood"), ("wong", "r_mood"), ("poulain", "r_amelie"),
])
def test_accents_and_case_do_not_matter(journal, data, query, key):
    assert data[key] in ids_of(run(journal, query))


def test_every_word_must_appear(journal, data):
    assert ids_of(run(journal, "water sun", prefix_last=False)) == [data["r_chinatown"]]


def test_phrase_keeps_the_words_together(journal, data):
    assert ids_of(run(journal, '"operating system"')) == [data["r_her"]]
    assert ids_of(run(journal, '"system operating"')) == []


def test_exclusion_removes_hits(journal, data):
    both = set(ids_of(run(journal, "water", prefix_last=False)))
    assert both == {data["r_chinatown"], data["r_chinatown2"]}
    assert ids_of(run(journal, "water -jake", prefix_last=False)) == [data["r_chinatown2"]]
    assert ids_of(run(journal, 'water -"forget it"', prefix_last=False)) == [
        data["r_chinatown2"]]


def test_exclusion_alone_lists_everything_else(journal, data):
    found = set(ids_of(run(journal, "-water")))
    assert data["r_chinatown"] not in found and data["r_amelie"] in found


def test_or_matches_either_word(journal, data):
    found = set(ids_of(run(journal, "gnomes OR corridors", prefix_last=False)))
    assert found == {data["r_amelie"], data["r_mood"]}
    found = set(ids_of(run(journal, "gnomes OR corridors rain", prefix_last=False)))
    assert found == {data["r_mood"]}


def test_the_last_word_is_a_prefix_while_typing(journal, data):
    assert data["r_mood"] in ids_of(run(journal, "corrid"))
    assert ids_of(run(journal, "corrid", prefix_last=False)) == []
    assert data["r_mood"] in ids_of(run(journal, "corrid*", prefix_last=False))


def test_a_title_hit_ranks_before_a_body_hit(journal, data):
    # "Her" is the film's title; "love" is the title of In the Mood for Love and in two bodies.
    result = run(journal, "love", prefix_last=False)
    assert ids_of(result)[0] == data["r_mood"]
    assert set(ids_of(result)) == {data["r_mood"], data["r_chinatown"], data["r_joker"]}


def test_director_names_find_their_films_reviews(journal, data):
    assert set(ids_of(run(journal, "polanski"))) == {data["r_chinatown"], data["r_chinatown2"]}
    assert data["chinatown"] in ids_of(run(journal, "polanski"), "film")
    assert ids_of(run(journal, "polanski"), "person")


def test_hits_carry_film_date_score_and_a_marked_snippet(journal, data):
    hit = run(journal, "gnomes").hits[0]
    assert (hit.kind, hit.title, hit.year, hit.viewing_date, hit.score) == (
        "review", "Amélie", 2001, "2014-01-24", Decimal("8.5"))
    assert "[gnomes]" in hit.snippet_text()
    assert "<b>gnomes</b>" in hit.snippet_html()


def test_comments_are_found(journal, data):
    result = run(journal, "piano")
    comment = [h for h in result.hits if h.kind == "comment"]
    assert comment and comment[0].review_id == data["r_her"] and comment[0].label == "Zoé"


# --------------------------------------------------------------------------- filters

FILTER_CASES = [
    ("score:>=9", {"r_mood", "r_chinatown", "r_chinatown2"}),
    ("score:>9", {"r_mood", "r_chinatown2"}),
    ("score:<7", {"r_joker"}),
    ("score:7..8.5", {"r_amelie", "r_her"}),
    ("score:9", {"r_chinatown"}),
    ("score:9..", {"r_mood", "r_chinatown", "r_chinatown2"}),
    ("year:1990..1999", set()),
    ("year:2000..2013", {"r_amelie", "r_mood", "r_her"}),
    ("year:1974", {"r_chinatown", "r_chinatown2"}),
    ('director:"Spike Jonze"', {"r_her"}),
    ("director:kar-wai", {"r_mood"}),
    ("actor:phoenix", {"r_her", "r_joker"}),
    ("cast:cheung", {"r_mood"}),
    ("tag:noir", {"r_chinatown", "r_chinatown2"}),
    ("tag:NOIR", {"r_chinatown", "r_chinatown2"}),
    ("tag:paris", {"r_amelie"}),
    ("medium:bluray", {"r_amelie", "r_chinatown2"}),
    ("medium:blu-ray", {"r_amelie", "r_chinatown2"}),
    ("viewed:2014", {"r_amelie", "r_mood", "r_her"}),
    ("viewed:2014-01", {"r_amelie"}),
    ("viewed:2014-02", {"r_her"}),
    ("viewed:2014-01-01..2014-03-31", {"r_amelie", "r_mood", "r_her"}),
    ("viewed:2014-02-01..2014-12-31", {"r_mood", "r_her"}),
    ("viewed:<2014", {"r_chinatown"}),
    ("status:draft", {"r_her", "r_chinatown2", "r_joker"}),
    ("status:published", {"r_amelie", "r_mood", "r_chinatown"}),
    ("spoilers:yes", {"r_mood"}),
    ("rewatch:yes", {"r_chinatown2", "r_joker"}),
    ("-tag:noir status:published", {"r_amelie", "r_mood"}),
]


@pytest.mark.parametrize("query, expected", FILTER_CASES)
def test_each_filter_alone(journal, data, query, expected):
    result = run(journal, query)
    assert result.messages == []
    assert set(ids_of(result)) == {data[k] for k in expected}


@pytest.mark.parametrize("query, expected", [
    ("score:>=9 viewed:2014", {"r_mood"}),
    ("water score:>=9.5", {"r_chinatown2"}),
    ("city actor:phoenix", {"r_her", "r_joker"}),
    ("city actor:phoenix rewatch:no", {"r_her"}),
    ("tag:noir medium:dvd status:published spoilers:no", {"r_chinatown"}),
    ("year:2000..2001 -amelie", {"r_mood"}),
    ('director:"jean pierre" medium:bluray viewed:2014-01 score:8.5', {"r_amelie"}),
])
def test_filters_combine_with_each_other_and_with_words(journal, data, query, expected):
    result = run(journal, query, prefix_last=False)
    assert result.messages == []
    assert set(ids_of(result)) == {data[k] for k in expected}


def test_film_filters_keep_films_and_review_filters_keep_reviews_only(journal, data):
    result = run(journal, "actor:phoenix")
    assert {h.kind for h in result.hits} == {"review", "film"}
    assert set(ids_of(result, "film")) == {data["her"], data["joker"]}
    assert {h.kind for h in run(journal, "score:>=1").hits} == {"review"}


@pytest.mark.parametrize("query", [
    "score:abc water", "score:11 water", "year:19x water", "viewed:2014-13 water",
    "viewed:2015..2014 water", "medium:vhs water", "status:maybe water", "spoilers:perhaps water",
    "score: water", "score:9..7 water",
])
def test_an_invalid_filter_gives_a_message_and_the_rest_runs(journal, data, query):
    result = run(journal, query, prefix_last=False)
    assert len(result.messages) == 1 and ":" in result.messages[0]
    assert set(ids_of(result)) == {data["r_chinatown"], data["r_chinatown2"]}


# --------------------------------------------------------------------------- index upkeep


def test_the_index_follows_edits_deletes_and_restores(journal, data):
    rid = data["r_her"]
    journal.reviews.update(rid, body="Now about a zeppelin.")
    assert ids_of(run(journal, "zeppelin")) == [rid]
    assert rid not in ids_of(run(journal, "lonely", prefix_last=False))
    group = journal.reviews.delete(rid)
    assert ids_of(run(journal, "zeppelin")) == []
    journal.trash.restore(group)
    assert ids_of(run(journal, "zeppelin")) == [rid]


def test_the_index_follows_renames_tags_credits_and_film_trash(journal, data):
    journal.films.update(data["her"], title="Samantha")
    assert ids_of(run(journal, "samantha")) == [data["r_her"]]
    journal.people.rename(journal.people.find("Spike Jonze").id, "Adam Spiegel")
    assert ids_of(run(journal, "spiegel")) == [data["r_her"]]
    assert ids_of(run(journal, "jonze")) == []
    journal.reviews.update(data["r_her"], tags=["melancholy"])
    assert ids_of(run(journal, "tag:melancholy")) == [data["r_her"]]
    assert ids_of(run(journal, "melancholy")) == [data["r_her"]]
    journal.people.add_credit(data["her"], "Rooney Mara", "cast")
    assert ids_of(run(journal, "actor:mara")) == [data["r_her"]]
    assert ids_of(run(journal, "rooney")) == [data["r_her"]]
    group = journal.films.delete(data["her"], with_reviews=True)
    assert run(journal, "samantha").hits == []
    assert run(journal, "piano").hits == []  # a comment on a trashed review
    journal.trash.restore(group)
    assert ids_of(run(journal, "samantha"), "film") == [data["her"]]


def test_emptying_the_trash_leaves_nothing_behind(journal, data):
    journal.films.delete(data["chinatown"], with_reviews=True)
    journal.trash.empty()
    counts = search_index.counts(journal)
    assert counts["review_fts"] == journal.reviews.count()
    assert counts["film_fts"] == journal.films.count()
    assert search_index.check(journal)


def test_bulk_inserts_are_indexed_without_a_rebuild(journal):
    populate(journal, films=12, reviews=30, body_bytes=1500, seed=3)
    counts = search_index.counts(journal)
    assert counts["review_fts"] == 30 and counts["film_fts"] == 12
    title = journal.films.live().first().title
    hits = run(journal, f'"{title}"').hits
    assert any(h.kind == "film" for h in hits) and any(h.kind == "review" for h in hits)
    assert search_index.check(journal)


def test_rebuild_repairs_a_damaged_index(journal, data):
    db = journal.store.db
    db.execute_sql("DROP TRIGGER search8_review_ai")
    db.execute_sql("INSERT INTO review_fts(review_fts) VALUES ('delete-all')")
    assert run(journal, "gnomes").hits == []
    rows = search_index.rebuild(journal)
    assert rows["review_fts"] == 6 and rows["person_fts"] >= 10
    assert ids_of(run(journal, "gnomes")) == [data["r_amelie"]]
    rid = journal.reviews.create(data["her"], "A harmonica solo.").id  # trigger is back
    assert ids_of(run(journal, "harmonica")) == [rid]
    assert search_index.size_bytes(journal) > 0


def test_the_migration_indexes_an_existing_journal(journal_path):
    """A real version-2 file (migrations 1 and 2 only, rows written by hand) gains the index."""
    from peewee import SqliteDatabase

    from journal.core.journal import Journal
    from journal.store.migrations import MIGRATIONS

    db = SqliteDatabase(str(journal_path))
    for _version, _about, migrate in MIGRATIONS[:2]:
        migrate(db)
    now = "2024-01-01 00:00:00"
    db.execute_sql("INSERT INTO film (id, title, title_folded, year, kind, synopsis, created_at, "
                   "updated_at) VALUES (1, 'Paris, Texas', 'paris, texas', 1984, 'feature', '', "
                   "?, ?)", [now, now])
    db.execute_sql("INSERT INTO person (id, name, name_folded, created_at) "
                   "VALUES (1, 'Wim Wenders', 'wim wenders', ?)", [now])
    db.execute_sql("INSERT INTO credit (film_id, person_id, role, \"order\") "
                   "VALUES (1, 1, 'director', 0)")
    db.execute_sql("INSERT INTO review (film_id, title, body, eyelights, eyesores, status, "
                   "has_spoilers, language, created_at, updated_at) VALUES (1, '', "
                   "'A peep show and a red cap.', '', '', 'draft', 0, 'en', ?, ?)", [now, now])
    db.execute_sql("PRAGMA user_version = 2")
    db.close()
    with Journal.open(journal_path) as j:
        assert j.store.migrated_from == 2
        hits = SearchEngine(j).search("wenders peep").hits
        assert [h.title for h in hits] == ["Paris, Texas"]


def test_saved_searches_count_live(journal, data):
    from journal.core.search import SavedSearchService
    from journal.errors import ValidationError

    saved = SavedSearchService(journal)
    s = saved.create("Great noir", "tag:noir score:>=9")
    assert saved.count(s.id) == 2
    journal.reviews.delete(data["r_chinatown2"])
    assert saved.count(s.id) == 1
    with pytest.raises(ValidationError):
        saved.create("great NOIR", "x")
    assert saved.rename(s.id, "Noir").name == "Noir"
    saved.delete(s.id)
    assert saved.all() == []
