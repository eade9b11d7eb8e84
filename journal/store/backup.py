"""Verified backups made with SQLite's online backup API, and their rotation.

A backup is written to a temporary file, checked with ``PRAGMA integrity_check`` and only then
renamed into place, so a backup on disk is always a good one. Never a file copy of a live journal.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from journal.errors import BackupError, DiskFull
from journal.store import sqlite_errors

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
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = con.execute("PRAGMA integrity_check").fetchall()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        return False, str(exc)
    first = rows[0][0] if rows else "no answer"
    return first == "ok", first


def copy_database(source: Path | sqlite3.Connection, target: Path) -> None:
    """Copy a database with the backup API into ``target`` (written via a temp file, verified)."""
    tmp = target.with_name(target.name + ".partial")
    tmp.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True) if isinstance(source, Path) else source
    try:
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst, pages=1024)
            dst.execute("PRAGMA journal_mode=DELETE")  # a backup is one self-contained file
        finally:
            dst.close()
    except sqlite3.DatabaseError as exc:
        tmp.unlink(missing_ok=True)
        if sqlite_errors.kind(exc) == sqlite_errors.FULL:
            raise DiskFull(f"No space left to write the backup {target.name}.") from None
        raise BackupError(f"The backup {target.name} could not be made: {exc}.") from None
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        if exc.errno == errno.ENOSPC:
            raise DiskFull(f"No space left to write the backup {target.name}.") from None
        raise BackupError(f"The backup {target.name} could not be written: {exc.strerror}.") from None
    finally:
        if isinstance(source, Path):
            src.close()
    ok, problem = integrity_ok(tmp)
    if not ok:
        tmp.unlink(missing_ok=True)
        raise BackupError(f"The backup {target.name} failed its integrity check ({problem}).")
    os.replace(tmp, target)


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


def newest_good_backup(journal_path: Path) -> Path | None:
    for backup in list_backups(journal_path):
        if integrity_ok(backup.path)[0]:
            return backup.path
    return None


def select_to_keep(backups: list[BackupFile], now: dt.datetime, *, recent: int = 3,
                   daily: int = 7, weekly: int = 4) -> set[Path]:
    """Rotation policy: the newest ``recent``, the newest of each of the last ``daily`` days and of
    each of the last ``weekly`` ISO weeks. Backups taken before a migration are always kept."""
    ordered = sorted(backups, key=lambda b: b.taken_at, reverse=True)
    keep = {b.path for b in ordered[:recent]}
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
    keep = select_to_keep(backups, now)
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
