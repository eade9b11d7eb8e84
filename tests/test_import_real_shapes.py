"""Shapes measured on real film blogs (docs/importing.md, "Measured on real blogs"), each in a
small file written for these tests (tests/data/real-shapes): a Zola site keeping its fields in
``[extra.movie]``, an Eleventy viewing log, Astro front matter in camelCase with a ``_template``,
Hugo posts fed from Letterboxd with the stars in ``description``, file names ending with the
film's year and letter grades, Jekyll file names with one-digit months and pasted players, a
film named with its year, a Hugo shortcode and front matter after a stray space. Each is
imported into a real journal; what the preview says is checked with what is stored."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from journal.core.importers.run import import_files
from journal.core.render.document import render_markdown

DATA = Path(__file__).with_name("data") / "real-shapes"


def _review(journal, film_title: str):
    models = journal.models
    return (models.Review.select().join(models.Film)
            .where(models.Film.title == film_title, models.Review.deleted_at.is_null()).get())


def _titles(journal) -> set[str]:
    return {f.title for f in journal.models.Film.select()}


def _lines(plan) -> str:
    return "\n".join(plan.summary_lines())


def test_zola_fields_under_extra_and_an_english_title(journal):
    plan, _ = import_files(journal, "markdown", [DATA / "zola"])
    cold = _review(journal, "The Cold Lantern")
    assert (cold.title, cold.score, cold.film.year) == ("La lanterne froide", Decimal("8.0"),
                                                        2019)
    assert cold.film.original_title == "La lanterne froide"
    assert journal.films.directors(cold.film) == ["Odile Marchetti", "Paul Ferrand"]
    harbour = _review(journal, "Quiet Harbour")  # 3 of 10: another film of the import has 8
    assert (harbour.score, harbour.film.year, harbour.film.original_title) == (
        Decimal("3.0"), 2021, None)
    assert journal.films.directors(harbour.film) == ["Ines Kowalczyk"]
    assert _titles(journal) == {"The Cold Lantern", "Quiet Harbour"}  # no "Films I watched"
    lines = _lines(plan)
    assert "some of the 2 numbers are over 5, so they are scores out of 10" in lines
    assert plan.skipped[SECTION_PAGES] == 1 and "Front-matter keys not used" not in lines


SECTION_PAGES = ("section pages and templates (file names starting with “_”, which site "
                 "generators do not publish as posts)")


def test_a_viewing_log_keeps_its_venue_rewatch_year_and_original_title(journal):
    plan, _ = import_files(journal, "markdown", [DATA / "log"])
    night = _review(journal, "Night Train to Lisbon Road")
    assert (night.score, night.film.year, night.film.tmdb_id) == (Decimal("7.0"), 1998, "90125")
    assert night.film.original_title == "Nachtzug zur Lissabonner Straße"
    assert night.viewing is not None
    assert (night.viewing.watched_on, night.viewing.venue, night.viewing.rewatch_flag) == (
        None, "Odeon 3", True)
    moons = _review(journal, "Paper Moons")
    assert (moons.score, moons.film.year, moons.film.original_title) == (None, 1959, None)
    assert (moons.viewing.watched_on, moons.viewing.venue, moons.viewing.rewatch_flag) == (
        None, "Home", False)
    lines = _lines(plan)
    assert ("2 × viewing without a date (the file gives its venue, medium or rewatch but no "
            "date of viewing)") in lines
    assert "creator (2 files)" in lines and "release" not in lines.split("not used:")[1]


def test_camel_case_keys_and_a_template_file(journal):
    plan, _ = import_files(journal, "markdown", [DATA / "astro-camel"])
    cold = _review(journal, "Cold Front")
    assert cold.viewing.watched_on == "2024-12-03"
    assert cold.created_at == dt.datetime(2024, 12, 5, 12, 0)
    assert (cold.score, cold.film.year) == (Decimal("7.5"), 2022)
    assert journal.films.directors(cold.film) == ["Marta Lindqvist"]
    assert _titles(journal) == {"Cold Front"}
    assert plan.skipped[SECTION_PAGES] == 1
    assert "watcheddate" not in _lines(plan)


def test_stars_alone_in_a_front_matter_field_are_the_score(journal):
    plan, _ = import_files(journal, "markdown", [DATA / "hugo-feed"])
    ferry = _review(journal, "Winter Ferry")
    assert (ferry.score, ferry.film.year, ferry.title) == (Decimal("7.0"), 2019,
                                                           "Winter Ferry, 2019")
    salt = _review(journal, "Salt Flats")
    assert (salt.score, salt.film.year) == (None, 2021)
    lines = _lines(plan)
    assert "“Winter Ferry, 2019”: score 7.0 from “description: ★★★½”" in lines
    assert plan.skipped[SECTION_PAGES] == 1 and "My Blog" not in _titles(journal)


def test_file_names_ending_with_the_year_and_letter_grades(journal):
    plan, _ = import_files(journal, "markdown", [DATA / "slug-years"])
    orchard = _review(journal, "The Glass Orchard")
    assert (orchard.film.year, orchard.film.imdb_id, orchard.score) == (1947, "tt0999001", None)
    assert "[^1]: The studio cut eleven minutes" in orchard.body
    assert '<sup id="fnref:1">' in render_markdown(orchard.body).html  # the footnote works
    assert _review(journal, "Low Tide").film.year == 2004
    assert _review(journal, "Hollow Point").film.year == 1998  # its own title says it
    lines = _lines(plan)
    assert ("file names: all 2 that give the film's title end with a year (“low-tide-2004”), "
            "read as the film's year") in lines
    assert ("letter grades (grade: C-, D, B+) in 3 files are not read as scores: there is no "
            "agreed scale for them") in lines
    assert "“The Glass Orchard”" in lines and "Orchard 1947" not in lines


def test_jekyll_file_names_with_one_digit_months_and_pasted_players(journal):
    plan, _ = import_files(journal, "markdown", [DATA / "jekyll-short-dates"])
    boats = _review(journal, "Paper Boats")
    assert boats.created_at == dt.datetime(2016, 3, 9, 12, 0)
    assert _review(journal, "Two Rivers").created_at == dt.datetime(2016, 11, 25, 12, 0)
    assert boats.score == Decimal("6.5")
    assert "<iframe" not in boats.body
    assert "<https://www.youtube.com/embed/abcdEFGhijk?list=PL123>" in boats.body
    assert ">> Watch the trailer of Paper Boats</a>" in boats.body  # {{ page.title }}
    html = render_markdown(boats.body).html
    assert 'href="https://www.youtube.com/embed/abcdEFGhijk?list=PL123"' in html
    lines = _lines(plan)
    assert "dated at import time" not in lines
    assert ("“Paper Boats”: 1 template tag left as written (“{{ site.url }}”): only the site "
            "generator can fill them in") in lines


def test_a_film_named_with_its_year_a_hugo_shortcode_and_a_stray_space(journal):
    import_files(journal, "markdown", [DATA / "gatsby"])
    lights = _review(journal, "Harbour Lights")
    assert (lights.film.year, lights.score) == (2021, Decimal("8.0"))
    assert "{{<" not in lights.body
    assert "<https://www.youtube.com/embed/zYxWvUtSrQp?start=75>" in lights.body
    xmas = _review(journal, "A Paper Christmas")
    assert (xmas.score, xmas.film.year, xmas.created_at) == (Decimal("6.0"), 2025,
                                                             dt.datetime(2025, 12, 12, 12, 0))
    assert xmas.body == " A fine way to spend a snowy evening, and no more."  # as written
    rules = _review(journal, "House Rules")  # rules after a blank line, not front matter
    assert rules.body.startswith("---\n\nThree rules for a matinee: arrive early")


def test_players_pasted_into_a_wordpress_post_become_links(journal):
    import_files(journal, "wxr", [DATA / "embeds" / "videos.xml"])
    tin = _review(journal, "The Tin Orchestra")
    assert tin.score == Decimal("7.0")
    for url in ("https://www.youtube.com/embed/tInOrch3stra",
                "https://secondrow.example.org/clips/tin-orchestra.mp4",
                "https://secondrow.example.org/clips/second-clip.webm"):
        assert url in tin.body and f'href="{url}"' in render_markdown(tin.body).html
    assert tin.body.index("tInOrch3stra") < tin.body.index("The trailer above")


def test_other_peoples_scores_are_never_yours_and_the_id_beside_them_is_kept(journal):
    plan, _ = import_files(journal, "markdown", [DATA / "hugo-omdb"])
    dry = _review(journal, "Dry Season")
    assert (dry.score, dry.film.year, dry.film.imdb_id) == (Decimal("8.0"), 2023, "tt0999010")
    assert "IMDb: 6.1/10" in dry.body and "Rating: R" in dry.body
    lines = _lines(plan)
    assert "imdb: '6.1/10' is not an IMDb id (tt…): not used, and never read as your score" \
        in lines
    assert "“Rating: R” is an age rating, not a score: left in the text" in lines
    assert "“IMDb: 6.1/10” is someone else's score (IMDb), not yours: left in the text" in lines
    unused = lines.split("Front-matter keys not used:\n")[1].split("\n")[0]
    assert unused == ("  imdb (1 file), metacritic (1 file), mpaa (1 file), quick_look (1 file), "
                      "rotten_tomatoes (1 file)")


def test_importing_the_shapes_again_adds_nothing(journal):
    from journal.core.importers.run import plan_import

    for folder in ("log", "zola", "slug-years", "hugo-feed"):
        import_files(journal, "markdown", [DATA / folder])
        again = plan_import(journal, "markdown", [DATA / folder])
        assert not again.writes_anything, folder
        again.discard()
    assert journal.models.Viewing.select().count() == 2  # the log's two undated viewings
