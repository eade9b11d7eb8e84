"""Database errors told apart by SQLite's result code (store/sqlite_errors.py), each produced
for real here: a full disk, a lock held by another connection, a read-only connection, a file
that is not a database, a damaged page, a statement interrupted. Words in a message decide
nothing."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import mounts  # noqa: E402 (tests/ is on sys.path: conftest.py)
import pytest
from peewee import IntegrityError, OperationalError

from journal.core.journal import Journal
from journal.errors import DiskFull, JournalCorrupt, JournalLocked, JournalReadOnly
from journal.store import sqlite_errors
from journal.store.connection import (
    INTERRUPTED,
    QuickCheck,
    Store,
    open_store,
    quick_check,
    translate_error,
)


def _raised(fn):
    try:
        fn()
    except Exception as exc:  # noqa: BLE001 - the exception is what the test looks at
        return exc
    raise AssertionError("nothing was raised")


# ---------------------------------------------------------------------- SQLITE_FULL
def test_size_limit_reached_is_sqlite_full(journal):
    """SQLite's pager refuses to grow the file past max_page_count: SQLITE_FULL."""
    journal.films.create("Kept", 2000)
    db = journal.store.db
    db.execute_sql(f"PRAGMA max_page_count = {db.execute_sql('PRAGMA page_count').fetchone()[0]}")

    def fill():
        with db.atomic():
            for i in range(500):
                journal.models.Film.create(title=f"Big {i}", title_folded=f"big {i}",
                                           synopsis="y" * 4000)
    raw = _raised(fill)
    assert isinstance(raw, OperationalError)  # peewee's, wrapping sqlite3's
    assert sqlite_errors.name(raw) == "SQLITE_FULL" and sqlite_errors.kind(raw) == "full"
    with pytest.raises(DiskFull, match="is full"):
        with journal.write():
            fill()
    assert [f.title for f in journal.films.live()] == ["Kept"]


def _tiny_disk(folder, size="2m"):
    """A real file system of ``size`` (tmpfs) at ``folder``; skipped where mounting is refused."""
    return mounts.tmpfs(folder, f"size={size}")


def _fill_disk(folder):
    """Take every free byte of the filesystem holding ``folder``."""
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        with contextlib.suppress(OSError):
            while True:
                os.write(fd, b"\0" * 4096)
    finally:
        os.close(fd)


def test_a_really_full_disk_is_sqlite_full(tmp_path):
    with _tiny_disk(tmp_path / "disk") as disk:
        journal = Journal.open(disk / "j.eyelights")
        try:
            journal.films.create("Kept", 2000)
            _fill_disk(disk)
            with pytest.raises(DiskFull, match=r"is full: .*the change to j\.eyelights"):
                with journal.write():
                    for i in range(200):
                        journal.films.create(f"Big {i}", 2000, synopsis="y" * 4000)
            with pytest.raises(DiskFull, match=r"is full: .*the backup .* needed about"):
                journal.backup("manual")
            assert [f.title for f in journal.films.live()] == ["Kept"]
        finally:
            (disk / "filler").unlink()
            journal.close()


def test_a_folder_on_its_own_disk_is_said_to_be_on_that_disk(tmp_path):
    """Which disk is full: the mount point of the folder's own file system (a real tmpfs),
    for a folder not made yet as well, and what is free there."""
    from journal.store import diskspace

    with _tiny_disk(tmp_path / "disk") as disk:
        (disk / "films").mkdir()
        assert diskspace.mount_point(disk) == disk
        assert diskspace.mount_point(disk / "films") == disk
        assert diskspace.mount_point(disk / "films" / "not made" / "j.eyelights") == disk
        st = os.statvfs(disk)
        assert diskspace.free_bytes(disk / "films" / "not made") == st.f_bavail * st.f_frsize
        assert diskspace.disk_full_message(disk / "films", "the backup b.db").startswith(
            f"The disk holding {disk / 'films'} (on the disk mounted at {disk}) is full: ")


def test_an_io_error_where_the_folder_is_gone_is_not_called_a_full_disk(tmp_path):
    """SQLite's bare "disk I/O error" is taken for a full disk only when the disk has no room;
    a folder that is gone (a drive unplugged) has no free space to ask for: not "disk full"."""
    io_error = sqlite3.OperationalError("disk I/O error")
    io_error.sqlite_errorcode = sqlite3.SQLITE_IOERR  # type: ignore[attr-defined]
    assert translate_error(io_error, tmp_path / "unplugged" / "j.eyelights") is None
    assert translate_error(io_error, tmp_path / "j.eyelights") is None  # room enough here
    with _tiny_disk(tmp_path / "disk") as disk:
        _fill_disk(disk)
        try:
            full = translate_error(io_error, disk / "j.eyelights")
            assert isinstance(full, DiskFull) and "the shared-memory file j.eyelights-shm" in (
                full.message)
            # only that error: another one on the same full disk is still itself
            busy = sqlite3.OperationalError("database is locked")
            busy.sqlite_errorcode = sqlite3.SQLITE_BUSY  # type: ignore[attr-defined]
            assert isinstance(translate_error(busy, disk / "j.eyelights"), JournalLocked)
            bug = sqlite3.OperationalError("no such table: film")
            bug.sqlite_errorcode = sqlite3.SQLITE_ERROR  # type: ignore[attr-defined]
            assert translate_error(bug, disk / "j.eyelights") is None
        finally:
            (disk / "filler").unlink()


