"""The store's edges that mutation testing found untested (docs/testing.md): backups and their
rotation at the boundaries, damage and where it is moved, the lock file, SQLite's error codes
down an exception chain, the schema's classes refusing every use."""

from __future__ import annotations

import datetime as dt
import errno
import os
import random
import sqlite3
from pathlib import Path

import peewee
import pytest

from journal.errors import BackupError, DiskFull, JournalCorrupt, JournalLocked
from journal.store import backup as backups
from journal.store import diskspace, info, models, sqlite_errors
from journal.store.connection import INTERRUPTED, QuickCheck, handle_damage, translate_error
from journal.store.lock import JournalLock
from journal.store.models import UnboundModelError

NOW = dt.datetime(2025, 6, 15, 12, 0, 0)


def _file(folder: Path, stamp: dt.datetime, reason: str = "auto") -> backups.BackupFile:
    path = folder / f"j-{stamp.strftime(backups.STAMP)}-{reason}.db"
    return backups.BackupFile(path, stamp, reason)


def _damage(path: Path) -> None:
    """Junk over every page but the first (the header and the schema's root stay readable)."""
    data = bytearray(path.read_bytes())
    rng = random.Random(16)
    for i in range(4096, len(data)):
        data[i] = rng.randrange(256)
    path.write_bytes(bytes(data))


@pytest.fixture
def made(journal, journal_path):
    """A journal with a few rows, closed, and one good backup of it."""
    journal.films.create("Her", 2013)
    good = journal.backup("manual")
    journal.close()
    return journal_path, good


# ---------------------------------------------------------------------- names and checks
def test_a_backup_without_a_reason_has_an_empty_one(tmp_path):
    plain = backups.BackupFile.from_path(tmp_path / "j-20250615-120000.db")
    assert plain is not None and plain.reason == "" and plain.taken_at == NOW
    assert backups.BackupFile.from_path(tmp_path / "j-20250615-120000-pre-migration-3.db"
                                        ).reason == "pre-migration-3"
    assert backups.BackupFile.from_path(tmp_path / "notes.db") is None


def test_the_integrity_check_reads_the_file_it_is_given_and_writes_nothing(made, tmp_path):
    _path, good = made
    assert backups.integrity_ok(good) == (True, "ok")
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(good.read_bytes())
    _damage(damaged)
    ok, problem = backups.integrity_ok(damaged)
    assert not ok and problem
    missing = tmp_path / "never.db"
    assert backups.integrity_ok(missing)[0] is False and not missing.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("file:")) == []


def test_the_newest_good_backup_skips_a_damaged_newer_one(made):
    path, good = made
    newer = good.with_name(f"{path.stem}-{(NOW + dt.timedelta(days=3650)).strftime(backups.STAMP)}"
                           "-manual.db")
    newer.write_bytes(good.read_bytes())
    _damage(newer)
    assert backups.list_backups(path)[0].path == newer
    assert backups.newest_good_backup(path) == good


def test_the_backup_offered_holds_records_and_an_empty_one_only_when_nothing_else(made,
                                                                                 tmp_path):
    """Newer backups of an emptied journal are passed over for the older one with a film;
    of a journal whose backups are all empty, the newest of them is offered."""
    from journal.core.journal import Journal

    path, good = made
    empty = tmp_path / "empty.eyelights"
    Journal.open(empty).close()
    folder = backups.backup_dir_for(path)
    days = (1, 2)
    newer = [backups.make_backup(empty, target=folder / (
        f"{path.stem}-{(NOW + dt.timedelta(days=3650 + d)).strftime(backups.STAMP)}-auto.db"))
        for d in days]
    assert [b.path for b in backups.list_backups(path)][:3] == [newer[1], newer[0], good]
    assert backups.newest_good_backup(path) == good
    good.unlink()
    assert backups.newest_good_backup(path) == newer[1]


