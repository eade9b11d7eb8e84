"""Verified backups made with SQLite's online backup API, and their rotation.

A backup is written to a temporary file, checked with ``PRAGMA integrity_check`` and only then
renamed into place, so a backup on disk is always a good one. Never a file copy of a live journal.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from journal.errors import BackupError, DiskFull
from journal.store import sqlite_errors
from journal.store.uri import read_only_uri

STAMP = "%Y%m%d-%H%M%S"
_NAME_RE = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})(?:-(?P<reason>[a-z0-9-]+))?\.db$")
ROTATE_AFTER = dt.timedelta(hours=12)


def backup_dir_for(journal_path: Path) -> Path:
    return journal_path.with_name(journal_path.stem + "-backups")


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken_at: dt.datetime
    reason: str

    @classmethod
    def from_path(cls, path: Path) -> BackupFile | None:
        m = _NAME_RE.match(path.name)
        if not m:
            return None
        return cls(path, dt.datetime.strptime(m["stamp"], STAMP), m["reason"] or "")


def integrity_ok(path: Path) -> tuple[bool, str]:
    """Run a full integrity check on a closed database file; (ok, first problem)."""
    try:
        con = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            rows = con.execute("PRAGMA integrity_check").fetchall()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        return False, str(exc)
    first = rows[0][0] if rows else "no answer"
    return first == "ok", first


PARTIAL = ".partial"
CREATING = ".creating"  # a new journal being built (store.connection._create)


def partial_path(target: Path) -> Path:
    """Where a copy is written before it is verified and renamed: named after this process, so
    that a copy left by a killed process is told apart from one being written (``sweep``)."""
    return target.with_name(f"{target.name}.{os.getpid()}{PARTIAL}")


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` is running (the leftovers of killed processes are swept)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: someone else's process, alive
        return True
    return True


def sweep_partials(folder: Path) -> list[Path]:
    """Remove the ``*.partial`` backup copies and ``*.creating`` new journals (with their
    SQLite side files) that killed processes left in ``folder``: those named after a process
    that no longer runs, and the unnamed copies of older versions. Only the holder of the
    journal's writer lock calls this for the journal's folders."""
    removed: list[Path] = []
    try:
        candidates = [p for p in folder.glob("*")
                      if p.name.endswith(tuple(f"{kind}{side}" for kind in (PARTIAL, CREATING)
                                               for side in ("", "-journal", "-wal", "-shm")))]
    except OSError:
        return removed
    for path in candidates:
        kind = PARTIAL if PARTIAL in path.name else CREATING
        stem = path.name[:path.name.rindex(kind)]
        pid_text = stem.rsplit(".", 1)[-1] if "." in stem else ""
        if pid_text.isdigit() and pid_alive(int(pid_text)):
            continue
        try:
            path.unlink()
            removed.append(path)
        except OSError:
            pass
    return removed


def sweep_leftovers(journal_path: Path) -> list[Path]:
    """What killed processes left around a journal, removed by the writer lock's holder when
    it opens the journal: partial backup copies (in the backups folder and beside the journal)
    whose process is gone, and import spools of older versions (named files in the temporary
    folder, a day old; spools have no name now)."""
    removed = sweep_partials(backup_dir_for(journal_path)) + sweep_partials(journal_path.parent)
    import tempfile
    import time

    try:
        spools = list(Path(tempfile.gettempdir()).glob("eyelights-import-*.spool"))
    except OSError:
        spools = []
    for spool in spools:
        try:
            if time.time() - spool.stat().st_mtime > 24 * 3600:
                spool.unlink()
                removed.append(spool)
        except OSError:
            pass
    return removed


def copy_database(source: Path | sqlite3.Connection, target: Path) -> None:
    """Copy a database with the backup API into ``target`` (written via a temp file, verified)."""
    tmp = partial_path(target)
    _remove_copy(tmp)
    src = sqlite3.connect(read_only_uri(source), uri=True) if isinstance(source, Path) else source
    try:
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst, pages=1024)
            dst.execute("PRAGMA journal_mode=DELETE")  # a backup is one self-contained file
        finally:
            dst.close()
    except sqlite3.DatabaseError as exc:
        _remove_copy(tmp)
        if sqlite_errors.kind(exc) == sqlite_errors.FULL:
            raise DiskFull(_no_room(target, source)) from None
        raise BackupError(f"The backup {target.name} could not be made: {exc}.") from None
    finally:  # (sqlite3 reports a full disk as SQLITE_FULL above, never as an OSError)
        if isinstance(source, Path):
            src.close()
    ok, problem = integrity_ok(tmp)
    if not ok:
        _remove_copy(tmp)
        raise BackupError(f"The backup {target.name} failed its integrity check ({problem}).")
    os.replace(tmp, target)


def remove_database_files(tmp: Path) -> None:
    """A database file and the files SQLite keeps beside it (-journal, -wal, -shm)."""
    for suffix in ("", "-journal", "-wal", "-shm"):
        try:
            tmp.with_name(tmp.name + suffix).unlink(missing_ok=True)
        except OSError:
            pass


_remove_copy = remove_database_files


def _no_room(target: Path, source: Path | sqlite3.Connection) -> str:
    from journal.store.diskspace import disk_full_message

    needed = None
    try:
        if isinstance(source, Path):
            needed = source.stat().st_size
        else:
            page_size = source.execute("PRAGMA page_size").fetchone()[0]
            needed = int(source.execute("PRAGMA page_count").fetchone()[0]) * int(page_size)
    except (OSError, sqlite3.Error):
        pass
    return disk_full_message(target.parent, f"the backup {target.name}", needed)


def make_backup(journal_path: Path, reason: str = "manual", *, target: Path | None = None,
                connection: sqlite3.Connection | None = None,
                when: dt.datetime | None = None) -> Path:
    """Back up the journal into its backups folder (or ``target``) and return the file made."""
    if target is None:
        folder = backup_dir_for(journal_path)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise BackupError(f"Cannot create the backups folder {folder}: {exc.strerror}.") from None
        stamp = (when or dt.datetime.now()).strftime(STAMP)
        safe_reason = re.sub(r"[^a-z0-9-]+", "-", reason.lower()).strip("-") or "manual"
        target = folder / f"{journal_path.stem}-{stamp}-{safe_reason}.db"
        n = 1
        while target.exists():
            n += 1
            target = folder / f"{journal_path.stem}-{stamp}-{safe_reason}-{n}.db"
    copy_database(connection if connection is not None else journal_path, target)
    return target


def list_backups(journal_path: Path) -> list[BackupFile]:
    """The journal's backups, newest first."""
    folder = backup_dir_for(journal_path)
    if not folder.is_dir():
        return []
    found = [b for p in folder.glob("*.db") if (b := BackupFile.from_path(p)) is not None]
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def records_in(path: Path) -> int | None:
    """How many films and reviews a backup (or journal) file holds; None if it cannot be read.
    Cheap: two indexed counts on a read-only connection."""
    try:
        con = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            return sum(int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
                       for table in ("film", "review"))
        finally:
            con.close()
    except sqlite3.DatabaseError:
        return None


