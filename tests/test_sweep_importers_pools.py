"""The importers sweep without mutmut, continued (docs/testing.md, "A sweep without mutmut"):
the converting pool's, the spool's and ``run.py``'s refusals, read against the tests; the
messages no test asserted whole asserted here."""

from __future__ import annotations

import errno
import multiprocessing
import tempfile
import time
from pathlib import Path

import pytest
from pool_helpers import dies_while_answering, twice_slowly

from journal.core.importers.ordered_pool import OrderedPool, PoolBroken
from journal.core.importers.plan import Spool
from journal.core.importers.run import plan_import
from journal.errors import DiskFull, EyelightsError, ValidationError
from journal.store import diskspace


def test_an_unknown_import_source_is_said_whole_with_its_field(journal, tmp_path):
    with pytest.raises(ValidationError) as refused:
        plan_import(journal, "tumblr", [tmp_path / "posts.xml"])
    assert (str(refused.value), refused.value.field) == (
        "Unknown import source “tumblr”: choose wxr, letterboxd, markdown.", "source")


def test_the_pool_takes_batches_up_to_its_room_and_says_why_it_refuses_more():
    with OrderedPool(twice_slowly, 1, ahead=2) as pool:
        with pytest.raises(RuntimeError) as nothing:
            pool.take()
        assert str(nothing.value) == "nothing was given to the pool"
        pool.put(1)
        pool.put(2)  # ``ahead`` batches: the last one that fits
        with pytest.raises(RuntimeError) as full:
            pool.put(3)
        assert str(full.value) == "the pool is full: take a result first"
        assert pool.take() == 2
        pool.put(3)  # a result taken: room for one more
        assert [pool.take(), pool.take()] == [4, 6]


def test_a_process_that_died_is_said_with_its_exit_code():
    with OrderedPool(dies_while_answering, 1, ahead=1) as pool:
        pool.put("die")
        end = time.monotonic() + 20
        while multiprocessing.active_children() and time.monotonic() < end:
            time.sleep(0.05)  # killed with part of its 20 MB answer in the pipe, unread
        with pytest.raises(PoolBroken) as broken:
            pool.take()
    assert str(broken.value) == "a pool process ended (exit code -9)"


@pytest.fixture
def temp_folder(tmp_path, monkeypatch):
    """The temporary folder, on a disk that says 0 bytes free."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(diskspace, "mount_point", lambda folder: Path(folder))
    monkeypatch.setattr(diskspace, "free_bytes", lambda folder: 0)
    return tmp_path


def test_a_temporary_folder_that_cannot_be_written_is_said_whole(temp_folder, monkeypatch):
    missing = temp_folder / "gone"
    monkeypatch.setattr(tempfile, "tempdir", str(missing))
    with pytest.raises(EyelightsError) as refused:
        Spool()
    assert type(refused.value) is EyelightsError
    assert str(refused.value) == (f"The temporary folder {missing} cannot be written (No such "
                                  "file or directory); set TMPDIR to another folder.")


def test_a_full_temporary_folder_is_said_whole_with_what_the_spool_had_written(temp_folder,
                                                                              monkeypatch):
    def no_room(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tempfile, "TemporaryFile", no_room)
    with pytest.raises(DiskFull) as full:
        Spool()
    assert str(full.value) == (
        f"The disk holding {temp_folder} is full: 0 bytes free; the import's temporary copy of "
        "its records (in the temporary folder; set TMPDIR to use another) could not be "
        "written. Nothing was changed.")
    monkeypatch.undo()
    monkeypatch.setattr(tempfile, "tempdir", str(temp_folder))
    monkeypatch.setattr(diskspace, "mount_point", lambda folder: Path(folder))
    monkeypatch.setattr(diskspace, "free_bytes", lambda folder: 0)

    class Full:  # the spool's file when the disk fills: 2 KB written, then no more
        closed = False

        def write(self, data):
            raise OSError(errno.EDQUOT, "Disk quota exceeded")

        def tell(self):
            return 2048

    spool = Spool()
    spool._fh = Full()
    spool._pending.append(("a record",))
    with pytest.raises(DiskFull) as full:
        spool.close_writing()
    assert str(full.value) == (
        f"The disk holding {temp_folder} is full: 0 bytes free; the import's temporary copy of "
        "its records (in the temporary folder; set TMPDIR to use another) needed more than the "
        "2.0 KB it had written when the disk filled: free at least 2.0 KB. Nothing was changed.")
