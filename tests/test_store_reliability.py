"""Reliability: corrupt files, a second writer, read-only folders, a writer killed mid-transaction."""

from __future__ import annotations

import os
import random
import select
import signal
import sqlite3
import stat
import subprocess
import sys
import time
import traceback
from pathlib import Path

import pytest

from journal.core.journal import Journal
from journal.errors import JournalCorrupt, JournalError, JournalLocked, JournalReadOnly
from journal.store import backup as backups
from journal.store.connection import open_store
from journal.store.lock import JournalLock

ROOT = Path(__file__).resolve().parent.parent


def _corrupt(path: Path) -> None:
    """Overwrite the middle of the file (b-tree pages) with junk, keeping the header."""
    data = bytearray(path.read_bytes())
    rng = random.Random(7)
    for i in range(4096, len(data)):
        data[i] = rng.randrange(256)
    path.write_bytes(bytes(data))


def _journal_with_data(path: Path, films: int = 300) -> None:
    with Journal.open(path) as journal:
        with journal.write():
            for i in range(films):
                journal.films.create(f"Film {i}", 2000, synopsis="x" * 200)


def test_a_corrupt_journal_is_moved_aside_and_reported_with_the_backup(journal_path):
    _journal_with_data(journal_path)
    with Journal.open(journal_path) as journal:
        good = journal.backup()
    _corrupt(journal_path)
    with pytest.raises(JournalCorrupt) as info:
        Journal.open(journal_path)
    err = info.value
    assert not journal_path.exists()  # moved, never deleted
    moved = Path(err.moved_to)
    assert moved.exists() and ".corrupt-" in moved.name
    assert err.newest_backup == str(good)
    assert "damaged" in err.message and moved.name in err.message


def test_the_app_offers_the_backup_and_restores_it(journal_path):
    from journal.ui.application import open_with_recovery

    _journal_with_data(journal_path, films=50)
    with Journal.open(journal_path) as journal:
        journal.backup()
    _corrupt(journal_path)
    questions = []
    journal = open_with_recovery(journal_path, lambda kind, msg: questions.append(kind) or True)
    try:
        assert questions == ["restore"] and journal.films.count() == 50
    finally:
        journal.close()


def test_a_file_that_is_not_a_database_is_reported_plainly(journal_path):
    journal_path.write_bytes(b"this is a text file, not a journal\n" * 100)
    with pytest.raises(JournalCorrupt) as info:
        Journal.open(journal_path)
    assert info.value.newest_backup is None and "no backup" in info.value.message


def test_a_second_writer_is_refused_but_may_read(journal_path):
    first = Journal.open(journal_path)
    try:
        first.films.create("Her", 2013)
        with pytest.raises(JournalLocked) as info:
            Journal.open(journal_path)
        assert "already open" in info.value.message and str(os.getpid()) in info.value.message
        reader = Journal.open(journal_path, read_only=True)
        try:
            assert reader.films.count() == 1
            with pytest.raises(JournalReadOnly):
                reader.films.create("Nope", 2000)
        finally:
            reader.close()
    finally:
        first.close()
    Journal.open(journal_path).close()  # free again once the first is closed


