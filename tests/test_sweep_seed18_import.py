"""A start of the sweep of journal/core/importers without mutmut (docs/testing.md, "Mutation
testing"): its ``raise`` lines read against the tests, and the messages no test asserted whole
asserted here, through real files."""

from __future__ import annotations

import pytest

from journal.core.export.fullbackup import dump
from journal.core.importers.apply import apply
from journal.core.importers.markdown_folder import MarkdownFormatError
from journal.core.importers.plan import StalePlan
from journal.core.importers.restore import apply_restore, plan_restore
from journal.core.importers.run import plan_import
from journal.core.journal import Journal
from journal.errors import ValidationError


@pytest.mark.parametrize("name, data, message", [
    ("date.md", b"---\ntitle: Her\nviewed: 2014-02-30\n---\nBody\n",
     "date.md: front matter holds an impossible date (day is out of range for month)"),
    ("list.md", b"---\n- one\n- two\n---\nBody\n",
     "list.md, line 2: front matter is not a list of fields"),
    ("latin.md", b"---\ntitle: Am\xe9lie\n---\nBody\n",
     "latin.md, line 2: is not a UTF-8 text file"),
    ("nul.md", b"---\ntitle: Her\n---\nBo\x00dy\n",
     "nul.md: is not a text file (it contains binary data)"),
    ("open.md", b"---\ntitle: x\nno end\n",
     "open.md, line 1: the front matter opened with --- never ends"),
])
def test_a_markdown_file_that_cannot_be_read_is_said_whole(journal, tmp_path, name, data,
                                                          message):
    folder = tmp_path / "reviews"
    folder.mkdir()
    (folder / name).write_bytes(data)
    with pytest.raises(MarkdownFormatError) as refused:
        plan_import(journal, "markdown", [folder])
    assert str(refused.value) == message


def test_a_folder_without_markdown_and_no_file_at_all(journal, tmp_path):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "notes.txt").write_text("Not Markdown.", encoding="utf-8")
    with pytest.raises(MarkdownFormatError) as refused:
        plan_import(journal, "markdown", [folder])
    assert str(refused.value) == "notes: contains no Markdown (.md) files"
    with pytest.raises(ValidationError) as nothing:
        plan_import(journal, "markdown", [])
    assert (str(nothing.value), nothing.value.field) == ("Choose at least one file to import.",
                                                         "paths")


def test_an_import_whose_files_changed_or_that_was_done_is_refused_whole(journal, tmp_path):
    folder = tmp_path / "reviews"
    folder.mkdir()
    review = folder / "her.md"
    review.write_text("---\ntitle: Her\nfilm: Her\nyear: 2013\n---\nBody\n", encoding="utf-8")
    plan = plan_import(journal, "markdown", [folder])
    review.write_text("---\ntitle: Her\nfilm: Her\nyear: 2013\n---\nBody, changed\n",
                      encoding="utf-8")
    with pytest.raises(StalePlan) as stale:
        apply(journal, plan)
    assert str(stale.value) == "The files changed after the preview; make a new preview."
    plan = plan_import(journal, "markdown", [folder])
    apply(journal, plan)
    with pytest.raises(StalePlan) as done:
        apply(journal, plan)
    assert str(done.value) == ("This import was already done; make a new preview to import "
                               "again.")


def test_a_restore_whose_backup_changed_or_that_was_done_is_refused_whole(journal, tmp_path):
    journal.films.create("Her", 2013)
    path = dump(journal, tmp_path / "backup.json").path
    with Journal.open(tmp_path / "empty.eyelights") as empty:
        plan = plan_restore(empty, path, "empty")
        path.write_text(path.read_text(encoding="utf-8") + " ", encoding="utf-8")
        with pytest.raises(StalePlan) as stale:
            apply_restore(empty, plan)
        assert str(stale.value) == ("The backup file changed after the preview; make a new "
                                    "preview.")
        plan = plan_restore(empty, path, "empty")
        apply_restore(empty, plan)
        with pytest.raises(StalePlan) as done:
            apply_restore(empty, plan)
        assert str(done.value) == ("This restore was already done; make a new preview to "
                                   "restore again.")


_HEAD = b"Date,Name,Year,Letterboxd URI,Rating\n"


@pytest.mark.parametrize("rows, message", [
    (b"2014-01-24,,2013,https://boxd.it/a,4\n", "ratings.csv, line 2: row has no film name"),
    (b"2014-01-24,Her,2013,https://boxd.it/a,4\n2014-99-99,Alien,1979,https://boxd.it/b,4\n",
     "ratings.csv, line 3: '2014-99-99' is not a date"),
    (b"2014-01-24,Her,20x3,https://boxd.it/a,4\n", "ratings.csv, line 2: '20x3' is not a year"),
])
def test_a_letterboxd_row_that_cannot_be_read_is_said_whole(rows, message):
    import io

    from journal.core.importers.letterboxd import LetterboxdFormatError, read_letterboxd_csv

    with pytest.raises(LetterboxdFormatError) as refused:
        read_letterboxd_csv(lambda: io.BytesIO(_HEAD + rows), "ratings.csv")
    assert str(refused.value) == message


def test_a_letterboxd_folder_or_zip_without_its_files_is_said_whole(tmp_path):
    import zipfile

    from journal.core.importers.letterboxd import LetterboxdFormatError, load_letterboxd

    folder = tmp_path / "letterboxd"
    folder.mkdir()
    (folder / "notes.txt").write_text("Not an export.", encoding="utf-8")
    with pytest.raises(LetterboxdFormatError) as refused:
        load_letterboxd(folder)
    assert str(refused.value) == ("letterboxd: contains no Letterboxd export files (diary.csv, "
                                  "reviews.csv, ratings.csv, watched.csv, watchlist.csv)")
    with zipfile.ZipFile(tmp_path / "export.zip", "w") as archive:
        archive.writestr("readme.txt", "Not an export.")
    with pytest.raises(LetterboxdFormatError) as refused:
        load_letterboxd(tmp_path / "export.zip")
    assert str(refused.value) == "export.zip: contains no Letterboxd export files"


def test_an_xml_prolog_that_never_ends_is_said_whole(tmp_path):
    from journal.core.importers.wxr import WxrFormatError, read_wxr

    path = tmp_path / "posts.xml"
    path.write_bytes(b'<?xml version="1.0"')
    with pytest.raises(WxrFormatError) as refused:
        read_wxr(path)
    assert str(refused.value) == ("posts.xml: does not appear to be a WordPress export: its XML "
                                  "prolog never ends")


def test_a_text_file_exactly_at_the_size_limit_is_read_and_one_byte_more_is_refused(tmp_path):
    from journal.core.importers.safe_input import InputRefused, check_text_file

    path = tmp_path / "posts.xml"
    path.write_bytes(b"x" * 200_000)
    check_text_file(path, "a WordPress export", limit=200_000)  # at the limit: read
    with pytest.raises(InputRefused):
        check_text_file(path, "a WordPress export", limit=199_999)  # one byte past
    with pytest.raises(InputRefused) as refused:
        check_text_file(path, "a WordPress export", limit=100_000)
    assert str(refused.value) == ("posts.xml is 0.2 MB: too big for a WordPress export "
                                  "(Eyelights reads up to 0.1 MB).")
