"""Letterboxd imports written into real journals: every shared export, variants, re-import."""

from __future__ import annotations

from decimal import Decimal

import import_apply_helpers as helpers  # noqa: E402 (tests/ is on sys.path: conftest.py)
import pytest

from journal.core.importers.apply import apply
from journal.core.importers.errors import LetterboxdFormatError
from journal.core.importers.letterboxd import load_letterboxd
from journal.core.importers.letterboxd_merge import merge_letterboxd
from journal.core.importers.run import import_files, plan_import
from journal.core.journal import Journal

EXPORTS = ["patrickmjones-letterboxd-data", "extratone-letterboxd", "rats-2017-export",
           "movary-import-format/test.csv"]


@pytest.mark.shared
@pytest.mark.parametrize("export", EXPORTS)
def test_export_imports_with_the_right_numbers(shared_testdata, tmp_path, export):
    path = shared_testdata / "letterboxd" / export
    data = merge_letterboxd(load_letterboxd(path))
    with_text = sum(1 for v in data.viewings if (v.review_html or "").strip())
    score_only = sum(1 for v in data.viewings
                     if not (v.review_html or "").strip() and v.rating10 is not None)
    journal_file = tmp_path / "lb.eyelights"
    with Journal.open(journal_file) as journal:
        m = journal.models
        plan, result = import_files(journal, "letterboxd", [path])
        assert m.Viewing.select().count() == data.counts.viewings == result.counts["viewings"]
        assert m.Viewing.select().where(m.Viewing.rewatch_flag).count() == data.counts.rewatches
        assert m.Review.select().where(m.Review.body != "").count() == with_text
        assert m.Review.select().where(m.Review.body == "").count() == score_only
        assert m.WatchlistEntry.select().count() == data.counts.watchlist
        ok, message = journal.check()
        assert ok, message
        before = helpers.counts(journal_file)
        again = plan_import(journal, "letterboxd", [path])
        assert not again.writes_anything
        apply(journal, again)
    assert helpers.counts(journal_file) == before


@pytest.mark.shared
def test_patrickmjones_details(shared_testdata, journal):
    m = journal.models
    folder = shared_testdata / "letterboxd/patrickmjones-letterboxd-data"
    plan, _ = import_files(journal, "letterboxd", [folder])
    assert plan.skipped["files that are not diary, reviews, ratings, watched or watchlist"] == 1
    roma = m.Film.get(m.Film.title == "Roma")
    (review,) = m.Review.select().where(m.Review.film == roma.id, m.Review.body != "")
    assert '"we did everything we could"' in review.body or "we did everything we could" in \
        review.body
    assert journal.reviews.tags(review.id) == ["in-black-and-white", "on-netflix"]
    assert review.viewing is not None and review.viewing.watched_on is not None
    assert m.Film.select().where(m.Film.title == '"Deji" Meets Girl').exists()


def test_half_stars_become_tenths_and_merge_never_duplicates(journal, tmp_path):
    m = journal.models
    (tmp_path / "diary.csv").write_text(
        "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\n"
        "2020-01-02,Amélie,2001,https://boxd.it/e1,4.5,,\"paris, fav\",2020-01-01\n"
        "2020-02-02,Amélie,2001,https://boxd.it/e2,,Yes,,2020-02-01\n", encoding="utf-8")
    (tmp_path / "watched.csv").write_text(
        "Date,Name,Year,Letterboxd URI\n2020-01-02,Amelie,2001,https://boxd.it/f1\n"
        "2020-01-02,Léon,1994,https://boxd.it/f2\n", encoding="utf-8")
    (tmp_path / "watchlist.csv").write_text(
        "Date,Name,Year,Letterboxd URI\n2020-03-01,\"Crouching Tiger, Hidden Dragon\",2000,"
        "https://boxd.it/w1\n", encoding="utf-8")
    plan, result = import_files(journal, "letterboxd", [tmp_path])
    amelie = m.Film.get(m.Film.title == "Amélie")
    assert m.Film.select().where(m.Film.title_folded == "amelie").count() == 1
    first, second = journal.viewings.for_film(amelie.id)
    assert (first.watched_on, first.rewatch_flag, second.rewatch_flag) == (
        "2020-01-01", False, True)
    (review,) = journal.reviews.for_film(amelie.id)
    assert review.score == Decimal("9.0") and review.body == ""
    assert journal.reviews.tags(review.id) == ["fav", "paris"]
    assert "score 9.0 from Letterboxd rating ★★★★½" in "\n".join(plan.summary_lines())
    leon = m.Film.get(m.Film.title == "Léon")
    assert [v.watched_on for v in journal.viewings.for_film(leon.id)] == [None]
    (entry,) = journal.watchlist.entries()
    assert entry.film.title == "Crouching Tiger, Hidden Dragon"
    assert result.counts["viewings"] == 3 and result.counts["watchlist"] == 1


def test_seen_it_is_not_added_to_a_film_already_in_the_diary(journal, tmp_path):
    leon = journal.films.create("Léon", 1994)
    journal.viewings.log(leon.id, "2019-05-05")
    (tmp_path / "watched.csv").write_text(
        "Date,Name,Year,Letterboxd URI\n2020-01-02,LEON,1994,https://boxd.it/f2\n",
        encoding="utf-8")
    plan = plan_import(journal, "letterboxd", [tmp_path / "watched.csv"])
    assert plan.counts["viewings"] == 0 and not plan.writes_anything
    assert plan.skipped["films marked as seen that are already in your diary"] == 1
    plan.discard()


@pytest.mark.shared
def test_spreadsheet_variant_imports_the_same(shared_testdata, tmp_path):
    source = shared_testdata / "letterboxd/extratone-letterboxd/diary.csv"
    text = source.read_text(encoding="utf-8")
    lines = text.split("\n")
    variant = tmp_path / "diary.csv"  # BOM, ";" separators and day-first dates
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text, newline="")))
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";")
    writer.writerow(rows[0])
    for row in rows[1:]:
        writer.writerow([f"{v[8:10]}/{v[5:7]}/{v[:4]}" if i in (0, 7) and v else v
                         for i, v in enumerate(row)])
    variant.write_bytes(("\ufeff" + out.getvalue()).encode())
    assert len(lines) > 100
    results = []
    for i, path in enumerate((source, variant)):
        with Journal.open(tmp_path / f"j{i}.eyelights") as journal:
            import_files(journal, "letterboxd", [path])
            results.append(sorted(
                (v.film.title, v.watched_on, v.rewatch_flag) for v in journal.viewings.diary()))
    assert results[0] == results[1]


def test_bad_file_writes_nothing(journal, journal_path, tmp_path):
    path = tmp_path / "diary.csv"
    path.write_bytes(b"Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\n"
                     b"2020-01-01,Her,2013,u,4,,,2020-01-01\n2020-01-01,Drive,20x1,u,4,,,\n")
    before = helpers.counts(journal_path)
    with pytest.raises(LetterboxdFormatError, match=r"diary\.csv, line 3: '20x1' is not a year"):
        plan_import(journal, "letterboxd", [path])
    assert helpers.counts(journal_path) == before
