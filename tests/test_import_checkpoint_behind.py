"""A large import's checkpoint (its pages copied from the write-ahead log into the journal
file) runs on a thread of its own once the import is committed, not in its commit; closing the
journal waits for it; a small import checkpoints as any write does."""

from __future__ import annotations

import sqlite3
import threading

from journal.core.importers import apply as apply_module
from journal.core.importers.run import import_files
from journal.core.importers.synthetic import generate_wxr
from journal.core.journal import Journal
from journal.store.connection import Store


def _rows(path, table):
    con = sqlite3.connect(path)
    try:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


def test_a_large_import_returns_before_its_checkpoint_and_close_waits_for_it(
        tmp_path, monkeypatch):
    monkeypatch.setenv("EYELIGHTS_IMPORT_WORKERS", "0")
    export = tmp_path / "blog.xml"
    generate_wxr(export, 700)  # 1,400 records; a log of ~1,300 pages, past SQLite's 1,000
    release = threading.Event()
    ran_on: list[str] = []
    real = Store._checkpoint

    def held(self):  # the checkpoint thread waits until the test has looked at the file
        ran_on.append(threading.current_thread().name)
        assert release.wait(30)
        real(self)

    monkeypatch.setattr(Store, "_checkpoint", held)
    path = tmp_path / "j.eyelights"
    with Journal.open(path) as journal:
        _plan, result = import_files(journal, "wxr", [export])
        assert result.counts["reviews"] == 700
        # the commit did not copy the log into the file: it is as small as before the import
        wal = path.with_name(path.name + "-wal")
        assert wal.stat().st_size > 4 * 1024 * 1024
        assert path.stat().st_size < 1024 * 1024
        assert ran_on == ["journal-checkpoint"]
        # what was imported is committed and readable from another connection meanwhile
        assert _rows(path, "review") == 700
        # SQLite's own checkpoint is back for the next writes
        value = journal.store.db.execute_sql("PRAGMA wal_autocheckpoint").fetchone()[0]
        assert value == 1000
        release.set()
        journal.store.wait_for_checkpoint()
        assert path.stat().st_size > 4 * 1024 * 1024  # copied, by the thread
        assert journal.store.checkpointer is None
    assert _rows(path, "review") == 700


def test_closing_waits_for_the_checkpoint_thread(tmp_path, monkeypatch):
    monkeypatch.setenv("EYELIGHTS_IMPORT_WORKERS", "0")
    monkeypatch.setattr(apply_module, "CHECKPOINT_BEHIND_FROM", 1)
    export = tmp_path / "blog.xml"
    generate_wxr(export, 20)
    started, release = threading.Event(), threading.Event()
    real = Store._checkpoint

    def held(self):
        started.set()
        assert release.wait(30)
        real(self)

    monkeypatch.setattr(Store, "_checkpoint", held)
    journal = Journal.open(tmp_path / "j.eyelights")
    import_files(journal, "wxr", [export])
    assert started.wait(30)
    thread = journal.store.checkpointer
    assert thread is not None and thread.is_alive()
    closed_after: list[bool] = []
    # released a moment after close() starts waiting (on this thread: the journal's connection
    # is this thread's); close returns only once the checkpoint is done, then checkpoints itself
    releaser = threading.Timer(0.3, lambda: (closed_after.append(thread.is_alive()),
                                             release.set()))
    releaser.start()
    journal.close()
    assert not thread.is_alive()  # close() waited for it
    releaser.join()
    assert closed_after == [True]  # the checkpoint was still held when close() began
    wal = tmp_path / "j.eyelights-wal"
    assert not wal.exists() or wal.stat().st_size == 0  # close's own checkpoint ran after
    assert _rows(tmp_path / "j.eyelights", "review") == 20


def test_a_small_import_checkpoints_as_any_write_does(tmp_path, monkeypatch):
    monkeypatch.setenv("EYELIGHTS_IMPORT_WORKERS", "0")
    export = tmp_path / "blog.xml"
    generate_wxr(export, 20)
    with Journal.open(tmp_path / "j.eyelights") as journal:
        import_files(journal, "wxr", [export])
        assert journal.store.checkpointer is None
