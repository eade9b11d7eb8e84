"""Every real export in ../shared/testdata: what the importers recognise in it, counted.

The WordPress files are WordPress's own test content (no film reviews): nothing may be read as a
score, a viewing date or a film year, every film title is the post's title except the ones
named here, and every default filled in is said (counted independently with a DOM parse). The
Letterboxd exports are real people's: their scores, watchlists, same-title films and films from
the 1870s are counted from the CSV files themselves."""

from __future__ import annotations

import csv
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

from journal.core.importers.context import DATED_NOW, FILM_IS_TITLE
from journal.core.importers.plan import ReviewRec, WatchRec
from journal.core.importers.run import import_files, plan_import

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "testdata"
REFUSED = {"malformed.xml", "malformed-simple.xml", "missing-version-tag.xml",
           "invalid-version-tag.xml", "crazy-cdata.xml"}
#: Post titles of the real files in which something is recognised (all: "X by Name").
RECOGNISED_TITLES = {
    "wxr-base-url-rewriting.xml": {"\"The Road Not Taken\" by Robert Frost":
                                   ("The Road Not Taken", "Robert Frost")},
    "wxr-simple.xml": {"\"The Road Not Taken\" by Robert Frost":
                       ("The Road Not Taken", "Robert Frost")},
}


def _wxr_files() -> list[Path]:
    return [p for p in sorted((SHARED / "wxr").rglob("*.xml")) if p.name not in REFUSED] or \
        [SHARED / "wxr" / "absent.xml"]


def _kind(tag: str) -> tuple[str, str]:
    if not tag.startswith("{"):
        return "", tag
    uri, _, local = tag[1:].partition("}")
    return ("wp" if re.search(r"/export/\d+\.\d+/?$", uri) else "other"), local


def _dom_posts(path: Path) -> tuple[int, int]:
    """(published titled posts, how many of them carry no date at all)."""
    posts = undated = 0
    for item in ET.parse(path).getroot().iter("item"):
        first: dict[tuple[str, str], str] = {}
        for child in item:
            first.setdefault(_kind(child.tag), "".join(child.itertext()).strip())
        title = re.sub(r"<[^>]*>", "", first.get(("", "title"), "")).strip()
        if (first.get(("wp", "post_type")) or "post") != "post" or not title or \
                (first.get(("wp", "status")) or "publish") != "publish":
            continue
        posts += 1
        dates = [first.get(("wp", "post_date_gmt"), ""), first.get(("wp", "post_date"), ""),
                 first.get(("", "pubDate"), "")]
        undated += not any(d and not d.startswith(("0000", "-0001")) and "-0001" not in d
                           for d in dates)
    return posts, undated


@pytest.mark.shared
@pytest.mark.parametrize("path", _wxr_files(), ids=lambda p: p.name)
def test_what_is_recognised_in_each_real_wordpress_file(shared_testdata, journal, path):
    posts, undated = _dom_posts(path)
    plan = plan_import(journal, "wxr", [path])
    reviews = [r for r in plan.records() if isinstance(r, ReviewRec)]
    assert len(reviews) == posts
    assert [r.score for r in reviews if r.score is not None] == []
    assert [r.viewing for r in reviews if r.viewing is not None] == []
    assert [s.year for s in plan.films.values() if s.year is not None] == []
    expected = RECOGNISED_TITLES.get(path.name, {})
    recognised = {r.title: (plan.films[r.film].title, plan.films[r.film].directors[0])
                  for r in reviews if r.title != plan.films[r.film].title}
    assert recognised == expected
    assert plan.defaults[FILM_IS_TITLE] == posts - len(expected)
    assert plan.defaults[DATED_NOW] == undated
    assert plan.left_in_body.total == 0 and not plan.unused_keys
    plan.discard()


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.shared
@pytest.mark.parametrize(("export", "scores"), [
    ("patrickmjones-letterboxd-data", 6), ("extratone-letterboxd", 251),
    ("rats-2017-export", 1056), ("movary-import-format/test.csv", 783)])
def test_what_is_recognised_in_each_letterboxd_export(shared_testdata, journal, export, scores):
    path = SHARED / "letterboxd" / export
    folder = path if path.is_dir() else path.parent
    diary, reviews = _rows(folder / "diary.csv"), _rows(folder / "reviews.csv")
    rated = {(r["Name"], r["Year"]) for r in diary + reviews if r.get("Rating", "").strip()}
    rated |= {(r["Name"], r["Year"]) for r in _rows(folder / "ratings.csv")}
    if path.is_file():
        rated = {(r["Title"], r["Year"]) for r in _rows(path) if r["Rating10"].strip()}
    plan = plan_import(journal, "letterboxd", [path])
    records = list(plan.records())
    found = [r for r in records if isinstance(r, ReviewRec) and r.score is not None]
    assert len(found) == scores
    assert {(plan.films[r.film].title, str(plan.films[r.film].year or "")) for r in found} == \
        rated
    watchlist = _rows(folder / "watchlist.csv") if path.is_dir() else []
    assert sum(isinstance(r, WatchRec) for r in records) == len(
        {r["Letterboxd URI"] for r in watchlist})
    assert plan.left_in_body.total == 0
    plan.discard()


@pytest.mark.shared
def test_patrickmjones_films_are_told_apart_and_kept(shared_testdata, journal):
    folder = SHARED / "letterboxd" / "patrickmjones-letterboxd-data"
    watched = _rows(folder / "watched.csv")
    by_key = Counter((r["Name"].casefold(), r["Year"]) for r in watched)
    twins = {k for k, n in by_key.items() if n > 1}
    assert twins == {("the haunted castle", "1897"), ("rain", "2019")}
    import_files(journal, "letterboxd", [folder])
    f = journal.models.Film
    for title, year in twins:
        films = list(f.select().where(f.title_folded == title, f.year == int(year)))
        assert len(films) == 2 and len({x.letterboxd_uri for x in films}) == 2
    # the earliest films are from the 1870s: the year is kept
    gallop = f.get(f.title == "Sallie Gardner at a Gallop")
    assert gallop.year == 1878
    # a year-less watchlist title is another film than the one watched in 2003
    green = {(x.year, x.watchlist_entries.count(), x.viewings.count())
             for x in f.select().where(f.title == "Save the Green Planet!")}
    assert green == {(2003, 0, 1), (None, 1, 0)}
    assert journal.models.WatchlistEntry.select().count() == 805