def test_a_second_writer_in_another_process_is_refused(journal_path):
    with Journal.open(journal_path):
        result = subprocess.run(
            [sys.executable, "-m", "journal", "backup", "--journal", str(journal_path)],
            capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "already open" in result.stderr


@pytest.fixture
def readonly_folder(tmp_path, lock_folder):
    folder = tmp_path / "ro"
    folder.mkdir()
    Journal.open(folder / "j.eyelights").close()
    with lock_folder(folder):
        yield folder


def test_a_read_only_folder_gives_a_clear_error(readonly_folder):
    with pytest.raises(JournalReadOnly) as info:
        Journal.open(readonly_folder / "j.eyelights")
    assert "read-only" in info.value.message
    assert info.value.message == (f"{readonly_folder / 'j.eyelights'} is in a folder Eyelights "
                                  "cannot write to. Open it read-only, or move it.")


def test_a_journal_file_that_cannot_be_written_opens_read_only_only(tmp_path, lock_folder):
    """The folder is writable, the file is not (immutable as root, mode 0444 otherwise)."""
    path = tmp_path / "j.eyelights"
    with Journal.open(path) as journal:
        journal.films.create("Her", 2013)
    if os.geteuid() == 0:
        done = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
        if done.returncode != 0:
            pytest.skip(f"cannot make an unwritable file as root here: {done.stderr!r}")
    else:
        path.chmod(0o444)
    try:
        with pytest.raises(JournalReadOnly) as info:
            Journal.open(path)
        assert info.value.message == (f"{path} is in a folder Eyelights cannot write to. "
                                      "Open it read-only, or move it.")
        assert not (tmp_path / "j.eyelights.lock").exists() or not JournalLock(
            path).held_elsewhere()
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        path.chmod(0o644)


def test_missing_folder_and_folder_as_file_are_clear_errors(tmp_path):
    with pytest.raises(JournalError, match="does not exist") as info:
        Journal.open(tmp_path / "missing" / "j.eyelights")
    assert info.value.message == f"The folder {tmp_path / 'missing'} does not exist."
    with pytest.raises(JournalError, match="is a folder") as info:
        Journal.open(tmp_path)
    assert info.value.message == f"{tmp_path} is a folder, not a journal file."
    (tmp_path / "notes.txt").write_text("not a folder")
    with pytest.raises(JournalError) as info:
        Journal.open(tmp_path / "notes.txt" / "j.eyelights", create_folder=True)
    assert info.value.message == f"{tmp_path / 'notes.txt'} is not a folder."
    for kwargs in ({"read_only": True}, {"create": False}):
        with pytest.raises(JournalError) as info:
            Journal.open(tmp_path / "j.eyelights", **kwargs)
        assert info.value.message == f"There is no journal at {tmp_path / 'j.eyelights'}."
        assert not (tmp_path / "j.eyelights").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]  # not even a lock file


def test_a_new_journal_s_folders_are_made_when_asked_and_said_when_they_cannot_be(
        tmp_path, lock_folder):
    path = tmp_path / "Films" / "2014" / "j.eyelights"
    with Journal.open(path, create_folder=True) as journal:
        assert journal.path == path and journal.films.create("Her", 2013).id
    assert path.is_file()
    with lock_folder(tmp_path):
        with pytest.raises(JournalError) as info:
            Journal.open(tmp_path / "Notes" / "j.eyelights", create_folder=True)
    assert info.value.message.startswith(f"Cannot create the folder {tmp_path / 'Notes'}: ")
    assert info.value.message.endswith(("Permission denied.", "Operation not permitted."))


def test_a_journal_named_from_home_is_opened_by_its_full_path(tmp_path):
    home = Path(os.environ["HOME"])
    (home / "Journals").mkdir()
    with Journal.open("~/Journals/../Journals/j.eyelights") as journal:
        assert journal.path == home / "Journals" / "j.eyelights"
        journal.films.create("Her", 2013)
    with Journal.open(home / "Journals" / "j.eyelights", read_only=True) as journal:
        assert [f.title for f in journal.films.live()] == ["Her"]


def test_disk_full_is_translated_and_nothing_is_half_written(journal, journal_path):
    from journal.errors import DiskFull

    journal.films.create("Kept", 2000)
    journal.store.db.execute_sql("PRAGMA max_page_count = " + str(
        journal.store.db.execute_sql("PRAGMA page_count").fetchone()[0] + 1))
    with pytest.raises(DiskFull):
        with journal.write():
            for i in range(2000):
                journal.films.create(f"Big {i}", 2000, synopsis="y" * 2000)
    assert [f.title for f in journal.films.live()] == ["Kept"]


def _write_batches_until_killed(path: Path, batch: int, out: int) -> None:
    """A forked child's whole life: open the journal and commit batches of 50 films (each in
    five INSERTs), saying each batch's number on ``out`` once it is committed, until killed."""
    journal = Journal.open(path)
    while True:
        with journal.write():
            rows = [{"title": f"b{batch}-{i}", "title_folded": f"b{batch} {i}",
                     "synopsis": "z" * 500} for i in range(50)]
            for i in range(0, 50, 10):
                journal.models.Film.insert_many(rows[i:i + 10]).execute()
        os.write(out, f"{batch}\n".encode())
        batch += 1


