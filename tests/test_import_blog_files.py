"""Small files of each real shape (tests/data, written for these tests) imported into real
journals: a WordPress film blog, Jekyll and Hugo folders, Letterboxd exports with broken review
HTML and with films sharing a title. What the preview says is checked with what is stored."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from journal.cli import main
from journal.core.importers.plan import ImportOptions
from journal.core.importers.run import import_files, plan_import

DATA = Path(__file__).with_name("data")


def _review(journal, film_title: str):
    models = journal.models
    return (models.Review.select().join(models.Film)
            .where(models.Film.title == film_title, models.Review.deleted_at.is_null()).get())


def _film(journal, title: str, year: int | None = ...):
    f = journal.models.Film
    query = f.select().where(f.title == title)
    if year is not ...:
        query = query.where(f.year.is_null() if year is None else f.year == year)
    return query.get()


# --- the WordPress blog ---------------------------------------------------------------------

@pytest.fixture
def blog(journal):
    plan, _ = import_files(journal, "wxr", [DATA / "blog-wxr" / "film-blog.xml"])
    return plan


def test_the_blogs_own_review_comes_in_whole(journal, blog):
    her = _review(journal, "Her")
    assert (her.title, her.score, her.film.year) == ("Her", Decimal("8.5"), 2013)
    assert her.eyelights == "Joaquin Phoenix’s quiet, “unguarded” performance. Scarlett Johansson."
    assert her.eyesores == "some of the pastel production design – a touch too precious…"
    assert her.viewing.watched_on == "2014-01-24" and her.has_spoilers
    assert her.film.synopsis == ("A lonely letter writer in a near-future Los Angeles falls for "
                                 "the voice of his new operating system.")
    body = her.body
    assert body.startswith("Synopsis: A lonely letter writer")  # the review keeps its text
    for gone in ("Her 8.5", "Eyelights", "Eyesores", "Date of viewing", "spoiler alert", "\\\n"):
        assert gone not in body
    assert "[Note this was early 20th century technology" in body
    assert "[Box office was modest, and that is a pity.]" in body
    assert "*Theodore, on the beach, talking to his pocket.*" in body
    assert "::: spoiler\n\nSamantha leaves" in body
    assert [c.author for c in her.comments.order_by(journal.models.Comment.id)] == ["Léa",
                                                                                    "backrow"]


def test_scores_titles_and_directors_of_the_other_posts(journal, blog):
    drive = _review(journal, "Drive")
    assert (drive.title, drive.film.year, drive.score) == ("Movie Review: Drive (2011)", 2011,
                                                           Decimal("5.0"))
    assert "IMDb: 7.8/10" in drive.body and "Rating" not in drive.body
    assert "[gallery" not in drive.body and "https://video.example.org/drive-trailer" in drive.body
    arrival = _review(journal, "Arrival")
    assert arrival.score == Decimal("9.0") and "Rating: PG-13" in arrival.body
    paterson = _review(journal, "Paterson")
    assert paterson.score is None and "Rating: two thumbs way up" in paterson.body
    assert journal.films.directors(paterson.film) == ["Jim Jarmusch"]
    assert _review(journal, "Stand by Me").score == Decimal("9.0")
    runner = _review(journal, "Blade Runner 2049")
    assert (runner.film.year, runner.score, runner.body.count("2049")) == (2017, Decimal("8.0"), 0)


def test_the_preview_says_what_it_read_left_and_filled_in(blog):
    lines = "\n".join(blog.summary_lines())
    assert "“Her”: score 8.5 from “**Her 8.5**”" in lines
    assert "“Movie Review: Drive (2011)”: score 5.0 from “**Rating: ★★ (5/10)**”" in lines
    assert "film title “Drive” from “Movie Review: Drive (2011)”" in lines
    assert "director Jim Jarmusch from “Paterson by Jim Jarmusch”" in lines
    assert "the film's synopsis" in lines
    assert "“IMDb: 7.8/10” is someone else's score (IMDb), not yours: left in the text" in lines
    assert "“Rating: PG-13” is an age rating, not a score: left in the text" in lines
    assert ("score line “Rating: two thumbs way up” left in the text: its rating “two thumbs "
            "way up” is not a score Eyelights can read") in lines
    assert "Filled in by default (the files do not say):" in lines
    assert "  2 × film title is the post's title as written" in lines
    assert "  1 × dated at import time (no date in the file) (e.g. “Stand by Me”)" in lines
    assert blog.left_in_body.total == 3


def test_a_synopsis_never_replaces_one_the_film_has(journal):
    journal.films.create("Her", 2013, synopsis="My own words about it.")
    import_files(journal, "wxr", [DATA / "blog-wxr" / "film-blog.xml"])
    assert _film(journal, "Her", 2013).synopsis == "My own words about it."


# --- Jekyll and Hugo ------------------------------------------------------------------------

def test_jekyll_front_matter_in_the_wild(journal):
    plan, _ = import_files(journal, "markdown", [DATA / "jekyll"])
    her = _review(journal, "Her")
    assert (her.title, her.film.year, her.score) == ("Her (2013) – a review", 2013,
                                                    Decimal("9.0"))
    assert her.viewing.watched_on == "2014-01-24" and her.film.imdb_id == "tt1798709"
    assert journal.films.directors(her.film) == ["Spike Jonze"]
    assert journal.reviews.tags(her.id) == ["films", "los angeles", "romance", "sci-fi"]
    assert her.eyelights == "the voice work, which carries the whole film."
    dont = _review(journal, "Don't Look Now")  # the front matter's name, apostrophe and all
    assert (dont.title, dont.film.year, dont.score, dont.film.tmdb_id) == (
        "A red coat in Venice", 1973, Decimal("10.0"), "931")
    assert dont.viewing.watched_on == "2015-03-08"
    thing = _review(journal, "The Thing")
    assert (thing.film.year, thing.score, thing.film.imdb_id) == (1982, Decimal("7.0"), None)
    roma = _review(journal, "Roma")  # film: and viewed: in a published post: not a draft
    assert (roma.status, roma.score, roma.viewing.watched_on) == ("published", Decimal("8.0"),
                                                                 "2018-12-20")
    assert journal.reviews.tags(roma.id) == ["Mexico", "Netflix"]
    quiet = _review(journal, "A Quiet Place")
    assert quiet.score == Decimal("8.0") and quiet.body == "Loved the silence more than the " \
        "monsters."
    # date-only values, quoted or not, and a Jekyll file name: one time of day
    assert her.created_at == dt.datetime(2014, 2, 1, 12, 0)
    assert dont.created_at == dt.datetime(2015, 3, 10, 12, 0)
    assert roma.created_at == dt.datetime(2019, 1, 5, 12, 0)
    lines = "\n".join(plan.summary_lines())
    assert ("front-matter ratings (rating): all 5 numbers are 5 or less, so they are stars out "
            "of 5 and are doubled (4.5 → 9.0)") in lines
    assert ("“Movie Review: The Thing (1982)”: imdb: 7.7 is not an IMDb id (tt…): not used, and "
            "never read as your score") in lines
    assert "1 × title from the file name (no title, heading or film in the file)" in lines
    assert "1 × dated at import time (no date in the file) (e.g. “A Quiet Place”)" in lines
    assert ("Front-matter keys not used:\n  layout (3 files), comments (1 file), image (1 file), "
            "imdb (1 file), permalink (1 file)") in lines
    assert plan.skipped["drafts (include them with the drafts option)"] == 1


def test_a_published_eyelights_style_post_is_never_skipped_and_keeps_its_date(journal):
    plan, _ = import_files(journal, "markdown", [DATA / "jekyll"], ImportOptions(drafts=True))
    tenet = _review(journal, "Tenet")
    assert tenet.status == "draft" and tenet.score == Decimal("6.0")
    roma = _review(journal, "Roma")
    assert roma.status == "published" and roma.created_at.date() == dt.date(2019, 1, 5)


def test_hugo_toml_with_lists_of_maps_and_a_ten_point_scale(journal):
    plan, _ = import_files(journal, "markdown", [DATA / "hugo"], ImportOptions(drafts=True))
    china = _review(journal, "Chinatown")
    assert (china.title, china.film.year, china.score) == ("Chinatown review", 1974,
                                                          Decimal("8.0"))
    assert china.viewing.watched_on == "2021-03-03" and china.viewing.rewatch_flag
    assert journal.reviews.tags(china.id) == ["los angeles", "noir"]
    assert journal.films.directors(china.film) == ["Roman Polanski"]
    conversation = _review(journal, "The Conversation")
    assert conversation.score == Decimal("6.5") and conversation.status == "draft"
    lines = "\n".join(plan.summary_lines())
    assert "some of the 2 numbers are over 5, so they are scores out of 10" in lines
    assert "weight (1 file)" in lines


def test_the_cli_dry_run_lists_defaults_and_unused_keys(tmp_path, capsys):
    code = main(["import", "markdown", str(DATA / "jekyll"), "--dry-run",
                 "--journal", str(tmp_path / "new.eyelights")])
    out = capsys.readouterr().out
    assert code == 0 and "Dry run: nothing was written." in out
    assert "Filled in by default (the files do not say):" in out
    assert "Front-matter keys not used:" in out and "layout (3 files)" in out
    assert "Read as:" in out and not (tmp_path / "new.eyelights").exists()


# --- Letterboxd -----------------------------------------------------------------------------

def test_letterboxd_review_html_with_repeated_opening_tags(journal):
    import_files(journal, "letterboxd", [DATA / "letterboxd-broken-html"])
    nope = _review(journal, "Nope")
    assert nope.body == ("> What's a bad miracle?\n\nThe question the whole film asks, and "
                         "answers with a cloud.")
    lighthouse = _review(journal, "The Lighthouse")
    assert lighthouse.body == "*Nope* is what I said when the gulls showed up, and more than once."
    burning = _review(journal, "Paris Is Burning")
    assert burning.body.startswith("**Essential.** Houses") and burning.body.endswith(
        "*Shade* is only the start.")
    for review in journal.models.Review.select():
        assert review.body.count("*") % 2 == 0 and "> " not in review.body.split("\n")[-1]


def test_a_film_from_before_1888_keeps_its_year(journal):
    import_files(journal, "letterboxd", [DATA / "letterboxd-broken-html"])
    gallop = _film(journal, "Sallie Gardner at a Gallop")
    assert gallop.year == 1878
    journal.films.update(gallop.id, title="Sallie Gardner at a Gallop (Muybridge)")  # editable


def test_films_sharing_a_title_and_year_stay_apart(journal):
    plan, _ = import_files(journal, "letterboxd", [DATA / "letterboxd-same-titles"])
    f = journal.models.Film
    haunted = list(f.select().where(f.title == "The Haunted House").order_by(f.id))
    assert [h.letterboxd_uri for h in haunted] == ["https://boxd.it/fHH1",
                                                   "https://boxd.it/fHH2"]
    assert [[v.watched_on for v in h.viewings] for h in haunted] == [["2020-06-16"],
                                                                     ["2020-06-16"]]
    rain = list(f.select().where(f.title == "Rain").order_by(f.id))
    assert [(r.letterboxd_uri, [v.watched_on for v in r.viewings]) for r in rain] == [
        ("https://boxd.it/fRainA", [None]), ("https://boxd.it/fRainB", [None])]
    watch = journal.models.WatchlistEntry
    listed = {(e.film.title, e.film.year, e.film.letterboxd_uri) for e in watch.select()}
    assert listed == {("Hamlet", None, "https://boxd.it/fHamX"),
                      ("Hamlet", 1990, "https://boxd.it/fHam90"),
                      ("Rain", 2019, "https://boxd.it/fRainB"),  # by its URI, not Rain A
                      ("The Roundhay Garden", 1888, "https://boxd.it/fRG"),
                      ("Roundhay Garden Scene", 1888, "https://boxd.it/fRGS"),
                      ("Vertigo", None, None),  # never the Vertigo (1958) already watched
                      ("Stalker", 1979, "https://boxd.it/fSt")}  # no URI: title and year
    assert f.select().where(f.title == "Vertigo").count() == 2
    assert f.select().where(f.title == "Hamlet").count() == 3
    assert plan.counts["films_new"] == f.select().count() == 12


def test_letterboxd_reimport_of_same_titles_adds_nothing(journal):
    import_files(journal, "letterboxd", [DATA / "letterboxd-same-titles"])
    again = plan_import(journal, "letterboxd", [DATA / "letterboxd-same-titles"])
    assert not again.writes_anything
    again.discard()


def test_a_watchlist_title_without_year_matches_only_a_film_without_year(journal):
    journal.films.create("Vertigo", 1958)
    journal.films.create("Hamlet", None)
    import_files(journal, "letterboxd", [DATA / "letterboxd-same-titles"])
    f = journal.models.Film
    vertigo = f.select().where(f.title == "Vertigo", f.year.is_null()).get()
    assert vertigo.watchlist_entries.count() == 1
    assert _film(journal, "Vertigo", 1958).watchlist_entries.count() == 0
