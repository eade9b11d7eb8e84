"""Logging: warnings and bugs (with tracebacks) go to a rotating log file.

The rotating handler (and :mod:`logging.handlers`, which costs start-up ~10 ms to import) is made
on the first record: a session that logs nothing never loads it.
"""

from __future__ import annotations

import logging
from pathlib import Path

from journal.paths import log_dir

MAX_BYTES = 1_000_000
BACKUP_COUNT = 3

_configured = False


def log_file() -> Path:
    return log_dir() / "eyelights.log"


class LazyRotatingFileHandler(logging.Handler):
    """A ``RotatingFileHandler`` on ``path`` (1 MB, 3 old files), opened on the first record."""

    def __init__(self, path: Path, max_bytes: int = MAX_BYTES, keep: int = BACKUP_COUNT) -> None:
        super().__init__()
        self.path, self.max_bytes, self.keep = path, max_bytes, keep
        self._inner: logging.Handler | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if self._inner is None:
            import logging.handlers

            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._inner = logging.handlers.RotatingFileHandler(
                    self.path, maxBytes=self.max_bytes, backupCount=self.keep, encoding="utf-8")
            except OSError:
                self._inner = logging.NullHandler()  # no log file possible: say nothing more
            self._inner.setFormatter(self.formatter)
        self._inner.emit(record)

    def flush(self) -> None:
        if self._inner is not None:
            self._inner.flush()

    def close(self) -> None:
        if self._inner is not None:
            self._inner.close()
        super().close()


def setup_logging(level: int = logging.INFO) -> None:
    global _configured
    if _configured:
        return
    _configured = True
    root = logging.getLogger("journal")
    root.setLevel(level)
    handler = LazyRotatingFileHandler(log_file())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