def test_a_new_journal_on_a_full_disk_is_refused_in_words_and_leaves_nothing(tmp_path):
    with _tiny_disk(tmp_path / "disk") as disk:
        _fill_disk(disk)
        try:
            with pytest.raises(DiskFull) as info:
                Journal.open(disk / "j.eyelights")
            assert "is full" in info.value.message and "j.eyelights" in info.value.message
            assert [p.name for p in disk.iterdir() if not p.name.endswith((".lock", "filler"))
                    ] == []
        finally:
            (disk / "filler").unlink()


# ---------------------------------------------------------------------- SQLITE_BUSY
def test_a_lock_held_by_another_connection_is_sqlite_busy(journal, journal_path):
    journal.films.create("Kept", 2000)
    journal.store.db.execute_sql("PRAGMA busy_timeout = 50")
    other = sqlite3.connect(journal_path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another program is writing
        raw = _raised(lambda: journal.store.db.execute_sql(
            "INSERT INTO journal_meta (key, value) VALUES ('k', 'v')"))
        assert sqlite_errors.name(raw) == "SQLITE_BUSY" and sqlite_errors.kind(raw) == "busy"
        with pytest.raises(JournalLocked, match="busy in another program"):
            journal.films.create("Blocked", 2001)
        other.execute("COMMIT")
    finally:
        other.close()
    journal.films.create("After", 2002)
    assert journal.films.count() == 2


# ---------------------------------------------------------------------- SQLITE_READONLY
def test_writing_through_a_read_only_connection_is_sqlite_readonly(journal_path):
    with Journal.open(journal_path) as journal:
        journal.films.create("Kept", 2000)
    # The file can no longer be written (a read-only mount, a revoked permission): the store
    # thought it could, SQLite says no.
    store = open_store(journal_path, read_only=True)
    writable = Store(path=store.path, db=store.db, read_only=False, lock=None)
    try:
        def write():
            with writable.writing():
                writable.models.Film.create(title="New", title_folded="new")
        with pytest.raises(JournalReadOnly, match="cannot be written"):
            write()
        raw = _raised(lambda: store.db.execute_sql("DELETE FROM film"))
        assert sqlite_errors.name(raw) == "SQLITE_READONLY"
    finally:
        store.close()


def test_query_only_connection_is_sqlite_readonly(journal):
    journal.store.db.execute_sql("PRAGMA query_only = 1")
    with pytest.raises(JournalReadOnly):
        journal.films.create("Refused", 2000)
    journal.store.db.execute_sql("PRAGMA query_only = 0")
    assert journal.films.create("Accepted", 2000).id


# ---------------------------------------------------------------------- SQLITE_NOTADB, SQLITE_CORRUPT
def test_a_file_that_is_not_a_database(tmp_path):
    path = tmp_path / "j.eyelights"
    path.write_bytes(b"These are my notes, not a journal. " * 300)
    raw = _raised(lambda: sqlite3.connect(path).execute("SELECT * FROM sqlite_master").fetchall())
    assert sqlite_errors.name(raw) == "SQLITE_NOTADB" and sqlite_errors.kind(raw) == "corrupt"
    assert "not a database" in quick_check(path)
    with pytest.raises(JournalCorrupt, match="is damaged") as info:
        Journal.open(path, verify=False)  # found while opening, without the quick check
    assert info.value.moved_to and not path.exists()


@pytest.mark.parametrize("content, reason", [
    (b"", "the file is empty (0 bytes)"),
    (b"Her 8.5\n**eyelights:** Joaquin Phoenix\n" * 40,
     "it is not an SQLite database: it does not start with SQLite's header")])
def test_an_empty_or_a_text_file_is_set_aside_and_named_for_what_it_is(tmp_path, content, reason):
    """A 0-byte file is damage, never a new empty journal; a text file is not a database."""
    path = tmp_path / "j.eyelights"
    path.write_bytes(content)
    with pytest.raises(JournalCorrupt) as info:
        Journal.open(path)
    assert info.value.message.startswith(f"j.eyelights is damaged ({reason}).")
    assert info.value.moved_to and not path.exists()


def test_an_empty_file_with_a_log_beside_it_is_set_aside_with_its_log(tmp_path):
    """A 0-byte journal whose ``-wal`` holds a real journal's pages: SQLite reads no log of a
    0-byte database (it opens it empty and deletes the log), so it is damage like any empty
    file, and the log goes aside with it, kept whole."""
    source = tmp_path / "source.eyelights"
    with Journal.open(source) as journal:
        journal.films.create("In the log only", 2000)
        log = Path(f"{source}-wal").read_bytes()  # the open journal's log, not checkpointed
    assert len(log) > 4096
    sqlite_sees = tmp_path / "plain.db"
    sqlite_sees.write_bytes(b"")
    Path(f"{sqlite_sees}-wal").write_bytes(log)
    con = sqlite3.connect(sqlite_sees)
    try:
        assert con.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
    finally:
        con.close()
    path = tmp_path / "j.eyelights"
    path.write_bytes(b"")
    Path(f"{path}-wal").write_bytes(log)
    with pytest.raises(JournalCorrupt) as info:
        Journal.open(path)
    assert info.value.message.startswith("j.eyelights is damaged (the file is empty (0 bytes)).")
    moved = Path(info.value.moved_to)
    assert not path.exists() and not Path(f"{path}-wal").exists()
    assert moved.read_bytes() == b"" and Path(f"{moved}-wal").read_bytes() == log


def _damage_schema_page(path):
    """Overwrite page 1 after the file header: the schema's b-tree is garbage."""
    with Journal.open(path) as journal:
        journal.films.create("Kept", 2000)
    data = bytearray(path.read_bytes())
    data[100:400] = b"\xa5" * 300
    path.write_bytes(bytes(data))


def test_a_damaged_page_is_sqlite_corrupt(tmp_path):
    path = tmp_path / "j.eyelights"
    _damage_schema_page(path)
    raw = _raised(lambda: sqlite3.connect(path).execute("SELECT * FROM film").fetchall())
    assert sqlite_errors.name(raw) == "SQLITE_CORRUPT" and sqlite_errors.kind(raw) == "corrupt"
    assert "malformed" in quick_check(path)
    with pytest.raises(JournalCorrupt) as info:
        Journal.open(path)
    assert info.value.moved_to and not path.exists()


def test_a_file_that_cannot_be_opened_is_not_damage(tmp_path):
    """SQLITE_CANTOPEN is no damage: the quick check says "ok" and nothing is moved aside."""
    missing = tmp_path / "gone" / "j.eyelights"
    assert quick_check(missing) == "ok"


# ---------------------------------------------------------------------- SQLITE_INTERRUPT
def test_stopping_a_quick_check_that_has_finished_is_harmless(journal_path):
    """The app may quit just after the check ended: stopping it then changes nothing."""
    Journal.open(journal_path).close()
    check = QuickCheck(journal_path)
    assert check.run() == "ok"
    check.interrupt()
    assert check.run() == INTERRUPTED  # stopped before it began: it does not begin


def test_a_quick_check_interrupted_mid_statement(tmp_path):
    path = tmp_path / "big.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t(a)")
    con.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT 300000) "
                "INSERT INTO t SELECT randomblob(100) FROM n")
    con.commit()
    con.close()
    results = []
    for _attempt in range(5):  # on a starved machine the check may finish before the interrupt
        probe = QuickCheck(path)
        result: list[str] = []
        thread = threading.Thread(target=lambda p=probe, r=result: r.append(p.run()))
        thread.start()
        deadline = time.monotonic() + 30
        while probe._con is None and thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.0005)  # until the check's statement is under way
        while thread.is_alive() and time.monotonic() < deadline:
            probe.interrupt()
            time.sleep(0.001)
        thread.join(30)
        results += result
        if result == [INTERRUPTED]:
            break
    assert results[-1] == INTERRUPTED and set(results) <= {"ok", INTERRUPTED}, results


