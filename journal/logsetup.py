"""Logging: warnings and bugs (with tracebacks) go to a log file, rotated at start-up.

The file is rotated when a session starts (over 1 MB: ``eyelights.log`` → ``.1`` … ``.3``) rather
than while writing, and opened on the first record: the common session logs nothing, and start-up
does not pay for :mod:`logging.handlers`.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from journal.paths import log_dir

MAX_BYTES = 1_000_000
BACKUP_COUNT = 3

_configured = False


def log_file() -> Path:
    return log_dir() / "eyelights.log"


def rotate(path: Path, max_bytes: int = MAX_BYTES, keep: int = BACKUP_COUNT) -> None:
    """Shift ``path`` to ``path.1`` (and older ones along) when it has grown over ``max_bytes``."""
    try:
        if path.stat().st_size <= max_bytes:
            return
    except OSError:
        return
    for n in range(keep - 1, 0, -1):
        older = path.with_name(f"{path.name}.{n}")
        if older.exists():
            os.replace(older, path.with_name(f"{path.name}.{n + 1}"))
    os.replace(path, path.with_name(f"{path.name}.1"))


def setup_logging(level: int = logging.INFO) -> None:
    global _configured
    if _configured:
        return
    _configured = True
    root = logging.getLogger("journal")
    root.setLevel(level)
    try:
        log_dir().mkdir(parents=True, exist_ok=True)
        rotate(log_file())
        handler: logging.Handler = logging.FileHandler(log_file(), encoding="utf-8", delay=True)
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
