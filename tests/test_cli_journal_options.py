"""``--journal`` and ``--read-only`` work before and after every command.

argparse gives an option declared on the main parser and (through ``parents=``) on a subparser to
the subparser last, so its default used to overwrite a value given before the command:
``eyelights --journal J list films`` listed the default journal, and ``eyelights --read-only
--journal J import …`` wrote. Each command is run here with the options in both positions against
a journal J, while ``$EYELIGHTS_JOURNAL`` names another journal that must stay untouched.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

from journal.cli import COMMAND_NAMES, build_parser, main
from journal.core.journal import Journal
from journal.core.sample import load_sample

POSITIONS = ("before", "after")


def fingerprint(path: Path) -> str:
    """The journal's content (every row of every table), whatever the file's pages look like."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return hashlib.sha256("\n".join(con.iterdump()).encode()).hexdigest()
    finally:
        con.close()


@pytest.fixture
def journals(tmp_path, monkeypatch):
    """(J: the sample journal the commands are pointed at, other: the one the environment
    names, holding a single review of "Her" and a blog)."""
    target = tmp_path / "target.eyelights"
    with Journal.open(target) as journal:
        load_sample(journal)
    other = tmp_path / "other.eyelights"
    with Journal.open(other) as journal:
        film = journal.films.create("Her", 2013)
        journal.reviews.create(film.id, "A man and his operating system.")
        with journal.write():  # a blog (no secret needed to list it)
            journal.store.db.execute_sql("INSERT INTO blog (name, site_url, created_at) VALUES "
                                         "('Other blog', 'http://127.0.0.1:9', '2024-01-01')")
    monkeypatch.setenv("EYELIGHTS_JOURNAL", str(other))
    return target, other


def run(argv: list[str], options: list[str], position: str, capsys) -> tuple[int, str, str]:
    """Run ``eyelights`` with ``options`` before the command or after its arguments."""
    words = options + argv if position == "before" else argv + options
    try:
        code = main(words)
    except SystemExit as exc:  # argparse's own exits
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def _letterboxd(shared: Path) -> str:
    return str(shared / "letterboxd" / "rats-2017-export")


#: command → (arguments, check(exit code, stdout, stderr, journal J)): true when the command
#: ran on J, not on the other journal.
def _commands(tmp_path: Path, shared: Path) -> dict[str, tuple[list[str], object]]:
    def reviews_in(path: Path) -> int:
        with Journal.open(path, read_only=True) as journal:
            return journal.reviews.count()

    def ok(test):
        return lambda code, out, err, j: code == 0 and test(out, j)

    return {
        "check": (["check"], ok(lambda out, j: "target.eyelights is healthy" in out)),
        "backup": (["backup", "-o", str(tmp_path / "copy.eyelights")],
                   ok(lambda out, j: reviews_in(tmp_path / "copy.eyelights") == 5)),
        "list": (["list", "films"], ok(lambda out, j: "Nosferatu" in out and "Her" not in out)),
        "sample": (["sample"], ok(lambda out, j: "0 films" in out)),  # J already holds it
        "search": (["search", "nosferatu", "--json"], ok(
            lambda out, j: any(hit["title"] == "Nosferatu" for hit in json.loads(out)))),
        "import": (["import", "letterboxd", _letterboxd(shared), "--brief"],
                   ok(lambda out, j: "Imported" in out and reviews_in(j) > 5)),
        "export": (["export", "1", "--format", "md", "-o", str(tmp_path / "one.md")], ok(
            lambda out, j: "Her" not in (tmp_path / "one.md").read_text(encoding="utf-8"))),
        # J has no blog (the other journal has one, and no Nosferatu): nothing leaves the machine
        "blogs": (["blogs", "list"], ok(lambda out, j: "Other blog" not in out)),
        "publish": (["publish", "Nosferatu", "--dry-run"],
                    lambda code, out, err, j: code == 2 and "No blog yet" in err),
        "comments": (["comments", "reply", "1", "Thanks!"],  # the sample's comment #1
                     lambda code, out, err, j: code == 2 and "not on a blog" in err),
        # asks the local metadata stand-in (tests/metadata_helpers.py) about J's films
        "films": (["films", "complete", "--dry-run"],
                  ok(lambda out, j: "Metropolis" in out and "Her (2013)" not in out)),
    }


