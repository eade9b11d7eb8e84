"""The Journal: one open journal file and the services that read and write it.

The UI, the CLI and the tests all go through this object; nothing else writes to the store.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from journal.core.events import ChangeEvents
from journal.errors import BackupError
from journal.store import backup as backups
from journal.store.connection import Store, open_store
from journal.store.lock import JournalLock


class Journal:
    def __init__(self, store: Store) -> None:
        from journal.core.catalogue import FilmService, PersonService
        from journal.core.diary import ViewingService, WatchlistService
        from journal.core.reviews import ReviewService
        from journal.core.trash import TrashService

        self.store = store
        #: This journal's model classes: ``journal.models.Film.select()`` reads this journal only.
        self.models = store.models
        self.events = ChangeEvents()
        self.films = FilmService(self)
        self.people = PersonService(self)
        self.viewings = ViewingService(self)
        self.watchlist = WatchlistService(self)
        self.reviews = ReviewService(self)
        self.trash = TrashService(self)

    # ------------------------------------------------------------------ lifecycle
    @classmethod
    def open(cls, path: Path | str, *, read_only: bool = False, create: bool = True,
             create_folder: bool = False, verify: bool = True,
             lock: JournalLock | None = None) -> Journal:
        return cls(open_store(path, read_only=read_only, create=create,
                              create_folder=create_folder, verify=verify, lock=lock))

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def path(self) -> Path:
        return self.store.path

    @property
    def read_only(self) -> bool:
        return self.store.read_only

    @contextmanager
    def write(self) -> Iterator[None]:
        """One transaction through the single writer; nested calls join the outer one."""
        with self.store.writing():
            yield

    def release_thread_connection(self) -> None:
        """Close the calling worker thread's connection to this journal: peewee keeps one per
        thread, opened on the thread's first query. A worker calls this when its work ends so
        the connection does not outlive it; on the main thread, or inside a transaction, it
        does nothing."""
        db = self.store.db
        if (threading.current_thread() is not threading.main_thread() and not db.is_closed()
                and not db.in_transaction()):
            db.close()

    # ------------------------------------------------------------------ maintenance
    def check(self) -> tuple[bool, str]:
        ok, first = self.store.integrity_check()
        if not ok:
            return False, f"{self.path.name} is damaged: {first}"
        fk = self.store.db.execute_sql("PRAGMA foreign_key_check").fetchall()
        if fk:
            return False, f"{self.path.name} has {len(fk)} broken references"
        return True, f"{self.path.name} is healthy (schema {self.store.schema_version()})"

    def backup(self, reason: str = "manual", target: Path | None = None) -> Path:
        """A verified backup made with SQLite's backup API from this open connection."""
        if self.store.db.connection().in_transaction:  # SQLite would answer "locked" for ever
            raise BackupError("A backup cannot be made in the middle of a change to the journal; "
                              "make it before or after.")
        with self.store.write_lock:  # no write may be half-way while the pages are copied
            return backups.make_backup(self.path, reason, target=target,
                                       connection=self.store.db.connection())

    def rotate_backups(self, now: dt.datetime | None = None) -> Path | None:
        """Take the periodic backup if one is due, then prune old ones; return the new file."""
        if self.read_only:
            return None
        made = None
        if backups.backup_due(self.path, now):
            made = self.backup("periodic")
        backups.rotate_backups(self.path, now)
        return made

    def is_empty(self) -> bool:
        m = self.models
        return not m.Film.select().exists() and not m.Review.select().exists()

    def file_size(self) -> int:
        return os.path.getsize(self.path) if self.path.exists() else 0
