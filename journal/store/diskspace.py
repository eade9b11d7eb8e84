"""Words for a full disk: which disk (its mount point), how much is free, how much was needed."""

from __future__ import annotations

import os
from pathlib import Path


def mount_point(path: Path) -> Path:
    """The mount point of the file system holding ``path`` (or its nearest existing parent:
    a path that does not exist is no mount point, so the walk up passes it)."""
    current = Path(os.path.abspath(path))
    while not os.path.ismount(current) and current != current.parent:
        current = current.parent
    return current


def free_bytes(path: Path) -> int | None:
    """Bytes this user may still write on the disk holding ``path``; None if unknown."""
    try:
        st = os.statvfs(mount_point(path))
    except (OSError, AttributeError):  # AttributeError: no statvfs (Windows)
        return None
    return st.f_bavail * st.f_frsize


def human(size: int) -> str:
    """1536 → "1.5 KB"; 3_500_000 → "3.3 MB"."""
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{int(value)} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} TB"  # pragma: no cover - unreachable


def disk_full_message(folder: Path, what: str, needed: int | None = None, *,
                      at_least: bool = False) -> str:
    """"The disk holding /data (mounted at /data) is full: 12 KB free, … needed about 3.1 MB."

    ``what`` names what could not be written ("the backup x.db", "the import's records");
    ``needed`` is how much it needed in bytes, when known (``at_least``: a lower bound, what it
    had written when the disk filled)."""
    mount = mount_point(folder)
    free = free_bytes(folder)
    where = f"{folder}" if Path(folder) == mount else f"{folder} (on the disk mounted at {mount})"
    text = f"The disk holding {where} is full"
    text += f": {human(free)} free" if free is not None else ""
    if needed and at_least:
        text += (f"; {what} needed more than the {human(needed)} it had written when the disk "
                 f"filled: free at least {human(needed)}")
    elif needed:
        text += f"; {what} needed about {human(needed)}"
        if free is not None and needed > free:
            text += f", so free at least {human(needed - free)}"
    else:
        text += f"; {what} could not be written"
    return text + ". Nothing was changed."
