"""The start-up's first look: the newest reviews without the store layer, and the lock handed on."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from journal.core.first_look import first_look
from journal.core.journal import Journal
from journal.core.sample import load_sample
from journal.errors import EyelightsError, JournalLocked
from journal.store.lock import JournalLock
from journal.store.version import SCHEMA_VERSION


def _journal_with(path, reviews: int) -> list[int]:
    with Journal.open(path) as journal:
        film = journal.films.create("Stalker", 1979)
        made = [journal.reviews.create(film.id, f"Review {n}").id for n in range(reviews)]
        if reviews > 3:
            journal.reviews.update(made[3], title="Edited last")  # now the newest edit
    return made


def test_it_reads_the_newest_rows_and_the_counts_as_the_full_journal_does(journal_path):
    made = _journal_with(journal_path, 12)
    look = first_look(journal_path, limit=5)
    assert look is not None
    try:
        assert (look.films, look.reviews, look.empty) == (1, 12, False)
        with Journal.open(journal_path, lock=look.lock) as journal:
            every = journal.reviews.rows()
            assert look.rows == every[:5]  # the same rows, in the same order
            assert look.rows[0].id == made[3]
        assert not look.lock.held  # closing the journal gave the lock back
    finally:
        look.release()


def test_the_lock_is_held_from_the_first_look_until_the_journal_closes(journal_path):
    _journal_with(journal_path, 1)
    look = first_look(journal_path)
    assert look is not None and look.lock is not None and look.lock.held
    with pytest.raises(JournalLocked):
        JournalLock(journal_path).acquire()
    journal = Journal.open(journal_path, lock=look.lock)
    with pytest.raises(JournalLocked):
        Journal.open(journal_path)
    journal.close()
    again = JournalLock(journal_path)
    again.acquire()
    again.release()


def test_a_failed_full_opening_gives_the_lock_back(journal_path):
    _journal_with(journal_path, 1)
    look = first_look(journal_path)
    assert look is not None
    journal_path.write_bytes(b"not a database at all, but long enough" * 200)  # damaged meanwhile
    with pytest.raises(EyelightsError):  # damaged: reported as such
        Journal.open(journal_path, lock=look.lock)
    assert not look.lock.held
    probe = JournalLock(journal_path)
    probe.acquire()  # free again
    probe.release()


def test_it_declines_what_the_full_opening_must_decide(journal_path, tmp_path):
    assert first_look(journal_path) is None  # no journal there yet: the full opening creates it
    assert first_look(tmp_path) is None  # a folder
    _journal_with(journal_path, 2)
    holder = JournalLock(journal_path)
    holder.acquire()
    try:
        assert first_look(journal_path) is None  # open elsewhere: the full opening says so
        look = first_look(journal_path, read_only=True)  # read-only needs no lock
        assert look is not None and look.lock is None and look.reviews == 2
    finally:
        holder.release()
    for version in (SCHEMA_VERSION - 1, SCHEMA_VERSION + 1):  # to migrate, or too new
        with sqlite3.connect(journal_path) as connection:
            connection.execute(f"PRAGMA user_version = {version}")
        connection.close()
        assert first_look(journal_path) is None
        probe = JournalLock(journal_path)
        probe.acquire()  # the lock was given back each time
        probe.release()
    journal_path.write_bytes(b"garbage" * 1000)
    assert first_look(journal_path) is None


def test_an_empty_journal_and_one_with_only_trash(journal_path):
    Journal.open(journal_path).close()
    look = first_look(journal_path)
    assert look is not None and look.empty and look.rows == [] and look.reviews == 0
    look.release()
    with Journal.open(journal_path) as journal:
        load_sample(journal)
        for row in journal.reviews.rows():
            journal.reviews.delete(row.id)
        for film in journal.films.live():
            journal.films.delete(film.id, with_reviews=True)
    look = first_look(journal_path)
    assert look is not None and not look.empty and look.rows == [] and look.films == 0
    look.release()


def test_the_first_look_imports_neither_peewee_nor_qt(journal_path):
    _journal_with(journal_path, 1)
    code = ("import sys; from pathlib import Path; from journal.core.first_look import first_look; "
            f"look = first_look(Path({str(journal_path)!r})); look.release(); "
            "print(look.reviews, sorted(m for m in ('peewee', 'PySide6', 'markdown') "
            "if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["1", "[]"]
