"""Full backup: dump → restore into an empty journal → dump again is identical; merge; errors."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import export_helpers as helpers  # noqa: E402 (tests/ is on sys.path: conftest.py)
import pytest

from journal.core.export import BackupFormatError
from journal.core.export.fullbackup import FORMAT_VERSION, dump, restore
from journal.core.journal import Journal
from journal.errors import Refused

_CREATED_RE = re.compile(rb'"created":"[^"]*"')


def normalised(path: Path) -> bytes:
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            data = archive.read("eyelights-backup.json")
    else:
        data = path.read_bytes()
    return _CREATED_RE.sub(b'"created":""', data, count=1)


@pytest.fixture
def filled(journal):
    ids = helpers.rich_journal(journal)
    trashed = journal.reviews.create(ids["her"], "Deleted thoughts.")
    journal.reviews.delete(trashed.id)  # the Trash is part of the journal too
    journal.reviews.snapshot(ids["review"], "manual")
    return journal


@pytest.mark.parametrize("name", ["full.json", "full.zip"])
def test_backup_restore_backup_is_identical(filled, tmp_path, name):
    first = dump(filled, tmp_path / name)
    assert first.counts["review"] == 3 and first.counts["poster"] == 1
    with Journal.open(tmp_path / "restored.eyelights") as fresh:
        m = fresh.models
        summary = restore(fresh, first.path)
        assert summary.added["review"] == 3 and not summary.warnings
        second = dump(fresh, tmp_path / f"again-{name}")
        # what the app sees is the same too, ids included
        review = m.Review.select().order_by(m.Review.id).first()
        assert review.film.title == "Amélie" and review.score is not None
        assert m.Poster.get().data == helpers.tiny_png()
        assert m.Comment.select().where(m.Comment.parent.is_null(False)).count() == 1
        assert fresh.trash.groups()
        assert fresh.check()[0]
    assert normalised(first.path) == normalised(second.path)
    assert b'"created":""' in normalised(first.path)


def test_zip_holds_posters_as_files(filled, tmp_path):
    out = dump(filled, tmp_path / "b.zip").path
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        poster = [n for n in names if n.startswith("posters/")]
        assert poster and poster[0].endswith(".png")
        assert archive.read(poster[0]) == helpers.tiny_png()
        doc = json.loads(archive.read("eyelights-backup.json"))
    assert doc["format"] == "eyelights-backup" and doc["format_version"] == FORMAT_VERSION
    assert doc["tables"]["poster"]["rows"][0][-1] == {"file": poster[0]}


def test_backup_without_posters(filled, tmp_path):
    out = dump(filled, tmp_path / "b.json", with_posters=False).path
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert "poster" not in doc["tables"] and doc["posters"] == "none"
    with Journal.open(tmp_path / "r.eyelights") as fresh:
        m = fresh.models
        restore(fresh, out)
        assert m.Poster.select().count() == 0 and m.Film.select().count() == 2


def test_restore_refuses_a_journal_that_is_not_empty(filled, tmp_path):
    out = dump(filled, tmp_path / "b.json").path
    with pytest.raises(Refused, match="not empty"):
        restore(filled, out)


def test_merge_adds_only_what_is_missing_and_is_idempotent(filled, tmp_path):
    out = dump(filled, tmp_path / "b.json").path
    with Journal.open(tmp_path / "other.eyelights") as other:
        m = other.models
        mine = other.films.create("Her", 2013, directors=["Spike Jonze"])
        other.reviews.create(mine.id, "My own review of Her.")
        dry = restore(other, out, mode="merge", dry_run=True)
        assert dry.dry_run and dry.added["review"] == 3
        assert m.Review.select().count() == 1  # the dry run wrote nothing
        summary = restore(other, out, mode="merge")
        assert summary.matched["film"] == 1  # Her was already there
        assert m.Film.select().count() == 2 and m.Review.select().count() == 4
        again = restore(other, out, mode="merge")
        assert sum(again.added.values()) == 0 and m.Review.select().count() == 4
        amelie = m.Film.get(m.Film.title == "Amélie")
        assert other.reviews.for_film(amelie.id)[0].viewing.watched_on == "2014-01-24"
        assert other.check()[0]


def _viewings_by_film(journal) -> list[tuple[str, str | None, str]]:
    m = journal.models
    return sorted((v.film.title, v.watched_on, v.venue) for v in m.Viewing.select())


def test_merge_keeps_each_viewing_and_comment_with_its_own_film_and_review(filled, tmp_path):
    """The merged rows point at the films, reviews and comments they pointed at in the backup,
    also when the journal's ids are not the backup's (films made in another order)."""
    out = dump(filled, tmp_path / "b.json").path
    with Journal.open(tmp_path / "other.eyelights") as other:
        m = other.models
        for title, year in (("Heat", 1995), ("Stalker", 1979), ("Mirror", 1975)):
            other.films.create(title, year)  # the backup's ids are taken by other films
        restore(other, out, mode="merge")
        assert _viewings_by_film(other) == _viewings_by_film(filled)
        for journal in (filled, other):
            replies = [(c.text, c.parent.text, c.review.film.title) for c in
                       journal.models.Comment.select().where(
                           journal.models.Comment.parent.is_null(False))]
            assert replies
        assert sorted(replies) == sorted(
            (c.text, c.parent.text, c.review.film.title) for c in filled.models.Comment.select()
            .where(filled.models.Comment.parent.is_null(False)))
        assert m.Film.select().count() == 5


def test_dry_run_into_an_empty_journal_writes_nothing(filled, tmp_path):
    out = dump(filled, tmp_path / "b.zip").path
    with Journal.open(tmp_path / "r.eyelights") as fresh:
        summary = restore(fresh, out, dry_run=True)
        assert summary.added["film"] == 2 and fresh.is_empty()
        assert "Would restore" in summary.message()


@pytest.mark.parametrize("content, words", [
    (b"not json", "not a readable"),
    (b'{"format": "something-else"}', "not an Eyelights full backup"),
    (b'{"format": "eyelights-backup", "format_version": 99, "schema_version": 1, '
     b'"tables": {}}', "newer Eyelights"),
    (b'{"format": "eyelights-backup", "format_version": 1, "schema_version": 1, '
     b'"tables": {"film": {"columns": ["id"], "rows": [[1, 2]]}}}', "damaged"),
])
def test_bad_backup_files_are_refused(journal, tmp_path, content, words):
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    with pytest.raises(BackupFormatError, match=words):
        restore(journal, bad)
    assert journal.is_empty()


def test_broken_references_roll_back(filled, tmp_path):
    out = dump(filled, tmp_path / "b.json").path
    doc = json.loads(out.read_text(encoding="utf-8"))
    del doc["tables"]["film"]  # reviews now point at films that do not exist
    out.write_text(json.dumps(doc), encoding="utf-8")
    with Journal.open(tmp_path / "r.eyelights") as fresh:
        with pytest.raises(BackupFormatError, match="inconsistent"):
            restore(fresh, out)
        assert fresh.is_empty()


def test_failed_dump_leaves_no_file(filled, tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("")
    from journal.core.export import ExportError

    with pytest.raises(ExportError):
        dump(filled, afile / "b.json")
    assert not (afile / "b.json").exists()
