"""``eyelights import …``: plan summary, dry run, result, refusals, second run."""

from __future__ import annotations

from pathlib import Path

import import_apply_helpers as helpers  # noqa: E402 (tests/ is on sys.path: conftest.py)
import pytest

from journal.cli import main

POST = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><wp:wxr_version>1.2</wp:wxr_version>
<item><title>Her 8.5</title><wp:post_id>1</wp:post_id><wp:post_type>post</wp:post_type>
<content:encoded><![CDATA[<p>Eyelights: the voice.</p><p>Lovely.</p>]]></content:encoded></item>
</channel></rss>
"""


@pytest.fixture
def export(tmp_path) -> Path:
    path = tmp_path / "export.xml"
    path.write_text(POST, encoding="utf-8")
    return path


def test_dry_run_then_import_then_nothing_new(tmp_path, export, capsys):
    jpath = tmp_path / "cli.eyelights"
    assert main(["import", "wxr", str(export), "--journal", str(jpath), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "does not exist yet: previewing against a new, empty journal" in out
    assert "new films: 1" in out and "reviews: 1" in out and not jpath.exists()
    assert main(["sample", "--journal", str(jpath)]) == 0
    before = helpers.counts(jpath)
    assert main(["import", "wxr", str(export), "--journal", str(jpath), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "reviews: 1" in out and "score 8.5 from “Her 8.5”" in out
    assert "Dry run: nothing was written." in out and helpers.counts(jpath) == before
    assert main(["import", "wxr", str(export), "--journal", str(jpath)]) == 0
    out = capsys.readouterr().out
    assert "Imported: 1 new film, 1 review" in out and "backup of the journal" in out
    assert helpers.counts(jpath)["review"] == before["review"] + 1
    assert main(["import", "wxr", str(export), "--journal", str(jpath), "--brief"]) == 0
    out = capsys.readouterr().out
    assert "already imported (left as they are): 1" in out and "Nothing new to import." in out


def test_malformed_file_is_one_line_and_writes_nothing(tmp_path, export, capsys):
    jpath = tmp_path / "cli.eyelights"
    assert main(["sample", "--journal", str(jpath)]) == 0
    before = helpers.data_digest(jpath)
    export.write_text(POST.replace("</item>", ""), encoding="utf-8")
    assert main(["import", "wxr", str(export), "--journal", str(jpath)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("eyelights: export.xml, line 7: not well-formed")
    assert helpers.data_digest(jpath) == before


def test_missing_path_and_letterboxd(tmp_path, capsys):
    jpath = tmp_path / "cli.eyelights"
    assert main(["import", "letterboxd", str(tmp_path / "nope.zip"), "--journal",
                 str(jpath)]) == 2
    assert "Not found" in capsys.readouterr().err
    diary = tmp_path / "diary.csv"
    diary.write_text("Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\n"
                     "2020-01-02,Her,2013,https://boxd.it/a,4.5,,,2020-01-01\n", "utf-8")
    assert main(["import", "letterboxd", str(diary), "--journal", str(jpath)]) == 0
    assert "Imported: 1 new film, 1 review, 1 viewing" in capsys.readouterr().out


def test_backup_restore_dry_run(tmp_path, capsys):
    from journal.core.export import fullbackup
    from journal.core.journal import Journal

    source = tmp_path / "source.eyelights"
    with Journal.open(source) as journal:
        journal.films.create("Her", 2013)
        fullbackup.dump(journal, tmp_path / "full.zip")
    target = tmp_path / "target.eyelights"
    Journal.open(target).close()
    assert main(["import", "backup", str(tmp_path / "full.zip"), "--journal", str(target),
                 "--dry-run"]) == 0
    assert "Dry run" in capsys.readouterr().out and helpers.counts(target)["film"] == 0
    assert main(["import", "backup", str(tmp_path / "full.zip"), "--journal",
                 str(target)]) == 0
    assert helpers.counts(target)["film"] == 1


def test_backup_dry_run_for_a_journal_not_created_yet(tmp_path, capsys):
    from journal.core.export import fullbackup
    from journal.core.journal import Journal

    with Journal.open(tmp_path / "source.eyelights") as journal:
        journal.films.create("Her", 2013)
        fullbackup.dump(journal, tmp_path / "full.json")
    target = tmp_path / "new" / "target.eyelights"
    target.parent.mkdir()
    assert main(["import", "backup", str(tmp_path / "full.json"), "--journal", str(target),
                 "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "previewing against a new, empty journal" in out and "films: 1" in out
    assert "restore into this empty journal" in out and "Dry run" in out
    assert list(target.parent.iterdir()) == []
    assert main(["import", "backup", str(tmp_path / "full.json"), "--journal",
                 str(target)]) == 0
    out = capsys.readouterr().out
    assert "Restored " in out and "1 film)" in out
    assert helpers.counts(target)["film"] == 1
