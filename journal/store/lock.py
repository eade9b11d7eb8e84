"""One writer per journal: an exclusive lock on a file beside it, held while the journal is open."""

from __future__ import annotations

import os
import platform
from pathlib import Path

from journal.errors import JournalLocked, JournalReadOnly

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]
    import msvcrt


def _host() -> str:
    return platform.node()  # os.uname().nodename on POSIX; Windows has no os.uname


def lock_path_for(journal_path: Path) -> Path:
    return journal_path.with_name(journal_path.name + ".lock")


class JournalLock:
    """An advisory, process-wide exclusive lock. The OS releases it if the process dies."""

    def __init__(self, journal_path: Path) -> None:
        self.path = lock_path_for(journal_path)
        self._fd: int | None = None

    def acquire(self) -> None:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except PermissionError:
            raise JournalReadOnly(
                f"Cannot write in {self.path.parent}: the journal can only be opened read-only."
            ) from None
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            else:  # pragma: no cover
                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # pragma: no mutate (Windows only)
        except OSError:
            holder = self._read_holder(fd)
            os.close(fd)
            raise JournalLocked(
                f"The journal {self.path.name.removesuffix('.lock')} is already open in another "
                f"Eyelights{holder}. Close it there, or open this one read-only."
            ) from None
        self._fd = fd
        try:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()} {_host()}\n".encode())  # who holds it, for the message
        except OSError:  # disk full: the lock holds all the same, without its holder's name
            pass

    @staticmethod
    def _read_holder(fd: int) -> str:
        try:
            pid, host = os.pread(fd, 200, 0).decode().split()
        except (OSError, ValueError):  # unreadable, or written by an older Eyelights
            return ""
        return f" (process {pid} on {host})"

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            if fcntl is not None:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
        finally:
            # The file stays: unlinking it would let two processes lock two different files.
            self._fd = None

    def held_elsewhere(self) -> bool:
        """Whether another process holds this journal's lock now (this one takes nothing)."""
        if fcntl is None:  # pragma: no cover - Windows: only acquire() can tell
            return False
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except OSError:  # no lock file: nobody ever opened it for writing
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            return True
        finally:
            os.close(fd)  # closing drops the shared lock we may have taken
        return False

    @property
    def held(self) -> bool:
        return self._fd is not None
