"""Where things live: the default journal, the log file, settings."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from journal import APP_NAME

DEFAULT_JOURNAL_NAME = "journal.eyelights"
ENV_JOURNAL = "EYELIGHTS_JOURNAL"


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def default_journal_path() -> Path:
    return data_dir() / DEFAULT_JOURNAL_NAME


def resolve_journal_path(explicit: str | os.PathLike[str] | None) -> tuple[Path, bool]:
    """The journal to open: ``--journal``, else ``$EYELIGHTS_JOURNAL``, else the default.

    Returns the path and whether it is the default one (whose folder may be created).
    """
    if explicit:
        return Path(explicit).expanduser(), False
    env = os.environ.get(ENV_JOURNAL)
    if env:
        return Path(env).expanduser(), False
    return default_journal_path(), True
