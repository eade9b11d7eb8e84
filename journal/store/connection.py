"""Opening a journal: checks, lock, pragmas, migrations. The only place a database is opened."""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from peewee import DatabaseError, OperationalError, SqliteDatabase

from journal.errors import (
    DiskFull,
    EyelightsError,
    JournalCorrupt,
    JournalError,
    JournalLocked,
    JournalReadOnly,
    MigrationError,
)
from journal.store import backup as backups
from journal.store import sqlite_errors
from journal.store.bound import Models
from journal.store.lock import JournalLock
from journal.store.migrations import CURRENT_VERSION, MIGRATIONS
from journal.store.uri import read_only_uri, unreadable_changes

log = logging.getLogger(__name__)

PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 5000,
    "synchronous": "normal",
    "cache_size": -32000,
}


@dataclass
class Store:
    """An open journal database: the peewee database, its path, its lock and its write lock."""

    path: Path
    db: SqliteDatabase
    read_only: bool
    lock: JournalLock | None
    write_lock: threading.RLock = field(default_factory=threading.RLock)
    migrated_from: int | None = None
    pre_migration_backup: Path | None = None
    #: This journal's model classes, bound to ``db`` alone (``journal.store.bound``).
    models: Models = field(init=False)
    #: The thread copying a large write's log into the file (:meth:`checkpoint_behind`).
    checkpointer: threading.Thread | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.models = Models(self.db)

    @contextmanager
    def writing(self) -> Iterator[None]:
        """The one way to write: a single writer at a time, one transaction, errors translated.

        When SQLite rolls a transaction back by itself (disk full), peewee's own rollback then
        fails; the first error is the one that explains what happened, so that is the one raised.
        """
        if self.read_only:
            raise JournalReadOnly("This journal is open read-only; nothing can be changed.")
        first: BaseException | None = None
        with self.write_lock:
            try:
                with self.db.atomic("IMMEDIATE"):
                    try:
                        yield
                    except BaseException as exc:
                        first = exc
                        raise
            except (OperationalError, sqlite3.OperationalError, OSError) as exc:
                if isinstance(first, EyelightsError):  # a nested write already translated it
                    raise first from None
                # A disk full at COMMIT makes SQLite roll back by itself; peewee's rollback then
                # fails ("cannot rollback - no transaction is active") and hides the reason,
                # which is still in the exception's context.
                for cause in _causes(first, exc):
                    translated = translate_error(cause, self.path)
                    if translated is not None:
                        raise translated from None
                raise

    @contextmanager
    def checkpoint_behind(self) -> Iterator[None]:
        """For one large write (an import of thousands of posts): SQLite's checkpoint, which
        copies the write-ahead log into the journal file at the commit that makes the log pass
        1,000 pages (and syncs the file: ~0.3–0.6 s after a 10,000-post import, mostly waiting
        for the disk), is not run by that commit but right after it, on a thread of its own
        with its own connection: the write returns, the copy goes on beside whatever comes
        next (readers and writers do not wait for a checkpoint in WAL mode). What is committed
        is the same; :meth:`close` waits for the copy before its own."""
        db = self.db
        automatic = int(db.execute_sql("PRAGMA wal_autocheckpoint").fetchone()[0])
        db.execute_sql("PRAGMA wal_autocheckpoint = 0")
        try:
            yield
        finally:
            db.execute_sql(f"PRAGMA wal_autocheckpoint = {automatic}")
        if automatic > 0:
            self.wait_for_checkpoint()
            self.checkpointer = threading.Thread(target=self._checkpoint, daemon=True,
                                                 name="journal-checkpoint")
            self.checkpointer.start()

    def _checkpoint(self) -> None:
        """What the checkpoint thread runs (a connection of its own, closed after)."""
        try:
            self.db.execute_sql("PRAGMA wal_checkpoint(PASSIVE)")
        except DatabaseError as exc:  # the next commit or closing checkpoints instead
            log.info("checkpoint after a large write not done: %s", exc)
        finally:
            if not self.db.is_closed():
                self.db.close()  # this thread's connection only

    def wait_for_checkpoint(self) -> None:
        """Wait until the checkpoint started by :meth:`checkpoint_behind` is done."""
        checkpointer = self.checkpointer
        if checkpointer is not None and checkpointer is not threading.current_thread():
            checkpointer.join()
            self.checkpointer = None

    def close(self) -> None:
        self.wait_for_checkpoint()
        try:
            if not self.db.is_closed():
                if not self.read_only:
                    try:
                        self.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                    except DatabaseError:
                        pass
                self.db.close()
        finally:
            if self.lock is not None:
                self.lock.release()

    def schema_version(self) -> int:
        return int(self.db.execute_sql("PRAGMA user_version").fetchone()[0])

    def integrity_check(self) -> tuple[bool, str]:
        first = self.db.execute_sql("PRAGMA integrity_check").fetchone()[0]  # always a row
        return first == "ok", first


