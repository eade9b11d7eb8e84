"""The catalogue, reviews and Trash behaviour that the seed-17 mutation sample of the core found
untested (docs/testing.md, "Mutation testing"). Each test failed with its mutant switched on."""

from __future__ import annotations

import datetime as dt

import pytest

from journal.core import catalogue_query as cq
from journal.errors import ValidationError


def test_merging_keeps_a_persons_two_roles_on_the_film(journal):
    j = journal
    keep = j.films.create("Her", 2013).id
    other = j.films.create("Her (copy)", 2013).id
    j.people.add_credit(keep, "Spike Jonze", "director")
    j.people.add_credit(other, "Spike Jonze", "writer")
    j.people.add_credit(other, "Spike Jonze", "director")  # the same credit twice: one kept
    j.films.merge(keep, other)
    credits = sorted((c.person.name, c.role) for c in j.films.credits(keep))
    assert credits == [("Spike Jonze", "director"), ("Spike Jonze", "writer")]


def test_a_backlink_is_labelled_by_its_reviews_film(journal):
    j = journal
    her = j.films.create("Her", 2013)
    lost = j.films.create("Lost in Translation", 2003)
    untitled = j.reviews.create(her.id, "Compare [[Lost in Translation (2003)]].")
    titled = j.reviews.create(her.id, "Again [[Lost in Translation (2003)]].", title="Letters")
    assert j.films.mentioned_in(lost.id) == [(untitled.id, "Review of Her"),
                                             (titled.id, "Letters")]


def test_deleting_a_person_says_the_trash_changed(journal):
    heard = []
    journal.events.subscribe(heard.append)
    person = journal.people.get_or_create("Spike Jonze")
    journal.people.delete(person.id)
    assert heard[-1].trash and list(heard[-1].people.ids) == [person.id]


def test_a_filter_with_a_wrong_operator_names_the_filter_field(journal):
    with pytest.raises(ValidationError) as refused:
        cq.film_ids(journal, "title>Her")
    assert refused.value.field == "filter"


def test_a_viewing_of_another_film_is_refused_on_the_viewing_field(journal):
    j = journal
    her = j.films.create("Her", 2013)
    other = j.films.create("Alien", 1979)
    viewing = j.viewings.log(other.id, "2014-01-24")
    with pytest.raises(ValidationError) as wrong:
        j.reviews.create(her.id, "Body", viewing_id=viewing.id)
    assert (str(wrong.value), wrong.value.field) == ("That viewing is of another film.",
                                                    "viewing")
    with pytest.raises(ValidationError) as no_film:
        j.reviews.create(None, "Body", viewing_id=viewing.id)
    assert (str(no_film.value), no_film.value.field) == (
        "Choose the film before linking a viewing.", "viewing")


def test_eyelights_alone_are_kept_on_one_line(journal):
    her = journal.films.create("Her", 2013)
    review = journal.reviews.create(her.id, "Body")
    journal.reviews.update(review.id, eyelights="Joaquin\n  Phoenix")
    assert journal.reviews.get(review.id).eyelights == "Joaquin Phoenix"
    journal.reviews.update(review.id, eyesores="a long\tlast act")
    assert journal.reviews.get(review.id).eyesores == "a long last act"


def test_revisions_of_the_same_second_come_newest_first(journal):
    j = journal
    her = j.films.create("Her", 2013)
    review = j.reviews.create(her.id, "Body")
    same = dt.datetime(2026, 12, 6, 12, 0, 0)
    m = j.models
    with j.write():
        ids = [m.Revision.create(review=review.id, reason=f"r{n}", title="", body=str(n),
                                 eyelights="", eyesores="", score=None, created_at=same).id
               for n in range(3)]
    assert [r.id for r in j.reviews.revisions(review.id)] == ids[::-1]


def test_a_comment_in_the_trash_names_its_reviews_film(journal):
    j = journal
    her = j.films.create("Her", 2013)
    review = j.reviews.create(her.id, "Body")
    comment = j.reviews.add_comment(review.id, "Lovely.", author="Ann")
    group = j.trash.new_group()
    with j.write():
        j.trash.mark(j.models.Comment, [comment.id], group)
    [shown] = j.trash.groups()
    assert (shown.summary(), shown.label) == ("1 comment", "Comment by Ann on Her (2013)")
    assert [(i.kind, i.id) for i in shown.items] == [("comment", comment.id)]


def test_a_saved_search_with_nothing_to_find_counts_nothing(journal):
    from journal.core.search.engine import SearchEngine

    her = journal.films.create("Her", 2013)
    journal.reviews.create(her.id, "Letters written for others.")
    engine = SearchEngine(journal)
    assert engine.count("letters") == 1
    assert (engine.count(""), engine.count("   "), engine.count('""')) == (0, 0, 0)


@pytest.mark.expect_log(r"ERROR journal\.core\.search\.engine: count failed for 'letters'")
def test_a_count_the_database_refuses_is_zero_and_logged(journal):
    from journal.core.search.engine import SearchEngine

    her = journal.films.create("Her", 2013)
    journal.reviews.create(her.id, "Letters written for others.")
    with journal.write():
        journal.store.db.execute_sql("DROP TABLE review_fts")  # a damaged search index
    assert SearchEngine(journal).count("letters", kinds=("review",)) == 0
