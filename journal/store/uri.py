"""How every read-only SQLite connection names its file: one rule, used by the store, the first
look, search, backups and the backup reader.

- The path is written as a ``file:`` URI with its characters percent-encoded. Pasted into the URI
  as it is, a ``#`` or ``?`` in a folder's or a journal's name cut the path short: SQLite opened
  (and created) another, empty file, so a read-only journal looked empty and restoring a backup
  copied an empty database over the journal.
- A WAL journal read where nobody can write (a folder closed to this user, read-only media) and
  with no ``-shm`` beside it is opened ``immutable``: SQLite would otherwise need to create the
  ``-shm`` and refuse to open it at all. No writer can have it open (a writer keeps its ``-shm``),
  so the file cannot change under the reader. Changes still waiting in a ``-wal`` cannot be read
  that way: ``unreadable_changes`` says so before, and the opening refuses in words.
"""

from __future__ import annotations

import os
from pathlib import Path


def _beside(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _nobody_writes(path: Path) -> bool:
    """Nobody here can create the ``-shm`` beside ``path``, and there is none."""
    return not os.access(path.parent, os.W_OK) and not _beside(path, "-shm").exists()


def read_only_uri(path: Path | str) -> str:
    """The URI that opens ``path`` read-only, whatever characters its name holds."""
    full = Path(path).absolute()
    uri = f"{full.as_uri()}?mode=ro"
    if _nobody_writes(full):
        uri += "&immutable=1"
    return uri


def unreadable_changes(path: Path) -> bool:
    """A ``-wal`` holding changes beside a journal opened ``immutable`` (``read_only_uri``):
    they cannot be read, and the journal would be shown as it was before them."""
    wal = _beside(path, "-wal")
    try:
        return _nobody_writes(path) and wal.stat().st_size > 0
    except OSError:
        return False