def _causes(*errors: BaseException | None) -> list[BaseException]:
    """The errors given, each followed by what it was raised while handling (or from)."""
    out: list[BaseException] = []
    for error in errors:
        while error is not None and error not in out and len(out) < 20:
            out.append(error)
            error = error.__cause__ or error.__context__
    return out


def _disk_full(path: Path) -> DiskFull:
    from journal.store.diskspace import disk_full_message

    wal = path.with_name(path.name + "-wal")
    try:  # what the failed change had written to the log when the disk filled: a lower bound
        written = wal.stat().st_size if wal.exists() else 0
    except OSError:
        written = 0
    return DiskFull(disk_full_message(path.parent, f"the change to {path.name}",
                                      written or None, at_least=True))


#: Free bytes under which an I/O error is taken for a full disk (SQLite's ``-shm`` file
#: alone takes 32 KiB).
NO_ROOM_BYTES = 1 << 20


def _no_room(path: Path) -> bool:
    import shutil

    try:
        return shutil.disk_usage(path.parent).free < NO_ROOM_BYTES
    except OSError:
        return False


def translate_error(exc: BaseException, path: Path) -> EyelightsError | None:
    """The typed error for SQLite's and the OS's environment errors; None for anything else.

    SQLite's errors are told apart by their result code (``store/sqlite_errors.py``), found
    behind peewee's wrapping, in ``exc`` or the errors it was raised while handling (a failed
    COMMIT behind peewee's failed ROLLBACK); the message's words are never read."""
    if isinstance(exc, OSError) and not isinstance(exc, sqlite3.Error):
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return _disk_full(path)
        return None
    kind = sqlite_errors.kind_in_chain(exc)
    if kind == sqlite_errors.FULL:
        return _disk_full(path)
    if sqlite_errors.code(exc) == sqlite3.SQLITE_IOERR and _no_room(path):
        # opening on a full disk: the shared-memory file (``-shm``) cannot be made, and SQLite
        # says only "disk I/O error"
        from journal.store.diskspace import disk_full_message

        return DiskFull(disk_full_message(
            path.parent, f"the shared-memory file {path.name}-shm that opening it needs"))
    if kind == sqlite_errors.BUSY:
        return JournalLocked(f"{path.name} is busy in another program; try again.")
    if kind == sqlite_errors.READONLY:
        return JournalReadOnly(f"{path.name} cannot be written (read-only).")
    return None


@contextmanager
def translate_errors(path: Path) -> Iterator[None]:
    """Turn SQLite's environment errors into the typed errors the UI and CLI show plainly."""
    try:
        yield
    except (OperationalError, sqlite3.OperationalError, OSError) as exc:
        translated = translate_error(exc, path)
        if translated is None:
            raise
        raise translated from None


INTERRUPTED = "interrupted"


