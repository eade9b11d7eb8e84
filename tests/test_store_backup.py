"""Backups: made with the backup API, verified, rotated, restorable."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from journal.core.journal import Journal
from journal.errors import BackupError
from journal.store import backup as backups


def test_backup_of_an_open_journal_holds_every_committed_row(journal, tmp_path):
    film = journal.films.create("Her", 2013)
    journal.reviews.create(film.id, "A body with “quotes” — and 🎬", score="8.5")
    made = journal.backup("manual")
    assert made.parent == backups.backup_dir_for(journal.path)
    assert backups.integrity_ok(made) == (True, "ok")
    con = sqlite3.connect(made)
    assert con.execute("SELECT body, score_tenths FROM review").fetchone() == (
        "A body with “quotes” — and 🎬", 85)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    con.close()
    assert not list(made.parent.glob("*.partial"))


def test_backup_to_an_explicit_file(journal, tmp_path):
    target = tmp_path / "copy.db"
    assert journal.backup(target=target) == target and backups.integrity_ok(target)[0]


def test_rotation_policy_keeps_recent_daily_weekly_and_pre_migration(tmp_path):
    now = dt.datetime(2026, 11, 25, 12, 0)
    made = []
    for hours in range(0, 24 * 60, 6):  # four a day for sixty days
        when = now - dt.timedelta(hours=hours)
        made.append(backups.BackupFile(tmp_path / f"j-{when:%Y%m%d-%H%M%S}-periodic.db", when,
                                       "periodic"))
    old_migration = backups.BackupFile(tmp_path / "j-20250101-000000-pre-migration-v1.db",
                                       dt.datetime(2025, 1, 1), "pre-migration-v1")
    keep = backups.select_to_keep(made + [old_migration], now)
    assert old_migration.path in keep
    assert {b.path for b in made[:3]} <= keep  # the three newest
    days = {b.taken_at.date() for b in made if b.path in keep}
    assert {(now - dt.timedelta(days=d)).date() for d in range(7)} <= days
    assert len(keep) < 20  # the other ~230 go


def test_rotate_backups_deletes_files_and_backup_due(tmp_path):
    journal_path = tmp_path / "j.eyelights"
    Journal.open(journal_path).close()
    assert backups.backup_due(journal_path)
    base = dt.datetime(2026, 1, 1, 12)
    for days in range(30):
        backups.make_backup(journal_path, "periodic", when=base - dt.timedelta(days=days))
    assert len(backups.list_backups(journal_path)) == 30
    removed = backups.rotate_backups(journal_path, now=base)
    left = backups.list_backups(journal_path)
    assert removed and all(not p.exists() for p in removed)
    assert 7 <= len(left) < 15
    assert not backups.backup_due(journal_path, now=base + dt.timedelta(hours=11))
    assert backups.backup_due(journal_path, now=base + dt.timedelta(hours=13))


def test_journal_rotate_makes_a_backup_when_due(journal):
    made = journal.rotate_backups()
    assert made is not None and made.exists()
    assert journal.rotate_backups() is None  # not due again so soon


def test_restore_backup_moves_the_current_file_aside(tmp_path):
    path = tmp_path / "j.eyelights"
    with Journal.open(path) as journal:
        journal.films.create("Before", 2000)
        good = journal.backup()
        journal.films.create("After", 2001)
    moved = backups.restore_backup(good, path)
    assert moved is not None and moved.exists()
    with Journal.open(path) as journal:
        assert [f.title for f in journal.films.live()] == ["Before"]


def test_a_damaged_backup_is_never_restored(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100 + b"garbage" * 500)
    with pytest.raises(BackupError):
        backups.restore_backup(bad, tmp_path / "j.eyelights")
    assert not (tmp_path / "j.eyelights").exists()


def test_backup_into_a_missing_folder_is_a_clear_error(journal, tmp_path):
    with pytest.raises(BackupError):
        journal.backup(target=Path(tmp_path / "no" / "such" / "dir" / "b.db"))


def test_a_backup_inside_a_write_is_refused_at_once(journal):
    """SQLite cannot copy from a connection in the middle of its own write: it would wait for
    ever. Refused plainly instead; the write itself goes on."""
    import time

    from journal.errors import BackupError

    film = journal.films.create("Her", 2013)
    with journal.write():
        journal.films.update(film.id, year=2014)
        start = time.monotonic()
        with pytest.raises(BackupError):
            journal.backup()
        assert time.monotonic() - start < 1
    assert journal.films.get(film.id).year == 2014
    assert journal.backup().exists()  # after the write: fine


def test_a_file_that_is_not_a_journal_gets_a_backup_error_naming_the_problem(tmp_path):
    """Backing up (or checking) a file that is not a database says so in words, and leaves no
    half-written copy beside the target."""
    junk = tmp_path / "notes.eyelights"
    junk.write_bytes(b"Her 8.5 \xe2\x80\x94 not a database, only words. " * 200)
    assert backups.integrity_ok(junk) == (False, "file is not a database")
    target = tmp_path / "copies" / "notes-backup.db"
    target.parent.mkdir()
    with pytest.raises(BackupError) as raised:
        backups.copy_database(junk, target)
    assert raised.value.message == (
        "The backup notes-backup.db could not be made: file is not a database.")
    assert list(target.parent.iterdir()) == []


def test_a_copy_of_a_damaged_journal_is_refused_and_removed(tmp_path):
    """SQLite's backup API copies pages as they are: a copy of a journal damaged past its first
    page fails the check made before it replaces anything, and is removed."""
    damaged = tmp_path / "damaged.eyelights"
    con = sqlite3.connect(damaged)
    con.execute("CREATE TABLE review (body TEXT)")
    con.executemany("INSERT INTO review VALUES (?)", [(f"Her 8.5 — review {i} " * 40,)
                                                      for i in range(200)])
    con.commit()
    con.close()
    data = bytearray(damaged.read_bytes())
    data[4096:] = bytes((i * 7919 + 13) % 256 for i in range(len(data) - 4096))
    damaged.write_bytes(bytes(data))
    target = tmp_path / "copies" / "damaged-backup.db"
    target.parent.mkdir()
    with pytest.raises(BackupError) as raised:
        backups.copy_database(damaged, target)
    assert raised.value.message.startswith(
        "The backup damaged-backup.db failed its integrity check (")
    assert list(target.parent.iterdir()) == []


def _small_journal(folder: Path) -> Path:
    path = folder / "Journal.eyelights"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE film (title TEXT)")
    con.execute("INSERT INTO film VALUES ('Her')")
    con.commit()
    con.close()
    return path


def test_backup_names_keep_a_safe_reason_and_never_overwrite_one_another(tmp_path):
    """The reason becomes a plain lower-case word in the name (no spaces, slashes or accents),
    "manual" when nothing is left of it, and backups taken the same second are numbered."""
    path = _small_journal(tmp_path)
    when = dt.datetime(2026, 12, 6, 7, 45, 0)
    made = [backups.make_backup(path, reason, when=when)
            for reason in (" Before import / Letterboxd: é! ", "*** ", "manual", "manual")]
    assert [p.name for p in made] == [
        "Journal-20261206-074500-before-import-letterboxd.db",
        "Journal-20261206-074500-manual.db",
        "Journal-20261206-074500-manual-2.db",
        "Journal-20261206-074500-manual-3.db"]
    assert all(p.parent == tmp_path / "Journal-backups" and backups.integrity_ok(p)[0]
               for p in made)


def test_a_backups_folder_that_cannot_be_made_is_said_in_words(tmp_path):
    path = _small_journal(tmp_path)
    (tmp_path / "Journal-backups").write_text("a file where the folder goes")
    with pytest.raises(BackupError) as raised:
        backups.make_backup(path, "manual")
    assert raised.value.message == (
        f"Cannot create the backups folder {tmp_path / 'Journal-backups'}: File exists.")


def test_sweeping_leaves_a_running_copier_untouched_and_its_copy_in_place(tmp_path):
    """Asking whether the process a copy is named after still runs sends it no signal: another
    Eyelights copying a backup right now is neither hung up nor robbed of its copy."""
    import subprocess
    import sys

    child = subprocess.Popen(
        [sys.executable, "-c", "import signal, time; signal.signal(signal.SIGHUP, signal.SIG_DFL);"
         " print('ready', flush=True); time.sleep(60)"], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline() == "ready\n"
        copy = tmp_path / f"b.db.{child.pid}{backups.PARTIAL}"
        copy.write_bytes(b"x")
        assert backups.sweep_partials(tmp_path) == [] and copy.exists()
        with pytest.raises(subprocess.TimeoutExpired):
            child.wait(timeout=1)  # still running
    finally:
        child.kill()
        child.wait()


def test_a_process_of_another_user_counts_as_running():
    """A copy named after a process this user may not signal (EPERM) is someone else's live
    copy, not a leftover (as root: checked from a forked child that became nobody)."""
    if os.geteuid() != 0:
        assert backups.pid_alive(1)  # init, root's
        return
    parent = os.getpid()
    assert backups.pid_alive(parent)  # (also what maps this test to pid_alive for make mutation)
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child only reports through the pipe
        answer = b"?"
        try:
            os.setuid(65534)
            try:
                os.kill(parent, 0)
            except PermissionError:
                answer = b"1" if backups.pid_alive(parent) else b"0"
        finally:
            os.write(write, answer)
            os._exit(0)
    os.close(write)
    os.waitpid(child, 0)
    assert os.read(read, 1) == b"1"
    os.close(read)


def test_a_closed_journal_is_one_whole_file_even_while_another_program_reads_it(journal_path,
                                                                               tmp_path):
    """Closing folds the log into the journal: the file alone, copied after closing, holds
    every change, though another program (a backup tool, a viewer) still has it open."""
    journal = Journal.open(journal_path)
    journal.films.create("Her", 2013)
    reader = sqlite3.connect(journal_path)
    try:
        assert reader.execute("SELECT count(*) FROM film").fetchone() == (1,)
        journal.close()
        alone = tmp_path / "alone.eyelights"
        alone.write_bytes(journal_path.read_bytes())
        con = sqlite3.connect(alone)
        assert con.execute("SELECT title FROM film").fetchall() == [("Her",)]
        con.close()
    finally:
        reader.close()


def test_opening_a_journal_sweeps_what_a_killed_copy_left(journal_path):
    """A backup copy or a new journal half-written by a process killed since is removed by the
    next Eyelights that opens the journal for writing; its own files stay."""
    import subprocess
    import sys

    Journal.open(journal_path).close()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    folder = backups.backup_dir_for(journal_path)
    folder.mkdir(exist_ok=True)
    left = [folder / f"{journal_path.stem}-20261206-080000-manual.db.{dead}{backups.PARTIAL}",
            journal_path.with_name(f".{journal_path.name}.{dead}{backups.CREATING}")]
    left += [p.with_name(p.name + side) for p in left[:1] for side in ("-journal", "-wal", "-shm")]
    for path in left:
        path.write_bytes(b"half a copy")
    with Journal.open(journal_path, read_only=True) as journal:  # holds no lock: sweeps nothing
        assert journal.films.count() == 0
    assert [p for p in left if not p.exists()] == []
    with Journal.open(journal_path) as journal:
        assert journal.films.count() == 0
    assert [p for p in left if p.exists()] == []
    assert journal_path.exists()


def test_import_spools_an_older_version_left_are_removed_after_a_day(journal_path, tmp_path,
                                                                      monkeypatch):
    import tempfile
    import time

    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    old, recent = temp / "eyelights-import-1.spool", temp / "eyelights-import-2.spool"
    for spool in (old, recent):
        spool.write_bytes(b"<rss>")
    os.utime(old, (time.time() - 24 * 3600 - 12,) * 2)  # a day and twelve seconds
    os.utime(recent, (time.time() - 3600,) * 2)  # an hour: an import may still be reading it
    assert backups.sweep_leftovers(journal_path) == [old]
    assert recent.exists() and not old.exists()


def test_a_new_journal_is_made_whole_over_a_half_made_one_of_a_reused_process_id(journal_path):
    """A killed Eyelights left its half-made new journal under this process's id (ids are
    reused): the new journal is built from nothing all the same, and nothing is left beside it."""
    from journal.store.connection import creating_path

    half = creating_path(journal_path)
    half.write_bytes(b"SQLite format 3\x00" + b"\xa5" * 5000)  # a header, then garbage
    for side in ("-journal", "-wal", "-shm"):
        half.with_name(half.name + side).write_bytes(b"\xa5" * 100)
    with Journal.open(journal_path) as journal:
        assert journal.films.create("Her", 2013).id and journal.check()[0]
    assert sorted(p.name for p in journal_path.parent.iterdir()) == [
        journal_path.name, journal_path.name + ".lock"]


def test_a_running_copier_s_files_stay_and_every_dead_one_s_go_whatever_their_order(tmp_path):
    """Copies of a process that still runs (this one) sit among those of processes gone: the
    sweep skips the running one's and goes on to remove every dead one's, whichever the folder
    lists first."""
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    live = str(os.getpid())
    made = {}
    for n in range(6):  # live and dead names interleaved, each with a log beside it
        pid = live if n % 2 else dead
        copy = tmp_path / f"j-2026120{n}-080000-manual.db.{pid}{backups.PARTIAL}"
        for path in (copy, copy.with_name(copy.name + "-wal")):
            path.write_bytes(b"half a copy")
            made[path] = pid
    removed = backups.sweep_partials(tmp_path)
    assert sorted(removed) == sorted(p for p, pid in made.items() if pid == dead)
    assert sorted(tmp_path.iterdir()) == sorted(p for p, pid in made.items() if pid == live)
