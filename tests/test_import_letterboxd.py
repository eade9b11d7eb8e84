"""Letterboxd CSV exports: every real export, derived variants and refusals."""

from __future__ import annotations

import csv
import io
import zipfile
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from journal.core.importers.errors import LetterboxdFormatError
from journal.core.importers.letterboxd import LbKind, load_letterboxd, parse_letterboxd_csv
from journal.core.importers.letterboxd_merge import merge_letterboxd

EXPORTS = ["patrickmjones-letterboxd-data", "extratone-letterboxd", "rats-2017-export"]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _key(row: dict[str, str]) -> tuple[str, str]:
    return row["Name"].casefold(), row["Year"]


@pytest.mark.shared
@pytest.mark.parametrize("export", EXPORTS)
def test_export_counts_match_plain_csv(shared_testdata, export):
    folder = shared_testdata / "letterboxd" / export
    diary, reviews = _rows(folder / "diary.csv"), _rows(folder / "reviews.csv")
    watched, watchlist = _rows(folder / "watched.csv"), _rows(folder / "watchlist.csv")
    data = merge_letterboxd(load_letterboxd(folder))
    counts = data.counts
    assert counts.diary_viewings == len(diary)
    assert sum(v.rewatch for v in data.viewings if v.source == "diary") == sum(
        r.get("Rewatch") == "Yes" for r in diary)
    written = [r for r in reviews if r["Review"].strip()]
    assert counts.reviews == len(written)
    assert sum(1 for v in data.viewings if v.review_html) == len(written)
    diary_uris = {r["Letterboxd URI"] for r in diary}
    diary_dated = {(*_key(r), r["Watched Date"]) for r in diary}
    standalone = [r for r in written if r["Letterboxd URI"] not in diary_uris
                  and (*_key(r), r["Watched Date"]) not in diary_dated]
    assert counts.reviews_standalone == len(standalone)
    logged = {_key(r) for r in diary} | {_key(r) for r in written}
    # a film is its URI: another URI with a logged title and year is another film, placed on
    # one of that day's diary entries when the diary logged several, else seen undated
    uris: dict[tuple[str, str], set[str]] = {}
    for r in watched:
        uris.setdefault(_key(r), set()).add(r["Letterboxd URI"])
    per_day = Counter((*_key(r), r["Watched Date"]) for r in diary)
    others = sum(len(u) - 1 for u in uris.values())
    placed = sum(min(len(uris[k]) - 1, max((n - 1 for (*kk, _d), n in per_day.items()
                                             if tuple(kk) == k), default=0))
                 for k in uris if len(uris[k]) > 1 and k in logged)
    assert counts.seen_undated == len(set(uris) - logged) + others - placed
    assert counts.watchlist == len({r["Letterboxd URI"] for r in watchlist})
    # never a duplicate: one undated "seen it" viewing at most per film
    undated = [v.film.uri or v.film.key for v in data.viewings
               if v.watched_date is None and not v.review_html]
    assert len(undated) == len(set(undated))


@pytest.mark.shared
def test_source_md_counts(shared_testdata):
    base = shared_testdata / "letterboxd"
    pj = merge_letterboxd(load_letterboxd(base / "patrickmjones-letterboxd-data")).counts
    assert (pj.diary_viewings, pj.reviews, pj.rewatches, pj.watchlist) == (2132, 162, 142, 805)
    ex = merge_letterboxd(load_letterboxd(base / "extratone-letterboxd")).counts
    assert (ex.diary_viewings, ex.reviews, ex.watchlist) == (317, 127, 113)
    assert sum(v.rewatch for v in merge_letterboxd(
        load_letterboxd(base / "extratone-letterboxd")).viewings if v.source == "diary") == 107
    rats = merge_letterboxd(load_letterboxd(base / "rats-2017-export")).counts
    assert (rats.diary_viewings, rats.seen_undated, rats.ratings_used) == (0, 1070, 1056)


@pytest.mark.shared
def test_extratone_details(shared_testdata):
    folder = shared_testdata / "letterboxd/extratone-letterboxd"
    files = {f.kind: f for f in load_letterboxd(folder)}
    raw = (folder / "reviews.csv").read_bytes()
    crlf_reviews = [v for v in files[LbKind.REVIEWS].viewings if "\r\n" in (v.review_html or "")]
    assert len(crlf_reviews) == 34 and raw.count(b"\r\n") > 34
    no_year = [v for v in files[LbKind.DIARY].viewings if v.film.year is None]
    assert [v.film.name for v in no_year] == ["One of the Roughs, a Kosmos"]
    stars = {r["Rating"] for r in _rows(folder / "ratings.csv")}
    assert "0.5" in stars
    tens = {r.rating10 for r in files[LbKind.RATINGS].ratings}
    assert tens == {Decimal(s) * 2 for s in stars}
    assert Decimal("1.0") in tens and all(t == t.quantize(Decimal("0.1")) for t in tens)


