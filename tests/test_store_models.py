"""The store: every model round-trips, exact scores, partial dates, Trash."""

from __future__ import annotations

import datetime as dt
import sqlite3
from decimal import Decimal

import pytest

from journal.core.values import PartialDate, parse_score
from journal.errors import NotFound, Refused, ValidationError


def test_every_model_round_trips(journal, journal_path):
    m = journal.models
    film = journal.films.create("Eternal Sunshine of the Spotless Mind", 2004,
                                directors=["Michel Gondry"], original_title="Eternal Sunshine",
                                runtime_minutes=108, synopsis="Joel erases Clementine…",
                                imdb_id="tt0338013", tmdb_id="38", letterboxd_uri="https://boxd.it/1")
    journal.people.add_credit(film.id, "Kate Winslet", "cast", character="Clementine", order=1)
    poster = journal.films.set_poster(film.id, b"\x89PNG fake bytes", "image/png", 10, 15)
    viewing = journal.viewings.log(film.id, "2014-01-24", medium="Blu-ray", venue="Home",
                                   companions="Ana", note="Rainy night ☔")
    review = journal.reviews.create(
        film.id, "> “Meet me in Montauk.”\n\nBody — with accents: é, ü, 🎬", title="Memory",
        score="8.5", eyelights="Carrey’s restraint", eyesores="The ending drags",
        status="published", viewing_id=viewing.id, tags=["romance", "sci-fi"],
        published_url="https://blog.example/her")
    comment = journal.reviews.add_comment(review.id, "Great read!", author="Léa",
                                          posted_at=dt.datetime(2014, 2, 1, 9, 30))
    reply = journal.reviews.add_comment(review.id, "Thanks!", author="me", parent_id=comment.id)
    entry = journal.watchlist.add(film.id, note="again", recommended_by="Ana", priority=3)
    revision = journal.reviews.snapshot(review.id, "manual")
    m.JournalMeta.create(key="created_by", value="tests")
    journal.close()

    # Re-open the file and read everything back.
    from journal.core.journal import Journal

    j2 = Journal.open(journal_path)
    m = j2.models
    try:
        f = m.Film.get_by_id(film.id)
        assert (f.title, f.year, f.original_title, f.runtime_minutes, f.imdb_id, f.tmdb_id) == \
            ("Eternal Sunshine of the Spotless Mind", 2004, "Eternal Sunshine", 108, "tt0338013",
             "38")
        assert f.poster_id == poster.id and m.Poster.get_by_id(poster.id).data == b"\x89PNG fake bytes"
        assert j2.films.directors(f) == ["Michel Gondry"]
        cast = m.Credit.select().join(m.Person).where(m.Credit.role == "cast").get()
        assert (cast.person.name, cast.character, cast.order) == ("Kate Winslet", "Clementine", 1)
        v = m.Viewing.get_by_id(viewing.id)
        assert (v.watched_on, v.medium, v.venue, v.companions, v.note) == \
            ("2014-01-24", "bluray", "Home", "Ana", "Rainy night ☔")
        r = m.Review.get_by_id(review.id)
        assert r.body.endswith("🎬") and r.score == Decimal("8.5") and r.status == "published"
        assert (r.eyelights, r.eyesores, r.viewing_id) == ("Carrey’s restraint", "The ending drags",
                                                            viewing.id)
        assert r.published_at is not None and r.language == "en"
        assert j2.reviews.tags(review.id) == ["romance", "sci-fi"]
        assert m.Tag.select().count() == 2 and m.ReviewTag.select().count() == 2
        c = m.Comment.get_by_id(reply.id)
        assert c.parent_id == comment.id and c.author == "me"
        assert m.Comment.get_by_id(comment.id).posted_at == dt.datetime(2014, 2, 1, 9, 30)
        assert m.WatchlistEntry.get_by_id(entry.id).priority == 3
        assert m.Revision.get_by_id(revision.id).body == r.body
        assert m.JournalMeta.get_by_id("created_by").value == "tests"
    finally:
        j2.close()


def test_score_is_stored_exactly_as_tenths(journal, journal_path):
    film = journal.films.create("Her", 2013)
    review = journal.reviews.create(film.id, "", score="8.5")
    raw = sqlite3.connect(journal_path).execute(
        "SELECT score_tenths, typeof(score_tenths) FROM review WHERE id = ?", (review.id,)).fetchone()
    assert raw == (85, "integer")
    assert journal.reviews.get(review.id).score == Decimal("8.5")
    assert str(journal.reviews.get(review.id).score) == "8.5"
    for value, expected in ((0, "0.0"), (10, "10.0"), ("7,3", "7.3"), (9.1, "9.1"), ("6/10", "6.0")):
        journal.reviews.update(review.id, score=value)
        assert str(journal.reviews.get(review.id).score) == expected
    journal.reviews.update(review.id, score=None)
    assert journal.reviews.get(review.id).score is None