# ---------------------------------------------------------------------- words decide nothing
def test_words_in_a_message_classify_nothing(journal):
    """An error whose message says "full", "locked", "read-only" or "malformed" is not one."""
    db = journal.store.db
    raw = _raised(lambda: db.execute_sql("SELECT * FROM disk_is_full_locked_readonly_malformed"))
    assert sqlite_errors.name(raw) == "SQLITE_ERROR" and sqlite_errors.kind(raw) is None
    assert translate_error(raw, journal.path) is None
    with pytest.raises(OperationalError, match="no such table"):  # a bug, not "disk full"
        with journal.write():
            db.execute_sql("INSERT INTO disk_is_full (x) VALUES (1)")
    db.execute_sql("CREATE TEMP TRIGGER says_full BEFORE INSERT ON film BEGIN "
                   "SELECT RAISE(ABORT, 'database or disk is full; database is locked'); END")
    raw = _raised(lambda: journal.films.create("Refused by a trigger", 2000))
    assert isinstance(raw, IntegrityError)
    assert sqlite_errors.name(raw) == "SQLITE_CONSTRAINT_TRIGGER"
    assert sqlite_errors.kind(raw) is None and translate_error(raw, journal.path) is None
    db.execute_sql("DROP TRIGGER temp.says_full")
    assert journal.films.count() == 0


