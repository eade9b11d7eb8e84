"""Backups and Markdown records: behaviour that the seed-17 mutation sample of the core found
untested (docs/testing.md, "Mutation testing"). Each test failed with its mutant switched on."""

from __future__ import annotations

import json

import pytest

from journal.core.export import BackupFormatError
from journal.core.export.backup_check import check_row
from journal.core.export.fullbackup import dump, restore
from journal.core.export.markdown import read_markdown_review
from journal.core.journal import Journal
from journal.store.models import Viewing


def test_a_bad_value_in_a_backup_names_its_row_and_id():
    with pytest.raises(BackupFormatError) as refused:
        check_row(Viewing, "viewing", 3, {"id": 7, "watched_on": "2014-13-45"})
    assert str(refused.value) == (
        "The backup's table viewing, row 3 (id 7), column watched_on: '2014-13-45' is not a "
        "date (YYYY, YYYY-MM or YYYY-MM-DD). Nothing was restored.")


def test_columns_an_older_backup_lacks_get_this_versions_defaults(journal, tmp_path):
    film = journal.films.create("Her", 2013, synopsis="Letters.")
    journal.reviews.create(film.id, "Body")
    path = dump(journal, tmp_path / "backup.json").path
    document = json.loads(path.read_text(encoding="utf-8"))
    table = document["tables"]["film"]
    for gone in ("kind", "genres", "countries"):  # columns added by later versions
        at = table["columns"].index(gone)
        del table["columns"][at]
        for row in table["rows"]:
            del row[at]
    path.write_text(json.dumps(document), encoding="utf-8")
    with Journal.open(tmp_path / "restored.eyelights") as fresh:
        summary = restore(fresh, path)
        assert summary.added["film"] == 1
        her = fresh.models.Film.get()
        assert (her.title, her.synopsis, her.kind, her.genres, her.countries) == (
            "Her", "Letters.", "feature", "", "")


def test_a_markdown_review_without_front_matter_is_all_body():
    record = read_markdown_review("Just my thoughts.\n")
    assert record == {
        "title": "", "film": "", "year": None, "directors": [], "score": None,
        "eyelights": "", "eyesores": "", "viewed": None, "medium": None, "venue": "",
        "companions": "", "viewing_note": "", "rewatch": False, "tags": [],
        "status": "draft", "published_at": None, "published_url": None, "language": "en",
        "imdb_id": None, "tmdb_id": None, "letterboxd_uri": None, "synopsis": "",
        "created": None, "updated": None, "body": "Just my thoughts.\n", "extra": {},
        "front_matter": False}


def test_a_merge_matches_a_watchlist_film_whatever_its_source_key(journal, tmp_path):
    her = journal.films.create("Her", 2013, imdb_id="tt1798709").id
    entry = journal.watchlist.add(her)
    m = journal.models
    with journal.write():
        m.WatchlistEntry.update(source_key="lb:watchlist:her|2013").where(
            m.WatchlistEntry.id == entry.id).execute()
    path = dump(journal, tmp_path / "backup.json").path
    with Journal.open(tmp_path / "other.eyelights") as other:
        other.watchlist.add(other.films.create("Her", 2013, imdb_id="tt1798709").id)
        summary = restore(other, path, mode="merge")
        assert other.models.WatchlistEntry.select().count() == 1
        assert summary.matched.get("watchlist_entry") == 1