def describe_backup(path: Path) -> str:
    """"taken 2026-11-25 14:02, 120 films and reviews" for a message offering it."""
    parsed = BackupFile.from_path(path)
    when = f"taken {parsed.taken_at:%Y-%m-%d %H:%M}" if parsed else path.name
    count = records_in(path)
    return when if count is None else f"{when}, {count} films and reviews"


def newest_good_backup(journal_path: Path) -> Path | None:
    """The newest backup that passes its integrity check and holds films or reviews (an empty
    one is offered only when there is nothing else)."""
    empty = None
    for backup in list_backups(journal_path):
        if not integrity_ok(backup.path)[0]:
            continue
        if records_in(backup.path):
            return backup.path
        empty = empty or backup.path
    return empty


def select_to_keep(backups: list[BackupFile], now: dt.datetime, *, recent: int = 3,
                   daily: int = 7, weekly: int = 4,
                   holds_records: set[Path] | None = None) -> set[Path]:
    """Rotation policy: the newest ``recent``, the newest of each of the last ``daily`` days and of
    each of the last ``weekly`` ISO weeks. Backups taken before a migration are always kept.

    ``holds_records``: the backups that hold films or reviews. The newest ``recent`` of them are
    always kept, so backups of an empty journal (a journal emptied by a failed copy, a sync
    tool…) can never push the good ones out."""
    ordered = sorted(backups, key=lambda b: b.taken_at, reverse=True)
    keep = {b.path for b in ordered[:recent]}
    if holds_records is not None:
        keep |= {b.path for b in [b for b in ordered if b.path in holds_records][:recent]}
    keep |= {b.path for b in ordered if b.reason.startswith("pre-migration")}
    seen_days: set[dt.date] = set()
    seen_weeks: set[tuple[int, int]] = set()
    for b in ordered:
        day = b.taken_at.date()
        if (now.date() - day).days < daily and day not in seen_days:
            seen_days.add(day)
            keep.add(b.path)
        week = b.taken_at.isocalendar()[:2]
        if (now.date() - day).days < weekly * 7 and week not in seen_weeks:
            seen_weeks.add(week)
            keep.add(b.path)
    return keep


def rotate_backups(journal_path: Path, now: dt.datetime | None = None) -> list[Path]:
    """Delete the backups the policy does not keep; return what was removed."""
    now = now or dt.datetime.now()
    backups = list_backups(journal_path)
    full = {b.path for b in backups if records_in(b.path) != 0}  # unreadable counts as full
    keep = select_to_keep(backups, now, holds_records=full)
    removed = []
    for b in backups:
        if b.path not in keep:
            b.path.unlink(missing_ok=True)
            removed.append(b.path)
    return removed


def backup_due(journal_path: Path, now: dt.datetime | None = None) -> bool:
    backups = list_backups(journal_path)
    return not backups or (now or dt.datetime.now()) - backups[0].taken_at > ROTATE_AFTER


def restore_backup(backup: Path, journal_path: Path) -> Path | None:
    """Replace the journal by a verified backup. The current file (if any) is moved aside, never
    deleted; its new name is returned. The journal must be closed."""
    ok, problem = integrity_ok(backup)
    if not ok:
        raise BackupError(f"The backup {backup.name} is damaged ({problem}); choose another.")
    moved = None
    if journal_path.exists():
        moved = move_aside(journal_path, "replaced")
    sweep_partials(journal_path.parent)
    copy_database(backup, journal_path)
    return moved


def move_aside(journal_path: Path, label: str) -> Path:
    """Rename a journal file (and its -wal/-shm companions) out of the way; return the new path."""
    stamp = dt.datetime.now().strftime(STAMP)
    target = journal_path.with_name(f"{journal_path.stem}.{label}-{stamp}{journal_path.suffix}")
    n = 1
    while target.exists():
        n += 1
        target = journal_path.with_name(
            f"{journal_path.stem}.{label}-{stamp}-{n}{journal_path.suffix}")
    os.replace(journal_path, target)
    for suffix in ("-wal", "-shm"):
        side = journal_path.with_name(journal_path.name + suffix)
        if side.exists():
            os.replace(side, target.with_name(target.name + suffix))
    return target
