"""Markdown folder imports: Jekyll, Hugo (TOML), Eyelights' own format, refusals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from journal.core.importers import wp_html, wp_markdownify
from journal.core.importers.markdown_folder import MarkdownFormatError
from journal.core.importers.plan import ImportOptions
from journal.core.importers.run import import_files, plan_import

JEKYLL = """---
title: "Her (2013) – 8.5/10"
date: 2014-02-01 10:00:00
categories: [Drama]
tags: romance sci-fi
---
Opening words — “quoted”.

**Eyelights:** Joaquin Phoenix’s gentleness.
**Eyesores:** the length.

*Spoiler alert*

It ends.

*End of spoilers*

Date of viewing: January 24, 2014
"""

HUGO = """+++
title = "Drive, 2011"
draft = true
tags = ["neo-noir"]
+++
Driving 🚗.
"""


@pytest.fixture
def folder(tmp_path):
    posts = tmp_path / "blog" / "_posts"
    posts.mkdir(parents=True)
    (posts / "2014-02-01-her.md").write_text(JEKYLL, encoding="utf-8")
    (tmp_path / "blog" / "drive.md").write_text(HUGO, encoding="utf-8")
    (tmp_path / "blog" / "notes.txt").write_text("not markdown", encoding="utf-8")
    return tmp_path / "blog"


def test_jekyll_and_hugo_posts(journal, folder):
    m = journal.models
    plan, result = import_files(journal, "markdown", [folder])
    assert plan.skipped["drafts (include them with the drafts option)"] == 1
    (review,) = journal.reviews.live()
    assert (review.film.title, review.film.year, review.score) == ("Her", 2013, Decimal("8.5"))
    assert review.eyelights == "Joaquin Phoenix’s gentleness." and review.has_spoilers
    assert review.viewing.watched_on == "2014-01-24"
    assert review.created_at == dt.datetime(2014, 2, 1, 10, 0)
    assert journal.reviews.tags(review.id) == ["Drama", "romance", "sci-fi"]
    assert review.source_key == "md:blog/_posts/2014-02-01-her.md"
    _, again = import_files(journal, "markdown", [folder], ImportOptions(drafts=True))
    assert again.counts["reviews"] == 1
    drive = m.Review.get(m.Review.source_key == "md:blog/drive.md")
    assert drive.status == "draft" and drive.body == "Driving 🚗."
    third, _ = import_files(journal, "markdown", [folder], ImportOptions(drafts=True))
    assert not third.writes_anything and third.counts["already"] == 2


def test_eyelights_format_round_trip(journal, tmp_path):
    from journal.core.export.markdown import write_markdown_review as write
    record = {"title": "A re-read", "film": "Amélie", "year": 2001, "directors": ["J.-P. Jeunet"],
              "score": Decimal("9.0"), "eyelights": "Audrey Tautou", "eyesores": "",
              "viewed": "2015-06", "tags": ["paris"], "status": "published",
              "body": "Le fabuleux destin… [[Delicatessen (1991)]]\n"}
    (tmp_path / "amelie.md").write_text(write(record), encoding="utf-8")
    import_files(journal, "markdown", [tmp_path])
    (review,) = journal.reviews.live()
    assert (review.film.title, review.film.year, review.score) == ("Amélie", 2001,
                                                                  Decimal("9.0"))
    assert review.viewing.watched_on == "2015-06" and review.eyelights == "Audrey Tautou"
    assert journal.films.directors(review.film_id) == ["J.-P. Jeunet"]
    assert review.body.startswith("Le fabuleux destin")


@pytest.mark.parametrize(("text", "message"), [
    ("---\ntitle: [unclosed\n---\nbody\n", r"bad\.md, line \d+: front matter is not valid YAML"),
    ("---\ntitle: x\nno end\n", r"bad\.md, line 1: the front matter opened with --- never ends"),
    ("+++\ntitle = \n+++\n", r"bad\.md: front matter is not valid TOML"),
])
def test_bad_front_matter_is_refused(journal, tmp_path, text, message):
    (tmp_path / "good.md").write_text(JEKYLL, encoding="utf-8")
    (tmp_path / "bad.md").write_text(text, encoding="utf-8")
    with pytest.raises(MarkdownFormatError, match=message):
        plan_import(journal, "markdown", [tmp_path])
    assert journal.reviews.count() == 0


def test_folder_without_markdown(journal, tmp_path):
    with pytest.raises(MarkdownFormatError, match="contains no Markdown"):
        plan_import(journal, "markdown", [tmp_path])


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80))
def test_plain_text_fast_path_matches_the_full_conversion(text):
    text = text.replace("\r", "")
    fast = wp_html.plain_text_to_markdown(text)
    if fast is not None and text.strip():
        slow = wp_html.tidy_markdown(wp_markdownify.converter().convert(wp_html.autop(text)))
        assert fast == slow


def test_rewatch_flag_round_trips_through_exported_files(journal, tmp_path):
    from journal.core.export.markdown import export_markdown as export
    from journal.core.journal import Journal

    film = journal.films.create("Vertigo", 1958, directors=["Alfred Hitchcock"])
    again = journal.viewings.log(film.id, "2019-05-02", rewatch=True)
    first = journal.viewings.log(journal.films.create("Rope", 1948).id, "2018-01-03")
    journal.reviews.create(film.id, "Still dizzying.", viewing_id=again.id, title="Again",
                           status="published")
    journal.reviews.create(first.film_id, "Long takes.", viewing_id=first.id, title="Once",
                           status="published")
    folder = tmp_path / "exported"
    folder.mkdir()
    for review in journal.reviews.live():
        export(journal, review.id, folder / f"{review.title}.md")
    assert "rewatch: true" in (folder / "Again.md").read_text(encoding="utf-8")
    with Journal.open(tmp_path / "other.eyelights") as other:
        import_files(other, "markdown", [folder])
        flags = {r.title: (r.viewing.watched_on, r.viewing.rewatch_flag)
                 for r in other.reviews.live()}
    assert flags == {"Again": ("2019-05-02", True), "Once": ("2018-01-03", False)}


@pytest.mark.parametrize(("value", "flag"), [("true", True), ("yes", True), ("false", False),
                                             ('"no"', False), ("1", True)])
def test_rewatch_in_plain_front_matter(journal, tmp_path, value, flag):
    (tmp_path / "post.md").write_text(
        f"---\ntitle: Heat (1995)\nwatched_on: 2020-02-02\nrewatch: {value}\n---\nBody.\n",
        encoding="utf-8")
    import_files(journal, "markdown", [tmp_path])
    (review,) = journal.reviews.live()
    assert review.viewing.rewatch_flag is flag


def test_a_director_named_twice_is_credited_once(journal, tmp_path):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "stalker.md").write_text(
        "---\ntitle: Stalker\nfilm: Stalker\nyear: 1979\n"
        "directors: [Andrei Tarkovsky, 'Andrei  Tarkovsky', andrei tarkovsky]\n"
        "status: published\n---\nThe Zone.\n",
        "utf-8")
    import_files(journal, "markdown", [folder])
    film = journal.films.live().get()
    rows = journal.store.db.execute_sql(
        "SELECT p.name FROM credit c JOIN person p ON p.id = c.person_id "
        "WHERE c.film_id = ? AND c.role = 'director'", [film.id]).fetchall()
    assert [r[0] for r in rows] == ["Andrei Tarkovsky"]