def _start_writer(path: Path, batch: int) -> tuple[int, int]:
    """Fork a writer (the code under test, already imported: no interpreter to start) and
    return its pid and the read end of its pipe. The child never returns into pytest."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        try:
            os.close(read)
            _write_batches_until_killed(path, batch, write)
        except BaseException:  # noqa: BLE001 - said on stderr, then the child ends
            traceback.print_exc()
        finally:
            os._exit(1)
    os.close(write)
    return pid, read


def test_sigkill_mid_transaction_leaves_an_intact_all_or_nothing_journal(journal_path):
    Journal.open(journal_path).close()
    rng = random.Random(20261125)
    next_batch = 0
    for _round in range(20):
        pid, out = _start_writer(journal_path, next_batch)
        try:
            # it has committed a batch and is writing the next (a minute: a hung writer fails)
            ready = select.select([out], [], [], 60)[0]
            if not ready or not os.read(out, 64):
                os.kill(pid, signal.SIGKILL)
                pytest.fail(f"the writer died or hung before committing a batch "
                            f"(wait status {os.waitpid(pid, 0)[1]})")
            time.sleep(rng.uniform(0.0, 0.08))
            os.kill(pid, signal.SIGKILL)
            assert os.waitpid(pid, 0)[1] == signal.SIGKILL  # killed, not ended by itself
        finally:
            os.close(out)
        con = sqlite3.connect(journal_path)
        try:
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            counts = con.execute(
                "SELECT substr(title, 1, instr(title, '-') - 1) AS b, count(*) FROM film "
                "GROUP BY b").fetchall()
        finally:
            con.close()
        assert counts, "the writer committed nothing before being killed"
        assert all(n == 50 for _, n in counts), counts  # every batch whole, none partial
        next_batch = max(int(b[1:]) for b, _ in counts) + 1000
    # The journal still opens normally (lock released by the kernel, WAL recovered).
    with Journal.open(journal_path) as journal:
        assert journal.check()[0]
        assert backups.integrity_ok  # module still importable, nothing else to check here


def test_the_lock_file_says_only_its_present_holder(tmp_path):
    """A lock file left with a longer line by an earlier holder is rewritten, not appended to:
    the refusal names the present holder."""
    path = tmp_path / "j.eyelights"
    lock_file = tmp_path / "j.eyelights.lock"
    lock_file.write_text("4194303 an-old-and-much-longer-host-name.example.org\n")
    with Journal.open(path):
        assert lock_file.read_text() == f"{os.getpid()} {os.uname().nodename}\n"
        with pytest.raises(JournalLocked) as info:
            Journal.open(path)
        assert f"(process {os.getpid()} on {os.uname().nodename})" in info.value.message


def test_a_lock_file_that_cannot_be_written_means_read_only(tmp_path):
    """Another user's lock file in a shared folder (immutable as root, mode 0444 otherwise):
    this Eyelights cannot take the lock, and says the journal opens read-only only."""
    path = tmp_path / "j.eyelights"
    Journal.open(path).close()
    lock_file = tmp_path / "j.eyelights.lock"
    if os.geteuid() == 0:
        done = subprocess.run(["chattr", "+i", str(lock_file)], capture_output=True)
        if done.returncode != 0:
            pytest.skip(f"cannot make an unwritable file as root here: {done.stderr!r}")
    else:
        lock_file.chmod(0o444)
    try:
        with pytest.raises(JournalReadOnly) as info:
            Journal.open(path)
        assert info.value.message == (f"Cannot write in {tmp_path}: the journal can only be "
                                      "opened read-only.")
        with Journal.open(path, read_only=True) as journal:
            assert journal.read_only
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(lock_file)], check=True)
        lock_file.chmod(0o644)


def test_a_journal_this_user_may_not_read_is_said_so(tmp_path):
    """Another user's journal, mode 0600: refused in words before SQLite is asked. As root
    (who reads everything), the check runs with the real and effective user set to nobody for
    its duration (the saved user stays root, to come back)."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="eyelights-other-user-"))
    try:
        folder.chmod(0o777)  # anyone may go in and write: only the file is closed to them
        path = folder / "j.eyelights"
        Journal.open(path).close()
        path.chmod(0o600)
        if os.geteuid() == 0:
            os.setresuid(65534, 65534, 0)
        try:
            with pytest.raises(JournalReadOnly) as info:
                Journal.open(path, read_only=True)
        finally:
            if os.getresuid()[2] == 0:
                os.setresuid(0, 0, 0)
        assert info.value.message == f"{path} cannot be read (permission denied)."
    finally:
        import shutil

        shutil.rmtree(folder)


