"""Write files so that a failed export leaves nothing behind: temp file in the target folder,
then ``os.replace``. Also checks target names and folders before any work is done."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from journal.core.export.errors import ExportError
from journal.errors import DiskFull
from journal.store.backup import pid_alive

#: Characters no file name may hold here; Windows refuses a few more, and some names.
_BAD_NAME_CHARS = {"\x00", "/"} | {chr(c) for c in range(32)}
_WINDOWS_BAD_CHARS = set('\\:*?"<>|')
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
             *(f"lpt{i}" for i in range(1, 10))}
MAX_NAME_BYTES = 255


def check_name(name: str, windows: bool = os.name == "nt") -> None:
    """Refuse file names this system cannot write (control characters, too long…)."""
    if not name or name in (".", ".."):
        raise ExportError("Give a file name for the export.")
    bad_chars = _BAD_NAME_CHARS | (_WINDOWS_BAD_CHARS if windows else set())
    bad = sorted({c for c in name if c in bad_chars})
    if bad:
        shown = " ".join(repr(c)[1:-1] for c in bad)
        raise ExportError(f"The file name {name!r} holds characters that cannot be used in "
                          f"a file name ({shown}).")
    if windows and name.endswith((" ", ".")):
        raise ExportError(f"The file name “{name}” ends with a space or a dot.")
    if windows and name.split(".")[0].lower() in _RESERVED:
        raise ExportError(f"“{name}” is a reserved device name on Windows; choose another.")
    if len(name.encode("utf-8", "surrogateescape")) > MAX_NAME_BYTES:
        raise ExportError("The file name is too long (over 255 bytes).")


def safe_filename(title: str, suffix: str, limit: int = 120) -> str:
    """A file name for ``title`` that every common system accepts ("Her: a love story" →
    "Her - a love story.pdf")."""
    title = title.replace(": ", " - ")
    name = "".join(" " if c in _BAD_NAME_CHARS else "-" if c in _WINDOWS_BAD_CHARS else c
                   for c in title)
    name = " ".join(name.split()).strip(" .") or "review"
    while len(name.encode("utf-8")) > limit:
        name = name[:-1]
    if name.split(".")[0].lower() in _RESERVED:
        name = f"{name} review"
    return f"{name}.{suffix.lstrip('.')}"


def check_target(path: Path | str) -> Path:
    """The absolute target path, after checking its name and that its folder is writable."""
    target = Path(path).expanduser()
    check_name(target.name)
    target = target.absolute()
    if target.is_dir():
        raise ExportError(f"{target} is a folder; give a file name.")
    folder = target.parent
    if not folder.exists():
        raise ExportError(f"The folder {folder} does not exist.")
    if not folder.is_dir():
        raise ExportError(f"{folder} is not a folder.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ExportError(f"The folder {folder} cannot be written (permission denied).")
    return target


def check_folder(folder: Path | str, what: str) -> Path:
    """The absolute folder an export writes ``what`` into ("the reviews"), made if its parent
    exists, after checking its name and that it can be written."""
    target = Path(folder).expanduser().absolute()
    check_name(target.name)
    if target.exists() and not target.is_dir():
        raise ExportError(f"{target} is a file; give a folder for {what}.")
    if not target.exists():
        if not target.parent.is_dir():
            raise ExportError(f"The folder {target.parent} does not exist.")
        try:
            target.mkdir()
        except OSError as exc:
            raise ExportError(f"The folder {target} cannot be created ({exc.strerror}).") \
                from None
    if not os.access(target, os.W_OK | os.X_OK):
        raise ExportError(f"The folder {target} cannot be written (permission denied).")
    return target


def _os_error(exc: OSError, target: Path) -> Exception:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFull(f"The disk is full: {target.name} could not be written.")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return ExportError(f"{target} cannot be written (permission denied).")
    if exc.errno == errno.ENAMETOOLONG:
        return ExportError(f"The file name {target.name} is too long.")
    return ExportError(f"{target} could not be written: {exc.strerror or exc}.")


PART = ".part"


def sweep_parts(folder: Path) -> list[Path]:
    """Remove the hidden ``.NAME.PID.part`` files that killed exports left in ``folder`` (only
    where ``O_TMPFILE`` is not available, or in the instant between naming and renaming)."""
    removed: list[Path] = []
    try:
        candidates = list(folder.glob(f".*{PART}"))
    except OSError:
        return removed
    for path in candidates:
        pid = path.name[:-len(PART)].rsplit(".", 1)[-1]
        if pid.isdigit() and not pid_alive(int(pid)):
            try:
                path.unlink()
                removed.append(path)
            except OSError:
                pass
    return removed


def _part_name(target: Path) -> Path:
    return target.with_name(f".{target.name[:40]}.{os.getpid()}{PART}")


def _anonymous(folder: Path) -> int | None:
    """An unnamed file in ``folder`` (Linux's ``O_TMPFILE``): it vanishes with the process,
    even a killed one. None where the file system cannot make one."""
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag or not Path("/proc/self/fd").is_dir():
        return None
    try:
        return os.open(folder, flag | os.O_RDWR, 0o666)
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise
        return None  # EOPNOTSUPP, EISDIR (old kernels), EINVAL…


def _link_anonymous(fd: int, named: Path) -> None:
    """Give the unnamed file ``fd`` the name ``named`` (linkat with AT_SYMLINK_FOLLOW through
    /proc: Python's plain ``os.link`` would call link(), which refuses a /proc link)."""
    folder = os.open("/proc/self/fd", os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.link(str(fd), named, src_dir_fd=folder, follow_symlinks=True)
    finally:
        os.close(folder)


@contextmanager
def atomic_path(path: Path | str) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path``, else it is gone.

    For writers that want a file name (Qt's PDF writer, zipfile…). On Linux the temporary file
    has no name until it is complete (``O_TMPFILE``, reached as ``/proc/self/fd/N``), so a
    killed export leaves nothing behind; elsewhere it is a hidden ``.NAME.PID.part`` file,
    swept by the next export into that folder once its process is gone. The file gets the
    user's umask (0644 for most), like any file the user saves.
    """
    target = check_target(path)
    sweep_parts(target.parent)
    try:
        fd = _anonymous(target.parent)
        if fd is None:
            named = _part_name(target)
            named.unlink(missing_ok=True)
            os.close(os.open(named, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    except OSError as exc:
        raise _os_error(exc, target) from exc
    if fd is not None:
        try:
            yield Path(f"/proc/self/fd/{fd}")
            named = _part_name(target)
            named.unlink(missing_ok=True)
            _link_anonymous(fd, named)
            try:
                os.replace(named, target)
            except BaseException:
                named.unlink(missing_ok=True)
                raise
        except OSError as exc:
            raise _os_error(exc, target) from exc
        finally:
            os.close(fd)
        return
    try:
        yield named
        os.replace(named, target)
    except OSError as exc:
        named.unlink(missing_ok=True)
        raise _os_error(exc, target) from exc
    except BaseException:
        named.unlink(missing_ok=True)
        raise


def atomic_write(path: Path | str, writer: Callable[[IO[bytes]], None]) -> Path:
    """Call ``writer(binary_file)`` on a temp file, fsync it, then rename it onto ``path``."""
    target = check_target(path)
    with atomic_path(target) as tmp:
        try:
            with open(tmp, "wb") as handle:
                writer(handle)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:
            raise _os_error(exc, target) from exc
    return target


def write_text(path: Path | str, text: str) -> Path:
    """Write UTF-8 text atomically."""
    data = text.encode("utf-8")

    def write(handle: IO[bytes]) -> None:
        handle.write(data)

    return atomic_write(path, write)