@pytest.fixture(autouse=True)
def _no_internet_for_films(request):
    """``films`` talks to Wikidata: here, to the tests' own server on 127.0.0.1."""
    if "films" in request.node.name:
        request.getfixturevalue("metadata_server")


def test_every_command_is_covered(tmp_path, shared_testdata):
    assert set(_commands(tmp_path, shared_testdata)) == set(COMMAND_NAMES)


@pytest.mark.parametrize("position", POSITIONS)
@pytest.mark.parametrize("command", sorted(COMMAND_NAMES))
def test_journal_option_in_both_positions(command, position, journals, tmp_path,
                                          shared_testdata, capsys):
    target, other = journals
    untouched = fingerprint(other)
    argv, check = _commands(tmp_path, shared_testdata)[command]
    code, out, err = run(argv, ["--journal", str(target)], position, capsys)
    assert check(code, out, err, target), (code, out, err)
    assert fingerprint(other) == untouched


#: command → arguments of a run that would write; every other command's run above only reads.
WRITERS = {
    "sample": ["sample"],
    "search": ["search", "--rebuild"],
    "import": ["import", "letterboxd", "LETTERBOXD", "--brief"],
    "publish": ["publish", "Nosferatu"],
    "comments": ["comments", "sync"],
    "blogs": ["blogs", "remove", "Other blog"],
    "films": ["films", "complete"],
}


@pytest.mark.parametrize("position", POSITIONS)
@pytest.mark.parametrize("command", sorted(COMMAND_NAMES))
def test_read_only_in_both_positions(command, position, journals, tmp_path, shared_testdata,
                                     capsys):
    """A command that would write refuses (exit 2, one line, no backup made, nothing sent); a
    reading command works as without --read-only. Either way the journal is what it was."""
    target, _other = journals
    before = fingerprint(target)
    if command in WRITERS:
        argv = [a.replace("LETTERBOXD", _letterboxd(shared_testdata)) for a in WRITERS[command]]
    else:
        argv, check = _commands(tmp_path, shared_testdata)[command]
    code, out, err = run(argv, ["--read-only", "--journal", str(target)], position, capsys)
    if command in WRITERS:
        assert code == 2 and out == "" and err.count("\n") == 1, (out, err)
        assert "--read-only" in err and "nothing was done" in err
        assert not (target.parent / "target-backups").exists()  # not even the pre-import one
    else:
        assert check(code, out, err, target), (code, out, err)
    assert fingerprint(target) == before


@pytest.mark.parametrize("position", POSITIONS)
def test_read_only_restore_of_a_backup_refuses_even_its_dry_run(position, journals, tmp_path,
                                                                capsys):
    target, _other = journals
    dump = tmp_path / "full.json"
    assert run(["backup", "--json", "-o", str(dump)], ["--journal", str(target)], position,
               capsys)[0] == 0
    before = fingerprint(target)
    for extra in ([], ["--dry-run"]):
        code, _out, err = run(["import", "backup", str(dump), *extra],
                              ["--read-only", "--journal", str(target)], position, capsys)
        assert code == 2 and "restoring a backup" in err
    assert fingerprint(target) == before


@pytest.mark.parametrize("position", POSITIONS)
def test_read_only_dry_run_import_shows_the_plan(position, journals, shared_testdata, capsys):
    target, _other = journals
    before = fingerprint(target)
    code, out, err = run(["import", "letterboxd", _letterboxd(shared_testdata), "--dry-run",
                          "--brief"], ["--read-only", "--journal", str(target)], position, capsys)
    assert code == 0, err
    assert "Dry run: nothing was written." in out
    assert fingerprint(target) == before


def test_the_window_gets_the_options_too():
    """Without a command (the window), the main parser's own options are the ones read."""
    args = build_parser(with_commands=False).parse_args(["--read-only", "--journal", "J"])
    assert (args.command, args.journal, args.read_only) == (None, "J", True)
    args = build_parser().parse_args(["--journal", "J"])
    assert (args.journal, args.read_only) == ("J", False)
