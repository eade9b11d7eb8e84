"""Each domain rule once (docs/architecture.md, "Each rule once"): the same inputs through every
path that applies a rule give the same answer, so a second copy that drifts is caught.

* rewatch — ``core/rewatch.py``: film pages and the CLI (``is_rewatch``), the Diary
  (``diary_query``), the Search's ``rewatch:`` filter, the Statistics (``stats``), the
  Letterboxd export (``rewatches``), the viewing dialog (``earlier``);
* film links — ``film_titles.pick_film``: backlinks saved with a review, the importers' fast
  path, the preview's ``CatalogueResolver``, exports and publishing (``link_resolver``);
* tags — ``core/tags.py``: the review service and the importers' fast path;
* duplicating a review — ``ReviewService.duplicate``, which the Reviews page calls.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest

from journal.core import diary_query, rewatch, stats, tags
from journal.core.export.document import film_resolver
from journal.core.film_titles import CatalogueResolver, pick_film, resolve_link
from journal.core.importers.run import import_files, plan_import
from journal.core.render import FilmRef
from journal.core.reviews import COPIED_FIELDS
from journal.core.search.query import Filter
from journal.core.search.sql import filter_sql

TODAY = dt.date(2025, 6, 1)


# ---------------------------------------------------------------------- rewatch
def _diary(journal, seed: int) -> None:
    """Films seen in every way the rule distinguishes: undated, year-, month- and day-dated,
    on the same day, flagged, trashed (viewing and film)."""
    rng = random.Random(seed)
    films = [journal.films.create(f"Film {n}", 1950 + n).id for n in range(8)]
    dates = [None, "2019", "2019-03", "2019-03-05", "2019-03-05", "2020", "2020-11-30",
             "2024-01", "2024-01-02", "2025-05-31", "2025"]
    for _ in range(60):
        v = journal.viewings.log(rng.choice(films), rng.choice(dates),
                                 rewatch=rng.random() < 0.15, today=TODAY)
        if rng.random() < 0.1:
            journal.viewings.delete(v.id)
    journal.films.delete(films[-1], with_reviews=True)  # its viewings leave the diary with it


def _diary_rows(journal) -> dict[int, bool]:
    """{viewing id: rewatch} as the Diary page reads them (every year, month and day)."""
    rows = list(diary_query.rows_undated(journal))
    for year, _n in diary_query.years(journal):
        if year is None:
            continue
        for month, _count in diary_query.months(journal, year):
            rows += (diary_query.rows_in_month(journal, f"{year}-{month}") if month
                     else diary_query.rows_on(journal, year))
    return {r.id: r.rewatch for r in rows}


def _searched(journal, yes: bool) -> set[int]:
    """The live viewings the Search's ``rewatch:yes`` (``rewatch:no``) filter keeps."""
    condition, params = filter_sql(Filter("rewatch", (yes,)), {})
    rows = journal.store.db.execute_sql(
        "SELECT v.id FROM viewing v JOIN film f ON f.id = v.film_id WHERE v.deleted_at IS NULL "
        f"AND f.deleted_at IS NULL AND {condition}", params)
    return {i for (i,) in rows}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_reader_of_the_rewatch_rule_agrees(journal, seed):
    _diary(journal, seed)
    m = journal.models
    live = list(m.Viewing.select().join(m.Film).where(m.Viewing.deleted_at.is_null(),
                                                      m.Film.deleted_at.is_null()))
    one_by_one = {v.id: rewatch.is_rewatch(v) for v in live}
    assert any(one_by_one.values()) and not all(one_by_one.values())
    assert _diary_rows(journal) == one_by_one
    assert rewatch.rewatches(live) == one_by_one
    by_dialog = {v.id: bool(v.rewatch_flag) or bool(rewatch.earlier(
        journal.viewings.for_film(v.film_id), v.watched_on, v.id)) for v in live}
    assert by_dialog == one_by_one
    assert _searched(journal, True) == {i for i, mark in one_by_one.items() if mark}
    assert _searched(journal, False) == {i for i, mark in one_by_one.items() if not mark}
    figures = stats.compute(journal, TODAY)
    assert figures.rewatches == sum(one_by_one.values())
    for summary in (figures.current, figures.previous):
        year = f"{summary.year:04d}"
        assert summary.first_time == sum(
            1 for v in live if (v.watched_on or "").startswith(year) and not one_by_one[v.id])


