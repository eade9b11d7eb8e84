"""The command line: every basic subcommand and its error exits."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from journal import __version__
from journal.cli import main
from journal.core.journal import Journal
from journal.core.sample import load_sample

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def sample_path(tmp_path):
    path = tmp_path / "sample.eyelights"
    with Journal.open(path) as journal:
        load_sample(journal)
    return path


def run(*argv, capsys):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"eyelights {__version__}"


def test_check_healthy_and_damaged(sample_path, capsys, tmp_path):
    code, out, _ = run("check", "--journal", str(sample_path), capsys=capsys)
    assert code == 0 and "healthy" in out and out.count("\n") == 1
    # Break a reference behind the journal's back: check must notice.
    con = sqlite3.connect(sample_path)
    con.execute("PRAGMA foreign_keys = OFF")
    con.execute("UPDATE review SET film_id = 999 WHERE id = 1")
    con.commit()
    con.close()
    code, out, _ = run("check", "--journal", str(sample_path), capsys=capsys)
    assert code == 1 and "broken references" in out


def test_check_missing_journal_is_one_line_and_non_zero(tmp_path, capsys):
    code, out, err = run("check", "--journal", str(tmp_path / "none.eyelights"), capsys=capsys)
    assert code == 1 and out == "" and err.count("\n") == 1 and "no journal" in err


def test_check_a_corrupt_file(tmp_path, capsys):
    bad = tmp_path / "bad.eyelights"
    bad.write_text("not sqlite at all\n" * 50)
    code, _, err = run("check", "--journal", str(bad), capsys=capsys)
    assert code == 1 and "damaged" in err and err.count("\n") == 1


def test_backup_default_and_to_file(sample_path, capsys, tmp_path):
    code, out, _ = run("backup", "--journal", str(sample_path), capsys=capsys)
    assert code == 0 and "Backup written to" in out
    made = Path(out.split("Backup written to ", 1)[1].strip())
    assert made.exists() and made.parent.name == "sample-backups"
    target = tmp_path / "my backup.db"
    code, out, _ = run("backup", "--journal", str(sample_path), "-o", str(target), capsys=capsys)
    assert code == 0 and target.exists()
    with Journal.open(target, read_only=True) as copy:
        assert copy.reviews.count() == 5


def test_backup_errors(sample_path, capsys, tmp_path):
    code, _, err = run("backup", "--journal", str(sample_path), "-o",
                       str(tmp_path / "nope" / "b.db"), capsys=capsys)
    assert code == 1 and "does not exist" in err
    code, _, err = run("backup", "--journal", str(sample_path), "-o", str(tmp_path), capsys=capsys)
    assert code == 1 and "is a folder" in err


def test_list_text_and_json(sample_path, capsys):
    code, out, _ = run("list", "films", "--journal", str(sample_path), capsys=capsys)
    assert code == 0 and "Nosferatu" in out and "F. W. Murnau" in out
    code, out, _ = run("list", "reviews", "--json", "--journal", str(sample_path), capsys=capsys)
    reviews = json.loads(out)
    assert {r["film"]: r["score"] for r in reviews}["Sherlock Jr."] == 8.5
    code, out, _ = run("list", "viewings", "--json", "--journal", str(sample_path), capsys=capsys)
    viewings = json.loads(out)
    sherlock = [v for v in viewings if v["film"] == "Sherlock Jr."]
    assert [(v["date"], v["rewatch"]) for v in sherlock] == [("2019-06", True), ("2008", False)]


def test_list_rejects_unknown_kind(capsys):
    with pytest.raises(SystemExit) as info:
        main(["list", "posters"])
    assert info.value.code == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_journal_from_environment(sample_path, capsys, monkeypatch):
    monkeypatch.setenv("EYELIGHTS_JOURNAL", str(sample_path))
    code, out, _ = run("list", "reviews", capsys=capsys)
    assert code == 0 and "Nosferatu" in out


def test_sample_into_a_new_journal_and_twice_adds_nothing(tmp_path, capsys):
    path = tmp_path / "new.eyelights"
    code, out, _ = run("sample", "--journal", str(path), capsys=capsys)
    assert code == 0 and "5 films" in out
    code, out, _ = run("sample", "--journal", str(path), capsys=capsys)
    assert "0 films" in out
    with Journal.open(path, read_only=True) as journal:
        assert journal.reviews.count() == 5


def test_real_command_line_subprocess(sample_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "journal", "check", "--journal",
                           str(sample_path)], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0 and "healthy" in done.stdout
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    env.pop("QT_QPA_PLATFORM", None)
    done = subprocess.run([sys.executable, "-m", "journal", "--journal", str(sample_path)],
                          capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "no display" in done.stderr


def test_window_smoke_test_offscreen(sample_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-m", "journal", "--smoke-test", "--journal",
                           str(sample_path)], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