@pytest.mark.parametrize("bad", ["10.5", "-1", "8.55", "abc", "nan", "inf", True])
def test_invalid_scores_are_refused_with_a_message(bad):
    with pytest.raises(ValidationError) as info:
        parse_score(bad)
    assert info.value.field == "score" and info.value.message


def test_score_check_constraint_protects_the_table(journal, journal_path):
    film = journal.films.create("Her", 2013)
    journal.reviews.create(film.id, "")
    con = sqlite3.connect(journal_path)
    with pytest.raises(sqlite3.IntegrityError):
        con.execute("UPDATE review SET score_tenths = 101")
    con.close()


def test_partial_dates_store_sort_and_display(journal):
    film = journal.films.create("Stalker", 1979)
    dates = ["2014-01-24", "2014-01", "2014", None, "2013-12-31"]
    for d in dates:
        journal.viewings.log(film.id, d)
    stored = [v.watched_on for v in journal.viewings.for_film(film.id)]
    assert stored == [None, "2013-12-31", "2014", "2014-01", "2014-01-24"]
    diary = [v.watched_on for v in journal.viewings.diary()]
    assert diary == ["2014-01-24", "2014-01", "2014", "2013-12-31", None]
    assert PartialDate.parse("2014-01-24").display() == "24 January 2014"
    assert PartialDate.parse("2014-01").display() == "January 2014"
    assert PartialDate.parse("2014").display() == "2014"


@pytest.mark.parametrize("bad", ["2014-02-30", "2014-13", "1887", "24/01/2014", "2999-01-01"])
def test_impossible_dates_are_refused(journal, bad):
    film = journal.films.create("Stalker", 1979)
    with pytest.raises(ValidationError):
        journal.viewings.log(film.id, bad)
    assert journal.viewings.live().count() == 0


def test_rewatch_is_derived_from_earlier_viewings(journal):
    from journal.core.diary import is_rewatch

    film = journal.films.create("Solaris", 1972)
    later = journal.viewings.log(film.id, "2020-05-01")
    first = journal.viewings.log(film.id, "2010")
    flagged = journal.viewings.log(journal.films.create("Mirror", 1975).id, "2021",
                                   rewatch=True)
    assert not is_rewatch(first) and is_rewatch(later) and is_rewatch(flagged)


def test_trash_and_restore_a_review(journal):
    film = journal.films.create("Her", 2013)
    review = journal.reviews.create(film.id, "text")
    group = journal.reviews.delete(review.id)
    assert journal.reviews.count() == 0
    with pytest.raises(NotFound):
        journal.reviews.get(review.id)
    assert [g.counts for g in journal.trash.groups()] == [{"review": 1}]
    journal.trash.restore(group)
    assert journal.reviews.get(review.id).body == "text"
    assert journal.trash.groups() == []


def test_deleting_a_film_with_reviews_is_refused_then_trashed_together(journal):
    film = journal.films.create("Her", 2013)
    viewing = journal.viewings.log(film.id, "2014")
    review = journal.reviews.create(film.id, "text", viewing_id=viewing.id)
    with pytest.raises(Refused):
        journal.films.delete(film.id)
    assert journal.films.get(film.id) and journal.reviews.get(review.id)  # nothing moved
    group = journal.films.delete(film.id, with_reviews=True)
    assert journal.films.count() == 0 and journal.reviews.count() == 0
    assert journal.viewings.live().count() == 0
    journal.trash.restore(group)
    assert journal.reviews.get(review.id).viewing_id == viewing.id
    assert journal.films.get(film.id).title == "Her"


def test_emptying_the_trash_deletes_for_good(journal):
    m = journal.models
    film = journal.films.create("Her", 2013)
    journal.reviews.create(film.id, "text")
    journal.films.delete(film.id, with_reviews=True)
    assert journal.trash.empty() == 2
    assert m.Film.select().count() == 0 and m.Review.select().count() == 0


def test_sql_level_delete_of_a_film_with_reviews_is_restricted(journal, journal_path):
    film = journal.films.create("Her", 2013)
    journal.reviews.create(film.id, "text")
    con = sqlite3.connect(journal_path)
    con.execute("PRAGMA foreign_keys = ON")
    with pytest.raises(sqlite3.IntegrityError):
        con.execute("DELETE FROM film WHERE id = ?", (film.id,))
    con.close()