# ---------------------------------------------------------------------- rotation
def test_rotation_keeps_three_recent_seven_days_and_four_weeks_exactly(tmp_path):
    # one backup a day for 40 days (the day before each one), four more within the last hour
    daily = [_file(tmp_path, NOW - dt.timedelta(days=d, hours=1)) for d in range(1, 41)]
    recent = [_file(tmp_path, NOW - dt.timedelta(minutes=m)) for m in (5, 10, 20, 30)]
    keep = backups.select_to_keep(daily + recent, NOW)
    kept_days = sorted({(NOW.date() - b.taken_at.date()).days for b in daily + recent
                        if b.path in keep})
    assert [b.path in keep for b in recent] == [True, True, True, False]  # three, not four
    assert kept_days[:7] == [0, 1, 2, 3, 4, 5, 6]  # the last seven days, no eighth
    weeks = {b.taken_at.isocalendar()[:2] for b in daily if b.path in keep}
    assert len(weeks) == 4  # the newest of each of four ISO weeks, no fifth
    assert max(kept_days) < 28


def test_the_newest_three_stay_beside_the_newest_that_hold_records(tmp_path):
    """Five backups within the hour, the three newest of an emptied journal: the newest three
    and the two that hold records are all kept (the one with records tops up the newest, it
    does not replace them)."""
    taken = [_file(tmp_path, NOW - dt.timedelta(minutes=m)) for m in (5, 10, 20, 30, 40)]
    keep = backups.select_to_keep(taken, NOW, holds_records={taken[3].path, taken[4].path})
    assert [b.path in keep for b in taken] == [True, True, True, True, True]
    keep = backups.select_to_keep(taken, NOW, holds_records={taken[4].path})
    assert [b.path in keep for b in taken] == [True, True, True, False, True]


def test_rotation_keeps_pre_migration_backups_of_any_age(tmp_path):
    old = _file(tmp_path, NOW - dt.timedelta(days=400), "pre-migration-2")
    others = [_file(tmp_path, NOW - dt.timedelta(days=d)) for d in (300, 200, 100, 50, 40)]
    keep = backups.select_to_keep([old, *others], NOW)
    assert old.path in keep and others[-1].path in keep and others[0].path not in keep


def test_rotation_survives_a_backup_removed_meanwhile(made, monkeypatch):
    path, good = made
    now = dt.datetime.now()
    for days in (1, 2, 3):  # older ones the policy keeps too
        _file(good.parent, now - dt.timedelta(days=days)).path.write_bytes(b"")
    gone = _file(good.parent, now - dt.timedelta(days=100))  # listed, but no longer on disk
    real = backups.list_backups
    monkeypatch.setattr(backups, "list_backups", lambda p: [*real(p), gone])
    assert backups.rotate_backups(path, now) == [gone.path]
    assert good.exists()


def test_a_backup_is_due_only_after_twelve_hours(tmp_path):
    path = tmp_path / "j.eyelights"
    assert backups.backup_due(path, NOW)  # none yet
    folder = backups.backup_dir_for(path)
    folder.mkdir()
    (folder / f"j-{NOW.strftime(backups.STAMP)}-auto.db").write_bytes(b"")
    assert not backups.backup_due(path, NOW + backups.ROTATE_AFTER)
    assert backups.backup_due(path, NOW + backups.ROTATE_AFTER + dt.timedelta(seconds=1))


# ---------------------------------------------------------------------- restore, damage
def test_restoring_moves_the_journal_aside_with_its_companions(made):
    path, good = made
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).write_bytes(b"companion" + suffix.encode())
    moved = backups.restore_backup(good, path)
    assert moved is not None and moved.name.startswith(f"{path.stem}.replaced-")
    assert moved.suffix == path.suffix and moved.exists()
    for suffix in ("-wal", "-shm"):
        assert moved.with_name(moved.name + suffix).read_bytes() == b"companion" + suffix.encode()
        assert not path.with_name(path.name + suffix).exists()
    assert backups.integrity_ok(path)[0]
    assert backups.restore_backup(good, path.with_name("fresh.eyelights")) is None


