"""``eyelights export`` and ``eyelights backup --json`` end to end (in process)."""

from __future__ import annotations

import json
import shutil
import subprocess

import export_helpers as helpers  # noqa: E402 (tests/ is on sys.path: conftest.py)
import pytest

from journal.cli import main
from journal.core.journal import Journal


@pytest.fixture
def stored(journal_path):
    with Journal.open(journal_path) as journal:
        ids = helpers.rich_journal(journal)
        other = journal.films.create("Amélie", 2001, allow_duplicate=True)
        journal.reviews.create(other.id, "Another Amélie.")
    return journal_path, ids


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_export_by_id_in_each_format(stored, tmp_path, capsys, qapp):
    path, ids = stored
    for suffix in ("html", "md", "pdf", "odt"):
        target = tmp_path / f"review.{suffix}"
        code, out, err = run(capsys, "export", str(ids["review"]), "-o", str(target),
                             "--journal", str(path), "--no-spoilers")
        assert code == 0, err
        assert target.exists() and str(target) in out
    assert "Zanzibar" not in (tmp_path / "review.html").read_text(encoding="utf-8")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(tmp_path / "review.pdf"), "-"],
                              capture_output=True, text=True, check=True).stdout
        assert "A fabulous destiny" in text and "Zanzibar" not in text


def test_export_by_title_and_ambiguity(stored, tmp_path, capsys):
    path, ids = stored
    code, _out, err = run(capsys, "export", "Her (2013)", "--format", "md", "-o",
                          str(tmp_path / "her.md"), "--journal", str(path))
    assert code == 0, err
    assert "Short and sweet." in (tmp_path / "her.md").read_text(encoding="utf-8")
    code, _out, err = run(capsys, "export", "amelie", "-o", str(tmp_path / "a.md"),
                          "--journal", str(path))
    assert code == 2 and "matches 2 reviews" in err and str(ids["review"]) in err
    assert not (tmp_path / "a.md").exists()
    code, _out, err = run(capsys, "export", "Nope", "-o", str(tmp_path / "n.md"),
                          "--journal", str(path))
    assert code == 2 and "No review" in err


def test_export_errors_are_one_line(stored, tmp_path, capsys):
    path, ids = stored
    code, _out, err = run(capsys, "export", str(ids["review"]), "-o", str(tmp_path / "x.txt"),
                          "--journal", str(path))
    assert code == 2 and "--format" in err
    (tmp_path / "afile").write_text("")
    code, _out, err = run(capsys, "export", str(ids["review"]), "-o",
                          str(tmp_path / "afile" / "x.html"), "--journal", str(path))
    assert code == 1 and err.count("\n") == 1 and "not a folder" in err


def test_booklet_by_year_and_search(stored, tmp_path, capsys, qapp):
    path, _ids = stored
    code, out, err = run(capsys, "export", "--booklet", "--year", "2014", "-o",
                         str(tmp_path / "b.pdf"), "--journal", str(path))
    assert code == 0, err
    assert "Booklet of 1 review," in out
    code, out, err = run(capsys, "export", "--booklet", "--year", "1950", "-o",
                         str(tmp_path / "c.pdf"), "--journal", str(path))
    assert code == 2 and "empty" in err and not (tmp_path / "c.pdf").exists()
    code, out, err = run(capsys, "export", "--booklet", "--search", "sweet", "-o",
                         str(tmp_path / "d.pdf"), "--journal", str(path))
    assert code == 0, err
    assert "Booklet of 1 review," in out


def test_letterboxd_and_json_backup(stored, tmp_path, capsys):
    path, _ids = stored
    code, out, err = run(capsys, "export", "--letterboxd", "-o", str(tmp_path / "lb"),
                         "--journal", str(path))
    assert code == 0 and "rounded" in out, err
    assert (tmp_path / "lb" / "letterboxd-import.csv").exists()
    code, out, err = run(capsys, "backup", "--json", "-o", str(tmp_path / "full.json"),
                         "--journal", str(path))
    assert code == 0, err
    doc = json.loads((tmp_path / "full.json").read_text(encoding="utf-8"))
    assert doc["format"] == "eyelights-backup" and len(doc["tables"]["review"]["rows"]) == 3