def test_the_rule_by_hand(journal):
    """The rule itself, on the cases that tell readings apart."""
    film = journal.films.create("Stalker", 1979).id
    log = journal.viewings.log
    late = log(film, "2024-03-05", today=TODAY)
    same_day = log(film, "2024-03-05", today=TODAY)    # logged after: after
    month = log(film, "2024-03", today=TODAY)          # month-only sorts before its days
    undated = log(film, None, today=TODAY)             # "seen it": before everything
    other = journal.viewings.log(journal.films.create("Mirror", 1975).id, "2020",
                                 rewatch=True, today=TODAY)
    marks = {v.id: rewatch.is_rewatch(v) for v in journal.viewings.live()}
    assert marks == {undated.id: False, month.id: True, late.id: True, same_day.id: True,
                     other.id: True}
    journal.viewings.delete(undated.id)
    assert not rewatch.is_rewatch(journal.viewings.get(month.id))
    assert rewatch.earlier(journal.viewings.for_film(film), "2024-03-05", None) == [
        journal.viewings.get(i) for i in (month.id, late.id, same_day.id)]


# ---------------------------------------------------------------------- film links
LINKS = ["Alien", "Alien (1979)", "ALIEN (2000)", "alien (1850)", "Aliën", "Heat", "Heat (1995)",
         "Nothing Here", "Solaris (1972)", "Solaris"]


@pytest.fixture
def catalogue(journal):
    f = journal.films
    made = {
        "alien-79": f.create("Alien", 1979).id,
        "alien-79-again": f.create("Alien", 1979, allow_duplicate=True).id,
        "alien-00": f.create("Alien", 2000).id,
        "alien-none": f.create("Alien", None, allow_duplicate=True).id,
        "heat-none": f.create("Heat", None).id,
        "solaris-72": f.create("Solaris", 1972).id,
        "solaris-02": f.create("Solaris", 2002).id,
        "alien-10": f.create("Alien", 2010).id,
    }
    journal.films.delete(made["alien-10"])  # in the Trash: never a link's film
    return made


def _target(link: str) -> tuple[str, int | None]:
    from journal.core.render.film_links import parse_target

    return parse_target(link)


def test_pick_film_by_hand():
    refs = [FilmRef(3, "Alien", 1979), FilmRef(9, "Alien", None), FilmRef(2, "Alien", 1979),
            FilmRef(5, "Alien", 2000)]
    assert pick_film(refs, None) == FilmRef(5, "Alien", 2000)   # the latest year
    assert pick_film(refs, 1979) == FilmRef(2, "Alien", 1979)   # the first made
    assert pick_film(refs, 1850) is None and pick_film([], None) is None
    assert pick_film([FilmRef(9, "Alien", None)], None) == FilmRef(9, "Alien", None)


def test_every_link_resolver_agrees(journal, catalogue, tmp_path):
    name = {v: k for k, v in catalogue.items()}
    one = {link: resolve_link(journal, *_target(link)) for link in LINKS}
    expected = {"Alien": "alien-00", "Alien (1979)": "alien-79", "ALIEN (2000)": "alien-00",
                "alien (1850)": None, "Aliën": "alien-00", "Heat": "heat-none",
                "Heat (1995)": None, "Nothing Here": None, "Solaris (1972)": "solaris-72",
                "Solaris": "solaris-02"}
    assert {link: name[r.id] if r else None for link, r in one.items()} == expected
    preview = CatalogueResolver(journal)
    exports = film_resolver(journal)
    for link in LINKS:
        assert preview(*_target(link)) == one[link], link
        assert exports(*_target(link)) == one[link], link
    body = " ".join(f"[[{link}]]" for link in LINKS)
    saved = journal.reviews.create(catalogue["heat-none"], body)
    folder = tmp_path / "md"
    folder.mkdir()
    (folder / "links.md").write_text(f"---\ntitle: Thief (1981)\n---\n{body}\n",
                                     encoding="utf-8")
    import_files(journal, "markdown", [folder])  # the fast path: links resolved at the end
    m = journal.models
    imported = m.Review.get(m.Review.source_key.is_null(False))
    for review in (saved, imported):
        stored = {(lk.target_title, lk.target_year): lk.film_id
                  for lk in m.FilmLink.select().where(m.FilmLink.review == review.id)}
        assert stored == {_target(link): r.id if r else None for link, r in one.items()}