def test_moving_aside_twice_in_a_second_numbers_the_second(tmp_path, monkeypatch):
    class Frozen(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return NOW

    monkeypatch.setattr(backups.dt, "datetime", Frozen)
    names = []
    for n in range(3):
        path = tmp_path / "j.eyelights"
        path.write_text(f"journal {n}")
        names.append(backups.move_aside(path, "corrupt").name)
    stamp = NOW.strftime(backups.STAMP)
    assert names == [f"j.corrupt-{stamp}.eyelights", f"j.corrupt-{stamp}-2.eyelights",
                     f"j.corrupt-{stamp}-3.eyelights"]
    assert (tmp_path / names[1]).read_text() == "journal 1"


def test_a_damaged_backup_is_never_restored(made, tmp_path):
    path, good = made
    bad = tmp_path / "bad.db"
    bad.write_bytes(good.read_bytes())
    _damage(bad)
    before = path.read_bytes()
    with pytest.raises(BackupError, match=r"The backup bad.db is damaged \(.+\); choose another"):
        backups.restore_backup(bad, path)
    assert path.read_bytes() == before


def test_damage_says_where_the_journal_went_and_which_backup_is_good(made):
    path, good = made
    with pytest.raises(JournalCorrupt) as raised:
        handle_damage(path, "page 3 is bad")
    err = raised.value
    assert err.message.startswith(f"{path.name} is damaged (page 3 is bad). It was moved aside to ")
    assert err.message.endswith(f'; the newest good backup is {good} '
                                f'({backups.describe_backup(good)}); restore it with: '
                                f'eyelights import backup "{good}"')
    assert err.newest_backup == str(good) and Path(err.moved_to).exists()


def test_damage_that_cannot_be_moved_aside_still_names_the_backup(made, lock_folder):
    path, good = made
    with lock_folder(path.parent), pytest.raises(JournalCorrupt) as raised:
        handle_damage(path, "page 3 is bad")
    err = raised.value
    assert "could not be moved aside" in err.message and err.newest_backup == str(good)
    assert err.message.endswith(f'restore it with: eyelights import backup "{good}"')
    assert err.moved_to is None


def test_damage_with_only_damaged_backups_says_none_is_good(made):
    path, good = made
    _damage(good)
    _damage(path)
    with pytest.raises(JournalCorrupt) as raised:
        handle_damage(path, "database disk image is malformed")
    assert raised.value.message.endswith(" no good backup was found.")
    assert raised.value.newest_backup is None


def test_damage_without_a_backup_says_so(tmp_path):
    path = tmp_path / "lone.eyelights"
    path.write_bytes(b"not a database")
    with pytest.raises(JournalCorrupt) as raised:
        handle_damage(path, "file is not a database")
    assert raised.value.message.endswith("no backup was found.")
    assert raised.value.newest_backup is None


# ---------------------------------------------------------------------- errors and checks
def test_a_full_disk_from_the_os_is_said_plainly(tmp_path):
    path = tmp_path / "j.eyelights"
    full = translate_error(OSError(errno.ENOSPC, "No space left on device"), path)
    assert isinstance(full, DiskFull) and full.message.startswith(
        f"The disk holding {tmp_path} (on the disk mounted at ")
    assert full.message.endswith("the change to j.eyelights could not be written. "
                                 "Nothing was changed.")
    assert translate_error(OSError(errno.EACCES, "Permission denied"), path) is None
    sqlite_full = sqlite3.OperationalError("database or disk is full")
    sqlite_full.sqlite_errorcode = sqlite3.SQLITE_FULL  # type: ignore[attr-defined]
    said = translate_error(sqlite_full, path)
    assert isinstance(said, DiskFull) and said.message.startswith(
        f"The disk holding {tmp_path} (on the disk mounted at ")
    assert said.message.endswith("the change to j.eyelights could not be written. "
                                 "Nothing was changed.")


def test_an_interrupted_quick_check_says_so_even_before_it_starts(made):
    path, _good = made
    check = QuickCheck(path)
    check.interrupt()
    assert check.run() == INTERRUPTED
    assert QuickCheck(path).run() == "ok"


def _coded(code: int, name: str) -> sqlite3.Error:
    exc = sqlite3.OperationalError(name)
    exc.sqlite_errorcode = code  # type: ignore[attr-defined]
    exc.sqlite_errorname = name  # type: ignore[attr-defined]
    return exc


def test_result_codes_are_found_down_a_chain_of_causes_and_contexts():
    busy = _coded(sqlite3.SQLITE_BUSY, "SQLITE_BUSY")
    wrapped = peewee.OperationalError("wrapped")
    wrapped.orig = busy  # type: ignore[attr-defined]
    assert sqlite_errors.original(wrapped) is busy
    outer = RuntimeError("while handling")
    outer.__context__ = wrapped  # no __cause__: the context is followed
    assert sqlite_errors.original(outer) is busy and sqlite_errors.name(outer) == "SQLITE_BUSY"
    caused = RuntimeError("raised from")
    caused.__cause__, caused.__context__ = busy, ValueError("unrelated")
    assert sqlite_errors.original(caused) is busy  # the cause comes first
    assert sqlite_errors.kind(ValueError("not SQLite")) is None
    assert sqlite_errors.name(ValueError("not SQLite")) is None
    assert sqlite_errors.kind(_coded(sqlite3.SQLITE_CONSTRAINT, "SQLITE_CONSTRAINT")) is None


def test_a_full_disk_behind_a_failed_rollback_is_what_is_said():
    """A COMMIT hits a full disk, SQLite rolls back by itself, peewee's ROLLBACK then fails
    with a plain SQLITE_ERROR: the full disk, two errors down, is the kind."""
    rollback = _coded(sqlite3.SQLITE_ERROR, "SQLITE_ERROR")
    rollback.__context__ = _coded(sqlite3.SQLITE_FULL, "SQLITE_FULL")
    outer = peewee.OperationalError("cannot rollback - no transaction is active")
    outer.orig, outer.__context__ = rollback, rollback  # type: ignore[attr-defined]
    assert sqlite_errors.kind(outer) is None and sqlite_errors.kind_in_chain(outer) == "full"


def test_a_cycle_of_exceptions_ends_the_search():
    a, b = RuntimeError("a"), RuntimeError("b")
    a.__context__, b.__context__ = b, a
    assert sqlite_errors.original(a) is None
    assert sqlite_errors.kind_in_chain(a) is None
    c = RuntimeError("c")
    c.__context__ = c
    assert sqlite_errors.kind_in_chain(c) is None and sqlite_errors.original(c) is None


def test_the_lock_names_its_holder_and_tolerates_a_garbled_file(tmp_path):
    lock = JournalLock(tmp_path / "j.eyelights")
    assert not lock.held_elsewhere()  # no lock file yet: nobody holds it
    assert not lock.path.exists()
    lock.path.write_text("garbage")
    fd = os.open(lock.path, os.O_RDONLY)
    try:
        assert JournalLock._read_holder(fd) == ""
    finally:
        os.close(fd)
    assert not lock.held_elsewhere()  # a file nobody locks
    holder = JournalLock(tmp_path / "j.eyelights")
    holder.acquire()
    try:
        assert lock.held_elsewhere() and holder.held and not lock.held
        with pytest.raises(JournalLocked, match=rf"^The journal j.eyelights is already open in "
                           rf"another Eyelights \(process {os.getpid()} on \S+\)\. Close it"):
            lock.acquire()
    finally:
        holder.release()
    assert not lock.held_elsewhere()


# ---------------------------------------------------------------------- the schema's classes
def test_the_schema_classes_refuse_every_use_with_a_pointer_to_the_journals_own():
    with pytest.raises(UnboundModelError, match=r"^The schema's classes cannot be bound to a "
                       r"journal; each journal has its own \(journal.store.bound.Models\)\.$"):
        models.NO_JOURNAL.initialize(object())
    with pytest.raises(UnboundModelError, match=r"query the journal's own classes "
                                                r"\(journal.models.Film.*asked for 'connect'"):
        models.NO_JOURNAL.connect()
    with pytest.raises(UnboundModelError, match="asked for '__enter__'"):
        with models.NO_JOURNAL:
            pass
    with pytest.raises(UnboundModelError, match="asked for '__exit__'"):
        models.NO_JOURNAL.__exit__(None, None, None)


def test_a_journals_own_class_for_a_schema_class(journal):
    assert journal.models.of(models.Film) is journal.models.Film
    assert journal.models.of(models.Review).__name__ == "Review"


def test_the_about_box_names_peewee_and_sqlite():
    assert info.peewee_version() == peewee.__version__
    assert info.sqlite_version() == sqlite3.sqlite_version


# ---------------------------------------------------------------------- a full disk's words
@pytest.mark.parametrize(("size", "said"), [
    (0, "0 bytes"), (1023, "1023 bytes"), (1024, "1.0 KB"), (1536, "1.5 KB"),
    (1024 ** 2 - 1, "1024.0 KB"), (3_500_000, "3.3 MB"), (1024 ** 3, "1.0 GB"),
    (3 * 1024 ** 4, "3072.0 GB")])
def test_sizes_are_said_in_bytes_kb_mb_and_gb(size, said):
    assert diskspace.human(size) == said


@pytest.fixture
def disk(monkeypatch):
    """The disk mounted at /data with 1.5 KB free."""
    monkeypatch.setattr(diskspace, "mount_point", lambda path: Path("/data"))
    monkeypatch.setattr(diskspace, "free_bytes", lambda path: 1536)


def test_a_full_disk_says_which_disk_what_is_free_and_what_was_needed(disk):
    message = diskspace.disk_full_message
    assert message(Path("/data/films"), "the backup b.db", 3_500_000) == (
        "The disk holding /data/films (on the disk mounted at /data) is full: 1.5 KB free; "
        "the backup b.db needed about 3.3 MB, so free at least 3.3 MB. Nothing was changed.")
    assert message(Path("/data"), "the backup b.db", 1024) == (
        "The disk holding /data is full: 1.5 KB free; the backup b.db needed about 1.0 KB. "
        "Nothing was changed.")
    assert message(Path("/data"), "the backup b.db", 1536) == (  # as much as is free: no "0"
        "The disk holding /data is full: 1.5 KB free; the backup b.db needed about 1.5 KB. "
        "Nothing was changed.")
    assert message(Path("/data"), "the import's records", 4096, at_least=True) == (
        "The disk holding /data is full: 1.5 KB free; the import's records needed more than the "
        "4.0 KB it had written when the disk filled: free at least 4.0 KB. Nothing was changed.")
    assert message(Path("/data"), "the change to j.eyelights") == (
        "The disk holding /data is full: 1.5 KB free; the change to j.eyelights could not be "
        "written. Nothing was changed.")


def test_a_disk_whose_free_space_is_unknown_is_still_said_full(monkeypatch):
    monkeypatch.setattr(diskspace, "mount_point", lambda path: Path("/data"))
    monkeypatch.setattr(diskspace, "free_bytes", lambda path: None)
    assert diskspace.disk_full_message(Path("/data"), "the backup b.db", 2048) == (
        "The disk holding /data is full; the backup b.db needed about 2.0 KB. Nothing was changed.")


def test_a_full_disk_during_a_change_says_what_the_log_had_written(disk, tmp_path):
    path = tmp_path / "j.eyelights"
    (tmp_path / "j.eyelights-wal").write_bytes(b"\0" * 8192)
    full = translate_error(OSError(errno.ENOSPC, "No space left on device"), path)
    assert isinstance(full, DiskFull) and full.message == (
        f"The disk holding {tmp_path} (on the disk mounted at /data) is full: 1.5 KB free; "
        "the change to j.eyelights needed more than the 8.0 KB it had written when the disk "
        "filled: free at least 8.0 KB. Nothing was changed.")
    quota = translate_error(OSError(errno.EDQUOT, "Disk quota exceeded"), path)
    assert isinstance(quota, DiskFull)


def test_the_mount_point_of_a_path_not_made_yet_is_its_disk_s(tmp_path):
    real = diskspace.mount_point(tmp_path)
    assert os.path.ismount(real) and str(tmp_path).startswith(str(real))
    assert diskspace.mount_point(tmp_path / "not" / "made" / "yet.db") == real
    assert diskspace.mount_point(Path("/")) == Path("/")
    free = diskspace.free_bytes(tmp_path / "not" / "made")
    assert free is not None and free == os.statvfs(real).f_bavail * os.statvfs(real).f_frsize


def test_no_room_for_a_backup_says_how_much_it_needed(disk, journal, journal_path, tmp_path):
    journal.films.create("Her", 2013)
    target = tmp_path / "backups" / "b.db"
    size = journal_path.stat().st_size
    assert backups._no_room(target, journal_path) == (
        f"The disk holding {tmp_path / 'backups'} (on the disk mounted at /data) is full: "
        f"1.5 KB free; the backup b.db needed about {diskspace.human(size)}, so free at least "
        f"{diskspace.human(size - 1536)}. Nothing was changed.")
    con = sqlite3.connect(journal_path)
    try:
        pages = con.execute("PRAGMA page_count").fetchone()[0] * 4096
        assert con.execute("PRAGMA page_size").fetchone()[0] == 4096 and pages > 4096
        assert f"needed about {diskspace.human(pages)}," in backups._no_room(target, con)
    finally:
        con.close()
    assert backups._no_room(target, tmp_path / "gone.db").endswith(
        "is full: 1.5 KB free; the backup b.db could not be written. Nothing was changed.")


def test_a_backup_offered_says_when_it_was_taken_and_what_it_holds(journal, journal_path,
                                                                   tmp_path):
    journal.films.create("Her", 2013)
    journal.films.create("Heat", 1995)
    taken = backups.make_backup(journal_path, "manual", when=NOW)
    assert backups.describe_backup(taken) == "taken 2025-06-15 12:00, 2 films and reviews"
    junk = tmp_path / "notes.db"
    junk.write_bytes(b"not a database" * 100)
    assert backups.describe_backup(junk) == "notes.db"  # neither a backup's name nor readable
    misnamed = tmp_path / "copy.db"
    misnamed.write_bytes(taken.read_bytes())
    assert backups.describe_backup(misnamed) == "copy.db, 2 films and reviews"


def test_the_seventh_day_back_is_outside_the_daily_backups(tmp_path):
    """Backups at noon each day, 10 days back from Wednesday 18 June: the last seven days
    (18th to 12th) and the newest of each week (15th, 8th) are kept; the 9th to 11th go."""
    now = dt.datetime(2025, 6, 18, 13, 0)
    files = [_file(tmp_path, dt.datetime(2025, 6, day, 12, 0)) for day in range(8, 19)]
    keep = backups.select_to_keep(files, now)
    assert sorted(b.taken_at.day for b in files if b.path in keep) == [8, 12, 13, 14, 15, 16,
                                                                        17, 18]


def test_rotation_keeps_the_newest_backups_that_hold_records(journal, journal_path, tmp_path):
    """A journal emptied (a failed copy, a sync tool) then backed up every day: the last good
    backups are never rotated out by the empty ones."""
    from journal.core.journal import Journal

    journal.films.create("Her", 2013)
    good = [backups.make_backup(journal_path, "auto", when=NOW - dt.timedelta(days=60 + d))
            for d in range(4)]
    empty = Journal.open(tmp_path / "empty.eyelights")
    empty.close()
    folder = backups.backup_dir_for(journal_path)
    for d in range(12):
        stamp = (NOW - dt.timedelta(days=d)).strftime(backups.STAMP)
        backups.make_backup(tmp_path / "empty.eyelights", target=folder / f"test-{stamp}-auto.db")
    removed = backups.rotate_backups(journal_path, now=NOW)
    assert [p for p in good if not p.exists()] == [good[3]]  # the oldest of the four goes
    assert all(backups.records_in(p) == 1 for p in good[:3]) and good[3] in removed


# ---------------------------------------------------------------------- the importers' lean INSERT
def test_a_prepared_insert_writes_converted_values_and_says_the_new_id(journal):
    from journal.store.bulk import prepared_insert

    insert = prepared_insert(models.Film, ("title", "title_folded", "year", "kind", "synopsis",
                                           "created_at", "updated_at", "imdb_id"))
    assert insert.sql == ('INSERT INTO "film" ("title", "title_folded", "year", "kind", '
                          '"synopsis", "created_at", "updated_at", "imdb_id") '
                          'VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    with journal.write():
        cursor = journal.store.db.cursor()
        new = insert(cursor, title="Stalker", title_folded="stalker", year=1979, kind="feature",
                     synopsis="", created_at=NOW, updated_at=NOW)  # imdb_id left out: NULL
        with pytest.raises(peewee.IntegrityError):
            insert(cursor, title=None, title_folded="x", kind="feature", synopsis="",
                   created_at=NOW, updated_at=NOW)
    film = journal.films.get(new)
    assert (film.title, film.year, film.imdb_id, film.created_at) == ("Stalker", 1979, None, NOW)
    tags = prepared_insert(journal.models.Tag, ("name",))
    with journal.write():
        assert tags(journal.store.db.cursor(), name="noir") > 0


# ---------------------------------------------------------------------- leftovers of killed copies
def test_partial_copies_of_a_running_process_are_kept_and_of_a_dead_one_swept(tmp_path):
    import subprocess
    import sys

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    mine = tmp_path / f"b.db.{os.getpid()}{backups.PARTIAL}"
    gone = tmp_path / f"b.db.{dead}{backups.PARTIAL}"
    old = tmp_path / f"j.eyelights{backups.CREATING}-wal"
    for path in (mine, gone, old):
        path.write_bytes(b"x")
    assert sorted(backups.sweep_partials(tmp_path)) == sorted([gone, old])
    assert mine.exists()
    assert backups.pid_alive(1)  # init: someone else's process, alive (EPERM or not)


def test_damage_found_by_a_read_only_opening_is_left_in_place(made):
    path, good = made
    _damage(path)
    with pytest.raises(JournalCorrupt) as raised:
        handle_damage(path, "malformed", read_only=True)
    assert raised.value.message.startswith(
        "test.eyelights is damaged (malformed). It was left in place (this only reads; open the "
        f"journal normally to set it aside); the newest good backup is {good} (taken ")
    assert raised.value.newest_backup == str(good) and path.exists()


def test_damage_in_a_journal_another_eyelights_holds_is_left_in_place(made):
    path, good = made
    _damage(path)
    holder = JournalLock(path)
    holder.acquire()
    try:
        with pytest.raises(JournalCorrupt) as raised:
            handle_damage(path, "malformed")
    finally:
        holder.release()
    assert raised.value.message.startswith(
        "test.eyelights is damaged (malformed). Another Eyelights has it open, so it was left "
        f"in place; the newest good backup is {good} (taken ")
    assert raised.value.newest_backup == str(good) and path.exists()