@pytest.mark.shared
def test_reviews_attach_to_their_diary_viewing(shared_testdata):
    folder = shared_testdata / "letterboxd/patrickmjones-letterboxd-data"
    data = merge_letterboxd(load_letterboxd(folder))
    roma = [v for v in data.viewings if v.film.name == "Roma" and v.review_html]
    assert len(roma) == 1 and roma[0].source == "diary"
    assert '"we did everything we could"' in roma[0].review_html
    assert roma[0].tags == ["on-netflix", "in-black-and-white"]
    multi_tag = next(v for v in data.viewings if "ghibli-fest-2017" in v.tags)
    assert multi_tag.tags == ["animated", "in-theaters", "ghibli-fest-2017"]


@pytest.mark.shared
def test_import_format(shared_testdata):
    path = shared_testdata / "letterboxd/movary-import-format/test.csv"
    rows = _rows(path)
    (parsed,) = load_letterboxd(path)
    assert parsed.kind == LbKind.IMPORT and len(parsed.viewings) == len(rows)
    by_line = {(v.film.name, v.watched_date.isoformat()): v for v in parsed.viewings}
    for row in rows:
        v = by_line[(row["Title"], row["WatchedDate"])]
        assert v.rating10 == (Decimal(row["Rating10"]) if row["Rating10"] else None)
        assert v.film.tmdb_id == row["tmdbID"] and v.film.year == int(row["Year"])
    assert {"2012", "1917", "Synecdoche, New York", "WALL·E", "Alien³"} <= {
        v.film.name for v in parsed.viewings}


@pytest.mark.shared
def test_zip_export_one_folder_down(shared_testdata, tmp_path):
    folder = shared_testdata / "letterboxd/patrickmjones-letterboxd-data"
    archive = tmp_path / "letterboxd-me-2022-08-13-utc.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in folder.rglob("*.csv"):
            zf.write(path, f"export/{path.relative_to(folder).as_posix()}")
        zf.writestr("export/deleted/diary.csv", (folder / "diary.csv").read_bytes())
        zf.writestr("export/profile.csv", "Date Joined,Username\n2019-01-01,me\n")
    skipped: list[str] = []
    from_zip = merge_letterboxd(load_letterboxd(archive, skipped)).counts
    assert from_zip == merge_letterboxd(load_letterboxd(folder)).counts
    assert sorted(skipped) == ["export/deleted/diary.csv", "export/lists/zatoichi.csv",
                               "letterboxd-me-2022-08-13-utc.zip/export/profile.csv"]


# --- derived variants (written to tmp_path from the real files) -----------------------------