def test_links_waiting_for_a_film_resolve_when_it_is_made(journal):
    heat = journal.films.create("Heat", 1995).id
    review = journal.reviews.create(heat, "See [[Thief (1981)]].")
    m = journal.models
    assert m.FilmLink.get(m.FilmLink.review == review.id).film_id is None
    thief = journal.films.create("Thief", 1981).id
    assert m.FilmLink.get(m.FilmLink.review == review.id).film_id == thief


# ---------------------------------------------------------------------- tags
NAMES = ["Drama", "drama", " #drama ", "DRAMA", "Émile", "ÉMILE", "Straße", "STRASSE", "#",
         "", "  a   b  ", "x" * 250, "x" * 250 + "y", "night"]


def test_the_tag_rule_by_hand():
    assert tags.clean_tag("  #noir  ") == "noir" and tags.clean_tag(" a \n b ") == "a b"
    assert tags.clean_tag("x" * 250) == "x" * tags.MAX_LENGTH
    assert tags.tag_key("ÉMILE") == tags.tag_key("émile") and tags.tag_key("Straße") == "strasse"
    assert tags.clean_tags(NAMES) == ["Drama", "Émile", "Straße", "a b", "x" * 200, "night"]


def test_the_service_and_the_importer_make_the_same_tags(tmp_path):
    from journal.core.journal import Journal

    results = []
    for path in ("service", "importer"):
        with Journal.open(tmp_path / f"{path}.eyelights") as j:
            j.reviews.create(j.films.create("Heat", 1995).id, "Before.", tags=["night", "DRAMA"])
            if path == "service":
                j.reviews.create(j.films.create("Her", 2013).id, "Body.", tags=NAMES)
            else:
                folder = tmp_path / "md"
                folder.mkdir(exist_ok=True)
                listed = ", ".join(f'"{n}"' for n in NAMES)
                (folder / "her.md").write_text(
                    f"---\ntitle: Her (2013)\ntags: [{listed}]\n---\nBody.\n", encoding="utf-8")
                plan = plan_import(j, "markdown", [folder])
                assert plan.counts["tags_new"] == 4  # Émile, Straße, a b, x…: the rest exist
                import_files(j, "markdown", [folder])
            (film,) = j.films.by_title("Her", 2013)
            (review,) = j.reviews.for_film(film.id)
            results.append((sorted(j.reviews.tags(review.id)), sorted(j.reviews.all_tags())))
    assert results[0] == results[1]
    assert results[0][0] == sorted(["DRAMA", "Émile", "Straße", "a b", "x" * 200, "night"])


def test_tags_are_never_doubled_on_a_review(journal):
    film = journal.films.create("Her", 2013).id
    review = journal.reviews.create(film, "Body", tags=["Drama", "drama", "#Drama"])
    m = journal.models
    assert m.ReviewTag.select().where(m.ReviewTag.review == review.id).count() == 1
    journal.reviews.update(review.id, tags=["émile", "Émile", "ÉMILE"])
    assert journal.reviews.tags(review.id) == ["émile"]
    assert m.ReviewTag.select().where(m.ReviewTag.review == review.id).count() == 1


# ---------------------------------------------------------------------- duplicating a review
#: Every column of a review, copied or not: a new column must be put in one or the other.
NOT_COPIED = {"id", "viewing", "title", "status", "published_url", "has_spoilers", "source_key",
              "created_at", "updated_at", "published_at", "deleted_at", "trash_group"}


def test_a_duplicate_copies_what_the_rule_says(journal):
    m = journal.models
    assert set(m.Review._meta.sorted_field_names) == set(COPIED_FIELDS) | NOT_COPIED
    film = journal.films.create("Her", 2013).id
    viewing = journal.viewings.log(film, "2014-01-24", today=TODAY).id
    source = journal.reviews.create(
        film, "Body *spoiler alert* [[Heat]]", tags=["romance", "sci-fi"], viewing_id=viewing,
        title="Her", score="8.5", eyelights="Phoenix", eyesores="length", status="published",
        language="fr", published_url="https://blog.example/her")
    journal.reviews.add_comment(source.id, "Lovely")
    copy = journal.reviews.duplicate(source.id)
    for name in COPIED_FIELDS:
        assert getattr(copy, name) == getattr(source, name), name
    assert (copy.title, copy.status, copy.viewing_id, copy.published_url) == (
        "Her (copy)", "draft", None, None)
    assert journal.reviews.tags(copy.id) == ["romance", "sci-fi"]
    assert journal.reviews.comments(copy.id) == []
    assert copy.has_spoilers == source.has_spoilers  # derived from the body, as for any review
