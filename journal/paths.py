"""Where things live: the default journal, the log file, settings."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from journal import APP_NAME

#: Where the XDG Base Directory spec applies; there the folders are found without platformdirs
#: (whose import costs start-up ~7 ms, a tenth of a bare Qt window's start). The tests check that
#: the answers equal platformdirs' own.
_XDG = sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd"))


def _xdg_home(variable: str, default: str) -> Path:
    """``$variable`` when it holds an absolute path (the spec says to ignore others), else
    ``~/default``."""
    value = os.environ.get(variable, "").strip()
    return Path(value) if value and os.path.isabs(value) else Path.home() / default

DEFAULT_JOURNAL_NAME = "journal.eyelights"
ENV_JOURNAL = "EYELIGHTS_JOURNAL"


def data_dir() -> Path:
    if _XDG:
        return _xdg_home("XDG_DATA_HOME", ".local/share") / APP_NAME
    import platformdirs  # pragma: no cover - macOS, Windows

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))  # pragma: no cover


def log_dir() -> Path:
    if _XDG:
        return _xdg_home("XDG_STATE_HOME", ".local/state") / APP_NAME / "log"
    import platformdirs  # pragma: no cover - macOS, Windows

    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))  # pragma: no cover


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
