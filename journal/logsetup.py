"""Logging: warnings and bugs (with tracebacks) go to a rotating log file."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from journal.paths import log_dir

_configured = False


def log_file() -> Path:
    return log_dir() / "eyelights.log"


def setup_logging(level: int = logging.INFO) -> None:
    global _configured
    if _configured:
        return
    _configured = True
    root = logging.getLogger("journal")
    root.setLevel(level)
    try:
        log_dir().mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            log_file(), maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