def _rewrite(rows: list[list[str]], delimiter: str, bom: bool, date_fmt) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter)
    header = rows[0]
    dates = [i for i, c in enumerate(header) if c in ("Date", "Watched Date")]
    writer.writerow(header)
    for row in rows[1:]:
        writer.writerow([date_fmt(v) if i in dates and v else v for i, v in enumerate(row)])
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def _dmy(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{d}/{m}/{y}"


def _mdy(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{m}/{d}/{y}"


@pytest.mark.shared
@pytest.mark.parametrize(("delimiter", "bom", "date_fmt"), [
    (",", True, str), (";", False, _dmy), ("\t", True, _mdy),
    (";", True, lambda iso: iso.replace("-", "/")),
])
def test_derived_variants_read_the_same(shared_testdata, tmp_path, delimiter, bom, date_fmt):
    source = shared_testdata / "letterboxd/extratone-letterboxd/diary.csv"
    with source.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    derived = tmp_path / "diary.csv"
    derived.write_bytes(_rewrite(rows, delimiter, bom, date_fmt))
    original = parse_letterboxd_csv(source.read_bytes(), "diary.csv")
    variant = parse_letterboxd_csv(derived.read_bytes(), str(derived))
    assert variant.kind == LbKind.DIARY
    assert variant.viewings == original.viewings


def test_ambiguous_spreadsheet_dates_are_refused(tmp_path):
    path = tmp_path / "diary.csv"
    path.write_text("Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\n"
                    "05/06/2018,Her,2013,https://boxd.it/a,4.5,,,05/06/2018\n"
                    "03/04/2018,Drive,2011,https://boxd.it/b,5,Yes,,03/04/2018\n",
                    encoding="utf-8")
    with pytest.raises(LetterboxdFormatError, match=r"diary\.csv, line 2: date '05/06/2018' "
                                                    r"could be day/month or month/day"):
        load_letterboxd(path)


def test_old_header_and_half_stars(tmp_path):
    path = tmp_path / "diary.csv"
    path.write_bytes("Date,Name,Year,Letterboxd URI,Rating,Tags,Watched Date\r\n"
                     "2017-05-02,Amélie,2001,https://letterboxd.com/film/amelie/,4.5,"
                     '"paris, fav",2017-05-01\r\n'.encode())
    (parsed,) = load_letterboxd(path)
    (viewing,) = parsed.viewings
    assert viewing.rating10 == Decimal("9.0") and viewing.rewatch is False
    assert viewing.tags == ["paris", "fav"] and viewing.watched_date.isoformat() == "2017-05-01"
    assert viewing.film.key == ("amelie", 2001)


@pytest.mark.shared
def test_list_export_is_refused(shared_testdata):
    path = shared_testdata / "letterboxd/patrickmjones-letterboxd-data/lists/zatoichi.csv"
    with pytest.raises(LetterboxdFormatError,
                       match="zatoichi.csv: is a Letterboxd list, not a supported export file"):
        load_letterboxd(path)


@pytest.mark.parametrize(("data", "message"), [
    (b"", r"^notes\.csv: the file is empty$"),
    (b"\n\n", r"^notes\.csv: the file is empty$"),
    (b"a,b\n\x00\x01\x02\xff", r"^notes\.csv, line 2: is not a CSV text file"),
    (b"Date,Name\n\xff\xfe broken", r"^notes\.csv, line 2: is not a UTF-8 CSV text file"),
    (b"Film,Stars\nHer,4\n", r"^notes\.csv, line 1: is not a supported Letterboxd file"),
    (b"Date,Name,Year,Letterboxd URI\n", r"keep its original name"),
    (b"Date,Name,Year,Letterboxd URI,Rating\n2020-01-01,Her,2013,u,7\n",
     r"^notes\.csv, line 2: rating '7' is not between 0 and 5"),
])
def test_bad_files(tmp_path, data, message):
    path = tmp_path / "notes.csv"
    path.write_bytes(data)
    with pytest.raises(LetterboxdFormatError, match=message):
        load_letterboxd(path)


def test_merge_rules_on_a_small_export(tmp_path):
    (tmp_path / "diary.csv").write_text(
        "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\n"
        "2020-01-02,Her,2013,https://boxd.it/e1,4.5,,,2020-01-01\n"
        "2020-02-02,Her,2013,https://boxd.it/e2,,Yes,,2020-02-01\n", encoding="utf-8")
    (tmp_path / "reviews.csv").write_text(
        "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Review,Tags,Watched Date\n"
        "2020-02-02,HER,2013,https://boxd.it/other,,Yes,Second look.,,2020-02-01\n"
        "2020-03-02,Drive,2011,https://boxd.it/e3,5,,Wow.,,2020-03-01\n", encoding="utf-8")
    (tmp_path / "watched.csv").write_text(
        "Date,Name,Year,Letterboxd URI\n2020-01-02,Her,2013,https://boxd.it/f1\n"
        "2020-01-02,Léon,1994,https://boxd.it/f2\n2020-01-02,Drive,2011,https://boxd.it/f3\n",
        encoding="utf-8")
    (tmp_path / "ratings.csv").write_text(
        "Date,Name,Year,Letterboxd URI,Rating\n2020-01-02,Leon,1994,u,3.5\n"
        "2020-01-02,Her,2013,u,2\n", encoding="utf-8")
    data = merge_letterboxd(load_letterboxd(tmp_path))
    her = [v for v in data.viewings if v.film.name == "Her"]
    assert [(v.rating10, v.review_html) for v in her] == [(Decimal("9.0"), None),
                                                          (None, "Second look.")]
    leon = [v for v in data.viewings if v.film.key == ("leon", 1994)]
    assert len(leon) == 1 and leon[0].watched_date is None and leon[0].rating10 == Decimal("7.0")
    assert data.film_scores == {("leon", 1994): Decimal("7.0")}
    c = data.counts
    assert (c.diary_viewings, c.reviews_attached, c.reviews_standalone, c.seen_undated) == (
        2, 1, 1, 1)
    assert c.viewings == len(data.viewings) == 4
