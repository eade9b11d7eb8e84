"""Read-only connections name their file by one rule (``journal.store.uri``): any character in a
folder's or journal's name, and journals where nothing can be written."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from journal.core.first_look import first_look
from journal.core.journal import Journal
from journal.core.search.reader import SearchReader
from journal.errors import JournalReadOnly
from journal.store import backup as backups

# each name once pasted raw into a ``file:`` URI opened another, empty file
AWKWARD = ["Films #1/mine?.eyelights", "100% sure/a&b=c;d.eyelights",
           "Crème brûlée 🎬 #2/journal #?.eyelights"]


def _films(path: Path, n: int = 5) -> None:
    with Journal.open(path) as journal:
        with journal.write():
            for i in range(n):
                journal.films.create(f"Film {i}", 2000 + i)


def _tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


@pytest.mark.parametrize("name", AWKWARD)
def test_a_journal_with_uri_characters_in_its_path_opens_read_only_with_its_films(tmp_path, name):
    path = tmp_path / name
    path.parent.mkdir()
    _films(path)
    before = _tree(tmp_path)
    with Journal.open(path, read_only=True) as journal:
        assert journal.models.Film.select().count() == 5
    # a cut path made SQLite create its own empty file next to the folder ("Films ", "100")
    stray = {p for p in _tree(tmp_path) - before if not p.endswith(("-wal", "-shm"))}
    assert stray == set()


@pytest.mark.parametrize("name", AWKWARD)
def test_restoring_a_backup_there_brings_the_films_back(tmp_path, name):
    path = tmp_path / name
    path.parent.mkdir()
    _films(path)
    with Journal.open(path) as journal:
        good = journal.backup()
    assert backups.records_in(good) == 5
    assert backups.newest_good_backup(path) == good
    with Journal.open(path) as journal:
        with journal.write():
            journal.films.create("Later", 2020)
    backups.restore_backup(good, path)
    with Journal.open(path) as journal:
        assert sorted(f.title for f in journal.models.Film.select()) == [
            f"Film {i}" for i in range(5)]


def test_the_first_look_and_search_read_such_a_path(tmp_path):
    path = tmp_path / AWKWARD[2]
    path.parent.mkdir()
    with Journal.open(path) as journal:
        film = journal.films.create("Her", 2013)
        journal.reviews.create(film.id, "Her 8.5\n\n**eyelights:** the city's warmth")
    look = first_look(path, read_only=True)
    assert look is not None and [row.film_title for row in look.rows] == ["Her"]
    reader = SearchReader(path, read_only=True)
    try:
        rows = reader.run(lambda r: r.execute_sql("SELECT count(*) FROM review").fetchall())
    finally:
        reader.close()
    assert rows == [(1,)]


def test_a_journal_where_nothing_can_be_written_opens_read_only(tmp_path, lock_folder):
    """A shared or read-only-media folder: SQLite cannot create the ``-shm`` a WAL journal needs,
    and used to refuse with "unable to open database file" right after advising a read-only
    opening."""
    folder = tmp_path / "shelf"
    folder.mkdir()
    path = folder / "j.eyelights"
    _films(path)
    before = _tree(folder)
    with lock_folder(folder):
        with pytest.raises(JournalReadOnly, match="Open it read-only"):
            Journal.open(path)
        with Journal.open(path, read_only=True) as journal:
            assert journal.models.Film.select().count() == 5
        look = first_look(path, read_only=True)
        assert look is not None and (look.films, look.reviews) == (5, 0)
    assert _tree(folder) == before


def test_changes_waiting_in_a_wal_there_are_refused_in_words(tmp_path, lock_folder):
    """A ``-wal`` with changes and no ``-shm`` (a writer killed on a USB stick, say): opened
    immutable, the journal would silently show itself as it was before those changes."""
    source = tmp_path / "live.eyelights"
    _films(source, 3)
    writer = sqlite3.connect(source)
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("UPDATE film SET title = 'Changed' WHERE id = 1")
    writer.commit()
    folder = tmp_path / "stick"
    folder.mkdir()
    path = folder / "j.eyelights"
    shutil.copyfile(source, path)
    shutil.copyfile(source.with_name(source.name + "-wal"), path.with_name(path.name + "-wal"))
    writer.close()
    before = _tree(folder)
    with lock_folder(folder):
        with pytest.raises(JournalReadOnly) as info:
            Journal.open(path, read_only=True)
    assert info.value.message == (
        "j.eyelights has changes still waiting in j.eyelights-wal, which cannot be read where "
        "nothing can be written. Open it once in a folder you can write to (copy both files "
        "there).")
    assert _tree(folder) == before
    # where it can be written, the same files open with the change
    with Journal.open(path, read_only=True) as journal:
        assert journal.models.Film.get_by_id(1).title == "Changed"
    assert os.path.getsize(path.with_name(path.name + "-wal")) > 0


def test_the_window_opens_such_a_journal_read_only_when_the_user_accepts(
        tmp_path, lock_folder, open_window, qtbot):
    """The user's path: the opening says the folder cannot be written and offers read-only; the
    user says yes; the window shows the films, says read-only, shows no error, writes nothing."""
    from journal.ui.application import open_with_recovery

    folder = tmp_path / "shelf #1"
    folder.mkdir()
    path = folder / "j.eyelights"
    _films(path, 3)
    before = _tree(folder)
    asked: list[tuple[str, str]] = []
    with lock_folder(folder):
        journal = open_with_recovery(path, lambda kind, text: asked.append((kind, text)) or True)
        try:
            assert journal.read_only and journal.films.count() == 3
            win = open_window(journal)
            qtbot.wait(500)
            assert "(read-only)" in win.windowTitle()
            assert win.errors_shown == []
            win.close()
        finally:
            journal.close()
    assert [kind for kind, _ in asked] == ["read-only"]
    assert "cannot write to" in asked[0][1]
    assert _tree(folder) == before


def test_a_reader_there_sees_what_an_open_writer_has_just_saved(tmp_path, lock_folder):
    """A writer already has the journal open (its ``-shm`` and ``-wal`` exist) when the folder
    cannot be written: the reader shares the writer's ``-shm`` and reads its latest change, which
    is still in the ``-wal`` (an ``immutable`` opening would not)."""
    folder = tmp_path / "shared"
    folder.mkdir()
    path = folder / "j.eyelights"
    _films(path, 2)
    with Journal.open(path) as writer:
        writer.films.create("Saved just now", 2026)
        assert os.path.getsize(path.with_name(path.name + "-wal")) > 0
        with lock_folder(folder):
            with Journal.open(path, read_only=True) as reader:
                titles = {f.title for f in reader.models.Film.select()}
    assert "Saved just now" in titles and len(titles) == 3


def test_an_empty_wal_left_there_is_no_reason_to_refuse(tmp_path, lock_folder):
    folder = tmp_path / "stick"
    folder.mkdir()
    path = folder / "j.eyelights"
    _films(path, 2)
    path.with_name(path.name + "-wal").write_bytes(b"")
    with lock_folder(folder):
        with Journal.open(path, read_only=True) as journal:
            assert journal.models.Film.select().count() == 2
