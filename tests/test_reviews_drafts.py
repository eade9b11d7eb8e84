"""A review with no film yet (a draft saved from its first keystroke) everywhere a review goes:
the list, search, quick open, the Trash, exports and print, Letterboxd, backups and restore."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from journal.cli import main
from journal.core.export.fullbackup import dump, restore
from journal.core.journal import Journal
from journal.core.review_rows import NO_FILM
from journal.core.search import SearchEngine
from journal.core.search.quick import quick_open
from journal.errors import ValidationError

BODY = "A first thought about a film I will name later: *somnambulist* dreams.\n\n## Verdict\n"


@pytest.fixture
def drafts(journal):
    film = journal.films.create("Her", 2013)
    finished = journal.reviews.create(film.id, "Theodore writes letters.", score="8.5")
    untitled = journal.reviews.create(None, BODY)
    titled = journal.reviews.create(None, "Lighthouse keepers, storms.", title="Storm notes")
    return journal, {"film": film.id, "finished": finished.id, "untitled": untitled.id,
                     "titled": titled.id}


def test_a_draft_is_stored_without_a_film_and_gets_one_later(drafts):
    journal, ids = drafts
    draft = journal.reviews.get(ids["untitled"])
    assert draft.film_id is None and draft.status == "draft" and draft.body == BODY
    with pytest.raises(ValidationError, match="film"):  # no viewing without a film
        journal.reviews.update(ids["untitled"], viewing_id=journal.viewings.log(
            ids["film"], "2014-01-24").id)
    journal.reviews.update(ids["untitled"], film_id=ids["film"])
    assert journal.reviews.get(ids["untitled"]).film_id == ids["film"]
    with pytest.raises(ValidationError, match="not taken away"):
        journal.reviews.update(ids["untitled"], film_id=None)


def test_the_list_shows_drafts_as_such(drafts):
    journal, ids = drafts
    rows = {r.id: r for r in journal.reviews.rows()}
    assert set(rows) == {ids["finished"], ids["untitled"], ids["titled"]}
    assert (rows[ids["untitled"]].film_id, rows[ids["untitled"]].film_title) == (None, NO_FILM)
    assert rows[ids["titled"]].film_title == f"{NO_FILM} — Storm notes"
    assert rows[ids["finished"]].film_title == "Her"
    assert journal.reviews.count() == 3


def test_search_and_quick_open_find_drafts(drafts):
    journal, ids = drafts
    hits = SearchEngine(journal).search("somnambulist").hits
    assert [(h.kind, h.review_id, h.title) for h in hits] == [
        ("review", ids["untitled"], NO_FILM)]
    assert [h.review_id for h in SearchEngine(journal).search("status:draft storms").hits] == [
        ids["titled"]]
    items = quick_open(journal, "storm")
    assert [(i.kind, i.id, i.label) for i in items] == [
        ("review", ids["titled"], "Draft review (no film yet)")]


def test_a_draft_goes_to_the_trash_and_comes_back(drafts):
    journal, ids = drafts
    journal.reviews.delete(ids["untitled"])
    groups = journal.trash.groups()
    assert [g.label for g in groups] == ["Draft review"]
    journal.trash.restore(groups[0].group)
    assert journal.reviews.get(ids["untitled"]).body == BODY


def test_exports_and_print_of_a_draft(drafts, journal_path, tmp_path, capsys, qapp):
    journal, ids = drafts
    journal.close()
    for suffix in ("md", "html", "pdf"):
        target = tmp_path / f"draft.{suffix}"
        code = main(["export", str(ids["untitled"]), "-o", str(target), "--journal",
                     str(journal_path)])
        assert code == 0, capsys.readouterr().err
    assert "somnambulist" in (tmp_path / "draft.md").read_text(encoding="utf-8")
    assert "film:" not in (tmp_path / "draft.md").read_text(encoding="utf-8")
    html = (tmp_path / "draft.html").read_text(encoding="utf-8")
    assert "somnambulist" in html and "None" not in html
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(tmp_path / "draft.pdf"), "-"],
                              capture_output=True, text=True, check=True).stdout
        assert "somnambulist" in text
    code = main(["export", "--booklet", "-o", str(tmp_path / "all.pdf"), "--journal",
                 str(journal_path)])
    assert code == 0, capsys.readouterr().err
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(tmp_path / "all.pdf"), "-"],
                              capture_output=True, text=True, check=True).stdout
        assert "somnambulist" in text and "Theodore" in text
        assert "Draft review (no film yet)" in text  # its line of the table of contents


def test_a_folder_of_reviews_names_and_lists_drafts_by_their_title(drafts, journal_path,
                                                                  tmp_path, capsys):
    journal, _ids = drafts
    journal.close()
    code = main(["export", "--all", "--format", "html", "-o", str(tmp_path / "site"),
                 "--journal", str(journal_path)])
    assert code == 0, capsys.readouterr().err
    names = sorted(p.name for p in (tmp_path / "site").iterdir())
    assert any(n.endswith("-storm-notes.html") for n in names)
    assert any(n.endswith("-draft.html") for n in names)
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "Storm notes (no film yet)</a>" in index
    assert "Draft review (no film yet)</a>" in index


def test_letterboxd_export_says_it_left_the_drafts_out(drafts, journal_path, tmp_path, capsys):
    journal, _ids = drafts
    journal.close()
    code = main(["export", "--letterboxd", "-o", str(tmp_path / "lb"), "--journal",
                 str(journal_path)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "2 draft reviews with no film yet left out" in out
    csv = (tmp_path / "lb" / "letterboxd-import.csv").read_text(encoding="utf-8")
    assert "Theodore" in csv and "somnambulist" not in csv


def test_backup_restore_and_merge_keep_drafts_once(drafts, tmp_path):
    journal, ids = drafts
    dump(journal, tmp_path / "full.json")
    doc = json.loads((tmp_path / "full.json").read_text(encoding="utf-8"))
    assert doc["schema_version"] == journal.store.schema_version()
    with Journal.open(tmp_path / "restored.eyelights") as copy:
        restore(copy, tmp_path / "full.json", "empty")
        assert copy.reviews.get(ids["untitled"]).film_id is None
        assert copy.reviews.get(ids["untitled"]).body == BODY
        restore(copy, tmp_path / "full.json", "merge")  # the same backup again: nothing new
        assert copy.reviews.count() == 3
        assert copy.check()[0]


def test_publishing_a_draft_without_a_film_asks_for_the_film_first(drafts, memory_keyring):
    from journal.core.publish import BlogService, BlogSettings, compose

    journal, ids = drafts
    blog = BlogService(journal).add(BlogSettings("Blog", "https://example.org", "me"), "pw",
                                    check=False)
    with pytest.raises(ValidationError, match="no film yet"):
        compose(journal, ids["untitled"], blog)
    assert compose(journal, ids["finished"], blog).title == "Her"