class QuickCheck:
    """``PRAGMA quick_check`` on its own read-only connection; ``interrupt()`` (from any thread)
    stops it early, e.g. when the app quits while the check still runs. Only damage counts: a
    file that cannot be opened right now (locked, unreadable -shm) is reported by the later
    steps, never moved aside."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._con: sqlite3.Connection | None = None
        self._stopped = False

    def run(self) -> str:
        """"ok", ``INTERRUPTED``, or what is wrong with the file."""
        try:
            con = sqlite3.connect(read_only_uri(self.path), uri=True, check_same_thread=False)
        except sqlite3.DatabaseError:  # connecting reads no page: it fails only when the file
            return "ok"                # cannot be opened (CANTOPEN), which is no damage
        with self._lock:
            if self._stopped:
                con.close()
                return INTERRUPTED
            self._con = con
        try:
            # It reads every page once: a small page cache checks as fast (~0.35 s at 170 MB)
            # and keeps ~2 MB off the app's peak memory (the default cache filled up)
            con.execute("PRAGMA cache_size = -256")
            return con.execute("PRAGMA quick_check").fetchone()[0]  # always a row: "ok" or a problem
        except sqlite3.DatabaseError as exc:
            if sqlite_errors.kind(exc) == sqlite_errors.INTERRUPTED:
                return INTERRUPTED
            return self._classify(exc)
        finally:
            with self._lock:
                self._con = None
            con.close()

    def interrupt(self) -> None:
        with self._lock:
            self._stopped = True
            if self._con is not None:
                self._con.interrupt()

    @staticmethod
    def _classify(exc: sqlite3.DatabaseError) -> str:
        """What is wrong for damage (SQLITE_CORRUPT, SQLITE_NOTADB), else "ok": a file that
        cannot be read right now is not a damaged one."""
        return str(exc) if sqlite_errors.kind(exc) == sqlite_errors.CORRUPT else "ok"


def quick_check(path: Path) -> str:
    """"ok", or what is wrong with the file (see ``QuickCheck``)."""
    return QuickCheck(path).run()


def _check_folder(path: Path, create: bool) -> None:
    folder = path.parent
    if not folder.exists():
        if not create:
            raise JournalError(f"The folder {folder} does not exist.")
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise JournalError(f"Cannot create the folder {folder}: {exc.strerror}.") from None
    if not folder.is_dir():
        raise JournalError(f"{folder} is not a folder.")


def open_store(path: Path | str, *, read_only: bool = False, create: bool = True,
               create_folder: bool = False, verify: bool = True,
               lock: JournalLock | None = None) -> Store:
    """Open (creating if allowed) the journal at ``path``; raise a typed error when it cannot be.

    - the folder must exist (or ``create_folder``); a missing file is created when ``create``;
    - a file that fails ``PRAGMA quick_check`` is moved aside and ``JournalCorrupt`` is raised
      (``verify=False`` skips the check: the window runs it on a worker while it opens, since it
      reads the whole file, and calls ``handle_damage`` if it fails);
    - a journal open elsewhere raises ``JournalLocked`` (open read-only instead);
    - an older schema is backed up (verified) and migrated, step by step.

    ``lock``: the journal's lock, already held (the start-up's first look took it); it is released
    if the opening fails.
    """
    path = Path(path).expanduser().resolve()
    try:
        return _open(path, read_only, create, create_folder, verify, lock)
    except BaseException:
        if lock is not None:
            lock.release()
        raise


def _open(path: Path, read_only: bool, create: bool, create_folder: bool, verify: bool,
          lock: JournalLock | None) -> Store:
    _check_folder(path, create_folder)
    exists = path.exists()
    if not exists and (read_only or not create):
        raise JournalError(f"There is no journal at {path}.")
    if exists:
        if path.is_dir():
            raise JournalError(f"{path} is a folder, not a journal file.")
        if not os.access(path, os.R_OK):
            raise JournalReadOnly(f"{path} cannot be read (permission denied).")
    if not read_only and (not os.access(path.parent, os.W_OK)
                          or (exists and not os.access(path, os.W_OK))):
        raise JournalReadOnly(
            f"{path} is in a folder Eyelights cannot write to. Open it read-only, or move it.")
    if read_only and exists and unreadable_changes(path):
        raise JournalReadOnly(
            f"{path.name} has changes still waiting in {path.name}-wal, which cannot be read "
            "where nothing can be written. Open it once in a folder you can write to (copy "
            "both files there).")

    # The writer's lock is taken before the file is judged: only its holder may move it aside.
    if lock is None and not read_only:
        lock = JournalLock(path)
        lock.acquire()
    try:
        if exists:
            problem = header_problem(path)
            if problem == "ok" and verify:
                problem = quick_check(path)
            if problem != "ok":
                handle_damage(path, problem, lock=lock, read_only=read_only)
        else:
            _create(path)
        store = _connect(path, read_only, lock)
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    if not read_only:
        backups.sweep_leftovers(path)  # what killed processes left: this one holds the lock
    return store


SQLITE_MAGIC = b"SQLite format 3\x00"


def creating_path(path: Path) -> Path:
    """Where a new journal is built before it takes its name (``_create``)."""
    return path.with_name(f".{path.name}.{os.getpid()}{backups.CREATING}")


def _create(path: Path) -> None:
    """Build a new journal under a temporary name, whole (schema migrated, log checkpointed),
    then rename it into place: a process killed while creating a journal leaves no 0-byte or
    half-migrated file at the journal's name (that would be taken for damage), only a hidden
    ``.NAME.PID.creating`` file that the next writer sweeps."""
    tmp = creating_path(path)
    backups.remove_database_files(tmp)
    db = SqliteDatabase(str(tmp), pragmas=PRAGMAS)
    try:
        with translate_errors(path):
            db.connect()
            store = Store(path=tmp, db=db, read_only=False, lock=None)
            _migrate(store, 0)
            db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    except BaseException:
        db.close()
        backups.remove_database_files(tmp)
        raise
    db.close()
    os.replace(tmp, path)
    backups.remove_database_files(tmp)  # a -wal/-shm SQLite may have left beside the old name


def header_problem(path: Path) -> str:
    """"ok", or why the file where a journal is expected cannot be one (cheap: reads 100 bytes).

    A 0-byte file is damage, not a new journal: SQLite would take it for an empty database and
    Eyelights would migrate it into a new, empty journal (and its periodic backup would start
    rotating the good backups away). A ``-wal`` beside it changes nothing: SQLite reads no log
    of a 0-byte database (it opens it empty and deletes the log), so it is moved aside with the
    file, where it can still be looked at.
    """
    try:
        with open(path, "rb") as fh:
            head = fh.read(100)
    except OSError as exc:
        return f"it cannot be read ({exc.strerror})"
    if not head:
        return "the file is empty (0 bytes)"
    if not head.startswith(SQLITE_MAGIC):
        return "it is not an SQLite database: it does not start with SQLite's header"
    return "ok"


def _offer(path: Path, good: Path | None) -> str:
    if good is None:
        return ("no good backup was found." if backups.list_backups(path)
                else "no backup was found.")
    return (f"the newest good backup is {good} ({backups.describe_backup(good)}); restore it "
            f"with: eyelights import backup \"{good}\"")


def handle_damage(path: Path, problem: str, *, lock: JournalLock | None = None,
                  read_only: bool = False) -> None:
    """A damaged (closed) journal: move it aside and raise ``JournalCorrupt`` naming the newest
    good backup.

    Only the holder of the journal's writer lock moves it: ``lock`` when the caller holds it,
    else it is taken here for the move. A read-only opening (``check``, ``list``, ``search``)
    or a journal another Eyelights holds moves nothing and says so."""
    good = backups.newest_good_backup(path)
    offer = _offer(path, good)
    newest = str(good) if good else None
    own = None
    if lock is None and not read_only:
        own = JournalLock(path)
        try:
            own.acquire()
        except JournalLocked:
            raise JournalCorrupt(f"{path.name} is damaged ({problem}). Another Eyelights has it "
                                 f"open, so it was left in place; {offer}",
                                 newest_backup=newest) from None
    try:
        if read_only:
            raise JournalCorrupt(f"{path.name} is damaged ({problem}). It was left in place "
                                 "(this only reads; open the journal normally to set it aside); "
                                 f"{offer}", newest_backup=newest)
        try:
            moved = backups.move_aside(path, "corrupt")
        except OSError as exc:
            raise JournalCorrupt(f"{path.name} is damaged ({problem}) and could not be moved "
                                 f"aside ({exc.strerror}); {offer}",
                                 newest_backup=newest) from None
        raise JournalCorrupt(f"{path.name} is damaged ({problem}). It was moved aside to "
                             f"{moved.name}; {offer}", moved_to=str(moved), newest_backup=newest)
    finally:
        if own is not None:
            own.release()


def _connect(path: Path, read_only: bool, lock: JournalLock | None) -> Store:
    if read_only:
        db = SqliteDatabase(read_only_uri(path), uri=True,
                            pragmas={"foreign_keys": 1, "busy_timeout": 5000})
    else:
        db = SqliteDatabase(str(path), pragmas=PRAGMAS)
    try:
        with translate_errors(path):
            db.connect(reuse_if_open=True)
            store = Store(path=path, db=db, read_only=read_only, lock=lock)
            version = store.schema_version()
    except (sqlite3.DatabaseError, DatabaseError) as exc:
        db.close()
        text = str(exc)
        if sqlite_errors.kind(exc) == sqlite_errors.CORRUPT:
            # found while opening (without a prior quick_check): moved aside under the lock
            handle_damage(path, text, lock=lock, read_only=read_only)
        raise JournalError(f"{path.name} cannot be opened: {text}.") from None
    if version > CURRENT_VERSION:
        db.close()
        raise MigrationError(
            f"{path.name} was written by a newer Eyelights (schema {version}); "
            "update Eyelights to open it.")
    if version < CURRENT_VERSION:
        if read_only:
            db.close()
            raise JournalReadOnly(f"{path.name} needs an upgrade, which a read-only journal "
                                  "cannot have. Open it normally once.")
        _migrate(store, version)
    return store


def _foreign_key_problems(db: SqliteDatabase) -> int:
    return len(db.execute_sql("PRAGMA foreign_key_check").fetchall())


def _migrate(store: Store, version: int) -> None:
    """Run the steps after ``version``, each in its own transaction with foreign keys off.

    Off, because a step that rebuilds a table (SQLite's way to change a column) drops the old
    one, and with foreign keys on that drop deletes every row that refers to it through an
    ON DELETE CASCADE (a review's comments, tags and revisions). SQLite's documented procedure:
    foreign keys off outside the transaction, ``foreign_key_check`` before commit, back on."""
    if version > 0:
        store.pre_migration_backup = backups.make_backup(
            store.path, f"pre-migration-v{version}", connection=store.db.connection())
        store.migrated_from = version
    store.db.execute_sql("PRAGMA foreign_keys = OFF")  # a no-op inside a transaction
    try:
        _run_steps(store, version)
    finally:
        if not store.db.is_closed():
            store.db.execute_sql("PRAGMA foreign_keys = ON")


def _run_steps(store: Store, version: int) -> None:
    for target, description, step in MIGRATIONS:
        if target <= version:
            continue
        log.info("migrating %s to schema %d (%s)", store.path, target, description)
        try:
            with translate_errors(store.path), store.db.atomic("IMMEDIATE"):
                broken_before = _foreign_key_problems(store.db)
                step(store.db)
                broken = _foreign_key_problems(store.db)
                if broken > broken_before:
                    raise MigrationError(f"{broken - broken_before} references would break")
                store.db.execute_sql(f"PRAGMA user_version = {int(target)}")
        except (DiskFull, JournalLocked):
            store.db.close()  # its log, as long as what failed to fit, goes with it
            raise
        except Exception as exc:
            store.db.close()
            raise MigrationError(
                f"Upgrading {store.path.name} to schema {target} ({description}) failed: {exc}. "
                "The journal was left unchanged at that step"
                + (f"; a backup is at {store.pre_migration_backup}." if store.pre_migration_backup
                   else ".")) from exc