def test_the_lock_file_is_made_like_a_document_never_executable(tmp_path):
    """The lock file beside a journal is read-write for its owner and readable by others (who
    may read who holds it), as the umask allows, never executable."""
    old = os.umask(0o022)
    try:
        with Journal.open(tmp_path / "j.eyelights"):
            mode = stat.S_IMODE((tmp_path / "j.eyelights.lock").stat().st_mode)
    finally:
        os.umask(old)
    assert oct(mode) == oct(0o644)


def test_open_store_with_no_options_creates_writes_checks_and_makes_no_folder(tmp_path):
    """The defaults are the safe ones the subprocess tests and scripts rely on: a missing
    journal is created and opened for writing, a missing folder is refused rather than made,
    and a journal damaged past its first page is found by the quick check and set aside."""
    with pytest.raises(JournalError) as info:
        open_store(tmp_path / "missing" / "j.eyelights")
    assert info.value.message == f"The folder {tmp_path / 'missing'} does not exist."
    assert not (tmp_path / "missing").exists()

    path = tmp_path / "j.eyelights"
    store = open_store(path)
    try:
        assert not store.read_only and store.lock is not None and store.lock.held
        with store.writing():
            for i in range(300):
                store.models.Film.create(title=f"Film {i}", title_folded=f"film {i}",
                                         synopsis="x" * 200)
    finally:
        store.close()
    data = bytearray(path.read_bytes())
    rng = random.Random(16)
    for i in range(len(data) - 8 * 4096, len(data)):  # junk over the films' last pages only:
        data[i] = rng.randrange(256)  # the schema reads well, so only the quick check sees it
    path.write_bytes(bytes(data))
    with pytest.raises(JournalCorrupt) as damaged:
        open_store(path)
    assert damaged.value.moved_to and not path.exists()


def test_a_damaged_journal_opened_read_only_with_the_quick_check_is_left_in_place(tmp_path):
    """What ``eyelights check`` or ``list`` do (read-only, with the quick check): damage found
    by the check or in the header is said, and the file stays where it is, as it was."""
    path = tmp_path / "j.eyelights"
    with Journal.open(path) as journal:
        with journal.write():
            for i in range(300):
                journal.films.create(f"Film {i}", 2000, synopsis="x" * 200)
    data = bytearray(path.read_bytes())
    rng = random.Random(16)
    for i in range(len(data) - 8 * 4096, len(data)):
        data[i] = rng.randrange(256)
    path.write_bytes(bytes(data))
    with pytest.raises(JournalCorrupt) as info:
        Journal.open(path, read_only=True)
    assert info.value.message.startswith("j.eyelights is damaged (")
    assert "It was left in place (this only reads; open the journal normally to set it " \
           "aside)" in info.value.message
    assert not info.value.moved_to and path.read_bytes() == bytes(data)
    text = tmp_path / "notes.eyelights"
    text.write_text("my notes\n")
    with pytest.raises(JournalCorrupt) as info:
        Journal.open(text, read_only=True)
    assert info.value.message.startswith(
        "notes.eyelights is damaged (it is not an SQLite database: it does not start with "
        "SQLite's header). It was left in place")
    assert text.read_text() == "my notes\n"