def test_duplicate_films_are_detected_and_merged(journal):
    from journal.core.catalogue import DuplicateFilm

    a = journal.films.create("Amélie", 2001, imdb_id="tt0211915")
    with pytest.raises(DuplicateFilm) as info:
        journal.films.create("AMELIE", 2001)
    assert info.value.existing.id == a.id and not info.value.same_id
    with pytest.raises(DuplicateFilm) as info:
        journal.films.create("Le Fabuleux Destin d'Amélie Poulain", 2001, imdb_id="tt0211915")
    assert info.value.same_id
    b = journal.films.create("Amelie", 2001, allow_duplicate=True, runtime_minutes=122)
    journal.viewings.log(b.id, "2002")
    journal.reviews.create(b.id, "lovely")
    merged = journal.films.merge(a.id, b.id)
    assert merged.runtime_minutes == 122
    assert len(journal.viewings.for_film(a.id)) == 1 and len(journal.reviews.for_film(a.id)) == 1
    assert journal.films.count() == 1


def test_film_links_and_spoilers_are_derived_on_save(journal):
    m = journal.models
    her = journal.films.create("Her", 2013)
    review = journal.reviews.create(her.id, "Like [[Lost in Translation]] and [[Her (2013)]].")
    links = {(link.target_title, link.film_id) for link in m.FilmLink.select()}
    assert links == {("Lost in Translation", None), ("Her", her.id)}
    lost = journal.films.create("Lost in Translation", 2003)
    assert m.FilmLink.get(m.FilmLink.target_title == "Lost in Translation").film_id == lost.id
    assert not journal.reviews.get(review.id).has_spoilers
    journal.reviews.update(review.id, body="Intro\n\n*MAJOR spoiler alert*\n\nShe leaves.")
    assert journal.reviews.get(review.id).has_spoilers


def test_restoring_a_revision_keeps_the_current_text(journal):
    film = journal.films.create("Her", 2013)
    review = journal.reviews.create(film.id, "first draft")
    old = journal.reviews.snapshot(review.id)
    journal.reviews.update(review.id, body="second draft")
    journal.reviews.restore_revision(old.id)
    assert journal.reviews.get(review.id).body == "first draft"
    assert "second draft" in [r.body for r in journal.reviews.revisions(review.id)]


def test_film_validation(journal):
    with pytest.raises(ValidationError):
        journal.films.create("   ")
    with pytest.raises(ValidationError):
        journal.films.create("Too Early", 1700)
    with pytest.raises(ValidationError):
        journal.films.create("Zero", 2000, runtime_minutes=0)
    assert journal.films.count() == 0


def test_watchlist_watched_logs_a_viewing_and_removes_the_entry(journal):
    film = journal.films.create("Metropolis", 1927)
    entry = journal.watchlist.add(film.id, priority=2)
    viewing = journal.watchlist.watched(entry.id, "2025-03-01", medium="cinema")
    assert viewing.watched_on == "2025-03-01" and journal.watchlist.entries() == []


def test_a_second_journal_opened_and_closed_gives_the_models_back(journal, tmp_path):
    from journal.core.journal import Journal

    journal.films.create("First", 2000)
    with Journal.open(tmp_path / "scratch.eyelights") as scratch:
        scratch.films.create("Scratch", 2001)
        assert [f.title for f in scratch.films.live()] == ["Scratch"]
    assert [f.title for f in journal.films.live()] == ["First"]
    journal.films.create("Second", 2002)
    with Journal.open(tmp_path / "scratch.eyelights", read_only=True) as again:
        assert again.films.count() == 1


def test_a_partial_date_is_kept_as_iso_text_future_ones_too_and_bad_stored_ones_as_they_are(
        journal):
    """The viewing date column: any date the app parses goes in as ISO text (a planned viewing
    in the future as well), blank is no date, and a bad value an older journal stored is
    compared as it is, so that one bad row breaks no query."""
    film = journal.films.create("Her", 2013)
    viewing = journal.models.Viewing
    with journal.write():
        planned = viewing.create(film=film.id, watched_on=" 2031-1-5 ")
        blank = viewing.create(film=film.id, watched_on="   ")
        viewing.create(film=film.id, watched_on=dt.date(2014, 1, 24))
        journal.store.db.execute_sql(
            "INSERT INTO viewing (film_id, watched_on, venue, companions, note, rewatch_flag, "
            "created_at) VALUES (?, 'the 80s', '', '', '', 0, '2014-01-24 20:15:00')", (film.id,))
    stored = dict(journal.store.db.execute_sql("SELECT id, watched_on FROM viewing").fetchall())
    assert stored[planned.id] == "2031-01-05" and stored[blank.id] is None
    assert sorted(d for d in stored.values() if d) == ["2014-01-24", "2031-01-05", "the 80s"]
    assert [v.watched_on for v in viewing.select().where(viewing.watched_on == "the 80s")] == [
        "the 80s"]
    assert viewing.select().where(viewing.watched_on == "2031-01-05 ").count() == 1