def test_the_original_is_found_behind_any_wrapping():
    try:
        sqlite3.connect(":memory:").execute("SELECT * FROM nowhere")
    except sqlite3.OperationalError as exc:
        base = exc
    wrapped = OperationalError(base)            # peewee keeps it as .orig
    assert sqlite_errors.original(wrapped) is base
    try:
        try:
            raise wrapped
        except OperationalError as inner:
            raise RuntimeError("while saving") from inner
    except RuntimeError as outer:
        assert sqlite_errors.original(outer) is base and sqlite_errors.code(outer) == 1
    assert sqlite_errors.original(ValueError("database is locked")) is None
    assert sqlite_errors.kind(sqlite3.ProgrammingError("Cannot operate on a closed database.")) \
        is None


def test_damage_found_while_opening_without_the_quick_check_is_set_aside(tmp_path):
    """``verify=False`` (the window checks on a worker): the damage shows when the schema is
    read; the journal is moved aside by the opener, who holds its lock, and named in words."""
    path = tmp_path / "j.eyelights"
    _damage_schema_page(path)
    with pytest.raises(JournalCorrupt) as info:
        Journal.open(path, verify=False)
    assert info.value.message.startswith(
        "j.eyelights is damaged (database disk image is malformed). It was moved aside to "
        "j.corrupt-")
    assert info.value.moved_to and not path.exists()


def test_a_read_only_journal_refuses_a_change_in_words(tmp_path):
    path = tmp_path / "j.eyelights"
    with Journal.open(path) as journal:
        journal.films.create("Kept", 2000)
    with Journal.open(path, read_only=True) as journal:
        with pytest.raises(JournalReadOnly) as info:
            journal.films.create("Refused", 2001)
        assert info.value.message == "This journal is open read-only; nothing can be changed."


def test_damage_found_while_opening_read_only_is_left_in_place(tmp_path):
    """A page size SQLite refuses (the header's magic intact): read-only, nothing is moved."""
    path = tmp_path / "j.eyelights"
    with Journal.open(path) as journal:
        journal.films.create("Kept", 2000)
    data = bytearray(path.read_bytes())
    data[16:18] = b"\x00\x03"
    path.write_bytes(bytes(data))
    with pytest.raises(JournalCorrupt) as info:
        Journal.open(path, read_only=True, verify=False)
    assert info.value.message.startswith(
        "j.eyelights is damaged (file is not a database). It was left in place "
        "(this only reads; open the journal normally to set it aside)")
    assert path.exists() and not info.value.moved_to


def test_a_journal_opened_on_a_full_disk_says_the_disk_is_full(tmp_path):
    """Opening makes the ``-shm`` file; on a full disk SQLite says only "disk I/O error"
    (SQLITE_IOERR), which the window showed as such."""
    with _tiny_disk(tmp_path / "disk") as disk:
        Journal.open(disk / "j.eyelights").close()  # a journal closed whole: no -wal, no -shm
        _fill_disk(disk)
        with pytest.raises(DiskFull, match=r"is full: .*; the shared-memory file "
                           r"j\.eyelights-shm that opening it needs could not be written"):
            Journal.open(disk / "j.eyelights")


def test_a_journal_on_a_read_only_disk_opens_read_only_with_its_films(tmp_path):
    """A journal closed whole (no -wal, no -shm) on a disk mounted read-only (a real tmpfs
    remounted ``ro``: read-only media, where even root cannot write): SQLite cannot make the
    shared-memory file a WAL journal needs, so it is opened ``immutable`` (store/uri.py), its
    films read and the file left as it was."""
    with mounts.tmpfs(tmp_path / "disk", "size=2m") as disk:
        path = disk / "j.eyelights"
        with Journal.open(path) as journal:
            journal.films.create("Her", 2013)
        before = path.read_bytes()
        done = subprocess.run(["mount", "-o", "remount,ro", str(disk)], capture_output=True,
                              text=True)
        if done.returncode != 0:
            pytest.skip(f"cannot remount read-only here: {done.stderr.strip()}")
        with Journal.open(path, read_only=True) as journal:
            assert [f.title for f in journal.films.live()] == ["Her"]
        assert path.read_bytes() == before
        assert sorted(p.name for p in disk.iterdir()) == ["j.eyelights", "j.eyelights.lock"]
